//! `kino-train judge`: a small clip classifier trained on kino-world clips, used by
//! `kino-train eval` to read what a generated clip shows and as the feature space of its
//! distribution distance.
//!
//! It looks at [`JUDGE_FRAMES`] frames spread over the clip. Each is a 6-channel image (RGB and
//! the change to the next looked-at frame, so motion is visible) through a full-resolution 3x3
//! convolution (the world's balls are 4 to 13 pixels across: a stride-2 first layer halved them
//! before anything could bind their colour to their shape) and four stride-2 3x3 convolutions
//! with group norms (64 → 4 pixels), pooled (mean and max over space), then one temporal
//! convolution over the frames, pooled again (mean and max over time): that vector is the
//! clip's feature. Five linear heads read it:
//!
//! | head | reads | label |
//! |---|---|---|
//! | `kind` | a set of [`ObjectKind::ALL`] | which kinds are on screen (avatars included) |
//! | `colour` | a set of [`Colour::ALL`] | the colours of the moving (non-avatar) objects on screen |
//! | `count` | one of 0, 1, 2, 3+ | moving (non-avatar) objects in the scene |
//! | `style` | one of [`Style::ALL`] | the drawing style |
//! | `outcome` | one of made, missed | the basketball shot, where the scene has one (masked elsewhere) |
//!
//! Training also asks, from the 16 x 16 features after the second stride-2 layer, which
//! colour and kind of object each 4 x 4 pixel cell holds ([`where_labels`], from the world's
//! boxes): the heads alone get one answer per clip through a max over space and time, too
//! sparse a signal to teach a network where a 4-pixel ball is; the where-maps give every cell
//! of every looked-at frame an answer.
//!
//! Kind and colour are sets ([`HeadKind::Presence`]: one yes/no per class, a bitmask as the
//! answer), because a prompt names every object it asks for ("a red ball and a blue cube") and
//! a clip shows them all. An earlier judge named the colour of the largest object alone, often
//! a choice between two objects of about the same size, and was right on 42% of held-out clips.
//!
//! The sets are read in agreement with the count head ([`agree_with_count`]): one to `n`
//! colours and moving kinds for `n` moving objects. Alone, the colour head said no to every
//! colour for a third of the eval's real renders; read with the count, judge version 2 is right
//! on 17 of their 48 colour sets instead of 14, and on 30 kind sets instead of 28.
//!
//! Since version 4 the judge's colour set comes from its [`reader`], a network of its own that
//! names the kind and colour in every cell; the colour head only trains the shared features.
//! Its patches of object cells also move the kind head's set ([`reader::Reading`]).
//! `kino-train judge --reader-only` trains the reader alone beside a judge's frozen rest.
//!
//! Speed (release build, flex CPU backend, batch 16, two render threads on two cores): 16 to
//! 19 clips/s for rendering plus the training step, so 45 minutes see about 50 000 clips.

use std::path::Path;
use std::sync::OnceLock;

use anyhow::Context;
use burn::module::Module;
use burn::nn::conv::{Conv1d, Conv1dConfig, Conv2d, Conv2dConfig};
use burn::nn::{GroupNorm, GroupNormConfig, Linear, LinearConfig, PaddingConfig1d, PaddingConfig2d};
use burn::tensor::activation::{log_sigmoid, log_softmax, relu};
use burn::tensor::{Device, Tensor, TensorData};
use kino_core::scene::{Colour, ObjectKind, Scene, Style};
use kino_world::Clip;
use kino_world::labels::Labels;
use kino_world::physics::ShotOutcome;
use serde::{Deserialize, Serialize};

use crate::train_loop::Task;

pub mod degrade;
pub mod reader;

use reader::{CellMaps, CellReader, ReaderConfig};

/// Frames the judge looks at, spread evenly over the clip.
pub const JUDGE_FRAMES: usize = 8;
/// Frame size the judge reads.
pub const JUDGE_SIZE: usize = 64;
/// Classes of the count head: 0, 1, 2, 3 or more moving objects.
pub const COUNT_CLASSES: usize = 4;
/// The heads, in the order of [`JudgeOutput::logits`] and [`Truth::labels`].
pub const HEADS: [&str; 5] = ["kind", "colour", "count", "style", "outcome"];
/// Classes per head (same order as [`HEADS`]).
pub const HEAD_CLASSES: [usize; 5] = [ObjectKind::ALL.len(), Colour::ALL.len(), COUNT_CLASSES, Style::ALL.len(), 2];
/// Side of the cells of the where-maps: 4 pixels, the 16 x 16 grid after two stride-2 layers.
pub const MAP_CELL: usize = 4;
/// Cells per side of a where-map.
pub const MAP_SIZE: usize = JUDGE_SIZE / MAP_CELL;

/// How each head answers (same order as [`HEADS`]).
pub const HEAD_KINDS: [HeadKind; 5] = [HeadKind::Presence, HeadKind::Presence, HeadKind::Class, HeadKind::Class, HeadKind::Class];

/// How a head answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadKind {
    /// One class (softmax); the answer is its index.
    Class,
    /// Yes or no for each class (a sigmoid each); the answer is the bitmask of the yeses.
    Presence,
}

impl HeadKind {
    /// The answer read from one clip's logits of this head.
    pub fn answer(self, logits: &[f32]) -> usize {
        match self {
            HeadKind::Class => argmax(logits),
            HeadKind::Presence => logits.iter().enumerate().filter(|(_, z)| **z > 0.0).fold(0, |mask, (i, _)| mask | 1 << i),
        }
    }
}

/// The judge's sizes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JudgeConfig {
    /// Channels of the full-resolution first convolution.
    pub stem: usize,
    /// Channels of the four stride-2 convolutions.
    pub channels: [usize; 4],
    /// Groups of the group norm after each stride-2 convolution (it divides every entry of
    /// `channels`).
    pub groups: usize,
    /// Width of the temporal convolution; the clip feature is twice this (mean and max).
    pub width: usize,
    /// The cell reader's sizes (judges before version 4 had none: `--init` from one starts it
    /// from its initial weights).
    #[serde(default)]
    pub reader: ReaderConfig,
}

impl Default for JudgeConfig {
    /// About 316k parameters, and the reader's 77k.
    fn default() -> Self {
        JudgeConfig { stem: 32, channels: [48, 64, 96, 128], groups: 8, width: 128, reader: ReaderConfig::default() }
    }
}

impl JudgeConfig {
    /// Length of [`JudgeOutput::features`].
    pub fn feature_len(&self) -> usize {
        2 * self.width
    }

