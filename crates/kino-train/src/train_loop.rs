//! The loop every model shares: batches from the clip stream, a loss, AdamW, a progress bar
//! with the loss and clips/s, a loss log, held-out evaluation and checkpoints with resume.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use burn::module::Module;
use burn::optim::{AdamWConfig, GradientsParams};
use burn::tensor::{Device, Tensor};
use indicatif::{ProgressBar, ProgressStyle};
use kino_world::Clip;

use crate::checkpoint::{Checkpoint, RunState};
use crate::data::ClipStream;
use crate::ema::Ema;

/// Options every training command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct TrainArgs {
    /// Checkpoint folder (created; resumed from when it holds a checkpoint).
    #[arg(long, env = "KINO_TRAIN_OUT")]
    pub out: PathBuf,
    /// Train until this many optimiser steps in total (a resumed run counts its earlier steps);
    /// 1000 unless given, and no limit for a `--minutes` run unless given.
    #[arg(long)]
    pub steps: Option<usize>,
    /// Clips per step.
    #[arg(long, default_value_t = 4)]
    pub batch: usize,
    /// Peak learning rate (AdamW), reached after a linear warm-up.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// Warm-up steps.
    #[arg(long, default_value_t = 50)]
    pub warmup: usize,
    /// Learning rate at the last step: after the warm-up the rate falls along a cosine from
    /// `--lr` to this (without it the rate stays at `--lr`). Annealing leaves weights that
    /// sample more cleanly than the last noisy steps of a constant rate.
    #[arg(long)]
    pub final_lr: Option<f64>,
    /// Train for this many minutes of wall time in this run instead of to a step count (which
    /// still caps it): the cosine to `--final-lr` then runs over the time, so a run on a machine
    /// lent for a fixed time ends annealed whatever its speed turns out to be.
    #[arg(long, value_parser = positive_minutes)]
    pub minutes: Option<f64>,
    /// Save a checkpoint every this many steps (and at the end).
    #[arg(long, default_value_t = 100)]
    pub save_every: usize,
    /// Evaluate on held-out clips every this many steps (0: only at the end).
    #[arg(long, default_value_t = 0)]
    pub eval_every: usize,
    /// Held-out clips per evaluation.
    #[arg(long, default_value_t = 8)]
    pub eval_clips: usize,
    /// Start afresh even if `--out` holds a checkpoint (it is overwritten).
    #[arg(long)]
    pub fresh: bool,
    /// A released model folder (`kino-train export`) whose weights a new run starts from
    /// instead of random ones (its optimiser state starts afresh; parameters the release lacks,
    /// because the model has grown since, keep their initial values).
    #[arg(long)]
    pub init: Option<PathBuf>,
    /// Where the model trains: `flex` (CPU), `cuda` or `wgpu` (built with that feature).
    #[arg(long, default_value = "flex")]
    pub device: String,
    /// Seed of a new run's first training clip: a run that continues released weights
    /// (`--init`) can start where their training stopped instead of seeing the same clips again.
    #[arg(long, default_value_t = 0)]
    pub first_seed: u64,
    /// A JSON file of kino-world sampling weights for the training clips (fields of
    /// `kino_world::sample::Distribution`, missing ones take the task's world's), e.g. fewer
    /// objects for a curriculum. kino-1's held-out clips always come from the legacy world,
    /// kino-2's from this distribution.
    #[arg(long)]
    pub distribution: Option<PathBuf>,
    /// Keep a moving average of the weights with this decay per step (e.g. 0.998: about the
    /// last 500 steps), saved with each checkpoint, evaluated beside the weights and packaged
    /// by `kino-train export --ema`.
    #[arg(long, value_parser = decay)]
    pub ema: Option<f64>,
    /// Threads rendering training clips ahead of the model.
    #[arg(long, default_value_t = 1)]
    pub render_threads: usize,
    /// Train on the held-out clips themselves, over and over, instead of on fresh ones: a
    /// capacity check (how well can this model fit `--eval-clips` clips at all?), which the
    /// held-out metrics then measure. Never a way to train weights for release.
    #[arg(long)]
    pub overfit: bool,
}

/// Steps of a run given neither `--steps` nor `--minutes`.
pub const DEFAULT_STEPS: usize = 1000;

