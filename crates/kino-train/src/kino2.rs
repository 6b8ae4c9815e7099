//! `kino-train kino2`: kino-2's pixel-space generator ([`kino_model::kino2`]) on clips of a
//! curriculum stage (`--distribution models/kino-2/curriculum/stage-N.json`), conditioned on
//! each clip's slots as the world filled them. Sound trains beside the picture in kino-1's
//! (frozen) audio latents with a weight that leaves the video most of the gradient.
//!
//! Slot dropout: the whole prompt is dropped for `--drop-all` of the clips (classifier-free
//! guidance's unconditional branch), and each attribute on its own for the rest, kind and colour
//! at `--drop-named`, the others at `--drop-detail` (a short prompt names few of them), so
//! guidance works per attribute and an unnamed slot is drawn from what is usual.
//!
//! `--object-weight W` weighs the pixels inside the world's labelled objects `1 + W` times:
//! even framed on its subject, an object is a few percent of a frame's pixels.
//!
//! Held-out metrics (fixed noise, the stage's distribution): the loss at t = 0.25, 0.5, 0.75
//! (`loss`) and over the object pixels alone (`object_loss`, and at t = 0.25 alone,
//! `object_loss_t25`: there the noisy clip shows the object plainly); the slot gain (that loss with
//! nothing asked minus with the slots: how much the model reads them); the colour gain (the
//! object pixels' loss under slots with every object's colour changed minus under the true
//! ones, at t = 0.5, 0.75, 0.95: near 0, the model draws an object's colour without reading the
//! colour slot), the kind gain (the same with every object's kind changed, [`rekinded`], at
//! t = 0.25, 0.5, 0.75 and their mean: near 0, the kind slot does not shape the object), the binding probe ([`binding_probe`]: which colour comes out of a clip denoised
//! from t = 0.7 under its own slots, `probe_colour_kept`, and under another colour's,
//! `probe_colour_taken`), a contact sheet of two held-out clips' slots sampled, above their
//! renders, and a denoising sheet ([`write_denoised`]).

use std::cell::{Cell, OnceCell};
use std::path::{Path, PathBuf};

use anyhow::Context;
use burn::tensor::{Device, Tensor, TensorData};
use kino_core::scene::{Colour, ObjectKind};
use kino_core::slots::ClipSlots;
use kino_model::audio_vae::{AudioVae, AudioVaeConfig};
use kino_model::dit::JointLatents;
use kino_model::flow::{self, Sampler};
use kino_model::kino2::denoise::{self, SlotGuided};
use kino_model::kino2::slots::SlotTensors;
use kino_model::kino2::{Kino2, Kino2Config};
use kino_world::Clip;
use kino_world::rng::Rng;
use kino_world::sample::Distribution;
use serde::{Deserialize, Serialize};

use crate::adherence::colour::{Palette, calibration_clips, read_colour};
use crate::checkpoint::load_part;
use crate::data::{audio_waves, frames_of, video_tensor};
use crate::train_loop::Task;

#[derive(Debug, Clone, clap::Args)]
pub struct Kino2Args {
    /// The audio autoencoder whose latents the sound is generated in (kino-1's, frozen): a
    /// released model folder or a checkpoint.
    #[arg(long, default_value = "models/kino-1-teacher")]
    pub audio: PathBuf,
    /// Chance that a clip's whole prompt is dropped.
    #[arg(long, default_value_t = 0.1)]
    pub drop_all: f64,
    /// Chance that an object's kind, or its colour, is dropped on its own.
    #[arg(long, default_value_t = 0.1)]
    pub drop_named: f64,
    /// Chance that each other attribute (size, material, motion, setting, style, framing,
    /// floor, shots) is dropped on its own.
    #[arg(long, default_value_t = 0.3)]
    pub drop_detail: f64,
    /// How much more the loss weighs the pixels inside labelled objects (0: all alike).
    #[arg(long, default_value_t = 2.0)]
    pub object_weight: f64,
    /// Weight of the kind contrast (0: none): for up to half of a batch's clips, those whose
    /// kind was asked and whose time lies in [`KIND_CONTRAST_TIMES`], the object pixels are
    /// predicted again under another kind ([`rekinded`]), and the loss adds how far that error
    /// falls short of the true kind's plus `--kind-margin`. A kind changes a few pixels of a
    /// silhouette, so plain denoising gives the kind slot almost no gradient (held-out kind gain
    /// 0.002 after 17 848 clips, colour's 0.036).
    #[arg(long, default_value_t = 0.0)]
    pub kind_contrast: f64,
    /// The object-pixel error the wrong kind's prediction must exceed the true kind's by.
    #[arg(long, default_value_t = 0.05)]
    pub kind_margin: f64,
    /// Weight of the audio loss beside the video's.
    #[arg(long, default_value_t = 0.25)]
    pub audio_weight: f64,
    /// Mean of the logit-normal training times; above 0 trains more on noisy times, where the
    /// slots are most of what the model can go on.
    #[arg(long, default_value_t = 0.8)]
    pub time_mean: f64,
    /// The time the loss's velocity error divides by is floored here
    /// ([`denoise::velocity_errors`]): the noisy times, where layout and colour are decided,
    /// then weigh more against the last details.
    #[arg(long, default_value_t = 0.3)]
    pub loss_floor: f64,
    /// The generator's size: `base` (8 blocks of 256) or `small` (6 blocks of 192).
    #[arg(long, default_value = "base")]
    pub size: String,
    /// The pixel head also sees the noisy clip and the time (its new convolution starts at zero,
    /// so `--init` weights without it carry over unchanged).
    #[arg(long)]
    pub head_sees_noisy: bool,
}

