//! `kino-train export`: the three trained checkpoints (video and audio autoencoders, teacher)
//! as one released model folder: `config.json` and half-precision safetensors, which
//! `kino_model::pipeline::Pipeline` loads.

use std::path::PathBuf;

use anyhow::Context;
use burn::tensor::Device;
use kino_model::audio_vae::AudioVaeConfig;
use kino_model::pipeline::{Pipeline, PipelineConfig};
use kino_model::video_vae::VideoVaeConfig;

use crate::checkpoint::{Checkpoint, load_part};
use crate::data::{FRAMES, settings};
use crate::teacher::TeacherConfig;

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The video autoencoder: a checkpoint folder or a released model folder.
    #[arg(long, default_value = "models/vae")]
    pub vae: PathBuf,
    /// The audio autoencoder: a checkpoint folder or a released model folder.
    #[arg(long, default_value = "models/audio")]
    pub audio: PathBuf,
    /// Checkpoint folder of the teacher.
    #[arg(long)]
    pub teacher: PathBuf,
    /// The model's name (its folder under models/).
    #[arg(long, default_value = "kino-1-teacher")]
    pub name: String,
    /// Where to write the folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Sampling steps by default.
    #[arg(long, default_value_t = 24)]
    pub steps: usize,
    /// Classifier-free guidance scale.
    #[arg(long, default_value_t = 3.0)]
    pub guidance: f64,
}

pub fn export(args: &ExportArgs) -> anyhow::Result<()> {
    let device = Device::flex();
    let teacher_state = Checkpoint::new(&args.teacher).load_state()?;
    anyhow::ensure!(teacher_state.task == "teacher", "{} holds a `{}` checkpoint, not a teacher", args.teacher.display(), teacher_state.task);
    let teacher: TeacherConfig = serde_json::from_value(teacher_state.config.clone()).context("the teacher checkpoint's config")?;
    let video_vae = load_part(VideoVaeConfig::vae_64().init(&device), &args.vae, kino_model::pipeline::VIDEO_VAE_FILE)?;
    let audio_vae = load_part(AudioVaeConfig::audio_64().init(&device), &args.audio, kino_model::pipeline::AUDIO_VAE_FILE)?;
    let generator = Checkpoint::new(&args.teacher).load_model(teacher.model.init(&device))?;
    let world = settings();
    let config = PipelineConfig {
        name: args.name.clone(),
        video_vae: VideoVaeConfig::vae_64(),
        audio_vae: AudioVaeConfig::audio_64(),
        generator: teacher.model.clone(),
        video_scale: teacher.video_scale,
        audio_scale: teacher.audio_scale,
        width: world.width as usize,
        height: world.height as usize,
        fps: world.fps,
        default_steps: args.steps,
        guidance: args.guidance,
        shift: 3.0,
    };
    anyhow::ensure!(config.frames() == FRAMES, "the teacher's window is {} frames, training clips are {FRAMES}", config.frames());
    Pipeline::save(&args.out, &config, &video_vae, &audio_vae, &generator)?;
    let size: u64 = std::fs::read_dir(&args.out)?.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    eprintln!("wrote {} ({:.1} MB; teacher at step {})", args.out.display(), size as f64 / 1e6, teacher_state.step);
    Ok(())
}
