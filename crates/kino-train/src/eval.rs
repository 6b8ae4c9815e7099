//! `kino-train eval`: generates a fixed set of held-out prompts with a released model, scores
//! the clips against kino-world's ground truth, and does the same for the world's own renders
//! of the same scenes (the ceiling) and for those renders after a round trip through the
//! model's autoencoders (the ceiling of any generator over them: where this column falls short
//! of the world's, the autoencoders lose what the metric reads), and for those renders' latents
//! noised part of the way (`--denoise-from`, 0.7 by default) and denoised by the teacher under
//! the case's prompt (the first window): where this column falls short of the round trip, the
//! teacher erases what the noisy latents still hold, before it has to invent anything. Prints
//! one table and writes it as `eval.json`, with a contact sheet per case (`case-NN.png`, top to
//! bottom: generated, denoised, round trip, the world's).
//!
//! | metric | how |
//! |---|---|
//! | physics | the prompted object tracked by colour ([`track`]): moves within the speed bound (the 99th percentile of the prompted objects' true moves in the world's labels, x1.25, +1 px), airborne frames accelerating downward, rebounds near the lowest point of the track |
//! | prompt adherence | the judge (`kino-train judge`) reads the kinds and the colours on screen (as sets: right when exactly the true set), the count, style and shot outcome; right answers against the prompt. Its accuracy on the real renders is the ceiling column; a head right on fewer than [`JUDGE_TRUSTED`] of them is marked untrusted (and the all-heads row when the mean is below it) |
//! | A/V sync | audio onsets ([`sync`]) against the tracked rebounds' contacts (placed between frames: [`track::contact_time`]): median absolute offset and the share of rebounds with an onset within 250 ms |
//! | multi-shot | the tracked object's mean colour (RGB distance) and area (relative) in shot 1 against shot 2, and whether the judge reads the same set of colours in both |
//! | distribution | Fréchet distance between judge features of generated and real clips; the ceiling column compares the real clips with renders of other held-out scenes |

pub(crate) mod cases;
mod frechet;
mod sync;
mod track;

use std::path::PathBuf;

use anyhow::Context;
use burn::tensor::Device;
use indicatif::{ProgressBar, ProgressStyle};
use kino_model::pipeline::{Generated, Pipeline, Request};
use kino_world::{Clip, Frame};
use serde::Serialize;

use crate::judge::{self, HEADS, Truth, Verdicts};
use cases::{Case, CaseKind, FRAMES};

/// Judge accuracy on the real renders below which its verdicts do not count: per head for that
/// head's row, the mean over heads for the all-heads row.
pub const JUDGE_TRUSTED: f64 = 0.8;

#[derive(Debug, Clone, clap::Args)]
pub struct EvalArgs {
    /// The released model folder to generate with.
    #[arg(long, default_value = "models/kino-1-teacher")]
    pub model: PathBuf,
    /// Which suite: `standard` (kino-1's table: physics, the judge's adherence, sync,
    /// multi-shot, Fréchet) or `adherence` (kino-2: every kind x colour in canonical words and
    /// held-out paraphrases, colour and kind measured without a neural judge).
    #[arg(long, default_value = "standard", value_parser = ["standard", "adherence"])]
    pub suite: String,
    /// The judge: a `kino-train judge` checkpoint folder (the standard suite needs it; the
    /// adherence suite reads kinds with it instead of from silhouettes).
    #[arg(long)]
    pub judge: Option<PathBuf>,
    /// Where `eval.json` and the contact sheets go.
    #[arg(long, default_value = "target/eval")]
    pub out: PathBuf,
    /// Evaluation cases (prompts).
    #[arg(long, default_value_t = 24)]
    pub prompts: usize,
    /// Sampling steps (the model's default when not given).
    #[arg(long)]
    pub steps: Option<usize>,
    /// The sampler: euler, heun, ancestral (all noise fresh each step) or ddpm (part kept); the
    /// model's own when not given.
    #[arg(long)]
    pub sampler: Option<kino_model::flow::Sampler>,
    /// MiniLM folder (from `cargo xtask fetch-models`).
    #[arg(long)]
    pub text_model: Option<PathBuf>,
    /// Noise level (0 to 1) of the world's latents that the teacher denoises for the
    /// "denoised" column.
    #[arg(long, default_value_t = 0.7)]
    pub denoise_from: f64,
    /// Adherence suite: seeds per kind and colour.
    #[arg(long, default_value_t = 2)]
    pub seeds: usize,
    /// Adherence suite: only these styles (e.g. `flat_cartoon`), for a model trained on fewer.
    #[arg(long, value_delimiter = ',', value_parser = parse_style)]
    pub styles: Vec<kino_core::scene::Style>,
    /// Adherence suite: only these settings (e.g. `gym`).
    #[arg(long, value_delimiter = ',', value_parser = parse_setting)]
    pub settings: Vec<kino_core::scene::Setting>,
}