impl Default for Kino2Args {
    /// The flags' defaults, as `kino-train kino2` without them.
    fn default() -> Self {
        #[derive(clap::Parser)]
        struct Flags {
            #[command(flatten)]
            args: Kino2Args,
        }
        <Flags as clap::Parser>::parse_from(["kino2"]).args
    }
}

/// What a checkpoint records: a run resumes only with the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kino2TrainConfig {
    pub model: Kino2Config,
    /// Multiplies the audio autoencoder's latent mean (kino-1's scale).
    pub audio_scale: f64,
    pub audio_weight: f64,
    pub object_weight: f64,
    pub time_mean: f64,
    pub loss_floor: f64,
    /// `--kind-contrast` (0 in checkpoints written before it existed).
    #[serde(default)]
    pub kind_contrast: f64,
    #[serde(default)]
    pub kind_margin: f64,
}

/// Times at which the kind contrast applies: noisier, the object's place is still open and its
/// shape moot; cleaner, the noisy clip already shows the shape and the slot should not fight it.
pub const KIND_CONTRAST_TIMES: std::ops::RangeInclusive<f32> = 0.25..=0.9;

/// kino-1's audio latent scale, which kino-2 keeps with kino-1's audio autoencoder.
pub const AUDIO_SCALE: f64 = 0.7;

/// The generator of size `name`.
pub fn model_config(name: &str) -> anyhow::Result<Kino2Config> {
    match name {
        "base" => Ok(Kino2Config::base_64()),
        "small" => Ok(Kino2Config { width: 192, depth: 6, heads: 3, ..Kino2Config::base_64() }),
        other => anyhow::bail!("unknown --size `{other}`: use base or small"),
    }
}

pub struct Kino2Task {
    config: Kino2TrainConfig,
    /// How the world draws each colour in each style, measured once for the binding probe.
    palette: OnceCell<Palette>,
    audio: AudioVae,
    drop: [f64; 3],
    /// Training steps so far in this process (seeds the slot dropout with the clip's seed).
    steps: Cell<u64>,
    plain: Device,
}

impl Kino2Task {
    pub fn new(args: &Kino2Args, plain: &Device) -> anyhow::Result<Self> {
        for (flag, p) in [("--drop-all", args.drop_all), ("--drop-named", args.drop_named), ("--drop-detail", args.drop_detail)] {
            anyhow::ensure!((0.0..=1.0).contains(&p), "{flag} is a chance, from 0 to 1, not {p}");
        }
        anyhow::ensure!(args.object_weight.is_finite() && args.object_weight >= 0.0, "--object-weight must be 0 or more, not {}", args.object_weight);
        anyhow::ensure!(args.audio_weight.is_finite() && args.audio_weight >= 0.0, "--audio-weight must be 0 or more, not {}", args.audio_weight);
        anyhow::ensure!(args.kind_contrast.is_finite() && args.kind_contrast >= 0.0, "--kind-contrast must be 0 or more, not {}", args.kind_contrast);
        anyhow::ensure!(args.kind_margin.is_finite() && args.kind_margin >= 0.0, "--kind-margin must be 0 or more, not {}", args.kind_margin);
        anyhow::ensure!(args.time_mean.is_finite(), "--time-mean must be a number, not {}", args.time_mean);
        anyhow::ensure!((0.0..1.0).contains(&args.loss_floor), "--loss-floor must be a time from 0 up to 1, not {}", args.loss_floor);
        let model = Kino2Config { head_sees_noisy: args.head_sees_noisy, ..model_config(&args.size)? };
        model.check().map_err(anyhow::Error::msg)?;
        let audio = load_part(AudioVaeConfig::audio_64().init(plain), &args.audio, kino_model::pipeline::AUDIO_VAE_FILE)
            .context("kino-1's audio autoencoder (models/kino-1-teacher)")?;
        Ok(Kino2Task {
            config: Kino2TrainConfig {
                model,
                audio_scale: AUDIO_SCALE,
                audio_weight: args.audio_weight,
                object_weight: args.object_weight,
                time_mean: args.time_mean,
                loss_floor: args.loss_floor,
                kind_contrast: args.kind_contrast,
                kind_margin: args.kind_margin,
            },
            audio,
            palette: OnceCell::new(),
            drop: [args.drop_all, args.drop_named, args.drop_detail],
            steps: Cell::new(0),
            plain: plain.clone(),
        })
    }

