//! The video autoencoder: a causal 3D convolutional VAE with 4x temporal and 8x spatial
//! compression (after LTX-Video's and CogVideoX's VAEs, much smaller).
//!
//! A 64x64 clip of 24 frames becomes a latent of `[16, 6, 8, 8]` (channels, frames, height,
//! width): latent frame `k` covers video frames `4k..4k+3` and, being causal, depends on no
//! later frame, so "extend" can continue a clip from its last latent frames. We chose plain
//! groups of four over CogVideoX's separate first frame (`1 + 24/4` latent frames) because 24
//! is a multiple of 4 and the audio latents then align with whole latent frames (see
//! [`crate::audio_vae`]).
//!
//! Layout (`p` = 4, widths `[c0, c1, c2]`):
//!
//! ```text
//! encoder: [b,3,T,H,W] → space-to-channels 4x4 → [b,48,T,H/4,W/4] → conv → c0
//!          → res(c0) → down(t2,s2) → [b,c1,T/2,H/8,W/8] → res(c1) → down(t2) → [b,c2,T/4,H/8,W/8]
//!          → res(c2) → norm, silu, conv → mean, log-variance [b,L,T/4,H/8,W/8] each
//! decoder: the mirror image, with nearest upsampling before a causal conv, channels-to-space at the end
//! ```
//!
//! Both halves also have a parameter-free shortcut (DC-AE's residual autoencoding, Chen et al.,
//! 2024): the encoder adds each 4x8x8 block's mean colour to latent channels 0..3, and the
//! decoder adds latent channels 0..3, upsampled, to its output. A fresh autoencoder therefore
//! already reconstructs a blocky average of the clip, and the convolutions learn the detail;
//! without it, training on a CPU budget stays stuck near the mean frame for hundreds of steps.

use burn::module::{Module, Param};
use burn::tensor::activation::silu;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::layers::{CausalConv3d, CausalConv3dConfig, ChannelNorm, ChannelNormConfig, channels_to_space, space_to_channels, upsample_nearest};
use crate::shape::ShapeError;

/// Frames per latent frame.
pub const TIME_COMPRESSION: usize = 4;
/// Pixels per latent pixel, on each side.
pub const SPACE_COMPRESSION: usize = 8;

/// Shape of the video autoencoder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoVaeConfig {
    /// Colour channels of the video (3, RGB in `[-1, 1]`).
    pub channels: usize,
    /// Side of the pixel blocks folded into channels at the input (4): the first 4x of the
    /// spatial compression costs one reshape instead of convolutions at full resolution.
    pub patch: usize,
    /// Widths of the three resolutions `[T x H/4, T/2 x H/8, T/4 x H/8]`.
    pub widths: [usize; 3],
    /// Latent channels (16; at least `channels`, the first `channels` carry the block means).
    pub latent_channels: usize,
    /// Weight of the KL term relative to the mean squared error (small: a nearly deterministic
    /// autoencoder whose latent is still smooth enough to diffuse in).
    pub kl_weight: f64,
    /// Starting log-variance of the posterior (-6: std 0.05). At 0 the sampling noise drowns
    /// the untrained latent and the decoder learns only the mean frame for a long while.
    pub initial_log_var: f64,
    /// Extra weight of the squared error where a pixel differs from its block's mean colour:
    /// `1 + detail_weight * |x - mean|`. World clips are mostly flat colour with small objects,
    /// which a plain mean squared error barely sees; without it training stays at the blocky
    /// average for thousands of steps.
    pub detail_weight: f64,
}

impl VideoVaeConfig {
    /// The 64x64, 24-frame preset: latent `[16, 6, 8, 8]`, 2.4 M parameters.
    pub fn vae_64() -> Self {
        VideoVaeConfig { channels: 3, patch: 4, widths: [48, 64, 96], latent_channels: 16, kl_weight: 1e-6, initial_log_var: -6.0, detail_weight: 8.0 }
    }

    /// A tiny configuration for tests.
    pub fn tiny() -> Self {
        VideoVaeConfig { channels: 3, patch: 4, widths: [8, 8, 8], latent_channels: 4, kl_weight: 1e-6, initial_log_var: -6.0, detail_weight: 8.0 }
    }

