//! English captions from the scene and what actually happened in the simulation.
//!
//! Facts first (who is there, what each did, where, how it is drawn and filmed), then several
//! templates that word those facts differently. Every caption names every object kind in the
//! scene, so a prompt built from any of them asks for everything the clip shows.

use kino_core::scene::{Framing, Material, Object, ObjectKind, Scene, Setting, Style};

use kino_core::slots::{ClipSlots, MAX_OBJECTS, MAX_SHOTS, Motion, ObjectSlot};

use crate::fixtures::Part;
use crate::physics::{EventKind, Simulation};
use crate::rng::Rng;
use crate::slots::motions as motions_of;

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

/// What one object did, as a verb phrase ("misses and bounces off the backboard"): the world's
/// [`motions`], worded.
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
    let parts: Vec<String> = motions_of(scene, sim, i)
        .into_iter()
        .take(3)
        .map(|m| match m {
            Motion::BumpsIntoSomething => {
                let other = sim.events.iter().filter(|e| e.object == i).find_map(|e| if let Part::Object(j) = e.other { Some(j) } else { None });
                format!("bumps into the {}", other.map_or("something", |j| scene.objects[j].kind.noun()))
            }
            m => verb_phrase(m).into(),
        })
        .collect();
    join_and(&parts)
}

/// A motion as a caption's verb phrase ("bounces twice").
pub fn verb_phrase(m: Motion) -> &'static str {
    match m {
        Motion::BouncesTwice => "bounces twice",
        Motion::BouncesThreeTimes => "bounces three times",
        Motion::BouncesFourTimes => "bounces four times",
        Motion::BouncesOften => "bounces again and again",
        Motion::Lands => "lands on the floor",
        Motion::RollsAlongTheFloor => "rolls along the floor",
        Motion::SlidesAcrossTheFloor => "slides across the floor",
        Motion::RollsDownTheRamp => "rolls down the ramp",
        Motion::SlidesDownTheRamp => "slides down the ramp",
        Motion::HitsTheRamp => "hits the ramp",
        Motion::SplashesIntoThePool => "splashes into the pool",
        Motion::Floats => "floats",
        Motion::SinksToTheBottom => "sinks to the bottom",
        Motion::Scores => "flies through the hoop and scores",
        Motion::MissesOffTheBackboard => "misses and bounces off the backboard",
        Motion::MissesOffTheRim => "hits the rim and bounces out",
        Motion::Airball => "misses the hoop completely",
        Motion::Tumbles => "tumbles over",
        Motion::BumpsIntoSomething => "bumps into something",
        Motion::HitsTheWall => "hits the wall",
        Motion::Wobbles => "wobbles",
        Motion::SitsStill => "sits still",
        Motion::Babbles => "babbles",
        Motion::Watches => "stands and watches",
    }
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
    described(scene, sim).into_iter().map(|(caption, _)| caption).collect()
}

