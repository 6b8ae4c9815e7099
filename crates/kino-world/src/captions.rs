//! English captions from the scene and what actually happened in the simulation.
//!
//! Facts first (who is there, what each did, where, how it is drawn and filmed), then several
//! templates that word those facts differently. Every caption names every object kind in the
//! scene, so a prompt built from any of them asks for everything the clip shows.

use kino_core::scene::{Framing, Material, Object, ObjectKind, Scene, Setting, Style};

use crate::fixtures::Part;
use crate::physics::{EventKind, Shape, ShotOutcome, Simulation};
use crate::rng::Rng;

const NUMBERS: [&str; 11] = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

fn number(n: usize) -> &'static str {
    NUMBERS.get(n).copied().unwrap_or("many")
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// `s` with its first letter in upper case ("red" -> "Red").
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The objects' noun phrase, e.g. "small red wooden cube" (without an article).
pub fn object_phrase(o: &Object, detailed: bool) -> String {
    noun_phrase(o, detailed, detailed)
}

/// "[size] colour [material] noun", the size and the material (of balls and cubes) where asked;
/// an avatar is always "character in a <colour> shirt".
fn noun_phrase(o: &Object, size: bool, material: bool) -> String {
    if o.kind == ObjectKind::Avatar {
        return format!("character in {} {} shirt", article(o.colour.name()), o.colour.name());
    }
    let mut words: Vec<&str> = Vec::new();
    if size {
        words.push(o.size.name());
    }
    words.push(o.colour.name());
    if material && matches!(o.kind, ObjectKind::Ball | ObjectKind::Cube) {
        words.push(o.material.adjective());
    }
    words.push(o.kind.noun());
    words.join(" ")
}

/// What one object did, as a verb phrase ("misses and bounces off the backboard").
pub fn motion(scene: &Scene, sim: &Simulation, i: usize) -> String {
    let o = &scene.objects[i];
    if o.kind == ObjectKind::Avatar {
        let a = o.avatar.clone().unwrap_or_default();
        if a.speech.is_empty() {
            return "stands and watches".into();
        }
        let voice = if a.voice_pitch_hz > 200.0 {
            "in a high voice"
        } else if a.voice_pitch_hz < 130.0 {
            "in a deep voice"
        } else {
            "cheerfully"
        };
        return format!("babbles {voice}");
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(out) = sim.outcomes[i] {
        parts.push(
            match out {
                ShotOutcome::Scored => "flies through the hoop and scores",
                ShotOutcome::MissedBackboard => "misses and bounces off the backboard",
                ShotOutcome::MissedRim => "hits the rim and bounces out",
                ShotOutcome::Airball => "misses the hoop completely",
            }
            .into(),
        );
    }
    let events: Vec<_> = sim.events.iter().filter(|e| e.object == i).collect();
    let is_box = matches!(sim.bodies[i].shape, Shape::Box { .. });
    let on_ramp = sim.rolling.iter().filter(|r| r.object == i && r.part == Part::Ramp).count();
    if on_ramp as f64 > 0.15 * sim.step_hz {
        parts.push(if is_box { "slides down the ramp" } else { "rolls down the ramp" }.into());
    } else if events.iter().any(|e| e.other == Part::Ramp && e.speed > 0.5) {
        parts.push("hits the ramp".into());
    }
    let bounces = events.iter().filter(|e| e.kind == EventKind::Impact && e.other == Part::Floor && e.speed > 0.6).count();
    if bounces >= 2 && !is_box {
        parts.push(match bounces {
            2 => "bounces twice".into(),
            3 | 4 => format!("bounces {} times", number(bounces)),
            _ => "bounces again and again".into(),
        });
    } else if bounces == 1 {
        parts.push("lands on the floor".into());
    }
    let rolled: f64 = sim.rolling.iter().filter(|r| r.object == i && r.speed > 0.2 && r.part == Part::Floor).count() as f64 / sim.step_hz;
    if rolled > 0.3 {
        parts.push(if is_box { "slides across the floor".into() } else { "rolls along the floor".into() });
    }
    if is_box {
        let turned = sim.states.last().map_or(0.0, |s| s[i].angle.abs());
        if turned > 1.2 {
            parts.push("tumbles over".into());
        }
    }
    if let Some(j) = events.iter().find_map(|e| if let Part::Object(j) = e.other { Some(j) } else { None }) {
        parts.push(format!("bumps into the {}", scene.objects[j].kind.noun()));
    }
    if events.iter().any(|e| e.other == Part::Wall && e.speed > 0.5) {
        parts.push("hits the wall".into());
    }
    if events.iter().any(|e| e.kind == EventKind::Splash) {
        parts.push("splashes into the pool".into());
        parts.push(if sim.bodies[i].density < 1.0 { "floats".into() } else { "sinks to the bottom".into() });
    }
    if parts.is_empty() {
        let moved = sim.states.iter().any(|s| (s[i].vel[0].powi(2) + s[i].vel[1].powi(2)).sqrt() > 0.1);
        parts.push(if moved { "wobbles".into() } else { "sits still".into() });
    }
    join_and(&parts.iter().take(3).cloned().collect::<Vec<_>>())
}

fn join_and(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// Objects grouped by kind and colour, in scene order: `(first index, count)`.
fn groups(scene: &Scene) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, o) in scene.objects.iter().enumerate() {
        match out.iter_mut().find(|(j, _)| {
            let p = &scene.objects[*j];
            p.kind == o.kind && p.colour == o.colour && o.kind != ObjectKind::Avatar
        }) {
            Some(g) => g.1 += 1,
            None => out.push((i, 1)),
        }
    }
    out
}

