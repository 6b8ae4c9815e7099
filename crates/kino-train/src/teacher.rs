//! `kino-train teacher`: the diffusion transformer on rectified flow, over the latents of the
//! trained (frozen) video and audio autoencoders, conditioned on MiniLM states of the clip's
//! captions. The prompt is dropped for 10% of the clips so classifier-free guidance works.
//!
//! `--moving-weight` weighs the video loss toward the latent cells that change over the clip,
//! `--object-weight` toward those that hold a labelled object: at 64x64 a ball is about one
//! latent cell, and an unweighted loss is mostly backdrop. (In a shot that follows an object,
//! the backdrop moves and the object stays: there only the labels find it.) `--colour-contrast`
//! adds a hinge that asks the object cells' loss under miscoloured captions to exceed the true
//! captions' by a margin: the plain loss barely rewards reading colour words, since an object
//! is a few cells of hundreds. It applies from `--contrast-from` on: at earlier times the noisy
//! latents still show the colour, and the model can open the gap by doing worse wherever the
//! caption disagrees with what it sees instead of by reading the caption. Nor should it be won
//! by tinting the whole frame in the caption's colour (which also moves the object cells):
//! `--contrast-backdrop W` adds W times the change of the backdrop cells' loss under the
//! miscoloured captions, which a model that colours only the object leaves at 0.
//! `--object-reading W` adds an auxiliary head on the middle block that names each video
//! token's object, kind and colour ([`crate::reading`]), and W times its cross-entropy.
//!
//! Held-out metrics: the (unweighted) flow loss at fixed times (0.25, 0.5, 0.75) and fixed noise,
//! the prompt gain (that loss without the prompt minus with it: how much the model reads the
//! text; also alone at t = 0.95, where the prompt is nearly all there is to go on), the colour
//! gain (the loss under the same captions with the objects' colour words changed, minus the
//! loss under the true ones: near 0, the model draws an object's colour without reading it),
//! the same two losses over the object cells alone (`object_loss`, `object_colour_gain`), how
//! far recolouring the objects moves the clean latents there (`object_colour_signal`, the mean
//! square: a model that read colours could gain about that much, less what the noisy latents
//! already show; one that gains nothing of a large signal is blind to colour words),
//! with a reading head the share of object tokens whose kind and colour it names at t = 0.25
//! (the latents still show them) and at t = 0.75 (only the caption tells the colour),
//! and a contact sheet of one clip sampled (Euler, 20 steps, guidance 3) for a held-out caption.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::path::{Path, PathBuf};

use anyhow::Context;
use burn::tensor::kind::Autodiff;
use burn::tensor::{Bool, Device, Distribution, Tensor};
use kino_core::scene::{Colour, Scene};
use kino_model::audio_vae::{AudioVae, AudioVaeConfig};
use kino_model::dit::{Conditioning, JointLatents, Kino, KinoConfig};
use kino_model::flow::{self, Guided, Sampler};
use kino_model::text::{TextEncoder, TextStates};
use kino_model::video_vae::{VideoVae, VideoVaeConfig};
use kino_world::Clip;
use kino_world::captions::capitalise;
use serde::{Deserialize, Serialize};

use crate::checkpoint::load_part;
use crate::data::{audio_waves, frames_of, video_tensor};
use crate::pool::{LatentPool, POOL_CLIPS};
use crate::reading;
use crate::train_loop::Task;

/// Where the frozen parts come from.
#[derive(Debug, Clone, clap::Args)]
pub struct TeacherArgs {
    /// The trained video autoencoder: a checkpoint folder or a released model folder.
    #[arg(long, default_value = "models/vae")]
    pub vae: PathBuf,
    /// The trained audio autoencoder: a checkpoint folder or a released model folder.
    #[arg(long, default_value = "models/audio")]
    pub audio: PathBuf,
    /// MiniLM folder (from `cargo xtask fetch-models`).
    #[arg(long)]
    pub text_model: Option<PathBuf>,
    /// Chance that a clip's prompt is dropped (for classifier-free guidance).
    #[arg(long, default_value_t = 0.1)]
    pub drop_prompt: f64,
    /// How much more the video loss weighs the latent cells that change over the clip (moving
    /// objects) than the still backdrop (`flow::moving_weights`); 0 weighs all cells alike.
    #[arg(long, default_value_t = 0.0)]
    pub moving_weight: f64,
    /// How much more the video loss weighs the latent cells that hold a labelled object in any of
    /// their frames (`object_cells`) than the rest; 0 weighs all cells alike.
    #[arg(long, default_value_t = 0.0)]
    pub object_weight: f64,
    /// Weight of the colour contrast: a hinge that asks the object cells' loss under captions
    /// with the objects' colours changed to exceed the true captions' by a margin, so the model
    /// must read colour words (each step then costs two passes); 0 leaves it out.
    #[arg(long, default_value_t = 0.0)]
    pub colour_contrast: f64,
    /// The colour contrast applies to clips at noise times from this one on (0 to 1), where
    /// the noisy latents no longer show the objects' colours: only the caption can tell them.
    #[arg(long, default_value_t = 0.7)]
    pub contrast_from: f64,
    /// With the colour contrast: weight of the backdrop cells' loss change under the
    /// miscoloured captions (its absolute value), so that the colour words recolour the object
    /// and not the whole frame; 0 leaves it out.
    #[arg(long, default_value_t = 0.0)]
    pub contrast_backdrop: f64,
    /// Centre of the training times' logit-normal (`flow::sample_times`): above 0 trains more
    /// on noisy times, where the model must read the prompt to know what to draw.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub time_mean: f64,
    /// Weight of the object reading loss (`reading`): an auxiliary head on the middle block
    /// names each video token's object, kind and colour, which at noisy times only the caption
    /// tells; 0 leaves the head out.
    #[arg(long, default_value_t = 0.0)]
    pub object_reading: f64,
    /// Train on each rendered clip this many times on average: each step of `--batch` clips
    /// renders and encodes `--batch / --reuse` fresh ones and draws the rest from the latents of
    /// the last 2048 (new noise, noise time and caption each time). Encoding and rendering then
    /// cost less per step; 1 trains on fresh clips only.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub reuse: u32,
    /// The prompt of the clip sampled at each evaluation (default: the first held-out clip's
    /// first caption).
    #[arg(long)]
    pub sample_prompt: Option<String>,
}

