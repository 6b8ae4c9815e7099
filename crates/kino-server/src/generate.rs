//! `kino generate`: one clip from a prompt, without a server: `frames/000.png...`,
//! `audio.wav`, `prompt.txt`, kino-2's `understood.json` (the slots it read) and `clip.mp4`
//! (visible mark, invisible watermark, C2PA signed by the data folder's chain) in `--out`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kino_core::models::ModelSpec;
use kino_model::pipeline::Request;
use kino_server::generation::{Models, generator, media_clip};
use kino_server::settings::{DataSettings, GenerationSettings};

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// What the clip shows and sounds like.
    #[arg(long)]
    prompt: String,
    /// A model of the registry (`kino-2`, the default; `kino-1`, the legacy model; ...), or
    /// one of OpenAI's names (`sora-2` runs the default model of those installed, `sora-2-pro`
    /// the Pro model).
    #[arg(long, default_value = "kino-2")]
    model: String,
    /// The same seed and prompt give the same clip.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Sampling steps (default: the model's).
    #[arg(long)]
    steps: Option<usize>,
    /// Length in seconds, one of the model's (2, 4, 8 or 12); past the model's 2-second
    /// window the clip is continued window by window.
    #[arg(long, default_value = "2")]
    seconds: String,
    /// Output folder (created).
    #[arg(long)]
    out: PathBuf,
    /// Folder of model weights.
    #[arg(long, env = "KINO_MODELS_DIR", default_value = "models")]
    models_dir: PathBuf,
    #[command(flatten)]
    data: DataSettings,
}

pub fn run(args: &GenerateArgs) -> anyhow::Result<()> {
    let prompt = kino_core::prompt::Prompt::parse(&args.prompt).map_err(|e| anyhow::anyhow!("--prompt: {e}"))?;
    let spec = model_called(&args.model, &args.models_dir)?;
    let seconds: f32 = match spec.seconds.contains(&args.seconds.trim()) {
        true => args.seconds.trim().parse()?,
        false => anyhow::bail!("--seconds {}: {} makes {} seconds", args.seconds, spec.id, spec.seconds.join(", ")),
    };
    let models = Models::new(&args.models_dir);
    let pipeline = models.pipeline(spec)?;
    let bar = ProgressBar::new(100);
    bar.set_style(ProgressStyle::with_template("{prefix} {bar:30} {pos}% [{elapsed_precise}] {msg}")?);
    bar.set_prefix(spec.id);
    bar.set_message("sampling");
    // kino-2 says what it understood (and refuses a prompt naming nothing it can draw) first.
    if let Some(slots) = pipeline.understand(prompt.as_str())? {
        bar.println(format!("Kino understood: {}", slots.describe()));
        std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
        std::fs::write(args.out.join("understood.json"), serde_json::to_vec_pretty(&slots)?)?;
    }
    let request = Request { steps: args.steps.or(Some(spec.steps as usize)), ..Request::new(prompt.as_str(), args.seed) };
    let frames = pipeline.config.frames_in(seconds);
    let generated = pipeline.generate_frames(&request, frames, &mut |fraction| bar.set_position((fraction * 100.0) as u64))?;
    let generated = if spec.upscaled {
        bar.set_message("upscaling");
        pipeline.upscale(generated)?
    } else {
        generated
    };
    bar.set_message("exporting");
    let frames_dir = args.out.join("frames");
    std::fs::create_dir_all(&frames_dir).with_context(|| format!("creating {}", frames_dir.display()))?;
    let clip = media_clip(&generated);
    for (i, frame) in clip.frames.iter().enumerate() {
        std::fs::write(frames_dir.join(format!("{i:03}.png")), kino_media::thumbnails::png(frame)?)?;
    }
    std::fs::write(args.out.join("audio.wav"), wav_bytes(&clip.audio, clip.sample_rate))?;
    std::fs::write(args.out.join("prompt.txt"), format!("{}\n", prompt.as_str()))?;
    let chain = kino_media::SigningChain::load_or_create(&kino_media::SigningChain::dir_in(&args.data.data), "Kino")?;
    let mut options = kino_media::ExportOptions::new(&args.out, args.seed, chain);
    options.generator = generator(spec);
    let files = kino_media::export(&clip, &options)?;
    bar.finish_with_message("done");
    println!("{}", files.video.display());
    Ok(())
}

/// 16-bit PCM mono WAV.
fn wav_bytes(samples: &[f32], rate: u32) -> Vec<u8> {
    let data = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes());
    }
    out
}

/// The registry's model called `name`, or the installed model an OpenAI name stands for (as
/// `kino serve` answers it without `--model-alias`).
fn model_called(name: &str, models_dir: &Path) -> anyhow::Result<&'static ModelSpec> {
    let name = name.trim();
    if let Some(spec) = kino_core::models::find(name) {
        return Ok(spec);
    }
    let settings = GenerationSettings { models_dir: models_dir.to_owned(), ..GenerationSettings::default() };
    let offered = settings.offered_models().map_err(anyhow::Error::msg)?;
    let aliases = settings.aliases(&offered).map_err(anyhow::Error::msg)?;
    aliases.iter().find(|alias| alias.name == name).map(|alias| alias.model).ok_or_else(|| {
        let known: Vec<String> = kino_core::models::MODELS.iter().map(|m| m.id.to_owned()).chain(aliases.iter().map(|a| a.name.clone())).collect();
        anyhow::anyhow!("unknown model `{name}`; known: {}", known.join(", "))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn openai_names_run_the_installed_default_and_pro_models() {
        let repository_models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
        assert_eq!(model_called("kino-1", &repository_models).unwrap().id, "kino-1");
        assert_eq!(model_called(" sora-2 ", &repository_models).unwrap().id, "kino-2");
        assert_eq!(model_called("sora-2-pro", &repository_models).unwrap().id, "kino-2-pro");
        let unknown = model_called("sora-3", &repository_models).unwrap_err().to_string();
        assert!(unknown.starts_with("unknown model `sora-3`; known: kino-2") && unknown.contains("sora-2-pro"), "{unknown}");
    }
}
