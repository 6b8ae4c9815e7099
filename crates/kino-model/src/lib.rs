//! Kino's models, in burn 0.22 (the backend is a run-time [`burn::tensor::Device`]: flex on
//! CPU, wgpu natively, WebGPU in the browser).
//!
//! - [`text`]: all-MiniLM-L6-v2, the pretrained prompt encoder (token states and sentence
//!   embeddings), loaded from safetensors.
//! - [`video_vae`]: causal 3D conv VAE, 4x time and 8x space (`[3, 24, 64, 64]` → `[16, 6, 8, 8]`).
//! - [`audio_vae`]: 1D conv VAE whose latent frames align with the video latent frames.
//! - [`dit`]: the diffusion transformer over joint video and audio tokens.
//! - [`flow`]: rectified-flow loss, Euler, Heun, re-noised (ancestral) and DDPM samplers,
//!   classifier-free guidance.
//! - [`kino2`]: kino-2's pixel-space generator conditioned on the prompt's slots.
//! - [`pipeline`]: a released model folder end to end (generate, remix, extend, multi-shot).
//! - [`spectrogram`]: STFT and Griffin-Lim, the audio autoencoder's front and back end.
//!
//! Every public `forward`/`encode`/`decode` checks its input shapes and returns a
//! [`ShapeError`] instead of panicking. Training loops live in `kino-train`; this crate holds
//! the models and their inference.

pub mod audio_vae;
pub mod dit;
pub mod flow;
pub mod kino2;
pub mod layers;
pub mod noise;
pub mod pipeline;
pub mod posterior;
pub mod shape;
pub mod spectrogram;
pub mod text;
pub mod video_vae;
pub mod weights;

pub use dit::{Conditioning, JointLatents, Kino, KinoConfig};
pub use shape::ShapeError;
