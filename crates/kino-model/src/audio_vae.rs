//! The audio autoencoder: a 1D convolutional VAE on mono waveforms whose latent frames line up
//! exactly with the video latent frames.
//!
//! kino-world renders 16 kHz audio and 12 fps video, so one video frame is 1333.3 samples and
//! one latent frame (4 video frames) 5333.3: no integer stride fits. The autoencoder therefore
//! works at [`MODEL_RATE`] = 15 360 Hz (1280 samples per video frame, 5120 per latent frame);
//! [`to_model_rate`] and [`from_model_rate`] resample linearly on the way in and out. The
//! encoder first folds 16 consecutive samples into channels (one reshape instead of
//! convolutions over 30 720 positions, as the video autoencoder folds 4x4 pixels), then
//! downsamples by `[4, 5]`: a hop of 320 samples, 48 latent frames a second, so every video
//! latent frame owns exactly 16 audio latent frames and every video frame exactly 4. A 2 s clip
//! is 30 720 samples → latent `[16, 96]`.
//!
//! Unlike the video autoencoder this one is not causal (the receptive field reaches a few
//! milliseconds ahead); that is well below one video frame.

use burn::module::{Module, Param};
use burn::nn::PaddingConfig1d;
use burn::nn::conv::{Conv1d, Conv1dConfig};
use burn::tensor::activation::silu;
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::layers::{ChannelNorm, ChannelNormConfig};
use crate::shape::ShapeError;

/// Sample rate of kino-world's audio.
pub const WORLD_RATE: u32 = 16_000;
/// Sample rate the audio autoencoder works at: 1280 samples per 12 fps video frame.
pub const MODEL_RATE: u32 = 15_360;

/// Shape of the audio autoencoder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioVaeConfig {
    /// Consecutive samples folded into channels at the input (16).
    pub fold: usize,
    /// Downsampling strides of the encoder stages; `fold` times their product is the hop (320).
    pub strides: Vec<usize>,
    /// Width of the input convolution, then of each stage's output (one more than `strides`).
    pub widths: Vec<usize>,
    /// Latent channels (16).
    pub latent_channels: usize,
    /// Weight of the KL term relative to the reconstruction loss.
    pub kl_weight: f64,
    /// Starting log-variance of the posterior (-6; see the video autoencoder's).
    pub initial_log_var: f64,
}

impl AudioVaeConfig {
    /// 15 360 Hz, hop 320 (48 latent frames a second, 16 per video latent frame), 16 channels.
    pub fn audio_64() -> Self {
        AudioVaeConfig { fold: 16, strides: vec![4, 5], widths: vec![64, 96, 128], latent_channels: 16, kl_weight: 1e-6, initial_log_var: -6.0 }
    }

    /// A tiny configuration for tests.
    pub fn tiny() -> Self {
        AudioVaeConfig { fold: 16, strides: vec![4, 5], widths: vec![4, 4, 4], latent_channels: 4, kl_weight: 1e-6, initial_log_var: -6.0 }
    }

    /// Samples per latent frame.
    pub fn hop(&self) -> usize {
        self.fold * self.strides.iter().product::<usize>()
    }

    pub fn init(&self, device: &Device) -> AudioVae {
        let w = &self.widths;
        let l = self.latent_channels;
        let conv = |c_in: usize, c_out: usize, k: usize| {
            Conv1dConfig::new(c_in, c_out, k).with_padding(PaddingConfig1d::Explicit(k / 2, k / 2)).init(device)
        };
        let down = self
            .strides
            .iter()
            .enumerate()
            .map(|(i, &s)| AudioStage {
                res: ResBlock1dConfig { channels: w[i] }.init(device),
                resample: Conv1dConfig::new(w[i], w[i + 1], 2 * s).with_stride(s).with_padding(PaddingConfig1d::Explicit(s / 2, s - s / 2)).init(device),
                stride: s,
            })
            .collect();
        let up = self
            .strides
            .iter()
            .enumerate()
            .rev()
            .map(|(i, &s)| AudioStage { res: ResBlock1dConfig { channels: w[i + 1] }.init(device), resample: conv(w[i + 1], w[i], 2 * s + 1), stride: s })
            .collect();
        let top = w[w.len() - 1];
        AudioVae {
            encoder: AudioEncoder { conv_in: conv(self.fold, w[0], 7), stages: down, norm_out: ChannelNormConfig::new(top).init(device), conv_out: log_var_bias(conv(top, 2 * l, 3), l, self.initial_log_var), fold: self.fold },
            decoder: AudioDecoder { conv_in: conv(l, top, 3), stages: up, norm_out: ChannelNormConfig::new(w[0]).init(device), conv_out: conv(w[0], self.fold, 7), fold: self.fold },
            hop: self.hop(),
            latent_channels: l,
            kl_weight: self.kl_weight,
        }
    }
}

