//! The pixel head: a token of the transformer paints its whole 4x8x8 patch through one linear
//! map, so early in training every patch is drawn apart from its neighbours and the clip comes
//! out in blocks. The head lets neighbouring patches agree: each token also paints a few feature
//! channels, and two 3x3 convolutions over every frame (which see across patch edges) turn them
//! into a correction of the clip. Its last convolution starts at zero, so a new head changes
//! nothing until training asks it to.
//!
//! ```text
//! tokens ─ linear ─▶ [b, 3 + F, T, H, W] ─┬─ first 3 channels ───────────────────┐
//!                                          └─ conv 3x3 (F+3 → C), GELU, conv 3x3 (C → 3) ─┴─ + ─▶ clean clip
//! ```

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Initializer, PaddingConfig2d};
use burn::tensor::activation::gelu;
use burn::tensor::{Device, Tensor};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelHeadConfig {
    /// Channels the tokens paint beside the clip's three.
    pub features: usize,
    /// Channels between the two convolutions.
    pub hidden: usize,
}

impl PixelHeadConfig {
    pub fn init(&self, device: &Device) -> PixelHead {
        let conv = |from: usize, to: usize| Conv2dConfig::new([from, to], [3, 3]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1));
        PixelHead { up: conv(3 + self.features, self.hidden).init(device), down: conv(self.hidden, 3).with_initializer(Initializer::Zeros).init(device) }
    }
}

#[derive(Module, Debug)]
pub struct PixelHead {
    pub up: Conv2d,
    pub down: Conv2d,
}

impl PixelHead {
    /// # Shapes
    /// - `painted`: `[b, 3 + features, t, h, w]` → the clip `[b, 3, t, h, w]`
    pub fn forward(&self, painted: Tensor<5>) -> Tensor<5> {
        let [b, c, t, h, w] = painted.dims();
        let frames = painted.clone().swap_dims(1, 2).reshape([b * t, c, h, w]); // [b*t, c, h, w]
        let correction = self.down.forward(gelu(self.up.forward(frames))); // [b*t, 3, h, w]
        let correction = correction.reshape([b, t, 3, h, w]).swap_dims(1, 2); // [b, 3, t, h, w]
        painted.narrow(1, 0, 3) + correction
    }
}
