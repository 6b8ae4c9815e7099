//! The audio autoencoder: a 1D convolutional VAE over log-magnitude spectrogram frames whose
//! latent frames line up exactly with the video latent frames.
//!
//! kino-world renders 16 kHz audio and 12 fps video, so one video frame is 1333.3 samples: no
//! integer hop fits. The autoencoder therefore works at [`MODEL_RATE`] = 15 360 Hz (1280
//! samples per video frame); [`to_model_rate`] and [`from_model_rate`] resample linearly on the
//! way in and out. An STFT with a hop of 320 samples ([`crate::spectrogram`]) gives 48 frames a
//! second of 257 log magnitudes: every video frame owns exactly 4 audio frames and every video
//! latent frame 16. The convolutions then squeeze each frame's 257 bins into 16 latent
//! channels, so a 2 s clip is latent `[16, 96]`; time is not compressed further, because a
//! bounce must land on its video frame. The waveform comes back through Griffin-Lim.
//!
//! Why not raw samples: our first, waveform autoencoder learned near-silence on a CPU budget;
//! magnitudes need no phase and a squared error on their logarithm is close to what is heard.
//! The convolutions are not causal: each latent frame sees about half a second either side,
//! which is what lets 16 channels stand for 257 bins.

use burn::module::{Module, Param};
use burn::nn::PaddingConfig1d;
use burn::nn::conv::{Conv1d, Conv1dConfig};
use burn::tensor::activation::silu;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::layers::{ChannelNorm, ChannelNormConfig};
use crate::shape::ShapeError;
use crate::spectrogram::Stft;

/// Sample rate of kino-world's audio.
pub const WORLD_RATE: u32 = 16_000;
/// Sample rate the audio autoencoder works at: 1280 samples per 12 fps video frame.
pub const MODEL_RATE: u32 = 15_360;
/// The log magnitudes are shifted and scaled by these to sit roughly in `[-1.5, 1.5]`.
const LOG_SHIFT: f32 = 5.0;
const LOG_SCALE: f32 = 4.0;

