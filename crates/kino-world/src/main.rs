//! The `kino-world` command line: render one clip to a folder, or write a dataset of shards.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use kino_world::dataset::{DatasetOptions, write_dataset};
use kino_world::output::write_clip_dir;
use kino_world::sample::{Distribution, sample};
use kino_world::scene_file::parse_scene;
use kino_world::{RenderSettings, render_clip};

#[derive(Parser)]
#[command(name = "kino-world", version, about = "Kino's procedural physics world: clips, sound, captions and datasets")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render one clip into a folder: frames/000.png ..., audio.wav, captions.txt, labels.json, scene.json.
    Render(RenderArgs),
    /// Write many sampled clips into shard files with an index.json.
    Dataset(DatasetArgs),
    /// Print the scene a seed samples, as JSON (a starting point for a scene file).
    Scene {
        #[arg(long, env = "KINO_WORLD_SEED")]
        seed: u64,
    },
}

#[derive(Args)]
struct Frames {
    /// Frame width in pixels (default 128 for render, 64 for dataset).
    #[arg(long, env = "KINO_WORLD_WIDTH")]
    width: Option<u32>,
    /// Frame height in pixels (default 128 for render, 64 for dataset).
    #[arg(long, env = "KINO_WORLD_HEIGHT")]
    height: Option<u32>,
    /// Frames per second.
    #[arg(long, env = "KINO_WORLD_FPS", default_value_t = 12.0)]
    fps: f32,
    /// Number of frames (default: the scene's shots at this frame rate).
    #[arg(long, env = "KINO_WORLD_FRAMES")]
    frames: Option<usize>,
}

impl Frames {
    fn settings(&self, default_size: u32) -> RenderSettings {
        RenderSettings {
            width: self.width.unwrap_or(default_size),
            height: self.height.unwrap_or(default_size),
            fps: self.fps,
            frames: self.frames,
            ..RenderSettings::default()
        }
    }
}

#[derive(Args)]
struct RenderArgs {
    /// A scene JSON file.
    #[arg(long, conflicts_with = "seed", required_unless_present = "seed")]
    scene: Option<PathBuf>,
    /// Sample the scene from this seed instead.
    #[arg(long, env = "KINO_WORLD_SEED")]
    seed: Option<u64>,
    /// Output folder.
    #[arg(long, env = "KINO_WORLD_OUT")]
    out: PathBuf,
    /// Also write sheet.png: every frame tiled in one image.
    #[arg(long)]
    sheet: bool,
    /// With --seed: a JSON file with sampling weights (fields of `Distribution`; missing ones take defaults).
    #[arg(long, env = "KINO_WORLD_DISTRIBUTION", requires = "seed")]
    distribution: Option<PathBuf>,
    #[command(flatten)]
    frames: Frames,
}

#[derive(Args)]
struct DatasetArgs {
    /// How many clips.
    #[arg(long, env = "KINO_WORLD_COUNT")]
    count: usize,
    /// Output folder.
    #[arg(long, env = "KINO_WORLD_OUT")]
    out: PathBuf,
    /// Seed of the first clip; the rest follow consecutively.
    #[arg(long, env = "KINO_WORLD_FIRST_SEED", default_value_t = 0)]
    first_seed: u64,
    /// Clips per shard file.
    #[arg(long, env = "KINO_WORLD_SHARD_CLIPS", default_value_t = 256)]
    shard_clips: usize,
    /// A JSON file with sampling weights (fields of `Distribution`; missing ones take defaults).
    #[arg(long, env = "KINO_WORLD_DISTRIBUTION")]
    distribution: Option<PathBuf>,
    /// Hide the progress bar.
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    frames: Frames,
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Render(a) => {
            let scene = match (&a.scene, a.seed) {
                (Some(path), _) => {
                    let text = std::fs::read_to_string(path).with_context(|| format!("reading scene file {}", path.display()))?;
                    parse_scene(&text).with_context(|| format!("in scene file {}", path.display()))?
                }
                (None, Some(seed)) => match &a.distribution {
                    Some(path) => sample(seed, &Distribution::load(path)?),
                    None => sample(seed, &Distribution::default()),
                },
                (None, None) => bail!("give --scene FILE or --seed N"),
            };
            let clip = render_clip(&scene, &a.frames.settings(128))?;
            write_clip_dir(&clip, &a.out)?;
            if a.sheet {
                kino_world::output::write_sheet(&clip, &a.out.join("sheet.png"), 6)?;
            }
            println!(
                "wrote {} frames, {:.2} s of audio and {} captions to {}",
                clip.frames.len(),
                clip.audio.len() as f32 / 16_000.0,
                clip.captions.len(),
                a.out.display()
            );
            for c in &clip.captions {
                println!("  {c}");
            }
        }
        Command::Dataset(a) => {
            let distribution = match &a.distribution {
                Some(p) => Distribution::load(p)?,
                None => Distribution::default(),
            };
            let opts = DatasetOptions {
                count: a.count,
                first_seed: a.first_seed,
                clips_per_shard: a.shard_clips,
                settings: a.frames.settings(64),
                distribution,
                progress: !a.quiet,
            };
            let index = write_dataset(&a.out, &opts)?;
            println!("wrote {} clips in {} shards to {}", index.clips, index.shards.len(), a.out.display());
        }
        Command::Scene { seed } => {
            println!("{}", serde_json::to_string_pretty(&sample(seed, &Distribution::default()))?);
        }
    }
    Ok(())
}