    pub fn init(&self, device: &Device) -> Judge {
        let [c0, c1, c2, c3] = self.channels;
        let conv = |i: usize, o: usize, stride: usize| conv3x3(i, o, stride, device);
        let norm = |c: usize| GroupNormConfig::new(self.groups, c).init(device);
        Judge {
            stem: conv(6, self.stem, 1),
            conv0: conv(self.stem, c0, 2),
            norm0: norm(c0),
            conv1: conv(c0, c1, 2),
            norm1: norm(c1),
            where_colour: Conv2dConfig::new([c1, Colour::ALL.len() + 1], [1, 1]).init(device),
            where_kind: Conv2dConfig::new([c1, ObjectKind::ALL.len() + 1], [1, 1]).init(device),
            conv2: conv(c1, c2, 2),
            norm2: norm(c2),
            conv3: conv(c2, c3, 2),
            norm3: norm(c3),
            temporal: Conv1dConfig::new(2 * c3, self.width, 3).with_padding(PaddingConfig1d::Explicit(1, 1)).init(device),
            heads: HEAD_CLASSES.iter().map(|&n| LinearConfig::new(self.feature_len(), n).init(device)).collect(),
            reader: self.reader.init(device),
        }
    }
}

/// A 3x3 convolution from `i` to `o` channels with `stride`, padded to keep the size (halve it
/// at stride 2).
fn conv3x3(i: usize, o: usize, stride: usize, device: &Device) -> Conv2d {
    Conv2dConfig::new([i, o], [3, 3]).with_stride([stride, stride]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1)).init(device)
}

/// The stem is not normalised: a group norm there would take away the frame's mean colour,
/// which the colour and style heads read.
#[derive(Module, Debug)]
pub struct Judge {
    pub stem: Conv2d,
    pub conv0: Conv2d,
    pub norm0: GroupNorm,
    pub conv1: Conv2d,
    pub norm1: GroupNorm,
    /// Per 4 x 4 pixel cell: nothing, or the colour of the moving object there (training only).
    pub where_colour: Conv2d,
    /// Per cell: nothing, or the kind of the object there (training only).
    pub where_kind: Conv2d,
    pub conv2: Conv2d,
    pub norm2: GroupNorm,
    pub conv3: Conv2d,
    pub norm3: GroupNorm,
    pub temporal: Conv1d,
    /// One linear layer per entry of [`HEADS`].
    pub heads: Vec<Linear>,
    /// Names the kind and colour in every cell; the judge's sets are read off it.
    pub reader: CellReader,
}

/// What [`Judge::forward`] returns.
#[derive(Debug, Clone)]
pub struct JudgeOutput {
    /// `[batch, feature_len]`: the pooled clip features.
    pub features: Tensor<2>,
    /// One `[batch, classes]` tensor per head, in [`HEADS`] order.
    pub logits: Vec<Tensor<2>>,
    /// `[batch * JUDGE_FRAMES, colours + 1, MAP_SIZE, MAP_SIZE]`: the where-map of colours
    /// (class 0: no moving object).
    pub colour_map: Tensor<4>,
    /// `[batch * JUDGE_FRAMES, kinds + 1, MAP_SIZE, MAP_SIZE]`: the where-map of kinds.
    pub kind_map: Tensor<4>,
}

impl Judge {
    /// # Shapes
    /// - `x`: `[batch, JUDGE_FRAMES, 6, 64, 64]` (see [`judge_input`])
    pub fn forward(&self, x: Tensor<5>) -> JudgeOutput {
        let [b, t, c, h, w] = x.dims();
        let x = x.reshape([b * t, c, h, w]);
        let x = relu(self.stem.forward(x)); // [b*t, stem, 64, 64]
        let x = relu(self.norm0.forward(self.conv0.forward(x))); // [b*t, c0, 32, 32]
        let x = relu(self.norm1.forward(self.conv1.forward(x))); // [b*t, c1, 16, 16]
        let (colour_map, kind_map) = (self.where_colour.forward(x.clone()), self.where_kind.forward(x.clone()));
        let x = relu(self.norm2.forward(self.conv2.forward(x))); // [b*t, c2, 8, 8]
        let x = relu(self.norm3.forward(self.conv3.forward(x))); // [b*t, c3, 4, 4]
        let [_, c3, h3, w3] = x.dims();
        let x = x.reshape([b * t, c3, h3 * w3]);
        let pooled = Tensor::cat(vec![x.clone().mean_dim(2), x.max_dim(2)], 1); // [b*t, 2*c3, 1]
        let per_frame = pooled.reshape([b, t, 2 * c3]).swap_dims(1, 2); // [b, 2*c3, t]
        let y = relu(self.temporal.forward(per_frame)); // [b, width, t]
        let [_, width, _] = y.dims();
        let features = Tensor::cat(vec![y.clone().mean_dim(2), y.max_dim(2)], 1).reshape([b, 2 * width]);
        let logits = self.heads.iter().map(|head| head.forward(features.clone())).collect();
        JudgeOutput { features, logits, colour_map, kind_map }
    }

    /// The cell reader's maps of every looked-at frame (`[batch * JUDGE_FRAMES, ...]`, see
    /// [`CellMaps`]).
    ///
    /// # Shapes
    /// - `x`: `[batch, JUDGE_FRAMES, 6, 64, 64]` (see [`judge_input`])
    pub fn read_cells(&self, x: Tensor<5>) -> CellMaps {
        let [b, t, c, h, w] = x.dims();
        self.reader.forward(x.reshape([b * t, c, h, w]))
    }
}

/// Index of the `k`-th of the [`JUDGE_FRAMES`] frames the judge looks at in a clip of `n`
/// frames (the where-maps' labels come from the same frames).
pub fn looked_at(k: usize, n: usize) -> usize {
    k * n / JUDGE_FRAMES
}

/// The judge's input for clips given as RGB frames (each `64 * 64 * 3` bytes, at least one).
///
/// Frame `k` of [`JUDGE_FRAMES`] is `frames[looked_at(k, n)]`; its channels are RGB in
/// `[-1, 1]` and the difference to the next looked-at frame (zero for the last).
///
/// # Shapes
/// - returns `[clips, JUDGE_FRAMES, 6, 64, 64]`
pub fn judge_input(clips: &[Vec<&[u8]>], device: &Device) -> anyhow::Result<Tensor<5>> {
    let plane = JUDGE_SIZE * JUDGE_SIZE;
    let mut data = Vec::with_capacity(clips.len() * JUDGE_FRAMES * 6 * plane);
    for (i, frames) in clips.iter().enumerate() {
        anyhow::ensure!(!frames.is_empty(), "clip {i} has no frames");
        anyhow::ensure!(frames.iter().all(|f| f.len() == plane * 3), "clip {i}: the judge reads {JUDGE_SIZE}x{JUDGE_SIZE} RGB frames");
        let n = frames.len();
        let picked: Vec<&[u8]> = (0..JUDGE_FRAMES).map(|k| frames[looked_at(k, n)]).collect();
        for k in 0..JUDGE_FRAMES {
            let now = picked[k];
            let next = picked[(k + 1).min(JUDGE_FRAMES - 1)];
            for ch in 0..3 {
                data.extend((0..plane).map(|p| f32::from(now[p * 3 + ch]) / 127.5 - 1.0));
            }
            for ch in 0..3 {
                data.extend((0..plane).map(|p| (f32::from(next[p * 3 + ch]) - f32::from(now[p * 3 + ch])) / 127.5));
            }
        }
    }
    Ok(Tensor::from_data(TensorData::new(data, [clips.len(), JUDGE_FRAMES, 6, JUDGE_SIZE, JUDGE_SIZE]), device))
}

