//! The prompt's slots as the generator sees them: one token per asked-for object (the sum of
//! its kind, colour, size, material and motion embeddings, plus its place in the list), and one
//! clip vector (setting, style, framing, floor, shots) that joins the timestep embedding.
//!
//! Every attribute has a row for "not asked" (index 0), which is what training's slot dropout
//! shows and what classifier-free guidance's unconditional branch uses, attribute by attribute.

use burn::module::{Module, Param};
use burn::nn::{Embedding, EmbeddingConfig, Initializer};
use burn::tensor::{Bool, Device, Int, Tensor, TensorData};
use kino_core::scene::{Colour, Framing, Material, ObjectKind, Setting, Size, Style};
use kino_core::slots::{ClipSlots, MAX_OBJECTS, MAX_SHOTS, Motion};

/// Attributes per object token: kind, colour, size, material, motion.
pub const OBJECT_ATTRIBUTES: usize = 5;
/// Attributes of the clip vector: setting, style, framing, floor, shots.
pub const CLIP_ATTRIBUTES: usize = 5;

/// Rows of each object attribute's table (values + "not asked").
const OBJECT_ROWS: [usize; OBJECT_ATTRIBUTES] =
    [ObjectKind::ALL.len() + 1, Colour::ALL.len() + 1, Size::ALL.len() + 1, Material::ALL.len() + 1, Motion::ALL.len() + 1];
/// The same for the clip attributes.
const CLIP_ROWS: [usize; CLIP_ATTRIBUTES] = [Setting::ALL.len() + 1, Style::ALL.len() + 1, 4, Material::ALL.len() + 1, MAX_SHOTS as usize + 1];

/// Each table's first row in one shared embedding.
fn offsets<const N: usize>(rows: [usize; N]) -> [i64; N] {
    let mut out = [0; N];
    for i in 1..N {
        out[i] = out[i - 1] + rows[i - 1] as i64;
    }
    out
}

/// `value`'s row in its table: 1 + its place in `all`, or 0 when not asked.
fn row<T: PartialEq + Copy>(all: &[T], value: Option<T>) -> i64 {
    value.and_then(|v| all.iter().position(|a| *a == v)).map_or(0, |i| i as i64 + 1)
}

/// A batch of [`ClipSlots`] as index tensors.
#[derive(Debug, Clone)]
pub struct SlotTensors {
    /// `[b, MAX_OBJECTS, OBJECT_ATTRIBUTES]`: rows in the shared object table (offsets added).
    pub objects: Tensor<3, Int>,
    /// `[b, MAX_OBJECTS]`, true where the prompt asks for an object.
    pub present: Tensor<2, Bool>,
    /// `[b, CLIP_ATTRIBUTES]`: rows in the shared clip table (offsets added).
    pub clip: Tensor<2, Int>,
}

impl SlotTensors {
    /// The slots of each clip of a batch (objects past [`MAX_OBJECTS`] are left out).
    pub fn new(slots: &[ClipSlots], device: &Device) -> Self {
        let b = slots.len();
        let (object_offsets, clip_offsets) = (offsets(OBJECT_ROWS), offsets(CLIP_ROWS));
        let mut objects = Vec::with_capacity(b * MAX_OBJECTS * OBJECT_ATTRIBUTES);
        let mut present = Vec::with_capacity(b * MAX_OBJECTS);
        let mut clip = Vec::with_capacity(b * CLIP_ATTRIBUTES);
        for s in slots {
            for i in 0..MAX_OBJECTS {
                let o = s.objects.get(i);
                present.push(o.is_some());
                let rows = match o {
                    Some(o) => [
                        row(&ObjectKind::ALL, o.kind),
                        row(&Colour::ALL, o.colour),
                        row(&Size::ALL, o.size),
                        row(&Material::ALL, o.material),
                        row(&Motion::ALL, o.motion),
                    ],
                    None => [0; OBJECT_ATTRIBUTES],
                };
                objects.extend(rows.iter().zip(object_offsets).map(|(r, off)| r + off));
            }
            let shots: Vec<u8> = (1..=MAX_SHOTS).collect();
            let rows = [
                row(&Setting::ALL, s.setting),
                row(&Style::ALL, s.style),
                row(&[Framing::Wide, Framing::Medium, Framing::CloseUp], s.framing),
                row(&Material::ALL, s.floor),
                row(&shots, s.shots),
            ];
            clip.extend(rows.iter().zip(clip_offsets).map(|(r, off)| r + off));
        }
        SlotTensors {
            objects: Tensor::from_data(TensorData::new(objects, [b, MAX_OBJECTS, OBJECT_ATTRIBUTES]), device),
            present: Tensor::from_data(TensorData::new(present, [b, MAX_OBJECTS]), device),
            clip: Tensor::from_data(TensorData::new(clip, [b, CLIP_ATTRIBUTES]), device),
        }
    }

