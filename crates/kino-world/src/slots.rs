//! The slots a clip fills ([`ClipSlots`]): what a prompt asking for exactly this clip would name,
//! read off the scene and what the simulation did. kino-2 trains on them beside the captions, and
//! its prompt reader learns to recover them from the captions' words.

use kino_core::scene::{Fixture, ObjectKind, Scene};
use kino_core::slots::{ClipSlots, MAX_OBJECTS, MAX_SHOTS, Motion, ObjectSlot};

use crate::fixtures::Part;
use crate::physics::{EventKind, Shape, ShotOutcome, Simulation};

/// What object `i` did, in the order the captions tell it (the first is what it mainly does).
pub fn motions(scene: &Scene, sim: &Simulation, i: usize) -> Vec<Motion> {
    let o = &scene.objects[i];
    if o.kind == ObjectKind::Avatar {
        let talks = o.avatar.as_ref().is_some_and(|a| !a.speech.is_empty());
        return vec![if talks { Motion::Babbles } else { Motion::Watches }];
    }
    let mut out = Vec::new();
    if let Some(outcome) = sim.outcomes[i] {
        out.push(match outcome {
            ShotOutcome::Scored => Motion::Scores,
            ShotOutcome::MissedBackboard => Motion::MissesOffTheBackboard,
            ShotOutcome::MissedRim => Motion::MissesOffTheRim,
            ShotOutcome::Airball => Motion::Airball,
        });
    }
    let events: Vec<_> = sim.events.iter().filter(|e| e.object == i).collect();
    let is_box = matches!(sim.bodies[i].shape, Shape::Box { .. });
    let on_ramp = sim.rolling.iter().filter(|r| r.object == i && r.part == Part::Ramp).count();
    if on_ramp as f64 > 0.15 * sim.step_hz {
        out.push(if is_box { Motion::SlidesDownTheRamp } else { Motion::RollsDownTheRamp });
    } else if events.iter().any(|e| e.other == Part::Ramp && e.speed > 0.5) {
        out.push(Motion::HitsTheRamp);
    }
    let bounces = events.iter().filter(|e| e.kind == EventKind::Impact && e.other == Part::Floor && e.speed > 0.6).count();
    if bounces >= 2 && !is_box {
        out.push(match bounces {
            2 => Motion::BouncesTwice,
            3 => Motion::BouncesThreeTimes,
            4 => Motion::BouncesFourTimes,
            _ => Motion::BouncesOften,
        });
    } else if bounces == 1 {
        out.push(Motion::Lands);
    }
    let rolled: f64 = sim.rolling.iter().filter(|r| r.object == i && r.speed > 0.2 && r.part == Part::Floor).count() as f64 / sim.step_hz;
    if rolled > 0.3 {
        out.push(if is_box { Motion::SlidesAcrossTheFloor } else { Motion::RollsAlongTheFloor });
    }
    if is_box && sim.states.last().map_or(0.0, |s| s[i].angle.abs()) > 1.2 {
        out.push(Motion::Tumbles);
    }
    if events.iter().any(|e| matches!(e.other, Part::Object(_))) {
        out.push(Motion::BumpsIntoSomething);
    }
    if events.iter().any(|e| e.other == Part::Wall && e.speed > 0.5) {
        out.push(Motion::HitsTheWall);
    }
    if events.iter().any(|e| e.kind == EventKind::Splash) {
        out.push(Motion::SplashesIntoThePool);
        out.push(if sim.bodies[i].density < 1.0 { Motion::Floats } else { Motion::SinksToTheBottom });
    }
    if out.is_empty() {
        let moved = sim.states.iter().any(|s| (s[i].vel[0].powi(2) + s[i].vel[1].powi(2)).sqrt() > 0.1);
        out.push(if moved { Motion::Wobbles } else { Motion::SitsStill });
    }
    out
}