/// How much higher the contrast asks the object cells' loss to be under miscoloured captions.
/// Recolouring the objects moves their clean latents by a mean square of about 0.08 there
/// (`object_colour_signal` on the held-out clips); a model that reads colours can show a gap of
/// that order, less what the noisy latents themselves show of the colour.
const COLOUR_MARGIN: f64 = 0.05;

/// What the teacher's checkpoint records besides the transformer's config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeacherConfig {
    pub model: KinoConfig,
    /// Multiplies the video autoencoder's latent mean to give unit variance.
    pub video_scale: f64,
    /// The same for the audio latents.
    pub audio_scale: f64,
    /// Weight of the audio velocity error in the loss.
    pub audio_weight: f64,
    /// Strength of the video loss's weighting toward moving cells (0: none).
    #[serde(default)]
    pub moving_weight: f64,
    /// Strength of the video loss's weighting toward the labelled objects' cells (0: none).
    #[serde(default)]
    pub object_weight: f64,
    /// Weight of the colour contrast hinge (0: none).
    #[serde(default)]
    pub colour_contrast: f64,
    /// The earliest noise time the contrast applies at (0: all).
    #[serde(default)]
    pub contrast_from: f64,
    /// Weight of the backdrop's loss change under miscoloured captions (0: none).
    #[serde(default)]
    pub contrast_backdrop: f64,
    /// Centre of the training times' logit-normal (0: the middle of the path).
    #[serde(default)]
    pub time_mean: f64,
    /// Weight of the object reading loss (0: no reading head).
    #[serde(default)]
    pub object_reading: f64,
}

pub struct TeacherTask {
    pub config: TeacherConfig,
    vae: VideoVae,
    audio: AudioVae,
    text: TextEncoder,
    drop_prompt: f64,
    sample_prompt: Option<String>,
    counter: Cell<u64>,
    reuse: usize,
    /// Latents of recent clips, drawn again when `reuse` is above 1.
    pool: RefCell<LatentPool>,
    /// `object_colour_signal` of the held-out clips: it depends on them and the autoencoder
    /// alone, so the first evaluation measures it for the whole run.
    colour_signal: OnceCell<f64>,
    /// Where the frozen parts run (the training device, without autodiff).
    plain: Device,
}

/// Refuses a `--reuse` the training options cannot honour: each step renders `batch / reuse`
/// fresh clips, and `--overfit` renders none.
pub fn check_reuse(reuse: usize, batch: usize, overfit: bool) -> anyhow::Result<()> {
    anyhow::ensure!(reuse == 1 || !overfit, "--reuse draws again from freshly rendered clips; --overfit trains on the held-out clips alone: leave out --reuse");
    anyhow::ensure!(batch.is_multiple_of(reuse), "--batch {batch} must be a multiple of --reuse {reuse} (each step renders batch / reuse fresh clips)");
    Ok(())
}

/// `x`, computed by a frozen part on the plain device, on `device`: the same device with
/// autodiff (for a training step) wraps it where it lies instead of copying it through the host.
fn onto<const D: usize, K: Autodiff>(x: Tensor<D, K>, device: &Device) -> Tensor<D, K> {
    if device.is_autodiff() { x.autodiff() } else { x }
}

/// [`onto`] for both latents.
fn latents_onto(x: JointLatents, device: &Device) -> JointLatents {
    JointLatents { video: onto(x.video, device), audio: onto(x.audio, device) }
}

/// Frozen encoders on `plain`.
fn frozen(args: &TeacherArgs, plain: &Device) -> anyhow::Result<(VideoVae, AudioVae, TextEncoder)> {
    let vae = load_part(VideoVaeConfig::vae_64().init(plain), &args.vae, kino_model::pipeline::VIDEO_VAE_FILE)
        .context("the video autoencoder (train it with `kino-train vae`)")?;
    let audio = load_part(AudioVaeConfig::audio_64().init(plain), &args.audio, kino_model::pipeline::AUDIO_VAE_FILE)
        .context("the audio autoencoder (train it with `kino-train audio`)")?;
    let dir = args.text_model.clone().unwrap_or_else(TextEncoder::default_dir);
    let text = TextEncoder::load(&dir, plain)?;
    Ok((vae, audio, text))
}

