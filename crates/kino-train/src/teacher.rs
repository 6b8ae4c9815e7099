//! `kino-train teacher`: the diffusion transformer on rectified flow, over the latents of the
//! trained (frozen) video and audio autoencoders, conditioned on MiniLM states of the clip's
//! captions. The prompt is dropped for 10% of the clips so classifier-free guidance works.
//!
//! `--moving-weight` weighs the video loss toward the latent cells that change over the clip:
//! at 64x64 a ball is about one latent cell, and an unweighted loss is mostly backdrop.
//!
//! Held-out metrics: the (unweighted) flow loss at fixed times (0.25, 0.5, 0.75) and fixed noise,
//! the prompt gain (that loss without the prompt minus with it: how much the model reads the
//! text; also alone at t = 0.95, where the prompt is nearly all there is to go on), the colour
//! gain (the loss under the same captions with the objects' colour words changed, minus the
//! loss under the true ones: near 0, the model draws an object's colour without reading it),
//! and a contact sheet of one clip sampled (Euler, 20 steps, guidance 3) for a held-out caption.

use std::cell::Cell;
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
    /// Centre of the training times' logit-normal (`flow::sample_times`): above 0 trains more
    /// on noisy times, where the model must read the prompt to know what to draw.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub time_mean: f64,
}

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
    /// Centre of the training times' logit-normal (0: the middle of the path).
    #[serde(default)]
    pub time_mean: f64,
}

pub struct TeacherTask {
    pub config: TeacherConfig,
    vae: VideoVae,
    audio: AudioVae,
    text: TextEncoder,
    drop_prompt: f64,
    counter: Cell<u64>,
    /// Where the frozen parts run (the training device, without autodiff).
    plain: Device,
}