/// A style by its JSON name (`flat_cartoon`, `photoreal`, `pixel_art`, `line_sketch`).
fn parse_style(name: &str) -> Result<kino_core::scene::Style, String> {
    serde_json::from_value(serde_json::Value::String(name.into()))
        .map_err(|_| format!("`{name}` is no style: use flat_cartoon, photoreal, pixel_art or line_sketch"))
}

/// A setting by its JSON name (`gym`, `park`, `studio`, `poolside`).
fn parse_setting(name: &str) -> Result<kino_core::scene::Setting, String> {
    serde_json::from_value(serde_json::Value::String(name.into())).map_err(|_| format!("`{name}` is no setting: use gym, park, studio or poolside"))
}

/// A clip to score: RGB frames (64x64), 16 kHz sound.
struct Scored<'a> {
    frames: Vec<&'a [u8]>,
    audio: &'a [f32],
    fps: f64,
}

/// Everything measured on one clip.
#[derive(Debug, Clone, Default, Serialize)]
struct ClipScores {
    physics: track::Physics,
    /// Frames with a sighting of the prompted object, and frames.
    sighted: (usize, usize),
    /// Onset minus rebound, seconds, for matched rebounds.
    sync_offsets: Vec<f64>,
    /// Per head: whether the judge's answer is right (`None`: no label).
    judged: [Option<bool>; 5],
    /// Multi-shot: colour distance and relative area change between the shots, and whether
    /// the judge reads the same set of colours in both.
    shot_colour_change: Option<f64>,
    shot_size_change: Option<f64>,
    shot_colour_agrees: Option<bool>,
}

#[derive(Debug, Serialize)]
struct CaseReport {
    index: usize,
    kind: CaseKind,
    prompts: Vec<String>,
    truth: Truth,
    model: ClipScores,
    denoised: ClipScores,
    autoencoded: ClipScores,
    real_world: ClipScores,
}

#[derive(Debug, Serialize)]
struct Row {
    metric: String,
    model: Option<f64>,
    /// The world's latents noised to `--denoise-from` and denoised by the teacher.
    denoised: Option<f64>,
    /// The world's renders after the model's autoencoders.
    autoencoded: Option<f64>,
    real_world: Option<f64>,
    /// Which way is better.
    better: &'static str,
}

#[derive(Debug, Serialize)]
struct Report {
    model: String,
    judge: String,
    steps: Option<usize>,
    denoise_from: f64,
    speed_bound_px: f64,
    judge_accuracy_on_real: f64,
    judge_trusted: bool,
    /// Per head ([`HEADS`] order): its accuracy on the real renders, and whether it counts.
    judge_head_accuracy_on_real: [Option<f64>; 5],
    judge_heads_trusted: [bool; 5],
    table: Vec<Row>,
    cases: Vec<CaseReport>,
}

