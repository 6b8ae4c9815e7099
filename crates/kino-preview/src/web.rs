//! The engine as the Web Worker sees it (wasm-bindgen): construct it from the fetched files,
//! then ask for clips.

use std::collections::HashMap;

use wasm_bindgen::prelude::*;

use crate::{Engine, Preview};

/// [`Engine`] for JavaScript.
#[wasm_bindgen]
pub struct PreviewEngine {
    engine: Engine,
}

#[wasm_bindgen]
impl PreviewEngine {
    /// `names[i]` is the file whose bytes are `files[i]` (`generator.safetensors`, …).
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str, names: Vec<String>, files: Vec<js_sys::Uint8Array>) -> Result<PreviewEngine, JsError> {
        if names.len() != files.len() {
            return Err(JsError::new(&format!("{} file names for {} files", names.len(), files.len())));
        }
        let files: HashMap<String, Vec<u8>> = names.into_iter().zip(files.iter().map(js_sys::Uint8Array::to_vec)).collect();
        Ok(PreviewEngine { engine: Engine::load(config_json.as_bytes(), files)? })
    }

    #[wasm_bindgen(getter)]
    pub fn model(&self) -> String {
        self.engine.model().to_owned()
    }

    /// A clip; `on_progress` is called with the fraction done (0 to 1).
    pub fn generate(&self, slots_json: &str, seed: u64, steps: usize, on_progress: &js_sys::Function) -> Result<PreviewClip, JsError> {
        let mut progress = |p: f32| {
            // A failing progress callback must not stop the clip.
            let _ = on_progress.call1(&JsValue::NULL, &JsValue::from_f64(f64::from(p)));
        };
        Ok(PreviewClip { clip: self.engine.generate(slots_json, seed, steps, &mut progress)? })
    }
}

/// A generated preview for JavaScript.
#[wasm_bindgen]
pub struct PreviewClip {
    clip: Preview,
}

#[wasm_bindgen]
impl PreviewClip {
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> usize {
        self.clip.width
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> usize {
        self.clip.height
    }

    #[wasm_bindgen(getter)]
    pub fn fps(&self) -> f32 {
        self.clip.fps
    }

    #[wasm_bindgen(getter)]
    pub fn frames(&self) -> usize {
        self.clip.frames
    }

    /// Every frame's RGBA bytes one after another.
    pub fn rgba(&self) -> js_sys::Uint8ClampedArray {
        js_sys::Uint8ClampedArray::from(self.clip.rgba.as_slice())
    }

    /// Mono sound at `sample_rate`.
    pub fn audio(&self) -> js_sys::Float32Array {
        js_sys::Float32Array::from(self.clip.audio.as_slice())
    }

    #[wasm_bindgen(getter)]
    pub fn sample_rate(&self) -> u32 {
        Preview::SAMPLE_RATE
    }
}
