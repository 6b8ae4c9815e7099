//! BERT encoder (Devlin et al., 2019) as used by all-MiniLM-L6-v2: token, position and segment
//! embeddings, then post-norm transformer layers (`x = norm(x + attention(x))`,
//! `x = norm(x + mlp(x))`).

use burn::module::Module;
use burn::nn::{Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::activation::gelu;
use burn::tensor::module::attention;
use burn::tensor::ops::AttentionModuleOptions;
use burn::tensor::{Bool, Device, Int, Tensor};
use serde::{Deserialize, Serialize};

/// Shape of a BERT encoder. Field names follow Hugging Face's `config.json`, so that file
/// deserialises into this struct directly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BertConfig {
    /// Number of word-piece tokens in the vocabulary (30522 for uncased BERT vocabularies).
    pub vocab_size: usize,
    /// Width of every token state.
    pub hidden_size: usize,
    /// Number of transformer layers.
    pub num_hidden_layers: usize,
    /// Attention heads per layer; `hidden_size` must be a multiple of it.
    pub num_attention_heads: usize,
    /// Width of the MLP's hidden layer.
    pub intermediate_size: usize,
    /// Longest input the position table covers.
    pub max_position_embeddings: usize,
    /// Number of segment (token type) embeddings; we always use segment 0.
    pub type_vocab_size: usize,
    /// Epsilon of every layer norm (1e-12 in BERT).
    pub layer_norm_eps: f64,
}

impl BertConfig {
    /// all-MiniLM-L6-v2: 6 layers, width 384, 12 heads, MLP 1536 (22.7 M parameters).
    pub fn minilm_l6() -> Self {
        BertConfig {
            vocab_size: 30522,
            hidden_size: 384,
            num_hidden_layers: 6,
            num_attention_heads: 12,
            intermediate_size: 1536,
            max_position_embeddings: 512,
            type_vocab_size: 2,
            layer_norm_eps: 1e-12,
        }
    }

    /// A randomly initialised encoder (weights are then loaded by [`crate::text::loader`]).
    pub fn init(&self, device: &Device) -> Bert {
        Bert {
            embeddings: BertEmbeddings {
                word: EmbeddingConfig::new(self.vocab_size, self.hidden_size).init(device),
                position: EmbeddingConfig::new(self.max_position_embeddings, self.hidden_size).init(device),
                token_type: EmbeddingConfig::new(self.type_vocab_size, self.hidden_size).init(device),
                norm: self.layer_norm(device),
            },
            layers: (0..self.num_hidden_layers).map(|_| self.init_layer(device)).collect(),
            max_positions: self.max_position_embeddings,
        }
    }

    fn layer_norm(&self, device: &Device) -> LayerNorm {
        LayerNormConfig::new(self.hidden_size).with_epsilon(self.layer_norm_eps).init(device)
    }

    fn init_layer(&self, device: &Device) -> BertLayer {
        let d = self.hidden_size;
        BertLayer {
            attention: BertAttention {
                query: LinearConfig::new(d, d).init(device),
                key: LinearConfig::new(d, d).init(device),
                value: LinearConfig::new(d, d).init(device),
                output: LinearConfig::new(d, d).init(device),
                n_heads: self.num_attention_heads,
            },
            attention_norm: self.layer_norm(device),
            mlp: BertMlp { up: LinearConfig::new(d, self.intermediate_size).init(device), down: LinearConfig::new(self.intermediate_size, d).init(device) },
            mlp_norm: self.layer_norm(device),
        }
    }
}

/// The whole encoder: embeddings and a stack of layers.
#[derive(Module, Debug)]
pub struct Bert {
    pub embeddings: BertEmbeddings,
    pub layers: Vec<BertLayer>,
    /// Length of the position table.
    pub max_positions: usize,
}