    /// Nothing asked: the unconditional branch of classifier-free guidance.
    pub fn unconditional(batch: usize, device: &Device) -> Self {
        SlotTensors::new(&vec![ClipSlots::default(); batch], device)
    }

    pub fn batch(&self) -> usize {
        self.clip.dims()[0]
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlotEncoderConfig {
    pub width: usize,
}

impl SlotEncoderConfig {
    pub fn init(&self, device: &Device) -> SlotEncoder {
        let small = Initializer::Normal { mean: 0.0, std: 0.02 };
        let table = |rows: usize| EmbeddingConfig::new(rows, self.width).with_initializer(small.clone()).init(device);
        SlotEncoder {
            object_table: table(OBJECT_ROWS.iter().sum()),
            object_place: small.init([MAX_OBJECTS, self.width], device),
            clip_table: table(CLIP_ROWS.iter().sum()),
        }
    }
}

/// Slots → object tokens and the clip vector.
#[derive(Module, Debug)]
pub struct SlotEncoder {
    pub object_table: Embedding,
    /// `[MAX_OBJECTS, width]`: which object of the list a token is (the first is the subject).
    pub object_place: Param<Tensor<2>>,
    pub clip_table: Embedding,
}

impl SlotEncoder {
    /// # Shapes
    /// - returns object tokens `[b, MAX_OBJECTS, width]` and the clip vector `[b, width]`
    pub fn forward(&self, slots: &SlotTensors) -> (Tensor<3>, Tensor<2>) {
        let [b, m, a] = slots.objects.dims();
        let objects = self.object_table.forward(slots.objects.clone().reshape([b, m * a])); // [b, m*a, d]
        let [_, _, d] = objects.dims();
        let objects = objects.reshape([b, m, a, d]).sum_dim(2).reshape([b, m, d]) + self.object_place.val().reshape([1, m, d]);
        let clip = self.clip_table.forward(slots.clip.clone()).sum_dim(1).reshape([b, d]); // [b, d]
        (objects, clip)
    }
}

#[cfg(test)]
mod tests {
    use kino_core::slots::ObjectSlot;

    use super::*;

    #[test]
    fn unasked_attributes_take_row_zero_of_their_table() {
        let device = Device::flex();
        let asked = ClipSlots { objects: vec![ObjectSlot::new(ObjectKind::Cube, Colour::Blue)], style: Some(Style::PixelArt), ..ClipSlots::default() };
        let t = SlotTensors::new(&[asked, ClipSlots::default()], &device);
        let objects: Vec<i64> = t.objects.to_data().convert::<i64>().to_vec().expect("ints");
        let off = offsets(OBJECT_ROWS);
        // Cube is the third kind, blue the fifth colour; size, material and motion not asked.
        assert_eq!(&objects[..5], &[3, off[1] + 5, off[2], off[3], off[4]]);
        // The second and third objects of the first clip, and every object of the second, are absent.
        assert_eq!(t.present.to_data().to_vec::<bool>().expect("bools"), vec![true, false, false, false, false, false]);
        let clip: Vec<i64> = t.clip.to_data().convert::<i64>().to_vec().expect("ints");
        let coff = offsets(CLIP_ROWS);
        assert_eq!(&clip[..5], &[0, coff[1] + 3, coff[2], coff[3], coff[4]]);
        assert_eq!(&clip[5..], &coff);
    }
}