/// The judge's input for world clips.
pub fn clips_input(clips: &[Clip], device: &Device) -> anyhow::Result<Tensor<5>> {
    let frames: Vec<Vec<&[u8]>> = clips.iter().map(|c| c.frames.iter().map(|f| f.rgb.as_slice()).collect()).collect();
    judge_input(&frames, device)
}

/// The judge's input for world clips, a third of them (drawn by scene seed) as rendered, a third
/// blurred and a third noisy ([`degrade`]).
pub fn degraded_input(clips: &[Clip], device: &Device) -> anyhow::Result<Tensor<5>> {
    let frames: Vec<Vec<Vec<u8>>> = clips
        .iter()
        .map(|clip| {
            let mut rng = kino_world::rng::Rng::stream(clip.scene.seed, "judge-degrade");
            match [None, Some(degrade::Degradation::Blur), Some(degrade::Degradation::Noise)][rng.below(3)] {
                Some(how) => degrade::degrade_frames(&clip.frames, how, &mut rng),
                None => clip.frames.iter().map(|f| f.rgb.clone()).collect(),
            }
        })
        .collect();
    let refs: Vec<Vec<&[u8]>> = frames.iter().map(|clip| clip.iter().map(Vec::as_slice).collect()).collect();
    judge_input(&refs, device)
}

/// What a clip truly shows, as the judge's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    /// The main object's kind (`Avatar` when the scene has no other object).
    pub kind: ObjectKind,
    /// The main object's colour.
    pub colour: Colour,
    /// Bitmask over [`ObjectKind::ALL`] of the kinds on screen.
    pub kinds: usize,
    /// Bitmask over [`Colour::ALL`] of the colours of the moving objects on screen.
    pub colours: usize,
    /// Moving (non-avatar) objects.
    pub count: usize,
    pub style: Style,
    /// `Some(true)` for a made basketball shot, `Some(false)` for a miss, `None` without one.
    pub made: Option<bool>,
    /// Index into `Scene::objects` of the main object (`None`: only avatars).
    #[serde(skip)]
    pub main: Option<usize>,
}

impl Truth {
    /// The truth of a rendered clip: the main object is the non-avatar object with the largest
    /// mean on-screen box.
    pub fn of_clip(clip: &Clip) -> Truth {
        Truth::of(&clip.scene, &clip.labels)
    }

    /// An object is on screen when it is visible in at least one labelled frame.
    pub fn of(scene: &Scene, labels: &Labels) -> Truth {
        let mut area = vec![0.0f64; scene.objects.len()];
        let mut seen = vec![false; scene.objects.len()];
        for frame in &labels.frames {
            for b in frame.objects.iter().filter(|b| b.visible) {
                if let (Some(a), Some(s)) = (area.get_mut(b.object), seen.get_mut(b.object)) {
                    *a += f64::from((b.bbox[2] - b.bbox[0]) * (b.bbox[3] - b.bbox[1]));
                    *s = true;
                }
            }
        }
        let main = (0..scene.objects.len()).filter(|&i| scene.objects[i].kind != ObjectKind::Avatar).fold(None::<usize>, |best, i| match best {
            Some(j) if area[j] >= area[i] => Some(j),
            _ => Some(i),
        });
        let first = main.or_else(|| scene.objects.first().map(|_| 0));
        let outcome = labels.outcomes.iter().flatten().next().copied();
        let on_screen = || scene.objects.iter().zip(&seen).filter(|(_, s)| **s).map(|(o, _)| o);
        let bit = |i: Option<usize>| i.map_or(0, |i| 1usize << i);
        Truth {
            kind: first.map_or(ObjectKind::Avatar, |i| if main.is_some() { scene.objects[i].kind } else { ObjectKind::Avatar }),
            colour: first.map_or(Colour::Grey, |i| scene.objects[i].colour),
            kinds: on_screen().fold(0, |m, o| m | bit(ObjectKind::ALL.iter().position(|k| *k == o.kind))),
            colours: on_screen().filter(|o| o.kind != ObjectKind::Avatar).fold(0, |m, o| m | bit(Colour::ALL.iter().position(|c| *c == o.colour))),
            count: scene.objects.iter().filter(|o| o.kind != ObjectKind::Avatar).count(),
            style: scene.style,
            made: outcome.map(|o| o == ShotOutcome::Scored),
            main,
        }
    }

    /// The right answer per head ([`HEADS`] order: a bitmask for [`HeadKind::Presence`] heads,
    /// a class index for the others); `None` where the head has no label.
    pub fn labels(&self) -> [Option<usize>; 5] {
        [
            Some(self.kinds),
            Some(self.colours),
            Some(self.count.min(COUNT_CLASSES - 1)),
            Style::ALL.iter().position(|s| *s == self.style),
            self.made.map(usize::from),
        ]
    }
}

/// The judge's reading of some clips.
#[derive(Debug, Clone)]
pub struct Verdicts {
    /// Per clip, each head's answer (see [`HeadKind::answer`]).
    pub predicted: Vec<[usize; 5]>,
    /// Per clip, the feature vector.
    pub features: Vec<Vec<f32>>,
}

/// Per head: `(right, labelled)` of `predicted` answers against `truths`.
fn score(predicted: &[[usize; 5]], truths: &[Truth]) -> [(usize, usize); 5] {
    let mut out = [(0, 0); 5];
    for (p, t) in predicted.iter().zip(truths) {
        for (h, label) in t.labels().iter().enumerate() {
            if let Some(label) = label {
                out[h].1 += 1;
                out[h].0 += usize::from(p[h] == *label);
            }
        }
    }
    out
}

/// `(right, labelled)` over all heads.
fn total_score(scores: [(usize, usize); 5]) -> (usize, usize) {
    scores.iter().fold((0, 0), |(r, n), s| (r + s.0, n + s.1))
}

/// Each clip's answer per head, from the heads' logits (`[clips, classes]` each), with the kind
/// and colour sets' from the cell reader's `readings` where given ([`reader::Reading`]): each
/// head's own answer ([`HeadKind::answer`]), then the sets made to agree with the count head
/// ([`agree_with_count`]).
fn answers(logits: &[Tensor<2>], readings: Option<&[reader::Reading]>) -> anyhow::Result<Vec<[usize; 5]>> {
    let clips = logits.first().map_or(0, |l| l.dims()[0]);
    let mut heads: Vec<Vec<Vec<f32>>> =
        logits.iter().map(|l| Ok(to_vec(l.clone())?.chunks(l.dims()[1].max(1)).map(<[f32]>::to_vec).collect())).collect::<anyhow::Result<_>>()?;
    for (i, reading) in readings.into_iter().flatten().enumerate() {
        heads[0][i] = reading.kind_logits(&heads[0][i]);
        heads[1][i] = reading.colour_logits();
    }
    Ok((0..clips)
        .map(|i| {
            let clip: [&[f32]; 5] = std::array::from_fn(|h| heads[h][i].as_slice());
            agree_with_count(std::array::from_fn(|h| HEAD_KINDS[h].answer(clip[h])), &clip)
        })
        .collect())
}

