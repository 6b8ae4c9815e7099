//! `kino-train reader`: kino-2's prompt reader ([`kino_model::kino2::reader`]) on the world's
//! captions and on prompts written from the same clips' slots ([`crate::prompts::TRAINING`]),
//! each labelled with exactly what it says. MiniLM stays frozen.
//!
//! Held-out metrics: slot accuracy on prompts written for held-out clips in words no training
//! prompt uses ([`crate::prompts::HELD_OUT`]), per slot (`acc_kind`, `acc_colour`, ...), their
//! mean (`slot_accuracy`) and the share of prompts read entirely right (`exact`); the same on
//! held-out clips' own captions (`caption_slot_accuracy`); and the share of held-out prompts
//! naming nothing drawable in which it finds nothing (`refuses_undrawable`). Each step also
//! trains on one such prompt per clip ([`prompts::undrawable`]).

use std::cell::Cell;
use std::path::{Path, PathBuf};

use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Int, Tensor, TensorData};
use kino_core::slots::{ClipSlots, MAX_OBJECTS};
use kino_model::kino2::reader::{CLIP_HEADS, OBJECT_HEADS, PromptReader, ReaderConfig, SlotLogits, classes_of};
use kino_model::text::TextEncoder;
use kino_world::Clip;
use kino_world::rng::Rng;
use kino_world::sample::Distribution;

use crate::prompts::{self, Lexicon, Mention};
use crate::train_loop::Task;

/// Released weights of the reader inside a kino-2 model folder.
pub const READER_FILE: &str = "reader.safetensors";

/// The slot names of the accuracy metrics: object heads, then clip heads.
pub const SLOT_NAMES: [&str; 11] = ["present", "kind", "colour", "size", "material", "motion", "setting", "style", "framing", "floor", "shots"];

#[derive(Debug, Clone, clap::Args)]
pub struct ReaderArgs {
    /// MiniLM folder (from `cargo xtask fetch-models`).
    #[arg(long)]
    pub text_model: Option<PathBuf>,
    /// Prompts written per clip and step, beside two of its captions.
    #[arg(long, default_value_t = 6)]
    pub prompts_per_clip: usize,
}

pub struct ReaderTask {
    config: ReaderConfig,
    text: TextEncoder,
    prompts_per_clip: usize,
    steps: Cell<u64>,
}

impl ReaderTask {
    pub fn new(args: &ReaderArgs, plain: &Device) -> anyhow::Result<Self> {
        anyhow::ensure!((1..=64).contains(&args.prompts_per_clip), "--prompts-per-clip must be 1 to 64, not {}", args.prompts_per_clip);
        let dir = args.text_model.clone().unwrap_or_else(TextEncoder::default_dir);
        Ok(ReaderTask { config: ReaderConfig::base(), text: TextEncoder::load(&dir, plain)?, prompts_per_clip: args.prompts_per_clip, steps: Cell::new(0) })
    }

    /// The reader's logits for `prompts` (MiniLM runs without gradients).
    fn logits(&self, reader: &PromptReader, prompts: &[String], device: &Device) -> anyhow::Result<SlotLogits> {
        let refs: Vec<&str> = prompts.iter().map(String::as_str).collect();
        let mut text = self.text.encode(&refs)?;
        if device.is_autodiff() {
            text.states = text.states.autodiff();
        }
        Ok(reader.forward(&text))
    }
}

/// The world's captions of `clip` with what each says ([`kino_world::captions::described`]).
pub fn described(clip: &Clip) -> Vec<(String, ClipSlots)> {
    let seconds = clip.frames.len() as f64 / f64::from(clip.labels.fps);
    kino_world::captions::described(&clip.scene, &kino_world::physics::simulate(&clip.scene, seconds))
}

/// Prompts written for `clip` from `lexicon`, with their labels.
pub fn written(clip: &Clip, lexicon: &Lexicon, count: usize, rng: &mut Rng) -> Vec<(String, ClipSlots)> {
    (0..count).map(|_| prompts::write(&clip.slots, lexicon, Mention::TRAINING, rng)).collect()
}

/// Labels of a batch: object classes `[b, MAX_OBJECTS, 6]` and clip classes `[b, 5]`.
fn label_tensors(labels: &[ClipSlots], device: &Device) -> (Tensor<3, Int>, Tensor<2, Int>) {
    let mut objects = Vec::with_capacity(labels.len() * MAX_OBJECTS * 6);
    let mut clip = Vec::with_capacity(labels.len() * 5);
    for l in labels {
        let (o, c) = classes_of(l);
        objects.extend(o.iter().flatten().map(|&x| x as i64));
        clip.extend(c.iter().map(|&x| x as i64));
    }
    (Tensor::from_data(TensorData::new(objects, [labels.len(), MAX_OBJECTS, 6]), device), Tensor::from_data(TensorData::new(clip, [labels.len(), 5]), device))
}

