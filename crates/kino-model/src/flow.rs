//! Rectified flow (Liu et al., 2022; Esser et al., 2024): the training objective and the
//! samplers.
//!
//! A clean latent `x0` and Gaussian noise `e` are joined by the straight path
//! `x_t = (1 - t) x0 + t e`, `t ∈ [0, 1]`; the model learns its constant velocity
//! `v = e - x0`. Sampling integrates `dx/dt = v` from `t = 1` (noise) down to `t = 0` with
//! Euler or Heun steps, optionally with classifier-free guidance
//! `v = v_uncond + scale (v_cond - v_uncond)`.

use burn::tensor::{Device, Distribution, Tensor};
use serde::{Deserialize, Serialize};

use crate::dit::{Conditioning, JointLatents, Kino};
use crate::shape::ShapeError;

/// The training loss of one batch.
#[derive(Debug, Clone)]
pub struct FlowLoss {
    /// `video + audio_weight * audio`, `[1]`.
    pub loss: Tensor<1>,
    /// Mean squared velocity error over the video latents, `[1]`.
    pub video: Tensor<1>,
    /// The same over the audio latents, `[1]`.
    pub audio: Tensor<1>,
}

/// Flow times for training: logit-normal (`sigmoid(N(mean, 1))`), which spends more samples on
/// the middle of the path, where the velocity is hardest to predict. A positive `mean` moves
/// them toward the noise end (t = 1), where the prompt is most of what the model can go on.
///
/// # Shapes
/// - returns `[batch]`
pub fn sample_times(batch: usize, mean: f64, device: &Device) -> Tensor<1> {
    burn::tensor::activation::sigmoid(Tensor::<1>::random([batch], Distribution::Normal(mean, 1.0), device))
}

/// `x_t = (1 - t) x0 + t noise` for per-sample times `t: [batch]`.
pub fn noised(x0: &JointLatents, noise: &JointLatents, t: &Tensor<1>) -> JointLatents {
    let [b] = t.dims();
    let tv = t.clone().reshape([b, 1, 1, 1, 1]);
    let ta = t.clone().reshape([b, 1, 1]);
    JointLatents {
        video: x0.video.clone() * tv.clone().neg().add_scalar(1.0) + noise.video.clone() * tv,
        audio: x0.audio.clone() * ta.clone().neg().add_scalar(1.0) + noise.audio.clone() * ta,
    }
}

/// Weights over the video latent cells that favour where the clip changes: each cell's
/// distance from the clip's mean latent frame (over channels), divided by its mean over the
/// clip, so moving objects count more than the still backdrop that fills most of the frame.
/// `strength` 0 weighs every cell alike; the weights always average 1 per clip.
///
/// # Shapes
/// - `video`: clean latents `[b, c, t, h, w]`; returns `[b, 1, t, h, w]`
pub fn moving_weights(video: &Tensor<5>, strength: f64) -> Tensor<5> {
    let still = video.clone().mean_dim(2); // [b, c, 1, h, w]
    let distance = (video.clone() - still).powi_scalar(2).mean_dim(1).sqrt(); // [b, 1, t, h, w]
    per_clip_mean_one(distance).mul_scalar(strength).add_scalar(1.0).div_scalar(1.0 + strength)
}

/// Weights `1 + strength` on the cells `mask` marks (1) and 1 elsewhere (0), scaled to average 1
/// per clip: the video loss then leans toward the marked cells (the labelled objects) by about
/// `1 + strength` to 1 without changing the loss's overall scale.
///
/// # Shapes
/// - `mask`: `[b, 1, t, h, w]` of 0 and 1; returns the same
pub fn marked_weights(mask: Tensor<5>, strength: f64) -> Tensor<5> {
    per_clip_mean_one(mask.mul_scalar(strength).add_scalar(1.0))
}

/// `weights` divided by their mean over each clip.
///
/// # Shapes
/// - `weights`: `[b, 1, t, h, w]`, positive; returns the same
pub fn per_clip_mean_one(weights: Tensor<5>) -> Tensor<5> {
    let [b, _, t, h, w] = weights.dims();
    let mean = weights.clone().reshape([b, t * h * w]).mean_dim(1).reshape([b, 1, 1, 1, 1]).add_scalar(1e-6);
    weights / mean
}

/// The squared velocity errors at times `t` with noise `noise`, element by element.
///
/// # Shapes
/// - returns tensors of the shapes of `x0`
pub fn velocity_errors(model: &Kino, x0: &JointLatents, noise: &JointLatents, t: Tensor<1>, cond: &Conditioning) -> Result<JointLatents, ShapeError> {
    Ok(velocity_errors_reading(model, x0, noise, t, cond)?.0)
}

