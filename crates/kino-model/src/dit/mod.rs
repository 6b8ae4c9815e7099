//! Kino's diffusion transformer: one sequence of video and audio latent tokens with shared time
//! positions, AdaLN-zero timestep modulation, self-attention over the joint sequence, and
//! cross-attention to the prompt's MiniLM token states (plus optional identity tokens for
//! cameos). It predicts the rectified-flow velocity ([`crate::flow`]).
//!
//! ```text
//! video latent [b,16,6,8,8] ─ patch 2x2 ─▶ 96 tokens x 64 ─ linear ─┐
//! audio latent [b,16,96]   ─ patch 4   ─▶ 24 tokens x 64 ─ linear ─┴▶ [b,120,d] + positions + modality
//!   ─▶ N x DitBlock(c = timestep embedding, context = [null token, text tokens, identity tokens])
//!   ─▶ final AdaLN + linear per modality ─▶ velocity latents of the input's shapes
//! ```

pub mod attention;
pub mod block;
pub mod embed;

use burn::module::{Module, Param};
use burn::nn::{Initializer, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::activation::silu;
use burn::tensor::{Bool, Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::shape::ShapeError;
use crate::text::{TEXT_WIDTH, TextStates};
use block::{DitBlock, DitBlockConfig, Mlp, MlpConfig, modulate};
use embed::{TimestepEmbedding, joint_positions, patchify_audio, patchify_video, unpatchify_audio, unpatchify_video};

/// The whole generator's shape: latent sizes it works on and the transformer's size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KinoConfig {
    /// Video latent `[channels, frames, height, width]` (the video autoencoder's output).
    pub video_latent: [usize; 4],
    /// Video frames per latent frame (4).
    pub frames_per_latent: usize,
    /// Side of the square latent patches that make one video token (2).
    pub video_patch: usize,
    /// Audio latent `[channels, frames]`.
    pub audio_latent: [usize; 2],
    /// Audio latent frames per audio token (4: one token per video frame).
    pub audio_patch: usize,
    /// Token width.
    pub width: usize,
    /// Number of DiT blocks.
    pub depth: usize,
    /// Attention heads.
    pub heads: usize,
    /// MLP hidden width / width.
    pub mlp_ratio: usize,
    /// Width of the text encoder's token states (384 for MiniLM).
    pub text_width: usize,
    /// Width of cameo identity tokens (projected into the context like text tokens).
    pub identity_width: usize,
    /// Sinusoidal frequencies of the timestep embedding.
    pub time_frequencies: usize,
    /// Also add the prompt's mean token state (MiniLM's sentence embedding), projected, to the
    /// timestep embedding that drives every block's AdaLN modulation: a direct global path for
    /// setting, style and colours besides cross-attention, which a small model trained briefly
    /// barely uses. Absent (false) in configs written before it existed.
    #[serde(default)]
    pub pooled_text: bool,
    /// Logits of the object reading head ([`ObjectReading`]) on the middle block's video
    /// tokens, trained as an auxiliary loss; 0 (configs written before it existed) for none.
    #[serde(default)]
    pub object_reading: usize,
}

impl KinoConfig {
    /// The server's teacher for 64x64, 24-frame, 2 s clips: 8 blocks of width 256 (about 11 M
    /// parameters); 96 video + 24 audio tokens.
    pub fn teacher_64() -> Self {
        KinoConfig {
            video_latent: [16, 6, 8, 8],
            frames_per_latent: 4,
            video_patch: 2,
            audio_latent: [16, 96],
            audio_patch: 4,
            width: 256,
            depth: 8,
            heads: 4,
            mlp_ratio: 4,
            text_width: TEXT_WIDTH,
            identity_width: 128,
            time_frequencies: 128,
            pooled_text: true,
            object_reading: 0,
        }
    }

    /// The browser's student for the same clips: 4 blocks of width 192.
    pub fn student_64() -> Self {
        KinoConfig { width: 192, depth: 4, heads: 3, ..Self::teacher_64() }
    }

    /// A tiny configuration for tests: small latents and a 2-block, 32-wide transformer.
    pub fn tiny() -> Self {
        KinoConfig {
            video_latent: [4, 2, 4, 4],
            frames_per_latent: 4,
            video_patch: 2,
            audio_latent: [4, 32],
            audio_patch: 4,
            width: 32,
            depth: 2,
            heads: 2,
            mlp_ratio: 2,
            text_width: 16,
            identity_width: 8,
            time_frequencies: 16,
            pooled_text: true,
            object_reading: 0,
        }
    }

    /// Video tokens: latent frames x patch rows x patch columns.
    pub fn video_grid(&self) -> [usize; 3] {
        let [_, t, h, w] = self.video_latent;
        [t, h / self.video_patch, w / self.video_patch]
    }

    pub fn video_tokens(&self) -> usize {
        self.video_grid().iter().product()
    }

    pub fn audio_tokens(&self) -> usize {
        self.audio_latent[1] / self.audio_patch
    }

    pub fn init(&self, device: &Device) -> Kino {
        let d = self.width;
        let [vc, ..] = self.video_latent;
        let [ac, af] = self.audio_latent;
        let video_in = vc * self.video_patch * self.video_patch;
        let audio_in = ac * self.audio_patch;
        let video_frames = self.video_latent[1] * self.frames_per_latent;
        let frames_per_audio_token = video_frames as f64 / (af / self.audio_patch) as f64;
        let zeros = |d_in: usize, d_out: usize| LinearConfig::new(d_in, d_out).with_initializer(Initializer::Zeros).init(device);
        let small = |shape: [usize; 2]| Initializer::Normal { mean: 0.0, std: 0.02 }.init(shape, device);
        Kino {
            video_in: LinearConfig::new(video_in, d).init(device),
            audio_in: LinearConfig::new(audio_in, d).init(device),
            positions: Param::from_tensor(joint_positions(d, self.video_grid(), self.frames_per_latent, self.audio_tokens(), frames_per_audio_token, device))
                .set_require_grad(false),
            modality: small([2, d]),
            time: TimestepEmbedding::new(d, self.time_frequencies, device),
            text_in: LinearConfig::new(self.text_width, d).init(device),
            // Zero and without bias: a new model starts as if it had no such path, and a dropped
            // prompt (all tokens hidden) adds exactly nothing, like the unconditional branch.
            text_pool: self.pooled_text.then(|| LinearConfig::new(self.text_width, d).with_bias(false).with_initializer(Initializer::Zeros).init(device)),
            identity_in: LinearConfig::new(self.identity_width, d).init(device),
            null_token: small([1, d]),
            blocks: (0..self.depth).map(|_| DitBlockConfig { width: d, heads: self.heads, mlp_ratio: self.mlp_ratio }.init(device)).collect(),
            norm_out: LayerNormConfig::new(d).with_epsilon(1e-6).with_bias(false).init(device),
            modulation_out: zeros(d, 2 * d),
            video_out: zeros(d, video_in),
            audio_out: zeros(d, audio_in),
            object_reading: (self.object_reading > 0).then(|| ObjectReading {
                norm: LayerNormConfig::new(d).with_epsilon(1e-6).init(device),
                mlp: MlpConfig { width: d, hidden: d, out: self.object_reading }.init(device),
            }),
            config: KinoShape {
                video_latent: self.video_latent,
                video_patch: self.video_patch,
                audio_latent: self.audio_latent,
                audio_patch: self.audio_patch,
                text_width: self.text_width,
                identity_width: self.identity_width,
            },
        }
    }
}

/// The latent sizes a [`Kino`] was built for (kept in the module for its shape checks).
#[derive(Module, Debug)]
pub struct KinoShape {
    pub video_latent: [usize; 4],
    pub video_patch: usize,
    pub audio_latent: [usize; 2],
    pub audio_patch: usize,
    pub text_width: usize,
    pub identity_width: usize,
}

/// Video and audio latents of a batch of clips, noised or clean (also a velocity).
#[derive(Debug, Clone)]
pub struct JointLatents {
    /// `[batch, channels, frames, height, width]`.
    pub video: Tensor<5>,
    /// `[batch, channels, frames]`.
    pub audio: Tensor<3>,
}

impl JointLatents {
    /// `self + other * scale`.
    pub fn add_scaled(self, other: &JointLatents, scale: f64) -> JointLatents {
        JointLatents { video: self.video + other.video.clone().mul_scalar(scale), audio: self.audio + other.audio.clone().mul_scalar(scale) }
    }

    /// `self * a + other * b`.
    pub fn lerp(self, a: f64, other: &JointLatents, b: f64) -> JointLatents {
        JointLatents {
            video: self.video.mul_scalar(a) + other.video.clone().mul_scalar(b),
            audio: self.audio.mul_scalar(a) + other.audio.clone().mul_scalar(b),
        }
    }

    /// Standard Gaussian noise of the same shapes.
    pub fn noise_like(&self) -> JointLatents {
        let normal = burn::tensor::Distribution::Normal(0.0, 1.0);
        JointLatents { video: self.video.random_like(normal), audio: self.audio.random_like(normal) }
    }

    /// Standard Gaussian noise of the same shapes drawn from `seed`: the same seed, the same noise.
    pub fn seeded_noise_like(&self, seed: u64) -> JointLatents {
        JointLatents::seeded_noise(self.video.dims(), self.audio.dims(), seed, &self.video.device())
    }

    /// Standard Gaussian noise of shapes `video` and `audio` drawn from `seed`.
    pub fn seeded_noise(video: [usize; 5], audio: [usize; 3], seed: u64, device: &Device) -> JointLatents {
        JointLatents { video: crate::noise::gaussian(video, seed, device), audio: crate::noise::gaussian(audio, seed ^ 0xA0D1_0000, device) }
    }

    pub fn batch(&self) -> usize {
        self.video.dims()[0]
    }
}

/// Cameo identity tokens (a face crop's and a voice's embeddings, projected by a later issue's
/// encoder) that the generator cross-attends to next to the prompt.
#[derive(Debug, Clone)]
pub struct IdentityTokens {
    /// `[batch, identity tokens, identity_width]`.
    pub tokens: Tensor<3>,
    /// `[batch, identity tokens]`, `true` for tokens to use.
    pub mask: Tensor<2, Bool>,
}

/// What the generator is conditioned on besides the noisy latents and the time.
#[derive(Debug, Clone)]
pub struct Conditioning {
    /// The prompt's token states; `None` for the unconditional branch of classifier-free guidance.
    pub text: Option<TextStates>,
    /// Cameo identity tokens, if any.
    pub identity: Option<IdentityTokens>,
}

impl Conditioning {
    pub fn text(text: TextStates) -> Self {
        Conditioning { text: Some(text), identity: None }
    }

    /// No prompt, no cameo: the model attends only to its learned null token.
    pub fn unconditional() -> Self {
        Conditioning { text: None, identity: None }
    }
}

/// The diffusion transformer.
#[derive(Module, Debug)]
pub struct Kino {
    pub video_in: Linear,
    pub audio_in: Linear,
    /// `[tokens, width]`, fixed (not trained): see [`embed::joint_positions`].
    pub positions: Param<Tensor<2>>,
    /// `[2, width]`: added to video (row 0) and audio (row 1) tokens.
    pub modality: Param<Tensor<2>>,
    pub time: TimestepEmbedding,
    pub text_in: Linear,
    /// The prompt's mean token state into the timestep embedding (`KinoConfig::pooled_text`).
    pub text_pool: Option<Linear>,
    pub identity_in: Linear,
    /// `[1, width]`: always in the context, the only thing there when the prompt is dropped.
    pub null_token: Param<Tensor<2>>,
    pub blocks: Vec<DitBlock>,
    pub norm_out: LayerNorm,
    pub modulation_out: Linear,
    pub video_out: Linear,
    pub audio_out: Linear,
    /// Reads the objects from the middle block's video tokens (`KinoConfig::object_reading`).
    pub object_reading: Option<ObjectReading>,
    pub config: KinoShape,
}

/// An auxiliary head on the middle block's video tokens: logits of what object each token
/// shows (the trainer's classes: kind and colour). Trained beside the flow loss so that the
/// first half of the network must put the prompt's object, in its colour, where the object
/// is: the binding the flow loss alone, dominated by the backdrop, teaches too slowly.
/// Generation does not use it. A hidden layer of its own lets the trunk hold the binding in
/// whatever form suits the flow (session 22: a linear head, pulled hard enough to learn the
/// colours, bent the trunk away from the flow).
///
/// # Shapes
/// - video tokens `[b, nv, width]` ─ norm ─ [`Mlp`] (hidden width `width`) ─▶ `[b, nv, classes]`
#[derive(Module, Debug)]
pub struct ObjectReading {
    pub norm: LayerNorm,
    pub mlp: Mlp,
}

impl ObjectReading {
    pub fn forward(&self, video_tokens: Tensor<3>) -> Tensor<3> {
        self.mlp.forward(self.norm.forward(video_tokens))
    }
}

impl Kino {
    /// Checks the inputs of [`Kino::forward`] against the configured shapes.
    pub fn check(&self, x: &JointLatents, t: &Tensor<1>, cond: &Conditioning) -> Result<(), ShapeError> {
        let s = &self.config;
        let [vc, vt, vh, vw] = s.video_latent;
        let v = x.video.dims();
        let b = v[0];
        ShapeError::check(b > 0 && v[1..] == [vc, vt, vh, vw], "video latent", || format!("[batch, {vc}, {vt}, {vh}, {vw}]"), &v)?;
        let [ac, af] = s.audio_latent;
        let a = x.audio.dims();
        ShapeError::check(a == [b, ac, af], "audio latent", || format!("[{b}, {ac}, {af}]"), &a)?;
        ShapeError::check(t.dims() == [b], "time", || format!("[{b}]"), &t.dims())?;
        if let Some(text) = &cond.text {
            let d = text.states.dims();
            let w = s.text_width;
            ShapeError::check(d[0] == b && d[2] == w, "text states", || format!("[{b}, tokens, {w}]"), &d)?;
            ShapeError::check(text.mask.dims() == [b, d[1]], "text mask", || format!("[{b}, {}]", d[1]), &text.mask.dims())?;
        }
        if let Some(id) = &cond.identity {
            let d = id.tokens.dims();
            let w = s.identity_width;
            ShapeError::check(d[0] == b && d[2] == w, "identity tokens", || format!("[{b}, tokens, {w}]"), &d)?;
            ShapeError::check(id.mask.dims() == [b, d[1]], "identity mask", || format!("[{b}, {}]", d[1]), &id.mask.dims())?;
        }
        Ok(())
    }

    /// The velocity at `x`, time `t`.
    ///
    /// # Shapes
    /// - `x.video`: `[batch, 8, 6, 8, 8]`, `x.audio`: `[batch, 16, 96]` (teacher_64)
    /// - `t`: `[batch]` in `[0, 1]` (1 = pure noise)
    /// - text states `[batch, text tokens, 384]`, identity tokens `[batch, id tokens, identity_width]`
    /// - returns velocities of the shapes of `x`
    pub fn forward(&self, x: &JointLatents, t: Tensor<1>, cond: &Conditioning) -> Result<JointLatents, ShapeError> {
        Ok(self.forward_reading(x, t, cond)?.0)
    }

    /// [`Kino::forward`], and the object reading head's logits `[batch, video tokens,
    /// object_reading]` (in [`embed::patchify_video`]'s token order) if the model has the head.
    pub fn forward_reading(&self, x: &JointLatents, t: Tensor<1>, cond: &Conditioning) -> Result<(JointLatents, Option<Tensor<3>>), ShapeError> {
        self.check(x, &t, cond)?;
        let s = &self.config;
        let video = patchify_video(x.video.clone(), s.video_patch); // [b, nv, c*p*p]
        let audio = patchify_audio(x.audio.clone(), s.audio_patch); // [b, na, c*p]
        let modality = self.modality.val();
        let [_, d] = modality.dims();
        let video = self.video_in.forward(video) + modality.clone().narrow(0, 0, 1).reshape([1, 1, d]);
        let audio = self.audio_in.forward(audio) + modality.narrow(0, 1, 1).reshape([1, 1, d]);
        let [b, nv, _] = video.dims();
        let [_, na, _] = audio.dims();
        let mut tokens = Tensor::cat(vec![video, audio], 1) + self.positions.val().reshape([1, nv + na, d]); // [b, n, d]
        let c = self.time.forward(t); // [b, d]
        let c = match (&self.text_pool, &cond.text) {
            (Some(pool), Some(text)) => c + pool.forward(mean_token(text)),
            _ => c,
        };
        let (context, hidden) = self.context(cond, b, &x.video.device());
        let mut reading = None;
        for (i, block) in self.blocks.iter().enumerate() {
            tokens = block.forward(tokens, c.clone(), context.clone(), hidden.clone());
            if i + 1 == self.blocks.len().div_ceil(2) {
                reading = self.object_reading.as_ref().map(|head| head.forward(tokens.clone().narrow(1, 0, nv)));
            }
        }
        let m = self.modulation_out.forward(silu(c)).reshape([b, 2, d]);
        let tokens = modulate(self.norm_out.forward(tokens), m.clone().narrow(1, 0, 1), m.narrow(1, 1, 1));
        let video = self.video_out.forward(tokens.clone().narrow(1, 0, nv)); // [b, nv, c*p*p]
        let audio = self.audio_out.forward(tokens.narrow(1, nv, na)); // [b, na, c*p]
        let velocity =
            JointLatents { video: unpatchify_video(video, s.video_patch, s.video_latent), audio: unpatchify_audio(audio, s.audio_patch, s.audio_latent[0]) };
        Ok((velocity, reading))
    }

    /// The cross-attention context `[null, text..., identity...]` and its hidden-key mask.
    ///
    /// # Shapes
    /// - returns `[b, 1 + text + identity, width]` and `[b, 1, 1, 1 + text + identity]`
    fn context(&self, cond: &Conditioning, b: usize, device: &Device) -> (Tensor<3>, Tensor<4, Bool>) {
        let d = self.null_token.val().dims()[1];
        let mut parts = vec![self.null_token.val().reshape([1, 1, d]).expand([b, 1, d])];
        let mut visible = vec![Tensor::<2, Bool>::full([b, 1], true, device)];
        if let Some(text) = &cond.text {
            parts.push(self.text_in.forward(text.states.clone()));
            visible.push(text.mask.clone());
        }
        if let Some(id) = &cond.identity {
            parts.push(self.identity_in.forward(id.tokens.clone()));
            visible.push(id.mask.clone());
        }
        let context = Tensor::cat(parts, 1);
        let [_, n, _] = context.dims();
        (context, Tensor::cat(visible, 1).bool_not().reshape([b, 1, 1, n]))
    }
}

/// The mean of the visible token states; zero where every token is hidden (a dropped prompt).
///
/// # Shapes
/// - `text.states`: `[b, n, w]`, `text.mask`: `[b, n]`; returns `[b, w]`
fn mean_token(text: &TextStates) -> Tensor<2> {
    let [b, n, w] = text.states.dims();
    let visible = text.mask.clone().float().reshape([b, n, 1]);
    let count = visible.clone().sum_dim(1).clamp_min(1.0).reshape([b, 1]);
    (text.states.clone() * visible).sum_dim(1).reshape([b, w]) / count
}
