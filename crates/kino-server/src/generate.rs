//! `kino generate`: one clip from a prompt, without a server: `frames/000.png...`,
//! `audio.wav`, `prompt.txt`, kino-2's `understood.json` (the slots it read) and `clip.mp4`
//! (visible mark, invisible watermark, C2PA signed by the data folder's chain) in `--out`.

use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kino_model::pipeline::Request;
use kino_server::generation::{Models, generator, media_clip};
use kino_server::settings::DataSettings;

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// What the clip shows and sounds like.
    #[arg(long)]
    prompt: String,
    /// A model of the registry (`kino-2`, the default; `kino-1`, the legacy model; ...).
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
    let spec = kino_core::models::find(&args.model).ok_or_else(|| {
        let known: Vec<_> = kino_core::models::MODELS.iter().map(|m| m.id).collect();
        anyhow::anyhow!("unknown model `{}`; known: {}", args.model, known.join(", "))
    })?;
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
