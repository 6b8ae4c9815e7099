//! Gaussian noise from a seed, made on the host: the same seed gives the same clip on every
//! device and thread count, and it leaves the device's own random stream alone.

use burn::tensor::{Device, Tensor, TensorData};

/// Standard normal noise of `shape` from `seed` (splitmix64 and Box-Muller).
pub fn gaussian<const D: usize>(shape: [usize; D], seed: u64, device: &Device) -> Tensor<D> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let n: usize = shape.iter().product();
    let values: Vec<f32> = (0..n)
        .map(|_| {
            let (u1, u2) = (uniform().max(1e-12), uniform());
            ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
        })
        .collect();
    Tensor::from_data(TensorData::new(values, shape), device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_noise_and_unit_variance() {
        let device = Device::flex();
        let a = gaussian([4, 1000], 3, &device);
        let b = gaussian([4, 1000], 3, &device);
        let c = gaussian([4, 1000], 4, &device);
        assert_eq!(a.clone().into_data(), b.into_data());
        assert!((a.clone() - c).abs().max().into_scalar::<f32>() > 0.1);
        let mean = a.clone().mean().into_scalar::<f32>();
        let var = a.powi_scalar(2).mean().into_scalar::<f32>();
        assert!(mean.abs() < 0.05 && (var - 1.0).abs() < 0.06, "mean {mean}, var {var}");
    }
}
