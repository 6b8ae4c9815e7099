//! kino-2-pro's upscaler: a small convolutional network that doubles a generated 64x64 clip to
//! 128x128, frame by frame, in pixel space. It adds detail to a bilinear enlargement: its last
//! convolution starts at zero, so a fresh upscaler is exactly the bilinear one, and training on
//! the world's own 64x64 and 128x128 renders of the same scenes teaches it the difference
//! (edges, outlines, the sharp boundary of a small ball).
//!
//! ```text
//! frame [3, 64, 64] ─┬─ bilinear 2x ────────────────────────────────────────────────┐
//!                    └─ conv 3x3 (3 → C), GELU, blocks x [conv, GELU, conv, + skip], │
//!                       conv 3x3 (C → 12), pixel shuffle 2x ([3, 128, 128]) ─────────┴─ + ─▶ [3, 128, 128]
//! ```

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Initializer, PaddingConfig2d};
use burn::tensor::activation::gelu;
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

/// How much the upscaler enlarges each side.
pub const SCALE: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpscalerConfig {
    /// Channels of the features at the low resolution.
    pub channels: usize,
    /// Residual blocks of two 3x3 convolutions.
    pub blocks: usize,
}

impl UpscalerConfig {
    /// kino-2-pro's: 32 channels, 3 blocks (60 k parameters).
    pub fn base() -> Self {
        UpscalerConfig { channels: 32, blocks: 3 }
    }

    pub fn init(&self, device: &Device) -> Upscaler {
        let conv = |from: usize, to: usize| Conv2dConfig::new([from, to], [3, 3]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1));
        let c = self.channels;
        Upscaler {
            stem: conv(3, c).init(device),
            blocks: (0..self.blocks).map(|_| ResidualBlock { first: conv(c, c).init(device), second: conv(c, c).init(device) }).collect(),
            head: conv(c, 3 * SCALE * SCALE).with_initializer(Initializer::Zeros).init(device),
        }
    }
}

#[derive(Module, Debug)]
pub struct ResidualBlock {
    pub first: Conv2d,
    pub second: Conv2d,
}

impl ResidualBlock {
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        x.clone() + self.second.forward(gelu(self.first.forward(x)))
    }
}

#[derive(Module, Debug)]
pub struct Upscaler {
    pub stem: Conv2d,
    pub blocks: Vec<ResidualBlock>,
    pub head: Conv2d,
}

impl Upscaler {
    /// # Shapes
    /// - `clip`: `[b, 3, t, h, w]` in `[-1, 1]` → `[b, 3, t, 2h, 2w]`
    pub fn forward(&self, clip: Tensor<5>) -> Tensor<5> {
        let [b, _, t, _, _] = clip.dims();
        let frames = frames_of(clip); // [b*t, 3, h, w]
        let enlarged = enlarge(frames.clone()); // [b*t, 3, 2h, 2w]
        let mut x = gelu(self.stem.forward(frames)); // [b*t, C, h, w]
        for block in &self.blocks {
            x = block.forward(x);
        }
        let detail = pixel_shuffle(self.head.forward(x)); // [b*t, 3, 2h, 2w]
        clip_of(enlarged + detail, b, t)
    }
}

/// The bilinear enlargement alone: what the upscaler adds its detail to, and the baseline it
/// is measured against.
///
/// # Shapes
/// - `clip`: `[b, 3, t, h, w]` → `[b, 3, t, 2h, 2w]`
pub fn bilinear(clip: Tensor<5>) -> Tensor<5> {
    let [b, _, t, _, _] = clip.dims();
    clip_of(enlarge(frames_of(clip)), b, t)
}

/// `[b, c, t, h, w]` → every frame on its own, `[b * t, c, h, w]`.
fn frames_of(clip: Tensor<5>) -> Tensor<4> {
    let [b, c, t, h, w] = clip.dims();
    clip.swap_dims(1, 2).reshape([b * t, c, h, w])
}

/// `[b * t, c, h, w]` → `[b, c, t, h, w]`, undoing [`frames_of`].
fn clip_of(frames: Tensor<4>, b: usize, t: usize) -> Tensor<5> {
    let [_, c, h, w] = frames.dims();
    frames.reshape([b, t, c, h, w]).swap_dims(1, 2)
}

/// `[n, 3, h, w]` → `[n, 3, 2h, 2w]`, bilinearly.
fn enlarge(frames: Tensor<4>) -> Tensor<4> {
    let [_, _, h, w] = frames.dims();
    interpolate(frames, InterpolateOptions::new(InterpolateMode::Bilinear).with_align_corners(false).with_output_size([h * SCALE, w * SCALE]))
}

/// Rearranges `[n, 3 * s * s, h, w]` into `[n, 3, h * s, w * s]` (s = [`SCALE`]): channel
/// `k * s * s + i * s + j` becomes the pixel at row offset `i`, column offset `j` of colour `k`.
fn pixel_shuffle(x: Tensor<4>) -> Tensor<4> {
    let [n, c, h, w] = x.dims();
    let colours = c / (SCALE * SCALE);
    x.reshape([n, colours, SCALE, SCALE, h, w]) // [n, 3, i, j, h, w]
        .permute([0, 1, 4, 2, 5, 3]) // [n, 3, h, i, w, j]
        .reshape([n, colours, h * SCALE, w * SCALE])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use burn::tensor::TensorData;

    #[test]
    fn a_fresh_upscaler_is_the_bilinear_enlargement_and_has_the_shapes() {
        let device = Device::flex();
        let up = UpscalerConfig::base().init(&device);
        let flat = Tensor::<5>::ones([1, 3, 2, 8, 8], &device).mul_scalar(0.25);
        let out = up.forward(flat);
        assert_eq!(out.dims(), [1, 3, 2, 16, 16]);
        // A flat frame enlarges to the same flat frame.
        let values: Vec<f32> = out.into_data().try_to_vec::<f32>().unwrap();
        assert!(values.iter().all(|v| (v - 0.25).abs() < 1e-5));
    }

    #[test]
    fn pixel_shuffle_puts_each_channel_at_its_offset() {
        let device = Device::flex();
        // One pixel, 12 channels numbered 0..12: colour k's 2x2 block reads k*4 + [0 1; 2 3].
        let x = Tensor::<4>::from_data(TensorData::new((0..12).map(|v| v as f32).collect::<Vec<_>>(), [1, 12, 1, 1]), &device);
        let out: Vec<f32> = pixel_shuffle(x).into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(out, (0..12).map(|v| v as f32).collect::<Vec<_>>());
        // Two pixels side by side: rows interleave the two pixels' blocks.
        let x = Tensor::<4>::from_data(TensorData::new((0..24).map(|v| v as f32).collect::<Vec<_>>(), [1, 12, 1, 2]), &device);
        let out: Vec<f32> = pixel_shuffle(x).into_data().try_to_vec::<f32>().unwrap();
        // Colour 0: channel 0 is [0, 1] (pixel 0, pixel 1), channel 1 [2, 3], channel 2 [4, 5], channel 3 [6, 7].
        assert_eq!(&out[..8], &[0.0, 2.0, 1.0, 3.0, 4.0, 6.0, 5.0, 7.0]);
    }
}
