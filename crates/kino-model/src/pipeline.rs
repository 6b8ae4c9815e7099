//! A released model end to end: prompt → conditioning → flow sampling of the joint video and
//! audio → RGB frames and 16 kHz sound. Two families share it ([`Family`]): kino-1 samples a video
//! autoencoder's latents under MiniLM's states of the prompt and decodes them; kino-2 samples the
//! pixels themselves under the slots its prompt reader finds in the prompt. Sound is sampled in
//! the audio autoencoder's latents by both. Also the edits built on the same sampler:
//!
//! - **remix**: an existing clip's latents, noised to `strength` (0 keeps it, 1 is a fresh
//!   clip), denoised under a new prompt (SDEdit, Meng et al., 2022);
//! - **extend**: a new window whose first latent frames are pinned to the end of the previous
//!   clip (re-noised to each step's time, as in RePaint, Lugmayr et al., 2022), so the
//!   continuation starts where the clip stopped; the result is the stitched clip;
//! - **multi-shot**: extends shot after shot, each under its own prompt.
//!
//! A model folder holds `config.json` ([`PipelineConfig`]) and half-precision safetensors files
//! (`audio_vae`, `generator`, and kino-1's `video_vae` or kino-2's `reader`); MiniLM comes from
//! its own folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::audio_vae::{AudioVae, AudioVaeConfig, from_model_rate, to_model_rate};
use kino_core::slots::ClipSlots;

use crate::dit::{Conditioning, JointLatents, Kino, KinoConfig};
use crate::flow::{self, Guided, Sampler, VelocityField};
use crate::kino2::denoise::SlotGuided;
use crate::kino2::reader::{PromptReader, ReaderConfig};
use crate::kino2::slots::SlotTensors;
use crate::kino2::upscale::{Upscaler, UpscalerConfig};
use crate::kino2::{Kino2, Kino2Config};
use crate::shape::ShapeError;
use crate::text::{TextEncoder, TextError, loader::LoadError};
use crate::video_vae::{TIME_COMPRESSION, VideoVae, VideoVaeConfig, rgb_to_video, video_to_rgb};
use crate::weights::{self, WeightsError};

/// Video frames an extension keeps from the clip it continues (0.67 s).
pub const EXTEND_CONTEXT_FRAMES: usize = 8;
/// Griffin-Lim rounds when turning generated spectrograms into sound.
const GRIFFIN_LIM_ITERATIONS: usize = 32;

/// Everything about a released model except its weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineConfig {
    /// The weights' name, e.g. `kino-1-teacher`.
    pub name: String,
    /// What the generator works on and reads.
    #[serde(flatten)]
    pub family: Family,
    pub audio_vae: AudioVaeConfig,
    /// Multiplies the audio autoencoder's latent mean to give unit variance.
    pub audio_scale: f64,
    pub width: usize,
    pub height: usize,
    pub fps: f32,
    /// Sampling steps when a request names none.
    pub default_steps: usize,
    /// Classifier-free guidance scale.
    pub guidance: f64,
    /// Time shift of the sampling schedule (see [`flow::schedule`]).
    pub shift: f64,
    /// The integrator when a request names none (Euler in configs written before it existed).
    #[serde(default = "euler")]
    pub sampler: Sampler,
}

fn euler() -> Sampler {
    Sampler::Euler
}

/// The two generator families (told apart by their config's fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Family {
    /// kino-1: a transformer over a video autoencoder's latents, reading MiniLM's token states.
    Latent {
        video_vae: VideoVaeConfig,
        generator: KinoConfig,
        /// Multiplies the video autoencoder's latent mean to give unit variance.
        video_scale: f64,
    },
    /// kino-2: a transformer over pixels, reading the slots its prompt reader finds.
    Pixel {
        pixel_generator: Kino2Config,
        reader: ReaderConfig,
        /// Times `[low, high]` where classifier-free guidance applies.
        guidance_window: [f64; 2],
        /// The 2x upscaler kino-2-pro runs on the frames, when the folder has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        upscaler: Option<UpscalerConfig>,
    },
}

impl PipelineConfig {
    /// The generator's video array `[channels, frames, height, width]`: latents or pixels.
    pub fn window_shape(&self) -> [usize; 4] {
        match &self.family {
            Family::Latent { generator, .. } => generator.video_latent,
            Family::Pixel { pixel_generator, .. } => pixel_generator.video,
        }
    }