impl TeacherTask {
    /// The task with its frozen parts on `plain`, the training device without autodiff.
    pub fn new(args: &TeacherArgs, plain: &Device) -> anyhow::Result<Self> {
        anyhow::ensure!(
            args.moving_weight.is_finite() && args.moving_weight >= 0.0,
            "--moving-weight must be 0 or more (0 weighs all latent cells alike), not {}",
            args.moving_weight
        );
        anyhow::ensure!(
            args.object_weight.is_finite() && args.object_weight >= 0.0,
            "--object-weight must be 0 or more (0 weighs all latent cells alike), not {}",
            args.object_weight
        );
        anyhow::ensure!(
            args.colour_contrast.is_finite() && args.colour_contrast >= 0.0,
            "--colour-contrast must be 0 or more (0 leaves the contrast out), not {}",
            args.colour_contrast
        );
        anyhow::ensure!(
            (0.0..1.0).contains(&args.contrast_from),
            "--contrast-from must be a noise time from 0 up to (not including) 1, not {}",
            args.contrast_from
        );
        anyhow::ensure!(
            args.contrast_backdrop.is_finite() && args.contrast_backdrop >= 0.0,
            "--contrast-backdrop must be 0 or more (0 leaves it out), not {}",
            args.contrast_backdrop
        );
        anyhow::ensure!(args.time_mean.is_finite(), "--time-mean must be a number, not {}", args.time_mean);
        anyhow::ensure!(
            args.object_reading.is_finite() && args.object_reading >= 0.0,
            "--object-reading must be 0 or more (0 leaves the reading head out), not {}",
            args.object_reading
        );
        anyhow::ensure!(
            args.sample_prompt.as_deref().is_none_or(|p| !p.trim().is_empty()),
            "--sample-prompt is empty: give the prompt of the clip to sample at each evaluation, or leave it out"
        );
        let (vae, audio, text) = frozen(args, plain)?;
        let plain = plain.clone();
        // Latent scales from 16 clips that training never sees (fixed seeds, so a resumed run
        // computes the same numbers).
        let clips: Vec<Clip> = (0..16).map(|i| crate::data::clip(crate::data::HELD_OUT_SEED / 2 + i)).collect::<anyhow::Result<_>>()?;
        let zv = vae.encode(video_tensor(&clips, &plain))?.mean;
        let za = audio.encode(audio.spectrogram(&audio_waves(&clips), &plain)?)?.mean;
        let std = |x: Tensor<1>| {
            let mean = x.clone().mean().into_scalar::<f32>();
            f64::from(x.sub_scalar(mean).powi_scalar(2).mean().into_scalar::<f32>()).sqrt()
        };
        let [b, c, t, h, w] = zv.dims();
        let [_, ac, af] = za.dims();
        let (sv, sa) = (std(zv.reshape([b * c * t * h * w])), std(za.reshape([b * ac * af])));
        let round = |s: f64| (1.0 / s.max(1e-6) * 1000.0).round() / 1000.0;
        let config = TeacherConfig {
            model: KinoConfig { object_reading: if args.object_reading > 0.0 { reading::CLASSES } else { 0 }, ..KinoConfig::teacher_64() },
            video_scale: round(sv),
            audio_scale: round(sa),
            audio_weight: 1.0,
            moving_weight: args.moving_weight,
            object_weight: args.object_weight,
            colour_contrast: args.colour_contrast,
            // Without the contrast the time it starts at means nothing: 0, as in the checkpoints
            // from before it existed, so that they resume.
            contrast_from: if args.colour_contrast > 0.0 { args.contrast_from } else { 0.0 },
            contrast_backdrop: if args.colour_contrast > 0.0 { args.contrast_backdrop } else { 0.0 },
            time_mean: args.time_mean,
            object_reading: args.object_reading,
        };
        eprintln!("latent std: video {sv:.4}, audio {sa:.4}");
        Ok(TeacherTask {
            config,
            vae,
            audio,
            text,
            drop_prompt: args.drop_prompt,
            sample_prompt: args.sample_prompt.clone(),
            counter: Cell::new(0),
            reuse: args.reuse as usize,
            pool: RefCell::new(LatentPool::new(POOL_CLIPS, 0)),
            colour_signal: OnceCell::new(),
            plain,
        })
    }

    /// Clean latents of `clips`, scaled to unit variance, on `device`.
    fn latents(&self, clips: &[Clip], device: &Device) -> anyhow::Result<JointLatents> {
        Ok(latents_onto(self.plain_latents(clips)?, device))
    }

    /// Clean latents of `clips`, scaled to unit variance, on the plain device.
    fn plain_latents(&self, clips: &[Clip]) -> anyhow::Result<JointLatents> {
        let plain = &self.plain;
        let video = self.vae.encode(video_tensor(clips, plain))?.mean.mul_scalar(self.config.video_scale);
        let audio = self.audio.encode(self.audio.spectrogram(&audio_waves(clips), plain)?)?.mean.mul_scalar(self.config.audio_scale);
        Ok(JointLatents { video, audio })
    }

