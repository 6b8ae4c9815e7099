//! Sound from the event log: 16 kHz mono impacts, rolling, splashes, ambience and babble.
//!
//! Every impact and splash begins on the sample `round(time_s * 16000)` of its event, with
//! a non-zero first sample (cosine-phase partials plus a click of noise), so the sound is
//! heard on the frame it is seen. Impact timbre comes from both materials; loudness grows
//! with the impulse.

use kino_core::scene::{Material, Scene, Setting, Timbre};
use serde::{Deserialize, Serialize};

use crate::physics::{EventKind, Simulation};
use crate::rng::Rng;
use crate::voice::{Syllable, envelope};

/// Samples per second.
pub const SAMPLE_RATE: u32 = 16_000;

/// Which layers to mix (all on by default; tests switch some off to listen to one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioLayers {
    pub impacts: bool,
    pub rolling: bool,
    pub splashes: bool,
    pub ambience: bool,
    pub speech: bool,
}

impl Default for AudioLayers {
    fn default() -> Self {
        AudioLayers { impacts: true, rolling: true, splashes: true, ambience: true, speech: true }
    }
}

/// The sample on which an event at `time_s` starts.
pub fn onset_sample(time_s: f64) -> usize {
    (time_s * f64::from(SAMPLE_RATE)).round().max(0.0) as usize
}

/// Loudness (peak amplitude) of an impact with this impulse, in newton-seconds.
pub fn impact_gain(impulse: f64) -> f32 {
    (0.7 * (1.0 - (-impulse / 6.0).exp())) as f32
}

/// Mix the clip's sound track, `duration_s` long.
pub fn sonify(scene: &Scene, sim: &Simulation, speech: &[Vec<Syllable>], duration_s: f64, layers: AudioLayers) -> Vec<f32> {
    let n = (duration_s * f64::from(SAMPLE_RATE)).round() as usize;
    let mut out = vec![0.0f32; n];
    let mut rng = Rng::stream(scene.seed, "audio");
    if layers.ambience {
        ambience(scene.setting, &mut out, &mut rng);
    }
    if layers.rolling {
        rolling(sim, &mut out, &mut rng);
    }
    for ev in &sim.events {
        let start = onset_sample(ev.time_s);
        match ev.kind {
            EventKind::Impact if layers.impacts => {
                let size = sim.bodies[ev.object].shape.bound();
                impact(&mut out, start, ev.materials, impact_gain(ev.impulse), size, &mut rng);
            }
            EventKind::Splash if layers.splashes => splash(&mut out, start, impact_gain(ev.impulse * 0.5), &mut rng),
            _ => {}
        }
    }
    if layers.speech {
        for (i, syls) in speech.iter().enumerate() {
            let pitch = scene.objects[i].avatar.as_ref().map_or(160.0, |a| a.voice_pitch_hz);
            for s in syls {
                babble(&mut out, s, pitch);
            }
        }
    }
    for v in &mut out {
        *v = v.tanh();
    }
    out
}

fn impact(out: &mut [f32], start: usize, materials: [Material; 2], gain: f32, size: f64, rng: &mut Rng) {
    let sr = SAMPLE_RATE as f32;
    // Larger objects ring lower.
    let scale = (0.15 / size.max(0.03)).sqrt().clamp(0.6, 1.8) as f32;
    let mut parts: Vec<(f32, f32, f32)> = Vec::new();
    let mut noise = 0.0;
    let mut longest: f32 = 0.05;
    for (k, m) in materials.iter().enumerate() {
        let Timbre { base_hz, partials, decay_s, noise: nz } = m.timbre();
        let f = if k == 0 { base_hz * scale } else { base_hz };
        let w = if k == 0 { 0.6 } else { 0.4 };
        parts.push((f, w, decay_s));
        for (j, p) in partials.iter().enumerate() {
            parts.push((f * p, w * [0.6, 0.4, 0.25][j], decay_s * (0.8 - 0.15 * j as f32)));
        }
        noise += nz * w;
        longest = longest.max(decay_s);
    }
    let parts: Vec<_> = parts.into_iter().filter(|(f, ..)| *f < sr * 0.45).collect();
    let norm: f32 = parts.iter().map(|p| p.1).sum::<f32>() + noise;
    let len = ((longest * 1.2).min(1.5) * sr) as usize;
    // Each partial is a decaying phasor turned by one complex multiply per sample.
    let mut osc: Vec<([f32; 2], [f32; 2])> = parts
        .iter()
        .map(|&(f, w, d)| {
            let (s, c) = (std::f32::consts::TAU * f / sr).sin_cos();
            let k = (-6.9 / (d * sr)).exp();
            ([w, 0.0], [c * k, s * k])
        })
        .collect();
    let click_decay = (-1.0 / (0.004 * sr)).exp();
    let mut click = noise;
    let mut lp = 0.0f32;
    for i in 0..len {
        let Some(o) = out.get_mut(start + i) else { break };
        let mut v = 0.0;
        for (z, r) in osc.iter_mut() {
            v += z[0];
            *z = [z[0] * r[0] - z[1] * r[1], z[0] * r[1] + z[1] * r[0]];
        }
        lp += 0.5 * (rng.noise() - lp);
        v += click * if i == 0 { 1.0 } else { lp };
        click *= click_decay;
        *o += gain * v / norm;
    }
}

