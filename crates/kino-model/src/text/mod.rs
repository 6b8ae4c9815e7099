//! The prompt encoder: all-MiniLM-L6-v2 (pretrained, Apache-2.0), run in burn.
//!
//! [`TextEncoder::encode`] gives the token states the diffusion transformer cross-attends to;
//! [`TextEncoder::embed`] gives sentence-transformers' sentence embedding (mean of the token
//! states over the attention mask, L2-normalised), used to compare prompts.

pub mod bert;
pub mod loader;

use std::path::{Path, PathBuf};

use burn::tensor::{Bool, Device, Int, Tensor, TensorData};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

pub use bert::{Bert, BertConfig};
pub use loader::LoadError;

/// Longest prompt, in word pieces (special tokens included); longer prompts are truncated.
pub const MAX_TOKENS: usize = 128;

/// Width of MiniLM's token states.
pub const TEXT_WIDTH: usize = 384;

/// Token states of a batch of prompts.
#[derive(Debug, Clone)]
pub struct TextStates {
    /// `[batch, tokens, 384]`, padded to the longest prompt of the batch.
    pub states: Tensor<3>,
    /// `[batch, tokens]`: `true` for real tokens, `false` for padding.
    pub mask: Tensor<2, Bool>,
}

/// Why a prompt could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("tokenizing: {0}")]
    Tokenize(String),
    #[error("no prompts to encode")]
    Empty,
}

/// MiniLM with its word-piece tokenizer.
#[derive(Debug)]
pub struct TextEncoder {
    pub bert: Bert,
    tokenizer: Tokenizer,
    device: Device,
}

impl TextEncoder {
    /// The default folder: `models/minilm` at the workspace root (where `cargo xtask
    /// fetch-models` puts it), or `$KINO_MODELS_DIR/minilm` when that variable is set.
    pub fn default_dir() -> PathBuf {
        match std::env::var_os("KINO_MODELS_DIR") {
            Some(models) => PathBuf::from(models).join("minilm"),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/minilm"),
        }
    }

    /// Loads `dir/{config.json, model.safetensors, tokenizer.json}`.
    pub fn load(dir: &Path, device: &Device) -> Result<Self, LoadError> {
        let path = dir.join("tokenizer.json");
        let bytes = loader::read(&path)?;
        let tokenizer_error = |message: String| LoadError::Tokenizer { path: path.clone(), message };
        let mut tokenizer = Tokenizer::from_bytes(&bytes).map_err(|e| tokenizer_error(e.to_string()))?;
        // The file pads every input to 128; pad only to the longest prompt of a batch instead
        // (padding is masked out anyway, this only saves work).
        tokenizer.with_padding(Some(PaddingParams { strategy: PaddingStrategy::BatchLongest, ..PaddingParams::default() }));
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..TruncationParams::default() }))
            .map_err(|e| tokenizer_error(e.to_string()))?;
        let bert = loader::load_bert(dir, device)?;
        Ok(TextEncoder { bert, tokenizer, device: device.clone() })
    }

    /// Token states of `prompts`.
    ///
    /// # Shapes
    /// - returns `states: [prompts, tokens, 384]`, `mask: [prompts, tokens]`
    pub fn encode(&self, prompts: &[&str]) -> Result<TextStates, TextError> {
        if prompts.is_empty() {
            return Err(TextError::Empty);
        }
        let encodings = self.tokenizer.encode_batch(prompts.to_vec(), true).map_err(|e| TextError::Tokenize(e.to_string()))?;
        let b = encodings.len();
        let t = encodings.iter().map(|e| e.get_ids().len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(b * t);
        let mut mask = Vec::with_capacity(b * t);
        for encoding in &encodings {
            ids.extend(encoding.get_ids().iter().map(|&id| i64::from(id)));
            mask.extend(encoding.get_attention_mask().iter().map(|&m| m == 1));
        }
        let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [b, t]), &self.device);
        let mask = Tensor::<2, Bool>::from_data(TensorData::new(mask, [b, t]), &self.device);
        let states = self.bert.forward(ids, mask.clone());
        Ok(TextStates { states, mask })
    }

    /// Sentence embeddings: mean of the token states over the mask, L2-normalised.
    ///
    /// # Shapes
    /// - returns `[prompts, 384]`
    pub fn embed(&self, prompts: &[&str]) -> Result<Tensor<2>, TextError> {
        Ok(mean_pool(self.encode(prompts)?))
    }
}

/// Mean of `states` over the real tokens, then L2 normalisation.
///
/// # Shapes
/// - `states: [b, t, d]`, `mask: [b, t]` → `[b, d]`
pub fn mean_pool(text: TextStates) -> Tensor<2> {
    let [b, t, d] = text.states.dims();
    let weights = text.mask.float().reshape([b, t, 1]); // [b, t, 1]
    let sum = (text.states * weights.clone()).sum_dim(1).reshape([b, d]);
    let count = weights.sum_dim(1).reshape([b, 1]).clamp_min(1e-9);
    let mean = sum / count;
    let norm = mean.clone().powi_scalar(2).sum_dim(1).sqrt().clamp_min(1e-12); // [b, 1]
    mean / norm
}
