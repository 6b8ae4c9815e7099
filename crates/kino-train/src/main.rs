//! `kino-train`: trains Kino's models on clips streamed from kino-world, on burn's flex CPU
//! backend. Each command resumes from its `--out` checkpoint when one is there.
//!
//! ```text
//! kino-train vae   --out models/vae   --steps 2000
//! kino-train audio --out models/audio --steps 2000
//! kino-train teacher --out models/teacher --vae models/vae --audio models/audio
//! kino-train kino2 --out runs/kino2 --distribution models/kino-2/curriculum/stage-1.json --ema 0.999
//! kino-train judge --out models/judge --steps 3000 --batch 16 --eval-clips 64
//! kino-train eval --model models/kino-1-teacher --judge models/judge --out target/eval
//! kino-train export-judge --judge models/judge --out models/kino-judge
//! kino-train export --vae models/vae --audio models/audio --teacher models/teacher --out models/kino-1-teacher
//! ```
//!
//! `--init models/kino-1-teacher` starts a new run from released weights; `--vae` and `--audio`
//! also take a released folder. Built with `--features cuda` (or `wgpu`), `--device cuda`
//! trains on the GPU.

mod adherence;
mod audio;
mod bench;
mod checkpoint;
mod data;
mod ema;
mod eval;
mod export;
mod judge;
mod kino2;
mod pool;
mod prompts;
mod reader;
mod reading;
mod teacher;
mod train_loop;
mod upscale;
mod vae;

use clap::{Parser, Subcommand};
use kino_model::audio_vae::AudioVaeConfig;
use kino_model::video_vae::{ErrorNorm, VideoVaeConfig};