    /// The colour measurement's palette, measured on the world's renders at first use.
    fn palette(&self) -> &Palette {
        self.palette.get_or_init(|| Palette::measure(&calibration_clips()))
    }

    /// Clean clips and audio latents on `device`.
    fn clean(&self, clips: &[Clip], device: &Device) -> anyhow::Result<JointLatents> {
        let audio = self.audio.encode(self.audio.spectrogram(&audio_waves(clips), &self.plain)?)?.mean.mul_scalar(self.config.audio_scale);
        let audio = if device.is_autodiff() { audio.autodiff() } else { audio };
        Ok(JointLatents { video: video_tensor(clips, device), audio })
    }

    /// Every clip's slots with training's dropout (a fixed draw per clip seed and step).
    fn dropped_slots(&self, clips: &[Clip]) -> Vec<ClipSlots> {
        let step = self.steps.get();
        clips.iter().map(|c| drop_slots(&c.slots, &mut Rng::stream(c.scene.seed ^ step.rotate_left(40), "slot-dropout"), self.drop)).collect()
    }
}

/// The kind contrast's hinge (`--kind-contrast`), or `None` when no clip of the batch takes
/// part: the mean over the chosen clips of `max(0, margin - (wrong - right))`, where `right`
/// and `wrong` are the object pixels' mean squared velocity error under the asked slots and
/// under [`rekinded`] ones, from the same noisy clip.
///
/// # Shapes
/// - `right_errors`: `[b, 3, f, h, w]` (the training loss's, under `asked`); `inside`:
///   `[b, 1, f, h, w]`; `t`: `[b]`; returns `[1]`
#[allow(clippy::too_many_arguments)]
pub fn kind_hinge(
    model: &Kino2,
    x0: &JointLatents,
    noise: &JointLatents,
    t: &Tensor<1>,
    asked: &[ClipSlots],
    right_errors: &Tensor<5>,
    inside: &Tensor<5>,
    margin: f64,
    loss_floor: f64,
) -> anyhow::Result<Option<Tensor<1>>> {
    let times: Vec<f32> = t.clone().into_data().convert::<f32>().try_to_vec().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let chosen: Vec<usize> = (0..asked.len())
        .filter(|&i| KIND_CONTRAST_TIMES.contains(&times[i]) && asked[i].objects.first().is_some_and(|o| o.kind.is_some()))
        .take(asked.len() / 2)
        .collect();
    if chosen.is_empty() {
        return Ok(None);
    }
    let device = x0.video.device();
    let k = chosen.len();
    let index = Tensor::<1, burn::tensor::Int>::from_data(TensorData::new(chosen.iter().map(|&i| i as i64).collect::<Vec<_>>(), [k]), &device);
    let pick = |x: &JointLatents| JointLatents { video: x.video.clone().select(0, index.clone()), audio: x.audio.clone().select(0, index.clone()) };
    let wrong_slots = SlotTensors::new(&chosen.iter().map(|&i| rekinded(&asked[i])).collect::<Vec<_>>(), &device);
    let wrong = denoise::velocity_errors(model, &pick(x0), &pick(noise), t.clone().select(0, index.clone()), &wrong_slots, loss_floor)?;
    let inside = inside.clone().select(0, index.clone());
    // Mean over each clip's object values: [k].
    let [_, _, f, h, w] = inside.dims();
    let per_clip = |errors: Tensor<5>| -> Tensor<1> {
        let count = inside.clone().reshape([k, f * h * w]).sum_dim(1).mul_scalar(3.0).clamp_min(1.0);
        ((errors * inside.clone()).reshape([k, 3 * f * h * w]).sum_dim(1) / count).reshape([k])
    };
    let right = per_clip(right_errors.clone().select(0, index));
    let shortfall = (right - per_clip(wrong.video)).add_scalar(margin).clamp_min(0.0);
    Ok(Some(shortfall.mean()))
}