pub fn run(args: &EvalArgs) -> anyhow::Result<()> {
    if args.suite == "adherence" {
        return crate::adherence::suite::run(args);
    }
    let Some(judge_dir) = &args.judge else { anyhow::bail!("the standard suite needs --judge (models/kino-judge)") };
    anyhow::ensure!(
        args.denoise_from.is_finite() && args.denoise_from > 0.0 && args.denoise_from <= 1.0,
        "--denoise-from must be above 0 and at most 1, not {}",
        args.denoise_from
    );
    let device = Device::flex();
    let (judge_model, _) = judge::load(judge_dir, &device)?;
    let text_dir = args.text_model.clone().unwrap_or_else(kino_model::text::TextEncoder::default_dir);
    let pipeline = Pipeline::load(&args.model, &text_dir, &device).with_context(|| format!("loading the model in {}", args.model.display()))?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let cases = cases::cases(args.prompts).context("building the evaluation cases")?;

    let bar = ProgressBar::new(cases.len() as u64);
    bar.set_style(ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} [{elapsed_precise}<{eta_precise}] {msg}")?);
    bar.set_prefix("eval");
    let mut generated = Vec::with_capacity(cases.len());
    let mut round_trips = Vec::with_capacity(cases.len());
    let mut denoised = Vec::with_capacity(cases.len());
    for case in &cases {
        bar.set_message(case.prompts[0].chars().take(60).collect::<String>());
        let request = Request { steps: args.steps, sampler: args.sampler, ..Request::new(case.prompts[0].clone(), case.index as u64) };
        let clip =
            if case.prompts.len() > 1 { pipeline.multi_shot(&case.prompts, &request, &mut |_| ())? } else { pipeline.generate(&request, &mut |_| ())? };
        anyhow::ensure!(clip.width == 64 && clip.height == 64, "the judge reads 64x64 clips; {} makes {}x{}", args.model.display(), clip.width, clip.height);
        generated.push(clip);
        let frames: Vec<Vec<u8>> = case.real.frames.iter().map(|f| f.rgb.clone()).collect();
        let latents = pipeline.encode(&frames, &case.real.audio)?;
        round_trips.push(pipeline.decode_latents(&latents)?);
        denoised.push(pipeline.remix(&latents, args.denoise_from, &request, &mut |_| ())?);
        bar.inc(1);
    }
    bar.finish();

    let real: Vec<Scored> =
        cases.iter().map(|c| Scored { frames: c.real.frames.iter().map(|f| f.rgb.as_slice()).collect(), audio: &c.real.audio, fps: 12.0 }).collect();
    let made: Vec<Scored> = generated.iter().map(scored).collect();
    let autoencoded: Vec<Scored> = round_trips.iter().map(scored).collect();
    let denoised: Vec<Scored> = denoised.iter().map(scored).collect();

    // The speed bound, from how far the prompted objects truly move between frames in the
    // world's renders (their labelled boxes; the tracker's own moves include its mistakes).
    let real_moves: Vec<f64> = cases.iter().flat_map(true_moves).collect();
    let bound = track::quantile(&real_moves, 0.99).unwrap_or(8.0) * 1.25 + 1.0;

    // The judge on the first window of every clip, and on the last window of multi-shot ones.
    let read = |clips: &[Scored], last: bool| -> anyhow::Result<Verdicts> {
        let frames: Vec<Vec<&[u8]>> = clips.iter().map(|s| window(s, last)).collect();
        judge::judge(&judge_model, judge::judge_input(&frames, &device)?)
    };
    let (real_verdicts, made_verdicts) = (read(&real, false)?, read(&made, false)?);
    let (real_last, made_last) = (read(&real, true)?, read(&made, true)?);
    let (autoencoded_verdicts, autoencoded_last) = (read(&autoencoded, false)?, read(&autoencoded, true)?);
    let (denoised_verdicts, denoised_last) = (read(&denoised, false)?, read(&denoised, true)?);

    // A second set of real clips from other held-out scenes: the Fréchet distance's floor.
    let others: Vec<Clip> = (0..cases.len() as u64).map(|i| crate::data::clip(cases::EVAL_SEED + 900_000 + i)).collect::<anyhow::Result<_>>()?;
    let other_features = judge::judge(&judge_model, judge::clips_input(&others, &device)?)?.features;

    let mut reports = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let score = |s: &Scored, first: &Verdicts, last: &Verdicts| score_clip(case, s, bound, first.predicted[i], last.predicted[i]);
        reports.push(CaseReport {
            index: case.index,
            kind: case.kind,
            prompts: case.prompts.clone(),
            truth: case.truth,
            model: score(&made[i], &made_verdicts, &made_last),
            denoised: score(&denoised[i], &denoised_verdicts, &denoised_last),
            autoencoded: score(&autoencoded[i], &autoencoded_verdicts, &autoencoded_last),
            real_world: score(&real[i], &real_verdicts, &real_last),
        });
        write_sheet(&args.out.join(format!("case-{:02}.png", case.index)), &[&made[i], &denoised[i], &autoencoded[i], &real[i]])?;
    }

    let judge_accuracy = mean_accuracy(reports.iter().map(|r| &r.real_world));
    let trusted = judge_accuracy.is_some_and(|a| a >= JUDGE_TRUSTED);
    let head_accuracy: [Option<f64>; 5] = std::array::from_fn(|h| head_accuracy(reports.iter().map(|r| &r.real_world), h));
    let heads_trusted = head_accuracy.map(|a| a.is_some_and(|a| a >= JUDGE_TRUSTED));
    let mut table = summary(&reports, trusted, heads_trusted);
    table.push(Row {
        metric: "distribution: Fréchet distance in judge features (ceiling: other real scenes)".into(),
        model: frechet::frechet_distance(&made_verdicts.features, &real_verdicts.features),
        denoised: frechet::frechet_distance(&denoised_verdicts.features, &real_verdicts.features),
        autoencoded: frechet::frechet_distance(&autoencoded_verdicts.features, &real_verdicts.features),
        real_world: frechet::frechet_distance(&other_features, &real_verdicts.features),
        better: "lower",
    });
    print_table(&table);
    if !trusted {
        let untrusted: Vec<String> =
            (0..HEADS.len()).filter(|&h| !heads_trusted[h]).map(|h| format!("{} {:.0}%", HEADS[h], head_accuracy[h].unwrap_or(0.0) * 100.0)).collect();
        eprintln!(
            "warning: the judge is right on {:.0}% of the real renders (below {:.0}%): its verdicts on {} do not count; train it longer with `kino-train judge`",
            judge_accuracy.unwrap_or(0.0) * 100.0,
            JUDGE_TRUSTED * 100.0,
            untrusted.join(", ")
        );
    }
    let report = Report {
        model: args.model.display().to_string(),
        judge: judge_dir.display().to_string(),
        steps: args.steps,
        denoise_from: args.denoise_from,
        speed_bound_px: bound,
        judge_accuracy_on_real: judge_accuracy.unwrap_or(0.0),
        judge_trusted: trusted,
        judge_head_accuracy_on_real: head_accuracy,
        judge_heads_trusted: heads_trusted,
        table,
        cases: reports,
    };
    let path = args.out.join("eval.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&report)?).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {} and {} contact sheets", path.display(), cases.len());
    Ok(())
}