/// Per clip, what the cell reader's `maps` say ([`reader::read`]).
fn cell_readings(maps: &CellMaps, clips: usize) -> anyhow::Result<Vec<reader::Reading>> {
    let probabilities = |map: &Tensor<4>| to_vec(burn::tensor::activation::softmax(map.clone(), 1));
    Ok(reader::read(&probabilities(&maps.kind)?, &probabilities(&maps.colour)?, clips))
}

/// `answer` (one clip's answers, [`HEADS`] order) with its sets bounded by its count of
/// moving objects `n`: at least one and at most `n` colours (objects may share one), and the
/// same for the kinds other than avatars (the count leaves them out); none of either when
/// `n` is 0. A set with too few yeses takes the likeliest of the rest, one with too many keeps
/// its likeliest. Each presence head decides its classes alone, and on small or unusually
/// coloured objects it often says no to every colour; the count head is right far more often.
fn agree_with_count(mut answer: [usize; 5], logits: &[&[f32]; 5]) -> [usize; 5] {
    let n = answer[2];
    let most = |classes: usize| if n == COUNT_CLASSES - 1 { classes } else { n };
    answer[1] = bounded_set(logits[1], (0..Colour::ALL.len()).collect(), n.min(1), most(Colour::ALL.len()));
    let avatar = ObjectKind::ALL.iter().position(|k| *k == ObjectKind::Avatar).unwrap_or(ObjectKind::ALL.len());
    let moving: Vec<usize> = (0..ObjectKind::ALL.len()).filter(|&k| k != avatar).collect();
    let most_kinds = most(moving.len());
    answer[0] = (answer[0] & (1 << avatar)) | bounded_set(logits[0], moving, n.min(1), most_kinds);
    answer
}

/// The bitmask of the `classes` whose `logits` are positive, topped up with the likeliest
/// others to `fewest` or cut to the likeliest `most`.
fn bounded_set(logits: &[f32], mut classes: Vec<usize>, fewest: usize, most: usize) -> usize {
    classes.sort_by(|&a, &b| logits[b].total_cmp(&logits[a]));
    let yeses = classes.iter().filter(|&&c| logits[c] > 0.0).count();
    classes.iter().take(yeses.clamp(fewest, most.max(fewest))).fold(0, |mask, c| mask | 1 << c)
}

/// Runs the judge on `input` (`[clips, ...]`, see [`judge_input`]) in chunks of 16.
pub fn judge(model: &Judge, input: Tensor<5>) -> anyhow::Result<Verdicts> {
    Ok(read(model, input)?.0)
}

/// [`judge`], and the answers of the heads alone, without the cell reader (to compare the two).
fn read(model: &Judge, input: Tensor<5>) -> anyhow::Result<(Verdicts, Vec<[usize; 5]>)> {
    let [n, ..] = input.dims();
    let mut verdicts = Verdicts { predicted: Vec::with_capacity(n), features: Vec::with_capacity(n) };
    let mut heads_only = Vec::with_capacity(n);
    for start in (0..n).step_by(16) {
        let len = 16.min(n - start);
        let chunk = input.clone().narrow(0, start, len);
        let out = model.forward(chunk.clone());
        let [_, f] = out.features.dims();
        let features = to_vec(out.features)?;
        verdicts.features.extend(features.chunks(f).map(<[f32]>::to_vec));
        verdicts.predicted.extend(answers(&out.logits, Some(&cell_readings(&model.read_cells(chunk), len)?))?);
        heads_only.extend(answers(&out.logits, None)?);
    }
    Ok((verdicts, heads_only))
}

fn to_vec<const D: usize>(x: Tensor<D>) -> anyhow::Result<Vec<f32>> {
    x.try_into_vec_as::<f32>().map_err(|e| anyhow::anyhow!("reading a tensor: {e:?}"))
}

/// Index of the largest value (the first on ties; 0 for an empty slice).
pub fn argmax(values: &[f32]) -> usize {
    values.iter().enumerate().fold((0, f32::NEG_INFINITY), |(bi, bv), (i, &v)| if v > bv { (i, v) } else { (bi, bv) }).0
}

/// Per looked-at frame of `clip` and per [`MAP_CELL`]-pixel cell (row-major), the class of
/// its where-maps: 0 for no object, else 1 + the index in [`Colour::ALL`] of the colour of the
/// object whose box covers the most of the cell (`None` where that is an avatar, whose clothes
/// are no moving object's colour), and 1 + the index in [`ObjectKind::ALL`] of its kind. An
/// object counts where its box covers at least a quarter of the cell.
pub fn where_labels(clip: &Clip) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let n = clip.labels.frames.len();
    let mut colours = Vec::with_capacity(JUDGE_FRAMES * MAP_SIZE * MAP_SIZE);
    let mut kinds = Vec::with_capacity(colours.capacity());
    for k in 0..JUDGE_FRAMES {
        let boxes = clip.labels.frames.get(looked_at(k, n)).map_or(&[][..], |f| f.objects.as_slice());
        for cy in 0..MAP_SIZE {
            for cx in 0..MAP_SIZE {
                let (x0, y0) = ((cx * MAP_CELL) as f32, (cy * MAP_CELL) as f32);
                let (x1, y1) = (x0 + MAP_CELL as f32, y0 + MAP_CELL as f32);
                let covered =
                    |b: &&kino_world::labels::ObjectBox| (b.bbox[2].min(x1) - b.bbox[0].max(x0)).max(0.0) * (b.bbox[3].min(y1) - b.bbox[1].max(y0)).max(0.0);
                let most = boxes
                    .iter()
                    .filter(|b| b.visible)
                    .map(|b| (covered(&b), b))
                    .filter(|(a, _)| *a >= (MAP_CELL * MAP_CELL) as f32 / 4.0)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                match most.and_then(|(_, b)| clip.scene.objects.get(b.object)) {
                    None => {
                        colours.push(Some(0));
                        kinds.push(Some(0));
                    }
                    Some(o) => {
                        colours.push((o.kind != ObjectKind::Avatar).then(|| 1 + Colour::ALL.iter().position(|c| *c == o.colour).unwrap_or(0)));
                        kinds.push(Some(1 + ObjectKind::ALL.iter().position(|c| *c == o.kind).unwrap_or(0)));
                    }
                }
            }
        }
    }
    (colours, kinds)
}

