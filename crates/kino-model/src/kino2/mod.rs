//! kino-2's generator: a diffusion transformer straight on pixels, conditioned on the prompt's
//! explicit slots.
//!
//! kino-1 generated in the latent space of an 8x autoencoder that averaged a 7-pixel ball's
//! colour into its block, so no generator on those latents could draw what was asked. kino-2 has
//! no video autoencoder: as in JiT (Li and He, "Back to Basics: Let Denoising Generative Models
//! Denoise", 2025), a plain transformer reads large space-time patches of the noisy clip and
//! predicts the *clean* clip (a low-dimensional target even when the patch is not), trained
//! on the velocity that prediction implies ([`denoise`]). Sound stays in kino-1's aligned audio
//! latents, as tokens of the same sequence.
//!
//! The prompt arrives as slots ([`slots`]): each asked-for object is a token the video tokens
//! cross-attend to, so a colour is bound to its object, not spread over the frame; the clip's
//! setting, style, framing and floor join the timestep embedding that modulates every block.
//!
//! ```text
//! clip [b,3,24,64,64] ─ patches 4x8x8 ─▶ 384 tokens x 768 ─ linear 768→128→d ─┐
//! audio latent [b,16,96] ─ patches 4 ─▶ 24 tokens x 64 ─ linear ──────────────┴▶ [b,408,d] + positions
//!   ─▶ N x DitBlock(c = time + clip slots, context = [null, clip slots, object slots])
//!   ─▶ final AdaLN + linear per modality ─▶ patches of the clip and of 8 feature channels
//!   ─▶ pixel head (two 3x3 convolutions across patch edges) ─▶ the clean clip and audio latent
//! ```

pub mod denoise;
pub mod head;
pub mod patch;
pub mod reader;
pub mod slots;
pub mod upscale;

