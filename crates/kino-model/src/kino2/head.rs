//! The pixel head: a token of the transformer paints its whole 4x8x8 patch through one linear
//! map, so early in training every patch is drawn apart from its neighbours and the clip comes
//! out in blocks. The head lets neighbouring patches agree: each token also paints a few feature
//! channels, and two 3x3 convolutions over every frame (which see across patch edges) turn them
//! into a correction of the clip. Its last convolution starts at zero, so a new head changes
//! nothing until training asks it to.
//!
//! The head can also see the noisy clip itself, at full resolution, and the time (a third
//! convolution, `noisy_in`, added before the GELU). The tokens see the noisy clip only through
//! the patch bottleneck and paint a whole 4-frame patch through one linear map, so an object
//! that moves within a patch comes out with a ghost at its place in the patch's other frames;
//! the noisy clip shows where it really is in each frame. `noisy_in` starts at zero, so a head
//! trained without it carries over unchanged.
//!
//! ```text
//! tokens ─ linear ─▶ [b, 3 + F, T, H, W] ─┬─ first 3 channels ──────────────────────────────────┐
//!                                          └─ conv 3x3 (F+3 → C) ─ + ─ GELU, conv 3x3 (C → 3) ─┴─ + ─▶ clean clip
//! noisy clip [b, 3, T, H, W], time ─ conv 3x3 (3+1 → C) ─┘
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
    /// Whether the head also sees the noisy clip and the time (`noisy_in`).
    pub sees_noisy: bool,
}

impl PixelHeadConfig {
    pub fn init(&self, device: &Device) -> PixelHead {
        let conv = |from: usize, to: usize| Conv2dConfig::new([from, to], [3, 3]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1));
        PixelHead {
            up: conv(3 + self.features, self.hidden).init(device),
            noisy_in: self.sees_noisy.then(|| conv(3 + 1, self.hidden).with_initializer(Initializer::Zeros).init(device)),
            down: conv(self.hidden, 3).with_initializer(Initializer::Zeros).init(device),
        }
    }
}

#[derive(Module, Debug)]
pub struct PixelHead {
    pub up: Conv2d,
    /// The noisy clip and the time into the hidden channels (absent in heads without it).
    pub noisy_in: Option<Conv2d>,
    pub down: Conv2d,
}

impl PixelHead {
    /// # Shapes
    /// - `painted`: `[b, 3 + features, t, h, w]` → the clip `[b, 3, t, h, w]`
    /// - `noisy`: the noisy clip `[b, 3, t, h, w]`; `time`: `[b]` (read only by `noisy_in`)
    pub fn forward(&self, painted: Tensor<5>, noisy: Tensor<5>, time: Tensor<1>) -> Tensor<5> {
        let [b, c, t, h, w] = painted.dims();
        let frames = painted.clone().swap_dims(1, 2).reshape([b * t, c, h, w]); // [b*t, c, h, w]
        let mut hidden = self.up.forward(frames); // [b*t, C, h, w]
        if let Some(noisy_in) = &self.noisy_in {
            let time = time.reshape([b, 1, 1, 1, 1]).expand([b, 1, t, h, w]);
            let seen = Tensor::cat(vec![noisy, time], 1).swap_dims(1, 2).reshape([b * t, 4, h, w]); // [b*t, 4, h, w]
            hidden = hidden + noisy_in.forward(seen);
        }
        let correction = self.down.forward(gelu(hidden)); // [b*t, 3, h, w]
        let correction = correction.reshape([b, t, 3, h, w]).swap_dims(1, 2); // [b, 3, t, h, w]
        painted.narrow(1, 0, 3) + correction
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use burn::tensor::Distribution;

    use super::*;

    fn largest_difference(a: Tensor<5>, b: Tensor<5>) -> f32 {
        (a - b).abs().max().into_scalar()
    }

    #[test]
    fn the_noisy_clip_changes_the_clip_only_once_noisy_in_has_learned_something() {
        let device = Device::flex();
        let conv = |from: usize, to: usize| Conv2dConfig::new([from, to], [3, 3]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1));
        let mut head = PixelHeadConfig { features: 2, hidden: 4, sees_noisy: true }.init(&device);
        // As if trained: the last convolution no longer zero.
        head.down = conv(4, 3).init(&device);
        let painted = Tensor::<5>::random([2, 5, 4, 8, 8], Distribution::Normal(0.0, 1.0), &device);
        let time = Tensor::<1>::from_floats([0.3, 0.9], &device);
        let quiet = Tensor::<5>::zeros([2, 3, 4, 8, 8], &device);
        let loud = Tensor::<5>::random([2, 3, 4, 8, 8], Distribution::Normal(0.0, 1.0), &device);
        let made = |head: &PixelHead, noisy: &Tensor<5>| head.forward(painted.clone(), noisy.clone(), time.clone());
        assert!(largest_difference(made(&head, &quiet), made(&head, &loud)) < 1e-6, "a fresh noisy_in reads nothing");
        head.noisy_in = Some(conv(4, 4).init(&device));
        assert!(largest_difference(made(&head, &quiet), made(&head, &loud)) > 1e-3, "a learned noisy_in reads the noisy clip");
        assert_eq!(made(&head, &loud).dims(), [2, 3, 4, 8, 8]);
    }
}