/// `slots` with the whole prompt dropped at `drop[0]`, each object's kind and colour at
/// `drop[1]`, and every other attribute at `drop[2]`.
pub fn drop_slots(slots: &ClipSlots, rng: &mut Rng, [all, named, detail]: [f64; 3]) -> ClipSlots {
    if rng.chance(all as f32) {
        return ClipSlots::default();
    }
    let mut keep = |p: f64| !rng.chance(p as f32);
    let mut out = slots.clone();
    for o in &mut out.objects {
        o.kind = o.kind.filter(|_| keep(named));
        o.colour = o.colour.filter(|_| keep(named));
        o.size = o.size.filter(|_| keep(detail));
        o.material = o.material.filter(|_| keep(detail));
        o.motion = o.motion.filter(|_| keep(detail));
    }
    out.setting = out.setting.filter(|_| keep(detail));
    out.style = out.style.filter(|_| keep(detail));
    out.framing = out.framing.filter(|_| keep(detail));
    out.floor = out.floor.filter(|_| keep(detail));
    out.shots = out.shots.filter(|_| keep(detail));
    out
}

/// `slots` with every object's colour moved five places along [`Colour::ALL`]: a prompt the
/// clip does not answer, for the colour gain.
pub fn recoloured(slots: &ClipSlots) -> ClipSlots {
    let mut out = slots.clone();
    for o in &mut out.objects {
        o.colour = o.colour.map(|c| Colour::ALL[(Colour::ALL.iter().position(|a| *a == c).unwrap_or(0) + 5) % Colour::ALL.len()]);
    }
    out
}

/// `slots` with every object's kind moved one place along the world's lone-object kinds (ball,
/// basketball, cube, rubber duck): a prompt the clip's shape does not answer, for the kind gain.
/// Characters keep their kind (a character is not a recoloured or reshaped object).
pub fn rekinded(slots: &ClipSlots) -> ClipSlots {
    const SHAPES: [ObjectKind; 4] = [ObjectKind::Ball, ObjectKind::Basketball, ObjectKind::Cube, ObjectKind::RubberDuck];
    let mut out = slots.clone();
    for o in &mut out.objects {
        o.kind = o.kind.map(|k| SHAPES.iter().position(|a| *a == k).map_or(k, |i| SHAPES[(i + 1) % SHAPES.len()]));
    }
    out
}

/// 1 on the pixels inside the labelled objects' boxes of each frame, 0 elsewhere.
///
/// # Shapes
/// - returns `[clips, 1, frames, height, width]`
pub fn object_pixels(clips: &[Clip], [frames, height, width]: [usize; 3], device: &Device) -> Tensor<5> {
    let mut data = vec![0.0f32; clips.len() * frames * height * width];
    for (c, clip) in clips.iter().enumerate() {
        for (f, label) in clip.labels.frames.iter().enumerate().take(frames) {
            let plane = &mut data[(c * frames + f) * height * width..(c * frames + f + 1) * height * width];
            for b in label.objects.iter().filter(|b| b.visible) {
                let (x0, y0) = (b.bbox[0].floor().max(0.0) as usize, b.bbox[1].floor().max(0.0) as usize);
                let (x1, y1) = ((b.bbox[2].ceil() as usize).min(width), (b.bbox[3].ceil() as usize).min(height));
                for y in y0..y1 {
                    plane[y * width + x0..y * width + x1.max(x0)].fill(1.0);
                }
            }
        }
    }
    Tensor::from_data(TensorData::new(data, [clips.len(), 1, frames, height, width]), device)
}

impl Task for Kino2Task {
    type Config = Kino2TrainConfig;
    type Model = Kino2;
    const NAME: &'static str = "kino2";
    const RELEASE_FILE: &'static str = kino_model::pipeline::GENERATOR_FILE;

    fn config(&self) -> &Kino2TrainConfig {
        &self.config
    }

    fn init(&self, device: &Device) -> Kino2 {
        self.config.model.init(device)
    }

    fn world(&self) -> Distribution {
        Distribution::default()
    }

    fn held_out_from_training(&self) -> bool {
        true
    }

