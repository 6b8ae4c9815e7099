//! Avatar speech as syllables: one schedule drives both the babble sound and the mouth.

use kino_core::scene::Avatar;
use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// One spoken syllable: a vowel between two formants at a pitch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Syllable {
    pub start_s: f64,
    pub dur_s: f64,
    /// Formant frequencies of the vowel, Hz.
    pub f1: f32,
    pub f2: f32,
    /// Pitch multiplier on the voice's fundamental (intonation).
    pub pitch: f32,
}

const VOWELS: [(f32, f32); 6] = [(730.0, 1090.0), (530.0, 1840.0), (270.0, 2290.0), (570.0, 840.0), (300.0, 870.0), (660.0, 1720.0)];

/// The syllables an avatar says, from its speech spans (deterministic in `seed`).
pub fn syllables(avatar: &Avatar, seed: u64, object: usize) -> Vec<Syllable> {
    let mut rng = Rng::stream(seed ^ (object as u64).wrapping_mul(0x9E37), "voice");
    let mut out = Vec::new();
    for span in &avatar.speech {
        let (a, b) = (f64::from(span[0]), f64::from(span[1]));
        let mut t = a;
        while t < b - 0.06 {
            let dur = f64::from(rng.range(0.12, 0.24)).min(b - t);
            let (f1, f2) = rng.pick(&VOWELS);
            out.push(Syllable { start_s: t, dur_s: dur, f1, f2, pitch: rng.range(0.9, 1.15) });
            t += dur + f64::from(rng.range(0.02, 0.08));
        }
    }
    out
}

/// Loudness envelope of a syllable at `t` seconds from its start (0 to 1).
pub fn envelope(s: &Syllable, t: f64) -> f32 {
    if t < 0.0 || t > s.dur_s {
        return 0.0;
    }
    let attack = (t / 0.03).min(1.0);
    let release = ((s.dur_s - t) / 0.05).min(1.0);
    (attack.min(release)) as f32
}

/// How open the mouth is at time `t` (0 closed, 1 wide).
pub fn mouth_open(syllables: &[Syllable], t: f64) -> f32 {
    syllables.iter().map(|s| envelope(s, t - s.start_s) * (s.f1 / 730.0)).fold(0.0, f32::max)
}
