//! Loads all-MiniLM-L6-v2 from the Hugging Face `model.safetensors` that
//! `cargo xtask fetch-models` puts in `models/minilm/`.
//!
//! # Key map (Hugging Face BERT name → ours)
//!
//! | safetensors key | shape | our parameter |
//! |---|---|---|
//! | `embeddings.word_embeddings.weight` | `[vocab, d]` | `embeddings.word.weight` |
//! | `embeddings.position_embeddings.weight` | `[positions, d]` | `embeddings.position.weight` |
//! | `embeddings.token_type_embeddings.weight` | `[types, d]` | `embeddings.token_type.weight` |
//! | `embeddings.LayerNorm.{weight,bias}` | `[d]` | `embeddings.norm.{gamma,beta}` |
//! | `encoder.layer.{i}.attention.self.{query,key,value}.{weight,bias}` | `[d, d]`, `[d]` | `layers[i].attention.{query,key,value}` |
//! | `encoder.layer.{i}.attention.output.dense.{weight,bias}` | `[d, d]`, `[d]` | `layers[i].attention.output` |
//! | `encoder.layer.{i}.attention.output.LayerNorm.{weight,bias}` | `[d]` | `layers[i].attention_norm` |
//! | `encoder.layer.{i}.intermediate.dense.{weight,bias}` | `[4d, d]`, `[4d]` | `layers[i].mlp.up` |
//! | `encoder.layer.{i}.output.dense.{weight,bias}` | `[d, 4d]`, `[d]` | `layers[i].mlp.down` |
//! | `encoder.layer.{i}.output.LayerNorm.{weight,bias}` | `[d]` | `layers[i].mlp_norm` |
//!
//! PyTorch stores a linear weight as `[out, in]`; burn's `Linear` holds `[in, out]`, so linear
//! weights are transposed. Not loaded: `embeddings.position_ids` (an I64 buffer of
//! `0..512`) and `pooler.*` (sentence-transformers pools by the mean, not BERT's pooler).
//! Every tensor's dtype and shape is checked before it is copied.

use std::path::{Path, PathBuf};

use burn::module::Param;
use burn::nn::{Embedding, LayerNorm, Linear};
use burn::tensor::{Device, Tensor, TensorData};
use safetensors::{Dtype, SafeTensors};

use super::bert::{Bert, BertConfig};

/// Why a model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path} is missing: run `cargo xtask fetch-models` to download the pretrained weights")]
    Missing { path: PathBuf },
    #[error("reading {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a valid safetensors file: {message}")]
    Format { path: PathBuf, message: String },
    #[error("{path} is not a valid config: {message}")]
    Config { path: PathBuf, message: String },
    #[error("tensor `{key}` is missing from the weights")]
    MissingTensor { key: String },
    #[error("tensor `{key}` has shape {found:?}, expected {expected:?}")]
    Shape { key: String, expected: Vec<usize>, found: Vec<usize> },
    #[error("tensor `{key}` has dtype {found}, expected F32")]
    Dtype { key: String, found: String },
    #[error("loading the tokenizer {path}: {message}")]
    Tokenizer { path: PathBuf, message: String },
}

/// Reads a file, telling apart "not there" (fetch it) from other I/O errors.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => LoadError::Missing { path: path.to_owned() },
        _ => LoadError::Io { path: path.to_owned(), source },
    })
}

/// Reads `config.json` in `dir`.
pub fn load_config(dir: &Path) -> Result<BertConfig, LoadError> {
    let path = dir.join("config.json");
    let bytes = read(&path)?;
    serde_json::from_slice(&bytes).map_err(|e| LoadError::Config { path, message: e.to_string() })
}

/// Builds the encoder described by `dir/config.json` with the weights of `dir/model.safetensors`.
pub fn load_bert(dir: &Path, device: &Device) -> Result<Bert, LoadError> {
    let config = load_config(dir)?;
    let path = dir.join("model.safetensors");
    let bytes = read(&path)?;
    let tensors = SafeTensors::deserialize(&bytes).map_err(|e| LoadError::Format { path: path.clone(), message: e.to_string() })?;
    let weights = Weights { tensors, device };
    let mut bert = config.init(device);
    let d = config.hidden_size;
    let e = &mut bert.embeddings;
    weights.embedding(&mut e.word, "embeddings.word_embeddings", [config.vocab_size, d])?;
    weights.embedding(&mut e.position, "embeddings.position_embeddings", [config.max_position_embeddings, d])?;
    weights.embedding(&mut e.token_type, "embeddings.token_type_embeddings", [config.type_vocab_size, d])?;
    weights.layer_norm(&mut e.norm, "embeddings.LayerNorm", d)?;
    for (i, layer) in bert.layers.iter_mut().enumerate() {
        let p = format!("encoder.layer.{i}");
        weights.linear(&mut layer.attention.query, &format!("{p}.attention.self.query"), d, d)?;
        weights.linear(&mut layer.attention.key, &format!("{p}.attention.self.key"), d, d)?;
        weights.linear(&mut layer.attention.value, &format!("{p}.attention.self.value"), d, d)?;
        weights.linear(&mut layer.attention.output, &format!("{p}.attention.output.dense"), d, d)?;
        weights.layer_norm(&mut layer.attention_norm, &format!("{p}.attention.output.LayerNorm"), d)?;
        weights.linear(&mut layer.mlp.up, &format!("{p}.intermediate.dense"), d, config.intermediate_size)?;
        weights.linear(&mut layer.mlp.down, &format!("{p}.output.dense"), config.intermediate_size, d)?;
        weights.layer_norm(&mut layer.mlp_norm, &format!("{p}.output.LayerNorm"), d)?;
    }
    Ok(bert)
}

struct Weights<'a> {
    tensors: SafeTensors<'a>,
    device: &'a Device,
}

impl Weights<'_> {
    /// The f32 tensor `key`, refused unless its shape is `expected`.
    fn tensor<const D: usize>(&self, key: &str, expected: [usize; D]) -> Result<Tensor<D>, LoadError> {
        let view = self.tensors.tensor(key).map_err(|_| LoadError::MissingTensor { key: key.to_owned() })?;
        if view.dtype() != Dtype::F32 {
            return Err(LoadError::Dtype { key: key.to_owned(), found: format!("{:?}", view.dtype()) });
        }
        if view.shape() != expected {
            return Err(LoadError::Shape { key: key.to_owned(), expected: expected.to_vec(), found: view.shape().to_vec() });
        }
        let values: Vec<f32> = view.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        Ok(Tensor::from_data(TensorData::new(values, expected), self.device))
    }

    fn embedding(&self, into: &mut Embedding, key: &str, shape: [usize; 2]) -> Result<(), LoadError> {
        into.weight = Param::from_tensor(self.tensor(&format!("{key}.weight"), shape)?);
        Ok(())
    }

    fn layer_norm(&self, into: &mut LayerNorm, key: &str, d: usize) -> Result<(), LoadError> {
        into.gamma = Param::from_tensor(self.tensor(&format!("{key}.weight"), [d])?);
        into.beta = Some(Param::from_tensor(self.tensor(&format!("{key}.bias"), [d])?));
        Ok(())
    }

    /// A PyTorch linear layer `[out, in]`, transposed to burn's `[in, out]`.
    fn linear(&self, into: &mut Linear, key: &str, d_in: usize, d_out: usize) -> Result<(), LoadError> {
        into.weight = Param::from_tensor(self.tensor::<2>(&format!("{key}.weight"), [d_out, d_in])?.transpose());
        into.bias = Some(Param::from_tensor(self.tensor(&format!("{key}.bias"), [d_out])?));
        Ok(())
    }
}
