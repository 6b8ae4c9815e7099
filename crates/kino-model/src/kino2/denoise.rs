//! Training and sampling kino-2 as a denoiser on the rectified-flow path.
//!
//! The path is kino-1's, `x_t = (1 - t) x0 + t e` ([`crate::flow::noised`]), but the network
//! predicts the clean `x0`. Its velocity is then `v = (x_t - x0_hat) / t`, and the loss is the
//! squared error of that velocity against `e - x0`, which is the clean error weighted by `1 / t²`
//! (JiT's "x-prediction, v-loss"); `t` is floored at [`T_FLOOR`] so the weight stays finite. On
//! large pixel patches this works where predicting the noise or the velocity fails: the clean
//! clip lies on a low-dimensional manifold, the noise fills the whole patch.

use burn::tensor::Tensor;

use super::Kino2;
use super::slots::SlotTensors;
use crate::dit::JointLatents;
use crate::flow::{VelocityField, noised};
use crate::shape::ShapeError;

/// The smallest time the velocity divides by.
pub const T_FLOOR: f64 = 0.05;

/// Squared velocity errors, element by element, of the clean prediction at times `t`, with the
/// time divided by floored at `floor` (at least [`T_FLOOR`]).
///
/// The velocity error is the clean error over `t`, so below `t = 0.1` the loss weighs a clean
/// error a hundred times or more what it weighs at `t = 1`: training then spends itself on the
/// last details while the noisy times, where a clip's layout, colours and the prompt are
/// decided, learn slowly. A floor of 0.3 caps that ratio at about 11 (as Min-SNR weighting,
/// Hang et al. 2023, caps a diffusion loss's weights).
///
/// # Shapes
/// - `x0`, `noise`: clean and noise of the same shapes; `t`: `[b]`; returns the shapes of `x0`
pub fn velocity_errors(
    model: &Kino2,
    x0: &JointLatents,
    noise: &JointLatents,
    t: Tensor<1>,
    slots: &SlotTensors,
    floor: f64,
) -> Result<JointLatents, ShapeError> {
    let xt = noised(x0, noise, &t);
    let clean = model.forward(&xt, t.clone(), slots)?;
    let [b] = t.dims();
    // (x_t - x0_hat)/t - (e - x0) = (x0 - x0_hat)/t on the path, since x_t - t e = (1 - t) x0.
    let inverse = t.clamp_min(floor.max(T_FLOOR)).recip();
    let error_v = (x0.video.clone() - clean.video) * inverse.clone().reshape([b, 1, 1, 1, 1]);
    let error_a = (x0.audio.clone() - clean.audio) * inverse.reshape([b, 1, 1]);
    Ok(JointLatents { video: error_v.powi_scalar(2), audio: error_a.powi_scalar(2) })
}

/// The velocity of a clean prediction at time `t`.
pub fn velocity(x: &JointLatents, clean: &JointLatents, t: f64) -> JointLatents {
    let inverse = 1.0 / t.max(T_FLOOR);
    JointLatents { video: (x.video.clone() - clean.video.clone()).mul_scalar(inverse), audio: (x.audio.clone() - clean.audio.clone()).mul_scalar(inverse) }
}

/// kino-2 under a prompt's slots, with classifier-free guidance applied only inside a window of
/// times (Kynkäänniemi et al., 2024): at the noisiest times guidance pushes every sample to the
/// same over-saturated mode, at the cleanest it only sharpens noise.
pub struct SlotGuided<'a> {
    pub model: &'a Kino2,
    pub slots: SlotTensors,
    /// The same batch with nothing asked.
    pub unconditional: SlotTensors,
    /// Guidance scale; 1 runs only the conditional branch.
    pub scale: f64,
    /// Times `[low, high]` where guidance applies; elsewhere the scale is 1.
    pub window: [f64; 2],
}

impl VelocityField for SlotGuided<'_> {
    fn velocity(&self, x: &JointLatents, t: f64) -> Result<JointLatents, ShapeError> {
        let times = Tensor::<1>::full([x.batch()], t, &x.video.device());
        let clean = self.model.forward(x, times.clone(), &self.slots)?;
        let guided = self.scale != 1.0 && (self.window[0]..=self.window[1]).contains(&t);
        if !guided {
            return Ok(velocity(x, &clean, t));
        }
        let plain = self.model.forward(x, times, &self.unconditional)?;
        // Guidance on the clean predictions is guidance on the velocities: both are affine in them.
        Ok(velocity(x, &crate::flow::guide(clean, plain, self.scale), t))
    }
}
