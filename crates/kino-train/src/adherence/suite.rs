//! `kino-train eval --suite adherence`: every kind x colour of the world, over `--seeds` seeds,
//! each asked in the canonical words ("A red ball in a gym, in a flat cartoon style.") and in a
//! held-out paraphrase ("Footage of a crimson sphere inside an indoor court, as a cel-shaded
//! animation."), the setting and style cycling over the cases. For each: whether the prompt
//! reader found the asked slots, and which colour the generated clip's main object has
//! ([`super::colour`]), beside the world's own render of the same request (the ceiling).
//!
//! Also which kind the clip shows: read from the main object's silhouette ([`super::shape`]),
//! or with `--judge` by that neural judge (`kino-train judge --augment`: trained on blurred and
//! noisy renders too). The kind column counts only when the reader reads the world's renders of
//! the cases right at least [`KIND_JUDGE_TRUSTED`] of the time as rendered, blurred and noisy
//! ([`crate::judge::degrade`]); otherwise the table says it is not trusted.
//!
//! Prints a table and writes `adherence.json` and one contact sheet per kind (each case's
//! canonical clip, paraphrased clip and world render).

use anyhow::Context;
use burn::tensor::Device;
use indicatif::{ProgressBar, ProgressStyle};
use kino_core::scene::{Colour, ObjectKind, Setting, Style};
use kino_core::slots::{ClipSlots, ObjectSlot};
use kino_model::pipeline::{Pipeline, Request};
use kino_world::Frame;
use kino_world::rng::Rng;
use serde::Serialize;

use super::colour::{Palette, calibration_clips, lone_world, read_colour};
use super::shape::{Silhouettes, read_kind};
use crate::eval::EvalArgs;
use crate::judge::degrade::{Degradation, degrade_frames};
use crate::judge::{self, Judge};
use crate::prompts::{self, Mention};

/// The kinds the suite asks for (characters are the cameo issue's).
pub const KINDS: [ObjectKind; 4] = [ObjectKind::Ball, ObjectKind::Basketball, ObjectKind::Cube, ObjectKind::RubberDuck];

/// The share of the cases' real renders (as rendered, blurred and noisy, each) whose kind the
/// kind reader (the silhouette reader or a judge) must read right for its kind column to count.
pub const KIND_JUDGE_TRUSTED: f64 = 0.97;

/// First seed of the suite's world renders, far from training, held-out and calibration seeds.
pub const SUITE_SEED: u64 = 3_500_000_000;

/// One request of the suite.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub kind: ObjectKind,
    pub colour: Colour,
    pub setting: Setting,
    pub style: Style,
    pub seed: u64,
    pub canonical: String,
    pub paraphrase: String,
}

impl Case {
    /// The slots the case asks for.
    pub fn slots(&self) -> ClipSlots {
        ClipSlots { objects: vec![ObjectSlot::new(self.kind, self.colour)], setting: Some(self.setting), style: Some(self.style), ..ClipSlots::default() }
    }
}

/// Every kind x colour, `seeds` times, settings and styles cycling (filtered to `styles` and
/// `settings` when given, for a model trained on fewer).
pub fn cases(seeds: usize, styles: &[Style], settings: &[Setting]) -> Vec<Case> {
    let styles = if styles.is_empty() { Style::ALL.to_vec() } else { styles.to_vec() };
    let settings = if settings.is_empty() { Setting::ALL.to_vec() } else { settings.to_vec() };
    let mut rng = Rng::new(SUITE_SEED);
    let mut out = Vec::new();
    for k in 0..seeds {
        for (i, kind) in KINDS.iter().enumerate() {
            for (j, colour) in Colour::ALL.iter().enumerate() {
                let n = out.len();
                let style = styles[(n + k) % styles.len()];
                let setting = settings[(i + j + 2 * k) % settings.len()];
                let seed = SUITE_SEED + n as u64;
                let mut case = Case { kind: *kind, colour: *colour, setting, style, seed, canonical: String::new(), paraphrase: String::new() };
                let article = prompts::article(colour.name());
                case.canonical =
                    format!("{}{} {} {} {}, {}.", article[..1].to_uppercase(), &article[1..], colour.name(), kind.noun(), setting.phrase(), style.phrase());
                case.paraphrase = prompts::write(&case.slots(), &prompts::HELD_OUT, Mention { detail: 1.0, vague: 0.0 }, &mut rng).0;
                out.push(case);
            }
        }
    }
    out
}

