//! A released model end to end: prompt → MiniLM states → flow sampling of joint video and
//! audio latents → the two decoders → RGB frames and 16 kHz sound. Also the edits built on the
//! same sampler:
//!
//! - **remix**: an existing clip's latents, noised to `strength` (0 keeps it, 1 is a fresh
//!   clip), denoised under a new prompt (SDEdit, Meng et al., 2022);
//! - **extend**: a new window whose first latent frames are pinned to the end of the previous
//!   clip (re-noised to each step's time, as in RePaint, Lugmayr et al., 2022), so the
//!   continuation starts where the clip stopped; the result is the stitched clip;
//! - **multi-shot**: extends shot after shot, each under its own prompt.
//!
//! A model folder holds `config.json` ([`PipelineConfig`]) and three half-precision
//! safetensors files (`video_vae`, `audio_vae`, `generator`); MiniLM comes from its own folder.

use std::path::{Path, PathBuf};

use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::audio_vae::{AudioVae, AudioVaeConfig, from_model_rate, to_model_rate};
use crate::dit::{Conditioning, JointLatents, Kino, KinoConfig};
use crate::flow::{self, Guided, Sampler};
use crate::noise::gaussian;
use crate::shape::ShapeError;
use crate::text::{TextEncoder, TextError, loader::LoadError};
use crate::video_vae::{TIME_COMPRESSION, VideoVae, VideoVaeConfig, rgb_to_video, video_to_rgb};
use crate::weights::{self, WeightsError};

/// Latent frames an extension keeps from the clip it continues (8 video frames, 0.67 s).
pub const EXTEND_CONTEXT: usize = 2;
/// Griffin-Lim rounds when turning generated spectrograms into sound.
const GRIFFIN_LIM_ITERATIONS: usize = 32;

/// Everything about a released model except its weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineConfig {
    /// The weights' name, e.g. `kino-1-teacher`.
    pub name: String,
    pub video_vae: VideoVaeConfig,
    pub audio_vae: AudioVaeConfig,
    pub generator: KinoConfig,
    /// Multiplies the video autoencoder's latent mean to give unit variance.
    pub video_scale: f64,
    /// The same for the audio latents.
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
}

impl PipelineConfig {
    /// Frames in one generated window.
    pub fn frames(&self) -> usize {
        self.generator.video_latent[1] * TIME_COMPRESSION
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
    pub sampler: Sampler,
}

impl Request {
    pub fn new(prompt: impl Into<String>, seed: u64) -> Request {
        Request { prompt: prompt.into(), seed, steps: None, guidance: None, sampler: Sampler::Euler }
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
    pub video_vae: VideoVae,
    pub audio_vae: AudioVae,
    pub generator: Kino,
    pub text: TextEncoder,
    device: Device,
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
        let video_vae = weights::load(config.video_vae.init(device), &dir.join(VIDEO_VAE_FILE))?;
        let audio_vae = weights::load(config.audio_vae.init(device), &dir.join(AUDIO_VAE_FILE))?;
        let generator = weights::load(config.generator.init(device), &dir.join(GENERATOR_FILE))?;
        let text = TextEncoder::load(text_dir, device)?;
        Ok(Pipeline { config, video_vae, audio_vae, generator, text, device: device.clone() })
    }

    /// Writes a model folder: `config.json` and the three weight files in half precision.
    pub fn save(dir: &Path, config: &PipelineConfig, video_vae: &VideoVae, audio_vae: &AudioVae, generator: &Kino) -> Result<(), PipelineError> {
        let io = |e: std::io::Error| PipelineError::Config { path: dir.to_owned(), message: e.to_string() };
        std::fs::create_dir_all(dir).map_err(io)?;
        weights::save_f16(video_vae, &dir.join(VIDEO_VAE_FILE))?;
        weights::save_f16(audio_vae, &dir.join(AUDIO_VAE_FILE))?;
        weights::save_f16(generator, &dir.join(GENERATOR_FILE))?;
        let json = serde_json::to_vec_pretty(config).map_err(|e| PipelineError::Config { path: config_path(dir), message: e.to_string() })?;
        std::fs::write(config_path(dir), json).map_err(io)
    }

    /// A new clip for `request`; `progress` gets the fraction done (0 to 1).
    pub fn generate(&self, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let noise = self.noise(request.seed);
        let x = self.sample(request, noise, 1.0, None, progress)?;
        self.decode(&x, progress)
    }

    /// `source` redone under `request.prompt`: its latents are noised to `strength` (0 to 1)
    /// and denoised from there.
    pub fn remix(&self, source: &ClipLatents, strength: f64, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        if !(strength.is_finite() && strength > 0.0 && strength <= 1.0) {
            return Err(PipelineError::Invalid(format!("remix strength {strength} must be above 0 and at most 1")));
        }
        let x0 = self.window_of(source, 0)?;
        let noise = self.noise(request.seed);
        let start = flow::noised(&x0, &noise, &Tensor::<1>::full([1], strength, &self.device));
        let x = self.sample(request, start, strength, None, progress)?;
        self.decode(&x, progress)
    }

    /// `source` continued under `request.prompt`: one more window whose first
    /// [`EXTEND_CONTEXT`] latent frames are `source`'s last; returns the stitched clip.
    pub fn extend(&self, source: &ClipLatents, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let stitched = self.continued(source, request, progress)?;
        self.decode(&stitched, progress)
    }

    /// Latent frames one [`Pipeline::extend`] adds.
    pub fn extension_frames(&self) -> usize {
        self.config.generator.video_latent[1].saturating_sub(EXTEND_CONTEXT)
    }