/// The summed cross-entropy of every head: each object query's presence, its attributes where
/// it holds an object, and the clip's attributes.
pub fn reading_loss(logits: &SlotLogits, labels: &[ClipSlots], device: &Device) -> Tensor<1> {
    let (objects, clip) = label_tensors(labels, device);
    let [b, m, _] = logits.objects.dims();
    let present = objects.clone().narrow(2, 0, 1).float().reshape([b, m]); // [b, m]
    let mut total = Tensor::<1>::zeros([1], device);
    let mut start = 0;
    for (k, n) in OBJECT_HEADS.iter().enumerate() {
        let part = log_softmax(logits.objects.clone().narrow(2, start, *n), 2); // [b, m, n]
        let picked = part.gather(2, objects.clone().narrow(2, k, 1)).reshape([b, m]).neg(); // [b, m]
        let weight = if k == 0 { Tensor::ones([b, m], device) } else { present.clone() };
        total = total + (picked * weight.clone()).sum().div(weight.sum().clamp_min(1.0));
        start += n;
    }
    let mut start = 0;
    for (k, n) in CLIP_HEADS.iter().enumerate() {
        let part = log_softmax(logits.clip.clone().narrow(1, start, *n), 1);
        total = total + part.gather(1, clip.clone().narrow(1, k, 1)).mean().neg();
        start += n;
    }
    total
}

/// Per slot, how many of `labels` the read slots get right (objects compared query by query),
/// and how many prompts are read entirely right.
pub fn accuracy(read: &[ClipSlots], labels: &[ClipSlots]) -> ([usize; 11], usize) {
    let mut right = [0usize; 11];
    let mut exact = 0;
    for (r, l) in read.iter().zip(labels) {
        let (ro, rc) = classes_of(r);
        let (lo, lc) = classes_of(l);
        let mut all = true;
        for k in 0..6 {
            let ok = (0..MAX_OBJECTS).all(|j| ro[j][k] == lo[j][k]);
            right[k] += usize::from(ok);
            all &= ok;
        }
        for k in 0..5 {
            let ok = rc[k] == lc[k];
            right[6 + k] += usize::from(ok);
            all &= ok;
        }
        exact += usize::from(all);
    }
    (right, exact)
}

impl Task for ReaderTask {
    type Config = ReaderConfig;
    type Model = PromptReader;
    const NAME: &'static str = "reader";
    const RELEASE_FILE: &'static str = READER_FILE;

    fn config(&self) -> &ReaderConfig {
        &self.config
    }

    fn init(&self, device: &Device) -> PromptReader {
        self.config.init(device)
    }

    fn world(&self) -> Distribution {
        Distribution { objects: [1, 3], ..Distribution::default() }
    }

    fn loss(&self, model: &PromptReader, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let step = self.steps.get();
        self.steps.set(step + 1);
        let mut pairs = Vec::new();
        for clip in clips {
            let mut rng = Rng::stream(clip.scene.seed ^ step.rotate_left(32), "reader-prompts");
            let captions = described(clip);
            for _ in 0..2 {
                pairs.push(captions[rng.below(captions.len())].clone());
            }
            pairs.extend(written(clip, &prompts::TRAINING, self.prompts_per_clip, &mut rng));
            pairs.push(prompts::undrawable(&mut rng));
        }
        let (texts, labels): (Vec<String>, Vec<ClipSlots>) = pairs.into_iter().unzip();
        let logits = self.logits(model, &texts, device)?;
        let (right, exact) = accuracy(&logits.slots(), &labels);
        let loss = reading_loss(&logits, &labels, device);
        let mean = right.iter().sum::<usize>() as f64 / (11 * labels.len()) as f64;
        Ok((loss, vec![("slot_acc", mean), ("exact", exact as f64 / labels.len() as f64)]))
    }