    /// The clips of a training step and their clean latents on `device`: the `fresh` ones, and
    /// with `--reuse` as many again per reuse drawn from the pool.
    fn training_batch<'a>(&self, fresh: &'a [Clip], device: &Device) -> anyhow::Result<(Cow<'a, [Clip]>, JointLatents)> {
        let latents = self.plain_latents(fresh)?;
        if self.reuse == 1 {
            return Ok((Cow::Borrowed(fresh), latents_onto(latents, device)));
        }
        let (clips, latents) = self.pool.borrow_mut().batch(fresh, latents, fresh.len() * (self.reuse - 1));
        Ok((Cow::Owned(clips), latents_onto(latents, device)))
    }

    /// One caption per clip, rotating through each clip's captions.
    fn prompts<'a>(&self, clips: &'a [Clip]) -> Vec<&'a str> {
        clips
            .iter()
            .map(|c| {
                let n = self.counter.get();
                self.counter.set(n + 1);
                c.captions.get(n as usize % c.captions.len().max(1)).map_or("", String::as_str)
            })
            .collect()
    }

    /// MiniLM states of `prompts` on `device`, those dropped (for guidance) by `coins`
    /// (`[b]` in `[0, 1)`, `hide_dropped`) hidden.
    fn text_states<S: AsRef<str>>(&self, prompts: &[S], device: &Device, coins: Option<&Tensor<1>>) -> anyhow::Result<TextStates> {
        let prompts: Vec<&str> = prompts.iter().map(AsRef::as_ref).collect();
        let text = self.text.encode(&prompts)?;
        let mask = match coins {
            Some(coins) => hide_dropped(text.mask, coins.clone(), self.drop_prompt),
            None => text.mask,
        };
        Ok(TextStates { states: onto(text.states, device), mask: onto(mask, device) })
    }

    /// The video loss's weights over the latent cells of clean latents `video` (`cells`: their
    /// object cells, from [`object_cells`]): toward moving cells, labelled objects, both
    /// (multiplied), or `None` for all alike.
    ///
    /// # Shapes
    /// - `video`: `[b, c, t, h, w]`, `cells`: `[b, 1, t, h, w]`; returns `[b, 1, t, h, w]`
    fn video_weights(&self, video: &Tensor<5>, cells: Option<&Tensor<5>>) -> Option<Tensor<5>> {
        let moving = (self.config.moving_weight > 0.0).then(|| flow::moving_weights(video, self.config.moving_weight));
        let objects = cells.filter(|_| self.config.object_weight > 0.0).map(|c| flow::marked_weights(c.clone(), self.config.object_weight));
        match (moving, objects) {
            (Some(m), Some(o)) => Some(flow::per_clip_mean_one(m * o)),
            (m, o) => m.or(o),
        }
    }

    /// How far the objects' colours move their latents: the mean square change over the object
    /// cells when the same scenes are rendered with every object recoloured as the captions are
    /// in the colour gain, and encoded.
    ///
    /// # Shapes
    /// - `video`: the clips' clean latents `[b, c, t, h, w]`; `in_objects` from [`object_averaging`]
    fn colour_signal_of(&self, clips: &[Clip], video: &Tensor<5>, in_objects: &Tensor<5>, device: &Device) -> anyhow::Result<f64> {
        let repainted: Vec<Clip> = clips
            .iter()
            .map(|c| {
                let mut scene = c.scene.clone();
                scene.objects.iter_mut().for_each(|o| o.colour = shifted(o.colour));
                kino_world::render_clip(&scene, &crate::data::settings()).context("rendering a recoloured held-out clip")
            })
            .collect::<anyhow::Result<_>>()?;
        let moved = (self.latents(&repainted, device)?.video - video.clone()).powi_scalar(2);
        Ok(f64::from(object_losses(moved, in_objects).mean().into_scalar::<f32>()))
    }

    /// The frozen encoders' work for one training batch: clean latents and text states.
    pub fn encode(&self, clips: &[Clip], device: &Device) -> anyhow::Result<(JointLatents, TextStates)> {
        let prompts = self.prompts(clips);
        Ok((self.latents(clips, device)?, self.text_states(&prompts, device, None)?))
    }

    /// What each of the transformer's video tokens shows of `clips`' objects.
    fn token_objects(&self, clips: &[Clip]) -> reading::TokenObjects {
        use kino_model::video_vae::{SPACE_COMPRESSION, TIME_COMPRESSION};
        let model = &self.config.model;
        reading::TokenObjects::of(clips, model.video_grid(), TIME_COMPRESSION, SPACE_COMPRESSION * model.video_patch)
    }

    /// Frames of a clip generated for `prompt` (Euler, `steps` steps, guidance `scale`).
    pub fn generate(&self, model: &Kino, prompt: &str, steps: usize, scale: f64, device: &Device) -> anyhow::Result<Vec<kino_world::Frame>> {
        let text = self.text.encode(&[prompt])?;
        let [c, t, h, w] = self.config.model.video_latent;
        let [ac, af] = self.config.model.audio_latent;
        let noise = JointLatents {
            video: Tensor::random([1, c, t, h, w], Distribution::Normal(0.0, 1.0), device),
            audio: Tensor::random([1, ac, af], Distribution::Normal(0.0, 1.0), device),
        };
        let field = Guided { model, cond: Conditioning::text(text), scale };
        let x = flow::sample(&field, noise, &flow::schedule(steps, 1.0, 3.0), Sampler::Euler, 0, |_| ())?;
        let video = self.vae.decode(x.video.div_scalar(self.config.video_scale))?.clamp(-1.0, 1.0);
        frames_of(&video, 0)
    }
}