/// `--minutes`: a finite number above 0, refused before anything is loaded or written.
fn positive_minutes(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(m) if m.is_finite() && m > 0.0 => Ok(m),
        _ => Err(format!("`{text}` is not a number of minutes above 0")),
    }
}

/// `--ema`: a decay between 0 and 1.
fn decay(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(d) if d > 0.0 && d < 1.0 => Ok(d),
        _ => Err(format!("`{text}` is not a decay between 0 and 1 (e.g. 0.998)")),
    }
}

impl TrainArgs {
    /// The (non-autodiff) device `--device` names.
    pub fn device(&self) -> anyhow::Result<Device> {
        match self.device.as_str() {
            "flex" => Ok(Device::flex()),
            #[cfg(feature = "cuda")]
            "cuda" => Ok(Device::cuda(0)),
            #[cfg(feature = "wgpu")]
            "wgpu" => Ok(Device::wgpu(burn::tensor::DeviceKind::DefaultDevice)),
            #[cfg(not(feature = "cuda"))]
            "cuda" => anyhow::bail!("this kino-train was built without `--features cuda`"),
            #[cfg(not(feature = "wgpu"))]
            "wgpu" => anyhow::bail!("this kino-train was built without `--features wgpu`"),
            other => anyhow::bail!("unknown device `{other}`: use flex, cuda or wgpu"),
        }
    }

    /// The learning rate of optimiser step `step` (counting from 0): a linear warm-up to `lr`,
    /// then constant, or a cosine down to `final_lr` at step `steps`.
    pub fn learning_rate(&self, step: usize) -> f64 {
        let warmup = self.warmup.max(1);
        let steps = self.steps.unwrap_or(DEFAULT_STEPS);
        let progress = step.saturating_sub(warmup) as f64 / steps.saturating_sub(warmup).max(1) as f64;
        self.rate_at(step, progress)
    }

    /// The learning rate of step `step` when `seconds` of a `--minutes` run have passed: the
    /// same warm-up, then the cosine over the run's time instead of its steps.
    pub fn timed_learning_rate(&self, step: usize, seconds: f64) -> f64 {
        match self.minutes {
            Some(minutes) => self.rate_at(step, seconds / (minutes * 60.0).max(1e-9)),
            None => self.learning_rate(step),
        }
    }

    /// The warm-up by `step`, then the cosine at `progress` (0 to 1) of the decay.
    fn rate_at(&self, step: usize, progress: f64) -> f64 {
        let warmup = self.warmup.max(1);
        if step < warmup {
            return self.lr * (step + 1) as f64 / warmup as f64;
        }
        let Some(last) = self.final_lr else { return self.lr };
        let progress = progress.clamp(0.0, 1.0);
        last + (self.lr - last) * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos())
    }

    /// The step count that ends the run: `--steps`, else [`DEFAULT_STEPS`] unless the run is
    /// timed (a `--minutes` run that stopped at a default step count, an hour early, lost a
    /// lent machine's time).
    pub fn step_cap(&self) -> Option<usize> {
        self.steps.or(self.minutes.is_none().then_some(DEFAULT_STEPS))
    }

    /// Whether this run is over after `step` steps and `seconds` of it.
    fn done(&self, step: usize, seconds: f64) -> bool {
        self.step_cap().is_some_and(|cap| step >= cap) || self.minutes.is_some_and(|m| seconds >= m * 60.0)
    }
}