/// The cell reader's loss: cross-entropy of its kind map against the per-cell kinds (`kinds`,
/// [`where_labels`]' second), a cell with an object weighing [`OBJECT_CELL_WEIGHT`] times an
/// empty one, plus that of its colour map over the cells of moving objects (`colours`, the
/// first).
fn cell_loss(maps: CellMaps, kinds: &[Option<usize>], colours: &[Option<usize>], device: &Device) -> Tensor<1> {
    let weight = |c: usize| if c == 0 { 1.0 } else { OBJECT_CELL_WEIGHT };
    let total: f32 = kinds.iter().flatten().map(|&c| weight(c)).sum();
    let kind = cross_entropy(cells(maps.kind), kinds, |c| weight(c) / total.max(1.0), device);
    // Where-labels name colours from 1 (0 is no object, `None` an avatar).
    let colours: Vec<Option<usize>> = colours.iter().map(|c| c.and_then(|c| c.checked_sub(1))).collect();
    let moving = colours.iter().flatten().count().max(1) as f32;
    kind + cross_entropy(cells(maps.colour), &colours, |_| 1.0 / moving, device)
}

/// How much more a cell with an object weighs in the reader's kind loss than an empty one:
/// objects cover a few cells in a hundred, and a reader that rarely sees them misses small
/// ones; weighing them equal with the empty ones (as the where-maps do) marks objects on
/// empty cells, and one such cell in a clip puts a wrong colour in its set.
const OBJECT_CELL_WEIGHT: f32 = 4.0;

/// A map's logits `[frames, classes, h, w]` as one row per cell, `[frames * h * w, classes]`
/// (frame-major, then row-major, as [`where_labels`] lists the cells).
fn cells(map: Tensor<4>) -> Tensor<2> {
    let [n, classes, h, w] = map.dims();
    map.reshape([n, classes, h * w]).swap_dims(1, 2).reshape([n * h * w, classes])
}

/// Cross-entropy of a where-map (`[cells' frames, classes, h, w]`) against per-cell `labels`
/// (frame-major, then row-major; `None` masked out). The empty cells (class 0) and the cells
/// with an object each carry half the loss: objects cover a few cells in a hundred.
fn where_loss(map: Tensor<4>, labels: &[Option<usize>], device: &Device) -> Tensor<1> {
    let logits = cells(map);
    let empty = labels.iter().filter(|l| **l == Some(0)).count().max(1) as f32;
    let full = labels.iter().filter(|l| matches!(l, Some(c) if *c > 0)).count().max(1) as f32;
    cross_entropy(logits, labels, |c| if c == 0 { 0.5 / empty } else { 0.5 / full }, device)
}

/// The sum over the labelled rows of `logits` (`[rows, classes]`) of `weight(label)` times the
/// negative log-probability of the row's label (`None` rows are masked out).
fn cross_entropy(logits: Tensor<2>, labels: &[Option<usize>], weight: impl Fn(usize) -> f32, device: &Device) -> Tensor<1> {
    let [rows, classes] = logits.dims();
    let mut weights = vec![0.0f32; rows * classes];
    for (i, label) in labels.iter().enumerate() {
        if let Some(c) = *label {
            weights[i * classes + c] = weight(c);
        }
    }
    let weights = Tensor::<2>::from_data(TensorData::new(weights, [rows, classes]), device);
    (log_softmax(logits, 1) * weights).sum().neg()
}

/// The loss of one head against `labels` (its answers, see [`Truth::labels`]), averaged over
/// the labelled clips (`None` is masked out); `None` when no clip is labelled. Class heads
/// take the cross-entropy; presence heads the binary cross-entropy summed over their classes.
fn head_loss(kind: HeadKind, logits: Tensor<2>, labels: &[Option<usize>], device: &Device) -> Option<Tensor<1>> {
    let [b, classes] = logits.dims();
    let labelled = labels.iter().flatten().count();
    if labelled == 0 {
        return None;
    }
    if kind == HeadKind::Class {
        return Some(cross_entropy(logits, labels, |_| 1.0 / labelled as f32, device));
    }
    let mut targets = vec![0.0f32; b * classes];
    let mut mask = vec![0.0f32; b * classes];
    for (i, label) in labels.iter().enumerate() {
        let Some(answer) = label else { continue };
        let row = i * classes;
        (0..classes).for_each(|c| targets[row + c] = ((answer >> c) & 1) as f32);
        mask[row..row + classes].fill(1.0);
    }
    let targets = Tensor::<2>::from_data(TensorData::new(targets, [b, classes]), device);
    let mask = Tensor::<2>::from_data(TensorData::new(mask, [b, classes]), device);
    let log_yes = log_sigmoid(logits.clone());
    let log_no = log_sigmoid(logits.neg());
    // Summed over the classes, so that a whole set weighs in the total as a class head's one
    // answer does.
    Some((log_yes * targets.clone() + log_no * (targets.neg() + 1.0)).mul(mask).sum().neg() / labelled as f64)
}

/// Trains the judge (see the module docs).
pub struct JudgeTask {
    pub config: JudgeConfig,
    /// Trains the cell reader alone (`--reader-only`): the rest of the judge keeps its weights.
    pub reader_only: bool,
    /// Trains on degraded clips too (`--augment`): a third as rendered, a third blurred, a
    /// third noisy ([`degrade`]).
    pub augment: bool,
    /// The evaluation cases' real renders and truths, rendered at the first evaluation and
    /// kept (every evaluation, and the moving average's beside it, reads the same ones).
    eval_cases: OnceLock<RealCases>,
}

/// Per case of `kino-train eval`: the RGB frames of its real render's first window, and its truth.
struct RealCases {
    frames: Vec<Vec<Vec<u8>>>,
    truths: Vec<Truth>,
}

impl JudgeTask {
    pub fn new(config: JudgeConfig, reader_only: bool, augment: bool) -> Self {
        JudgeTask { config, reader_only, augment, eval_cases: OnceLock::new() }
    }

    fn eval_cases(&self) -> anyhow::Result<&RealCases> {
        if let Some(cases) = self.eval_cases.get() {
            return Ok(cases);
        }
        let cases = crate::eval::cases::cases(EVAL_CASES)?;
        let frames = cases.iter().map(|c| c.real.frames.iter().take(crate::data::FRAMES).map(|f| f.rgb.clone()).collect()).collect();
        Ok(self.eval_cases.get_or_init(|| RealCases { frames, truths: cases.iter().map(|c| c.truth).collect() }))
    }
}

/// The judge's weights file in a released folder.
pub const JUDGE_FILE: &str = "judge.safetensors";

impl Task for JudgeTask {
    type Config = JudgeConfig;
    type Model = Judge;
    const NAME: &'static str = "judge";
    const RELEASE_FILE: &'static str = JUDGE_FILE;

    fn config(&self) -> &JudgeConfig {
        &self.config
    }

    fn init(&self, device: &Device) -> Judge {
        self.config.init(device)
    }

