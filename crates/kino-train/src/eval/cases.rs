//! The fixed evaluation set: held-out scenes, each with a prompt worded unlike any training
//! caption, rendered by kino-world as the ground truth.
//!
//! Case `i` is drawn from scene seeds [`EVAL_SEED`] up (far from both training and the
//! training loop's held-out clips), keeping scenes with at least one moving object, each
//! re-filmed as one continuous shot of its first camera. Every fourth case, from the second, is
//! an **unusual combination**: a basketball or rubber duck recoloured to a colour the sampler
//! rarely gives it (it paints 70% of basketballs orange and 60% of ducks yellow; the rest share
//! eleven colours, so a purple basketball is about 1 in 40). Every fourth case, from the
//! fourth, is **multi-shot**: two prompts about the same object, the clip [`MULTI_SHOT_FRAMES`]
//! long. The rest are paraphrases.

use kino_core::scene::{Colour, ObjectKind, Scene, Setting, Shot, Style};
use kino_world::fixtures::Part;
use kino_world::physics::EventKind;
use kino_world::sample::{Distribution, sample};
use kino_world::{Clip, RenderSettings, render_clip};
use serde::Serialize;

use crate::judge::Truth;

/// First scene seed of the evaluation set.
pub const EVAL_SEED: u64 = crate::data::HELD_OUT_SEED + 500_000;
/// Frames of a single-shot case (the model's window: 2 s at 12 fps).
pub const FRAMES: usize = crate::data::FRAMES;
/// Frames of a multi-shot case: the first window and one extension of 16 frames.
pub const MULTI_SHOT_FRAMES: usize = 40;

/// What a case tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Paraphrase,
    UnusualCombination,
    MultiShot,
}

/// One evaluation case.
#[derive(Debug, Clone)]
pub struct Case {
    pub index: usize,
    pub kind: CaseKind,
    /// One prompt per shot.
    pub prompts: Vec<String>,
    /// The ground truth: the scene rendered by kino-world.
    pub real: Clip,
    /// What the prompt asks for (from `real`).
    pub truth: Truth,
}

/// The first `n` cases (the same every time).
pub fn cases(n: usize) -> anyhow::Result<Vec<Case>> {
    let mut seed = EVAL_SEED;
    let mut out = Vec::with_capacity(n);
    for index in 0..n {
        let kind = match index % 4 {
            1 => CaseKind::UnusualCombination,
            3 => CaseKind::MultiShot,
            _ => CaseKind::Paraphrase,
        };
        let frames = if kind == CaseKind::MultiShot { MULTI_SHOT_FRAMES } else { FRAMES };
        loop {
            let scene = one_shot(sample(seed, &Distribution::legacy()), frames);
            seed += 1;
            let mut real = render(&scene, frames)?;
            let mut truth = Truth::of_clip(&real);
            let Some(main) = truth.main else { continue };
            if kind == CaseKind::UnusualCombination {
                let rare: &[Colour] = match truth.kind {
                    ObjectKind::Basketball => &[Colour::Purple, Colour::Green, Colour::Blue, Colour::Pink, Colour::White],
                    ObjectKind::RubberDuck => &[Colour::Purple, Colour::Blue, Colour::Black, Colour::Red, Colour::Green],
                    _ => continue,
                };
                let colour = rare[(index / 4) % rare.len()];
                let mut recoloured = scene.clone();
                recoloured.objects[main].colour = colour;
                real = render(&recoloured, frames)?;
                truth = Truth::of_clip(&real);
            }
            let first = paraphrase(&real, &truth, index as u64);
            let prompts = if kind == CaseKind::MultiShot { vec![first, follow_up(&truth, real.scene.setting, index as u64)] } else { vec![first] };
            out.push(Case { index, kind, prompts, real, truth });
            break;
        }
    }
    Ok(out)
}

/// `scene` filmed as one shot of its first camera, `frames` frames long at 12 fps.
fn one_shot(mut scene: Scene, frames: usize) -> Scene {
    let fps = RenderSettings::default().fps;
    if let Some(first) = scene.shots.first().cloned() {
        scene.shots = vec![Shot { duration_s: frames as f32 / fps, camera: first.camera }];
    }
    scene
}

fn render(scene: &Scene, frames: usize) -> anyhow::Result<Clip> {
    Ok(render_clip(scene, &RenderSettings { frames: Some(frames), ..RenderSettings::default() })?)
}

/// Nouns unlike the captions' ("ball", "cube", "rubber duck").
fn noun(kind: ObjectKind, variant: u64) -> &'static str {
    let pick = |a: &'static str, b: &'static str| if variant.is_multiple_of(2) { a } else { b };
    match kind {
        ObjectKind::Ball => pick("sphere", "round ball"),
        ObjectKind::Basketball => pick("basketball", "basket ball"),
        ObjectKind::Cube => pick("block", "box"),
        ObjectKind::RubberDuck => pick("toy duck", "bath duck"),
        ObjectKind::Avatar => pick("person", "figure"),
    }
}

fn style_words(style: Style) -> &'static str {
    match style {
        Style::FlatCartoon => "like a flat-shaded cartoon",
        Style::Photoreal => "looking like a real photograph",
        Style::PixelArt => "in blocky retro pixels",
        Style::LineSketch => "drawn in pencil on paper",
    }
}

