//! Kino's procedural physics world: the data the model learns from and the truth it is judged by.
//!
//! One [`Scene`](kino_core::scene::Scene) drives everything: [`physics`] simulates it
//! deterministically, [`render`] draws frames in any of four styles, [`audio`] turns the
//! contact log into 16 kHz sound, [`captions`] and [`labels`] describe what happened, and
//! [`dataset`] streams many clips into shard files. Trainers call [`render_clip`] in memory:
//!
//! ```
//! use kino_world::{RenderSettings, render_clip, sample::{Distribution, sample}};
//! let scene = sample(1, &Distribution::default());
//! let clip = render_clip(&scene, &RenderSettings::default()).expect("a sampled scene is valid");
//! assert_eq!(clip.frames.len(), 24);
//! assert_eq!(clip.audio.len(), 32_000);
//! ```

pub mod audio;
pub mod camera;
pub mod captions;
pub mod collide;
pub mod dataset;
pub mod error;
pub mod face;
pub mod fixtures;
pub mod labels;
pub mod math;
pub mod output;
pub mod physics;
pub mod raster;
pub mod render;
pub mod rng;
pub mod sample;
pub mod scene_file;
pub mod slots;
pub mod voice;

use kino_core::scene::Scene;
use serde::{Deserialize, Serialize};

pub use audio::{AudioLayers, SAMPLE_RATE};
pub use error::WorldError;
pub use labels::Labels;
pub use physics::Simulation;
pub use render::Frame;

/// How to turn a scene into a clip.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RenderSettings {
    pub width: u32,
    pub height: u32,
    pub fps: f32,
    /// Number of frames; `None` covers the scene's shots.
    pub frames: Option<usize>,
    /// Which sound layers to mix.
    pub audio: AudioLayers,
}

impl Default for RenderSettings {
    /// 64x64 at 12 frames per second: the training size.
    fn default() -> Self {
        RenderSettings { width: 64, height: 64, fps: 12.0, frames: None, audio: AudioLayers::default() }
    }
}

impl RenderSettings {
    /// Frame count and clip length in seconds for `scene`.
    pub fn timing(&self, scene: &Scene) -> (usize, f64) {
        let frames = self.frames.unwrap_or_else(|| (f64::from(scene.duration_s()) * f64::from(self.fps)).round().max(1.0) as usize);
        (frames, frames as f64 / f64::from(self.fps))
    }

    fn check(&self) -> Result<(), WorldError> {
        if self.width == 0 || self.height == 0 || self.width > 4096 || self.height > 4096 {
            return Err(WorldError::Settings(format!("frame size {}x{} must be 1 to 4096 on each side", self.width, self.height)));
        }
        if !(self.fps.is_finite() && self.fps > 0.0 && self.fps <= 240.0) {
            return Err(WorldError::Settings(format!("fps {} must be above 0 and at most 240", self.fps)));
        }
        if self.frames.is_some_and(|f| f == 0 || f > 100_000) {
            return Err(WorldError::Settings("frames must be 1 to 100000".into()));
        }
        Ok(())
    }
}

/// One finished clip, in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub scene: Scene,
    pub frames: Vec<Frame>,
    /// 16 kHz mono in `[-1, 1]`, exactly as long as the frames.
    pub audio: Vec<f32>,
    pub captions: Vec<String>,
    pub labels: Labels,
    /// What a prompt asking for exactly this clip would name ([`slots::slots`]).
    pub slots: kino_core::slots::ClipSlots,
}

/// Simulate, render, sonify, caption and label `scene`.
pub fn render_clip(scene: &Scene, settings: &RenderSettings) -> Result<Clip, WorldError> {
    settings.check()?;
    scene_file::validate(scene)?;
    let (count, duration) = settings.timing(scene);
    let sim = physics::simulate(scene, duration);
    let ctx = render::RenderCtx::new(scene);
    let frames = (0..count).map(|f| render::render_frame(scene, &sim, &ctx, f as f64 / f64::from(settings.fps), settings.width, settings.height)).collect();
    let audio = audio::sonify(scene, &sim, ctx.speech(), duration, settings.audio);
    Ok(Clip {
        scene: scene.clone(),
        frames,
        audio,
        captions: captions::captions(scene, &sim),
        slots: slots::slots(scene, &sim),
        labels: labels::labels(scene, &sim, settings.width, settings.height, settings.fps, count),
    })
}