    fn loss(&self, model: &Judge, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let truths: Vec<Truth> = clips.iter().map(Truth::of_clip).collect();
        let input = if self.augment { degraded_input(clips, device)? } else { clips_input(clips, device)? };
        let (colour_cells, kind_cells): (Vec<_>, Vec<_>) = clips.iter().map(where_labels).unzip();
        let (colour_cells, kind_cells) = (colour_cells.concat(), kind_cells.concat());
        let maps = model.read_cells(input.clone());
        // The reader's colour sets on this batch (unbounded by the count), for the progress bar.
        let readings = cell_readings(&maps, clips.len())?;
        let right = readings.iter().zip(&truths).filter(|(r, t)| HeadKind::Presence.answer(&r.colour_logits()) == t.colours).count();
        let colours = ("colours", right as f64 / truths.len().max(1) as f64);
        let reader_loss = cell_loss(maps, &kind_cells, &colour_cells, device);
        if self.reader_only {
            return Ok((reader_loss, vec![colours]));
        }
        let out = model.forward(input);
        let (right, labelled) = total_score(score(&answers(&out.logits, Some(&readings))?, &truths));
        let (colour_map, kind_map) = (out.colour_map, out.kind_map);
        let mut total: Option<Tensor<1>> = None;
        for (h, logits) in out.logits.into_iter().enumerate() {
            let labels: Vec<Option<usize>> = truths.iter().map(|t| t.labels()[h]).collect();
            if let Some(loss) = head_loss(HEAD_KINDS[h], logits, &labels, device) {
                total = Some(match total {
                    Some(t) => t + loss,
                    None => loss,
                });
            }
        }
        let total = total.context("no labelled head in the batch")?;
        let where_maps = where_loss(colour_map, &colour_cells, device) + where_loss(kind_map, &kind_cells, device);
        Ok((total + where_maps + reader_loss, vec![("acc", right as f64 / labelled.max(1) as f64), colours]))
    }

    fn evaluate(&self, model: &Judge, clips: &[Clip], device: &Device, _out: &Path, _step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let truths: Vec<Truth> = clips.iter().map(Truth::of_clip).collect();
        let (held_out, held_out_heads) = read(model, clips_input(clips, device)?)?;
        let mut metrics = accuracies("", &held_out.predicted, &truths);
        if self.augment {
            let degraded = judge(model, degraded_input(clips, device)?)?;
            metrics.extend(accuracies("degraded_", &degraded.predicted, &truths).into_iter().filter(|(name, _)| name.ends_with("kind_acc")));
        }
        // The real renders of `kino-train eval`'s cases (first window), whose accuracy decides
        // whether its verdicts count: new camera framings and recoloured ducks and basketballs.
        let cases = self.eval_cases()?;
        let frames: Vec<Vec<&[u8]>> = cases.frames.iter().map(|clip| clip.iter().map(Vec::as_slice).collect()).collect();
        let (real, real_heads) = read(model, judge_input(&frames, device)?)?;
        metrics.extend(accuracies("eval_cases_", &real.predicted, &cases.truths));
        // The heads' answers alone, to compare with those the reader moves.
        let sets = |(name, _): &(String, f64)| ["kind", "colour", "mean"].iter().any(|head| name.contains(head));
        metrics.extend(accuracies("heads_", &held_out_heads, &truths).into_iter().filter(sets));
        metrics.extend(accuracies("eval_cases_heads_", &real_heads, &cases.truths).into_iter().filter(sets));
        Ok(metrics)
    }
}

/// Evaluation cases whose real renders the judge is scored on while it trains (as many as
/// `kino-train eval --prompts 48` uses).
const EVAL_CASES: usize = 48;

/// Per head and over all heads, the share of `predicted` answers that `truths` bear out, each
/// metric's name starting with `prefix`.
fn accuracies(prefix: &str, predicted: &[[usize; 5]], truths: &[Truth]) -> Vec<(String, f64)> {
    let scores = score(predicted, truths);
    let mut metrics: Vec<(String, f64)> =
        HEADS.iter().zip(scores).filter(|(_, (_, n))| *n > 0).map(|(name, (right, n))| (format!("{prefix}{name}_acc"), right as f64 / n as f64)).collect();
    let (right, n) = total_score(scores);
    metrics.push((format!("{prefix}mean_acc"), right as f64 / n.max(1) as f64));
    // A set is right only when every yes/no in it is: the share of right yes/no answers
    // shows a presence head's progress before whole sets come out right.
    for h in (0..HEADS.len()).filter(|&h| HEAD_KINDS[h] == HeadKind::Presence) {
        let wrong: u32 = predicted.iter().zip(truths).filter_map(|(p, t)| t.labels()[h].map(|l| (p[h] ^ l).count_ones())).sum();
        metrics.push((format!("{prefix}{}_per_class_acc", HEADS[h]), 1.0 - f64::from(wrong) / (HEAD_CLASSES[h] * truths.len()) as f64));
    }
    metrics
}

/// A trained judge from `dir`: a `kino-train judge` checkpoint (its config from `state.json`),
/// or a folder with `judge.safetensors` and `judge.json` (the config).
pub fn load(dir: &Path, device: &Device) -> anyhow::Result<(Judge, JudgeConfig)> {
    let checkpoint = crate::checkpoint::Checkpoint::new(dir);
    let config: JudgeConfig = if checkpoint.exists() {
        let state = checkpoint.load_state()?;
        anyhow::ensure!(state.task == JudgeTask::NAME, "{} holds a `{}` checkpoint, not a judge", dir.display(), state.task);
        serde_json::from_value(state.config).with_context(|| format!("the judge config in {}", dir.display()))?
    } else {
        let config_path = dir.join("judge.json");
        anyhow::ensure!(
            config_path.is_file() && dir.join(JUDGE_FILE).is_file(),
            "no judge in {}: train one with `kino-train judge --out {}`",
            dir.display(),
            dir.display()
        );
        serde_json::from_slice(&std::fs::read(&config_path)?).with_context(|| {
            format!(
                "parsing {} (a judge from before version 2 lacks `stem` and `groups`: export a new one with `kino-train export-judge`)",
                config_path.display()
            )
        })?
    };
    Ok((crate::checkpoint::load_part(config.init(device), dir, JUDGE_FILE)?, config))
}

