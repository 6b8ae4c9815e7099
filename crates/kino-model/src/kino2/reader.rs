//! kino-2's prompt reader: MiniLM's token states → the world's slots ([`ClipSlots`]).
//!
//! A few learned queries, one per possible object and one for the clip, attend to the prompt's
//! tokens (DETR's set prediction, on words): each object query names whether it found an object
//! and, if so, its kind, colour, size, material and motion; the clip query names the setting,
//! style, framing, floor and number of shots. Every attribute has a "not said" class, so the
//! reader returns what the prompt asks for and leaves the rest to the generator. Object queries
//! also attend to each other, so two of them do not claim the same words.
//!
//! ```text
//! prompt ─ MiniLM ─▶ [b, n, 384] ─ linear ─▶ [b, n, d] ──────────────┐ (keys, values)
//! queries [4, d] ─▶ L x (self-attention, cross-attention, MLP) ◀──────┘
//!   ─▶ 3 object queries ─ linear ─▶ present, kind, colour, size, material, motion logits
//!   ─▶ 1 clip query     ─ linear ─▶ setting, style, framing, floor, shots logits
//! ```

use burn::module::{Module, Param};
use burn::nn::{Initializer, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::{Device, Tensor};
use kino_core::scene::{Colour, Framing, Material, ObjectKind, Setting, Size, Style};
use kino_core::slots::{ClipSlots, MAX_OBJECTS, MAX_SHOTS, Motion, ObjectSlot};
use serde::{Deserialize, Serialize};

use crate::dit::attention::{Attention, AttentionConfig};
use crate::dit::block::{Mlp, MlpConfig};
use crate::text::TextStates;

/// Classes of each object head: present (no, yes), then kind, colour, size, material and motion,
/// each with "not said" first.
pub const OBJECT_HEADS: [usize; 6] = [2, ObjectKind::ALL.len() + 1, Colour::ALL.len() + 1, Size::ALL.len() + 1, Material::ALL.len() + 1, Motion::ALL.len() + 1];
/// Classes of each clip head: setting, style, framing, floor, shots, each with "not said" first.
pub const CLIP_HEADS: [usize; 5] = [Setting::ALL.len() + 1, Style::ALL.len() + 1, 4, Material::ALL.len() + 1, MAX_SHOTS as usize + 1];
/// The framings in the order of their classes.
pub const FRAMINGS: [Framing; 3] = [Framing::Wide, Framing::Medium, Framing::CloseUp];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReaderConfig {
    /// Width of the text encoder's states (384 for MiniLM).
    pub text_width: usize,
    pub width: usize,
    pub heads: usize,
    pub layers: usize,
}

impl ReaderConfig {
    pub fn base() -> Self {
        ReaderConfig { text_width: crate::text::TEXT_WIDTH, width: 192, heads: 4, layers: 2 }
    }

    pub fn tiny() -> Self {
        ReaderConfig { text_width: 16, width: 16, heads: 2, layers: 1 }
    }

    pub fn init(&self, device: &Device) -> PromptReader {
        let d = self.width;
        let norm = || LayerNormConfig::new(d).with_epsilon(1e-6).init(device);
        let attention = || AttentionConfig { width: d, context_width: d, heads: self.heads }.init(device);
        PromptReader {
            text_in: LinearConfig::new(self.text_width, d).init(device),
            queries: Initializer::Normal { mean: 0.0, std: 0.5 }.init([MAX_OBJECTS + 1, d], device),
            layers: (0..self.layers)
                .map(|_| ReaderLayer {
                    norm_self: norm(),
                    self_attention: attention(),
                    norm_cross: norm(),
                    cross_attention: attention(),
                    norm_mlp: norm(),
                    mlp: MlpConfig { width: d, hidden: 2 * d, out: d }.init(device),
                })
                .collect(),
            norm_out: norm(),
            object_out: LinearConfig::new(d, OBJECT_HEADS.iter().sum()).init(device),
            clip_out: LinearConfig::new(d, CLIP_HEADS.iter().sum()).init(device),
        }
    }
}

/// One layer: the queries attend to each other, then to the prompt's tokens, then an MLP.
#[derive(Module, Debug)]
pub struct ReaderLayer {
    pub norm_self: LayerNorm,
    pub self_attention: Attention,
    pub norm_cross: LayerNorm,
    pub cross_attention: Attention,
    pub norm_mlp: LayerNorm,
    pub mlp: Mlp,
}

#[derive(Module, Debug)]
pub struct PromptReader {
    pub text_in: Linear,
    /// `[MAX_OBJECTS + 1, width]`: the object queries, then the clip query.
    pub queries: Param<Tensor<2>>,
    pub layers: Vec<ReaderLayer>,
    pub norm_out: LayerNorm,
    pub object_out: Linear,
    pub clip_out: Linear,
}

/// The reader's logits for a batch of prompts.
#[derive(Debug, Clone)]
pub struct SlotLogits {
    /// `[b, MAX_OBJECTS, sum(OBJECT_HEADS)]`.
    pub objects: Tensor<3>,
    /// `[b, sum(CLIP_HEADS)]`.
    pub clip: Tensor<2>,
}

impl PromptReader {
    /// # Shapes
    /// - `text.states`: `[b, n, text_width]`, `text.mask`: `[b, n]`
    pub fn forward(&self, text: &TextStates) -> SlotLogits {
        let [b, n, _] = text.states.dims();
        let tokens = self.text_in.forward(text.states.clone()); // [b, n, d]
        let [q, d] = self.queries.val().dims();
        let hidden = text.mask.clone().bool_not().reshape([b, 1, 1, n]);
        let mut x = self.queries.val().reshape([1, q, d]).expand([b, q, d]);
        for layer in &self.layers {
            let h = layer.norm_self.forward(x.clone());
            x = x.clone() + layer.self_attention.forward(h.clone(), h, None);
            x = x.clone() + layer.cross_attention.forward(layer.norm_cross.forward(x), tokens.clone(), Some(hidden.clone()));
            x = x.clone() + layer.mlp.forward(layer.norm_mlp.forward(x));
        }
        let x = self.norm_out.forward(x);
        SlotLogits {
            objects: self.object_out.forward(x.clone().narrow(1, 0, MAX_OBJECTS)),
            clip: self.clip_out.forward(x.narrow(1, MAX_OBJECTS, 1)).reshape([b, CLIP_HEADS.iter().sum::<usize>()]),
        }
    }
}

/// `value`'s class: 1 + its place in `all`, or 0 when not said.
pub fn class_of<T: PartialEq + Copy>(all: &[T], value: Option<T>) -> usize {
    value.and_then(|v| all.iter().position(|a| *a == v)).map_or(0, |i| i + 1)
}

/// The class at `class` of `all` (0 is "not said").
fn value_of<T: Copy>(all: &[T], class: usize) -> Option<T> {
    class.checked_sub(1).and_then(|i| all.get(i).copied())
}

/// The classes of every head for `slots`: `MAX_OBJECTS` rows of object classes, then the clip's.
pub fn classes_of(slots: &ClipSlots) -> ([[usize; 6]; MAX_OBJECTS], [usize; 5]) {
    let mut objects = [[0; 6]; MAX_OBJECTS];
    for (row, o) in objects.iter_mut().zip(&slots.objects) {
        *row = [
            1,
            class_of(&ObjectKind::ALL, o.kind),
            class_of(&Colour::ALL, o.colour),
            class_of(&Size::ALL, o.size),
            class_of(&Material::ALL, o.material),
            class_of(&Motion::ALL, o.motion),
        ];
    }
    let shots: Vec<u8> = (1..=MAX_SHOTS).collect();
    let clip = [
        class_of(&Setting::ALL, slots.setting),
        class_of(&Style::ALL, slots.style),
        class_of(&FRAMINGS, slots.framing),
        class_of(&Material::ALL, slots.floor),
        class_of(&shots, slots.shots),
    ];
    (objects, clip)
}

/// The argmax of each head's part of `row`.
fn argmaxes<const N: usize>(row: &[f32], heads: [usize; N]) -> [usize; N] {
    let mut out = [0; N];
    let mut start = 0;
    for (k, n) in heads.iter().enumerate() {
        let part = &row[start..start + n];
        out[k] = part.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i);
        start += n;
    }
    out
}