    fn evaluate(&self, model: &PromptReader, clips: &[Clip], device: &Device, _out: &Path, _step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let mut rng = Rng::new(0x5EAD);
        let held_out: Vec<(String, ClipSlots)> = clips.iter().flat_map(|c| written(c, &prompts::HELD_OUT, 4, &mut rng)).collect();
        // Prompts naming nothing drawable: the share the reader finds no object in.
        let refused: Vec<String> = HELD_OUT_UNDRAWABLE.iter().map(|p| (*p).to_owned()).collect();
        let found = self.logits(model, &refused, device)?.slots();
        let nothing = found.iter().filter(|s| s.objects.iter().all(|o| o.kind.is_none() && o.colour.is_none())).count() as f64 / refused.len() as f64;
        let captions: Vec<(String, ClipSlots)> = clips.iter().flat_map(described).collect();
        let mut metrics = Vec::new();
        for (prefix, pairs) in [("", held_out), ("caption_", captions)] {
            let (texts, labels): (Vec<String>, Vec<ClipSlots>) = pairs.into_iter().unzip();
            let mut read = Vec::new();
            for chunk in texts.chunks(64) {
                read.extend(self.logits(model, chunk, device)?.slots());
            }
            let (right, exact) = accuracy(&read, &labels);
            let n = labels.len() as f64;
            if prefix.is_empty() {
                metrics.extend(SLOT_NAMES.iter().zip(right).map(|(name, r)| (format!("acc_{name}"), r as f64 / n)));
            }
            metrics.push((format!("{prefix}slot_accuracy"), right.iter().sum::<usize>() as f64 / (11.0 * n)));
            metrics.push((format!("{prefix}exact"), exact as f64 / n));
        }
        metrics.push(("refuses_undrawable".into(), nothing));
        Ok(metrics)
    }
}

/// Held-out prompts naming nothing the world can draw (none of their nouns is in
/// [`prompts::undrawable`]'s lists).
pub const HELD_OUT_UNDRAWABLE: &[&str] = &[
    "A spaceship landing on Mars",
    "a knight fighting a giant",
    "Footage of a lighthouse in a storm",
    "a bowl of soup",
    "an elephant crossing a river",
    "a volcano erupting at dawn",
    "I want a tiger walking through a jungle",
    "a sailboat on a calm lake",
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use kino_core::scene::{Colour, ObjectKind};
    use kino_core::slots::ObjectSlot;

    use super::*;

    #[test]
    fn the_loss_is_lowest_for_logits_that_name_the_labels() {
        let device = Device::flex();
        let label = ClipSlots { objects: vec![ObjectSlot::new(ObjectKind::Cube, Colour::Green)], ..ClipSlots::default() };
        let (objects, clip) = classes_of(&label);
        let ow: usize = OBJECT_HEADS.iter().sum();
        let cw: usize = CLIP_HEADS.iter().sum();
        let confident = |right: bool| {
            let mut o = vec![0.0f32; MAX_OBJECTS * ow];
            for (j, row) in objects.iter().enumerate() {
                let mut start = 0;
                for (k, n) in OBJECT_HEADS.iter().enumerate() {
                    let class = if right { row[k] } else { (row[k] + 1) % n };
                    o[j * ow + start + class] = 10.0;
                    start += n;
                }
            }
            let mut c = vec![0.0f32; cw];
            let mut start = 0;
            for (k, n) in CLIP_HEADS.iter().enumerate() {
                c[start + clip[k]] = 10.0;
                start += n;
            }
            SlotLogits {
                objects: Tensor::from_data(TensorData::new(o, [1, MAX_OBJECTS, ow]), &device),
                clip: Tensor::from_data(TensorData::new(c, [1, cw]), &device),
            }
        };
        let good = reading_loss(&confident(true), std::slice::from_ref(&label), &device).into_scalar::<f32>();
        let bad = reading_loss(&confident(false), std::slice::from_ref(&label), &device).into_scalar::<f32>();
        assert!(good < 0.01 && bad > 10.0, "{good} {bad}");
        let (right, exact) = accuracy(&confident(true).slots(), std::slice::from_ref(&label));
        assert_eq!((right, exact), ([1; 11], 1));
    }

    #[test]
    fn captions_are_labelled_with_what_they_say() {
        let clip = crate::data::clip_from(12, &Distribution { objects: [1, 1], avatar: 0.0, ..Distribution::default() }).expect("renders");
        for (caption, said) in described(&clip) {
            let o = &said.objects[0];
            let truth = &clip.slots.objects[0];
            assert_eq!(o.kind, truth.kind, "{caption}");
            let colour = o.colour.expect("every caption names a lone object's colour");
            assert!(caption.contains(colour.name()), "{caption}");
            if let Some(style) = said.style {
                assert_eq!(Some(style), clip.slots.style, "{caption}");
            }
            assert_eq!(said.framing.is_some(), caption.contains("shot") || caption.contains("close-up"), "{caption}");
        }
    }
}