fn setting_words(setting: Setting) -> &'static str {
    match setting {
        Setting::Gym => "on an indoor basketball court",
        Setting::Park => "outdoors on park grass",
        Setting::Studio => "against a plain backdrop",
        Setting::Poolside => "next to a swimming pool",
    }
}

fn count_words(n: usize) -> &'static str {
    ["no", "a single", "two", "three", "four", "five"].get(n).copied().unwrap_or("several")
}

/// What the main object does, in words the captions do not use.
fn action(clip: &Clip, truth: &Truth) -> &'static str {
    match truth.made {
        Some(true) => return "is shot and drops through the basket",
        Some(false) => return "is shot at the basket but does not go in",
        None => {}
    }
    let Some(main) = truth.main else { return "stays put" };
    let events: Vec<_> = clip.labels.events.iter().filter(|e| e.object == main).collect();
    if events.iter().any(|e| e.kind == EventKind::Splash) {
        return "falls into the water";
    }
    match events.iter().filter(|e| e.kind == EventKind::Impact && e.other == Part::Floor).count() {
        0 if events.iter().any(|e| e.other == Part::Ramp) => "goes down the slope",
        0 => "moves about",
        1 => "drops to the ground",
        _ => "keeps hopping off the ground",
    }
}

/// A prompt for `clip` worded unlike its captions: the main object first, then how many
/// moving things there are, the others, the place and the look.
pub fn paraphrase(clip: &Clip, truth: &Truth, variant: u64) -> String {
    let scene = &clip.scene;
    let main_words = format!("{} {}", truth.colour.name(), noun(truth.kind, variant));
    let others: Vec<String> = scene
        .objects
        .iter()
        .enumerate()
        .filter(|(i, o)| Some(*i) != truth.main && o.kind != ObjectKind::Avatar)
        .map(|(_, o)| format!("a {} {}", o.colour.name(), noun(o.kind, variant)))
        .collect();
    let company = if others.is_empty() { String::new() } else { format!(", next to {}", others.join(" plus ")) };
    let watcher = if scene.objects.iter().any(|o| o.kind == ObjectKind::Avatar) { " while someone looks on" } else { "" };
    let (action, place, look) = (action(clip, truth), setting_words(scene.setting), style_words(scene.style));
    let count = count_words(truth.count);
    match variant % 3 {
        0 => format!("Video of {count} moving object{}: a {main_words} that {action}{company}, {place}{watcher}, {look}", plural(truth.count)),
        1 => format!("Show me a {main_words} which {action} {place}{company}{watcher}; {count} moving object{} in all, {look}", plural(truth.count)),
        _ => format!("Clip {look}: {place}, a {main_words} {action}{company}{watcher} ({count} moving object{})", plural(truth.count)),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The second shot's prompt of a multi-shot case: the same object, a moment later.
pub fn follow_up(truth: &Truth, setting: Setting, variant: u64) -> String {
    format!(
        "Next shot: the same {} {} a moment later, still {}, {}",
        truth.colour.name(),
        noun(truth.kind, variant),
        setting_words(setting),
        style_words(truth.style)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn cases_are_fixed_and_their_prompts_are_never_a_caption() {
        let a = cases(8).expect("cases");
        let b = cases(8).expect("cases");
        assert_eq!(a.len(), 8);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.prompts, y.prompts);
            assert_eq!(x.real.scene, y.real.scene);
            for p in &x.prompts {
                assert!(!x.real.captions.iter().any(|c| c.trim_end_matches('.').eq_ignore_ascii_case(p.trim_end_matches('.'))), "{p}");
                assert!(p.contains(x.truth.colour.name()), "the prompt names the colour: {p}");
            }
            assert!(x.truth.main.is_some());
            assert_eq!(x.real.frames.len(), if x.kind == CaseKind::MultiShot { MULTI_SHOT_FRAMES } else { FRAMES });
        }
        assert_eq!(a[3].prompts.len(), 2);
        assert_eq!(a[1].kind, CaseKind::UnusualCombination);
        let (kind, colour) = (a[1].truth.kind, a[1].truth.colour);
        assert!(matches!((kind, colour), (ObjectKind::Basketball | ObjectKind::RubberDuck, _)));
        assert!(colour != Colour::Orange && colour != Colour::Yellow, "{colour:?}");
    }

    #[test]
    fn paraphrases_differ_from_every_caption_over_many_scenes() {
        for seed in 0..30 {
            let clip = crate::data::clip(EVAL_SEED + 10_000 + seed).expect("renders");
            let truth = Truth::of_clip(&clip);
            for variant in 0..3 {
                let p = paraphrase(&clip, &truth, variant);
                assert_eq!(p, paraphrase(&clip, &truth, variant), "deterministic");
                assert!(!clip.captions.contains(&p), "{p}");
                for caption in &clip.captions {
                    // No caption sentence is reused whole.
                    for sentence in caption.split(['.', ';', ':']).map(str::trim).filter(|s| s.len() > 12) {
                        assert!(!p.contains(sentence), "`{p}` reuses `{sentence}`");
                    }
                }
            }
        }
    }
}