    fn loss(&self, model: &Kino2, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let x0 = self.clean(clips, device)?;
        let asked = self.dropped_slots(clips);
        let slots = SlotTensors::new(&asked, device);
        self.steps.set(self.steps.get() + 1);
        let t = flow::sample_times(clips.len(), self.config.time_mean, device);
        let noise = x0.noise_like();
        let errors = denoise::velocity_errors(model, &x0, &noise, t.clone(), &slots, self.config.loss_floor)?;
        let [_, _, f, h, w] = x0.video.dims();
        let inside = object_pixels(clips, [f, h, w], device);
        let contrast = if self.config.kind_contrast > 0.0 {
            kind_hinge(model, &x0, &noise, &t, &asked, &errors.video, &inside, self.config.kind_margin, self.config.loss_floor)?
        } else {
            None
        };
        let weights = flow::marked_weights(inside, self.config.object_weight);
        let loss = flow::FlowLoss::of(errors, self.config.audio_weight, Some(weights));
        let mut shown = vec![("video", f64::from(loss.video.clone().into_scalar::<f32>())), ("audio", f64::from(loss.audio.clone().into_scalar::<f32>()))];
        let total = match contrast {
            Some(hinge) => {
                shown.push(("kind_hinge", f64::from(hinge.clone().into_scalar::<f32>())));
                loss.loss + hinge.mul_scalar(self.config.kind_contrast)
            }
            None => loss.loss,
        };
        Ok((total, shown))
    }

    fn evaluate(&self, model: &Kino2, clips: &[Clip], device: &Device, out: &Path, step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let x0 = self.clean(clips, device)?;
        let b = clips.len();
        let truth: Vec<ClipSlots> = clips.iter().map(|c| c.slots.clone()).collect();
        let asked = SlotTensors::new(&truth, device);
        let nothing = SlotTensors::unconditional(b, device);
        let miscoloured = SlotTensors::new(&truth.iter().map(recoloured).collect::<Vec<_>>(), device);
        let reshaped = SlotTensors::new(&truth.iter().map(rekinded).collect::<Vec<_>>(), device);
        let noise =
            JointLatents { video: kino_model::noise::gaussian(x0.video.dims(), 7, device), audio: kino_model::noise::gaussian(x0.audio.dims(), 8, device) };
        let [_, _, f, h, w] = x0.video.dims();
        let inside = object_pixels(clips, [f, h, w], device);
        let inside_count = f64::from(inside.clone().sum().into_scalar::<f32>()).max(1.0) * 3.0;
        // The mean error over all values, and the video's over the object pixels alone.
        let loss_at = |t: f64, slots: &SlotTensors| -> anyhow::Result<[f64; 2]> {
            let errors = denoise::velocity_errors(model, &x0, &noise, Tensor::<1>::full([b], t, device), slots, self.config.loss_floor)?;
            let objects = f64::from((errors.video.clone() * inside.clone()).sum().into_scalar::<f32>()) / inside_count;
            let all = flow::FlowLoss::of(errors, self.config.audio_weight, None).loss.into_scalar::<f32>();
            Ok([f64::from(all), objects])
        };
        // Under the asked slots at every time read below, once: the loss and the kind gain
        // read the first three times, the colour gain the last three.
        let times = [0.25, 0.5, 0.75, 0.95];
        let mut asked_at = [[0.0; 2]; 4];
        for (l, t) in asked_at.iter_mut().zip(times) {
            *l = loss_at(t, &asked)?;
        }
        let (mut loss, mut unasked) = ([0.0; 2], [0.0; 2]);
        for (l, t) in asked_at.iter().zip(times).take(3) {
            for (sum, l) in [(&mut loss, *l), (&mut unasked, loss_at(t, &nothing)?)] {
                sum[0] += l[0] / 3.0;
                sum[1] += l[1] / 3.0;
            }
        }
        let mut colour_gain = 0.0;
        for (l, t) in asked_at.iter().zip(times).skip(1) {
            colour_gain += (loss_at(t, &miscoloured)?[1] - l[1]) / 3.0;
        }
        // A shape is decided later than a colour: the kind gain is read at the middle times.
        let mut kind_gain = [0.0; 3];
        for ((gain, l), t) in kind_gain.iter_mut().zip(&asked_at).zip(times) {
            *gain = loss_at(t, &reshaped)?[1] - l[1];
        }
        write_samples(model, clips, &x0, device, &out.join(format!("samples-{step:06}.png")))?;
        write_denoised(model, clips, &x0, &noise, device, &out.join(format!("denoised-{step:06}.png")))?;
        let [kept, taken] = binding_probe(model, clips, &x0, self.palette(), device)?;
        Ok(vec![
            ("probe_colour_kept".into(), kept),
            ("probe_colour_taken".into(), taken),
            ("loss".into(), loss[0]),
            ("object_loss".into(), loss[1]),
            // The least noisy time alone: where the noisy clip already shows the object, so a
            // model that follows it draws the object where it is (the denoising sheet's ghost).
            ("object_loss_t25".into(), asked_at[0][1]),
            ("slot_gain".into(), unasked[0] - loss[0]),
            ("object_slot_gain".into(), unasked[1] - loss[1]),
            ("object_colour_gain".into(), colour_gain),
            ("object_kind_gain".into(), kind_gain.iter().sum::<f64>() / 3.0),
            ("object_kind_gain_t25".into(), kind_gain[0]),
            ("object_kind_gain_t50".into(), kind_gain[1]),
            ("object_kind_gain_t75".into(), kind_gain[2]),
        ])
    }
}

