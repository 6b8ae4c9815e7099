//! The judge's cell reader: a small fully convolutional network of its own that names, for
//! every 4 x 4 pixel cell of every looked-at frame, the kind of object there (or none) and the
//! colour of the moving object there. What its maps say about a clip is a [`Reading`]
//! ([`read`]): per colour, its likeliest cell; per kind and colour, the frames that show a
//! [`Patch`] of it (a connected patch of object cells, named by the kind and colour with the
//! most probability over it). The judge's colour set is the likeliest cells' logits moved by
//! the patches' frames; its kind set, the kind head's logits moved the same way.
//!
//! Why not the clip's colour head: it reads features pooled over the whole frame, and named
//! the exact set of colours on 40% of the eval's real renders (a green basketball read as
//! orange, a grey cube on pale paper missed). A cell's answer needs only the pixels around it,
//! the same in every scene, so every cell of every frame is a training example. The kind set
//! stays with the clip's kind head: read off single cells (a kind on screen when some cell
//! holds it), it was right on half as many real renders (an avatar seen in some corner of some
//! frame, a duck's cells split between duck and basketball). A patch is named by all its cells
//! and a stray cell is seen in one frame, not in several: on 320 held-out clips the patches take
//! the colour sets from 0.572 right to 0.666 and the kind sets from 0.516 to 0.534.
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

use crate::judge::{MAP_SIZE, argmax};

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

/// Probability of an object at which a cell belongs to one of a frame's [`patches`] (found on
/// 320 held-out clips, as are [`PATCH_FRAMES`] and [`PATCH_WEIGHT`]: 0.5 and 0.6 read a few
/// sets fewer right).
pub const PATCH_CELL: f32 = 0.7;
/// Looked-at frames (of [`JUDGE_FRAMES`]) with a patch of a kind or colour from which the
/// patches speak for it rather than against it.
pub const PATCH_FRAMES: usize = 3;
/// Logit added per looked-at frame with a patch of a kind or colour, beyond [`PATCH_FRAMES`]
/// less one half (taken away per frame short of it).
pub const PATCH_WEIGHT: f32 = 0.5;

/// A connected patch of cells of one frame that the kind map says hold an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patch {
    /// Index in [`ObjectKind::ALL`]: the kind with the most probability over the patch's cells.
    pub kind: usize,
    /// Index in [`Colour::ALL`]: the colour with the most probability over its cells, each
    /// weighed by its chance of holding an object.
    pub colour: usize,
    pub cells: usize,
}

/// The objects of one frame: the 8-connected patches of cells whose chance of holding an object
/// is at least [`PATCH_CELL`] (`kind`: `[kinds + 1, cells]`, `colour`: `[colours, cells]`,
/// softmax probabilities, flattened row-major).
pub fn patches(kind: &[f32], colour: &[f32]) -> Vec<Patch> {
    let (kinds, colours, cells) = (ObjectKind::ALL.len() + 1, Colour::ALL.len(), MAP_SIZE * MAP_SIZE);
    let object = |cell: usize| 1.0 - kind[cell] >= PATCH_CELL;
    let mut seen = vec![false; cells];
    let mut out = Vec::new();
    for start in 0..cells {
        if seen[start] || !object(start) {
            continue;
        }
        seen[start] = true;
        let (mut stack, mut kind_mass, mut colour_mass, mut size) = (vec![start], vec![0.0f32; kinds - 1], vec![0.0f32; colours], 0);
        while let Some(cell) = stack.pop() {
            size += 1;
            for (k, mass) in kind_mass.iter_mut().enumerate() {
                *mass += kind[(k + 1) * cells + cell];
            }
            for (c, mass) in colour_mass.iter_mut().enumerate() {
                *mass += (1.0 - kind[cell]) * colour[c * cells + cell];
            }
            let (row, col) = (cell / MAP_SIZE, cell % MAP_SIZE);
            for r in row.saturating_sub(1)..=(row + 1).min(MAP_SIZE - 1) {
                for c in col.saturating_sub(1)..=(col + 1).min(MAP_SIZE - 1) {
                    let next = r * MAP_SIZE + c;
                    if !seen[next] && object(next) {
                        seen[next] = true;
                        stack.push(next);
                    }
                }
            }
        }
        out.push(Patch { kind: argmax(&kind_mass), colour: argmax(&colour_mass), cells: size });
    }
    out
}

/// What the cell reader's maps say about one clip.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Per colour, the logit of the likeliest cell of any frame holding a moving object of it.
    pub likeliest_colour: Vec<f32>,
    /// Per kind of [`ObjectKind::ALL`], the looked-at frames with a patch of that kind.
    pub kind_frames: Vec<usize>,
    /// Per colour, the looked-at frames with a moving (non-avatar) patch of that colour.
    pub colour_frames: Vec<usize>,
}

