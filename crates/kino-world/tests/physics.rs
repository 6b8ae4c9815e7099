//! Physical laws the simulator must keep.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kino_core::scene::{Camera, Colour, Fixture, Framing, Material, Object, ObjectKind, Scene, Setting, Shot, Side, Size, Style};
use kino_world::fixtures::{Part, hoop_geometry};
use kino_world::physics::{EventKind, GRAVITY, ShotOutcome, simulate};
use kino_world::sample::{Distribution, launch, sample};

fn ball(kind: ObjectKind, position: [f32; 2], velocity: [f32; 2]) -> Object {
    Object { kind, colour: Colour::Red, size: Size::Medium, material: Material::Rubber, position, velocity, spin: 0.0, avatar: None }
}

fn scene(objects: Vec<Object>, fixtures: Vec<Fixture>, duration_s: f32) -> Scene {
    Scene {
        seed: 1,
        setting: Setting::Gym,
        style: Style::FlatCartoon,
        stage: [-2.5, 2.5],
        objects,
        fixtures,
        shots: vec![Shot { duration_s, camera: Camera { framing: Framing::Wide, follow: None, centre: [0.0, 1.4], pan: 0.0, zoom: 1.0, subject_share: None } }],
    }
}

#[test]
fn ball_dropped_on_wood_rebounds_to_h_e_squared() {
    let r = ObjectKind::Ball.medium_extent();
    let h = 2.0f64;
    let s = scene(vec![ball(ObjectKind::Ball, [0.0, h as f32 + r], [0.0, 0.0])], vec![Fixture::Floor { material: Material::Wood }], 3.0);
    let sim = simulate(&s, 3.0);
    let first = sim.events.iter().find(|e| e.other == Part::Floor).expect("the ball lands");
    let step = (first.time_s * sim.step_hz) as usize + 2;
    let second = sim.events.iter().find(|e| e.time_s > first.time_s + 0.05).expect("and lands again");
    let end = (second.time_s * sim.step_hz) as usize;
    let apex = sim.states[step..end].iter().map(|s| s[0].pos[1] - f64::from(r)).fold(f64::MIN, f64::max);
    let e = f64::from(Material::combined_restitution(Material::Rubber, Material::Wood));
    let want = h * e * e;
    assert!((apex - want).abs() < 0.03 * want, "apex {apex:.4} m, expected about {want:.4} m");
    // It lands when free fall says it should.
    let t_fall = (2.0 * h / GRAVITY).sqrt();
    assert!((first.time_s - t_fall).abs() < 0.002, "landed at {} s, expected {t_fall} s", first.time_s);
}

#[test]
fn energy_never_rises_without_a_push() {
    let dist = Distribution { pool: 0.0, ..Distribution::default() };
    for seed in 0..40 {
        let s = sample(seed, &dist);
        let sim = simulate(&s, 2.0);
        let scale = sim.energy(0).abs() + 1.0;
        for k in 1..sim.states.len() {
            let (before, after) = (sim.energy(k - 1), sim.energy(k));
            assert!(after <= before + 1e-3 * scale, "seed {seed} step {k}: energy rose from {before} to {after}");
        }
    }
}

#[test]
fn missed_shot_rebounds_off_the_backboard() {
    let g = hoop_geometry(2.35, 1.8, Side::Right);
    let r = ObjectKind::Basketball.medium_extent();
    let from = [-0.5, 1.3];
    let v = launch(from, [g.board_min.x as f32 - r, 2.4], 45.0);
    let s = scene(
        vec![ball(ObjectKind::Basketball, from, v)],
        vec![Fixture::Floor { material: Material::Wood }, Fixture::Hoop { x: 2.35, rim_height: 1.8, backboard_side: Side::Right }],
        2.0,
    );
    let sim = simulate(&s, 2.0);
    let hit = sim.events.iter().find(|e| e.other == Part::Backboard && e.kind == EventKind::Impact).expect("the ball hits the backboard");
    assert_eq!(sim.outcomes[0], Some(ShotOutcome::MissedBackboard));
    let k = (hit.time_s * sim.step_hz) as usize;
    let before = sim.states[k.saturating_sub(2)][0];
    let after = sim.states[k + 3][0];
    assert!(before.vel[0] > 0.5 && after.vel[0] < -0.2, "vx {} then {}", before.vel[0], after.vel[0]);
    // Never passes through the board.
    assert!(sim.states.iter().all(|s| s[0].pos[0] < g.board_min.x));
}

#[test]
fn no_object_moves_further_than_its_speed_allows() {
    let dt = 1.0 / kino_world::physics::STEP_HZ;
    for seed in 0..40 {
        let s = sample(seed, &Distribution::default());
        let sim = simulate(&s, 2.0);
        for k in 1..sim.states.len() {
            for (a, b) in sim.states[k - 1].iter().zip(&sim.states[k]) {
                let d = ((b.pos[0] - a.pos[0]).powi(2) + (b.pos[1] - a.pos[1]).powi(2)).sqrt();
                let va = (a.vel[0].powi(2) + a.vel[1].powi(2)).sqrt();
                let vb = (b.vel[0].powi(2) + b.vel[1].powi(2)).sqrt();
                let limit = va.max(vb) * dt + 0.5 * GRAVITY * dt * dt + 0.01;
                assert!(d <= limit, "seed {seed} step {k}: moved {d} m, limit {limit} m");
            }
        }
    }
}