fn list_phrase(scene: &Scene, detailed: bool) -> String {
    let items: Vec<String> = groups(scene)
        .into_iter()
        .map(|(i, n)| {
            let o = &scene.objects[i];
            if n == 1 {
                let p = object_phrase(o, detailed);
                format!("{} {p}", article(&p))
            } else {
                format!("{} {} {}", number(n), o.colour.name(), o.kind.plural())
            }
        })
        .collect();
    join_and(&items)
}

fn subject(scene: &Scene, i: usize) -> String {
    let o = &scene.objects[i];
    let same = scene.objects.iter().filter(|p| p.kind == o.kind && p.colour == o.colour).count();
    if same > 1 {
        let nth = scene.objects[..i].iter().filter(|p| p.kind == o.kind && p.colour == o.colour).count();
        let ord = ["first", "second", "third", "fourth", "fifth"].get(nth).copied().unwrap_or("next");
        return format!("the {ord} {} {}", o.colour.name(), o.kind.noun());
    }
    if o.kind == ObjectKind::Avatar {
        return "the character".into();
    }
    format!("the {} {}", o.colour.name(), o.kind.noun())
}

fn camera_phrase(scene: &Scene) -> String {
    let mut parts = Vec::new();
    for (k, shot) in scene.shots.iter().enumerate() {
        let c = &shot.camera;
        let mut p = match c.follow {
            Some(i) if i < scene.objects.len() && c.framing != Framing::Wide => {
                format!("{} following {}", c.framing.phrase(), subject(scene, i))
            }
            _ => c.framing.phrase().to_string(),
        };
        if c.pan.abs() > 0.05 {
            p.push_str(if c.pan < 0.0 { " panning left" } else { " panning right" });
        }
        if c.zoom > 1.02 {
            p.push_str(" that slowly zooms in");
        }
        parts.push(if k == 0 { p } else { format!("then cuts to {p}") });
    }
    parts.join(", ")
}

/// Where things happen, told by what they land on ("on the wooden floor of a gym"): the words
/// people use in prompts, which the setting's name alone does not teach.
fn ground_phrase(setting: Setting) -> &'static str {
    match setting {
        Setting::Gym => "on the wooden floor of a gym",
        Setting::Park => "on the grass of a park",
        Setting::Studio => "on the grey floor of a bare studio",
        Setting::Poolside => "on the tiles beside a swimming pool",
    }
}

/// The same place in the fewest words ("on a wooden floor"), as a short prompt says it.
fn short_ground_phrase(setting: Setting) -> &'static str {
    match setting {
        Setting::Gym => "on a wooden floor",
        Setting::Park => "on the grass",
        Setting::Studio => "on a grey studio floor",
        Setting::Poolside => "beside a swimming pool",
    }
}