    /// The audio latent `[channels, frames]` of one window.
    pub fn audio_latent(&self) -> [usize; 2] {
        match &self.family {
            Family::Latent { generator, .. } => generator.audio_latent,
            Family::Pixel { pixel_generator, .. } => pixel_generator.audio_latent,
        }
    }

    /// Video frames per frame of the generator's array (the autoencoder's time compression).
    pub fn frames_per_step(&self) -> usize {
        match &self.family {
            Family::Latent { .. } => TIME_COMPRESSION,
            Family::Pixel { .. } => 1,
        }
    }

    /// Frames in one generated window.
    pub fn frames(&self) -> usize {
        self.window_shape()[1] * self.frames_per_step()
    }

    /// Frames of the generator's array in a clip of `seconds`.
    pub fn frames_in(&self, seconds: f32) -> usize {
        (seconds * self.fps).round() as usize / self.frames_per_step()
    }

    /// Frames of the generator's array an extension keeps from the clip it continues.
    pub fn extend_context(&self) -> usize {
        EXTEND_CONTEXT_FRAMES / self.frames_per_step()
    }
}

/// Why a model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("{path} is missing: the model's weights are not installed (run `cargo xtask fetch-models`)")]
    Missing { path: PathBuf },
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error(transparent)]
    Weights(#[from] WeightsError),
    #[error("the text encoder: {0}")]
    TextLoad(#[from] LoadError),
    #[error("the prompt: {0}")]
    Text(#[from] TextError),
    #[error(transparent)]
    Shape(#[from] ShapeError),
    #[error("{0}")]
    Invalid(String),
    /// The prompt names nothing the model can draw.
    #[error("{0}")]
    NotUnderstood(String),
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Request {
    pub prompt: String,
    pub seed: u64,
    /// Sampling steps (the model's default when `None`).
    pub steps: Option<usize>,
    /// Guidance scale (the model's default when `None`).
    pub guidance: Option<f64>,
    /// The integrator (the model's default when `None`).
    pub sampler: Option<Sampler>,
    /// kino-2: these slots instead of those the reader finds in the prompt (a person's
    /// correction of what Kino understood); kino-1 ignores them.
    pub slots: Option<ClipSlots>,
}

impl Request {
    pub fn new(prompt: impl Into<String>, seed: u64) -> Request {
        Request { prompt: prompt.into(), seed, steps: None, guidance: None, sampler: None, slots: None }
    }
}

/// A generated clip: frames, sound, and the latents it was decoded from (kept for edits).
#[derive(Debug, Clone)]
pub struct Generated {
    pub width: usize,
    pub height: usize,
    pub fps: f32,
    /// RGB, `width * height * 3` bytes each.
    pub frames: Vec<Vec<u8>>,
    /// Mono, 16 kHz, in `[-1, 1]`.
    pub audio: Vec<f32>,
    pub latents: ClipLatents,
}

/// A clip's latents on the host, scaled to unit variance as the generator sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipLatents {
    /// `[channels, frames, height, width]` and its values.
    pub video_shape: [usize; 4],
    pub video: Vec<f32>,
    /// `[channels, frames]` and its values.
    pub audio_shape: [usize; 2],
    pub audio: Vec<f32>,
}

impl ClipLatents {
    fn from_joint(x: &JointLatents) -> ClipLatents {
        let [_, c, t, h, w] = x.video.dims();
        let [_, ac, af] = x.audio.dims();
        ClipLatents {
            video_shape: [c, t, h, w],
            video: x.video.clone().into_data().convert::<f32>().try_into_vec::<f32>().unwrap_or_default(),
            audio_shape: [ac, af],
            audio: x.audio.clone().into_data().convert::<f32>().try_into_vec::<f32>().unwrap_or_default(),
        }
    }

    fn to_joint(&self, device: &Device) -> JointLatents {
        let [c, t, h, w] = self.video_shape;
        let [ac, af] = self.audio_shape;
        JointLatents {
            video: Tensor::from_data(TensorData::new(self.video.clone(), [1, c, t, h, w]), device),
            audio: Tensor::from_data(TensorData::new(self.audio.clone(), [1, ac, af]), device),
        }
    }

    /// Latent frames (video latent frames; each owns `audio frames / video frames` audio ones).
    pub fn frames(&self) -> usize {
        self.video_shape[1]
    }
}

/// A loaded model.
pub struct Pipeline {
    pub config: PipelineConfig,
    pub audio_vae: AudioVae,
    pub generator: Generator,
    /// MiniLM (absent in the browser's copy, which is given slots).
    pub text: Option<TextEncoder>,
    device: Device,
}

/// The loaded generator and what it needs of its family.
// One per loaded pipeline, never moved in a loop: boxing the larger variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Generator {
    Latent { video_vae: VideoVae, model: Kino },
    Pixel { model: Kino2, reader: PromptReader, upscaler: Option<Upscaler> },
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").field("config", &self.config).finish_non_exhaustive()
    }
}

/// The weight files of a model folder.
pub const VIDEO_VAE_FILE: &str = "video_vae.safetensors";
pub const AUDIO_VAE_FILE: &str = "audio_vae.safetensors";
pub const GENERATOR_FILE: &str = "generator.safetensors";
pub const READER_FILE: &str = "reader.safetensors";
pub const UPSCALER_FILE: &str = "upscaler.safetensors";

/// Where a model's weight files are read from.
enum WeightFiles<'a> {
    /// A model folder.
    Dir(&'a Path),
    /// The files' bytes by name.
    Bytes(HashMap<String, Vec<u8>>),
}

impl WeightFiles<'_> {
    fn load<M: burn::module::Module>(&mut self, module: M, file: &str) -> Result<M, WeightsError> {
        match self {
            WeightFiles::Dir(dir) => weights::load(module, &dir.join(file)),
            WeightFiles::Bytes(files) => match files.remove(file) {
                Some(bytes) => weights::load_bytes(module, bytes, file),
                None => Err(WeightsError::Missing { path: file.to_owned() }),
            },
        }
    }

    /// Whether an optional file is to be loaded: always from a folder (where the config names
    /// it, it must be there), from bytes only when given.
    fn wants(&self, file: &str) -> bool {
        match self {
            WeightFiles::Dir(_) => true,
            WeightFiles::Bytes(files) => files.contains_key(file),
        }
    }
}