impl Task for TeacherTask {
    type Config = TeacherConfig;
    type Model = Kino;
    const NAME: &'static str = "teacher";
    const RELEASE_FILE: &'static str = kino_model::pipeline::GENERATOR_FILE;

    fn config(&self) -> &TeacherConfig {
        &self.config
    }

    fn init(&self, device: &Device) -> Kino {
        self.config.model.init(device)
    }

    fn fresh_clips(&self, batch: usize) -> usize {
        batch / self.reuse
    }

    fn loss(&self, model: &Kino, fresh: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let (clips, x0) = self.training_batch(fresh, device)?;
        let clips = &clips[..];
        let prompts = self.prompts(clips);
        let coins = Tensor::random([clips.len()], Distribution::Default, &self.plain);
        let cond = Conditioning::text(self.text_states(&prompts, device, Some(&coins))?);
        let noise = x0.noise_like();
        let t = flow::sample_times(clips.len(), self.config.time_mean, device);
        let contrasted = self.config.colour_contrast > 0.0;
        let cells = (self.config.object_weight > 0.0 || contrasted).then(|| object_cells(clips, latent_grid(&x0.video), device));
        let weights = self.video_weights(&x0.video, cells.as_ref());
        let (errors, reading) = flow::velocity_errors_reading(model, &x0, &noise, t.clone(), &cond)?;
        let reading = reading.map(|logits| reading::reading_loss(logits, &self.token_objects(clips)));
        // The contrast: under the same captions with the objects' colours changed (the same
        // prompts dropped), the object cells' loss should be higher by COLOUR_MARGIN, for the
        // clips at times from `contrast_from` on.
        let gap = match cells.filter(|_| contrasted) {
            Some(cells) => {
                let wrong: Vec<String> = prompts.iter().zip(clips).map(|(p, c)| recoloured(p, &c.scene)).collect();
                let late = t.clone().greater_equal_elem(self.config.contrast_from).float(); // [b]
                let wrong = flow::velocity_errors(model, &x0, &noise, t, &Conditioning::text(self.text_states(&wrong, device, Some(&coins))?))?;
                let (in_objects, in_backdrop) = (object_averaging(cells.clone()), object_averaging(cells.neg().add_scalar(1.0)));
                let gap = |in_cells: &Tensor<5>| object_losses(wrong.video.clone(), in_cells) - object_losses(errors.video.clone(), in_cells);
                Some((gap(&in_objects), gap(&in_backdrop), late)) // [b] each
            }
            None => None,
        };
        let loss = flow::FlowLoss::of(errors, self.config.audio_weight, weights);
        let mut shown = vec![("video", f64::from(loss.video.into_scalar::<f32>())), ("audio", f64::from(loss.audio.into_scalar::<f32>()))];
        let with_reading = match reading {
            Some(reading) => {
                shown.push(("reading", f64::from(reading.clone().into_scalar::<f32>())));
                loss.loss + reading.mul_scalar(self.config.object_reading)
            }
            None => loss.loss,
        };
        let total = match gap {
            Some((gap, backdrop_gap, late)) => {
                let contrasted = late.clone().sum().into_scalar::<f32>().max(1.0);
                let over_late = |x: Tensor<1>| f64::from((x * late.clone()).sum().into_scalar::<f32>() / contrasted);
                shown.push(("colour gap", over_late(gap.clone())));
                shown.push(("backdrop gap", over_late(backdrop_gap.clone())));
                let hinge = burn::tensor::activation::relu(gap.neg().add_scalar(COLOUR_MARGIN)) + backdrop_gap.abs().mul_scalar(self.config.contrast_backdrop);
                with_reading + (hinge * late).mean().mul_scalar(self.config.colour_contrast)
            }
            None => with_reading,
        };
        Ok((total, shown))
    }