use burn::module::{Module, Param};
use burn::nn::{Initializer, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::activation::silu;
use burn::tensor::{Bool, Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::dit::JointLatents;
use crate::dit::block::{DitBlock, DitBlockConfig, modulate};
use crate::dit::embed::{TimestepEmbedding, joint_positions, patchify_audio, unpatchify_audio};
use crate::shape::ShapeError;
use head::{PixelHead, PixelHeadConfig};
use patch::{patchify, unpatchify};
use slots::{SlotEncoder, SlotEncoderConfig, SlotTensors};

/// The generator's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kino2Config {
    /// The clip `[channels, frames, height, width]`, pixels in `[-1, 1]`.
    pub video: [usize; 4],
    /// Frames, rows and columns of one video token's patch.
    pub patch: [usize; 3],
    /// Width of the patch embedding's linear bottleneck (JiT's: a patch holds far more numbers
    /// than the detail it carries).
    pub bottleneck: usize,
    /// Audio latent `[channels, frames]` (kino-1's audio autoencoder).
    pub audio_latent: [usize; 2],
    /// Audio latent frames per audio token.
    pub audio_patch: usize,
    /// Token width.
    pub width: usize,
    pub depth: usize,
    pub heads: usize,
    pub mlp_ratio: usize,
    pub time_frequencies: usize,
    /// Feature channels each token paints for the [`head`] (0: no head, the tokens paint the
    /// clip alone; configs written before it existed).
    #[serde(default)]
    pub head_features: usize,
    /// Whether the head also sees the noisy clip and the time ([`head`]; false in configs
    /// written before it existed).
    #[serde(default)]
    pub head_sees_noisy: bool,
}

impl Kino2Config {
    /// 64x64, 24 frames (2 s at 12 fps) with sound: 384 video and 24 audio tokens, 8 blocks of
    /// width 256.
    pub fn base_64() -> Self {
        Kino2Config {
            video: [3, 24, 64, 64],
            patch: [4, 8, 8],
            bottleneck: 128,
            audio_latent: [16, 96],
            audio_patch: 4,
            width: 256,
            depth: 8,
            heads: 4,
            mlp_ratio: 4,
            time_frequencies: 128,
            head_features: 8,
            head_sees_noisy: false,
        }
    }

    /// A tiny configuration for tests.
    pub fn tiny() -> Self {
        Kino2Config {
            video: [3, 8, 16, 16],
            patch: [4, 8, 8],
            bottleneck: 16,
            audio_latent: [4, 8],
            audio_patch: 4,
            width: 32,
            depth: 2,
            heads: 2,
            mlp_ratio: 2,
            time_frequencies: 16,
            head_features: 2,
            head_sees_noisy: true,
        }
    }

    /// Video tokens along time, rows and columns.
    pub fn video_grid(&self) -> [usize; 3] {
        let [_, t, h, w] = self.video;
        let [pt, p, q] = self.patch;
        [t / pt, h / p, w / q]
    }

    fn patch_values(&self) -> usize {
        let [pt, p, q] = self.patch;
        self.video[0] * pt * p * q
    }

    /// Values each token paints: its patch of the clip and of the head's features.
    fn painted_values(&self) -> usize {
        let [pt, p, q] = self.patch;
        (self.video[0] + self.head_features) * pt * p * q
    }

    fn audio_tokens(&self) -> usize {
        self.audio_latent[1] / self.audio_patch
    }

    /// Whether the sizes fit together (patches tile the clip, heads divide the width).
    pub fn check(&self) -> Result<(), String> {
        let [_, t, h, w] = self.video;
        let [pt, p, q] = self.patch;
        if pt == 0 || p == 0 || q == 0 || t % pt != 0 || h % p != 0 || w % q != 0 {
            return Err(format!("patches {:?} do not tile a clip of {:?}", self.patch, self.video));
        }
        if self.audio_patch == 0 || !self.audio_latent[1].is_multiple_of(self.audio_patch) {
            return Err(format!("audio patches of {} do not tile {} latent frames", self.audio_patch, self.audio_latent[1]));
        }
        if self.heads == 0 || !self.width.is_multiple_of(self.heads) || !self.width.is_multiple_of(8) {
            return Err(format!("width {} must be a multiple of 8 and of the {} heads", self.width, self.heads));
        }
        Ok(())
    }

    pub fn init(&self, device: &Device) -> Kino2 {
        let d = self.width;
        let [_, frames, ..] = self.video;
        let zeros = |d_in: usize, d_out: usize| LinearConfig::new(d_in, d_out).with_initializer(Initializer::Zeros).init(device);
        let small = |shape: [usize; 2]| Initializer::Normal { mean: 0.0, std: 0.02 }.init(shape, device);
        let audio_in = self.audio_latent[0] * self.audio_patch;
        let frames_per_audio_token = frames as f64 / self.audio_tokens() as f64;
        Kino2 {
            video_bottleneck: LinearConfig::new(self.patch_values(), self.bottleneck).with_bias(false).init(device),
            video_in: LinearConfig::new(self.bottleneck, d).init(device),
            audio_in: LinearConfig::new(audio_in, d).init(device),
            positions: Param::from_tensor(joint_positions(d, self.video_grid(), self.patch[0], self.audio_tokens(), frames_per_audio_token, device))
                .set_require_grad(false),
            modality: small([2, d]),
            time: TimestepEmbedding::new(d, self.time_frequencies, device),
            slots: SlotEncoderConfig { width: d }.init(device),
            null_token: small([1, d]),
            blocks: (0..self.depth).map(|_| DitBlockConfig { width: d, heads: self.heads, mlp_ratio: self.mlp_ratio }.init(device)).collect(),
            norm_out: LayerNormConfig::new(d).with_epsilon(1e-6).with_bias(false).init(device),
            modulation_out: zeros(d, 2 * d),
            video_out: zeros(d, self.painted_values()),
            head: (self.head_features > 0).then(|| PixelHeadConfig { features: self.head_features, hidden: 32, sees_noisy: self.head_sees_noisy }.init(device)),
            audio_out: zeros(d, audio_in),
            shape: Kino2Shape {
                video: self.video,
                patch: self.patch,
                audio_latent: self.audio_latent,
                audio_patch: self.audio_patch,
                head_features: self.head_features,
            },
        }
    }
}

/// The sizes a [`Kino2`] was built for (kept in the module for its shape checks).
#[derive(Module, Debug)]
pub struct Kino2Shape {
    pub video: [usize; 4],
    pub patch: [usize; 3],
    pub audio_latent: [usize; 2],
    pub audio_patch: usize,
    pub head_features: usize,
}

/// The generator.
#[derive(Module, Debug)]
pub struct Kino2 {
    pub video_bottleneck: Linear,
    pub video_in: Linear,
    pub audio_in: Linear,
    /// `[tokens, width]`, fixed: time (in frames, shared by both modalities), row and column.
    pub positions: Param<Tensor<2>>,
    /// `[2, width]`: added to video (row 0) and audio (row 1) tokens.
    pub modality: Param<Tensor<2>>,
    pub time: TimestepEmbedding,
    pub slots: SlotEncoder,
    /// `[1, width]`: always in the context, the only thing there when nothing is asked.
    pub null_token: Param<Tensor<2>>,
    pub blocks: Vec<DitBlock>,
    pub norm_out: LayerNorm,
    pub modulation_out: Linear,
    pub video_out: Linear,
    pub audio_out: Linear,
    pub head: Option<PixelHead>,
    pub shape: Kino2Shape,
}

impl Kino2 {
    /// Checks the inputs of [`Kino2::forward`].
    pub fn check(&self, x: &JointLatents, t: &Tensor<1>, slots: &SlotTensors) -> Result<(), ShapeError> {
        let [c, f, h, w] = self.shape.video;
        let v = x.video.dims();
        let b = v[0];
        ShapeError::check(b > 0 && v[1..] == [c, f, h, w], "clip", || format!("[batch, {c}, {f}, {h}, {w}]"), &v)?;
        let [ac, af] = self.shape.audio_latent;
        let a = x.audio.dims();
        ShapeError::check(a == [b, ac, af], "audio latent", || format!("[{b}, {ac}, {af}]"), &a)?;
        ShapeError::check(t.dims() == [b], "time", || format!("[{b}]"), &t.dims())?;
        ShapeError::check(slots.batch() == b, "slots", || format!("{b} clips"), &[slots.batch()])?;
        Ok(())
    }

    /// The clean clip and audio latent predicted from the noisy ones at time `t`.
    ///
    /// # Shapes
    /// - `x.video`: `[b, 3, 24, 64, 64]` in about `[-1, 1]` plus noise, `x.audio`: `[b, 16, 96]`
    /// - `t`: `[b]` in `[0, 1]` (1 = pure noise)
    /// - returns the shapes of `x`
    pub fn forward(&self, x: &JointLatents, t: Tensor<1>, slots: &SlotTensors) -> Result<JointLatents, ShapeError> {
        self.check(x, &t, slots)?;
        let s = &self.shape;
        let modality = self.modality.val();
        let [_, d] = modality.dims();
        let video = self.video_in.forward(self.video_bottleneck.forward(patchify(x.video.clone(), s.patch))); // [b, nv, d]
        let video = video + modality.clone().narrow(0, 0, 1).reshape([1, 1, d]);
        let audio = self.audio_in.forward(patchify_audio(x.audio.clone(), s.audio_patch)) + modality.narrow(0, 1, 1).reshape([1, 1, d]); // [b, na, d]
        let [b, nv, _] = video.dims();
        let [_, na, _] = audio.dims();
        let mut tokens = Tensor::cat(vec![video, audio], 1) + self.positions.val().reshape([1, nv + na, d]); // [b, n, d]
        let (objects, clip) = self.slots.forward(slots); // [b, m, d], [b, d]
        let c = self.time.forward(t.clone()) + clip.clone(); // [b, d]
        let (context, hidden) = self.context(objects, clip, &slots.present);
        for block in &self.blocks {
            tokens = block.forward(tokens, c.clone(), context.clone(), hidden.clone());
        }
        let m = self.modulation_out.forward(silu(c)).reshape([b, 2, d]);
        let tokens = modulate(self.norm_out.forward(tokens), m.clone().narrow(1, 0, 1), m.narrow(1, 1, 1));
        let video = self.video_out.forward(tokens.clone().narrow(1, 0, nv)); // [b, nv, (3+F)*pt*p*p]
        let audio = self.audio_out.forward(tokens.narrow(1, nv, na)); // [b, na, c*p]
        let [c, f, h, w] = s.video;
        let painted = unpatchify(video, s.patch, [c + s.head_features, f, h, w]); // [b, 3+F, f, h, w]
        let video = match &self.head {
            Some(head) => head.forward(painted, x.video.clone(), t),
            None => painted,
        };
        Ok(JointLatents { video, audio: unpatchify_audio(audio, s.audio_patch, s.audio_latent[0]) })
    }

    /// The cross-attention context `[null, clip, objects...]` and its hidden-key mask (absent
    /// objects hidden).
    ///
    /// # Shapes
    /// - returns `[b, 2 + m, d]` and `[b, 1, 1, 2 + m]`
    fn context(&self, objects: Tensor<3>, clip: Tensor<2>, present: &Tensor<2, Bool>) -> (Tensor<3>, Tensor<4, Bool>) {
        let [b, m, d] = objects.dims();
        let device = objects.device();
        let null = self.null_token.val().reshape([1, 1, d]).expand([b, 1, d]);
        let context = Tensor::cat(vec![null, clip.reshape([b, 1, d]), objects], 1);
        let visible = Tensor::cat(vec![Tensor::<2, Bool>::full([b, 2], true, &device), present.clone()], 1);
        (context, visible.bool_not().reshape([b, 1, 1, 2 + m]))
    }
}