fn scored(g: &Generated) -> Scored<'_> {
    Scored { frames: g.frames.iter().map(Vec::as_slice).collect(), audio: &g.audio, fps: f64::from(g.fps) }
}

/// The first (or last) model window of `clip`'s frames.
fn window<'a>(clip: &Scored<'a>, last: bool) -> Vec<&'a [u8]> {
    let start = if last { clip.frames.len().saturating_sub(FRAMES) } else { 0 };
    clip.frames[start..(start + FRAMES).min(clip.frames.len())].to_vec()
}

/// Frame-to-frame moves (pixels) of the centre of the case's main object's labelled box, where
/// it is visible in both frames.
fn true_moves(case: &Case) -> Vec<f64> {
    let Some(main) = case.truth.main else { return Vec::new() };
    let centres: Vec<Option<(f64, f64)>> = case
        .real
        .labels
        .frames
        .iter()
        .map(|f| {
            f.objects.iter().find(|b| b.object == main && b.visible).map(|b| (f64::from(b.bbox[0] + b.bbox[2]) / 2.0, f64::from(b.bbox[1] + b.bbox[3]) / 2.0))
        })
        .collect();
    centres
        .windows(2)
        .filter_map(|w| match (w[0], w[1]) {
            (Some(a), Some(b)) => Some(((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt()),
            _ => None,
        })
        .collect()
}

/// The track of the case's prompted object in `clip`.
fn tracked(case: &Case, clip: &Scored) -> Vec<Option<track::Sighting>> {
    track::track(&clip.frames, 64, 64, track::drawn_colour(case.truth.colour, case.truth.style))
}

fn score_clip(case: &Case, clip: &Scored, bound: f64, first: [usize; 5], last: [usize; 5]) -> ClipScores {
    let sightings = tracked(case, clip);
    let physics = track::physics(&sightings, bound);
    let contacts: Vec<f64> = physics.contacts.iter().map(|&f| f / clip.fps).collect();
    let onsets = sync::onsets(clip.audio, kino_world::SAMPLE_RATE);
    let labels = case.truth.labels();
    let mut scores = ClipScores {
        sighted: (sightings.iter().flatten().count(), sightings.len()),
        sync_offsets: sync::offsets(&contacts, &onsets),
        judged: std::array::from_fn(|h| labels[h].map(|l| first[h] == l)),
        physics,
        ..ClipScores::default()
    };
    // The denoised column holds the first window alone: no second shot to compare.
    if case.kind == CaseKind::MultiShot && clip.frames.len() > FRAMES {
        let split = FRAMES.min(sightings.len());
        let (a, b) = (shot_stats(&sightings[..split]), shot_stats(&sightings[split..]));
        if let (Some((ca, aa)), Some((cb, ab))) = (a, b) {
            scores.shot_colour_change = Some((0..3).map(|c| (ca[c] - cb[c]).powi(2)).sum::<f64>().sqrt());
            scores.shot_size_change = Some((aa - ab).abs() / aa.max(ab).max(1e-9));
        }
        scores.shot_colour_agrees = Some(first[1] == last[1]);
    }
    scores
}

/// Mean colour and mean area of the sightings of one shot.
fn shot_stats(sightings: &[Option<track::Sighting>]) -> Option<([f64; 3], f64)> {
    let seen: Vec<&track::Sighting> = sightings.iter().flatten().collect();
    if seen.is_empty() {
        return None;
    }
    let k = seen.len() as f64;
    let colour = [0, 1, 2].map(|c| seen.iter().map(|s| s.rgb[c]).sum::<f64>() / k);
    Some((colour, seen.iter().map(|s| s.area as f64).sum::<f64>() / k))
}

/// Share of right answers over all heads and clips.
fn mean_accuracy<'a>(scores: impl Iterator<Item = &'a ClipScores>) -> Option<f64> {
    let (right, n) = scores.flat_map(|s| s.judged.iter().flatten()).fold((0usize, 0usize), |(r, n), &ok| (r + usize::from(ok), n + 1));
    (n > 0).then(|| right as f64 / n as f64)
}

/// Share of right answers of head `h` over the clips it has a label for.
fn head_accuracy<'a>(scores: impl Iterator<Item = &'a ClipScores>, h: usize) -> Option<f64> {
    ratio(scores.filter_map(|s| s.judged[h]).map(|ok| (usize::from(ok), 1)))
}

