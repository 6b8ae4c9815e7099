//! `kino-train bench` (`cargo xtask bench model`): seconds per generated clip for the released
//! teacher at its default steps, and training clips per second of each model on this machine.

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
    /// The released model folder to generate with.
    #[arg(long, default_value = "models/kino-1-teacher")]
    pub model: PathBuf,
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
    let mut stream = ClipStream::start(0, 1, &kino_world::sample::Distribution::legacy());
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
    let mut stream = ClipStream::start(0, 1, &kino_world::sample::Distribution::legacy());
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

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let device = Device::flex();
    let text_model = args.teacher.text_model.clone().unwrap_or_else(kino_model::text::TextEncoder::default_dir);
    let pipeline = Pipeline::load(&args.model, &text_model, &device)?;
    let steps = pipeline.config.default_steps;
    pipeline.generate(&Request::new("a red ball bounces on a wooden floor", 0), &mut |_| ())?;
    let started = Instant::now();
    for seed in 1..=args.clips as u64 {
        pipeline.generate(&Request::new("a red rubber ball bounces twice on a wooden floor", seed), &mut |_| ())?;
    }
    let per_clip = started.elapsed().as_secs_f64() / args.clips as f64;
    let vae = training_speed(
        &crate::vae::VaeTask { config: VideoVaeConfig::vae_64(), freeze_encoder: false, object_weight: 0.0, error: ErrorNorm::Squared },
        4,
        args.steps,
    )?;
    let audio = training_speed(&crate::audio::AudioTask { config: AudioVaeConfig::audio_64() }, 8, args.steps)?;
    println!("| what | on this CPU ({} threads) |", std::thread::available_parallelism().map_or(1, usize::from));
    println!("|---|---|");
    println!(
        "| {} generation, {steps} steps, guidance {} (2 s, 64x64, with sound) | {per_clip:.2} s per clip |",
        pipeline.config.name, pipeline.config.guidance
    );
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