/// What a model brings to the loop.
pub trait Task {
    /// What the checkpoint records of the task's settings; a run resumes only with the same.
    type Config: serde::Serialize + serde::de::DeserializeOwned + PartialEq;
    type Model: Module + Clone;
    /// Name in checkpoints (`vae`, `audio`, `teacher`).
    const NAME: &'static str;
    /// The model's weights file in a released model folder.
    const RELEASE_FILE: &'static str;
    /// The model config, kept in the checkpoint as JSON.
    fn config(&self) -> &Self::Config;
    /// A fresh model on `device`.
    fn init(&self, device: &Device) -> Self::Model;
    /// The world the task's clips come from without `--distribution`, and the fields a
    /// distribution file leaves out: kino-1's tasks learn the legacy world.
    fn world(&self) -> kino_world::sample::Distribution {
        kino_world::sample::Distribution::legacy()
    }
    /// Whether the held-out clips come from the training distribution (a curriculum stage's)
    /// instead of [`Task::world`].
    fn held_out_from_training(&self) -> bool {
        false
    }
    /// How many freshly rendered clips a step of `batch` clips takes from the stream (the task
    /// may train on the rest again, as `kino-train teacher --reuse` does).
    fn fresh_clips(&self, batch: usize) -> usize {
        batch
    }
    /// The loss of one batch (a scalar on the autodiff device) and named metrics to show.
    fn loss(&self, model: &Self::Model, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)>;
    /// Held-out metrics of `model` (in inference mode, on a plain device).
    fn evaluate(&self, model: &Self::Model, clips: &[Clip], device: &Device, out: &std::path::Path, step: usize) -> anyhow::Result<Vec<(String, f64)>>;
}

/// Whether a checkpoint's recorded config is `current`, read as the config type (so fields
/// added since, missing from older checkpoints, take the defaults those runs trained with).
fn same_config<C: serde::de::DeserializeOwned + PartialEq>(saved: &serde_json::Value, current: &C) -> bool {
    serde_json::from_value::<C>(saved.clone()).is_ok_and(|saved| saved == *current)
}

