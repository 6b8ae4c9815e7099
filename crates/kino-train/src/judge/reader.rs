//! The judge's cell reader: a small fully convolutional network of its own that names, for
//! every 4 x 4 pixel cell of every looked-at frame, the kind of object there (or none) and the
//! colour of the moving object there. The judge's colour set is read off its maps
//! ([`colour_logits`]): a colour is on screen when some cell of some frame holds a moving
//! object of that colour.
//!
//! Why not the clip's colour head: it reads features pooled over the whole frame, and named
//! the exact set of colours on 40% of the eval's real renders (a green basketball read as
//! orange, a grey cube on pale paper missed). A cell's answer needs only the pixels around it,
//! the same in every scene, so every cell of every frame is a training example. The kind set
//! stays with the clip's kind head: read off the kind map the same way, it was right on half
//! as many real renders (an avatar seen in some corner of some frame, a duck's cells split
//! between duck and basketball).
//!
//! Layers: a full-resolution 3x3 convolution (64 x 64), two stride-2 3x3 convolutions (32, then
//! 16 per side) and one more 3x3 at 16 x 16 (a receptive field of 17 pixels, more than the
//! largest ball), group norms after all but the first, then two 1x1 convolutions: the maps.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{GroupNorm, GroupNormConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use kino_core::scene::{Colour, ObjectKind};
use serde::{Deserialize, Serialize};

use crate::judge::MAP_SIZE;

/// The cell reader's sizes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReaderConfig {
    /// Channels of the full-resolution convolution, the two stride-2 ones and the last.
    pub channels: [usize; 4],
    /// Groups of each group norm (divides every entry of `channels` but the first).
    pub groups: usize,
}

impl Default for ReaderConfig {
    /// About 77k parameters.
    fn default() -> Self {
        ReaderConfig { channels: [24, 48, 64, 64], groups: 8 }
    }
}

impl ReaderConfig {
    pub fn init(&self, device: &Device) -> CellReader {
        let [c0, c1, c2, c3] = self.channels;
        let conv = |i: usize, o: usize, stride: usize| crate::judge::conv3x3(i, o, stride, device);
        let norm = |c: usize| GroupNormConfig::new(self.groups, c).init(device);
        CellReader {
            conv0: conv(6, c0, 1),
            conv1: conv(c0, c1, 2),
            norm1: norm(c1),
            conv2: conv(c1, c2, 2),
            norm2: norm(c2),
            conv3: conv(c2, c3, 1),
            norm3: norm(c3),
            kind: Conv2dConfig::new([c3, ObjectKind::ALL.len() + 1], [1, 1]).init(device),
            colour: Conv2dConfig::new([c3, Colour::ALL.len()], [1, 1]).init(device),
        }
    }
}

/// See the module docs. The first layer is not normalised, so that the colour survives.
#[derive(Module, Debug)]
pub struct CellReader {
    pub conv0: Conv2d,
    pub conv1: Conv2d,
    pub norm1: GroupNorm,
    pub conv2: Conv2d,
    pub norm2: GroupNorm,
    pub conv3: Conv2d,
    pub norm3: GroupNorm,
    /// Per cell: nothing (class 0), or 1 + the index in [`ObjectKind::ALL`] of the object there.
    pub kind: Conv2d,
    /// Per cell: the index in [`Colour::ALL`] of the moving object there (meaningful only where
    /// the kind map sees one).
    pub colour: Conv2d,
}

/// The cell reader's logits.
#[derive(Debug, Clone)]
pub struct CellMaps {
    /// `[frames, kinds + 1, 16, 16]`
    pub kind: Tensor<4>,
    /// `[frames, colours, 16, 16]`
    pub colour: Tensor<4>,
}

impl CellReader {
    /// # Shapes
    /// - `x`: `[frames, 6, 64, 64]`, the judge's per-frame input
    pub fn forward(&self, x: Tensor<4>) -> CellMaps {
        let x = relu(self.conv0.forward(x)); // [frames, c0, 64, 64]
        let x = relu(self.norm1.forward(self.conv1.forward(x))); // [frames, c1, 32, 32]
        let x = relu(self.norm2.forward(self.conv2.forward(x))); // [frames, c2, 16, 16]
        let x = relu(self.norm3.forward(self.conv3.forward(x))); // [frames, c3, 16, 16]
        CellMaps { kind: self.kind.forward(x.clone()), colour: self.colour.forward(x) }
    }
}

