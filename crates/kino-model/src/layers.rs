//! Building blocks shared by the autoencoders: a per-position channel norm and a causal 3D
//! convolution.

use burn::module::{Module, Param};
use burn::nn::PaddingConfig3d;
use burn::nn::conv::{Conv3d, Conv3dConfig};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

/// RMS normalisation over the channel axis (axis 1) at every position, with a learned gain per
/// channel (LTX-Video's pixel norm). Unlike group norm it mixes nothing across time, so it keeps
/// the video autoencoder causal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChannelNormConfig {
    /// Number of channels (axis 1).
    pub channels: usize,
    /// Added to the mean square before the square root (1e-6).
    pub epsilon: f64,
}

impl ChannelNormConfig {
    pub fn new(channels: usize) -> Self {
        ChannelNormConfig { channels, epsilon: 1e-6 }
    }

    pub fn init(&self, device: &Device) -> ChannelNorm {
        ChannelNorm { gain: Param::from_tensor(Tensor::ones([self.channels], device)), epsilon: self.epsilon }
    }
}

#[derive(Module, Debug)]
pub struct ChannelNorm {
    /// `[channels]`, starts at one.
    pub gain: Param<Tensor<1>>,
    pub epsilon: f64,
}

impl ChannelNorm {
    /// # Shapes
    /// - `x`: `[batch, channels, ...]` → same shape
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        let dims = x.dims();
        let mut gain_shape = [1; D];
        gain_shape[1] = dims[1];
        let rms = x.clone().powi_scalar(2).mean_dim(1).add_scalar(self.epsilon).sqrt(); // [b, 1, ...]
        x / rms * self.gain.val().reshape(gain_shape)
    }
}

/// A 3D convolution that is causal in time: the time axis is padded only on the past side
/// (with copies of the first frame), so output frame `i` sees input frames `<= i * stride_t +
/// stride_t - 1` and never a later one. Space is padded symmetrically (`kernel / 2`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CausalConv3dConfig {
    pub channels_in: usize,
    pub channels_out: usize,
    /// Kernel `[time, height, width]`; height and width odd.
    pub kernel: [usize; 3],
    /// Stride `[time, height, width]`.
    pub stride: [usize; 3],
}

impl CausalConv3dConfig {
    /// A stride-1 convolution with kernel `[k, k, k]`.
    pub fn new(channels_in: usize, channels_out: usize, k: usize) -> Self {
        CausalConv3dConfig { channels_in, channels_out, kernel: [k, k, k], stride: [1, 1, 1] }
    }

    pub fn with_stride(mut self, stride: [usize; 3]) -> Self {
        self.stride = stride;
        self
    }

    pub fn init(&self, device: &Device) -> CausalConv3d {
        let [kt, kh, kw] = self.kernel;
        let conv = Conv3dConfig::new([self.channels_in, self.channels_out], self.kernel)
            .with_stride(self.stride)
            .with_padding(PaddingConfig3d::Explicit(0, kh / 2, kw / 2))
            .init(device);
        // Past padding so that T frames give T / stride_t outputs: kt - stride_t frames.
        CausalConv3d { conv, time_pad: kt.saturating_sub(self.stride[0]) }
    }
}

#[derive(Module, Debug)]
pub struct CausalConv3d {
    pub conv: Conv3d,
    /// Frames of past padding (copies of the first frame).
    pub time_pad: usize,
}

impl CausalConv3d {
    /// # Shapes
    /// - `x`: `[batch, channels_in, frames, height, width]`
    /// - returns `[batch, channels_out, frames / stride_t, height / stride_h, width / stride_w]`
    pub fn forward(&self, x: Tensor<5>) -> Tensor<5> {
        let x = if self.time_pad > 0 {
            let [b, c, _, h, w] = x.dims();
            let first = x.clone().narrow(2, 0, 1).expand([b, c, self.time_pad, h, w]);
            Tensor::cat(vec![first, x], 2)
        } else {
            x
        };
        self.conv.forward(x)
    }
}

/// Nearest-neighbour upsampling of `[batch, channels, frames, height, width]` by `[ft, fs, fs]`.
pub fn upsample_nearest(x: Tensor<5>, time: usize, space: usize) -> Tensor<5> {
    let [b, c, t, h, w] = x.dims();
    let x = x.reshape([b * c * t, 1, h, 1, w, 1]).expand([b * c * t, time, h, space, w, space]);
    // [b*c*t, time, h, space, w, space]: frames stay in order, each repeated `time` times.
    x.reshape([b, c, t * time, h * space, w * space])
}

/// Moves `patch x patch` pixel blocks into channels: `[b, c, t, h, w]` → `[b, c*p*p, t, h/p, w/p]`.
pub fn space_to_channels(x: Tensor<5>, p: usize) -> Tensor<5> {
    let [b, c, t, h, w] = x.dims();
    let x = x.reshape([b * c, t, h / p, p, w / p, p]).permute([0, 3, 5, 1, 2, 4]); // [b*c, p, p, t, h/p, w/p]
    x.reshape([b, c * p * p, t, h / p, w / p])
}

/// The inverse of [`space_to_channels`].
pub fn channels_to_space(x: Tensor<5>, p: usize) -> Tensor<5> {
    let [b, cpp, t, h, w] = x.dims();
    let c = cpp / (p * p);
    let x = x.reshape([b * c, p, p, t, h, w]).permute([0, 3, 4, 1, 5, 2]); // [b*c, t, h, p, w, p]
    x.reshape([b, c, t, h * p, w * p])
}
