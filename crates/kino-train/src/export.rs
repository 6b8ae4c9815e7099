//! `kino-train export`: the three trained checkpoints (video and audio autoencoders, teacher)
//! as one released model folder: `config.json` and half-precision safetensors, which
//! `kino_model::pipeline::Pipeline` loads.

use std::path::{Path, PathBuf};

use anyhow::Context;
use burn::tensor::Device;
use kino_model::audio_vae::AudioVaeConfig;
use kino_model::dit::KinoConfig;
use kino_model::flow::Sampler;
use kino_model::kino2::upscale::UpscalerConfig;
use kino_model::pipeline::{Family, Generator, Pipeline, PipelineConfig, config_path};
use kino_model::video_vae::VideoVaeConfig;

use crate::checkpoint::{Checkpoint, load_averaged_part, load_part};
use crate::data::{FRAMES, settings, video_tensor};
use crate::teacher::TeacherConfig;

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The video autoencoder: a checkpoint folder or a released model folder.
    #[arg(long, default_value = "models/vae")]
    pub vae: PathBuf,
    /// The audio autoencoder: a checkpoint folder or a released model folder.
    #[arg(long, default_value = "models/audio")]
    pub audio: PathBuf,
    /// The teacher: a checkpoint folder, or a released model folder (to re-package it with an
    /// autoencoder trained since with its encoder frozen, `kino-train vae --freeze-encoder`).
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
    /// Package the moving average of the teacher checkpoint's weights (trained with
    /// `kino-train teacher --ema`) instead of its last weights.
    #[arg(long)]
    pub ema: bool,
    /// Package the moving average of the video autoencoder checkpoint's weights (trained with
    /// `kino-train vae --ema`) instead of its last weights.
    #[arg(long)]
    pub vae_ema: bool,
}