/// Per clip, a logit per colour of a moving object of that colour being on screen, read off
/// the maps' softmax probabilities (`kind`: `[clips * frames, kinds + 1, cells]`, `colour`:
/// `[clips * frames, colours, cells]`, flattened row-major): the largest over the cells of all
/// frames of the chance that a moving object is there (neither nothing nor an avatar) times the
/// chance that it has the colour. The logit is that probability's, so a colour is a yes above
/// one half, as the heads' classes are.
pub fn colour_logits(kind: &[f32], colour: &[f32], clips: usize) -> Vec<Vec<f32>> {
    let (kinds, colours) = (ObjectKind::ALL.len() + 1, Colour::ALL.len());
    let avatar = 1 + ObjectKind::ALL.iter().position(|k| *k == ObjectKind::Avatar).unwrap_or(kinds);
    let cells = MAP_SIZE * MAP_SIZE;
    let frames = kind.len() / (kinds * cells);
    let logit = |p: f32| {
        let p = p.clamp(1e-6, 1.0 - 1e-6);
        (p / (1.0 - p)).ln()
    };
    (0..clips)
        .map(|clip| {
            let mut likeliest = vec![0.0f32; colours];
            // Frames one after another, each class-major.
            for f in clip * frames / clips.max(1)..(clip + 1) * frames / clips.max(1) {
                let k = &kind[f * kinds * cells..(f + 1) * kinds * cells];
                let c = &colour[f * colours * cells..(f + 1) * colours * cells];
                for cell in 0..cells {
                    let moving = 1.0 - k[cell] - k.get(avatar * cells + cell).copied().unwrap_or(0.0);
                    for (i, p) in likeliest.iter_mut().enumerate() {
                        *p = p.max(moving * c[i * cells + cell]);
                    }
                }
            }
            likeliest.into_iter().map(logit).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_reader_maps_every_cell() {
        let device = Device::flex();
        let reader = ReaderConfig::default().init(&device);
        let maps = reader.forward(Tensor::zeros([3, 6, 64, 64], &device));
        assert_eq!(maps.kind.dims(), [3, ObjectKind::ALL.len() + 1, MAP_SIZE, MAP_SIZE]);
        assert_eq!(maps.colour.dims(), [3, Colour::ALL.len(), MAP_SIZE, MAP_SIZE]);
    }

    #[test]
    fn a_colour_is_on_screen_where_one_cell_holds_a_moving_object_of_it() {
        let (kinds, colours, cells) = (ObjectKind::ALL.len(), Colour::ALL.len(), MAP_SIZE * MAP_SIZE);
        let frames = 2;
        // Every cell empty, with every colour equally likely.
        let mut kind = vec![0.0f32; 2 * frames * (kinds + 1) * cells];
        let mut colour = vec![1.0 / colours as f32; 2 * frames * colours * cells];
        for f in 0..2 * frames {
            kind[f * (kinds + 1) * cells..][..cells].fill(1.0);
        }
        // Clip 1, frame 1, cell 5: surely a moving object of kind 2, surely colour 3.
        let (f, cell) = (frames + 1, 5);
        kind[f * (kinds + 1) * cells + cell] = 0.0;
        kind[f * (kinds + 1) * cells + 3 * cells + cell] = 1.0;
        for c in 0..colours {
            colour[f * colours * cells + c * cells + cell] = if c == 3 { 1.0 } else { 0.0 };
        }
        let logits = colour_logits(&kind, &colour, 2);
        assert!(logits[0].iter().all(|z| *z < -10.0), "clip 0 shows nothing");
        let yes = |z: &[f32]| z.iter().enumerate().filter(|(_, z)| **z > 0.0).map(|(i, _)| i).collect::<Vec<_>>();
        assert_eq!(yes(&logits[1]), [3]);
        // Less than half sure of the object: the colour is a no.
        kind[f * (kinds + 1) * cells + cell] = 0.6;
        kind[f * (kinds + 1) * cells + 3 * cells + cell] = 0.4;
        assert!(yes(&colour_logits(&kind, &colour, 2)[1]).is_empty());
        // An avatar there instead holds no moving object's colour.
        let avatar = 1 + ObjectKind::ALL.iter().position(|k| *k == ObjectKind::Avatar).expect("avatars");
        kind[f * (kinds + 1) * cells + cell] = 0.0;
        kind[f * (kinds + 1) * cells + 3 * cells + cell] = 0.0;
        kind[f * (kinds + 1) * cells + avatar * cells + cell] = 1.0;
        assert!(yes(&colour_logits(&kind, &colour, 2)[1]).is_empty());
    }
}