/// The world's render of a case: a lone object of its kind and colour, in its setting and
/// style, framed on itself.
pub fn world_render(case: &Case) -> anyhow::Result<kino_world::Clip> {
    crate::data::clip_from(case.seed, &lone_world(Some(case.kind), case.colour, case.style, Some(case.setting)))
}

/// What the suite found for one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub case: Case,
    /// Whether the reader found exactly the asked kind, colour, setting and style.
    pub canonical_read: bool,
    pub paraphrase_read: bool,
    /// The colour measured in each clip (`None`: no object found).
    pub canonical_colour: Option<Colour>,
    pub paraphrase_colour: Option<Colour>,
    pub world_colour: Option<Colour>,
    /// The kind read in each clip (`None`: none found, or the judge named not exactly one), the
    /// world's render read as rendered, blurred and noisy.
    pub canonical_kind: Option<ObjectKind>,
    pub paraphrase_kind: Option<ObjectKind>,
    pub world_kinds: [Option<ObjectKind>; 3],
}

/// One row of the table: a share per column.
#[derive(Debug, Clone, Serialize)]
pub struct SuiteRow {
    pub metric: String,
    pub canonical: Option<f64>,
    pub paraphrase: Option<f64>,
    pub world: Option<f64>,
}

#[derive(Debug, Serialize)]
struct SuiteReport {
    model: String,
    seeds: usize,
    /// Whether the kind rows count (see [`KIND_JUDGE_TRUSTED`]); `None` when nothing was read.
    kind_judge_trusted: Option<bool>,
    table: Vec<SuiteRow>,
    cases: Vec<CaseResult>,
}

/// Whether `read` names the case's kind, colour, setting and style (one object).
fn read_right(read: &ClipSlots, case: &Case) -> bool {
    read.objects.len() == 1
        && read.objects[0].kind == Some(case.kind)
        && read.objects[0].colour == Some(case.colour)
        && read.setting == Some(case.setting)
        && read.style == Some(case.style)
}