/// One object as a one-line prompt names it: "a red rubber ball" (no size), or "the second red
/// ball" where the scene holds several alike.
fn plain_subject(scene: &Scene, i: usize) -> String {
    let o = &scene.objects[i];
    let alike = scene.objects.iter().filter(|p| p.kind == o.kind && p.colour == o.colour).count();
    if alike > 1 && o.kind != ObjectKind::Avatar {
        return subject(scene, i);
    }
    let p = noun_phrase(o, false, true);
    format!("{} {p}", article(&p))
}

/// Several different captions for one simulated scene.
pub fn captions(scene: &Scene, sim: &Simulation) -> Vec<String> {
    let mut rng = Rng::stream(scene.seed, "captions");
    let n = scene.objects.len();
    if n == 0 {
        return vec![format!("An empty stage {}, {}.", scene.setting.phrase(), scene.style.phrase())];
    }
    let motions: Vec<String> = (0..n).map(|i| motion(scene, sim, i)).collect();
    let clauses: Vec<String> = (0..n).map(|i| format!("{} {}", subject(scene, i), motions[i])).collect();
    let list = list_phrase(scene, true);
    let short = list_phrase(scene, false);
    let mut out = Vec::new();
    // 1: the full description.
    out.push(format!("{} {}. {}. {}.", capitalise(&list), scene.setting.phrase(), capitalise(&join_and(&clauses)), style_sentence(scene.style)));
    // 2: motion first.
    let joiner = rng.pick(&[" while ", "; meanwhile ", ", and "]);
    let mut m = capitalise(&clauses[0]);
    if n > 1 {
        m.push_str(joiner);
        m.push_str(&join_and(&clauses[1..]));
    }
    out.push(format!("{m}, {} {}.", ground_phrase(scene.setting), scene.style.phrase()));
    // 3: short and count-led.
    let count = n;
    let things = if scene.objects.iter().all(|o| o.kind == ObjectKind::Avatar) { "figure" } else { "thing" };
    out.push(format!(
        "{} {}{} {}: {short}, {}.",
        capitalise(number(count)),
        things,
        if count == 1 { "" } else { "s" },
        scene.setting.phrase(),
        scene.style.phrase()
    ));
    // 4: the camera's point of view.
    out.push(format!("{}: {short} {}; {}.", capitalise(&camera_phrase(scene)), scene.setting.phrase(), join_and(&clauses)));
    // 5: what is heard, for clips with sound.
    let sound: Vec<String> = (0..n)
        .map(|i| {
            let o = &scene.objects[i];
            let what = if o.kind == ObjectKind::Avatar {
                "chattering"
            } else if sim.events.iter().any(|e| e.object == i && e.kind == EventKind::Splash) {
                "splashing"
            } else if sim.events.iter().any(|e| e.object == i && e.kind == EventKind::Impact && e.speed > 0.5) {
                sound_word(o.material)
            } else {
                "barely making a sound"
            };
            format!("{} {what}", subject(scene, i))
        })
        .collect();
    out.push(format!("With sound: {} {}.", join_and(&sound), scene.setting.phrase()));
    // 6: one plain sentence, the way short prompts are written ("a red rubber ball bounces
    // twice on a wooden floor"): no size, no style, the place told by its ground.
    let plain: Vec<String> = (0..n).map(|i| format!("{} {}", plain_subject(scene, i), motions[i])).collect();
    let ground = if rng.chance(0.5) { short_ground_phrase(scene.setting) } else { ground_phrase(scene.setting) };
    out.push(format!("{} {ground}.", capitalise(&join_and(&plain))));
    out
}

fn style_sentence(style: Style) -> &'static str {
    match style {
        Style::FlatCartoon => "Drawn in a flat cartoon style",
        Style::Photoreal => "Rendered photorealistically, with soft shadows",
        Style::PixelArt => "Drawn as pixel art",
        Style::LineSketch => "Drawn as a pencil line sketch",
    }
}

fn sound_word(m: Material) -> &'static str {
    match m {
        Material::Rubber => "thudding softly",
        Material::Wood => "knocking",
        Material::Metal => "clanging",
        Material::Glass => "clinking",
    }
}
