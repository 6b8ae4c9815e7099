//! The sound's picture: log-magnitude short-time Fourier transforms, and back to a waveform by
//! Griffin-Lim phase recovery (Griffin and Lim, 1984).
//!
//! The audio autoencoder works on these frames instead of raw samples: a squared error on log
//! magnitudes is close to what the ear hears, and it needs no phase, which a small model on a
//! CPU budget cannot learn (the waveform autoencoder we tried first learned near-silence).
//! kino-world's sounds (impacts, splashes, voices) come back recognisable from 32 iterations.
//!
//! At [`crate::audio_vae::MODEL_RATE`] = 15 360 Hz with a hop of 320 samples there are exactly
//! 48 frames a second: 4 per 12 fps video frame, 16 per video latent frame.

use std::f32::consts::PI;
use std::sync::Arc;

use rustfft::num_complex::Complex32;
use rustfft::{Fft, FftPlanner};

/// Floor of the magnitudes before the logarithm (-100 dB re full scale).
const MAGNITUDE_FLOOR: f32 = 1e-5;

/// An STFT of fixed size with a periodic Hann window.
pub struct Stft {
    /// Window and FFT length (512: 33 ms at 15 360 Hz).
    pub n_fft: usize,
    /// Samples between frames (320).
    pub hop: usize,
    window: Vec<f32>,
    forward: Arc<dyn Fft<f32>>,
    inverse: Arc<dyn Fft<f32>>,
}

impl std::fmt::Debug for Stft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stft").field("n_fft", &self.n_fft).field("hop", &self.hop).finish()
    }
}

impl Stft {
    pub fn new(n_fft: usize, hop: usize) -> Stft {
        let window = (0..n_fft).map(|i| 0.5 - 0.5 * (2.0 * PI * i as f32 / n_fft as f32).cos()).collect();
        let mut planner = FftPlanner::new();
        Stft { n_fft, hop, window, forward: planner.plan_fft_forward(n_fft), inverse: planner.plan_fft_inverse(n_fft) }
    }

    /// Frequency bins per frame (`n_fft / 2 + 1`).
    pub fn bins(&self) -> usize {
        self.n_fft / 2 + 1
    }

    /// Frames of `samples` samples: one per hop, centred on `k * hop` (the signal is padded by
    /// reflection at both ends), so `samples / hop` frames for a whole number of hops.
    pub fn frames(&self, samples: usize) -> usize {
        samples.div_ceil(self.hop)
    }

    /// Complex spectra, `frames x bins`.
    pub fn analyse(&self, samples: &[f32]) -> Vec<Vec<Complex32>> {
        let half = self.n_fft / 2;
        let n = samples.len() as isize;
        let at = |i: isize| -> f32 {
            if n == 0 {
                return 0.0;
            }
            // Reflect at the ends (without repeating the edge sample), then clamp.
            let mut j = i;
            if j < 0 {
                j = -j;
            }
            if j >= n {
                j = 2 * (n - 1) - j;
            }
            samples[j.clamp(0, n - 1) as usize]
        };
        (0..self.frames(samples.len()))
            .map(|k| {
                let start = (k * self.hop) as isize - half as isize;
                let mut buffer: Vec<Complex32> = (0..self.n_fft).map(|i| Complex32::new(at(start + i as isize) * self.window[i], 0.0)).collect();
                self.forward.process(&mut buffer);
                buffer.truncate(self.bins());
                buffer
            })
            .collect()
    }

    /// Overlap-add of the inverse transforms of `spectra` (`frames x bins`), `samples` long;
    /// the window-sum normalisation makes `synthesise(analyse(x)) == x` up to the last frame's
    /// centre; after it only that frame's fading window covers the signal (the last hop, 21 ms
    /// at Kino's sizes, comes back approximate, its last 4 ms silent).
    pub fn synthesise(&self, spectra: &[Vec<Complex32>], samples: usize) -> Vec<f32> {
        let half = self.n_fft / 2;
        let padded = samples + self.n_fft;
        let mut out = vec![0f32; padded];
        let mut weight = vec![0f32; padded];
        let mut buffer = vec![Complex32::new(0.0, 0.0); self.n_fft];
        for (k, spectrum) in spectra.iter().enumerate() {
            for (i, slot) in buffer.iter_mut().enumerate() {
                // Rebuild the full spectrum of a real signal from its lower half.
                *slot = if i < spectrum.len() { spectrum[i] } else { spectrum[self.n_fft - i].conj() };
            }
            self.inverse.process(&mut buffer);
            let start = k * self.hop;
            for i in 0..self.n_fft {
                if start + i < padded {
                    out[start + i] += buffer[i].re / self.n_fft as f32 * self.window[i];
                    weight[start + i] += self.window[i] * self.window[i];
                }
            }
        }
        (0..samples).map(|i| if weight[i + half] > 1e-6 { out[i + half] / weight[i + half] } else { 0.0 }).collect()
    }

