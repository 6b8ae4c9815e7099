//! Softened and noisy copies of frames (`kino-train judge --augment`): a generated clip is never
//! as crisp as a render, and a judge trained on renders alone reads a soft ball as nothing.
//! The adherence suite trusts its kind judge only when it also reads degraded renders right.

use kino_world::Frame;
use kino_world::rng::Rng;

/// How a frame is degraded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degradation {
    /// Two passes of a 3x3 box blur (about a Gaussian of 1 pixel).
    Blur,
    /// Gaussian-like noise of [`NOISE_SIGMA`], drawn anew for every channel of every pixel.
    Noise,
}

impl Degradation {
    pub const ALL: [Degradation; 2] = [Degradation::Blur, Degradation::Noise];
}

/// Standard deviation of the added noise, in 8-bit steps.
pub const NOISE_SIGMA: f32 = 16.0;

/// `rgb` (`width * height * 3` bytes) degraded as `how` asks.
pub fn degrade(rgb: &[u8], width: usize, height: usize, how: Degradation, rng: &mut Rng) -> Vec<u8> {
    match how {
        Degradation::Blur => box_blur(&box_blur(rgb, width, height), width, height),
        Degradation::Noise => rgb
            .iter()
            .map(|&v| {
                // The sum of four uniforms, centred and scaled: close enough to a Gaussian here.
                let n = (0..4).map(|_| rng.f32()).sum::<f32>() - 2.0;
                (f32::from(v) + n * NOISE_SIGMA * 3f32.sqrt()).round().clamp(0.0, 255.0) as u8
            })
            .collect(),
    }
}

/// Every frame of a clip degraded as `how` asks (RGB bytes per frame).
pub fn degrade_frames(frames: &[Frame], how: Degradation, rng: &mut Rng) -> Vec<Vec<u8>> {
    frames.iter().map(|f| degrade(&f.rgb, f.width as usize, f.height as usize, how, rng)).collect()
}

/// Each pixel the mean of the 3x3 pixels around it (edges repeat the border).
fn box_blur(rgb: &[u8], width: usize, height: usize) -> Vec<u8> {
    let mut out = vec![0u8; rgb.len()];
    for y in 0..height {
        for x in 0..width {
            for c in 0..3 {
                let mut sum = 0u32;
                for dy in [-1i64, 0, 1] {
                    for dx in [-1i64, 0, 1] {
                        let yy = (y as i64 + dy).clamp(0, height as i64 - 1) as usize;
                        let xx = (x as i64 + dx).clamp(0, width as i64 - 1) as usize;
                        sum += u32::from(rgb[(yy * width + xx) * 3 + c]);
                    }
                }
                out[(y * width + x) * 3 + c] = ((sum + 4) / 9) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blur_spreads_a_dot_and_keeps_a_flat_field() {
        let (w, h) = (8, 8);
        let flat = vec![100u8; w * h * 3];
        assert_eq!(degrade(&flat, w, h, Degradation::Blur, &mut Rng::new(1)), flat);
        let mut dot = vec![0u8; w * h * 3];
        dot[(4 * w + 4) * 3] = 255;
        let blurred = degrade(&dot, w, h, Degradation::Blur, &mut Rng::new(1));
        assert!(blurred[(4 * w + 4) * 3] < 100, "the dot's peak falls");
        assert!(blurred[(4 * w + 5) * 3] > 0 && blurred[(5 * w + 5) * 3] > 0, "its neighbours light up");
        assert_eq!(blurred[(4 * w + 4) * 3 + 1], 0, "channels stay apart");
    }

    #[test]
    fn noise_moves_pixels_by_about_its_sigma() {
        let (w, h) = (32, 32);
        let grey = vec![128u8; w * h * 3];
        let noisy = degrade(&grey, w, h, Degradation::Noise, &mut Rng::new(7));
        let var = noisy.iter().map(|&v| (f32::from(v) - 128.0).powi(2)).sum::<f32>() / noisy.len() as f32;
        assert!((var.sqrt() - NOISE_SIGMA).abs() < 2.0, "sigma {}", var.sqrt());
        assert_ne!(noisy, degrade(&grey, w, h, Degradation::Noise, &mut Rng::new(8)));
    }
}