    /// `source` continued by exactly `latent_frames` latent frames (as many windows as that
    /// takes, each from a new seed); returns the stitched clip.
    pub fn extend_by(&self, source: &ClipLatents, latent_frames: usize, request: &Request, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let per_window = self.extension_frames();
        if latent_frames == 0 || per_window == 0 {
            return Err(PipelineError::Invalid(format!("cannot extend a clip by {latent_frames} latent frames")));
        }
        let rounds = latent_frames.div_ceil(per_window);
        let mut clip = source.clone();
        for round in 0..rounds {
            let seeded = Request { seed: request.seed.wrapping_add(round as u64), ..request.clone() };
            let x = self.continued(&clip, &seeded, &mut |p| progress((round as f32 + p) / rounds as f32))?;
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
        let window = self.config.generator.video_latent[1];
        if window <= EXTEND_CONTEXT {
            return Err(PipelineError::Invalid(format!("this model's window of {window} latent frames is too short to extend a clip")));
        }
        if source.frames() < EXTEND_CONTEXT || source.video_shape[0] != self.config.generator.video_latent[0] {
            return Err(PipelineError::Invalid("the clip to extend was not made by this model".into()));
        }
        let known = self.window_of(source, source.frames().saturating_sub(window))?;
        let offset = window - EXTEND_CONTEXT; // the context frames' place in `known`
        let context = Known {
            frames: EXTEND_CONTEXT,
            video: known.video.clone().narrow(2, offset, EXTEND_CONTEXT),
            audio: known.audio.clone().narrow(2, offset * self.audio_per_latent(), EXTEND_CONTEXT * self.audio_per_latent()),
        };
        let noise = self.noise(request.seed);
        let x = self.sample(request, noise, 1.0, Some(&context), progress)?;
        // Stitch: the whole source, then the window's new frames.
        let new = window - EXTEND_CONTEXT;
        let full = source.to_joint(&self.device);
        Ok(JointLatents {
            video: Tensor::cat(vec![full.video, x.video.narrow(2, EXTEND_CONTEXT, new)], 2),
            audio: Tensor::cat(vec![full.audio, x.audio.narrow(2, EXTEND_CONTEXT * self.audio_per_latent(), new * self.audio_per_latent())], 2),
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
            let seed = request.seed.wrapping_add(i as u64 + 1);
            clip = self.extend(&clip.latents, &Request { prompt: prompt.clone(), seed, ..request.clone() }, &mut |p| progress((i as f32 + 1.0 + p) / shots))?;
        }
        Ok(clip)
    }

    /// Audio latent frames per video latent frame (16).
    fn audio_per_latent(&self) -> usize {
        self.config.generator.audio_latent[1] / self.config.generator.video_latent[1]
    }

    fn noise(&self, seed: u64) -> JointLatents {
        let [c, t, h, w] = self.config.generator.video_latent;
        let [ac, af] = self.config.generator.audio_latent;
        JointLatents { video: gaussian([1, c, t, h, w], seed, &self.device), audio: gaussian([1, ac, af], seed ^ 0xA0D1_0000, &self.device) }
    }

    /// One generator window of `source` starting at latent frame `start`.
    fn window_of(&self, source: &ClipLatents, start: usize) -> Result<JointLatents, PipelineError> {
        let [c, t, h, w] = self.config.generator.video_latent;
        let [ac, _] = self.config.generator.audio_latent;
        if source.video_shape[0] != c || source.video_shape[2..] != [h, w] || source.audio_shape[0] != ac || source.frames() < t.min(start + 1) {
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
        let text = self.text.encode(&[prompt])?;
        let field = Guided { model: &self.generator, cond: Conditioning::text(text), scale };
        let times = flow::schedule(steps, start, self.config.shift);
        let pin_noise = self.noise(request.seed.wrapping_add(0x5EED));
        let mut x = match known {
            Some(k) => k.pin(x, &pin_noise, times[0]),
            None => x,
        };
        for (i, pair) in times.windows(2).enumerate() {
            x = match request.sampler {
                Sampler::Euler => flow::euler_step(&field, x, pair[0], pair[1])?,
                Sampler::Heun => flow::heun_step(&field, x, pair[0], pair[1])?,
            };
            if let Some(k) = known {
                x = k.pin(x, &pin_noise, pair[1]);
            }
            progress(0.9 * (i + 1) as f32 / steps as f32);
        }
        Ok(x)
    }

    /// Frames and sound of latents (any number of latent frames).
    fn decode(&self, x: &JointLatents, progress: &mut dyn FnMut(f32)) -> Result<Generated, PipelineError> {
        let video = self.video_vae.decode(x.video.clone().div_scalar(self.config.video_scale))?.clamp(-1.0, 1.0); // [1, 3, T, H, W]
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
        let t = frames.len() - frames.len() % TIME_COMPRESSION;
        if t == 0 || frames.iter().any(|f| f.len() != w * h * 3) {
            return Err(PipelineError::Invalid(format!("frames must be {w}x{h} RGB, at least {TIME_COMPRESSION} of them")));
        }
        let video = rgb_to_video(&[frames[..t].iter().map(Vec::as_slice).collect()], h, w, &self.device);
        let latent_video = self.video_vae.encode(video)?.mean.mul_scalar(self.config.video_scale);
        let mut wave = to_model_rate(audio);
        let samples = t / TIME_COMPRESSION * self.audio_per_latent() * self.audio_vae.hop;
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