/// The noise time the binding probe denoises from: the clip's layout still shows, its colours
/// barely.
pub const PROBE_FROM: f64 = 0.7;

/// The binding probe: each clip noised to [`PROBE_FROM`] and denoised (Euler, 8 steps, guided)
/// under its own slots and under slots whose colours are changed ([`recoloured`]); the colour
/// measurement then reads each result. Returns the share of the first read as the clip's colour
/// (the picture kept) and of the second read as the asked colour (the slot was obeyed).
pub fn binding_probe(model: &Kino2, clips: &[Clip], x0: &JointLatents, palette: &Palette, device: &Device) -> anyhow::Result<[f64; 2]> {
    let b = clips.len();
    let truth: Vec<ClipSlots> = clips.iter().map(|c| c.slots.clone()).collect();
    let swapped: Vec<ClipSlots> = truth.iter().map(recoloured).collect();
    let both = |x: &Tensor<5>| Tensor::cat(vec![x.clone(), x.clone()], 0);
    let clean = JointLatents { video: both(&x0.video), audio: Tensor::cat(vec![x0.audio.clone(), x0.audio.clone()], 0) };
    let noise =
        JointLatents { video: kino_model::noise::gaussian(clean.video.dims(), 21, device), audio: kino_model::noise::gaussian(clean.audio.dims(), 22, device) };
    let start = flow::noised(&clean, &noise, &Tensor::<1>::full([2 * b], PROBE_FROM, device));
    let asked: Vec<ClipSlots> = truth.iter().chain(&swapped).cloned().collect();
    let field =
        SlotGuided { model, slots: SlotTensors::new(&asked, device), unconditional: SlotTensors::unconditional(2 * b, device), scale: 3.0, window: [0.1, 0.9] };
    let made = flow::sample(&field, start, &flow::schedule(8, PROBE_FROM, 1.0), Sampler::Euler, 0, |_| {})?;
    let video = made.video.clamp(-1.0, 1.0);
    let (mut kept, mut taken, mut counted) = (0, 0, 0);
    for (i, clip) in clips.iter().enumerate() {
        let (Some(true_colour), Some(asked_colour)) = (truth[i].objects.first().and_then(|o| o.colour), swapped[i].objects.first().and_then(|o| o.colour))
        else {
            continue;
        };
        let read = |k: usize| -> anyhow::Result<Option<Colour>> {
            let frames = frames_of(&video, k)?;
            let rgb: Vec<&[u8]> = frames.iter().map(|f| f.rgb.as_slice()).collect();
            Ok(read_colour(&rgb, f_width(&frames), f_height(&frames), clip.scene.style, palette).colour)
        };
        counted += 1;
        kept += usize::from(read(i)? == Some(true_colour));
        taken += usize::from(read(b + i)? == Some(asked_colour));
    }
    let n = counted.max(1) as f64;
    Ok([kept as f64 / n, taken as f64 / n])
}

fn f_width(frames: &[kino_world::Frame]) -> usize {
    frames.first().map_or(0, |f| f.width as usize)
}

fn f_height(frames: &[kino_world::Frame]) -> usize {
    frames.first().map_or(0, |f| f.height as usize)
}

/// Times at which [`write_denoised`] shows the clean prediction.
pub const DENOISED_AT: [f64; 4] = [0.3, 0.5, 0.7, 0.9];