/// [`velocity_errors`], and the model's object reading logits ([`Kino::forward_reading`]).
pub fn velocity_errors_reading(
    model: &Kino,
    x0: &JointLatents,
    noise: &JointLatents,
    t: Tensor<1>,
    cond: &Conditioning,
) -> Result<(JointLatents, Option<Tensor<3>>), ShapeError> {
    let xt = noised(x0, noise, &t);
    let (v, reading) = model.forward_reading(&xt, t, cond)?;
    let errors = JointLatents {
        video: (v.video - (noise.video.clone() - x0.video.clone())).powi_scalar(2),
        audio: (v.audio - (noise.audio.clone() - x0.audio.clone())).powi_scalar(2),
    };
    Ok((errors, reading))
}

/// The rectified-flow loss at times `t` with noise `noise`; `video_weights` (from
/// [`moving_weights`] or [`marked_weights`]) weigh the video cells, `None` weighs them alike.
pub fn flow_loss(
    model: &Kino,
    x0: &JointLatents,
    noise: &JointLatents,
    t: Tensor<1>,
    cond: &Conditioning,
    audio_weight: f64,
    video_weights: Option<Tensor<5>>,
) -> Result<FlowLoss, ShapeError> {
    Ok(FlowLoss::of(velocity_errors(model, x0, noise, t, cond)?, audio_weight, video_weights))
}

impl FlowLoss {
    /// The loss of squared velocity errors `errors` (from [`velocity_errors`]).
    pub fn of(errors: JointLatents, audio_weight: f64, video_weights: Option<Tensor<5>>) -> FlowLoss {
        let video = match video_weights {
            Some(weights) => (errors.video * weights).mean(),
            None => errors.video.mean(),
        };
        let audio = errors.audio.mean();
        FlowLoss { loss: video.clone() + audio.clone().mul_scalar(audio_weight), video, audio }
    }
}

/// Anything that gives a velocity at a point of the path.
pub trait VelocityField {
    /// # Shapes
    /// - `x`: latents of batch `b`; returns a velocity of the same shapes
    fn velocity(&self, x: &JointLatents, t: f64) -> Result<JointLatents, ShapeError>;
}

/// Classifier-free guidance: `uncond + scale * (cond - uncond)`. At scale 1 it is `cond`.
pub fn guide(cond: JointLatents, uncond: JointLatents, scale: f64) -> JointLatents {
    let difference = cond.lerp(1.0, &uncond, -1.0);
    uncond.add_scaled(&difference, scale)
}

/// The generator under a prompt, with classifier-free guidance.
pub struct Guided<'a> {
    pub model: &'a Kino,
    pub cond: Conditioning,
    /// Guidance scale; 1 runs only the conditional branch.
    pub scale: f64,
}

impl VelocityField for Guided<'_> {
    fn velocity(&self, x: &JointLatents, t: f64) -> Result<JointLatents, ShapeError> {
        let times = Tensor::<1>::full([x.batch()], t, &x.video.device());
        let cond = self.model.forward(x, times.clone(), &self.cond)?;
        if self.scale == 1.0 {
            return Ok(cond);
        }
        let uncond = self.model.forward(x, times, &Conditioning::unconditional())?;
        Ok(guide(cond, uncond, self.scale))
    }
}

/// One Euler step from `t` to `t_next`: `x + (t_next - t) v(x, t)`.
pub fn euler_step(field: &(impl VelocityField + ?Sized), x: JointLatents, t: f64, t_next: f64) -> Result<JointLatents, ShapeError> {
    let v = field.velocity(&x, t)?;
    Ok(x.add_scaled(&v, t_next - t))
}

/// One Heun step (Euler, then the trapezoid of the two velocities); the step that lands on
/// `t = 0` stays Euler, as in Karras et al. (2022).
pub fn heun_step(field: &(impl VelocityField + ?Sized), x: JointLatents, t: f64, t_next: f64) -> Result<JointLatents, ShapeError> {
    let dt = t_next - t;
    let v1 = field.velocity(&x, t)?;
    let euler = x.clone().add_scaled(&v1, dt);
    if t_next <= 0.0 {
        return Ok(euler);
    }
    let v2 = field.velocity(&euler, t_next)?;
    Ok(x.add_scaled(&v1.lerp(0.5, &v2, 0.5), dt))
}

