//! One DiT block with AdaLN-zero (Peebles & Xie, 2023) and cross-attention (PixArt-α):
//!
//! ```text
//! x = x + gate1 * self_attention(modulate(norm(x), shift1, scale1))
//! x = x + cross_attention(norm(x), text and identity tokens)
//! x = x + gate2 * mlp(modulate(norm(x), shift2, scale2))
//! ```
//!
//! The six modulation vectors come from the timestep embedding through a linear layer that
//! starts at zero, so every block starts as the identity.

use burn::module::Module;
use burn::nn::{Initializer, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::activation::{gelu_approximate, silu};
use burn::tensor::{Bool, Device, Tensor};
use serde::{Deserialize, Serialize};

use super::attention::{Attention, AttentionConfig};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DitBlockConfig {
    /// Token width.
    pub width: usize,
    /// Attention heads.
    pub heads: usize,
    /// MLP hidden width as a multiple of `width` (4).
    pub mlp_ratio: usize,
}

impl DitBlockConfig {
    pub fn init(&self, device: &Device) -> DitBlock {
        let d = self.width;
        let norm = || LayerNormConfig::new(d).with_epsilon(1e-6).with_bias(false).init(device);
        DitBlock {
            norm1: norm(),
            self_attention: AttentionConfig { width: d, context_width: d, heads: self.heads }.init(device),
            norm2: norm(),
            cross_attention: AttentionConfig { width: d, context_width: d, heads: self.heads }.init(device),
            norm3: norm(),
            mlp: MlpConfig { width: d, hidden: d * self.mlp_ratio, out: d }.init(device),
            modulation: LinearConfig::new(d, 6 * d).with_initializer(Initializer::Zeros).init(device),
        }
    }
}

#[derive(Module, Debug)]
pub struct DitBlock {
    pub norm1: LayerNorm,
    pub self_attention: Attention,
    pub norm2: LayerNorm,
    pub cross_attention: Attention,
    pub norm3: LayerNorm,
    pub mlp: Mlp,
    /// `[width] → [6 * width]`: shift, scale and gate for attention and MLP.
    pub modulation: Linear,
}

impl DitBlock {
    /// # Shapes
    /// - `x`: `[batch, tokens, width]`
    /// - `c`: `[batch, width]`, the timestep embedding
    /// - `context`: `[batch, context_tokens, width]`; `hidden`: `[batch, 1, 1, context_tokens]`
    /// - returns `[batch, tokens, width]`
    pub fn forward(&self, x: Tensor<3>, c: Tensor<2>, context: Tensor<3>, hidden: Tensor<4, Bool>) -> Tensor<3> {
        let [b, d] = c.dims();
        let m = self.modulation.forward(silu(c)).reshape([b, 6, d]); // [b, 6, d]
        let part = |i: usize| m.clone().narrow(1, i, 1); // [b, 1, d]
        let (shift1, scale1, gate1, shift2, scale2, gate2) = (part(0), part(1), part(2), part(3), part(4), part(5));
        let h = modulate(self.norm1.forward(x.clone()), shift1, scale1);
        let x = x + gate1 * self.self_attention.forward(h.clone(), h, None);
        let x = x.clone() + self.cross_attention.forward(self.norm2.forward(x), context, Some(hidden));
        let h = modulate(self.norm3.forward(x.clone()), shift2, scale2);
        x + gate2 * self.mlp.forward(h)
    }
}

/// `x * (1 + scale) + shift`, with `shift`, `scale`: `[batch, 1, width]`.
pub fn modulate(x: Tensor<3>, shift: Tensor<3>, scale: Tensor<3>) -> Tensor<3> {
    x * scale.add_scalar(1.0) + shift
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MlpConfig {
    /// Width in.
    pub width: usize,
    /// Hidden width.
    pub hidden: usize,
    /// Width out.
    pub out: usize,
}

impl MlpConfig {
    pub fn init(&self, device: &Device) -> Mlp {
        Mlp { up: LinearConfig::new(self.width, self.hidden).init(device), down: LinearConfig::new(self.hidden, self.out).init(device) }
    }
}

/// `down(gelu(up(x)))` with the tanh GELU (cheaper than erf on CPU).
#[derive(Module, Debug)]
pub struct Mlp {
    pub up: Linear,
    pub down: Linear,
}

impl Mlp {
    /// # Shapes
    /// - `x`: `[batch, tokens, width]` → `[batch, tokens, out]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        self.down.forward(gelu_approximate(self.up.forward(x)))
    }
}