    /// Latent shape `[channels, frames, height, width]` of a clip of `frames x height x width`.
    pub fn latent_shape(&self, frames: usize, height: usize, width: usize) -> [usize; 4] {
        [self.latent_channels, frames / TIME_COMPRESSION, height / SPACE_COMPRESSION, width / SPACE_COMPRESSION]
    }

    pub fn init(&self, device: &Device) -> VideoVae {
        let [c0, c1, c2] = self.widths;
        let folded = self.channels * self.patch * self.patch;
        let l = self.latent_channels;
        let down_space = SPACE_COMPRESSION / self.patch;
        VideoVae {
            encoder: VideoEncoder {
                conv_in: CausalConv3dConfig::new(folded, c0, 3).init(device),
                res0: ResBlock3dConfig { channels: c0 }.init(device),
                down0: CausalConv3dConfig::new(c0, c1, 3).with_stride([2, down_space, down_space]).init(device),
                res1: ResBlock3dConfig { channels: c1 }.init(device),
                down1: CausalConv3dConfig::new(c1, c2, 3).with_stride([2, 1, 1]).init(device),
                res2: ResBlock3dConfig { channels: c2 }.init(device),
                norm_out: ChannelNormConfig::new(c2).init(device),
                // Small weights: a fresh encoder's latent is nearly the block means, which the
                // decoder's shortcut passes straight through.
                conv_out: log_var_bias(scaled_weights(CausalConv3dConfig::new(c2, 2 * l, 3).init(device), 0.1), l, self.initial_log_var),
                patch: self.patch,
            },
            decoder: VideoDecoder {
                conv_in: CausalConv3dConfig::new(l, c2, 3).init(device),
                res2: ResBlock3dConfig { channels: c2 }.init(device),
                up1: CausalConv3dConfig::new(c2, c1, 3).init(device),
                res1: ResBlock3dConfig { channels: c1 }.init(device),
                up0: CausalConv3dConfig::new(c1, c0, 3).init(device),
                res0: ResBlock3dConfig { channels: c0 }.init(device),
                norm_out: ChannelNormConfig::new(c0).init(device),
                // Starts at zero: a fresh decoder outputs exactly the shortcut's block means.
                conv_out: zero_weights(CausalConv3dConfig::new(c0, folded, 3).init(device)),
                patch: self.patch,
                up_space: down_space,
            },
            latent_channels: l,
            kl_weight: self.kl_weight,
            detail_weight: self.detail_weight,
        }
    }
}

/// Sets the bias of the log-variance half (the last `l` outputs) of `conv` to `value`.
fn log_var_bias(mut conv: CausalConv3d, l: usize, value: f64) -> CausalConv3d {
    if let Some(bias) = conv.conv.bias.take() {
        let device = bias.val().device();
        conv.conv.bias = Some(Param::from_tensor(Tensor::cat(vec![Tensor::zeros([l], &device), Tensor::full([l], value, &device)], 0)));
    }
    conv
}

/// `conv` with its weights and bias set to zero.
fn zero_weights(conv: CausalConv3d) -> CausalConv3d {
    scaled_weights(conv, 0.0)
}

/// `conv` with its weights and bias multiplied by `factor`.
fn scaled_weights(mut conv: CausalConv3d, factor: f64) -> CausalConv3d {
    conv.conv.weight = Param::from_tensor(conv.conv.weight.val().mul_scalar(factor).detach());
    conv.conv.bias = conv.conv.bias.take().map(|b| Param::from_tensor(b.val().mul_scalar(factor).detach()));
    conv
}

/// Encoder and decoder.
#[derive(Module, Debug)]
pub struct VideoVae {
    pub encoder: VideoEncoder,
    pub decoder: VideoDecoder,
    pub latent_channels: usize,
    pub kl_weight: f64,
    pub detail_weight: f64,
}

/// The encoder's posterior over `[batch, latent, frames/4, height/8, width/8]`.
pub type Posterior = crate::posterior::Posterior<5>;

/// What one training pass of the autoencoder gives.
#[derive(Debug, Clone)]
pub struct VideoVaeOutput {
    /// `[batch, 3, frames, height, width]`.
    pub reconstruction: Tensor<5>,
    pub posterior: Posterior,
    /// Mean squared error of the reconstruction, `[1]`.
    pub mse: Tensor<1>,
    /// KL of the posterior, `[1]`.
    pub kl: Tensor<1>,
    /// The detail-weighted error (squared unless asked otherwise, see [`ErrorNorm`]) plus
    /// `kl_weight * kl`, `[1]`.
    pub loss: Tensor<1>,
}