    /// Natural-log magnitudes, `frames x bins`.
    pub fn log_magnitudes(&self, samples: &[f32]) -> Vec<Vec<f32>> {
        self.analyse(samples).iter().map(|frame| frame.iter().map(|c| c.norm().max(MAGNITUDE_FLOOR).ln()).collect()).collect()
    }

    /// A waveform whose magnitudes approach `log_magnitudes` (`frames x bins`): Griffin-Lim,
    /// starting from zero phase, `iterations` rounds of synthesis and re-analysis.
    pub fn griffin_lim(&self, log_magnitudes: &[Vec<f32>], samples: usize, iterations: usize) -> Vec<f32> {
        let magnitudes: Vec<Vec<f32>> =
            log_magnitudes.iter().map(|f| f.iter().map(|v| if *v <= MAGNITUDE_FLOOR.ln() + 1e-3 { 0.0 } else { v.exp() }).collect()).collect();
        let mut spectra: Vec<Vec<Complex32>> = magnitudes.iter().map(|f| f.iter().map(|m| Complex32::new(*m, 0.0)).collect()).collect();
        let mut signal = self.synthesise(&spectra, samples);
        for _ in 0..iterations {
            let estimate = self.analyse(&signal);
            for ((target, frame), est) in magnitudes.iter().zip(spectra.iter_mut()).zip(estimate) {
                for ((m, slot), e) in target.iter().zip(frame.iter_mut()).zip(est) {
                    let norm = e.norm();
                    *slot = if norm > 1e-12 { e * (*m / norm) } else { Complex32::new(*m, 0.0) };
                }
            }
            signal = self.synthesise(&spectra, samples);
        }
        signal.iter().map(|s| s.clamp(-1.0, 1.0)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(freq: f32, rate: f32, n: usize) -> Vec<f32> {
        (0..n).map(|i| 0.5 * (2.0 * PI * freq * i as f32 / rate).sin()).collect()
    }

    #[test]
    fn analysis_then_synthesis_gives_the_signal_back() {
        let stft = Stft::new(512, 320);
        let x: Vec<f32> = tone(440.0, 15_360.0, 3200).iter().enumerate().map(|(i, s)| s + 0.1 * ((i * 7919 % 97) as f32 / 97.0 - 0.5)).collect();
        let y = stft.synthesise(&stft.analyse(&x), x.len());
        let covered = x.len() - 320;
        let err = x[..covered].iter().zip(&y).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        let at = x[..covered].iter().zip(&y).position(|(a, b)| (a - b).abs() == err);
        assert!(err < 1e-4, "max error {err} at {at:?}");
    }

    #[test]
    fn frames_line_up_with_video_frames() {
        let stft = Stft::new(512, 320);
        // 2 s at 15 360 Hz: 96 frames, 4 per 12 fps video frame.
        assert_eq!(stft.frames(30_720), 96);
        assert_eq!(stft.log_magnitudes(&vec![0.0; 30_720]).len(), 96);
        assert_eq!(stft.bins(), 257);
    }

    #[test]
    fn a_tone_peaks_in_its_bin() {
        let stft = Stft::new(512, 320);
        // 15 360 / 512 = 30 Hz per bin: 900 Hz is bin 30.
        let frames = stft.log_magnitudes(&tone(900.0, 15_360.0, 6400));
        let peak = frames[10].iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map(|(i, _)| i);
        assert_eq!(peak, Some(30));
    }

    #[test]
    fn griffin_lim_recovers_a_sound_with_the_same_spectrum() {
        let stft = Stft::new(512, 320);
        // A decaying 600 Hz knock at 0.1 s, silence elsewhere.
        let n = 6400;
        let x: Vec<f32> =
            (0..n).map(|i| if i >= 1536 { 0.8 * (-((i - 1536) as f32) / 400.0).exp() * (2.0 * PI * 600.0 * i as f32 / 15_360.0).sin() } else { 0.0 }).collect();
        let target = stft.log_magnitudes(&x);
        let y = stft.griffin_lim(&target, n, 32);
        let got = stft.log_magnitudes(&y);
        let error: f32 = target.iter().flatten().zip(got.iter().flatten()).map(|(a, b)| (a.exp() - b.exp()).abs()).sum::<f32>();
        let total: f32 = target.iter().flatten().map(|a| a.exp()).sum();
        assert!(error / total < 0.25, "spectral error {:.3}", error / total);
        // The knock starts where it did: nothing loud before it.
        let before = y[..1200].iter().map(|s| s.abs()).fold(0f32, f32::max);
        let after = y[1536..2400].iter().map(|s| s.abs()).fold(0f32, f32::max);
        assert!(before < 0.1 * after, "before {before}, after {after}");
    }
}