/// Sets the bias of the log-variance half (the last `l` outputs) of `conv` to `value`.
fn log_var_bias(mut conv: Conv1d, l: usize, value: f64) -> Conv1d {
    if let Some(bias) = conv.bias.take() {
        let device = bias.val().device();
        conv.bias = Some(Param::from_tensor(Tensor::cat(vec![Tensor::zeros([l], &device), Tensor::full([l], value, &device)], 0)));
    }
    conv
}

/// Encoder and decoder.
#[derive(Module, Debug)]
pub struct AudioVae {
    pub encoder: AudioEncoder,
    pub decoder: AudioDecoder,
    pub hop: usize,
    pub latent_channels: usize,
    pub kl_weight: f64,
}

/// The encoder's posterior over `[batch, latent, samples / hop]`.
pub type AudioPosterior = crate::posterior::Posterior<3>;

/// What one training pass gives.
#[derive(Debug, Clone)]
pub struct AudioVaeOutput {
    /// `[batch, 1, samples]`.
    pub reconstruction: Tensor<3>,
    pub posterior: AudioPosterior,
    /// Mean absolute error of the waveform, `[1]`.
    pub l1: Tensor<1>,
    pub kl: Tensor<1>,
    /// `l1 + kl_weight * kl`.
    pub loss: Tensor<1>,
}

impl AudioVae {
    /// Checks that `audio` is `[batch, 1, samples]` with samples a multiple of the hop.
    pub fn check_audio(&self, audio: &Tensor<3>) -> Result<(), ShapeError> {
        let [b, c, n] = audio.dims();
        let hop = self.hop;
        ShapeError::check(b > 0 && c == 1 && n > 0 && n % hop == 0, "audio", || format!("[batch, 1, samples (multiple of {hop})]"), &[b, c, n])
    }

    /// Checks that `latent` is `[batch, latent_channels, frames]`.
    pub fn check_latent(&self, latent: &Tensor<3>) -> Result<(), ShapeError> {
        let dims = latent.dims();
        let l = self.latent_channels;
        ShapeError::check(dims[0] > 0 && dims[1] == l && dims[2] > 0, "audio latent", || format!("[batch, {l}, frames]"), &dims)
    }

    /// # Shapes
    /// - `audio`: `[batch, 1, samples]` at [`MODEL_RATE`] → posterior over `[batch, latent, samples/hop]`
    pub fn encode(&self, audio: Tensor<3>) -> Result<AudioPosterior, ShapeError> {
        self.check_audio(&audio)?;
        Ok(self.encoder.forward(audio))
    }

    /// # Shapes
    /// - `latent`: `[batch, latent, frames]` → `[batch, 1, frames*hop]` in `[-1, 1]`
    pub fn decode(&self, latent: Tensor<3>) -> Result<Tensor<3>, ShapeError> {
        self.check_latent(&latent)?;
        Ok(self.decoder.forward(latent))
    }

    /// Encode, sample, decode, and the loss.
    pub fn forward(&self, audio: Tensor<3>) -> Result<AudioVaeOutput, ShapeError> {
        let posterior = self.encode(audio.clone())?;
        let reconstruction = self.decoder.forward(posterior.sample());
        let l1 = (reconstruction.clone() - audio).abs().mean();
        let kl = posterior.kl();
        let loss = l1.clone() + kl.clone().mul_scalar(self.kl_weight);
        Ok(AudioVaeOutput { reconstruction, posterior, l1, kl, loss })
    }
}

/// One resolution: a residual block and a resampling convolution (strided going down,
/// nearest upsampling then a convolution going up).
#[derive(Module, Debug)]
pub struct AudioStage {
    pub res: ResBlock1d,
    pub resample: Conv1d,
    pub stride: usize,
}

#[derive(Module, Debug)]
pub struct AudioEncoder {
    pub conv_in: Conv1d,
    pub stages: Vec<AudioStage>,
    pub norm_out: ChannelNorm,
    pub conv_out: Conv1d,
    /// Samples folded into channels.
    pub fold: usize,
}

