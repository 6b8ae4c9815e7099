//! `kino-train judge`: a small clip classifier trained on kino-world clips, used by
//! `kino-train eval` to read what a generated clip shows and as the feature space of its
//! distribution distance.
//!
//! It looks at [`JUDGE_FRAMES`] frames spread over the clip. Each is a 6-channel image (RGB and
//! the change to the next looked-at frame, so motion is visible) through four stride-2 3x3
//! convolutions (64 → 4 pixels), pooled (mean and max over space), then one temporal
//! convolution over the frames, pooled again (mean and max over time): that vector is the
//! clip's feature. Five linear heads read it:
//!
//! | head | classes | label |
//! |---|---|---|
//! | `kind` | [`ObjectKind::ALL`] | the main object's kind; `avatar` when the scene has no other object |
//! | `colour` | [`Colour::ALL`] | the main object's colour |
//! | `count` | 0, 1, 2, 3+ | moving (non-avatar) objects in the scene |
//! | `style` | [`Style::ALL`] | the drawing style |
//! | `outcome` | made, missed | the basketball shot, where the scene has one (masked elsewhere) |
//!
//! The main object is the non-avatar object with the largest mean on-screen box over the clip
//! (the one a viewer would name first); [`Truth::of_clip`] derives it from the clip's labels.
//!
//! Speed (debug build, dependencies optimised, flex CPU backend, batch 8, one render thread, a
//! training run sharing the machine's two cores): measured 11.3 clips/s for the training step plus
//! rendering (30 steps of 8), so 10 minutes see about 7 000 clips.

use std::path::Path;

use anyhow::Context;
use burn::module::Module;
use burn::nn::conv::{Conv1d, Conv1dConfig, Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig1d, PaddingConfig2d};
use burn::tensor::activation::{log_softmax, relu};
use burn::tensor::{Device, Tensor, TensorData};
use kino_core::scene::{Colour, ObjectKind, Scene, Style};
use kino_world::Clip;
use kino_world::labels::Labels;
use kino_world::physics::ShotOutcome;
use serde::{Deserialize, Serialize};

use crate::train_loop::Task;

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

/// The judge's sizes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JudgeConfig {
    /// Channels of the four stride-2 convolutions.
    pub channels: [usize; 4],
    /// Width of the temporal convolution; the clip feature is twice this (mean and max).
    pub width: usize,
}

impl Default for JudgeConfig {
    /// About 155k parameters.
    fn default() -> Self {
        JudgeConfig { channels: [24, 48, 64, 96], width: 96 }
    }
}

impl JudgeConfig {
    /// Length of [`JudgeOutput::features`].
    pub fn feature_len(&self) -> usize {
        2 * self.width
    }

    pub fn init(&self, device: &Device) -> Judge {
        let [c0, c1, c2, c3] = self.channels;
        let conv = |i: usize, o: usize| Conv2dConfig::new([i, o], [3, 3]).with_stride([2, 2]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1)).init(device);
        Judge {
            conv0: conv(6, c0),
            conv1: conv(c0, c1),
            conv2: conv(c1, c2),
            conv3: conv(c2, c3),
            temporal: Conv1dConfig::new(2 * c3, self.width, 3).with_padding(PaddingConfig1d::Explicit(1, 1)).init(device),
            heads: HEAD_CLASSES.iter().map(|&n| LinearConfig::new(self.feature_len(), n).init(device)).collect(),
        }
    }
}

#[derive(Module, Debug)]
pub struct Judge {
    pub conv0: Conv2d,
    pub conv1: Conv2d,
    pub conv2: Conv2d,
    pub conv3: Conv2d,
    pub temporal: Conv1d,
    /// One linear layer per entry of [`HEADS`].
    pub heads: Vec<Linear>,
}

/// What [`Judge::forward`] returns.
#[derive(Debug, Clone)]
pub struct JudgeOutput {
    /// `[batch, feature_len]`: the pooled clip features.
    pub features: Tensor<2>,
    /// One `[batch, classes]` tensor per head, in [`HEADS`] order.
    pub logits: Vec<Tensor<2>>,
}