fn splash(out: &mut [f32], start: usize, gain: f32, rng: &mut Rng) {
    let sr = SAMPLE_RATE as f32;
    let len = (0.5 * sr) as usize;
    let (mut slow, mut fast) = (0.0f32, 0.0f32);
    for i in 0..len {
        let Some(o) = out.get_mut(start + i) else { break };
        let t = i as f32 / sr;
        let x = rng.noise();
        fast += 0.6 * (x - fast);
        slow += 0.08 * (x - slow);
        let band = if i == 0 { 1.0 } else { (fast - slow) * 1.8 };
        *o += gain * band * (-t / 0.12).exp();
    }
    // Bubbles: short rising tones after the crash.
    for _ in 0..4 {
        let at = start + (rng.range(0.02, 0.25) * sr) as usize;
        let f0 = rng.range(350.0, 700.0);
        let blen = (0.05 * sr) as usize;
        let mut phase = 0.0f32;
        for i in 0..blen {
            let Some(o) = out.get_mut(at + i) else { break };
            let t = i as f32 / sr;
            phase += std::f32::consts::TAU * f0 * (1.0 + 12.0 * t) / sr;
            *o += gain * 0.3 * phase.sin() * (-t / 0.015).exp();
        }
    }
}

fn rolling(sim: &Simulation, out: &mut [f32], rng: &mut Rng) {
    let sr = f64::from(SAMPLE_RATE);
    let per_step = (sr / sim.step_hz).ceil() as usize;
    let mut env = vec![0.0f32; out.len()];
    let mut cutoff = vec![0.0f32; out.len()];
    for r in &sim.rolling {
        let end = onset_sample(r.time_s);
        let amp = (0.05 * r.speed.min(4.0) / 4.0).sqrt() as f32 * if r.rolling { 0.35 } else { 0.5 };
        let c = match r.material {
            Material::Rubber => 0.03,
            Material::Wood => 0.08,
            Material::Metal => 0.18,
            Material::Glass => 0.25,
        } * if r.rolling { 1.0 } else { 2.0 };
        for i in end.saturating_sub(per_step)..end.min(out.len()) {
            env[i] += amp;
            cutoff[i] = cutoff[i].max(c);
        }
    }
    let (mut lp, mut smooth) = (0.0f32, 0.0f32);
    for i in 0..out.len() {
        smooth += 0.002 * (env[i] - smooth);
        lp += cutoff[i].max(0.01) * (rng.noise() - lp);
        out[i] += smooth * lp * 3.0;
    }
}

fn ambience(setting: Setting, out: &mut [f32], rng: &mut Rng) {
    let sr = SAMPLE_RATE as f32;
    let mut lp = 0.0f32;
    let birds: Vec<(usize, f32)> =
        if setting == Setting::Park { (0..(out.len() / 8000).max(1)).map(|_| (rng.below(out.len()), rng.range(2400.0, 3600.0))).collect() } else { Vec::new() };
    for (i, o) in out.iter_mut().enumerate() {
        let t = i as f32 / sr;
        let x = rng.noise();
        *o += match setting {
            Setting::Gym => {
                lp += 0.05 * (x - lp);
                0.04 * lp + 0.004 * (std::f32::consts::TAU * 120.0 * t).sin()
            }
            Setting::Park => {
                lp += 0.01 * (x - lp);
                0.12 * lp * (0.6 + 0.4 * (std::f32::consts::TAU * 0.2 * t).sin())
            }
            Setting::Studio => 0.003 * x,
            Setting::Poolside => {
                lp += 0.02 * (x - lp);
                0.1 * lp * (std::f32::consts::TAU * 0.7 * t).sin().abs()
            }
        };
    }
    for (at, f) in birds {
        let len = (0.09 * sr) as usize;
        let mut phase = 0.0f32;
        for i in 0..len {
            let Some(o) = out.get_mut(at + i) else { break };
            let t = i as f32 / sr;
            phase += std::f32::consts::TAU * f * (1.0 + 4.0 * t) / sr;
            *o += 0.035 * phase.sin() * (std::f32::consts::PI * t / 0.09).sin();
        }
    }
}

fn babble(out: &mut [f32], s: &Syllable, pitch: f32) {
    let sr = SAMPLE_RATE as f32;
    let start = onset_sample(s.start_s);
    let len = (s.dur_s * f64::from(SAMPLE_RATE)) as usize;
    let f0 = (pitch * s.pitch).clamp(50.0, 600.0);
    let harmonics = ((3800.0 / f0) as usize).clamp(1, 40);
    let amps: Vec<f32> = (1..=harmonics)
        .map(|k| {
            let f = k as f32 * f0;
            (-((f - s.f1) / 140.0).powi(2)).exp() + 0.6 * (-((f - s.f2) / 200.0).powi(2)).exp() + 0.2 / k as f32
        })
        .collect();
    let norm: f32 = amps.iter().sum::<f32>().max(1e-3);
    let mut phase = 0.0f32;
    for i in 0..len {
        let Some(o) = out.get_mut(start + i) else { break };
        let t = i as f64 / f64::from(SAMPLE_RATE);
        // A falling glide, as at the end of a phrase.
        let f = f0 * (1.06 - 0.1 * (t / s.dur_s) as f32);
        phase = (phase + std::f32::consts::TAU * f / sr) % std::f32::consts::TAU;
        // sin(k * phase) for every harmonic by repeated rotation.
        let (s1, c1) = phase.sin_cos();
        let (mut sk, mut ck) = (s1, c1);
        let mut v = 0.0;
        for a in &amps {
            v += a * sk;
            (sk, ck) = (sk * c1 + ck * s1, ck * c1 - sk * s1);
        }
        *o += 0.25 * envelope(s, t) * v / norm;
    }
}

/// 16-bit PCM WAV bytes for mono samples in `[-1, 1]`.
pub fn wav_bytes(samples: &[f32]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut b = Vec::with_capacity(44 + samples.len() * 2);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    b.extend_from_slice(&(SAMPLE_RATE * 2).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        b.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes());
    }
    b
}