    fn evaluate(&self, model: &Kino, clips: &[Clip], device: &Device, out: &Path, step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let x0 = self.latents(clips, device)?;
        let prompts = self.prompts(clips);
        let text = self.text_states(&prompts, device, None)?;
        let recoloured: Vec<String> = prompts.iter().zip(clips).map(|(p, c)| recoloured(p, &c.scene)).collect();
        let recoloured = Conditioning::text(self.text_states(&recoloured, device, None)?);
        let noise =
            JointLatents { video: kino_model::noise::gaussian(x0.video.dims(), 7, device), audio: kino_model::noise::gaussian(x0.audio.dims(), 8, device) };
        let cond = Conditioning::text(text);
        let in_objects = object_averaging(object_cells(clips, latent_grid(&x0.video), device));
        // The flow loss over everything, and the video's over the object cells alone.
        let loss_at = |t: f64, cond: &Conditioning| -> anyhow::Result<[f64; 2]> {
            let times = Tensor::<1>::full([clips.len()], t, device);
            let errors = flow::velocity_errors(model, &x0, &noise, times, cond)?;
            let objects = object_losses(errors.video.clone(), &in_objects).mean().into_scalar::<f32>();
            let all = flow::FlowLoss::of(errors, self.config.audio_weight, None).loss.into_scalar::<f32>();
            Ok([f64::from(all), f64::from(objects)])
        };
        let (mut total, mut unprompted, mut miscoloured) = ([0.0; 2], [0.0; 2], [0.0; 2]);
        for t in [0.25, 0.5, 0.75] {
            for (sum, cond) in [(&mut total, &cond), (&mut unprompted, &Conditioning::unconditional()), (&mut miscoloured, &recoloured)] {
                let loss = loss_at(t, cond)?;
                sum[0] += loss[0] / 3.0;
                sum[1] += loss[1] / 3.0;
            }
        }
        // Near pure noise the prompt is nearly all the model knows about the clip: the gain there
        // is the most the prompt can lower the loss by.
        let noisy_gain = loss_at(0.95, &Conditioning::unconditional())?[0] - loss_at(0.95, &cond)?[0];
        let colour_signal = match self.colour_signal.get() {
            Some(signal) => *signal,
            None => {
                let signal = self.colour_signal_of(clips, &x0.video, &in_objects, device)?;
                *self.colour_signal.get_or_init(|| signal)
            }
        };
        // At t = 0.25 the noisy latents still show the objects' colours; at 0.75 where the
        // objects are, hardly their colours: there only the caption tells.
        // Without a reading head there is nothing to read: no passes spent on it.
        let mut reading = vec![];
        if model.object_reading.is_some() {
            let objects = self.token_objects(clips);
            for (name, t) in [(25, 0.25), (75, 0.75)] {
                let times = Tensor::<1>::full([clips.len()], t, device);
                let logits = model.forward_reading(&flow::noised(&x0, &noise, &times), times, &cond)?.1;
                reading.push((name, logits.and_then(|logits| reading::reading_accuracy(logits, &objects))));
            }
        }
        let prompt = match &self.sample_prompt {
            Some(prompt) => prompt.as_str(),
            None => clips.first().and_then(|c| c.captions.first()).map_or("a red ball bounces on a wooden floor", String::as_str),
        };
        let frames = self.generate(model, prompt, 20, 3.0, device)?;
        let path = out.join(format!("sample-{step:06}.png"));
        let sheet = kino_world::output::contact_sheet(&frames, 12);
        std::fs::write(&path, kino_world::output::png_bytes(&sheet, &path)?)?;
        std::fs::write(out.join(format!("sample-{step:06}.txt")), format!("{prompt}\n"))?;
        // How much the prompt lowers the loss: near 0, the model ignores the text.
        let mut metrics = vec![
            ("flow_loss".into(), total[0]),
            ("prompt_gain".into(), unprompted[0] - total[0]),
            ("prompt_gain_t95".into(), noisy_gain),
            ("colour_gain".into(), miscoloured[0] - total[0]),
            ("object_loss".into(), total[1]),
            ("object_prompt_gain".into(), unprompted[1] - total[1]),
            ("object_colour_gain".into(), miscoloured[1] - total[1]),
            ("object_colour_signal".into(), colour_signal),
        ];
        for (t, read) in reading {
            if let Some([kind, colour]) = read {
                metrics.extend([(format!("reading_kind_t{t}"), kind), (format!("reading_colour_t{t}"), colour)]);
            }
        }
        Ok(metrics)
    }
}

/// 1 on the video latent cells that hold a visible labelled object (its box, a pixel wider) in
/// any of their frames, 0 elsewhere: latent frame `k` covers frames `4k..4k+3`, latent cell
/// `(i, j)` pixels `8i..8i+7` down and `8j..8j+7` across (`video_vae`'s compression).
///
/// # Shapes
/// - `grid`: the latent `[t, h, w]`; returns `[clips, 1, t, h, w]`
pub fn object_cells(clips: &[Clip], grid: [usize; 3], device: &Device) -> Tensor<5> {
    use kino_model::video_vae::{SPACE_COMPRESSION as S, TIME_COMPRESSION as T};
    let [t, h, w] = grid;
    let mut data = vec![0.0f32; clips.len() * t * h * w];
    for (c, clip) in clips.iter().enumerate() {
        for (f, label) in clip.labels.frames.iter().enumerate().take(t * T) {
            let plane = &mut data[(c * t + f / T) * h * w..(c * t + f / T + 1) * h * w];
            for b in label.objects.iter().filter(|b| b.visible) {
                let cell = |x: f32, last: usize| ((x.max(0.0) as usize) / S).min(last);
                let (x0, x1) = (cell(b.bbox[0] - 1.0, w - 1), cell(b.bbox[2] + 1.0, w - 1));
                let (y0, y1) = (cell(b.bbox[1] - 1.0, h - 1), cell(b.bbox[3] + 1.0, h - 1));
                for y in y0..=y1 {
                    plane[y * w + x0..=y * w + x1].fill(1.0);
                }
            }
        }
    }
    Tensor::from_data(burn::tensor::TensorData::new(data, [clips.len(), 1, t, h, w]), device)
}