fn ratio(pairs: impl Iterator<Item = (usize, usize)>) -> Option<f64> {
    let (a, b) = pairs.fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
    (b > 0).then(|| a as f64 / b as f64)
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let v: Vec<f64> = values.collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The table rows (all but the distribution distance), model and real world side by side.
fn summary(reports: &[CaseReport], trusted: bool, heads_trusted: [bool; 5]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut row = |metric: String, better: &'static str, f: &dyn Fn(&[&ClipScores]) -> Option<f64>| {
        let column = |pick: fn(&CaseReport) -> &ClipScores| f(&reports.iter().map(pick).collect::<Vec<_>>());
        rows.push(Row {
            metric,
            model: column(|r| &r.model),
            denoised: column(|r| &r.denoised),
            autoencoded: column(|r| &r.autoencoded),
            real_world: column(|r| &r.real_world),
            better,
        });
    };
    row("tracking: frames where the prompted object is found".into(), "higher", &|s| ratio(s.iter().map(|c| c.sighted)));
    row("physics: moves within the speed bound".into(), "higher", &|s| ratio(s.iter().map(|c| c.physics.jumps)));
    row("physics: airborne frames accelerating downward".into(), "higher", &|s| ratio(s.iter().map(|c| c.physics.falling)));
    row("physics: rebounds near the floor".into(), "higher", &|s| ratio(s.iter().map(|c| c.physics.rebounds)));
    let note = |trusted: bool| if trusted { "" } else { " (judge untrusted)" };
    for (h, name) in HEADS.iter().enumerate() {
        row(format!("prompt adherence: {name}{}", note(heads_trusted[h])), "higher", &|s| head_accuracy(s.iter().copied(), h));
    }
    row(format!("prompt adherence: all heads{}", note(trusted)), "higher", &|s| mean_accuracy(s.iter().copied()));
    row("A/V sync: median |onset - rebound| (ms)".into(), "lower", &|s| {
        let all: Vec<f64> = s.iter().flat_map(|c| c.sync_offsets.iter().map(|o| o.abs() * 1000.0)).collect();
        sync::median(&all)
    });
    row("A/V sync: rebounds with an onset within 250 ms".into(), "higher", &|s| ratio(s.iter().map(|c| (c.sync_offsets.len(), c.physics.contacts.len()))));
    row("multi-shot: colour change across shots (RGB distance)".into(), "lower", &|s| mean(s.iter().filter_map(|c| c.shot_colour_change)));
    row("multi-shot: size change across shots (relative)".into(), "lower", &|s| mean(s.iter().filter_map(|c| c.shot_size_change)));
    row(format!("multi-shot: judge reads the same colours in both shots{}", note(heads_trusted[1])), "higher", &|s| {
        ratio(s.iter().filter_map(|c| c.shot_colour_agrees).map(|ok| (usize::from(ok), 1)))
    });
    rows
}

