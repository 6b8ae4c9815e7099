//! The autoencoders' posterior: a diagonal Gaussian per latent value, of any tensor rank
//! (`[batch, latent, frames, height, width]` for video, `[batch, latent, frames]` for audio).

use burn::tensor::{Distribution, Tensor};

#[derive(Debug, Clone)]
pub struct Posterior<const D: usize> {
    pub mean: Tensor<D>,
    /// Same shape as `mean`; clamped to `[-30, 20]` by the encoders.
    pub log_var: Tensor<D>,
}

impl<const D: usize> Posterior<D> {
    /// A sample `mean + std * noise`.
    pub fn sample(&self) -> Tensor<D> {
        let noise = self.mean.random_like(Distribution::Normal(0.0, 1.0));
        self.mean.clone() + self.log_var.clone().mul_scalar(0.5).exp() * noise
    }

    /// KL divergence to the unit Gaussian, averaged over every latent value.
    pub fn kl(&self) -> Tensor<1> {
        let var = self.log_var.clone().exp();
        (self.mean.clone().powi_scalar(2) + var - self.log_var.clone()).sub_scalar(1.0).mul_scalar(0.5).mean()
    }
}