impl Judge {
    /// # Shapes
    /// - `x`: `[batch, JUDGE_FRAMES, 6, 64, 64]` (see [`judge_input`])
    pub fn forward(&self, x: Tensor<5>) -> JudgeOutput {
        let [b, t, c, h, w] = x.dims();
        let x = x.reshape([b * t, c, h, w]);
        let x = relu(self.conv0.forward(x)); // [b*t, c0, 32, 32]
        let x = relu(self.conv1.forward(x)); // [b*t, c1, 16, 16]
        let x = relu(self.conv2.forward(x)); // [b*t, c2, 8, 8]
        let x = relu(self.conv3.forward(x)); // [b*t, c3, 4, 4]
        let [_, c3, h3, w3] = x.dims();
        let x = x.reshape([b * t, c3, h3 * w3]);
        let pooled = Tensor::cat(vec![x.clone().mean_dim(2), x.max_dim(2)], 1); // [b*t, 2*c3, 1]
        let per_frame = pooled.reshape([b, t, 2 * c3]).swap_dims(1, 2); // [b, 2*c3, t]
        let y = relu(self.temporal.forward(per_frame)); // [b, width, t]
        let [_, width, _] = y.dims();
        let features = Tensor::cat(vec![y.clone().mean_dim(2), y.max_dim(2)], 1).reshape([b, 2 * width]);
        let logits = self.heads.iter().map(|head| head.forward(features.clone())).collect();
        JudgeOutput { features, logits }
    }
}

/// The judge's input for clips given as RGB frames (each `64 * 64 * 3` bytes, at least one).
///
/// Frame `k` of [`JUDGE_FRAMES`] is `frames[k * n / JUDGE_FRAMES]`; its channels are RGB in
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
        let picked: Vec<&[u8]> = (0..JUDGE_FRAMES).map(|k| frames[k * n / JUDGE_FRAMES]).collect();
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

/// What a clip truly shows, as the judge's class indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    pub kind: ObjectKind,
    pub colour: Colour,
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

    pub fn of(scene: &Scene, labels: &Labels) -> Truth {
        let mut area = vec![0.0f64; scene.objects.len()];
        for frame in &labels.frames {
            for b in frame.objects.iter().filter(|b| b.visible) {
                if let Some(a) = area.get_mut(b.object) {
                    *a += f64::from((b.bbox[2] - b.bbox[0]) * (b.bbox[3] - b.bbox[1]));
                }
            }
        }
        let main = (0..scene.objects.len()).filter(|&i| scene.objects[i].kind != ObjectKind::Avatar).fold(None::<usize>, |best, i| match best {
            Some(j) if area[j] >= area[i] => Some(j),
            _ => Some(i),
        });
        let first = main.or_else(|| scene.objects.first().map(|_| 0));
        let outcome = labels.outcomes.iter().flatten().next().copied();
        Truth {
            kind: first.map_or(ObjectKind::Avatar, |i| if main.is_some() { scene.objects[i].kind } else { ObjectKind::Avatar }),
            colour: first.map_or(Colour::Grey, |i| scene.objects[i].colour),
            count: scene.objects.iter().filter(|o| o.kind != ObjectKind::Avatar).count(),
            style: scene.style,
            made: outcome.map(|o| o == ShotOutcome::Scored),
            main,
        }
    }

    /// Class index per head ([`HEADS`] order); `None` where the head has no label.
    pub fn labels(&self) -> [Option<usize>; 5] {
        [
            ObjectKind::ALL.iter().position(|k| *k == self.kind),
            Colour::ALL.iter().position(|c| *c == self.colour),
            Some(self.count.min(COUNT_CLASSES - 1)),
            Style::ALL.iter().position(|s| *s == self.style),
            self.made.map(usize::from),
        ]
    }
}

/// The judge's reading of some clips.
#[derive(Debug, Clone)]
pub struct Verdicts {
    /// Per clip, the predicted class of each head.
    pub predicted: Vec<[usize; 5]>,
    /// Per clip, the feature vector.
    pub features: Vec<Vec<f32>>,
}

impl Verdicts {
    /// Per head: `(right, labelled)` against `truths`.
    pub fn score(&self, truths: &[Truth]) -> [(usize, usize); 5] {
        let mut out = [(0, 0); 5];
        for (p, t) in self.predicted.iter().zip(truths) {
            for (h, label) in t.labels().iter().enumerate() {
                if let Some(label) = label {
                    out[h].1 += 1;
                    out[h].0 += usize::from(p[h] == *label);
                }
            }
        }
        out
    }
}

/// Runs the judge on `input` (`[clips, ...]`, see [`judge_input`]) in chunks of 16.
pub fn judge(model: &Judge, input: Tensor<5>) -> anyhow::Result<Verdicts> {
    let [n, ..] = input.dims();
    let mut verdicts = Verdicts { predicted: Vec::with_capacity(n), features: Vec::with_capacity(n) };
    for start in (0..n).step_by(16) {
        let len = 16.min(n - start);
        let out = model.forward(input.clone().narrow(0, start, len));
        let [_, f] = out.features.dims();
        let features = to_vec(out.features)?;
        verdicts.features.extend(features.chunks(f).map(<[f32]>::to_vec));
        let heads: Vec<(usize, Vec<f32>)> = out.logits.into_iter().map(|l| Ok((l.dims()[1], to_vec(l)?))).collect::<anyhow::Result<_>>()?;
        for i in 0..len {
            let mut p = [0; 5];
            for (h, (classes, values)) in heads.iter().enumerate() {
                p[h] = argmax(&values[i * classes..(i + 1) * classes]);
            }
            verdicts.predicted.push(p);
        }
    }
    Ok(verdicts)
}