/// The clip's main subject: the object its first shot follows, else its first thing that is
/// not a character, else its first object.
pub fn main_object(scene: &Scene) -> Option<usize> {
    let followed = scene.shots.first().and_then(|s| s.camera.follow).filter(|&i| i < scene.objects.len());
    followed.or_else(|| scene.objects.iter().position(|o| o.kind != ObjectKind::Avatar)).or((!scene.objects.is_empty()).then_some(0))
}

/// Every slot of the clip, filled: the main subject first, then the others in scene order (at
/// most [`MAX_OBJECTS`]).
pub fn slots(scene: &Scene, sim: &Simulation) -> ClipSlots {
    let mut order: Vec<usize> = main_object(scene).into_iter().collect();
    order.extend((0..scene.objects.len()).filter(|i| Some(*i) != main_object(scene)));
    let objects = order
        .into_iter()
        .take(MAX_OBJECTS)
        .map(|i| {
            let o = &scene.objects[i];
            ObjectSlot {
                kind: Some(o.kind),
                colour: Some(o.colour),
                size: Some(o.size),
                material: Some(o.material),
                motion: motions(scene, sim, i).first().copied(),
            }
        })
        .collect();
    let floor = scene.fixtures.iter().find_map(|f| if let Fixture::Floor { material } = f { Some(*material) } else { None });
    ClipSlots {
        objects,
        setting: Some(scene.setting),
        style: Some(scene.style),
        framing: scene.shots.first().map(|s| s.camera.framing),
        floor,
        shots: Some((scene.shots.len().clamp(1, usize::from(MAX_SHOTS))) as u8),
    }
}

#[cfg(test)]
mod tests {
    use kino_core::scene::{Camera, Colour, Framing, Material, Object, Setting, Shot, Size, Style};

    use super::*;
    use crate::physics::simulate;

    #[test]
    fn a_dropped_rubber_ball_is_a_ball_bouncing_on_the_floor_of_its_setting() {
        let ball = Object {
            kind: ObjectKind::Ball,
            colour: Colour::Red,
            size: Size::Medium,
            material: Material::Rubber,
            position: [0.0, 1.5],
            velocity: [0.0, 0.0],
            spin: 0.0,
            avatar: None,
        };
        let scene = Scene {
            seed: 3,
            setting: Setting::Gym,
            style: Style::FlatCartoon,
            stage: [-2.5, 2.5],
            objects: vec![ball],
            fixtures: vec![Fixture::Floor { material: Material::Wood }],
            shots: vec![Shot {
                duration_s: 2.0,
                camera: Camera { framing: Framing::Medium, follow: Some(0), centre: [0.0, 1.2], pan: 0.0, zoom: 1.0, subject_share: None },
            }],
        };
        let sim = simulate(&scene, 2.0);
        let slots = slots(&scene, &sim);
        let main = slots.objects[0];
        assert_eq!((main.kind, main.colour, main.material), (Some(ObjectKind::Ball), Some(Colour::Red), Some(Material::Rubber)));
        assert!(
            matches!(main.motion, Some(Motion::BouncesTwice | Motion::BouncesThreeTimes | Motion::BouncesFourTimes | Motion::BouncesOften)),
            "{:?}",
            main.motion
        );
        assert_eq!((slots.setting, slots.floor, slots.framing, slots.shots), (Some(Setting::Gym), Some(Material::Wood), Some(Framing::Medium), Some(1)));
    }

    #[test]
    fn the_followed_object_comes_first() {
        let d = crate::sample::Distribution { objects: [3, 3], avatar: 0.0, ..crate::sample::Distribution::default() };
        for seed in 0..40 {
            let scene = crate::sample::sample(seed, &d);
            let sim = simulate(&scene, 2.0);
            let slots = slots(&scene, &sim);
            if let Some(i) = scene.shots[0].camera.follow {
                assert_eq!(slots.objects[0].kind, Some(scene.objects[i].kind), "seed {seed}");
                assert_eq!(slots.objects[0].colour, Some(scene.objects[i].colour), "seed {seed}");
            }
            assert!(slots.objects.len() <= MAX_OBJECTS);
        }
    }
}