impl VideoVae {
    /// Checks that `video` is `[batch, 3, frames, height, width]` with frames a multiple of 4 and
    /// sides multiples of 8.
    pub fn check_video(&self, video: &Tensor<5>) -> Result<(), ShapeError> {
        let [b, c, t, h, w] = video.dims();
        let channels = self.encoder.conv_in.conv.weight.dims()[1] / (self.encoder.patch * self.encoder.patch);
        ShapeError::check(
            b > 0 && c == channels && t > 0 && t % TIME_COMPRESSION == 0 && h > 0 && h % SPACE_COMPRESSION == 0 && w > 0 && w % SPACE_COMPRESSION == 0,
            "video",
            || format!("[batch, {channels}, frames (multiple of 4), height (multiple of 8), width (multiple of 8)]"),
            &[b, c, t, h, w],
        )
    }

    /// Checks that `latent` is `[batch, latent_channels, frames, height, width]`.
    pub fn check_latent(&self, latent: &Tensor<5>) -> Result<(), ShapeError> {
        let dims = latent.dims();
        let l = self.latent_channels;
        ShapeError::check(dims[1] == l && dims.iter().all(|d| *d > 0), "video latent", || format!("[batch, {l}, frames, height, width]"), &dims)
    }

    /// # Shapes
    /// - `video`: `[batch, 3, frames, height, width]` in `[-1, 1]`
    /// - returns the posterior over `[batch, latent, frames/4, height/8, width/8]`
    pub fn encode(&self, video: Tensor<5>) -> Result<Posterior, ShapeError> {
        self.check_video(&video)?;
        Ok(self.encoder.forward(video))
    }

    /// # Shapes
    /// - `latent`: `[batch, latent, frames, height, width]`
    /// - returns `[batch, 3, frames*4, height*8, width*8]`
    pub fn decode(&self, latent: Tensor<5>) -> Result<Tensor<5>, ShapeError> {
        self.check_latent(&latent)?;
        Ok(self.decoder.forward(latent))
    }

    /// Encode, sample, decode, and the loss against the input.
    ///
    /// # Shapes
    /// - `video`: `[batch, 3, frames, height, width]` in `[-1, 1]`
    pub fn forward(&self, video: Tensor<5>) -> Result<VideoVaeOutput, ShapeError> {
        self.forward_weighted(video, None, false, ErrorNorm::Squared)
    }

    /// [`VideoVae::forward`] with the encoder frozen: no gradient reaches it, so training
    /// sharpens the decoder while the latents a generator was trained on stay as they are.
    pub fn forward_frozen_encoder(&self, video: Tensor<5>) -> Result<VideoVaeOutput, ShapeError> {
        self.forward_weighted(video, None, true, ErrorNorm::Squared)
    }