/// The latent grid `[t, h, w]` of video latents `[b, c, t, h, w]`.
fn latent_grid(video: &Tensor<5>) -> [usize; 3] {
    let [_, _, t, h, w] = video.dims();
    [t, h, w]
}

/// Weights that average a clip's cells over those `cells` marks (from [`object_cells`]): each
/// clip's object loss is then the mean over its object cells (0 for a clip with none in view).
///
/// # Shapes
/// - `cells`: `[b, 1, t, h, w]` of 0 and 1; returns the same
fn object_averaging(cells: Tensor<5>) -> Tensor<5> {
    flow::per_clip_mean_one(cells.clone().add_scalar(1e-6)) * cells
}

/// Each clip's mean of `errors` over its object cells (`in_objects` from [`object_averaging`]).
///
/// # Shapes
/// - `errors`: `[b, c, t, h, w]`; returns `[b]`
fn object_losses(errors: Tensor<5>, in_objects: &Tensor<5>) -> Tensor<1> {
    let [b, _, t, h, w] = errors.dims();
    (errors.mean_dim(1) * in_objects.clone()).reshape([b, t * h * w]).mean_dim(1).reshape([b])
}

/// The colour five places on from `colour` in [`Colour::ALL`] (never itself).
fn shifted(colour: Colour) -> Colour {
    let i = Colour::ALL.iter().position(|c| *c == colour).unwrap_or(0);
    Colour::ALL[(i + 5) % Colour::ALL.len()]
}

/// `caption` with every colour word of `scene`'s objects changed to another colour (five
/// places on in [`Colour::ALL`], never itself), so its loss against the true caption's tells
/// whether the model reads colours.
fn recoloured(caption: &str, scene: &Scene) -> String {
    let changed = |word: &str| -> Option<&'static str> {
        let colour = *Colour::ALL.iter().find(|c| c.name() == word)?;
        scene.objects.iter().any(|o| o.colour == colour).then(|| shifted(colour).name())
    };
    let mut out = String::with_capacity(caption.len());
    let mut word = String::new();
    for ch in caption.chars().chain(std::iter::once(' ')) {
        if ch.is_alphabetic() {
            word.push(ch);
            continue;
        }
        let lower = word.to_lowercase();
        match changed(&lower) {
            Some(name) if word.starts_with(char::is_uppercase) => out.push_str(&capitalise(name)),
            Some(name) => out.push_str(name),
            None => out.push_str(&word),
        }
        word.clear();
        out.push(ch);
    }
    out.pop();
    out
}