fn to_vec<const D: usize>(x: Tensor<D>) -> anyhow::Result<Vec<f32>> {
    x.try_into_vec_as::<f32>().map_err(|e| anyhow::anyhow!("reading a tensor: {e:?}"))
}

/// Index of the largest value (the first on ties; 0 for an empty slice).
pub fn argmax(values: &[f32]) -> usize {
    values.iter().enumerate().fold((0, f32::NEG_INFINITY), |(bi, bv), (i, &v)| if v > bv { (i, v) } else { (bi, bv) }).0
}

/// Cross-entropy of `logits` (`[batch, classes]`) against `labels`, averaged over the labelled
/// clips (`None` is masked out); `None` when no clip is labelled.
fn masked_cross_entropy(logits: Tensor<2>, labels: &[Option<usize>], device: &Device) -> Option<Tensor<1>> {
    let [b, classes] = logits.dims();
    let labelled = labels.iter().flatten().count();
    if labelled == 0 {
        return None;
    }
    let mut onehot = vec![0.0f32; b * classes];
    for (i, label) in labels.iter().enumerate() {
        if let Some(c) = label {
            onehot[i * classes + c] = 1.0 / labelled as f32;
        }
    }
    let weights = Tensor::<2>::from_data(TensorData::new(onehot, [b, classes]), device);
    Some((log_softmax(logits, 1) * weights).sum().neg())
}

/// Trains the judge (see the module docs).
pub struct JudgeTask {
    pub config: JudgeConfig,
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
        let out = model.forward(clips_input(clips, device)?);
        let mut total: Option<Tensor<1>> = None;
        let mut right = 0usize;
        let mut labelled = 0usize;
        for (h, logits) in out.logits.into_iter().enumerate() {
            let labels: Vec<Option<usize>> = truths.iter().map(|t| t.labels()[h]).collect();
            let classes = logits.dims()[1];
            let values = to_vec(logits.clone())?;
            for (i, label) in labels.iter().enumerate() {
                if let Some(label) = label {
                    labelled += 1;
                    right += usize::from(argmax(&values[i * classes..(i + 1) * classes]) == *label);
                }
            }
            if let Some(loss) = masked_cross_entropy(logits, &labels, device) {
                total = Some(match total {
                    Some(t) => t + loss,
                    None => loss,
                });
            }
        }
        let total = total.context("no labelled head in the batch")?;
        Ok((total, vec![("acc", right as f64 / labelled.max(1) as f64)]))
    }

    fn evaluate(&self, model: &Judge, clips: &[Clip], device: &Device, _out: &Path, _step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let truths: Vec<Truth> = clips.iter().map(Truth::of_clip).collect();
        let scores = judge(model, clips_input(clips, device)?)?.score(&truths);
        let mut metrics: Vec<(String, f64)> =
            HEADS.iter().zip(scores).filter(|(_, (_, n))| *n > 0).map(|(name, (right, n))| (format!("{name}_acc"), right as f64 / n as f64)).collect();
        let (right, n) = scores.iter().fold((0, 0), |(r, n), s| (r + s.0, n + s.1));
        metrics.push(("mean_acc".into(), right as f64 / n.max(1) as f64));
        Ok(metrics)
    }
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
        serde_json::from_slice(&std::fs::read(&config_path)?).with_context(|| format!("parsing {}", config_path.display()))?
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
        let (a, b) = (to_vec(model.forward(input.clone()).features).expect("a"), to_vec(loaded.forward(input).features).expect("b"));
        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
        let scale = a.iter().map(|x| x.abs()).fold(0.0f32, f32::max);
        assert!(worst <= 0.01 * scale + 1e-3, "half precision moved a feature by {worst} (largest {scale})");
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
            let hoop = clip.labels.outcomes.iter().any(Option::is_some);
            assert_eq!(t.made.is_some(), hoop, "seed {seed}");
        }
    }

    #[test]
    fn masked_cross_entropy_skips_unlabelled_clips() {
        let device = Device::flex();
        let logits = Tensor::<2>::from_data(TensorData::new(vec![0.0f32, 0.0, 5.0, -5.0], [2, 2]), &device);
        let loss = masked_cross_entropy(logits.clone(), &[Some(0), None], &device).expect("one label");
        assert!((loss.into_scalar::<f32>() - std::f32::consts::LN_2).abs() < 1e-5);
        assert!(masked_cross_entropy(logits, &[None, None], &device).is_none());
    }
}