/// The files of a model folder.
pub fn config_path(dir: &Path) -> PathBuf {
    dir.join("config.json")
}

impl Pipeline {
    /// Loads `dir` (config and weights) and MiniLM from `text_dir`.
    pub fn load(dir: &Path, text_dir: &Path, device: &Device) -> Result<Pipeline, PipelineError> {
        let path = config_path(dir);
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PipelineError::Missing { path: path.clone() },
            _ => PipelineError::Config { path: path.clone(), message: e.to_string() },
        })?;
        let config: PipelineConfig = serde_json::from_slice(&bytes).map_err(|e| PipelineError::Config { path: path.clone(), message: e.to_string() })?;
        let text = TextEncoder::load(text_dir, device)?;
        Self::assemble(config, WeightFiles::Dir(dir), Some(text), device)
    }

    /// A model from its `config.json` and weight files' bytes (the browser's preview fetches
    /// them), without MiniLM: it generates from slots ([`Request::slots`]) and cannot read a
    /// prompt itself. kino-2-pro's upscaler is loaded only when its file is among `files`.
    pub fn from_bytes(config_json: &[u8], files: HashMap<String, Vec<u8>>, device: &Device) -> Result<Pipeline, PipelineError> {
        let config: PipelineConfig =
            serde_json::from_slice(config_json).map_err(|e| PipelineError::Config { path: PathBuf::from("config.json"), message: e.to_string() })?;
        Self::assemble(config, WeightFiles::Bytes(files), None, device)
    }

    fn assemble(config: PipelineConfig, mut files: WeightFiles, text: Option<TextEncoder>, device: &Device) -> Result<Pipeline, PipelineError> {
        let audio_vae = files.load(config.audio_vae.init(device), AUDIO_VAE_FILE)?;
        let generator = match &config.family {
            Family::Latent { video_vae, generator, .. } => {
                Generator::Latent { video_vae: files.load(video_vae.init(device), VIDEO_VAE_FILE)?, model: files.load(generator.init(device), GENERATOR_FILE)? }
            }
            Family::Pixel { pixel_generator, reader, upscaler, .. } => Generator::Pixel {
                model: files.load(pixel_generator.init(device), GENERATOR_FILE)?,
                reader: files.load(reader.init(device), READER_FILE)?,
                upscaler: match upscaler {
                    Some(u) if files.wants(UPSCALER_FILE) => Some(files.load(u.init(device), UPSCALER_FILE)?),
                    _ => None,
                },
            },
        };
        Ok(Pipeline { config, audio_vae, generator, text, device: device.clone() })
    }

    /// MiniLM, which reading a prompt needs.
    fn text(&self) -> Result<&TextEncoder, PipelineError> {
        self.text.as_ref().ok_or_else(|| PipelineError::Invalid("this copy of the model has no text encoder: it generates only from slots".into()))
    }

    /// Writes a model folder: `config.json` and the weight files in half precision.
    pub fn save(dir: &Path, config: &PipelineConfig, audio_vae: &AudioVae, generator: &Generator) -> Result<(), PipelineError> {
        let io = |e: std::io::Error| PipelineError::Config { path: dir.to_owned(), message: e.to_string() };
        std::fs::create_dir_all(dir).map_err(io)?;
        weights::save_f16(audio_vae, &dir.join(AUDIO_VAE_FILE))?;
        match generator {
            Generator::Latent { video_vae, model } => {
                weights::save_f16(video_vae, &dir.join(VIDEO_VAE_FILE))?;
                weights::save_f16(model, &dir.join(GENERATOR_FILE))?;
            }
            Generator::Pixel { model, reader, upscaler } => {
                weights::save_f16(model, &dir.join(GENERATOR_FILE))?;
                weights::save_f16(reader, &dir.join(READER_FILE))?;
                if let Some(upscaler) = upscaler {
                    weights::save_f16(upscaler, &dir.join(UPSCALER_FILE))?;
                }
            }
        }
        let json = serde_json::to_vec_pretty(config).map_err(|e| PipelineError::Config { path: config_path(dir), message: e.to_string() })?;
        std::fs::write(config_path(dir), json).map_err(io)
    }

    /// What kino-2's reader finds in `prompt` (kino-1 reads no slots: `None`). A prompt that
    /// names nothing the world can draw is an error saying so.
    pub fn understand(&self, prompt: &str) -> Result<Option<ClipSlots>, PipelineError> {
        let Generator::Pixel { reader, .. } = &self.generator else { return Ok(None) };
        let prompt = prompt.trim();
        if prompt.is_empty() {
            return Err(PipelineError::Invalid("the prompt is empty".into()));
        }
        let slots = reader.forward(&self.text()?.encode(&[prompt])?).slots().into_iter().next().unwrap_or_default();
        if slots.objects.iter().all(|o| o.kind.is_none() && o.colour.is_none()) {
            return Err(PipelineError::NotUnderstood(format!(
                "Kino found nothing it can draw in \"{prompt}\": it draws balls, basketballs, cubes, rubber ducks and characters, in a gym, a park, a studio or beside a pool; name at least one of them"
            )));
        }
        Ok(Some(slots))
    }

    /// A new clip for `request`; `progress` gets the fraction done (0 to 1).
    pub fn generate(&self, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let noise = self.noise(request.seed);
        let x = self.sample(request, noise, 1.0, None, progress)?;
        self.decode(&x, progress)
    }

    /// A clip `latent_frames` frames of the generator's array long: one window and, past it,
    /// windows continued from its end as an extension makes them (each from the next seed), so
    /// a clip longer than the model's window keeps its objects, setting and sound. Progress
    /// counts across the windows.
    pub fn generate_frames(&self, request: &Request, latent_frames: usize, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let window = self.config.window_shape()[1];
        if latent_frames == window {
            return self.generate(request, progress);
        }
        if latent_frames < window {
            let shortest = self.config.frames() as f32 / self.config.fps;
            return Err(PipelineError::Invalid(format!("{} makes clips of at least {shortest:.1} s", self.config.name)));
        }
        let windows = 1 + (latent_frames - window).div_ceil(self.extension_frames().max(1));
        let share = 1.0 / windows as f32;
        // `sample` reports up to 0.9, the decoding the rest: the first window has no decoding.
        let first = self.sample(request, self.noise(request.seed), 1.0, None, &mut |p| progress(p / 0.9 * share))?;
        let rest = Request { seed: window_seed(request.seed, 1), ..request.clone() };
        self.extend_by(&ClipLatents::from_joint(&first), latent_frames - window, &rest, &mut |p| progress(share + (1.0 - share) * p))
    }

    /// Whether [`Pipeline::upscale`] can run: the folder has kino-2-pro's upscaler.
    pub fn can_upscale(&self) -> bool {
        matches!(&self.generator, Generator::Pixel { upscaler: Some(_), .. })
    }

    /// `clip`'s frames at twice the width and height (kino-2-pro), by the folder's upscaler;
    /// the sound and the latents (which edits start from) stay as they were.
    pub fn upscale(&self, clip: Generated) -> Result<Generated, PipelineError> {
        let Generator::Pixel { upscaler: Some(upscaler), .. } = &self.generator else {
            return Err(PipelineError::Invalid(format!("{} has no upscaler ({UPSCALER_FILE})", self.config.name)));
        };
        let frames: Vec<&[u8]> = clip.frames.iter().map(Vec::as_slice).collect();
        let video = rgb_to_video(&[frames], clip.height, clip.width, &self.device); // [1, 3, T, H, W]
        let large = upscaler.forward(video).clamp(-1.0, 1.0); // [1, 3, T, 2H, 2W]
        let [_, _, _, h, w] = large.dims();
        Ok(Generated { width: w, height: h, frames: video_to_rgb(&large, 0), ..clip })
    }

    /// `source` redone under `request.prompt`: its latents are noised to `strength` (0 to 1)
    /// and denoised from there. A source longer than one window is redone window by window
    /// (each from the next seed), every window after the first starting from the redone frames
    /// it shares with the one before, so the whole clip changes as one.
    pub fn remix(&self, source: &ClipLatents, strength: f64, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        if !(strength.is_finite() && strength > 0.0 && strength <= 1.0) {
            return Err(PipelineError::Invalid(format!("remix strength {strength} must be above 0 and at most 1")));
        }
        let window = self.config.window_shape()[1];
        let step = self.extension_frames().max(1);
        let total = source.frames();
        // Window starts: every `step` frames, the last one ending where the source ends.
        let mut starts: Vec<usize> = (0..).map(|k| k * step).take_while(|&start| start == 0 || start + window - step < total).collect();
        if let Some(last) = starts.last_mut() {
            *last = (*last).min(total.saturating_sub(window));
        }
        let per = self.audio_per_latent();
        let mut made: Option<JointLatents> = None;
        for (k, &start) in starts.iter().enumerate() {
            let x0 = self.window_of(source, start)?;
            let seeded = Request { seed: window_seed(request.seed, k as u64), ..request.clone() };
            let noisy = flow::noised(&x0, &self.noise(seeded.seed), &Tensor::<1>::full([1], strength, &self.device));
            // The frames this window shares with what is already redone stay as redone.
            let known = made.as_ref().map(|done| {
                let frames = done.video.dims()[2] - start;
                Known { frames, video: done.video.clone().narrow(2, start, frames), audio: done.audio.clone().narrow(2, start * per, frames * per) }
            });
            let share = |p: f32| (k as f32 + p / 0.9) / starts.len() as f32 * 0.9;
            let x = self.sample(&seeded, noisy, strength, known.as_ref(), &mut |p| progress(share(p)))?;
            made = Some(match (made, known) {
                (Some(done), Some(known)) => JointLatents {
                    video: Tensor::cat(vec![done.video, x.video.narrow(2, known.frames, window - known.frames)], 2),
                    audio: Tensor::cat(vec![done.audio, x.audio.narrow(2, known.frames * per, (window - known.frames) * per)], 2),
                },
                _ => x,
            });
        }
        let made = made.ok_or_else(|| PipelineError::Invalid("the source clip is empty".into()))?;
        self.decode(&made, progress)
    }

    /// `source` continued under `request.prompt`: one more window whose first frames (0.67 s)
    /// are `source`'s last; returns the stitched clip.
    pub fn extend(&self, source: &ClipLatents, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let stitched = self.continued(source, request, progress)?;
        self.decode(&stitched, progress)
    }

    /// Frames of the generator's array one [`Pipeline::extend`] adds.
    pub fn extension_frames(&self) -> usize {
        self.config.window_shape()[1].saturating_sub(self.config.extend_context())
    }

    /// `source` continued by exactly `latent_frames` frames of the generator's array (as many windows as that
    /// takes, each from a new seed); returns the stitched clip.
    pub fn extend_by(&self, source: &ClipLatents, latent_frames: usize, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let per_window = self.extension_frames();
        if latent_frames == 0 || per_window == 0 {
            return Err(PipelineError::Invalid(format!("cannot extend a clip by {latent_frames} latent frames")));
        }
        let rounds = latent_frames.div_ceil(per_window);
        let mut clip = source.clone();
        for round in 0..rounds {
            let seeded = Request { seed: window_seed(request.seed, round as u64), ..request.clone() };
            // `sample` reports up to 0.9 per window; the decoding below reports the rest.
            let x = self.continued(&clip, &seeded, &mut |p| progress((round as f32 + p / 0.9) / rounds as f32 * 0.9))?;
            clip = ClipLatents::from_joint(&x);
        }
        let total = source.frames() + latent_frames;
        let x = clip.to_joint(&self.device);
        let per = self.audio_per_latent();
        let trimmed = JointLatents { video: x.video.narrow(2, 0, total), audio: x.audio.narrow(2, 0, total * per) };
        self.decode(&trimmed, progress)
    }

    /// The stitched latents of `source` and one more window.
    fn continued(&self, source: &ClipLatents, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<JointLatents, PipelineError> {
        let window = self.config.window_shape()[1];
        let context = self.config.extend_context();
        if window <= context {
            return Err(PipelineError::Invalid(format!("this model's window of {window} frames is too short to extend a clip")));
        }
        if source.frames() < context || source.video_shape[0] != self.config.window_shape()[0] {
            return Err(PipelineError::Invalid("the clip to extend was not made by this model".into()));
        }
        let known = self.window_of(source, source.frames().saturating_sub(window))?;
        let offset = window - context; // the context frames' place in `known`
        let pinned = Known {
            frames: context,
            video: known.video.clone().narrow(2, offset, context),
            audio: known.audio.clone().narrow(2, offset * self.audio_per_latent(), context * self.audio_per_latent()),
        };
        let noise = self.noise(request.seed);
        let x = self.sample(request, noise, 1.0, Some(&pinned), progress)?;
        // Stitch: the whole source, then the window's new frames.
        let new = window - context;
        let full = source.to_joint(&self.device);
        Ok(JointLatents {
            video: Tensor::cat(vec![full.video, x.video.narrow(2, context, new)], 2),
            audio: Tensor::cat(vec![full.audio, x.audio.narrow(2, context * self.audio_per_latent(), new * self.audio_per_latent())], 2),
        })
    }

    /// Shot after shot: the first from noise, each next one extending the clip so far.
    pub fn multi_shot(&self, prompts: &[String], request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let Some((first, rest)) = prompts.split_first() else {
            return Err(PipelineError::Invalid("a multi-shot clip needs at least one prompt".into()));
        };
        let shots = prompts.len() as f32;
        let mut clip = self.generate(&Request { prompt: first.clone(), ..request.clone() }, &mut |p| progress(p / shots))?;
        for (i, prompt) in rest.iter().enumerate() {
            let seed = window_seed(request.seed, i as u64 + 1);
            clip = self.extend(&clip.latents, &Request { prompt: prompt.clone(), seed, ..request.clone() }, &mut |p| progress((i as f32 + 1.0 + p) / shots))?;
        }
        Ok(clip)
    }

    /// Audio latent frames per frame of the generator's array (16 for kino-1, 4 for kino-2).
    fn audio_per_latent(&self) -> usize {
        self.config.audio_latent()[1] / self.config.window_shape()[1]
    }

    fn noise(&self, seed: u64) -> JointLatents {
        let [c, t, h, w] = self.config.window_shape();
        let [ac, af] = self.config.audio_latent();
        JointLatents::seeded_noise([1, c, t, h, w], [1, ac, af], seed, &self.device)
    }

    /// One generator window of `source` starting at latent frame `start`.
    fn window_of(&self, source: &ClipLatents, start: usize) -> Result<JointLatents, PipelineError> {
        let [c, t, h, w] = self.config.window_shape();
        let [ac, _] = self.config.audio_latent();
        if source.video_shape[0] != c || source.video_shape[2..] != [h, w] || source.audio_shape[0] != ac || source.frames() < t {
            return Err(PipelineError::Invalid("the source clip was not made by this model".into()));
        }
        let full = source.to_joint(&self.device);
        let start = start.min(source.frames().saturating_sub(t));
        let per = self.audio_per_latent();
        Ok(JointLatents { video: full.video.narrow(2, start, t), audio: full.audio.narrow(2, start * per, t * per) })
    }

    /// Integrates from `x` at time `start` to 0, pinning `known` frames if given.
    fn sample(
        &self,
        request: &Request,
        x: JointLatents,
        start: f64,
        known: Option<&Known>,
        progress: &mut dyn FnMut(f32),
    ) -> Result<JointLatents, PipelineError> {
        let prompt = request.prompt.trim();
        if prompt.is_empty() {
            return Err(PipelineError::Invalid("the prompt is empty".into()));
        }
        let steps = request.steps.unwrap_or(self.config.default_steps);
        if !(1..=200).contains(&steps) {
            return Err(PipelineError::Invalid(format!("steps {steps} must be 1 to 200")));
        }
        let scale = request.guidance.unwrap_or(self.config.guidance);
        if !(scale.is_finite() && (1.0..=20.0).contains(&scale)) {
            return Err(PipelineError::Invalid(format!("guidance {scale} must be 1 to 20")));
        }
        let field = self.field(request, prompt, scale)?;
        let field = field.as_ref();
        let times = flow::schedule(steps, start, self.config.shift);
        let pin_noise = self.noise(request.seed.wrapping_add(0x5EED));
        let mut x = match known {
            Some(k) => k.pin(x, &pin_noise, times[0]),
            None => x,
        };
        for (i, pair) in times.windows(2).enumerate() {
            let fresh = || self.noise(request.seed.wrapping_add(0xA4C0_0000 + i as u64));
            x = flow::step(field, request.sampler.unwrap_or(self.config.sampler), x, pair[0], pair[1], fresh)?;
            if let Some(k) = known {
                x = k.pin(x, &pin_noise, pair[1]);
            }
            progress(0.9 * (i + 1) as f32 / steps as f32);
        }
        Ok(x)
    }

    /// The generator under `request`, guided at `scale`.
    fn field(&self, request: &Request, prompt: &str, scale: f64) -> Result<Box<dyn VelocityField + '_>, PipelineError> {
        Ok(match (&self.generator, &self.config.family) {
            (Generator::Latent { model, .. }, _) => Box::new(Guided { model, cond: Conditioning::text(self.text()?.encode(&[prompt])?), scale }),
            (Generator::Pixel { model, .. }, family) => {
                let slots = match &request.slots {
                    Some(slots) => slots.clone(),
                    None => self.understand(prompt)?.unwrap_or_default(),
                };
                let window = match family {
                    Family::Pixel { guidance_window, .. } => *guidance_window,
                    Family::Latent { .. } => [0.0, 1.0],
                };
                Box::new(SlotGuided {
                    model,
                    slots: SlotTensors::new(&[slots], &self.device),
                    unconditional: SlotTensors::unconditional(1, &self.device),
                    scale,
                    window,
                })
            }
        })
    }

    /// Frames and sound of the generator's arrays (any number of frames).
    fn decode(&self, x: &JointLatents, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let video = match (&self.generator, &self.config.family) {
            (Generator::Latent { video_vae, .. }, Family::Latent { video_scale, .. }) => video_vae.decode(x.video.clone().div_scalar(*video_scale))?,
            _ => x.video.clone(),
        }
        .clamp(-1.0, 1.0); // [1, 3, T, H, W]
        progress(0.93);
        let spectrogram = self.audio_vae.decode(x.audio.clone().div_scalar(self.config.audio_scale))?;
        let audio = self.audio_vae.waveforms(spectrogram, GRIFFIN_LIM_ITERATIONS).into_iter().next().unwrap_or_default();
        progress(1.0);
        let [_, _, _, h, w] = video.dims();
        let frames = video_to_rgb(&video, 0);
        Ok(Generated { width: w, height: h, fps: self.config.fps, frames, audio: from_model_rate(&audio), latents: ClipLatents::from_joint(x) })
    }

    /// Frames and sound of latents from [`Pipeline::encode`] or an earlier generation: with
    /// `encode`, a clip's round trip through the autoencoders (what any generator over them
    /// can at best draw).
    pub fn decode_latents(&self, latents: &ClipLatents) -> Result<Generated, PipelineError> {
        self.decode(&latents.to_joint(&self.device), &mut |_| ())
    }

    /// Latents of a clip made elsewhere (RGB frames of this model's size, 16 kHz sound), for
    /// remixing a video whose latents were not kept.
    pub fn encode(&self, frames: &[Vec<u8>], audio: &[f32]) -> Result<ClipLatents, PipelineError> {
        let (w, h) = (self.config.width, self.config.height);
        let per = self.config.frames_per_step();
        let t = frames.len() - frames.len() % per;
        if t == 0 || frames.iter().any(|f| f.len() != w * h * 3) {
            return Err(PipelineError::Invalid(format!("frames must be {w}x{h} RGB, at least {per} of them")));
        }
        let video = rgb_to_video(&[frames[..t].iter().map(Vec::as_slice).collect()], h, w, &self.device);
        let latent_video = match (&self.generator, &self.config.family) {
            (Generator::Latent { video_vae, .. }, Family::Latent { video_scale, .. }) => video_vae.encode(video)?.mean.mul_scalar(*video_scale),
            _ => video,
        };
        let mut wave = to_model_rate(audio);
        let samples = t / per * self.audio_per_latent() * self.audio_vae.hop;
        wave.resize(samples, 0.0);
        let latent_audio = self.audio_vae.encode(self.audio_vae.spectrogram(&[wave], &self.device)?)?.mean.mul_scalar(self.config.audio_scale);
        Ok(ClipLatents::from_joint(&JointLatents { video: latent_video, audio: latent_audio }))
    }
}

