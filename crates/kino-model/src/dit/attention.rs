//! Multi-head attention, used both as self-attention (context = the tokens themselves) and as
//! cross-attention (context = text and identity tokens).

use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::module::attention;
use burn::tensor::ops::AttentionModuleOptions;
use burn::tensor::{Bool, Device, Tensor};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AttentionConfig {
    /// Width of the queries' tokens (and of the output).
    pub width: usize,
    /// Width of the context tokens the keys and values are made from.
    pub context_width: usize,
    /// Number of heads; `width` must be a multiple of it.
    pub heads: usize,
}

impl AttentionConfig {
    pub fn init(&self, device: &Device) -> Attention {
        Attention {
            query: LinearConfig::new(self.width, self.width).init(device),
            key: LinearConfig::new(self.context_width, self.width).init(device),
            value: LinearConfig::new(self.context_width, self.width).init(device),
            output: LinearConfig::new(self.width, self.width).init(device),
            heads: self.heads,
        }
    }
}

#[derive(Module, Debug)]
pub struct Attention {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub output: Linear,
    pub heads: usize,
}

impl Attention {
    /// # Shapes
    /// - `x`: `[batch, tokens, width]`
    /// - `context`: `[batch, context_tokens, context_width]`
    /// - `hidden`: `[batch, 1, 1, context_tokens]`, `true` where a context token must not be
    ///   attended to (padding, a dropped prompt); `None` attends to all
    /// - returns `[batch, tokens, width]`
    pub fn forward(&self, x: Tensor<3>, context: Tensor<3>, hidden: Option<Tensor<4, Bool>>) -> Tensor<3> {
        let [b, t, d] = x.dims();
        let [_, s, _] = context.dims();
        let h = self.heads;
        let q = self.query.forward(x).reshape([b, t, h, d / h]).swap_dims(1, 2); // [b, h, t, d/h]
        let k = self.key.forward(context.clone()).reshape([b, s, h, d / h]).swap_dims(1, 2); // [b, h, s, d/h]
        let v = self.value.forward(context).reshape([b, s, h, d / h]).swap_dims(1, 2);
        let mask = hidden.map(|m| m.expand([b, h, t, s]));
        let y = attention(q, k, v, mask, None, AttentionModuleOptions::default());
        let y = y.swap_dims(1, 2).reshape([b, t, d]); // [b, t, d]
        self.output.forward(y)
    }
}