/// Trains `task` as `args` say; returns the final model.
pub fn train<T: Task>(task: &T, args: &TrainArgs) -> anyhow::Result<T::Model> {
    anyhow::ensure!(
        !args.overfit || (1..=args.eval_clips).contains(&args.batch),
        "--overfit takes its batches from the {} --eval-clips: --batch {} must be 1 to that",
        args.eval_clips,
        args.batch
    );
    let plain = args.device()?;
    // Read before any work, so a bad file is reported at once.
    let distribution = match &args.distribution {
        Some(path) => kino_world::sample::Distribution::load_over(path, &task.world())?,
        None => task.world(),
    };
    let device = plain.clone().autodiff();
    let checkpoint = Checkpoint::new(&args.out);
    let mut optimizer = AdamWConfig::new().with_weight_decay(0.0).init();
    let mut model = task.init(&device);
    let mut state = RunState {
        task: T::NAME.into(),
        step: 0,
        next_seed: 0,
        train_seconds: 0.0,
        config: serde_json::to_value(task.config())?,
        history: vec![],
        evals: vec![],
        overfit: args.overfit,
        ema_updates: 0,
    };
    let mut saved_ema = None;
    if checkpoint.exists() && !args.fresh {
        state = checkpoint.load_state()?;
        anyhow::ensure!(state.task == T::NAME, "{} holds a `{}` checkpoint, not `{}`", args.out.display(), state.task, T::NAME);
        anyhow::ensure!(same_config(&state.config, task.config()), "{} was trained with another config; use --fresh or another --out", args.out.display());
        anyhow::ensure!(
            state.overfit == args.overfit,
            "{} was trained {} --overfit; resume it the same way, or use --fresh or another --out",
            args.out.display(),
            if state.overfit { "with" } else { "without" }
        );
        saved_ema = checkpoint.load_ema(model.valid())?;
        model = checkpoint.load_model(model)?;
        optimizer = checkpoint.load_optimizer(optimizer)?;
        eprintln!("resuming {} at step {} (next training seed {})", args.out.display(), state.step, state.next_seed);
    } else {
        state.next_seed = args.first_seed;
        if let Some(release) = &args.init {
            let (loaded, fresh) = kino_model::weights::load_growing(model, &release.join(T::RELEASE_FILE))?;
            model = loaded;
            eprintln!("starting from the weights in {}", release.display());
            if !fresh.is_empty() {
                eprintln!("parameters the release lacks start from their initial values: {}", fresh.join(", "));
            }
        }
    }
    // Weights from a release need no warm-up of their average; random ones do.
    let from_scratch = args.init.is_none();
    let mut ema = args.ema.map(|decay| match saved_ema {
        Some(average) => Ema::resume(average, decay, state.ema_updates, from_scratch),
        None => Ema::new(&model, decay, from_scratch),
    });
    eprintln!("{}: {} parameters", T::NAME, model.num_params());
    let held_out_world = if task.held_out_from_training() { distribution.clone() } else { task.world() };
    let held_out: Vec<Clip> =
        (0..args.eval_clips as u64).map(|i| crate::data::clip_from(crate::data::HELD_OUT_SEED + i, &held_out_world)).collect::<anyhow::Result<_>>()?;
    let mut stream = if args.overfit {
        eprintln!("overfitting the {} held-out clips (a capacity check: the held-out metrics measure the training clips)", held_out.len());
        None
    } else {
        Some(ClipStream::start(state.next_seed, args.render_threads, &distribution))
    };
    // `step,next_seed,train_seconds,loss` per step; appended to when resuming, new otherwise.
    let resumed = state.step > 0;
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(resumed)
        .write(true)
        .truncate(!resumed)
        .open({
            std::fs::create_dir_all(&args.out)?;
            args.out.join("loss.csv")
        })
        .context("opening loss.csv")?;

    // Over the steps, or over the seconds of a timed run without a step count.
    let step_cap = args.step_cap();
    let (bar, template) = match step_cap {
        Some(cap) => (ProgressBar::new(cap as u64).with_position(state.step.min(cap) as u64), "{prefix} {bar:30} {pos}/{len}"),
        None => (ProgressBar::new((args.minutes.unwrap_or(0.0) * 60.0) as u64), "{prefix} {bar:30}"),
    };
    bar.set_style(ProgressStyle::with_template(&format!("{template} [{{elapsed_precise}}<{{eta_precise}}] {{msg}}"))?);
    bar.set_prefix(T::NAME);
    let started = Instant::now();
    let train_seconds_before = state.train_seconds;
    let (mut window_loss, mut window_steps) = (0.0, 0usize);
    let mut clips_this_run = 0usize;
    while !args.done(state.step, started.elapsed().as_secs_f64()) {
        let clips = match &mut stream {
            Some(stream) => stream.next_batch(task.fresh_clips(args.batch))?,
            None => cyclic_batch(&held_out, state.step, args.batch),
        };
        let (loss, metrics) = task.loss(&model, &clips, &device)?;
        let loss_value = f64::from(loss.clone().into_scalar::<f32>());
        anyhow::ensure!(loss_value.is_finite(), "the loss is {loss_value} at step {}", state.step);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let lr = args.timed_learning_rate(state.step, started.elapsed().as_secs_f64());
        model = optimizer.step(lr, model, grads);
        if let Some(ema) = &mut ema {
            ema.update(&model)?;
            state.ema_updates = ema.updates();
        }
        state.step += 1;
        if stream.is_some() {
            state.next_seed += clips.len() as u64;
        }
        // Clips trained on, drawn again or not.
        clips_this_run += args.batch;
        window_loss += loss_value;
        window_steps += 1;
        let elapsed = started.elapsed().as_secs_f64();
        state.train_seconds = train_seconds_before + elapsed;
        let shown: Vec<String> = metrics.iter().map(|(k, v)| format!("{k} {v:.4}")).collect();
        bar.set_message(format!("step {} loss {loss_value:.4} {} | {:.2} clips/s", state.step, shown.join(" "), clips_this_run as f64 / elapsed));
        bar.set_position(if step_cap.is_some() { state.step as u64 } else { elapsed as u64 });
        writeln!(log, "{},{},{:.1},{loss_value}", state.step, state.next_seed, state.train_seconds)?;
        let last = args.done(state.step, elapsed);
        if state.step.is_multiple_of(10) || last {
            state.history.push((state.step, window_loss / window_steps as f64));
            if bar.is_hidden() {
                eprintln!(
                    "step {}: loss {:.4} (last {window_steps}), {} | {:.2} clips/s",
                    state.step,
                    window_loss / window_steps as f64,
                    shown.join(" "),
                    clips_this_run as f64 / elapsed
                );
            }
            (window_loss, window_steps) = (0.0, 0);
        }
        if (args.eval_every > 0 && state.step.is_multiple_of(args.eval_every)) || last {
            let metrics = held_out_metrics(task, &model, ema.as_ref(), &held_out, &plain, &args.out, state.step)?;
            let line: Vec<String> = metrics.iter().map(|(k, v)| format!("{k} {v:.3}")).collect();
            say(&bar, format!("step {}: held-out {}", state.step, line.join(", ")));
            state.evals.extend(metrics.into_iter().map(|(k, v)| (state.step, k, v)));
        }
        if state.step.is_multiple_of(args.save_every) || last {
            checkpoint.save(&model, &optimizer, &state, ema.as_ref().map(|e| &e.model))?;
        }
    }
    bar.finish();
    if clips_this_run == 0 {
        // Already at the target: report the held-out metrics of the checkpoint.
        let metrics = held_out_metrics(task, &model, ema.as_ref(), &held_out, &plain, &args.out, state.step)?;
        let line: Vec<String> = metrics.iter().map(|(k, v)| format!("{k} {v:.3}")).collect();
        eprintln!("step {}: held-out {}", state.step, line.join(", "));
    }
    eprintln!(
        "{}: step {}, {} clips and {:.1} min this run ({:.2} clips/s), next training seed {}, checkpoint in {}",
        T::NAME,
        state.step,
        clips_this_run,
        started.elapsed().as_secs_f64() / 60.0,
        clips_this_run as f64 / started.elapsed().as_secs_f64().max(1e-9),
        state.next_seed,
        args.out.display()
    );
    Ok(model)
}