pub fn export(args: &ExportArgs) -> anyhow::Result<()> {
    let device = Device::flex();
    let teacher = teacher_part(&args.teacher)?;
    let video_vae = if args.vae_ema {
        load_averaged_part(VideoVaeConfig::vae_64().init(&device), &args.vae, "--vae-ema")?
    } else {
        load_part(VideoVaeConfig::vae_64().init(&device), &args.vae, kino_model::pipeline::VIDEO_VAE_FILE)?
    };
    let audio_vae = load_part(AudioVaeConfig::audio_64().init(&device), &args.audio, kino_model::pipeline::AUDIO_VAE_FILE)?;
    let mut generator = if args.ema {
        load_averaged_part(teacher.model.init(&device), &args.teacher, "--ema")?
    } else {
        load_part(teacher.model.init(&device), &args.teacher, kino_model::pipeline::GENERATOR_FILE)?
    };
    // The object reading head only trains the teacher (`kino-train teacher --object-reading`);
    // generation never runs it.
    generator.object_reading = None;
    if !Checkpoint::new(&args.teacher).exists() {
        // A released teacher was trained on the latents of its folder's encoder.
        let released = kino_model::weights::load(VideoVaeConfig::vae_64().init(&device), &args.teacher.join(kino_model::pipeline::VIDEO_VAE_FILE))?;
        let clip = video_tensor(&[crate::data::clip(crate::data::HELD_OUT_SEED)?], &device);
        let drift = (released.encode(clip.clone())?.mean - video_vae.encode(clip)?.mean).abs().max().into_scalar::<f32>();
        anyhow::ensure!(
            drift < 1e-3,
            "{} encodes clips differently from the autoencoder {} was trained on (latents differ by up to {drift}): \
             only one trained since with --freeze-encoder can be packaged with that teacher",
            args.vae.display(),
            teacher.source
        );
    }
    let world = settings();
    let config = PipelineConfig {
        name: args.name.clone(),
        family: Family::Latent {
            video_vae: VideoVaeConfig::vae_64(),
            generator: KinoConfig { object_reading: 0, ..teacher.model.clone() },
            video_scale: teacher.video_scale,
        },
        audio_vae: AudioVaeConfig::audio_64(),
        audio_scale: teacher.audio_scale,
        width: world.width as usize,
        height: world.height as usize,
        fps: world.fps,
        default_steps: args.steps,
        guidance: args.guidance,
        shift: 3.0,
        sampler: Sampler::Euler,
    };
    anyhow::ensure!(config.frames() == FRAMES, "the teacher's window is {} frames, training clips are {FRAMES}", config.frames());
    Pipeline::save(&args.out, &config, &audio_vae, &Generator::Latent { video_vae, model: generator })?;
    let size: u64 = std::fs::read_dir(&args.out)?.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    let averaged = |yes: bool| if yes { "the moving average of " } else { "" };
    eprintln!(
        "wrote {} ({:.1} MB; {}the video autoencoder in {}, {}{})",
        args.out.display(),
        size as f64 / 1e6,
        averaged(args.vae_ema),
        args.vae.display(),
        averaged(args.ema),
        teacher.source
    );
    Ok(())
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportKino2Args {
    /// The generator's checkpoint folder (`kino-train kino2 --out`).
    #[arg(long)]
    pub generator: PathBuf,
    /// Package the moving average of the generator's weights (`kino-train kino2 --ema`).
    #[arg(long)]
    pub ema: bool,
    /// The prompt reader: a checkpoint folder (`kino-train reader --out`) or a kino-2 folder.
    #[arg(long)]
    pub reader: PathBuf,
    /// The audio autoencoder the generator's sound was trained in (kino-1's).
    #[arg(long, default_value = "models/kino-1-teacher")]
    pub audio: PathBuf,
    /// kino-2-pro's 2x upscaler: a checkpoint folder (`kino-train upscale --out`) or a kino-2
    /// folder that has one; without it the folder offers no kino-2-pro.
    #[arg(long)]
    pub upscaler: Option<PathBuf>,
    /// The model's name (its folder under models/).
    #[arg(long, default_value = "kino-2")]
    pub name: String,
    /// Where to write the folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Sampling steps by default.
    #[arg(long, default_value_t = 16)]
    pub steps: usize,
    /// Classifier-free guidance scale.
    #[arg(long, default_value_t = 3.0)]
    pub guidance: f64,
    /// Times between which guidance applies, `LOW,HIGH`.
    #[arg(long, default_value = "0.1,0.9", value_parser = guidance_window)]
    pub window: [f64; 2],
    /// The sampler requests use unless they name one: ancestral (re-noised each step; session
    /// 33 measured version 3's suite colour 0.841 / 0.659 with it, 0.773 / 0.591 with euler).
    #[arg(long, default_value = "ancestral")]
    pub sampler: Sampler,
}

/// `--window LOW,HIGH`: two times with 0 <= LOW < HIGH <= 1.
fn guidance_window(text: &str) -> Result<[f64; 2], String> {
    let parts: Vec<f64> = text.split(',').map(|p| p.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| format!("`{text}` is not LOW,HIGH"))?;
    match parts[..] {
        [low, high] if (0.0..high).contains(&low) && high <= 1.0 => Ok([low, high]),
        _ => Err(format!("`{text}` must be two times LOW,HIGH with 0 <= LOW < HIGH <= 1")),
    }
}

/// `kino-train export-kino2`: a kino-2 folder (config, generator, reader, audio autoencoder).
pub fn export_kino2(args: &ExportKino2Args) -> anyhow::Result<()> {
    let device = Device::flex();
    let checkpoint = Checkpoint::new(&args.generator);
    anyhow::ensure!(checkpoint.exists(), "{} holds no kino2 checkpoint (`kino-train kino2 --out`)", args.generator.display());
    let state = checkpoint.load_state()?;
    anyhow::ensure!(state.task == "kino2", "{} holds a `{}` checkpoint, not kino2", args.generator.display(), state.task);
    anyhow::ensure!(!state.overfit, "{} was trained with --overfit (a capacity check): it is not for release", args.generator.display());
    let trained: crate::kino2::Kino2TrainConfig = serde_json::from_value(state.config).context("the kino2 checkpoint's config")?;
    let model = if args.ema {
        load_averaged_part(trained.model.init(&device), &args.generator, "--ema")?
    } else {
        load_part(trained.model.init(&device), &args.generator, kino_model::pipeline::GENERATOR_FILE)?
    };
    let reader_config = kino_model::kino2::reader::ReaderConfig::base();
    let reader = load_part(reader_config.init(&device), &args.reader, kino_model::pipeline::READER_FILE)?;
    let audio_vae = load_part(AudioVaeConfig::audio_64().init(&device), &args.audio, kino_model::pipeline::AUDIO_VAE_FILE)?;
    let upscaler_config = args.upscaler.as_ref().map(|_| UpscalerConfig::base());
    let upscaler = match (&args.upscaler, upscaler_config) {
        (Some(dir), Some(config)) => Some(load_part(config.init(&device), dir, kino_model::pipeline::UPSCALER_FILE)?),
        _ => None,
    };
    let world = settings();
    let config = PipelineConfig {
        name: args.name.clone(),
        family: Family::Pixel { pixel_generator: trained.model, reader: reader_config, guidance_window: args.window, upscaler: upscaler_config },
        audio_vae: AudioVaeConfig::audio_64(),
        audio_scale: trained.audio_scale,
        width: world.width as usize,
        height: world.height as usize,
        fps: world.fps,
        default_steps: args.steps,
        guidance: args.guidance,
        shift: 1.0,
        sampler: args.sampler,
    };
    anyhow::ensure!(config.frames() == FRAMES, "the generator's window is {} frames, training clips are {FRAMES}", config.frames());
    Pipeline::save(&args.out, &config, &audio_vae, &Generator::Pixel { model, reader, upscaler })?;
    let size: u64 = std::fs::read_dir(&args.out)?.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    eprintln!(
        "wrote {} ({:.1} MB; {}the generator at step {}, the reader of {})",
        args.out.display(),
        size as f64 / 1e6,
        if args.ema { "the moving average of " } else { "" },
        state.step,
        args.reader.display()
    );
    Ok(())
}

/// What a released model needs of its teacher.
struct TeacherPart {
    model: KinoConfig,
    video_scale: f64,
    audio_scale: f64,
    /// Where it comes from, in words.
    source: String,
}

/// The teacher in `dir`: a checkpoint or a released model folder.
fn teacher_part(dir: &Path) -> anyhow::Result<TeacherPart> {
    let checkpoint = Checkpoint::new(dir);
    if checkpoint.exists() {
        let state = checkpoint.load_state()?;
        anyhow::ensure!(state.task == "teacher", "{} holds a `{}` checkpoint, not a teacher", dir.display(), state.task);
        let config: TeacherConfig = serde_json::from_value(state.config).context("the teacher checkpoint's config")?;
        let source = format!("the teacher at step {}", state.step);
        return Ok(TeacherPart { model: config.model, video_scale: config.video_scale, audio_scale: config.audio_scale, source });
    }
    let path = config_path(dir);
    let bytes =
        std::fs::read(&path).with_context(|| format!("{} is neither a teacher checkpoint nor a model folder: reading {}", dir.display(), path.display()))?;
    let released: PipelineConfig = serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))?;
    let source = format!("the teacher of {}", dir.display());
    match released.family {
        Family::Latent { generator, video_scale, .. } => Ok(TeacherPart { model: generator, video_scale, audio_scale: released.audio_scale, source }),
        Family::Pixel { .. } => anyhow::bail!("{} holds a kino-2 model, which has no latent teacher", dir.display()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::checkpoint::RunState;
    use burn::optim::AdamWConfig;

    /// The tensor data of a safetensors file: what follows its JSON header (whose metadata
    /// comes in no fixed order).
    fn tensor_bytes(path: &Path) -> Vec<u8> {
        let bytes = std::fs::read(path).unwrap();
        let header = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        bytes[8 + header..].to_vec()
    }

    /// A released teacher can be packaged again with the autoencoder it was trained on (its
    /// weights come through unchanged), and not with one whose encoder has moved.
    #[test]
    fn a_released_teacher_keeps_the_encoder_it_was_trained_on() {
        let release = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/kino-1-teacher");
        let scratch = std::env::temp_dir().join(format!("kino-export-{}", std::process::id()));
        let out = scratch.join("out");
        let args = |vae: &Path| ExportArgs {
            vae: vae.to_owned(),
            audio: release.clone(),
            teacher: release.clone(),
            name: "repackaged".into(),
            out: out.clone(),
            steps: 24,
            guidance: 3.0,
            ema: false,
            vae_ema: false,
        };
        let error = export(&ExportArgs { ema: true, ..args(&release) }).expect_err("a released teacher keeps no moving average");
        assert!(error.to_string().contains("--ema takes a checkpoint folder"), "{error}");
        let error = export(&ExportArgs { vae_ema: true, ..args(&release) }).expect_err("a released autoencoder keeps no moving average");
        assert!(error.to_string().contains("--vae-ema takes a checkpoint folder"), "{error}");
        assert!(!out.exists(), "nothing is written");
        export(&args(&release)).expect("the same autoencoder");
        for file in [kino_model::pipeline::GENERATOR_FILE, kino_model::pipeline::VIDEO_VAE_FILE] {
            assert!(tensor_bytes(&out.join(file)) == tensor_bytes(&release.join(file)), "{file} changed");
        }

        let moved = scratch.join("moved");
        let state = RunState {
            task: "vae".into(),
            step: 1,
            next_seed: 4,
            train_seconds: 1.0,
            config: serde_json::to_value(VideoVaeConfig::vae_64()).unwrap(),
            history: vec![],
            evals: vec![],
            overfit: false,
            ema_updates: 0,
        };
        Checkpoint::new(&moved).save(&VideoVaeConfig::vae_64().init(&Device::flex()), &AdamWConfig::new().init(), &state, None).unwrap();
        std::fs::remove_dir_all(&out).unwrap();
        let error = export(&ExportArgs { vae_ema: true, ..args(&moved) }).expect_err("a run without --ema");
        assert!(error.to_string().contains("keeps no moving average"), "{error}");
        assert!(!out.exists(), "nothing is written");
        let error = export(&args(&moved)).expect_err("a fresh encoder");
        assert!(error.to_string().contains("--freeze-encoder"), "{error}");
        assert!(!out.exists(), "nothing is written");
        std::fs::remove_dir_all(&scratch).ok();
    }
}