    /// A training step's forward pass: [`VideoVae::forward`], the encoder frozen or not, the
    /// per-pixel error taken as `norm` says, and weighed per pixel by `emphasis` when given
    /// (more inside the small objects that even the detail weight leaves to a few hundredths
    /// of the loss).
    ///
    /// # Shapes
    /// - `video`: `[batch, 3, frames, height, width]` in `[-1, 1]`
    /// - `emphasis`: `[batch, 1, frames, height, width]`
    pub fn forward_weighted(&self, video: Tensor<5>, emphasis: Option<Tensor<5>>, freeze_encoder: bool, norm: ErrorNorm) -> Result<VideoVaeOutput, ShapeError> {
        if let Some(e) = &emphasis {
            let [b, _, t, h, w] = video.dims();
            ShapeError::check(e.dims() == [b, 1, t, h, w], "emphasis", || format!("[{b}, 1, {t}, {h}, {w}] (the video's, one channel)"), &e.dims())?;
        }
        let posterior = if freeze_encoder {
            // The frozen encoder runs without autodiff: detaching the result of a tracked pass
            // instead leaves its graph behind every step (24 GB after 310 steps of batch 4).
            self.check_video(&video)?;
            let posterior = self.encoder.valid().forward(video.clone().inner());
            let onto = |x: Tensor<5>| if video.is_autodiff() { x.autodiff() } else { x };
            Posterior { mean: onto(posterior.mean), log_var: onto(posterior.log_var) }
        } else {
            self.encode(video.clone())?
        };
        let reconstruction = self.decoder.forward(posterior.sample());
        let difference = reconstruction.clone() - video.clone();
        let mse = difference.clone().powi_scalar(2).mean();
        let error = match norm {
            ErrorNorm::Squared => difference.powi_scalar(2),
            ErrorNorm::Absolute => difference.abs(),
        };
        let detail = (video.clone() - upsample_nearest(block_means(video), TIME_COMPRESSION, SPACE_COMPRESSION)).abs().detach();
        let error = match emphasis {
            Some(e) => error * e.detach(),
            None => error,
        };
        let weighted = (error * detail.mul_scalar(self.detail_weight).add_scalar(1.0)).mean();
        let kl = posterior.kl();
        let loss = weighted + kl.clone().mul_scalar(self.kl_weight);
        Ok(VideoVaeOutput { reconstruction, posterior, mse, kl, loss })
    }
}

/// How [`VideoVae::forward_weighted`] takes the per-pixel reconstruction error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorNorm {
    /// The squared error: its optimum is the mean of what the latent leaves uncertain, so a
    /// small object whose place or outline is unsure comes out as a dark average smudge.
    Squared,
    /// The absolute error: its optimum is the median, which keeps a colour that is there more
    /// often than not instead of mixing it with the background and the outline.
    Absolute,
}

#[derive(Module, Debug)]
pub struct VideoEncoder {
    pub conv_in: CausalConv3d,
    pub res0: ResBlock3d,
    pub down0: CausalConv3d,
    pub res1: ResBlock3d,
    pub down1: CausalConv3d,
    pub res2: ResBlock3d,
    pub norm_out: ChannelNorm,
    pub conv_out: CausalConv3d,
    pub patch: usize,
}

impl VideoEncoder {
    /// # Shapes
    /// - `video`: `[b, 3, t, h, w]` → posterior over `[b, latent, t/4, h/8, w/8]`
    pub fn forward(&self, video: Tensor<5>) -> Posterior {
        let shortcut = block_means(video.clone()); // [b, 3, t/4, h/8, w/8]
        let x = space_to_channels(video, self.patch); // [b, 48, t, h/4, w/4]
        let x = self.res0.forward(self.conv_in.forward(x));
        let x = self.res1.forward(self.down0.forward(x)); // [b, c1, t/2, h/8, w/8]
        let x = self.res2.forward(self.down1.forward(x)); // [b, c2, t/4, h/8, w/8]
        let moments = self.conv_out.forward(silu(self.norm_out.forward(x)));
        let [b, l2, t, h, w] = moments.dims();
        let l = l2 / 2;
        let [_, colours, ..] = shortcut.dims();
        let shortcut = Tensor::cat(vec![shortcut, Tensor::zeros([b, l - colours, t, h, w], &moments.device())], 1); // [b, l, t, h, w]
        let mean = moments.clone().narrow(1, 0, l) + shortcut;
        let log_var = moments.narrow(1, l, l).clamp(-30.0, 20.0);
        Posterior { mean, log_var }
    }
}

#[derive(Module, Debug)]
pub struct VideoDecoder {
    pub conv_in: CausalConv3d,
    pub res2: ResBlock3d,
    pub up1: CausalConv3d,
    pub res1: ResBlock3d,
    pub up0: CausalConv3d,
    pub res0: ResBlock3d,
    pub norm_out: ChannelNorm,
    pub conv_out: CausalConv3d,
    pub patch: usize,
    /// Spatial upsampling factor of `up0` (8 / patch).
    pub up_space: usize,
}