/// What one step of denoising makes of the first two held-out clips: per clip the world's
/// render, then the clean prediction from it noised to each of [`DENOISED_AT`] (asked slots, no
/// guidance), every other frame. A sample can only commit to a ball if the middle times already
/// draw one where the noisy clip shows it; a blob there is the model's, not the sampler's.
fn write_denoised(model: &Kino2, clips: &[Clip], x0: &JointLatents, noise: &JointLatents, device: &Device, path: &Path) -> anyhow::Result<()> {
    let n = clips.len().min(2);
    let first = |x: &JointLatents| JointLatents { video: x.video.clone().narrow(0, 0, n), audio: x.audio.clone().narrow(0, 0, n) };
    let (x0, noise) = (first(x0), first(noise));
    let slots = SlotTensors::new(&clips[..n].iter().map(|c| c.slots.clone()).collect::<Vec<_>>(), device);
    let mut rows = vec![Vec::new(); n * (1 + DENOISED_AT.len())];
    for (i, clip) in clips[..n].iter().enumerate() {
        rows[i * (1 + DENOISED_AT.len())] = clip.frames.iter().step_by(2).cloned().collect();
    }
    for (k, t) in DENOISED_AT.into_iter().enumerate() {
        let times = Tensor::<1>::full([n], t, device);
        let clean = model.forward(&flow::noised(&x0, &noise, &times), times, &slots)?.video.clamp(-1.0, 1.0);
        for i in 0..n {
            rows[i * (1 + DENOISED_AT.len()) + 1 + k] = frames_of(&clean, i)?.into_iter().step_by(2).collect();
        }
    }
    let cols = rows[0].len();
    let sheet = kino_world::output::contact_sheet(&rows.concat(), cols);
    std::fs::write(path, kino_world::output::png_bytes(&sheet, path)?).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Samples for the first two held-out clips' slots (re-noised, 16 steps, guidance 3 between
/// t = 0.1 and 0.9: kino-2's defaults), every other frame, each above the world's render.
fn write_samples(model: &Kino2, clips: &[Clip], x0: &JointLatents, device: &Device, path: &Path) -> anyhow::Result<()> {
    let n = clips.len().min(2);
    let slots: Vec<ClipSlots> = clips[..n].iter().map(|c| c.slots.clone()).collect();
    let start = JointLatents {
        video: kino_model::noise::gaussian([n, x0.video.dims()[1], x0.video.dims()[2], x0.video.dims()[3], x0.video.dims()[4]], 11, device),
        audio: kino_model::noise::gaussian([n, x0.audio.dims()[1], x0.audio.dims()[2]], 12, device),
    };
    let field =
        SlotGuided { model, slots: SlotTensors::new(&slots, device), unconditional: SlotTensors::unconditional(n, device), scale: 3.0, window: [0.1, 0.9] };
    let made = flow::sample(&field, start, &flow::schedule(16, 1.0, 1.0), Sampler::Ancestral, 13, |_| {})?;
    let video = made.video.clamp(-1.0, 1.0);
    let mut rows = Vec::new();
    for i in 0..n {
        rows.push(frames_of(&video, i)?.into_iter().step_by(2).collect::<Vec<_>>());
        rows.push(clips[i].frames.iter().step_by(2).cloned().collect());
    }
    let cols = rows[0].len();
    let sheet = kino_world::output::contact_sheet(&rows.concat(), cols);
    std::fs::write(path, kino_world::output::png_bytes(&sheet, path)?).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use kino_core::slots::ObjectSlot;

    use super::*;

    /// `b` random clips (silent) of the tiny generator's size.
    fn tiny_clips(b: usize, device: &Device) -> JointLatents {
        let [c, f, h, w] = Kino2Config::tiny().video;
        let [ac, af] = Kino2Config::tiny().audio_latent;
        JointLatents {
            video: Tensor::random([b, c, f, h, w], burn::tensor::Distribution::Uniform(-1.0, 1.0), device),
            audio: Tensor::zeros([b, ac, af], device),
        }
    }

    #[test]
    fn dropout_drops_each_attribute_near_its_rate() {
        let slots = ClipSlots {
            objects: vec![ObjectSlot { size: Some(kino_core::scene::Size::Large), ..ObjectSlot::new(ObjectKind::Ball, Colour::Red) }],
            style: Some(kino_core::scene::Style::PixelArt),
            ..ClipSlots::default()
        };
        let mut rng = Rng::new(5);
        let draws: Vec<ClipSlots> = (0..4000).map(|_| drop_slots(&slots, &mut rng, [0.1, 0.2, 0.4])).collect();
        let share = |f: &dyn Fn(&ClipSlots) -> bool| draws.iter().filter(|s| f(s)).count() as f64 / draws.len() as f64;
        let all = share(&|s| s.objects.is_empty());
        assert!((all - 0.1).abs() < 0.02, "{all}");
        // Of the rest, the colour stays 80% of the time and the size 60%.
        let colour = share(&|s| s.objects.first().is_some_and(|o| o.colour.is_some()));
        assert!((colour - 0.9 * 0.8).abs() < 0.03, "{colour}");
        let size = share(&|s| s.objects.first().is_some_and(|o| o.size.is_some()));
        assert!((size - 0.9 * 0.6).abs() < 0.03, "{size}");
        // Attributes never asked stay unasked.
        assert!(draws.iter().all(|s| s.setting.is_none()));
    }

    #[test]
    fn rekinded_gives_every_lone_shape_another_kind_and_leaves_the_rest() {
        let unnamed = ObjectSlot { kind: None, ..ObjectSlot::new(ObjectKind::Ball, Colour::Blue) };
        let slots = ClipSlots {
            objects: vec![ObjectSlot::new(ObjectKind::RubberDuck, Colour::Red), ObjectSlot::new(ObjectKind::Avatar, Colour::Green), unnamed],
            ..ClipSlots::default()
        };
        let changed = rekinded(&slots);
        assert_eq!(changed.objects[0], ObjectSlot::new(ObjectKind::Ball, Colour::Red));
        assert_eq!(changed.objects[1], slots.objects[1], "a character stays a character");
        assert_eq!(changed.objects[2], unnamed);
        let shapes = [ObjectKind::Ball, ObjectKind::Basketball, ObjectKind::Cube, ObjectKind::RubberDuck];
        for kind in shapes {
            let one = ClipSlots { objects: vec![ObjectSlot::new(kind, Colour::Red)], ..ClipSlots::default() };
            let other = rekinded(&one).objects[0].kind.expect("a kind");
            assert!(other != kind && shapes.contains(&other), "{kind:?} became {other:?}");
        }
    }

    #[test]
    fn a_generator_blind_to_the_kind_pays_the_whole_margin_at_middle_times() {
        let device = Device::flex();
        // Its output layers start at zero: the same prediction whatever the slots say.
        let model = Kino2Config::tiny().init(&device);
        let [_, f, h, w] = Kino2Config::tiny().video;
        let x0 = tiny_clips(4, &device);
        let noise = x0.noise_like();
        let ball = ObjectSlot::new(ObjectKind::Ball, Colour::Red);
        let asked = [
            ClipSlots { objects: vec![ball], ..ClipSlots::default() },
            ClipSlots { objects: vec![ObjectSlot { kind: None, ..ball }], ..ClipSlots::default() },
            ClipSlots { objects: vec![ball], ..ClipSlots::default() },
            ClipSlots { objects: vec![ball], ..ClipSlots::default() },
        ];
        let inside = Tensor::<5>::ones([4, 1, f, h, w], &device);
        let hinge_at = |times: [f32; 4]| {
            let t = Tensor::<1>::from_floats(times, &device);
            let right = denoise::velocity_errors(&model, &x0, &noise, t.clone(), &SlotTensors::new(&asked, &device), 0.3).expect("shapes");
            kind_hinge(&model, &x0, &noise, &t, &asked, &right.video, &inside, 0.05, 0.3).expect("shapes")
        };
        let hinge: f32 = hinge_at([0.5, 0.5, 0.1, 0.95]).expect("the first clip takes part").into_scalar();
        assert!((hinge - 0.05).abs() < 1e-5, "{hinge}");
        // Unnamed kinds, and times outside the contrast's, take no part.
        assert!(hinge_at([0.1, 0.5, 0.1, 0.95]).is_none());
    }

    #[test]
    fn object_pixels_cover_the_labelled_boxes() {
        let clip = crate::data::clip_from(3, &Distribution { objects: [1, 1], avatar: 0.0, ..Distribution::default() }).expect("renders");
        let mask = object_pixels(std::slice::from_ref(&clip), [24, 64, 64], &Device::flex());
        let b = &clip.labels.frames[0].objects[0];
        let area = ((b.bbox[2].ceil() - b.bbox[0].floor()) * (b.bbox[3].ceil() - b.bbox[1].floor())) as f32;
        let first: f32 = mask.narrow(2, 0, 1).sum().into_scalar();
        assert!(b.visible && (first - area).abs() < 1.0, "{first} against {area}");
        assert!(first > 64.0 * 64.0 * 0.02, "a framed subject covers more than 2% of the frame: {first}");
    }

    #[test]
    fn a_tiny_generator_takes_a_training_step_and_samples() {
        let device = Device::flex();
        let model = Kino2Config::tiny().init(&device);
        let [_, f, h, w] = Kino2Config::tiny().video;
        let x0 = tiny_clips(2, &device);
        let slots = SlotTensors::new(
            &[ClipSlots { objects: vec![ObjectSlot::new(ObjectKind::Cube, Colour::Green)], ..ClipSlots::default() }, ClipSlots::default()],
            &device,
        );
        let errors = denoise::velocity_errors(&model, &x0, &x0.noise_like(), Tensor::from_floats([0.3, 0.9], &device), &slots, 0.3).expect("shapes");
        assert_eq!(errors.video.dims(), [2, 3, f, h, w]);
        let field = SlotGuided { model: &model, slots: slots.clone(), unconditional: SlotTensors::unconditional(2, &device), scale: 2.0, window: [0.1, 0.9] };
        let made = flow::sample(&field, x0.noise_like(), &flow::schedule(3, 1.0, 1.0), Sampler::Euler, 0, |_| {}).expect("samples");
        // A generator that starts at zero predicts a clean clip of zeros, reached exactly on the last step.
        assert!(made.video.abs().max().into_scalar::<f32>() < 1e-5);
    }
}