impl Reading {
    /// The kind set's logits: the kind head's (`head`) moved by the patches' frames.
    pub fn kind_logits(&self, head: &[f32]) -> Vec<f32> {
        head.iter().zip(&self.kind_frames).map(|(z, &f)| z + patch_evidence(f)).collect()
    }

    /// The colour set's logits: the likeliest cell's, moved by the patches' frames.
    pub fn colour_logits(&self) -> Vec<f32> {
        self.likeliest_colour.iter().zip(&self.colour_frames).map(|(z, &f)| z + patch_evidence(f)).collect()
    }
}

/// The logit that `frames` looked-at frames with a patch add to a kind or colour.
fn patch_evidence(frames: usize) -> f32 {
    PATCH_WEIGHT * (frames as f32 - PATCH_FRAMES as f32 + 0.5)
}

/// Per clip, the [`Reading`] of the maps' softmax probabilities (`kind`: `[clips * frames,
/// kinds + 1, cells]`, `colour`: `[clips * frames, colours, cells]`, flattened row-major).
///
/// The likeliest cell of a colour: the largest over the cells of all frames of the chance that
/// a moving object is there (neither nothing nor an avatar) times the chance that it has the
/// colour, as a logit, so above one half is a yes as the heads' classes are. Alone it names the
/// colour of a few stray cells (white paper at a sketch's outline); the patches ask that an
/// object of the colour be seen in several frames.
pub fn read(kind: &[f32], colour: &[f32], clips: usize) -> Vec<Reading> {
    let (kinds, colours, cells) = (ObjectKind::ALL.len() + 1, Colour::ALL.len(), MAP_SIZE * MAP_SIZE);
    let avatar = ObjectKind::ALL.iter().position(|k| *k == ObjectKind::Avatar).unwrap_or(kinds);
    let frames = kind.len() / (kinds * cells);
    let logit = |p: f32| {
        let p = p.clamp(1e-6, 1.0 - 1e-6);
        (p / (1.0 - p)).ln()
    };
    (0..clips)
        .map(|clip| {
            let mut likeliest = vec![0.0f32; colours];
            let (mut kind_frames, mut colour_frames) = (vec![0; kinds - 1], vec![0; colours]);
            // Frames one after another, each class-major.
            for f in clip * frames / clips.max(1)..(clip + 1) * frames / clips.max(1) {
                let k = &kind[f * kinds * cells..(f + 1) * kinds * cells];
                let c = &colour[f * colours * cells..(f + 1) * colours * cells];
                for cell in 0..cells {
                    let moving = 1.0 - k[cell] - k.get((avatar + 1) * cells + cell).copied().unwrap_or(0.0);
                    for (i, p) in likeliest.iter_mut().enumerate() {
                        *p = p.max(moving * c[i * cells + cell]);
                    }
                }
                let found = patches(k, c);
                for (i, n) in kind_frames.iter_mut().enumerate() {
                    *n += usize::from(found.iter().any(|p| p.kind == i));
                }
                for (i, n) in colour_frames.iter_mut().enumerate() {
                    *n += usize::from(found.iter().any(|p| p.kind != avatar && p.colour == i));
                }
            }
            Reading { likeliest_colour: likeliest.into_iter().map(logit).collect(), kind_frames, colour_frames }
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

    /// `frames` frames of `clips` clips whose every cell is surely empty, each colour as likely.
    fn empty(clips: usize, frames: usize) -> (Vec<f32>, Vec<f32>) {
        let (kinds, colours, cells) = (ObjectKind::ALL.len() + 1, Colour::ALL.len(), MAP_SIZE * MAP_SIZE);
        let mut kind = vec![0.0f32; clips * frames * kinds * cells];
        for f in 0..clips * frames {
            kind[f * kinds * cells..][..cells].fill(1.0);
        }
        (kind, vec![1.0 / colours as f32; clips * frames * colours * cells])
    }

    /// Puts a sure object of kind index `kind` and colour index `colour` in `cell` of frame `f`.
    fn paint(maps: &mut (Vec<f32>, Vec<f32>), f: usize, cell: usize, kind: usize, colour: usize) {
        let (kinds, colours, cells) = (ObjectKind::ALL.len() + 1, Colour::ALL.len(), MAP_SIZE * MAP_SIZE);
        for k in 0..kinds {
            maps.0[f * kinds * cells + k * cells + cell] = if k == kind + 1 { 1.0 } else { 0.0 };
        }
        for c in 0..colours {
            maps.1[f * colours * cells + c * cells + cell] = if c == colour { 1.0 } else { 0.0 };
        }
    }

    fn yes(z: &[f32]) -> Vec<usize> {
        z.iter().enumerate().filter(|(_, z)| **z > 0.0).map(|(i, _)| i).collect()
    }

    #[test]
    fn a_colour_is_likeliest_where_one_cell_holds_a_moving_object_of_it() {
        let (kinds, cells) = (ObjectKind::ALL.len() + 1, MAP_SIZE * MAP_SIZE);
        let frames = 2;
        let mut maps = empty(2, frames);
        // Clip 1, frame 1, cell 5: surely a moving object of kind 2, surely colour 3.
        let (f, cell) = (frames + 1, 5);
        paint(&mut maps, f, cell, 2, 3);
        let readings = read(&maps.0, &maps.1, 2);
        assert!(readings[0].likeliest_colour.iter().all(|z| *z < -10.0), "clip 0 shows nothing");
        assert_eq!(yes(&readings[1].likeliest_colour), [3]);
        // Less than half sure of the object: the colour is a no.
        maps.0[f * kinds * cells + cell] = 0.6;
        maps.0[f * kinds * cells + 3 * cells + cell] = 0.4;
        assert!(yes(&read(&maps.0, &maps.1, 2)[1].likeliest_colour).is_empty());
        // An avatar there instead holds no moving object's colour.
        let avatar = ObjectKind::ALL.iter().position(|k| *k == ObjectKind::Avatar).expect("avatars");
        paint(&mut maps, f, cell, avatar, 3);
        assert!(yes(&read(&maps.0, &maps.1, 2)[1].likeliest_colour).is_empty());
    }

    #[test]
    fn patches_are_connected_cells_named_by_their_mass() {
        let mut maps = empty(1, 1);
        // A blue 2x2 blob at the top left, three cells read as a duck and one as a ball; a green
        // ball cell touching the blob diagonally; a lone red cube cell touching nothing.
        let at = |row: usize, col: usize| row * MAP_SIZE + col;
        for cell in [at(0, 0), at(0, 1), at(1, 0)] {
            paint(&mut maps, 0, cell, 3, 4);
        }
        paint(&mut maps, 0, at(1, 1), 0, 4);
        paint(&mut maps, 0, at(2, 2), 0, 3);
        paint(&mut maps, 0, at(9, 9), 2, 0);
        // A cell only half sure of an object is no part of any patch.
        paint(&mut maps, 0, at(12, 3), 1, 1);
        maps.0[at(12, 3)] = 0.5;
        maps.0[2 * MAP_SIZE * MAP_SIZE + at(12, 3)] = 0.5;
        let mut found = patches(&maps.0, &maps.1);
        found.sort_by_key(|p| p.cells);
        assert_eq!(found, [Patch { kind: 2, colour: 0, cells: 1 }, Patch { kind: 3, colour: 4, cells: 5 }]);
    }

    #[test]
    fn patches_seen_in_several_frames_speak_for_their_kind_and_colour() {
        let frames = 8;
        let mut maps = empty(1, frames);
        // A red ball in the middle of every frame; in one frame a stray cell, likely a ball,
        // more likely blue than green.
        for f in 0..frames {
            paint(&mut maps, f, 100, 0, 0);
        }
        let (kinds, colours, cells) = (ObjectKind::ALL.len() + 1, Colour::ALL.len(), MAP_SIZE * MAP_SIZE);
        paint(&mut maps, 2, 7, 0, 4);
        maps.0[2 * kinds * cells + 7] = 0.1;
        maps.0[2 * kinds * cells + cells + 7] = 0.9;
        maps.1[2 * colours * cells + 4 * cells + 7] = 0.6;
        maps.1[2 * colours * cells + 3 * cells + 7] = 0.4;
        let reading = &read(&maps.0, &maps.1, 1)[0];
        assert_eq!(reading.kind_frames, [8, 0, 0, 0, 0]);
        assert_eq!(reading.colour_frames[..5], [8, 0, 0, 0, 1]);
        // Both colours have a likely cell; only the one seen in several frames stays a yes.
        assert_eq!(yes(&reading.likeliest_colour), [0, 4]);
        assert_eq!(yes(&reading.colour_logits()), [0]);
        // A kind the head doubts is named when its patches are in every frame, and one it
        // barely names is dropped when no frame shows it.
        assert_eq!(yes(&reading.kind_logits(&[-1.0, 0.5, -3.0, -3.0, -3.0])), [0]);
    }
}