/// One re-noised step: the clean clip the velocity predicts, `x - t v`, taken to `t_next` with
/// `fresh` noise in place of the noise it came from. Each step commits to one clean clip and
/// the next draws anew around it, where the deterministic path follows the mean of all the
/// clips it could still become (consistency models' multistep sampling; all of the noise is
/// fresh, more than DDIM's η = 1, which is [`ddpm_step`]).
pub fn ancestral_step(field: &(impl VelocityField + ?Sized), x: JointLatents, t: f64, t_next: f64, fresh: &JointLatents) -> Result<JointLatents, ShapeError> {
    let v = field.velocity(&x, t)?;
    let clean = x.add_scaled(&v, -t);
    Ok(clean.lerp(1.0 - t_next, fresh, t_next))
}

/// One DDPM step (Ho et al., 2020; DDIM's form with η = 1) on the straight path: the clean clip
/// `x0 = x - t v` and the noise `e = x + (1 - t) v` the velocity implies are taken to `t_next`
/// as the posterior `q(x_next | x, x0)` takes them: `(1 - t_next) x0 + t_next (r e + sqrt(1 - r²)
/// fresh)` with `r = (1 - t) t_next / ((1 - t_next) t)`. Unlike [`ancestral_step`], which
/// replaces all of the noise and so starts each step again from the mean of the clips the
/// sample could become, it keeps the part of the noise that says which of them this one is.
pub fn ddpm_step(field: &(impl VelocityField + ?Sized), x: JointLatents, t: f64, t_next: f64, fresh: &JointLatents) -> Result<JointLatents, ShapeError> {
    let v = field.velocity(&x, t)?;
    let clean = x.clone().add_scaled(&v, -t);
    let noise = x.add_scaled(&v, 1.0 - t);
    let kept = if t > 0.0 && t_next < 1.0 { ((1.0 - t) * t_next / ((1.0 - t_next) * t)).clamp(0.0, 1.0) } else { 0.0 };
    Ok(clean.lerp(1.0 - t_next, &noise, t_next * kept).add_scaled(fresh, t_next * (1.0 - kept * kept).sqrt()))
}

/// Which integrator [`sample`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sampler {
    /// One velocity per step.
    Euler,
    /// Two velocities per step (one on the last), second order.
    Heun,
    /// One velocity per step, re-noised with fresh noise ([`ancestral_step`]).
    Ancestral,
    /// One velocity per step, part of the noise kept and the rest fresh ([`ddpm_step`]).
    Ddpm,
}

impl std::str::FromStr for Sampler {
    type Err = String;

    fn from_str(name: &str) -> Result<Sampler, String> {
        match name {
            "euler" => Ok(Sampler::Euler),
            "heun" => Ok(Sampler::Heun),
            "ancestral" => Ok(Sampler::Ancestral),
            "ddpm" => Ok(Sampler::Ddpm),
            other => Err(format!("unknown sampler `{other}`; there are euler, heun, ancestral and ddpm")),
        }
    }
}

/// The times of `steps` steps from `start` down to 0, shifted towards the noisy end by `shift`
/// (SD3's `t' = s t / (1 + (s - 1) t)`; 1 = evenly spaced).
pub fn schedule(steps: usize, start: f64, shift: f64) -> Vec<f64> {
    (0..=steps)
        .map(|i| {
            let t = start * (1.0 - i as f64 / steps.max(1) as f64);
            shift * t / (1.0 + (shift - 1.0) * t)
        })
        .collect()
}

/// One step of `sampler` from `t` to `t_next`. The re-noising samplers take their fresh noise
/// from `fresh` (seeded, a take is made again exactly); the others never call it.
pub fn step(
    field: &(impl VelocityField + ?Sized),
    sampler: Sampler,
    x: JointLatents,
    t: f64,
    t_next: f64,
    fresh: impl FnOnce() -> JointLatents,
) -> Result<JointLatents, ShapeError> {
    match sampler {
        Sampler::Euler => euler_step(field, x, t, t_next),
        Sampler::Heun => heun_step(field, x, t, t_next),
        Sampler::Ancestral => ancestral_step(field, x, t, t_next, &fresh()),
        Sampler::Ddpm => ddpm_step(field, x, t, t_next, &fresh()),
    }
}

/// Integrates from `x` at `times[0]` to `times[last]`, calling `progress(step)` after each step;
/// step `i`'s fresh noise (re-noising samplers) is drawn from `seed + i`.
pub fn sample(
    field: &(impl VelocityField + ?Sized),
    x: JointLatents,
    times: &[f64],
    sampler: Sampler,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> Result<JointLatents, ShapeError> {
    let mut x = x;
    for (i, pair) in times.windows(2).enumerate() {
        let shapes = x.clone();
        x = step(field, sampler, x, pair[0], pair[1], || shapes.seeded_noise_like(seed.wrapping_add(i as u64)))?;
        progress(i + 1);
    }
    Ok(x)
}