/// Writes `judge` as a released folder [`load`] reads: `judge.json` (the config) and
/// `judge.safetensors` in half precision, small enough to commit next to a model card.
pub fn save_release(judge: &Judge, config: &JudgeConfig, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(dir.join("judge.json"), serde_json::to_vec_pretty(config)?).with_context(|| format!("writing {}/judge.json", dir.display()))?;
    kino_model::weights::save_f16(judge, &dir.join(JUDGE_FILE))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_released_judge_reads_clips_as_its_checkpoint_did() {
        let device = Device::flex();
        let config = JudgeConfig::default();
        let model = config.init(&device);
        let dir = std::env::temp_dir().join(format!("kino-judge-release-{}", std::process::id()));
        save_release(&model, &config, &dir).expect("saves");
        let (loaded, loaded_config) = load(&dir, &device).expect("loads");
        assert_eq!(loaded_config, config);
        let clips = vec![crate::data::clip(21).expect("renders")];
        let input = clips_input(&clips, &device).expect("input");
        let (a, b) = (to_vec(model.forward(input.clone()).features).expect("a"), to_vec(loaded.forward(input.clone()).features).expect("b"));
        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
        let scale = a.iter().map(|x| x.abs()).fold(0.0f32, f32::max);
        assert!(worst <= 0.01 * scale + 1e-3, "half precision moved a feature by {worst} (largest {scale})");
        let (a, b) = (to_vec(model.read_cells(input.clone()).colour).expect("a"), to_vec(loaded.read_cells(input).colour).expect("b"));
        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
        let scale = a.iter().map(|x| x.abs()).fold(0.0f32, f32::max);
        assert!(worst <= 0.01 * scale + 1e-3, "half precision moved the reader's colour map by {worst} (largest {scale})");
        std::fs::remove_file(dir.join(JUDGE_FILE)).expect("remove");
        assert!(load(&dir, &device).is_err(), "a folder without weights is refused");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_judge_has_its_shapes() {
        let device = Device::flex();
        let config = JudgeConfig::default();
        let model = config.init(&device);
        let clips = vec![crate::data::clip(11).expect("renders"), crate::data::clip(12).expect("renders")];
        let out = model.forward(clips_input(&clips, &device).expect("input"));
        assert_eq!(out.features.dims(), [2, config.feature_len()]);
        for (logits, classes) in out.logits.iter().zip(HEAD_CLASSES) {
            assert_eq!(logits.dims(), [2, classes]);
        }
        assert!(judge_input(&[vec![&[0u8; 10][..]]], &device).is_err(), "a wrong frame size is refused");
    }

    #[test]
    fn truth_follows_the_scene() {
        for seed in 0..12 {
            let clip = crate::data::clip(seed).expect("renders");
            let t = Truth::of_clip(&clip);
            let movers = clip.scene.objects.iter().filter(|o| o.kind != ObjectKind::Avatar).count();
            assert_eq!(t.count, movers);
            assert_eq!(t.style, clip.scene.style);
            match t.main {
                Some(i) => assert_eq!((clip.scene.objects[i].kind, clip.scene.objects[i].colour), (t.kind, t.colour)),
                None => assert_eq!((movers, t.kind), (0, ObjectKind::Avatar)),
            }
            // The sets hold what is on screen: never more than the scene has.
            for (i, kind) in ObjectKind::ALL.iter().enumerate() {
                if t.kinds >> i & 1 == 1 {
                    assert!(clip.scene.objects.iter().any(|o| o.kind == *kind), "seed {seed}: {kind:?}");
                }
            }
            for (i, colour) in Colour::ALL.iter().enumerate() {
                if t.colours >> i & 1 == 1 {
                    assert!(clip.scene.objects.iter().any(|o| o.kind != ObjectKind::Avatar && o.colour == *colour), "seed {seed}: {colour:?}");
                }
            }
            assert!(t.colours.count_ones() as usize <= movers);
            let main_seen = clip.labels.frames.iter().any(|f| f.objects.iter().any(|b| Some(b.object) == t.main && b.visible));
            if main_seen {
                let bit = Colour::ALL.iter().position(|c| *c == t.colour).expect("a colour");
                assert_eq!(t.colours >> bit & 1, 1, "seed {seed}: the main object's colour is in the set");
            }
            let hoop = clip.labels.outcomes.iter().any(Option::is_some);
            assert_eq!(t.made.is_some(), hoop, "seed {seed}");
        }
    }

    #[test]
    fn where_labels_mark_the_cells_objects_cover() {
        for seed in 0..8 {
            let clip = crate::data::clip(seed).expect("renders");
            let (colours, kinds) = where_labels(&clip);
            assert_eq!((colours.len(), kinds.len()), (JUDGE_FRAMES * MAP_SIZE * MAP_SIZE, JUDGE_FRAMES * MAP_SIZE * MAP_SIZE));
            let n = clip.labels.frames.len();
            for k in 0..JUDGE_FRAMES {
                let boxes = &clip.labels.frames[looked_at(k, n)].objects;
                let cells = k * MAP_SIZE * MAP_SIZE..(k + 1) * MAP_SIZE * MAP_SIZE;
                // A coloured cell holds a moving object of that colour.
                for (i, label) in colours[cells.clone()].iter().enumerate() {
                    let Some(c) = label.filter(|c| *c > 0) else { continue };
                    let (x, y) = (((i % MAP_SIZE) * MAP_CELL) as f32, ((i / MAP_SIZE) * MAP_CELL) as f32);
                    let here = |b: &&kino_world::labels::ObjectBox| b.visible && b.bbox[0] < x + 4.0 && b.bbox[2] > x && b.bbox[1] < y + 4.0 && b.bbox[3] > y;
                    assert!(boxes.iter().filter(here).any(|b| clip.scene.objects[b.object].colour == Colour::ALL[c - 1]), "seed {seed} frame {k} cell {i}");
                }
                // The cell under the centre of any box at least a cell wide holds an object.
                for b in boxes.iter().filter(|b| b.visible && b.bbox[2] - b.bbox[0] >= 4.0 && b.bbox[3] - b.bbox[1] >= 4.0) {
                    let (cx, cy) = (((b.bbox[0] + b.bbox[2]) / 2.0) as usize / MAP_CELL, ((b.bbox[1] + b.bbox[3]) / 2.0) as usize / MAP_CELL);
                    let cell = k * MAP_SIZE * MAP_SIZE + cy.min(MAP_SIZE - 1) * MAP_SIZE + cx.min(MAP_SIZE - 1);
                    assert_ne!(kinds[cell], Some(0), "seed {seed} frame {k}: object {} is missing from its cell", b.object);
                }
            }
        }
    }

    #[test]
    fn where_loss_gives_empty_and_object_cells_half_each() {
        let device = Device::flex();
        // One frame, two classes, 1 x 2 cells; values are class-major: [class][cell].
        let map = |v: [f32; 4]| Tensor::<4>::from_data(TensorData::new(v.to_vec(), [1, 2, 1, 2]), &device);
        let ln2 = std::f32::consts::LN_2;
        let loss = |v, labels: &[Option<usize>]| where_loss(map(v), labels, &device).into_scalar::<f32>();
        assert!((loss([0.0; 4], &[Some(0), Some(1)]) - ln2).abs() < 1e-5);
        assert!((loss([0.0; 4], &[Some(0), None]) - 0.5 * ln2).abs() < 1e-5, "a masked cell adds nothing");
        assert!(loss([9.0, 0.0, 0.0, 9.0], &[Some(0), Some(1)]) < 1e-3, "right answers cost almost nothing");
        assert!(loss([0.0, 9.0, 9.0, 0.0], &[Some(0), Some(1)]) > 8.0, "wrong ones cost a lot");
    }

    #[test]
    fn the_reader_loss_weighs_object_cells_more() {
        let device = Device::flex();
        let (kinds, colours) = (ObjectKind::ALL.len() + 1, Colour::ALL.len());
        // One frame of 1 x 2 cells; values are class-major: [class][cell].
        let map = |classes: usize, v: Vec<f32>| Tensor::<4>::from_data(TensorData::new(v, [1, classes, 1, 2]), &device);
        let loss = |kind: Vec<f32>, labels: [Option<usize>; 2]| {
            let maps = CellMaps { kind: map(kinds, kind), colour: map(colours, vec![0.0; 2 * colours]) };
            cell_loss(maps, &labels, &[Some(0), Some(3)], &device).into_scalar::<f32>()
        };
        let unsure = (kinds as f32).ln() + (colours as f32).ln();
        assert!((loss(vec![0.0; 2 * kinds], [Some(0), Some(2)]) - unsure).abs() < 1e-4, "uniform maps cost ln(classes) each");
        // The empty cell read right, the object's kind unsure: the object's share is 4/5.
        let mut empty_right = vec![0.0f32; 2 * kinds];
        empty_right[0] = 30.0;
        let kind_part = loss(empty_right, [Some(0), Some(2)]) - (colours as f32).ln();
        assert!((kind_part - 0.8 * (kinds as f32).ln()).abs() < 1e-3, "{kind_part}");
        // No object anywhere: the colour map has nothing to learn.
        let maps = CellMaps { kind: map(kinds, vec![0.0; 2 * kinds]), colour: map(colours, vec![0.0; 2 * colours]) };
        let alone = cell_loss(maps, &[Some(0), Some(0)], &[Some(0), None], &device).into_scalar::<f32>();
        assert!((alone - (kinds as f32).ln()).abs() < 1e-4, "{alone}");
    }

    #[test]
    fn a_judge_config_from_before_the_reader_gets_the_default_reader() {
        let old = r#"{"stem": 32, "channels": [48, 64, 96, 128], "groups": 8, "width": 128}"#;
        assert_eq!(serde_json::from_str::<JudgeConfig>(old).expect("parses"), JudgeConfig::default());
    }

    #[test]
    fn head_losses_skip_unlabelled_clips() {
        let device = Device::flex();
        let logits = Tensor::<2>::from_data(TensorData::new(vec![0.0f32, 0.0, 5.0, -5.0], [2, 2]), &device);
        let loss = |kind, labels: &[Option<usize>]| head_loss(kind, logits.clone(), labels, &device).map(|l| l.into_scalar::<f32>());
        let ln2 = std::f32::consts::LN_2;
        assert!((loss(HeadKind::Class, &[Some(0), None]).expect("one label") - ln2).abs() < 1e-5);
        assert!((loss(HeadKind::Presence, &[Some(0b01), None]).expect("one label") - 2.0 * ln2).abs() < 1e-5);
        // Logits 5 and -5 against "the first yes, the second no": both nearly right.
        let nearly = 2.0 * (1.0f32 + (-5.0f32).exp()).ln();
        assert!((loss(HeadKind::Presence, &[None, Some(0b01)]).expect("one label") - nearly).abs() < 1e-5);
        assert!(loss(HeadKind::Presence, &[None, Some(0b10)]).expect("one label") > 9.9, "both wrong");
        assert!(loss(HeadKind::Class, &[None, None]).is_none());
        assert!(loss(HeadKind::Presence, &[None, None]).is_none());
    }

    #[test]
    fn accuracies_count_right_answers_per_head_and_set_bits() {
        let truths: Vec<Truth> = [11, 12].iter().map(|&seed| Truth::of_clip(&crate::data::clip(seed).expect("renders"))).collect();
        let right: Vec<[usize; 5]> = truths.iter().map(|t| t.labels().map(|l| l.unwrap_or(0))).collect();
        let metric = |m: &[(String, f64)], name: &str| m.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
        let all = accuracies("x_", &right, &truths);
        assert_eq!(metric(&all, "x_mean_acc"), Some(1.0));
        assert_eq!(metric(&all, "x_colour_per_class_acc"), Some(1.0));
        let mut one_wrong = right.clone();
        one_wrong[0][1] ^= 1; // one colour named or missed wrongly in the first clip
        let some = accuracies("x_", &one_wrong, &truths);
        assert_eq!(metric(&some, "x_colour_acc"), Some(0.5));
        assert_eq!(metric(&some, "x_colour_per_class_acc"), Some(1.0 - 1.0 / (2.0 * Colour::ALL.len() as f64)));
        assert!(metric(&some, "x_mean_acc").expect("mean") < 1.0);
    }

    #[test]
    fn answers_are_a_class_or_a_set() {
        assert_eq!(HeadKind::Class.answer(&[0.3, -1.0, 2.0]), 2);
        assert_eq!(HeadKind::Presence.answer(&[0.3, -1.0, 2.0]), 0b101);
        assert_eq!(HeadKind::Presence.answer(&[-0.3, -1.0]), 0);
    }

    #[test]
    fn sets_agree_with_the_count() {
        // Kinds: ball, basketball, cube, duck, avatar. Colours: red, orange, yellow, green, ...
        let mut colours = [-5.0f32; 11];
        colours[3] = -0.5; // green: the likeliest colour, but a no
        let kinds = [-2.0, -0.1, -3.0, -4.0, 1.0]; // a basketball (a no) and an avatar
        let count = |n: usize| {
            let mut c = [0.0f32; COUNT_CLASSES];
            c[n] = 3.0;
            c
        };
        let answer = |n: usize| {
            let logits: [&[f32]; 5] = [&kinds, &colours, &count(n), &[0.0], &[0.0]];
            agree_with_count(std::array::from_fn(|h| HEAD_KINDS[h].answer(logits[h])), &logits)
        };
        // One moving object: its likeliest colour and kind are named, the avatar kept.
        assert_eq!(answer(1)[1], 1 << 3);
        assert_eq!(answer(1)[0], (1 << 1) | (1 << 4));
        // No moving object: no colour and only the avatar.
        assert_eq!(answer(0)[1], 0);
        assert_eq!(answer(0)[0], 1 << 4);
        // Two objects but three yeses: the two likeliest stay.
        let yeses = [2.0f32, 1.0, 3.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0];
        let logits: [&[f32]; 5] = [&kinds, &yeses, &count(2), &[0.0], &[0.0]];
        let two = agree_with_count(std::array::from_fn(|h| HEAD_KINDS[h].answer(logits[h])), &logits);
        assert_eq!(two[1], (1 << 0) | (1 << 2));
        // 3 or more: every yes stays.
        let logits: [&[f32]; 5] = [&kinds, &yeses, &count(3), &[0.0], &[0.0]];
        assert_eq!(agree_with_count(std::array::from_fn(|h| HEAD_KINDS[h].answer(logits[h])), &logits)[1], 0b111);
    }
}