fn print_table(rows: &[Row]) {
    let width = rows.iter().map(|r| r.metric.chars().count()).max().unwrap_or(6).max(6);
    let cell = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"));
    println!("| {:width$} | {:>10} | {:>10} | {:>11} | {:>10} |", "metric", "model", "denoised", "autoencoded", "real world");
    println!("|{}|{}|{}|{}|{}|", "-".repeat(width + 2), "-".repeat(12), "-".repeat(12), "-".repeat(13), "-".repeat(12));
    for r in rows {
        println!("| {:width$} | {:>10} | {:>10} | {:>11} | {:>10} |", r.metric, cell(r.model), cell(r.denoised), cell(r.autoencoded), cell(r.real_world));
    }
}

/// Every other frame of each clip, one row (or more, for long clips) per clip, in order.
fn write_sheet(path: &std::path::Path, clips: &[&Scored]) -> anyhow::Result<()> {
    let to_frames = |s: &Scored| -> Vec<Frame> { s.frames.iter().step_by(2).map(|f| Frame { width: 64, height: 64, rgb: f.to_vec() }).collect() };
    let rows: Vec<Vec<Frame>> = clips.iter().map(|s| to_frames(s)).collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let mut all = Vec::new();
    for mut row in rows {
        row.resize(cols, Frame { width: 64, height: 64, rgb: vec![40; 64 * 64 * 3] });
        all.extend(row);
    }
    let sheet = kino_world::output::contact_sheet(&all, cols);
    std::fs::write(path, kino_world::output::png_bytes(&sheet, path)?).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_noise_level_outside_0_to_1_is_refused_before_anything_loads() {
        for bad in [0.0, -0.5, 1.5, f64::NAN] {
            let args = EvalArgs {
                model: PathBuf::from("no-such-model"),
                suite: "standard".into(),
                judge: Some(PathBuf::from("no-such-judge")),
                out: std::env::temp_dir().join("kino-eval-refused"),
                prompts: 1,
                steps: None,
                sampler: None,
                text_model: None,
                denoise_from: bad,
                seeds: 2,
                styles: vec![],
                settings: vec![],
            };
            let message = run(&args).expect_err("refused").to_string();
            assert!(message.contains("--denoise-from"), "{bad}: {message}");
        }
        assert!(!std::env::temp_dir().join("kino-eval-refused").exists(), "nothing written");
    }
}
