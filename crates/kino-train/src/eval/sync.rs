//! Audio onsets and their offsets from visual contacts.
//!
//! The onset detector works on the log energy of 20 ms windows every 10 ms: an onset is a
//! window whose energy rose at least [`RISE_DB`] over the quieter of the two windows before it,
//! is the largest rise within ±30 ms, is at most [`FLOOR_DB`] below the clip's loudest window,
//! and comes at least 60 ms after the previous onset.

/// Hop between analysis windows, in seconds.
pub const HOP_S: f64 = 0.01;
/// Rise in decibels that makes an onset.
pub const RISE_DB: f64 = 6.0;
/// How far below the loudest window an onset may be, in decibels.
pub const FLOOR_DB: f64 = 40.0;
/// How far from a visual contact an onset may be and still match it, in seconds.
pub const MATCH_WINDOW_S: f64 = 0.25;

/// Onset times in seconds of `audio` at `sample_rate`.
pub fn onsets(audio: &[f32], sample_rate: u32) -> Vec<f64> {
    let hop = (f64::from(sample_rate) * HOP_S).round().max(1.0) as usize;
    let window = 2 * hop;
    if audio.len() < window {
        return Vec::new();
    }
    let db: Vec<f64> = (0..=(audio.len() - window) / hop)
        .map(|i| {
            let e: f64 = audio[i * hop..i * hop + window].iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / window as f64;
            10.0 * (e + 1e-12).log10()
        })
        .collect();
    let loudest = db.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let rise: Vec<f64> = (0..db.len())
        .map(|i| match i {
            0 => 0.0,
            1 => db[1] - db[0],
            _ => db[i] - db[i - 1].min(db[i - 2]),
        })
        .collect();
    let mut out: Vec<f64> = Vec::new();
    for i in 0..db.len() {
        let local = rise[i.saturating_sub(3)..(i + 4).min(db.len())].iter().all(|&r| r <= rise[i]);
        if rise[i] >= RISE_DB && local && db[i] >= loudest - FLOOR_DB {
            // The attack starts in the second half of the window that first rises.
            let t = (i * hop + hop) as f64 / f64::from(sample_rate);
            if out.last().is_none_or(|&last| t - last >= 0.06) {
                out.push(t);
            }
        }
    }
    out
}

/// For each contact time, the offset (onset minus contact, seconds) of the nearest onset within
/// [`MATCH_WINDOW_S`]; contacts with none are left out.
pub fn offsets(contacts: &[f64], onsets: &[f64]) -> Vec<f64> {
    contacts.iter().filter_map(|&c| onsets.iter().map(|&o| o - c).filter(|d| d.abs() <= MATCH_WINDOW_S).min_by(|a, b| a.abs().total_cmp(&b.abs()))).collect()
}

/// The median of `values`; `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { 0.5 * (v[n / 2 - 1] + v[n / 2]) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quiet noise with a decaying 600 Hz click at each of `times`.
    fn clicks(times: &[f64]) -> Vec<f32> {
        let rate = 16_000.0;
        let mut state = 12345u32;
        let mut audio: Vec<f32> = (0..32_000)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (f64::from(state >> 8) / f64::from(1u32 << 24) - 0.5) as f32 * 0.002
            })
            .collect();
        for &t in times {
            let start = (t * rate) as usize;
            for k in 0..1600 {
                let s = k as f64 / rate;
                audio[start + k] += (0.6 * (-s / 0.03).exp() * (2.0 * std::f64::consts::PI * 600.0 * s).sin()) as f32;
            }
        }
        audio
    }

    #[test]
    fn finds_each_click_of_a_train_and_nothing_else() {
        let times = [0.25, 0.8, 1.1, 1.62];
        let found = onsets(&clicks(&times), 16_000);
        assert_eq!(found.len(), times.len(), "{found:?}");
        for (f, t) in found.iter().zip(times) {
            assert!((f - t).abs() <= 0.015, "onset {f} for a click at {t}");
        }
        assert!(onsets(&clicks(&[]), 16_000).is_empty());
    }

    #[test]
    fn offsets_pair_contacts_with_the_nearest_onset() {
        let got = offsets(&[0.5, 1.0, 1.9], &[0.52, 0.9, 1.3]);
        assert_eq!(got.len(), 2);
        assert!((got[0] - 0.02).abs() < 1e-9 && (got[1] + 0.1).abs() < 1e-9, "{got:?}");
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), Some(2.5));
    }
}