/// Latent frames held fixed at the start of a window while the rest is sampled.
struct Known {
    frames: usize,
    /// `[1, c, frames, h, w]`, clean.
    video: Tensor<5>,
    /// `[1, ac, frames * per]`, clean.
    audio: Tensor<3>,
}

impl Known {
    /// `x` with its first frames replaced by the known ones noised to time `t`.
    fn pin(&self, x: JointLatents, noise: &JointLatents, t: f64) -> JointLatents {
        let [_, _, vt, _, _] = x.video.dims();
        let [_, _, at] = x.audio.dims();
        let af = self.audio.dims()[2];
        let v = self.video.clone().mul_scalar(1.0 - t) + noise.video.clone().narrow(2, 0, self.frames).mul_scalar(t);
        let a = self.audio.clone().mul_scalar(1.0 - t) + noise.audio.clone().narrow(2, 0, af).mul_scalar(t);
        JointLatents {
            video: Tensor::cat(vec![v, x.video.narrow(2, self.frames, vt - self.frames)], 2),
            audio: Tensor::cat(vec![a, x.audio.narrow(2, af, at - af)], 2),
        }
    }
}

/// The seed of window `k` of a take seeded `seed` (window 0 keeps the take's own), mixed: as
/// `seed + k`, a take's second window drew the noise of the next seed's first.
fn window_seed(seed: u64, k: u64) -> u64 {
    if k == 0 {
        return seed;
    }
    let mut z = seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_window_of_a_take_shares_its_seed_with_another_window_of_nearby_takes() {
        // A long clip's windows: the take's seed, then window 1's, then continuations of that.
        let windows = |seed: u64| {
            let rest = window_seed(seed, 1);
            [seed, rest, window_seed(rest, 1), window_seed(rest, 2), window_seed(rest, 3)]
        };
        let all: std::collections::HashSet<u64> = (0..200).flat_map(windows).collect();
        assert_eq!(all.len(), 200 * 5);
        assert_eq!(window_seed(42, 0), 42, "a one-window take keeps its seed, so kept previews are unchanged");
    }
}