/// Shape of the audio autoencoder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioVaeConfig {
    /// STFT length (512).
    pub n_fft: usize,
    /// Samples between spectrogram frames, which are also latent frames (320).
    pub hop: usize,
    /// Width of the convolutions.
    pub width: usize,
    /// Residual blocks in the encoder and in the decoder.
    pub blocks: usize,
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
        AudioVaeConfig { n_fft: 512, hop: 320, width: 192, blocks: 2, latent_channels: 16, kl_weight: 1e-6, initial_log_var: -6.0 }
    }

    /// A tiny configuration for tests.
    pub fn tiny() -> Self {
        AudioVaeConfig { n_fft: 512, hop: 320, width: 8, blocks: 1, latent_channels: 4, kl_weight: 1e-6, initial_log_var: -6.0 }
    }

    /// Samples per latent frame.
    pub fn hop(&self) -> usize {
        self.hop
    }

    /// Frequency bins per spectrogram frame.
    pub fn bins(&self) -> usize {
        self.n_fft / 2 + 1
    }

    pub fn init(&self, device: &Device) -> AudioVae {
        let (w, l, bins) = (self.width, self.latent_channels, self.bins());
        let conv = |c_in: usize, c_out: usize| Conv1dConfig::new(c_in, c_out, 3).with_padding(PaddingConfig1d::Explicit(1, 1)).init(device);
        let blocks = || (0..self.blocks).map(|_| ResBlock1dConfig { channels: w }.init(device)).collect();
        AudioVae {
            encoder: AudioEncoder {
                conv_in: conv(bins, w),
                blocks: blocks(),
                norm_out: ChannelNormConfig::new(w).init(device),
                conv_out: log_var_bias(conv(w, 2 * l), l, self.initial_log_var),
            },
            decoder: AudioDecoder { conv_in: conv(l, w), blocks: blocks(), norm_out: ChannelNormConfig::new(w).init(device), conv_out: conv(w, bins) },
            n_fft: self.n_fft,
            hop: self.hop,
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
    pub n_fft: usize,
    pub hop: usize,
    pub latent_channels: usize,
    pub kl_weight: f64,
}

/// The encoder's posterior over `[batch, latent, frames]`.
pub type AudioPosterior = crate::posterior::Posterior<3>;

/// What one training pass gives.
#[derive(Debug, Clone)]
pub struct AudioVaeOutput {
    /// `[batch, bins, frames]`, normalised log magnitudes.
    pub reconstruction: Tensor<3>,
    pub posterior: AudioPosterior,
    /// Mean squared error of the normalised log magnitudes, `[1]`.
    pub mse: Tensor<1>,
    pub kl: Tensor<1>,
    /// `mse + kl_weight * kl`.
    pub loss: Tensor<1>,
}

impl AudioVae {
    /// The STFT the autoencoder's frames come from.
    pub fn stft(&self) -> Stft {
        Stft::new(self.n_fft, self.hop)
    }

    /// Normalised log-magnitude frames of mono `clips` at [`MODEL_RATE`], each a whole number
    /// of hops long (all the same length).
    ///
    /// # Shapes
    /// - returns `[clips, bins, samples / hop]`
    pub fn spectrogram(&self, clips: &[Vec<f32>], device: &Device) -> Result<Tensor<3>, ShapeError> {
        let n = clips.first().map_or(0, Vec::len);
        let hop = self.hop;
        ShapeError::check(
            !clips.is_empty() && n > 0 && n.is_multiple_of(hop) && clips.iter().all(|c| c.len() == n),
            "audio",
            || format!("clips of one length, a multiple of {hop} samples"),
            &clips.iter().map(Vec::len).collect::<Vec<_>>(),
        )?;
        let stft = self.stft();
        let (bins, frames) = (stft.bins(), n / hop);
        let mut data = Vec::with_capacity(clips.len() * bins * frames);
        for clip in clips {
            let spec = stft.log_magnitudes(clip); // [frames][bins]
            for b in 0..bins {
                data.extend(spec.iter().map(|frame| (frame[b] + LOG_SHIFT) / LOG_SCALE));
            }
        }
        Ok(Tensor::from_data(TensorData::new(data, [clips.len(), bins, frames]), device))
    }

    /// Waveforms at [`MODEL_RATE`] from normalised log-magnitude frames, by Griffin-Lim.
    ///
    /// # Shapes
    /// - `spectrogram`: `[batch, bins, frames]` → `batch` waveforms of `frames * hop` samples
    pub fn waveforms(&self, spectrogram: Tensor<3>, iterations: usize) -> Vec<Vec<f32>> {
        let [b, bins, frames] = spectrogram.dims();
        let values = spectrogram.into_data().convert::<f32>().try_into_vec::<f32>().unwrap_or_default();
        let stft = self.stft();
        (0..b)
            .map(|i| {
                let frame_major: Vec<Vec<f32>> =
                    (0..frames).map(|f| (0..bins).map(|k| values[(i * bins + k) * frames + f] * LOG_SCALE - LOG_SHIFT).collect()).collect();
                stft.griffin_lim(&frame_major, frames * self.hop, iterations)
            })
            .collect()
    }

    /// Checks that `spectrogram` is `[batch, bins, frames]`.
    pub fn check_spectrogram(&self, spectrogram: &Tensor<3>) -> Result<(), ShapeError> {
        let [b, c, n] = spectrogram.dims();
        let bins = self.n_fft / 2 + 1;
        ShapeError::check(b > 0 && c == bins && n > 0, "audio spectrogram", || format!("[batch, {bins}, frames]"), &[b, c, n])
    }

    /// Checks that `latent` is `[batch, latent_channels, frames]`.
    pub fn check_latent(&self, latent: &Tensor<3>) -> Result<(), ShapeError> {
        let dims = latent.dims();
        let l = self.latent_channels;
        ShapeError::check(dims[0] > 0 && dims[1] == l && dims[2] > 0, "audio latent", || format!("[batch, {l}, frames]"), &dims)
    }

    /// # Shapes
    /// - `spectrogram`: `[batch, bins, frames]` → posterior over `[batch, latent, frames]`
    pub fn encode(&self, spectrogram: Tensor<3>) -> Result<AudioPosterior, ShapeError> {
        self.check_spectrogram(&spectrogram)?;
        Ok(self.encoder.forward(spectrogram))
    }

    /// # Shapes
    /// - `latent`: `[batch, latent, frames]` → `[batch, bins, frames]`
    pub fn decode(&self, latent: Tensor<3>) -> Result<Tensor<3>, ShapeError> {
        self.check_latent(&latent)?;
        Ok(self.decoder.forward(latent))
    }

    /// Encode, sample, decode, and the loss.
    pub fn forward(&self, spectrogram: Tensor<3>) -> Result<AudioVaeOutput, ShapeError> {
        let posterior = self.encode(spectrogram.clone())?;
        let reconstruction = self.decoder.forward(posterior.sample());
        let mse = (reconstruction.clone() - spectrogram).powi_scalar(2).mean();
        let kl = posterior.kl();
        let loss = mse.clone() + kl.clone().mul_scalar(self.kl_weight);
        Ok(AudioVaeOutput { reconstruction, posterior, mse, kl, loss })
    }
}

#[derive(Module, Debug)]
pub struct AudioEncoder {
    pub conv_in: Conv1d,
    pub blocks: Vec<ResBlock1d>,
    pub norm_out: ChannelNorm,
    pub conv_out: Conv1d,
}

impl AudioEncoder {
    /// # Shapes
    /// - `spectrogram`: `[b, bins, f]` → posterior over `[b, latent, f]`
    pub fn forward(&self, spectrogram: Tensor<3>) -> AudioPosterior {
        let x = self.conv_in.forward(spectrogram);
        let x = self.blocks.iter().fold(x, |x, block| block.forward(x));
        let moments = self.conv_out.forward(silu(self.norm_out.forward(x)));
        let [_, l2, _] = moments.dims();
        let l = l2 / 2;
        AudioPosterior { mean: moments.clone().narrow(1, 0, l), log_var: moments.narrow(1, l, l).clamp(-30.0, 20.0) }
    }
}

#[derive(Module, Debug)]
pub struct AudioDecoder {
    pub conv_in: Conv1d,
    pub blocks: Vec<ResBlock1d>,
    pub norm_out: ChannelNorm,
    pub conv_out: Conv1d,
}

impl AudioDecoder {
    /// # Shapes
    /// - `latent`: `[b, latent, f]` → `[b, bins, f]`
    pub fn forward(&self, latent: Tensor<3>) -> Tensor<3> {
        let x = self.conv_in.forward(latent);
        let x = self.blocks.iter().fold(x, |x, block| block.forward(x));
        self.conv_out.forward(silu(self.norm_out.forward(x)))
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