/// [`captions`], each with the slots it names (and nothing it leaves unsaid): the prompt
/// reader's training labels. Objects are listed in scene order.
pub fn described(scene: &Scene, sim: &Simulation) -> Vec<(String, ClipSlots)> {
    let mut rng = Rng::stream(scene.seed, "captions");
    let n = scene.objects.len();
    let said = |objects: Vec<ObjectSlot>| ClipSlots { objects: objects.into_iter().take(MAX_OBJECTS).collect(), ..ClipSlots::default() };
    if n == 0 {
        let slots = ClipSlots { setting: Some(scene.setting), style: Some(scene.style), ..ClipSlots::default() };
        return vec![(format!("An empty stage {}, {}.", scene.setting.phrase(), scene.style.phrase()), slots)];
    }
    let motions: Vec<String> = (0..n).map(|i| motion(scene, sim, i)).collect();
    let first_motions: Vec<Option<Motion>> = (0..n).map(|i| motions_of(scene, sim, i).first().copied()).collect();
    let clauses: Vec<String> = (0..n).map(|i| format!("{} {}", subject(scene, i), motions[i])).collect();
    // What a clause names of its object: the subject's words and what it mainly did.
    let clause_slots: Vec<ObjectSlot> = (0..n).map(|i| ObjectSlot { motion: first_motions[i], ..subject_slot(scene, i) }).collect();
    let list = list_phrase(scene, true);
    let short = list_phrase(scene, false);
    let listed = |detailed: bool| -> Vec<ObjectSlot> { (0..n).map(|i| list_slot(scene, i, detailed)).collect() };
    let with_motions =
        |objects: Vec<ObjectSlot>| -> Vec<ObjectSlot> { objects.into_iter().zip(&first_motions).map(|(o, m)| ObjectSlot { motion: *m, ..o }).collect() };
    let mut out = Vec::new();
    // 1: the full description.
    out.push((
        format!("{} {}. {}. {}.", capitalise(&list), scene.setting.phrase(), capitalise(&join_and(&clauses)), style_sentence(scene.style)),
        ClipSlots { setting: Some(scene.setting), style: Some(scene.style), ..said(with_motions(listed(true))) },
    ));
    // 2: motion first.
    let joiner = rng.pick(&[" while ", "; meanwhile ", ", and "]);
    let mut m = capitalise(&clauses[0]);
    if n > 1 {
        m.push_str(joiner);
        m.push_str(&join_and(&clauses[1..]));
    }
    out.push((
        format!("{m}, {} {}.", ground_phrase(scene.setting), scene.style.phrase()),
        ClipSlots { setting: Some(scene.setting), style: Some(scene.style), ..said(clause_slots.clone()) },
    ));
    // 3: short and count-led.
    let count = n;
    let things = if scene.objects.iter().all(|o| o.kind == ObjectKind::Avatar) { "figure" } else { "thing" };
    out.push((
        format!("{} {}{} {}: {short}, {}.", capitalise(number(count)), things, if count == 1 { "" } else { "s" }, scene.setting.phrase(), scene.style.phrase()),
        ClipSlots { setting: Some(scene.setting), style: Some(scene.style), ..said(listed(false)) },
    ));
    // 4: the camera's point of view.
    out.push((
        format!("{}: {short} {}; {}.", capitalise(&camera_phrase(scene)), scene.setting.phrase(), join_and(&clauses)),
        ClipSlots {
            setting: Some(scene.setting),
            framing: scene.shots.first().map(|s| s.camera.framing),
            shots: Some(scene.shots.len().clamp(1, usize::from(MAX_SHOTS)) as u8),
            ..said(with_motions(listed(false)))
        },
    ));
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
    out.push((
        format!("With sound: {} {}.", join_and(&sound), scene.setting.phrase()),
        ClipSlots { setting: Some(scene.setting), ..said((0..n).map(|i| subject_slot(scene, i)).collect()) },
    ));
    // 6: one plain sentence, the way short prompts are written ("a red rubber ball bounces
    // twice on a wooden floor"): no size, no style, the place told by its ground.
    let plain: Vec<String> = (0..n).map(|i| format!("{} {}", plain_subject(scene, i), motions[i])).collect();
    let plain_slots: Vec<ObjectSlot> = (0..n).map(|i| ObjectSlot { motion: first_motions[i], ..plain_slot(scene, i) }).collect();
    let full_ground = !rng.chance(0.5);
    let ground = if full_ground { ground_phrase(scene.setting) } else { short_ground_phrase(scene.setting) };
    // "On a wooden floor" names the floor of a gym, not the gym; the other short grounds name their place.
    let (setting, floor) = match (full_ground, scene.setting) {
        (false, Setting::Gym) => (None, Some(Material::Wood)),
        (_, setting) => (Some(setting), None),
    };
    out.push((format!("{} {ground}.", capitalise(&join_and(&plain))), ClipSlots { setting, floor, ..said(plain_slots) }));
    out
}

/// What a list phrase names of object `i`: kind and colour, and with `detailed` its size and
/// (for balls and cubes) material; several alike are "two red balls", kind and colour alone.
fn list_slot(scene: &Scene, i: usize, detailed: bool) -> ObjectSlot {
    let o = &scene.objects[i];
    let alike = scene.objects.iter().filter(|p| p.kind == o.kind && p.colour == o.colour && o.kind != ObjectKind::Avatar).count();
    let mut slot = ObjectSlot::new(o.kind, o.colour);
    if alike == 1 && detailed && o.kind != ObjectKind::Avatar {
        slot.size = Some(o.size);
        slot.material = matches!(o.kind, ObjectKind::Ball | ObjectKind::Cube).then_some(o.material);
    }
    slot
}

/// What [`subject`] names of object `i`: kind and colour ("the character" names only its kind).
fn subject_slot(scene: &Scene, i: usize) -> ObjectSlot {
    let o = &scene.objects[i];
    let alike = scene.objects.iter().filter(|p| p.kind == o.kind && p.colour == o.colour).count();
    if o.kind == ObjectKind::Avatar && alike == 1 {
        return ObjectSlot { kind: Some(o.kind), ..ObjectSlot::default() };
    }
    ObjectSlot::new(o.kind, o.colour)
}

/// What [`plain_subject`] names of object `i`.
fn plain_slot(scene: &Scene, i: usize) -> ObjectSlot {
    let o = &scene.objects[i];
    let alike = scene.objects.iter().filter(|p| p.kind == o.kind && p.colour == o.colour).count();
    if alike > 1 && o.kind != ObjectKind::Avatar {
        return subject_slot(scene, i);
    }
    ObjectSlot { material: matches!(o.kind, ObjectKind::Ball | ObjectKind::Cube).then_some(o.material), ..ObjectSlot::new(o.kind, o.colour) }
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