impl Bert {
    /// Token states for a batch of token ids.
    ///
    /// # Shapes
    /// - `ids`: `[batch, tokens]` word-piece ids
    /// - `mask`: `[batch, tokens]`, `true` for real tokens, `false` for padding
    /// - returns `[batch, tokens, hidden]`
    pub fn forward(&self, ids: Tensor<2, Int>, mask: Tensor<2, Bool>) -> Tensor<3> {
        let [b, t] = ids.dims();
        let x = self.embeddings.forward(ids);
        // Padding keys are hidden from every query: [b, 1, 1, t] broadcast to [b, h, t, t].
        let hidden = mask.bool_not().reshape([b, 1, 1, t]);
        self.layers.iter().fold(x, |x, layer| layer.forward(x, hidden.clone()))
    }
}

/// Word + position + segment embeddings, then a layer norm.
#[derive(Module, Debug)]
pub struct BertEmbeddings {
    pub word: Embedding,
    pub position: Embedding,
    pub token_type: Embedding,
    pub norm: LayerNorm,
}

impl BertEmbeddings {
    /// # Shapes
    /// - `ids`: `[batch, tokens]`
    /// - returns `[batch, tokens, hidden]`
    pub fn forward(&self, ids: Tensor<2, Int>) -> Tensor<3> {
        let [b, t] = ids.dims();
        let device = ids.device();
        let positions = Tensor::<1, Int>::arange(0..t as i64, &device).reshape([1, t]).expand([b, t]);
        let segments = Tensor::<2, Int>::zeros([b, t], &device);
        let x = self.word.forward(ids) + self.position.forward(positions) + self.token_type.forward(segments);
        self.norm.forward(x)
    }
}

/// One post-norm transformer layer.
#[derive(Module, Debug)]
pub struct BertLayer {
    pub attention: BertAttention,
    pub attention_norm: LayerNorm,
    pub mlp: BertMlp,
    pub mlp_norm: LayerNorm,
}

impl BertLayer {
    /// # Shapes
    /// - `x`: `[batch, tokens, hidden]`
    /// - `hidden_keys`: `[batch, 1, 1, tokens]`, `true` where a key is padding
    /// - returns `[batch, tokens, hidden]`
    pub fn forward(&self, x: Tensor<3>, hidden_keys: Tensor<4, Bool>) -> Tensor<3> {
        let x = self.attention_norm.forward(x.clone() + self.attention.forward(x, hidden_keys));
        self.mlp_norm.forward(x.clone() + self.mlp.forward(x))
    }
}

/// Multi-head self-attention with an output projection.
#[derive(Module, Debug)]
pub struct BertAttention {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub output: Linear,
    pub n_heads: usize,
}

impl BertAttention {
    /// # Shapes
    /// - `x`: `[batch, tokens, hidden]`
    /// - `hidden_keys`: `[batch, 1, 1, tokens]`
    /// - returns `[batch, tokens, hidden]`
    pub fn forward(&self, x: Tensor<3>, hidden_keys: Tensor<4, Bool>) -> Tensor<3> {
        let [b, t, d] = x.dims();
        let h = self.n_heads;
        let heads = |y: Tensor<3>| y.reshape([b, t, h, d / h]).swap_dims(1, 2); // [b, h, t, d/h]
        let (q, k, v) = (heads(self.query.forward(x.clone())), heads(self.key.forward(x.clone())), heads(self.value.forward(x)));
        let mask = hidden_keys.expand([b, h, t, t]);
        let context = attention(q, k, v, Some(mask), None, AttentionModuleOptions::default());
        let context = context.swap_dims(1, 2).reshape([b, t, d]); // [b, t, d]
        self.output.forward(context)
    }
}

/// The feed-forward block: `down(gelu(up(x)))` with exact (erf) GELU.
#[derive(Module, Debug)]
pub struct BertMlp {
    pub up: Linear,
    pub down: Linear,
}

impl BertMlp {
    /// # Shapes
    /// - `x`: `[batch, tokens, hidden]` → `[batch, tokens, hidden]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        self.down.forward(gelu(self.up.forward(x)))
    }
}