/// `x`, computed by a frozen part on the plain device, on `device`: the same device with
/// autodiff (for a training step) wraps it where it lies instead of copying it through the host.
fn onto<const D: usize, K: Autodiff>(x: Tensor<D, K>, device: &Device) -> Tensor<D, K> {
    if device.is_autodiff() { x.autodiff() } else { x }
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
        anyhow::ensure!(args.time_mean.is_finite(), "--time-mean must be a number, not {}", args.time_mean);
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
            model: KinoConfig::teacher_64(),
            video_scale: round(sv),
            audio_scale: round(sa),
            audio_weight: 1.0,
            moving_weight: args.moving_weight,
            time_mean: args.time_mean,
        };
        eprintln!("latent std: video {sv:.4}, audio {sa:.4}");
        Ok(TeacherTask { config, vae, audio, text, drop_prompt: args.drop_prompt, counter: Cell::new(0), plain })
    }

    /// Clean latents (scaled to unit variance) and prompt states of `clips`, on `device`.
    fn encode(&self, clips: &[Clip], device: &Device, drop: bool) -> anyhow::Result<(JointLatents, TextStates)> {
        let latents = self.latents(clips, device)?;
        let prompts = self.prompts(clips);
        Ok((latents, self.text_states(&prompts, device, drop)?))
    }

    /// Clean latents of `clips`, scaled to unit variance, on `device`.
    fn latents(&self, clips: &[Clip], device: &Device) -> anyhow::Result<JointLatents> {
        let plain = &self.plain;
        let video = self.vae.encode(video_tensor(clips, plain))?.mean.mul_scalar(self.config.video_scale);
        let audio = self.audio.encode(self.audio.spectrogram(&audio_waves(clips), plain)?)?.mean.mul_scalar(self.config.audio_scale);
        Ok(JointLatents { video: onto(video, device), audio: onto(audio, device) })
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

    /// MiniLM states of `prompts` on `device`, with some dropped (for guidance) when `drop`.
    fn text_states(&self, prompts: &[&str], device: &Device, drop: bool) -> anyhow::Result<TextStates> {
        let plain = &self.plain;
        let text = self.text.encode(prompts)?;
        let [b, _] = text.mask.dims();
        let mut mask = text.mask;
        if drop {
            mask = hide_dropped(mask, Tensor::random([b], Distribution::Default, plain), self.drop_prompt);
        }
        Ok(TextStates { states: onto(text.states, device), mask: onto(mask, device) })
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
        let x = flow::sample(&field, noise, &flow::schedule(steps, 1.0, 3.0), Sampler::Euler, |_| ())?;
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

    fn loss(&self, model: &Kino, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let (x0, text) = self.encode(clips, device, true)?;
        let noise = x0.noise_like();
        let t = flow::sample_times(clips.len(), self.config.time_mean, device);
        let weights = (self.config.moving_weight > 0.0).then(|| flow::moving_weights(&x0.video, self.config.moving_weight));
        let loss = flow::flow_loss(model, &x0, &noise, t, &Conditioning::text(text), self.config.audio_weight, weights)?;
        let video = f64::from(loss.video.into_scalar::<f32>());
        let audio = f64::from(loss.audio.into_scalar::<f32>());
        Ok((loss.loss, vec![("video", video), ("audio", audio)]))
    }

    fn evaluate(&self, model: &Kino, clips: &[Clip], device: &Device, out: &Path, step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let x0 = self.latents(clips, device)?;
        let prompts = self.prompts(clips);
        let text = self.text_states(&prompts, device, false)?;
        let recoloured: Vec<String> = prompts.iter().zip(clips).map(|(p, c)| recoloured(p, &c.scene)).collect();
        let recoloured = Conditioning::text(self.text_states(&recoloured.iter().map(String::as_str).collect::<Vec<_>>(), device, false)?);
        let noise =
            JointLatents { video: kino_model::noise::gaussian(x0.video.dims(), 7, device), audio: kino_model::noise::gaussian(x0.audio.dims(), 8, device) };
        let cond = Conditioning::text(text);
        let loss_at = |t: f64, cond: &Conditioning| -> anyhow::Result<f64> {
            let times = Tensor::<1>::full([clips.len()], t, device);
            Ok(f64::from(flow::flow_loss(model, &x0, &noise, times, cond, self.config.audio_weight, None)?.loss.into_scalar::<f32>()))
        };
        let (mut total, mut unprompted, mut miscoloured) = (0.0, 0.0, 0.0);
        for t in [0.25, 0.5, 0.75] {
            total += loss_at(t, &cond)? / 3.0;
            unprompted += loss_at(t, &Conditioning::unconditional())? / 3.0;
            miscoloured += loss_at(t, &recoloured)? / 3.0;
        }
        // Near pure noise the prompt is nearly all the model knows about the clip: the gain there
        // is the most the prompt can lower the loss by.
        let noisy_gain = loss_at(0.95, &Conditioning::unconditional())? - loss_at(0.95, &cond)?;
        let prompt = clips.first().and_then(|c| c.captions.first()).map_or("a red ball bounces on a wooden floor", String::as_str);
        let frames = self.generate(model, prompt, 20, 3.0, device)?;
        let path = out.join(format!("sample-{step:06}.png"));
        let sheet = kino_world::output::contact_sheet(&frames, 12);
        std::fs::write(&path, kino_world::output::png_bytes(&sheet, &path)?)?;
        std::fs::write(out.join(format!("sample-{step:06}.txt")), format!("{prompt}\n"))?;
        // How much the prompt lowers the loss: near 0, the model ignores the text.
        Ok(vec![
            ("flow_loss".into(), total),
            ("prompt_gain".into(), unprompted - total),
            ("prompt_gain_t95".into(), noisy_gain),
            ("colour_gain".into(), miscoloured - total),
        ])
    }
}

/// `caption` with every colour word of `scene`'s objects changed to another colour (five
/// places on in [`Colour::ALL`], never itself), so its loss against the true caption's tells
/// whether the model reads colours.
fn recoloured(caption: &str, scene: &Scene) -> String {
    let changed = |word: &str| -> Option<&'static str> {
        let i = Colour::ALL.iter().position(|c| c.name() == word)?;
        scene.objects.iter().any(|o| o.colour == Colour::ALL[i]).then(|| Colour::ALL[(i + 5) % Colour::ALL.len()].name())
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
    fn recolouring_changes_the_objects_colour_words_and_nothing_else() {
        let clip = crate::data::clip(1_000_000_123).expect("a held-out clip");
        let colours: Vec<&str> = clip.scene.objects.iter().map(|o| o.colour.name()).collect();
        let shifted = |word: &str| Colour::ALL[(Colour::ALL.iter().position(|c| c.name() == word).expect("a colour") + 5) % 11].name();
        for caption in &clip.captions {
            let changed = recoloured(caption, &clip.scene);
            let (before, after): (Vec<&str>, Vec<&str>) = (caption.split(' ').collect(), changed.split(' ').collect());
            assert_eq!(before.len(), after.len(), "{caption} -> {changed}");
            let mut swaps = 0;
            for (b, a) in before.iter().zip(&after) {
                let word = b.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
                if colours.contains(&word.as_str()) {
                    assert_eq!(a.to_lowercase(), b.to_lowercase().replace(&word, shifted(&word)), "{caption} -> {changed}");
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