impl VideoDecoder {
    /// # Shapes
    /// - `latent`: `[b, latent, t, h, w]` → `[b, 3, 4t, 8h, 8w]`
    pub fn forward(&self, latent: Tensor<5>) -> Tensor<5> {
        let colours = self.conv_out.conv.weight.dims()[0] / (self.patch * self.patch);
        let shortcut = upsample_nearest(latent.clone().narrow(1, 0, colours), TIME_COMPRESSION, SPACE_COMPRESSION); // [b, 3, 4t, 8h, 8w]
        let x = self.res2.forward(self.conv_in.forward(latent));
        let x = self.res1.forward(self.up1.forward(upsample_nearest(x, 2, 1))); // [b, c1, 2t, h, w]
        let x = self.res0.forward(self.up0.forward(upsample_nearest(x, 2, self.up_space))); // [b, c0, 4t, 2h, 2w]
        let x = self.conv_out.forward(silu(self.norm_out.forward(x)));
        channels_to_space(x, self.patch) + shortcut // [b, 3, 4t, 8h, 8w]
    }
}

/// RGB frames (`height * width * 3` bytes each, one list per clip, all the same length) as
/// `[clips, 3, frames, height, width]` in `[-1, 1]`, the autoencoder's input.
pub fn rgb_to_video(clips: &[Vec<&[u8]>], height: usize, width: usize, device: &Device) -> Tensor<5> {
    let t = clips.first().map_or(0, Vec::len);
    let mut data = Vec::with_capacity(clips.len() * 3 * t * height * width);
    for clip in clips {
        for c in 0..3 {
            for frame in clip {
                data.extend(frame.iter().skip(c).step_by(3).map(|&v| f32::from(v) / 127.5 - 1.0));
            }
        }
    }
    Tensor::from_data(TensorData::new(data, [clips.len(), 3, t, height, width]), device)
}

/// The frames of clip `index` of a `[batch, 3, frames, height, width]` tensor in `[-1, 1]`, as
/// RGB bytes (the inverse of [`rgb_to_video`]).
pub fn video_to_rgb(video: &Tensor<5>, index: usize) -> Vec<Vec<u8>> {
    let [_, _, t, h, w] = video.dims();
    let values = video.clone().narrow(0, index, 1).into_data().convert::<f32>().try_into_vec::<f32>().unwrap_or_default();
    (0..t)
        .map(|f| {
            (0..h * w)
                .flat_map(|p| (0..3).map(move |c| (c, p)))
                .map(|(c, p)| ((values[(c * t + f) * h * w + p] + 1.0) * 127.5).round().clamp(0.0, 255.0) as u8)
                .collect()
        })
        .collect()
}

/// The mean of every `4 x 8 x 8` block (one latent pixel's worth) of each channel.
///
/// # Shapes
/// - `x`: `[b, c, t, h, w]` → `[b, c, t/4, h/8, w/8]`
pub fn block_means(x: Tensor<5>) -> Tensor<5> {
    let [b, c, t, h, w] = x.dims();
    let (ft, fs) = (TIME_COMPRESSION, SPACE_COMPRESSION);
    let x = x.reshape([b * c * (t / ft), ft, h / fs, fs, w / fs, fs]).mean_dim(5).mean_dim(3).mean_dim(1); // [bc t/4, 1, h/8, 1, w/8, 1]
    x.reshape([b, c, t / ft, h / fs, w / fs])
}

/// A residual block: `x + conv(silu(norm(conv(silu(norm(x))))))`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ResBlock3dConfig {
    /// Channels in and out.
    pub channels: usize,
}

impl ResBlock3dConfig {
    pub fn init(&self, device: &Device) -> ResBlock3d {
        let c = self.channels;
        ResBlock3d {
            norm1: ChannelNormConfig::new(c).init(device),
            conv1: CausalConv3dConfig::new(c, c, 3).init(device),
            norm2: ChannelNormConfig::new(c).init(device),
            conv2: CausalConv3dConfig::new(c, c, 3).init(device),
        }
    }
}

#[derive(Module, Debug)]
pub struct ResBlock3d {
    pub norm1: ChannelNorm,
    pub conv1: CausalConv3d,
    pub norm2: ChannelNorm,
    pub conv2: CausalConv3d,
}

impl ResBlock3d {
    /// # Shapes
    /// - `x`: `[b, c, t, h, w]` → same
    pub fn forward(&self, x: Tensor<5>) -> Tensor<5> {
        let h = self.conv1.forward(silu(self.norm1.forward(x.clone())));
        let h = self.conv2.forward(silu(self.norm2.forward(h)));
        x + h
    }
}