impl SlotLogits {
    /// The slots each prompt asks for: the objects whose queries found one, in query order.
    pub fn slots(&self) -> Vec<ClipSlots> {
        let [b, m, w] = self.objects.dims();
        let objects: Vec<f32> = self.objects.clone().into_data().convert::<f32>().try_to_vec::<f32>().unwrap_or_default();
        let clip: Vec<f32> = self.clip.clone().into_data().convert::<f32>().try_to_vec::<f32>().unwrap_or_default();
        let cw = CLIP_HEADS.iter().sum::<usize>();
        let shots: Vec<u8> = (1..=MAX_SHOTS).collect();
        (0..b)
            .map(|i| {
                let found = (0..m)
                    .map(|j| argmaxes(&objects[(i * m + j) * w..(i * m + j + 1) * w], OBJECT_HEADS))
                    .filter(|c| c[0] == 1)
                    .map(|c| ObjectSlot {
                        kind: value_of(&ObjectKind::ALL, c[1]),
                        colour: value_of(&Colour::ALL, c[2]),
                        size: value_of(&Size::ALL, c[3]),
                        material: value_of(&Material::ALL, c[4]),
                        motion: value_of(&Motion::ALL, c[5]),
                    })
                    .collect();
                let c = argmaxes(&clip[i * cw..(i + 1) * cw], CLIP_HEADS);
                ClipSlots {
                    objects: found,
                    setting: value_of(&Setting::ALL, c[0]),
                    style: value_of(&Style::ALL, c[1]),
                    framing: value_of(&FRAMINGS, c[2]),
                    floor: value_of(&Material::ALL, c[3]),
                    shots: value_of(&shots, c[4]),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Bool, Distribution};

    use super::*;

    #[test]
    fn classes_go_back_to_the_same_slots() {
        let slots = ClipSlots {
            objects: vec![
                ObjectSlot { size: Some(Size::Large), motion: Some(Motion::BouncesTwice), ..ObjectSlot::new(ObjectKind::Ball, Colour::Red) },
                ObjectSlot { kind: Some(ObjectKind::RubberDuck), ..ObjectSlot::default() },
            ],
            style: Some(Style::LineSketch),
            framing: Some(Framing::CloseUp),
            shots: Some(2),
            ..ClipSlots::default()
        };
        let (objects, clip) = classes_of(&slots);
        // One-hot logits of exactly those classes read back as the same slots.
        let ow: usize = OBJECT_HEADS.iter().sum();
        let cw: usize = CLIP_HEADS.iter().sum();
        let mut o = vec![0.0f32; MAX_OBJECTS * ow];
        for (j, row) in objects.iter().enumerate() {
            let mut start = 0;
            for (k, n) in OBJECT_HEADS.iter().enumerate() {
                o[j * ow + start + row[k]] = 1.0;
                start += n;
            }
        }
        let mut c = vec![0.0f32; cw];
        let mut start = 0;
        for (k, n) in CLIP_HEADS.iter().enumerate() {
            c[start + clip[k]] = 1.0;
            start += n;
        }
        let device = Device::flex();
        let logits = SlotLogits {
            objects: Tensor::from_data(burn::tensor::TensorData::new(o, [1, MAX_OBJECTS, ow]), &device),
            clip: Tensor::from_data(burn::tensor::TensorData::new(c, [1, cw]), &device),
        };
        assert_eq!(logits.slots(), vec![slots]);
    }

    #[test]
    fn a_reader_gives_logits_for_every_head() {
        let device = Device::flex();
        let reader = ReaderConfig::tiny().init(&device);
        let text = TextStates {
            states: Tensor::random([2, 5, 16], Distribution::Normal(0.0, 1.0), &device),
            mask: Tensor::<2, Bool>::from_data(
                burn::tensor::TensorData::new(vec![true, true, true, false, false, true, true, true, true, true], [2, 5]),
                &device,
            ),
        };
        let logits = reader.forward(&text);
        assert_eq!(logits.objects.dims(), [2, MAX_OBJECTS, OBJECT_HEADS.iter().sum::<usize>()]);
        assert_eq!(logits.clip.dims(), [2, CLIP_HEADS.iter().sum::<usize>()]);
        assert_eq!(logits.slots().len(), 2);
    }
}
