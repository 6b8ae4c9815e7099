//! `kino-train bench` (`cargo xtask bench model`): seconds per generated clip for each released
//! model at its default steps (kino-2, the default, kino-2-pro where its upscaler is installed,
//! and the legacy kino-1), and training clips per second of each model on this machine.

use std::path::PathBuf;
use std::time::Instant;

use burn::optim::{AdamWConfig, GradientsParams};
use burn::tensor::Device;
use kino_model::audio_vae::AudioVaeConfig;
use kino_model::pipeline::{Pipeline, Request};
use kino_model::video_vae::{ErrorNorm, VideoVaeConfig};

use crate::data::ClipStream;
use crate::train_loop::Task;

#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// The released model folders to generate with (repeat the flag for several).
    #[arg(long = "model", default_values = ["models/kino-2", "models/kino-1-teacher"])]
    pub models: Vec<PathBuf>,
    /// Clips generated (after one warm-up clip).
    #[arg(long, default_value_t = 3)]
    pub clips: usize,
    /// Checkpoints of the encoders, for timing teacher training (skipped without them).
    #[command(flatten)]
    pub teacher: crate::teacher::TeacherArgs,
    /// Optimiser steps timed per model (after one warm-up step).
    #[arg(long, default_value_t = 4)]
    pub steps: usize,
}

/// Training clips per second of `task` over `steps` steps of `batch` clips, from a fresh model.
fn training_speed<T: Task>(task: &T, batch: usize, steps: usize) -> anyhow::Result<f64> {
    let device = Device::flex().autodiff();
    let mut model = task.init(&device);
    let mut optimizer = AdamWConfig::new().init();
    let mut stream = ClipStream::start(0, 1, &task.world());
    let mut timed = 0.0;
    for step in 0..=steps {
        let clips = stream.next_batch(batch)?;
        let started = Instant::now();
        let (loss, _) = task.loss(&model, &clips, &device)?;
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(1e-4, model, grads);
        if step > 0 {
            timed += started.elapsed().as_secs_f64();
        }
    }
    Ok((steps * batch) as f64 / timed)
}

/// Clips per second through the teacher's frozen encoders alone: the part of each training step
/// that does not depend on the teacher.
fn encoding_speed(task: &crate::teacher::TeacherTask, batch: usize, steps: usize) -> anyhow::Result<f64> {
    let device = Device::flex();
    let mut stream = ClipStream::start(0, 1, &task.world());
    let mut timed = 0.0;
    for step in 0..=steps {
        let clips = stream.next_batch(batch)?;
        let started = Instant::now();
        let (latents, text) = task.encode(&clips, &device)?;
        // Reading the results waits for the work, should the backend defer it.
        let _ = (latents.video.sum().into_scalar::<f32>(), latents.audio.sum().into_scalar::<f32>(), text.states.sum().into_scalar::<f32>());
        if step > 0 {
            timed += started.elapsed().as_secs_f64();
        }
    }
    Ok((steps * batch) as f64 / timed)
}

/// Seconds per clip of the model in `dir` at its default steps and guidance (after a warm-up
/// clip), with the table row's label; for a folder with kino-2-pro's upscaler, also kino-2-pro
/// (its registry steps, then the upscaler).
fn generation_times(dir: &std::path::Path, text_model: &std::path::Path, clips: usize) -> anyhow::Result<Vec<(String, f64)>> {
    let pipeline = Pipeline::load(dir, text_model, &Device::flex())?;
    pipeline.generate(&Request::new("a red ball bounces on a wooden floor", 0), &mut |_| ())?;
    let timed = |steps: Option<usize>, upscale: bool| -> anyhow::Result<f64> {
        let started = Instant::now();
        for seed in 1..=clips as u64 {
            let request = Request { steps, ..Request::new("a red rubber ball bounces twice on a wooden floor", seed) };
            let clip = pipeline.generate(&request, &mut |_| ())?;
            if upscale {
                pipeline.upscale(clip)?;
            }
        }
        Ok(started.elapsed().as_secs_f64() / clips as f64)
    };
    let config = &pipeline.config;
    let mut rows = vec![(
        format!(
            "{} generation, {} steps, guidance {} (2 s, {}x{}, with sound)",
            config.name, config.default_steps, config.guidance, config.width, config.height
        ),
        timed(None, false)?,
    )];
    if pipeline.can_upscale() {
        let pro = &kino_core::models::KINO_2_PRO;
        rows.push((
            format!("{} generation, {} steps, then the 2x upscaler (2 s, {}x{}, with sound)", pro.id, pro.steps, config.width * 2, config.height * 2),
            timed(Some(pro.steps as usize), true)?,
        ));
    }
    Ok(rows)
}

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let text_model = args.teacher.text_model.clone().unwrap_or_else(kino_model::text::TextEncoder::default_dir);
    let generation = args.models.iter().map(|dir| generation_times(dir, &text_model, args.clips)).collect::<anyhow::Result<Vec<_>>>()?.concat();
    let kino2 = training_speed(&crate::kino2::Kino2Task::new(&crate::kino2::Kino2Args::default(), &Device::flex())?, 8, args.steps)?;
    let vae = training_speed(
        &crate::vae::VaeTask { config: VideoVaeConfig::vae_64(), freeze_encoder: false, object_weight: 0.0, error: ErrorNorm::Squared },
        4,
        args.steps,
    )?;
    let audio = training_speed(&crate::audio::AudioTask { config: AudioVaeConfig::audio_64() }, 8, args.steps)?;
    println!("| what | on this CPU ({} threads) |", std::thread::available_parallelism().map_or(1, usize::from));
    println!("|---|---|");
    for (label, seconds) in &generation {
        println!("| {label} | {seconds:.2} s per clip |");
    }
    println!("| kino-2 generator training (batch 8) | {kino2:.2} clips/s |");
    println!("| video autoencoder training (batch 4) | {vae:.2} clips/s |");
    println!("| audio autoencoder training (batch 8) | {audio:.2} clips/s |");
    match crate::teacher::TeacherTask::new(&args.teacher, &Device::flex()) {
        Ok(task) => {
            let teacher = training_speed(&task, 16, args.steps)?;
            println!("| teacher training (batch 16, frozen encoders) | {teacher:.2} clips/s |");
            let encoding = encoding_speed(&task, 16, args.steps)?;
            println!("| of which the frozen encoders alone (video, audio, text) | {encoding:.2} clips/s |");
        }
        Err(error) => println!("| teacher training | not timed: {error:#} (pass --vae, --audio) |"),
    }
    Ok(())
}
