//! Token embeddings: patchifying the latents, the timestep embedding, and the 3D positions
//! with a time axis shared by video and audio tokens.

use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::activation::silu;
use burn::tensor::{Device, Tensor, TensorData};

/// `[frequencies * 2]` sinusoidal features of each value: `[cos(v * f_i), sin(v * f_i)]` with
/// `f_i = max_period^(-i / frequencies)`.
///
/// # Shapes
/// - `values`: `[n]` → `[n, 2 * frequencies]`
pub fn sinusoidal(values: Tensor<1>, frequencies: usize, max_period: f64) -> Tensor<2> {
    let [n] = values.dims();
    let device = values.device();
    let freqs: Vec<f32> = (0..frequencies).map(|i| (-(max_period.ln()) * i as f64 / frequencies as f64).exp() as f32).collect();
    let freqs = Tensor::<1>::from_data(TensorData::new(freqs, [frequencies]), &device).reshape([1, frequencies]);
    let angles = values.reshape([n, 1]) * freqs; // [n, frequencies]
    Tensor::cat(vec![angles.clone().cos(), angles.sin()], 1)
}

/// The same features computed on the host, for fixed position tables.
pub fn sinusoidal_row(value: f64, frequencies: usize, max_period: f64) -> Vec<f32> {
    let angles: Vec<f64> = (0..frequencies).map(|i| value * (-(max_period.ln()) * i as f64 / frequencies as f64).exp()).collect();
    angles.iter().map(|a| a.cos() as f32).chain(angles.iter().map(|a| a.sin() as f32)).collect()
}

/// Flow time `t ∈ [0, 1]` → `[width]`: sinusoidal features of `1000 t`, then an MLP.
#[derive(Module, Debug)]
pub struct TimestepEmbedding {
    pub up: Linear,
    pub down: Linear,
    /// Number of sinusoidal frequencies (features = 2x).
    pub frequencies: usize,
}

impl TimestepEmbedding {
    pub fn new(width: usize, frequencies: usize, device: &Device) -> Self {
        TimestepEmbedding { up: LinearConfig::new(2 * frequencies, width).init(device), down: LinearConfig::new(width, width).init(device), frequencies }
    }

    /// # Shapes
    /// - `t`: `[batch]` → `[batch, width]`
    pub fn forward(&self, t: Tensor<1>) -> Tensor<2> {
        let features = sinusoidal(t.mul_scalar(1000.0), self.frequencies, 10_000.0);
        self.down.forward(silu(self.up.forward(features)))
    }
}

/// Positions of the token sequence `[video tokens..., audio tokens...]` as one fixed table.
///
/// Width is split three ways: half for time, a quarter each for row and column. Time is in
/// video frames (the centre of what a token covers), the same scale for both modalities, so a
/// video token and an audio token of the same instant share the time half exactly. Audio tokens
/// leave the row and column quarters at zero; a learned modality embedding tells the two apart.
///
/// # Shapes
/// - returns `[video_tokens + audio_tokens, width]`
pub fn joint_positions(
    width: usize,
    video: [usize; 3],
    frames_per_latent: usize,
    audio_tokens: usize,
    frames_per_audio_token: f64,
    device: &Device,
) -> Tensor<2> {
    let [lt, gh, gw] = video;
    let (time_half, quarter) = (width / 4, width / 8); // frequencies per part
    let mut rows = Vec::with_capacity((lt * gh * gw + audio_tokens) * width);
    let centre = |index: usize, span: f64| (index as f64 + 0.5) * span - 0.5;
    for f in 0..lt {
        for y in 0..gh {
            for x in 0..gw {
                rows.extend(sinusoidal_row(centre(f, frames_per_latent as f64), time_half, 1000.0));
                rows.extend(sinusoidal_row(y as f64, quarter, 100.0));
                rows.extend(sinusoidal_row(x as f64, quarter, 100.0));
            }
        }
    }
    for a in 0..audio_tokens {
        rows.extend(sinusoidal_row(centre(a, frames_per_audio_token), time_half, 1000.0));
        rows.extend(std::iter::repeat_n(0.0, 4 * quarter));
    }
    let n = lt * gh * gw + audio_tokens;
    Tensor::from_data(TensorData::new(rows, [n, 2 * time_half + 4 * quarter]), device)
}

/// Video latent → tokens of `patch x patch` latent pixels.
///
/// # Shapes
/// - `x`: `[b, c, t, h, w]` → `[b, t * h/p * w/p, c * p * p]` (token order: time, row, column)
pub fn patchify_video(x: Tensor<5>, p: usize) -> Tensor<3> {
    let [b, c, t, h, w] = x.dims();
    let x = x.reshape([b * c, t, h / p, p, w / p, p]).reshape([b, c, t * (h / p), p, w / p, p]);
    let x = x.permute([0, 2, 4, 1, 3, 5]); // [b, t*h/p, w/p, c, p, p]
    x.reshape([b, t * (h / p) * (w / p), c * p * p])
}

/// The inverse of [`patchify_video`] for a latent of `[c, t, h, w]`.
pub fn unpatchify_video(tokens: Tensor<3>, p: usize, [c, t, h, w]: [usize; 4]) -> Tensor<5> {
    let [b, _, _] = tokens.dims();
    let x = tokens.reshape([b, t * (h / p), w / p, c, p, p]).permute([0, 3, 1, 4, 2, 5]); // [b, c, t*h/p, p, w/p, p]
    x.reshape([b, c, t, h, w])
}

/// Audio latent → tokens of `p` consecutive latent frames.
///
/// # Shapes
/// - `x`: `[b, c, f]` → `[b, f/p, c * p]`
pub fn patchify_audio(x: Tensor<3>, p: usize) -> Tensor<3> {
    let [b, c, f] = x.dims();
    x.reshape([b, c, f / p, p]).permute([0, 2, 1, 3]).reshape([b, f / p, c * p])
}

/// The inverse of [`patchify_audio`].
pub fn unpatchify_audio(tokens: Tensor<3>, p: usize, c: usize) -> Tensor<3> {
    let [b, n, _] = tokens.dims();
    tokens.reshape([b, n, c, p]).permute([0, 2, 1, 3]).reshape([b, c, n * p])
}