/// `mask` with every token of prompt `i` hidden where `coins[i] < chance`: the prompts dropped
/// for classifier-free guidance, decided on the device.
///
/// # Shapes
/// - `mask`: `[b, n]`, `coins`: `[b]` in `[0, 1)`; returns `[b, n]`
fn hide_dropped(mask: Tensor<2, Bool>, coins: Tensor<1>, chance: f64) -> Tensor<2, Bool> {
    let [b, n] = mask.dims();
    mask.bool_and(coins.greater_equal_elem(chance).reshape([b, 1]).expand([b, n]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_prompt_hides_all_its_tokens_and_a_kept_one_keeps_its_mask() {
        let device = Device::flex();
        let mask = Tensor::<2, Bool>::from_data(burn::tensor::TensorData::new(vec![true, true, false, true, true, true], [3, 2]), &device);
        let coins = Tensor::<1>::from_floats([0.05, 0.5, 0.09], &device);
        let hidden = hide_dropped(mask, coins, 0.1).int().into_data().iter::<i64>().collect::<Vec<_>>();
        assert_eq!(hidden, vec![0, 0, 0, 1, 0, 0]);
    }

    #[test]
    fn a_reuse_the_batch_or_overfit_cannot_honour_is_refused() {
        assert!(check_reuse(1, 16, true).is_ok() && check_reuse(4, 16, false).is_ok() && check_reuse(16, 16, false).is_ok());
        let uneven = check_reuse(3, 16, false).expect_err("16 clips do not split into thirds").to_string();
        assert!(uneven.contains("--batch 16") && uneven.contains("--reuse 3"), "{uneven}");
        let overfit = check_reuse(2, 4, true).expect_err("--overfit renders no fresh clips").to_string();
        assert!(overfit.contains("--overfit"), "{overfit}");
    }

    #[test]
    fn bad_teacher_options_are_refused_with_their_flag_named() {
        let good = TeacherArgs {
            vae: "missing".into(),
            audio: "missing".into(),
            text_model: None,
            drop_prompt: 0.1,
            moving_weight: 0.0,
            object_weight: 0.0,
            colour_contrast: 0.0,
            contrast_from: 0.7,
            contrast_backdrop: 0.0,
            time_mean: 0.0,
            object_reading: 0.0,
            reuse: 1,
            sample_prompt: None,
        };
        let cases = [
            ("--moving-weight", TeacherArgs { moving_weight: -1.0, ..good.clone() }),
            ("--object-weight", TeacherArgs { object_weight: f64::NAN, ..good.clone() }),
            ("--colour-contrast", TeacherArgs { colour_contrast: -0.5, ..good.clone() }),
            ("--object-reading", TeacherArgs { object_reading: -1.0, ..good.clone() }),
            ("--contrast-from", TeacherArgs { contrast_from: 1.0, ..good.clone() }),
            ("--contrast-backdrop", TeacherArgs { contrast_backdrop: -1.0, ..good.clone() }),
            ("--time-mean", TeacherArgs { time_mean: f64::INFINITY, ..good.clone() }),
            ("--sample-prompt", TeacherArgs { sample_prompt: Some("  ".into()), ..good.clone() }),
        ];
        for (flag, args) in cases {
            let message = TeacherTask::new(&args, &Device::flex()).err().expect("refused").to_string();
            assert!(message.contains(flag), "{flag}: {message}");
        }
        // Good options get past the checks, to the missing autoencoder.
        let message = TeacherTask::new(&good, &Device::flex()).err().expect("no autoencoder there").to_string();
        assert!(message.contains("video autoencoder"), "{message}");
    }

    #[test]
    fn object_cells_mark_the_latent_cells_under_the_labelled_boxes_and_nothing_else() {
        let clips: Vec<Clip> = (0..4).map(|seed| crate::data::clip(seed).expect("renders")).collect();
        let device = Device::flex();
        let cells = object_cells(&clips, [6, 8, 8], &device);
        assert_eq!(cells.dims(), [4, 1, 6, 8, 8]);
        let values = cells.into_data().try_to_vec::<f32>().expect("f32");
        let at = |c: usize, k: usize, y: usize, x: usize| values[((c * 6 + k) * 8 + y) * 8 + x];
        let mut marked = 0;
        for (c, clip) in clips.iter().enumerate() {
            for k in 0..6 {
                let boxes: Vec<[f32; 4]> =
                    clip.labels.frames[4 * k..4 * k + 4].iter().flat_map(|l| l.objects.iter().filter(|b| b.visible).map(|b| b.bbox)).collect();
                for y in 0..8 {
                    for x in 0..8 {
                        // The cell's pixels, and whether any box (a pixel wider) reaches into them.
                        let (left, top) = (x as f32 * 8.0, y as f32 * 8.0);
                        let touched = boxes.iter().any(|b| b[0] - 1.0 < left + 8.0 && b[2] + 1.0 >= left && b[1] - 1.0 < top + 8.0 && b[3] + 1.0 >= top);
                        assert_eq!(at(c, k, y, x), if touched { 1.0 } else { 0.0 }, "clip {c}, latent frame {k}, cell ({y}, {x}): {boxes:?}");
                        marked += usize::from(touched);
                    }
                }
            }
        }
        assert!(marked > 0 && marked < values.len() / 2, "{marked} of {} cells marked", values.len());
    }

    #[test]
    fn an_object_loss_is_the_mean_error_over_the_clips_object_cells() {
        let device = Device::flex();
        // Two clips of one channel and 1x2x2 cells: the first has objects in two cells, the second none.
        let cells = Tensor::<5>::from_data(burn::tensor::TensorData::new(vec![1.0f32, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [2, 1, 1, 2, 2]), &device);
        let errors = Tensor::<5>::from_data(burn::tensor::TensorData::new(vec![2.0f32, 9.0, 4.0, 9.0, 5.0, 5.0, 5.0, 5.0], [2, 1, 1, 2, 2]), &device);
        let losses = object_losses(errors.clone(), &object_averaging(cells.clone())).into_data().try_to_vec::<f32>().expect("f32");
        assert!((losses[0] - 3.0).abs() < 1e-4, "{losses:?}");
        assert!(losses[1].abs() < 1e-4, "{losses:?}");
        // The backdrop's: the rest of the cells.
        let backdrop = object_averaging(cells.neg().add_scalar(1.0));
        let losses = object_losses(errors, &backdrop).into_data().try_to_vec::<f32>().expect("f32");
        assert!((losses[0] - 9.0).abs() < 1e-4 && (losses[1] - 5.0).abs() < 1e-4, "{losses:?}");
    }

    #[test]
    fn recolouring_changes_the_objects_colour_words_and_nothing_else() {
        let clip = crate::data::clip(1_000_000_123).expect("a held-out clip");
        let colours: Vec<&str> = clip.scene.objects.iter().map(|o| o.colour.name()).collect();
        let word_after = |word: &str| shifted(*Colour::ALL.iter().find(|c| c.name() == word).expect("a colour")).name();
        for caption in &clip.captions {
            let changed = recoloured(caption, &clip.scene);
            let (before, after): (Vec<&str>, Vec<&str>) = (caption.split(' ').collect(), changed.split(' ').collect());
            assert_eq!(before.len(), after.len(), "{caption} -> {changed}");
            let mut swaps = 0;
            for (b, a) in before.iter().zip(&after) {
                let word = b.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
                if colours.contains(&word.as_str()) {
                    assert_eq!(a.to_lowercase(), b.to_lowercase().replace(&word, word_after(&word)), "{caption} -> {changed}");
                    assert_eq!(a.starts_with(char::is_uppercase), b.starts_with(char::is_uppercase));
                    swaps += 1;
                } else {
                    assert_eq!(a, b, "{caption} -> {changed}");
                }
            }
            assert!(swaps > 0, "every caption names a colour of its objects: {caption}");
        }
    }
}