/// The task's held-out metrics of the weights, then those of their moving average (named
/// `ema_…`, its samples in `out/ema/`) when the run keeps one.
fn held_out_metrics<T: Task>(
    task: &T,
    model: &T::Model,
    ema: Option<&Ema<T::Model>>,
    clips: &[Clip],
    device: &Device,
    out: &std::path::Path,
    step: usize,
) -> anyhow::Result<Vec<(String, f64)>> {
    let mut metrics = task.evaluate(&model.valid(), clips, device, out, step)?;
    if let Some(ema) = ema {
        let out = out.join("ema");
        std::fs::create_dir_all(&out)?;
        let averaged = task.evaluate(&ema.model, clips, device, &out, step)?;
        metrics.extend(averaged.into_iter().map(|(k, v)| (format!("ema_{k}"), v)));
    }
    Ok(metrics)
}

/// Batch `step` of `batch` clips taken from `clips` in turn, wrapping around.
fn cyclic_batch(clips: &[Clip], step: usize, batch: usize) -> Vec<Clip> {
    (0..batch).map(|i| clips[(step * batch + i) % clips.len()].clone()).collect()
}

/// A line above the progress bar, or on stderr when the bar is hidden (not a terminal).
fn say(bar: &ProgressBar, line: String) {
    if bar.is_hidden() { eprintln!("{line}") } else { bar.println(line) }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use clap::Parser;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        train: TrainArgs,
    }

    fn args(extra: &[&str]) -> TrainArgs {
        let base = ["test", "--out", "x", "--steps", "1050", "--warmup", "50", "--lr", "1e-3"];
        Cli::parse_from(base.iter().chain(extra)).train
    }

    #[test]
    fn overfitting_batches_go_round_the_clips_in_turn() {
        let clips: Vec<Clip> = (0..3).map(|s| crate::data::clip(s).unwrap()).collect();
        let seeds = |step| cyclic_batch(&clips, step, 2).iter().map(|c| c.scene.seed).collect::<Vec<_>>();
        assert_eq!(seeds(0), [0, 1]);
        assert_eq!(seeds(1), [2, 0]);
        assert_eq!(seeds(2), [1, 2]);
    }

    #[test]
    fn the_rate_warms_up_then_stays_without_a_final_rate() {
        let a = args(&[]);
        assert!((a.learning_rate(0) - 2e-5).abs() < 1e-12);
        assert!((a.learning_rate(49) - 1e-3).abs() < 1e-12);
        assert_eq!(a.learning_rate(500), 1e-3);
        assert_eq!(a.learning_rate(5000), 1e-3);
    }

    #[test]
    fn the_rate_anneals_along_a_cosine_to_the_final_rate() {
        let a = args(&["--final-lr", "1e-5"]);
        assert!((a.learning_rate(50) - 1e-3).abs() < 1e-12);
        // Half-way through the decay the rate is half-way between the two.
        assert!((a.learning_rate(550) - (1e-3 + 1e-5) / 2.0).abs() < 1e-12);
        assert!((a.learning_rate(1050) - 1e-5).abs() < 1e-12);
        // Steps past the target (a run resumed with fewer --steps) stay at the final rate.
        assert!((a.learning_rate(2000) - 1e-5).abs() < 1e-12);
        let rates: Vec<f64> = (50..=1050).map(|s| a.learning_rate(s)).collect();
        assert!(rates.windows(2).all(|w| w[1] <= w[0]), "the rate only falls");
    }

    #[test]
    fn a_checkpoint_resumes_with_the_same_config_even_if_it_predates_a_defaulted_field() {
        let current = crate::judge::JudgeConfig::default();
        assert!(same_config(&serde_json::to_value(current).unwrap(), &current));
        let other = crate::judge::JudgeConfig { width: current.width + 1, ..current };
        assert!(!same_config(&serde_json::to_value(other).unwrap(), &current));
        assert!(!same_config(&serde_json::json!({ "unrelated": 1 }), &current));
        // A teacher checkpoint from before `moving_weight`, `time_mean` and the later fields existed.
        let teacher = crate::teacher::TeacherConfig {
            model: kino_model::dit::KinoConfig::teacher_64(),
            video_scale: 2.849,
            audio_scale: 0.7,
            audio_weight: 1.0,
            moving_weight: 0.0,
            object_weight: 0.0,
            colour_contrast: 0.0,
            contrast_from: 0.0,
            contrast_backdrop: 0.0,
            time_mean: 0.0,
            object_reading: 0.0,
        };
        let mut old = serde_json::to_value(&teacher).unwrap();
        let fields = old.as_object_mut().unwrap();
        fields.remove("moving_weight");
        fields.remove("time_mean");
        fields.remove("object_weight");
        fields.remove("colour_contrast");
        fields.remove("contrast_from");
        fields.remove("contrast_backdrop");
        fields.remove("object_reading");
        assert!(same_config(&old, &teacher));
        assert!(!same_config(&old, &crate::teacher::TeacherConfig { time_mean: 1.0, ..teacher.clone() }));
    }

    #[test]
    fn a_timed_run_anneals_over_its_minutes_and_ends_when_they_are_spent() {
        let a = args(&["--final-lr", "1e-5", "--minutes", "10"]);
        // Still warming up at step 10, however long that took.
        assert!((a.timed_learning_rate(10, 120.0) - 1e-3 * 11.0 / 50.0).abs() < 1e-12);
        assert!((a.timed_learning_rate(100, 0.0) - 1e-3).abs() < 1e-12);
        assert!((a.timed_learning_rate(100, 300.0) - (1e-3 + 1e-5) / 2.0).abs() < 1e-12);
        assert!((a.timed_learning_rate(100, 600.0) - 1e-5).abs() < 1e-12);
        assert!(!a.done(100, 599.0));
        assert!(a.done(100, 600.0));
        // The step count (1050 here) still caps a timed run.
        assert!(a.done(1050, 1.0));
        // Without --steps a timed run has no step count: only its minutes end it.
        let timed = Cli::parse_from(["test", "--out", "x", "--minutes", "10"]).train;
        assert_eq!(timed.step_cap(), None);
        assert!(!timed.done(DEFAULT_STEPS * 50, 599.0));
        assert!(timed.done(1, 600.0));
        assert_eq!(Cli::parse_from(["test", "--out", "x"]).train.step_cap(), Some(DEFAULT_STEPS));
        // Without --minutes the rate follows the steps and time does not end the run.
        let b = args(&["--final-lr", "1e-5"]);
        assert_eq!(b.timed_learning_rate(550, 1e6), b.learning_rate(550));
        assert!(!b.done(10, 1e9));
        for bad in ["0", "-3", "NaN", "inf", "soon"] {
            assert!(Cli::try_parse_from(["test", "--out", "x", "--minutes", bad]).is_err(), "--minutes {bad} was taken");
        }
    }

    #[test]
    fn the_moving_average_takes_a_decay_between_0_and_1() {
        assert_eq!(args(&["--ema", "0.998"]).ema, Some(0.998));
        assert_eq!(args(&[]).ema, None);
        for bad in ["0", "1", "1.5", "-0.5", "NaN", "slow"] {
            assert!(Cli::try_parse_from(["test", "--out", "x", "--ema", bad]).is_err(), "--ema {bad} was taken");
        }
    }
}