#[derive(Debug, Parser)]
#[command(name = "kino-train", about = "Train Kino's models on kino-world clips")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The video autoencoder (causal 3D conv VAE, 4x time, 8x space).
    Vae {
        #[command(flatten)]
        train: train_loop::TrainArgs,
        /// Train the decoder only, so a teacher trained on this encoder's latents stays valid
        /// (start from released weights with `--init`).
        #[arg(long)]
        freeze_encoder: bool,
        /// Weigh the squared error `1 + W` times inside the world's labelled objects, which the
        /// plain error barely sees (0: off).
        #[arg(long, default_value_t = 0.0)]
        object_weight: f64,
        /// The per-pixel error trained on: `squared`, or `absolute`, whose optimum keeps a
        /// small object's colour where the squared error's mean turns it into a dark smudge.
        #[arg(long, default_value = "squared", value_parser = error_norm)]
        error: ErrorNorm,
    },
    /// The audio autoencoder (1D conv VAE aligned with the video latents).
    Audio {
        #[command(flatten)]
        train: train_loop::TrainArgs,
    },
    /// The diffusion transformer (teacher), over the frozen autoencoders' latents.
    Teacher {
        #[command(flatten)]
        train: train_loop::TrainArgs,
        #[command(flatten)]
        parts: teacher::TeacherArgs,
    },
    /// kino-2's pixel-space generator, conditioned on the clips' slots (train it stage by stage
    /// with `--distribution models/kino-2/curriculum/stage-N.json`).
    Kino2 {
        #[command(flatten)]
        train: train_loop::TrainArgs,
        #[command(flatten)]
        parts: kino2::Kino2Args,
    },
    /// kino-2's prompt reader: MiniLM states to the world's slots, on captions and prompts
    /// written from the clips' slots.
    Reader {
        #[command(flatten)]
        train: train_loop::TrainArgs,
        #[command(flatten)]
        parts: reader::ReaderArgs,
    },
    /// kino-2-pro's upscaler: 64x64 frames to 128x128, on the world's renders of one scene at
    /// both sizes.
    Upscale {
        #[command(flatten)]
        train: train_loop::TrainArgs,
    },
    /// The evaluation judge: a small clip classifier (the kinds and colours on screen, count,
    /// style, shot outcome).
    Judge {
        #[command(flatten)]
        train: train_loop::TrainArgs,
        /// Train only the cell reader, which names the kind and colour in every cell; the rest
        /// of the judge (from `--init` or the checkpoint) keeps its weights.
        #[arg(long)]
        reader_only: bool,
        /// Train on blurred and noisy clips too (a third each), so that the judge reads
        /// generated clips, which are softer than renders.
        #[arg(long)]
        augment: bool,
    },
    /// Generate held-out prompts and score them against kino-world's ground truth (physics,
    /// prompt adherence, A/V sync, multi-shot consistency, distribution distance), next to the
    /// world's own renders; prints a table and writes `eval.json`.
    Eval {
        #[command(flatten)]
        args: eval::EvalArgs,
    },
    /// The trained checkpoints as one released model folder (f16 safetensors + config).
    Export {
        #[command(flatten)]
        args: export::ExportArgs,
    },
    /// kino-2's trained generator and prompt reader as one released model folder (f16
    /// safetensors + config, with kino-1's audio autoencoder).
    ExportKino2 {
        #[command(flatten)]
        args: export::ExportKino2Args,
    },
    /// A trained judge checkpoint as a released folder (`judge.json`, f16 `judge.safetensors`)
    /// that `eval --judge` reads.
    ExportJudge {
        /// The judge's checkpoint folder (`kino-train judge --out`).
        #[arg(long)]
        judge: std::path::PathBuf,
        /// Where to write the folder.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Seconds per generated clip and training clips per second, as a table.
    Bench {
        #[command(flatten)]
        args: bench::BenchArgs,
    },
    /// Time one clip render, for planning.
    RenderSpeed,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Vae { train, freeze_encoder, object_weight, error } => {
            anyhow::ensure!(object_weight.is_finite() && object_weight >= 0.0, "--object-weight must be a number of at least 0, not {object_weight}");
            train_loop::train(&vae::VaeTask { config: VideoVaeConfig::vae_64(), freeze_encoder, object_weight, error }, &train)?;
        }
        Command::Audio { train } => {
            train_loop::train(&audio::AudioTask { config: AudioVaeConfig::audio_64() }, &train)?;
        }
        Command::Teacher { train, parts } => {
            teacher::check_reuse(parts.reuse as usize, train.batch, train.overfit)?;
            train_loop::train(&teacher::TeacherTask::new(&parts, &train.device()?)?, &train)?;
        }
        Command::Kino2 { train, parts } => {
            train_loop::train(&kino2::Kino2Task::new(&parts, &train.device()?)?, &train)?;
        }
        Command::Reader { train, parts } => {
            train_loop::train(&reader::ReaderTask::new(&parts, &train.device()?)?, &train)?;
        }
        Command::Upscale { train } => {
            train_loop::train(&upscale::UpscaleTask { config: kino_model::kino2::upscale::UpscalerConfig::base() }, &train)?;
        }
        Command::Judge { train, reader_only, augment } => {
            let resuming = checkpoint::Checkpoint::new(&train.out).exists() && !train.fresh;
            anyhow::ensure!(
                !reader_only || resuming || train.init.is_some(),
                "--reader-only trains the cell reader of a trained judge: give --init (a released judge, models/kino-judge) or resume a checkpoint"
            );
            train_loop::train(&judge::JudgeTask::new(judge::JudgeConfig::default(), reader_only, augment), &train)?;
        }
        Command::Eval { args } => eval::run(&args)?,
        Command::Export { args } => export::export(&args)?,
        Command::ExportKino2 { args } => export::export_kino2(&args)?,
        Command::ExportJudge { judge, out } => {
            let (model, config) = judge::load(&judge, &burn::tensor::Device::flex())?;
            judge::save_release(&model, &config, &out)?;
            eprintln!("wrote {}", out.display());
        }
        Command::Bench { args } => bench::run(&args)?,
        Command::RenderSpeed => {
            let started = std::time::Instant::now();
            for seed in 0..20 {
                data::clip(seed)?;
            }
            println!("{:.1} ms per clip", started.elapsed().as_secs_f64() * 1000.0 / 20.0);
        }
    }
    Ok(())
}

/// `--error`: how `kino-train vae` takes the per-pixel error.
fn error_norm(name: &str) -> Result<ErrorNorm, String> {
    match name {
        "squared" => Ok(ErrorNorm::Squared),
        "absolute" => Ok(ErrorNorm::Absolute),
        _ => Err(format!("`{name}` is no error: use `squared` or `absolute`")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    #[test]
    fn the_error_is_named_squared_or_absolute() {
        assert_eq!(super::error_norm("absolute"), Ok(super::ErrorNorm::Absolute));
        assert_eq!(super::error_norm("squared"), Ok(super::ErrorNorm::Squared));
        let refused = super::error_norm("l1").expect_err("unknown");
        assert!(refused.contains("`l1`") && refused.contains("absolute"), "{refused}");
    }
}