impl AudioEncoder {
    /// # Shapes
    /// - `audio`: `[b, 1, n]` → posterior over `[b, latent, n / hop]`
    pub fn forward(&self, audio: Tensor<3>) -> AudioPosterior {
        let [b, _, n] = audio.dims();
        let folded = audio.reshape([b, n / self.fold, self.fold]).swap_dims(1, 2); // [b, fold, n/fold]
        let x = self.conv_in.forward(folded);
        let x = self.stages.iter().fold(x, |x, stage| stage.resample.forward(stage.res.forward(x)));
        let moments = self.conv_out.forward(silu(self.norm_out.forward(x)));
        let [_, l2, _] = moments.dims();
        let l = l2 / 2;
        AudioPosterior { mean: moments.clone().narrow(1, 0, l), log_var: moments.narrow(1, l, l).clamp(-30.0, 20.0) }
    }
}

#[derive(Module, Debug)]
pub struct AudioDecoder {
    pub conv_in: Conv1d,
    pub stages: Vec<AudioStage>,
    pub norm_out: ChannelNorm,
    pub conv_out: Conv1d,
    /// Channels unfolded into samples at the output.
    pub fold: usize,
}

impl AudioDecoder {
    /// # Shapes
    /// - `latent`: `[b, latent, f]` → `[b, 1, f * hop]`
    pub fn forward(&self, latent: Tensor<3>) -> Tensor<3> {
        let x = self.conv_in.forward(latent);
        let x = self.stages.iter().fold(x, |x, stage| {
            let [b, c, n] = x.dims();
            let x = stage.res.forward(x).reshape([b, c, n, 1]).expand([b, c, n, stage.stride]).reshape([b, c, n * stage.stride]);
            stage.resample.forward(x)
        });
        let x = self.conv_out.forward(silu(self.norm_out.forward(x))); // [b, fold, n/fold]
        let [b, fold, m] = x.dims();
        x.swap_dims(1, 2).reshape([b, 1, m * fold]).tanh() // [b, 1, n]
    }
}

/// `x + conv(silu(norm(conv(silu(norm(x))))))` with kernel 7, the second convolution dilated 3.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ResBlock1dConfig {
    /// Channels in and out.
    pub channels: usize,
}

impl ResBlock1dConfig {
    pub fn init(&self, device: &Device) -> ResBlock1d {
        let c = self.channels;
        ResBlock1d {
            norm1: ChannelNormConfig::new(c).init(device),
            conv1: Conv1dConfig::new(c, c, 7).with_padding(PaddingConfig1d::Explicit(3, 3)).init(device),
            norm2: ChannelNormConfig::new(c).init(device),
            conv2: Conv1dConfig::new(c, c, 7).with_dilation(3).with_padding(PaddingConfig1d::Explicit(9, 9)).init(device),
        }
    }
}

#[derive(Module, Debug)]
pub struct ResBlock1d {
    pub norm1: ChannelNorm,
    pub conv1: Conv1d,
    pub norm2: ChannelNorm,
    pub conv2: Conv1d,
}

impl ResBlock1d {
    /// # Shapes
    /// - `x`: `[b, c, n]` → same
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let h = self.conv1.forward(silu(self.norm1.forward(x.clone())));
        let h = self.conv2.forward(silu(self.norm2.forward(h)));
        x + h
    }
}

/// Linear resampling of `samples` from `from` Hz to `to` Hz; the result covers the same time
/// (`round(len * to / from)` samples).
pub fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if samples.is_empty() || from == to {
        return samples.to_vec();
    }
    let n_out = (samples.len() as u64 * u64::from(to)).div_ceil(u64::from(from)) as usize;
    let step = f64::from(from) / f64::from(to);
    let last = samples.len() - 1;
    (0..n_out)
        .map(|i| {
            let x = i as f64 * step;
            let j = (x.floor() as usize).min(last);
            let frac = (x - j as f64) as f32;
            let next = samples[(j + 1).min(last)];
            samples[j] * (1.0 - frac) + next * frac
        })
        .collect()
}

/// kino-world's 16 kHz audio → the autoencoder's 15 360 Hz.
pub fn to_model_rate(samples: &[f32]) -> Vec<f32> {
    resample(samples, WORLD_RATE, MODEL_RATE)
}

/// The autoencoder's 15 360 Hz → 16 kHz.
pub fn from_model_rate(samples: &[f32]) -> Vec<f32> {
    resample(samples, MODEL_RATE, WORLD_RATE)
}
