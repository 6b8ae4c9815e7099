//! The preview engine: what the studio's Web Worker runs to make a clip on the visitor's own
//! machine. It holds a released model loaded from the bytes of its files (fetched by the page,
//! never MiniLM: the server's prompt reader turns the prompt into slots in one small request)
//! and generates from those slots, a seed and a step count, exactly as the server's
//! [`Pipeline`] does, so a kept preview can be remade on the server frame for frame.
//!
//! [`web`] is its face in the browser (wasm-bindgen); everything else is plain Rust, tested
//! natively.

use std::collections::HashMap;

use burn::tensor::Device;
use kino_core::slots::ClipSlots;
use kino_model::pipeline::{Pipeline, PipelineError, Request};

#[cfg(target_arch = "wasm32")]
pub mod web;

/// Why a preview could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("the model: {0}")]
    Model(#[from] PipelineError),
    #[error("the slots: {0}")]
    Slots(String),
}

/// A loaded model ready to make previews.
pub struct Engine {
    pipeline: Pipeline,
}

/// A preview: frames and sound.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub width: usize,
    pub height: usize,
    pub fps: f32,
    /// Every frame's RGBA bytes one after another (`width * height * 4` each), ready for an
    /// `ImageData`.
    pub rgba: Vec<u8>,
    pub frames: usize,
    /// Mono sound at [`Preview::SAMPLE_RATE`], in `[-1, 1]`.
    pub audio: Vec<f32>,
}

impl Preview {
    pub const SAMPLE_RATE: u32 = kino_model::audio_vae::WORLD_RATE;
}

impl Engine {
    /// The model from its `config.json` and weight files by name (`generator.safetensors`, …).
    pub fn load(config_json: &[u8], files: HashMap<String, Vec<u8>>) -> Result<Engine, PreviewError> {
        Ok(Engine { pipeline: Pipeline::from_bytes(config_json, files, &Device::flex())? })
    }

    /// The model's name (`kino-2`).
    pub fn model(&self) -> &str {
        &self.pipeline.config.name
    }

    /// A clip of `slots` (JSON of [`ClipSlots`], as the server's reader returned them) from
    /// `seed` in `steps` sampling steps; `progress` gets the fraction done.
    pub fn generate(&self, slots_json: &str, seed: u64, steps: usize, progress: &mut dyn FnMut(f32)) -> Result<Preview, PreviewError> {
        let slots: ClipSlots = serde_json::from_str(slots_json).map_err(|e| PreviewError::Slots(e.to_string()))?;
        if slots.objects.is_empty() {
            return Err(PreviewError::Slots("the slots name no object to draw".into()));
        }
        let request = Request { steps: Some(steps), slots: Some(slots.clone()), ..Request::new(slots.describe(), seed) };
        let clip = self.pipeline.generate(&request, progress)?;
        let rgba = clip.frames.iter().flat_map(|f| f.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255])).collect();
        Ok(Preview { width: clip.width, height: clip.height, fps: clip.fps, rgba, frames: clip.frames.len(), audio: clip.audio })
    }
}