pub fn run(args: &EvalArgs) -> anyhow::Result<()> {
    anyhow::ensure!((1..=20).contains(&args.seeds), "--seeds must be 1 to 20, not {}", args.seeds);
    let device = Device::flex();
    let text_dir = args.text_model.clone().unwrap_or_else(kino_model::text::TextEncoder::default_dir);
    let pipeline = Pipeline::load(&args.model, &text_dir, &device).with_context(|| format!("loading the model in {}", args.model.display()))?;
    anyhow::ensure!(
        pipeline.understand("a red ball")?.is_some(),
        "{} is a kino-1 model: the adherence suite asks kino-2's reader what it understood",
        args.model.display()
    );
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let palette = Palette::measure(&calibration_clips());
    let kind_judge = args
        .judge
        .as_ref()
        .map(|dir| judge::load(dir, &device).map(|(j, _)| j).with_context(|| format!("loading the judge in {}", dir.display())))
        .transpose()?;
    let silhouettes = match kind_judge {
        Some(_) => None,
        None => Some(Silhouettes::measure(&palette, &args.styles)?),
    };
    // `colour`: the colour measured in `frames`, which the silhouette reader starts from.
    let kind_of = |frames: &[&[u8]], style: Style, colour: Option<Colour>| -> anyhow::Result<Option<ObjectKind>> {
        match (&kind_judge, &silhouettes) {
            (Some(j), _) => judged_kind(j, frames, &device),
            (None, Some(s)) => Ok(read_kind(frames, 64, 64, style, colour, &palette, s).kind),
            (None, None) => Ok(None),
        }
    };
    let cases = cases(args.seeds, &args.styles, &args.settings);
    let bar = ProgressBar::new(cases.len() as u64);
    bar.set_style(ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} [{elapsed_precise}<{eta_precise}] {msg}")?);
    bar.set_prefix("adherence");
    let mut results = Vec::with_capacity(cases.len());
    let mut sheets: Vec<Vec<Frame>> = vec![Vec::new(); KINDS.len()];
    for case in &cases {
        let world = world_render(case)?;
        let world_frames: Vec<&[u8]> = world.frames.iter().map(|f| f.rgb.as_slice()).collect();
        let world_colour = read_colour(&world_frames, 64, 64, case.style, &palette).colour;
        let mut world_kinds = [kind_of(&world_frames, case.style, world_colour)?, None, None];
        for (k, how) in Degradation::ALL.into_iter().enumerate() {
            let mut rng = Rng::stream(case.seed, "adherence-degrade");
            let degraded = degrade_frames(&world.frames, how, &mut rng);
            let degraded: Vec<&[u8]> = degraded.iter().map(Vec::as_slice).collect();
            // Only the silhouette reader needs the degraded clip's colour.
            let degraded_colour = silhouettes.as_ref().and_then(|_| read_colour(&degraded, 64, 64, case.style, &palette).colour);
            world_kinds[k + 1] = kind_of(&degraded, case.style, degraded_colour)?;
        }
        let mut read = [false; 2];
        let mut colour = [None; 2];
        let mut kind = [None; 2];
        let mut rows = Vec::new();
        for (w, prompt) in [&case.canonical, &case.paraphrase].into_iter().enumerate() {
            read[w] = pipeline.understand(prompt).ok().flatten().is_some_and(|s| read_right(&s, case));
            let request = Request { steps: args.steps, sampler: args.sampler, ..Request::new(prompt.clone(), case.seed) };
            let made = match pipeline.generate(&request, &mut |_| ()) {
                Ok(made) => made,
                // A prompt the reader found nothing in makes no clip: its colour is not there.
                Err(kino_model::pipeline::PipelineError::NotUnderstood(_)) => {
                    rows.push(vec![Frame { width: 64, height: 64, rgb: vec![40; 64 * 64 * 3] }; 12]);
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let frames: Vec<&[u8]> = made.frames.iter().map(Vec::as_slice).collect();
            colour[w] = read_colour(&frames, made.width, made.height, case.style, &palette).colour;
            kind[w] = kind_of(&frames, case.style, colour[w])?;
            rows.push(made.frames.iter().step_by(2).map(|rgb| Frame { width: made.width as u32, height: made.height as u32, rgb: rgb.clone() }).collect());
        }
        rows.push(world.frames.iter().step_by(2).cloned().collect());
        let k = KINDS.iter().position(|x| *x == case.kind).unwrap_or(0);
        sheets[k].extend(rows.into_iter().flatten());
        results.push(CaseResult {
            case: case.clone(),
            canonical_read: read[0],
            paraphrase_read: read[1],
            canonical_colour: colour[0],
            paraphrase_colour: colour[1],
            world_colour,
            canonical_kind: kind[0],
            paraphrase_kind: kind[1],
            world_kinds,
        });
        bar.inc(1);
    }
    bar.finish();
    let table = table(&results);
    print_table(&table);
    // The worst share of the real renders the kind reader reads right, and whether that is enough.
    let trust = results.iter().any(|r| r.world_kinds.iter().any(Option::is_some)).then(|| kind_judge_trust(&results));
    let kind_judge_trusted = trust.map(|t| t >= KIND_JUDGE_TRUSTED);
    match trust {
        Some(t) if t >= KIND_JUDGE_TRUSTED => println!("kind reader trusted: it reads {t:.3} of the real renders right at worst (as rendered, blurred, noisy)"),
        Some(t) => {
            println!(
                "kind reader NOT trusted: it reads only {t:.3} of the real renders right at worst (needs {KIND_JUDGE_TRUSTED}); the kind row does not count"
            )
        }
        None => println!("kind: not measured"),
    }
    for (kind, frames) in KINDS.iter().zip(&sheets) {
        let path = args.out.join(format!("adherence-{}.png", kind.noun().replace(' ', "-")));
        let sheet = kino_world::output::contact_sheet(frames, 12);
        std::fs::write(&path, kino_world::output::png_bytes(&sheet, &path)?).with_context(|| format!("writing {}", path.display()))?;
    }
    let report = SuiteReport { model: args.model.display().to_string(), seeds: args.seeds, kind_judge_trusted, table, cases: results };
    let path = args.out.join("adherence.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&report)?).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {} and the contact sheets in {}", path.display(), args.out.display());
    Ok(())
}

/// The one kind `judge` names in a clip's frames (`None` when it names none or several).
fn judged_kind(judge: &Judge, frames: &[&[u8]], device: &Device) -> anyhow::Result<Option<ObjectKind>> {
    let verdicts = judge::judge(judge, judge::judge_input(&[frames.to_vec()], device)?)?;
    let set = verdicts.predicted[0][0];
    Ok((set.count_ones() == 1).then(|| ObjectKind::ALL[set.trailing_zeros() as usize]))
}

/// The lowest share of the real renders whose kind is read right: as rendered, blurred
/// or noisy.
pub fn kind_judge_trust(results: &[CaseResult]) -> f64 {
    (0..3).map(|k| results.iter().filter(|r| r.world_kinds[k] == Some(r.case.kind)).count() as f64 / results.len().max(1) as f64).fold(1.0, f64::min)
}

/// The suite's rows from its results.
pub fn table(results: &[CaseResult]) -> Vec<SuiteRow> {
    let share = |f: &dyn Fn(&CaseResult) -> bool| Some(results.iter().filter(|r| f(r)).count() as f64 / results.len().max(1) as f64);
    let judged = results.iter().any(|r| r.world_kinds[0].is_some());
    let mut rows = vec![
        SuiteRow { metric: "reader: slots read right".into(), canonical: share(&|r| r.canonical_read), paraphrase: share(&|r| r.paraphrase_read), world: None },
        SuiteRow {
            metric: "main object colour right".into(),
            canonical: share(&|r| r.canonical_colour == Some(r.case.colour)),
            paraphrase: share(&|r| r.paraphrase_colour == Some(r.case.colour)),
            world: share(&|r| r.world_colour == Some(r.case.colour)),
        },
    ];
    if judged {
        rows.push(SuiteRow {
            metric: "main object kind right".into(),
            canonical: share(&|r| r.canonical_kind == Some(r.case.kind)),
            paraphrase: share(&|r| r.paraphrase_kind == Some(r.case.kind)),
            world: share(&|r| r.world_kinds[0] == Some(r.case.kind)),
        });
        for (k, how) in ["blurred", "noisy"].into_iter().enumerate() {
            rows.push(SuiteRow {
                metric: format!("  kind read on real renders, {how}"),
                canonical: None,
                paraphrase: None,
                world: share(&|r| r.world_kinds[k + 1] == Some(r.case.kind)),
            });
        }
    }
    for style in Style::ALL {
        let of: Vec<&CaseResult> = results.iter().filter(|r| r.case.style == style).collect();
        if of.is_empty() {
            continue;
        }
        let share = |f: &dyn Fn(&CaseResult) -> bool| Some(of.iter().filter(|r| f(r)).count() as f64 / of.len() as f64);
        rows.push(SuiteRow {
            metric: format!("  colour right, {}", style_name(style)),
            canonical: share(&|r| r.canonical_colour == Some(r.case.colour)),
            paraphrase: share(&|r| r.paraphrase_colour == Some(r.case.colour)),
            world: share(&|r| r.world_colour == Some(r.case.colour)),
        });
    }
    rows
}

fn style_name(style: Style) -> &'static str {
    match style {
        Style::FlatCartoon => "flat cartoon",
        Style::Photoreal => "photoreal",
        Style::PixelArt => "pixel art",
        Style::LineSketch => "line sketch",
    }
}

fn print_table(rows: &[SuiteRow]) {
    let cell = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.3}"));
    let width = rows.iter().map(|r| r.metric.len()).max().unwrap_or(6).max(6);
    println!("| {:width$} | canonical | paraphrase | real world |", "metric");
    println!("|{}|-----------|------------|------------|", "-".repeat(width + 2));
    for r in rows {
        println!("| {:width$} | {:>9} | {:>10} | {:>10} |", r.metric, cell(r.canonical), cell(r.paraphrase), cell(r.world));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_cover_every_kind_and_colour_in_both_wordings() {
        let all = cases(2, &[], &[]);
        assert_eq!(all.len(), 2 * KINDS.len() * Colour::ALL.len());
        for kind in KINDS {
            for colour in Colour::ALL {
                assert_eq!(all.iter().filter(|c| c.kind == kind && c.colour == colour).count(), 2);
            }
        }
        for style in Style::ALL {
            assert!(all.iter().filter(|c| c.style == style).count() >= 20, "{style:?}");
        }
        for case in &all {
            assert!(case.canonical.contains(case.colour.name()) && case.canonical.contains(case.kind.noun()), "{}", case.canonical);
            let words: Vec<String> = case.paraphrase.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase).collect();
            assert!(!words.iter().any(|w| w == case.colour.name()), "{}", case.paraphrase);
        }
        let one = cases(1, &[Style::PixelArt], &[Setting::Park]);
        assert!(one.iter().all(|c| c.style == Style::PixelArt && c.setting == Setting::Park));
    }
}
