//! Finding the mark without the original: average the frames, high-pass, measure the tile
//! period from the autocorrelation, fold onto one tile, search the synchronisation pattern over
//! every cyclic shift, then decode the payload with the Viterbi decoder and check its CRC.

use super::key::WatermarkKey;
use super::layout::{Cell, Layout};
use super::{GRID, cell_size, ecc};
use crate::frame::Luma;

/// Sub-bins per cell when folding.
const SUB: usize = 4;
/// Folded tile side in bins.
const BINS: usize = GRID * SUB;
/// Analysis pictures are shrunk (by an integer factor) until the shorter side is at most this.
const ANALYSIS_SIDE: usize = 256;
/// Peak-to-sidelobe score the synchronisation must reach before a payload is believed.
pub const MIN_SYNC_SCORE: f32 = 5.0;

/// What the detector found.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The video id, when the synchronisation was found and the CRC matches.
    pub payload: Option<u64>,
    /// The decoder's best guess even when the CRC fails (for measuring bit accuracy).
    pub best_guess: u64,
    /// Peak-to-sidelobe score of the synchronisation pattern (about 4 on unmarked video).
    pub sync_score: f32,
    /// Tile period found, in pixels of the analysed video (x, y).
    pub period: (f32, f32),
}

impl Detection {
    fn none() -> Detection {
        Detection { payload: None, best_guess: 0, sync_score: 0.0, period: (0.0, 0.0) }
    }
}

/// Looks for the mark of `key` in `frames` (all the same size).
pub fn detect(frames: &[Luma], key: &WatermarkKey) -> Detection {
    let mut mean = MeanLuma::default();
    for f in frames {
        mean.add(f);
    }
    mean.finish().map_or_else(Detection::none, |m| detect_mean(&m, key))
}

/// A running average of frames, so long videos need not be held in memory.
#[derive(Debug, Clone, Default)]
pub struct MeanLuma {
    sum: Vec<f64>,
    size: (usize, usize),
    count: usize,
    mismatched: bool,
}

impl MeanLuma {
    /// Adds a frame (frames of another size than the first make the average unusable).
    pub fn add(&mut self, f: &Luma) {
        if self.count == 0 {
            self.sum = vec![0.0; f.data.len()];
            self.size = (f.width, f.height);
        } else if self.size != (f.width, f.height) {
            self.mismatched = true;
            return;
        }
        for (s, &v) in self.sum.iter_mut().zip(&f.data) {
            *s += f64::from(v);
        }
        self.count += 1;
    }

    /// Frames added.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The average, if there was at least one frame and all had one size.
    pub fn finish(&self) -> Option<Luma> {
        if self.count == 0 || self.mismatched {
            return None;
        }
        let n = self.count as f64;
        Some(Luma { width: self.size.0, height: self.size.1, data: self.sum.iter().map(|&s| (s / n) as f32).collect() })
    }
}

/// Looks for the mark of `key` in the average of a video's frames.
pub fn detect_mean(mean: &Luma, key: &WatermarkKey) -> Detection {
    let (w, h) = (mean.width, mean.height);
    if w < 16 || h < 16 {
        return Detection::none();
    }
    let mean = mean.clone();
    let d = (w.min(h) / ANALYSIS_SIDE).max(1);
    let small = if d > 1 { shrink(&mean, d) } else { mean };

    let layout = Layout::new(key);
    let mut candidates: Vec<(f32, f32)> = Vec::new();
    // The size rule itself: right for untouched files and for most plain resizes.
    let rule = (GRID * cell_size(w, h)) as f32 / d as f32;
    candidates.push((rule, rule));
    let fine = whiten(&high_pass(&small, 2), 4);
    let px = periods(&fine, true);
    let py = periods(&fine, false);
    for &a in px.iter().take(2) {
        for &b in py.iter().take(2) {
            candidates.push((a, b));
        }
    }
    for &a in px.iter().take(2) {
        candidates.push((a, a));
    }
    for &b in py.iter().take(2) {
        candidates.push((b, b));
    }
    let mut best = Detection::none();
    let mut tried: Vec<(f32, f32)> = Vec::new();
    for (cx, cy) in candidates {
        if cx < 8.0 || cy < 8.0 || tried.iter().any(|&(a, b)| (a - cx).abs() < 0.05 && (b - cy).abs() < 0.05) {
            continue;
        }
        tried.push((cx, cy));
        let found = decode_at(&small, cx, cy, &layout);
        let better = match (found.payload.is_some(), best.payload.is_some()) {
            (true, false) => true,
            (false, true) => false,
            _ => found.sync_score > best.sync_score,
        };
        if better {
            best = found;
        }
        if best.payload.is_some() {
            break;
        }
    }
    best.period = (best.period.0 * d as f32, best.period.1 * d as f32);
    best
}

/// Averages `d x d` blocks.
fn shrink(src: &Luma, d: usize) -> Luma {
    let (w, h) = (src.width / d, src.height / d);
    let mut out = Luma::zeros(w, h);
    for y in 0..h {
        for x in 0..w {
            let mut s = 0.0;
            for yy in 0..d {
                for xx in 0..d {
                    s += src.at(x * d + xx, y * d + yy);
                }
            }
            out.data[y * w + x] = s / (d * d) as f32;
        }
    }
    out
}

/// `src` minus its `(2r+1)^2` box average, clipped to +-12 levels so edges do not dominate.
fn high_pass(src: &Luma, r: usize) -> Luma {
    let (w, h) = (src.width, src.height);
    let mut integral = vec![0f64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0f64;
        for x in 0..w {
            row += f64::from(src.at(x, y));
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    let mut out = Luma::zeros(w, h);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let s = integral[y1 * (w + 1) + x1] - integral[y0 * (w + 1) + x1] - integral[y1 * (w + 1) + x0] + integral[y0 * (w + 1) + x0];
            let mean = s / ((x1 - x0) * (y1 - y0)) as f64;
            out.data[y * w + x] = (src.at(x, y) - mean as f32).clamp(-12.0, 12.0);
        }
    }
    out
}

/// Divides each residual by its local RMS (over a `(2r+1)^2` window, with a floor),
/// so flat areas, where the mark stands out, count more than busy texture, where it drowns.
/// The floor (0.5 levels) keeps perfectly flat areas from dividing by zero.
fn whiten(src: &Luma, r: usize) -> Luma {
    let (w, h) = (src.width, src.height);
    let mut integral = vec![0f64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0f64;
        for x in 0..w {
            let v = f64::from(src.at(x, y));
            row += v * v;
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    let mut out = Luma::zeros(w, h);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let s = integral[y1 * (w + 1) + x1] - integral[y0 * (w + 1) + x1] - integral[y1 * (w + 1) + x0] + integral[y0 * (w + 1) + x0];
            let ms = s / ((x1 - x0) * (y1 - y0)) as f64;
            out.data[y * w + x] = src.at(x, y) / ((ms + 0.25).sqrt() as f32);
        }
    }
    out
}

/// Candidate tile periods along x (`horizontal`) or y, strongest first, from the
/// autocorrelation of the high-passed picture.
fn periods(r: &Luma, horizontal: bool) -> Vec<f32> {
    let (w, h) = (r.width, r.height);
    let len = if horizontal { w } else { h };
    let max_lag = len * 3 / 4;
    if max_lag < 10 {
        return Vec::new();
    }
    let ac: Vec<f32> = (0..=max_lag + 1)
        .map(|lag| {
            let mut s = 0f64;
            let mut n = 0usize;
            if horizontal {
                for y in 0..h {
                    let row = &r.data[y * w..(y + 1) * w];
                    for x in 0..w.saturating_sub(lag) {
                        s += f64::from(row[x] * row[x + lag]);
                    }
                    n += w.saturating_sub(lag);
                }
            } else {
                for y in 0..h.saturating_sub(lag) {
                    let (a, b) = (&r.data[y * w..(y + 1) * w], &r.data[(y + lag) * w..(y + lag + 1) * w]);
                    s += a.iter().zip(b).map(|(p, q)| f64::from(p * q)).sum::<f64>();
                    n += w;
                }
            }
            if n == 0 { 0.0 } else { (s / n as f64) as f32 }
        })
        .collect();
    let mut peaks: Vec<(usize, f32)> = (8..=max_lag).filter(|&l| ac[l] > 0.0 && ac[l] > ac[l - 1] && ac[l] >= ac[l + 1]).map(|l| (l, ac[l])).collect();
    peaks.sort_by(|a, b| b.1.total_cmp(&a.1));
    let interp = |l: usize| -> f32 {
        let (a, b, c) = (ac[l - 1], ac[l], ac[l + 1]);
        let den = a - 2.0 * b + c;
        if den.abs() < 1e-9 { l as f32 } else { l as f32 + (0.5 * (a - c) / den).clamp(-0.5, 0.5) }
    };
    let mut out: Vec<f32> = Vec::new();
    for &(l, v) in peaks.iter().take(3) {
        // Prefer the fundamental: a multiple of a smaller strong peak is that peak's harmonic.
        let base = peaks
            .iter()
            .filter(|&&(l2, v2)| l2 < l && v2 > 0.5 * v && (l as f32 / l2 as f32 - (l as f32 / l2 as f32).round()).abs() < 0.06)
            .map(|&(l2, _)| l2)
            .min()
            .unwrap_or(l);
        // Refine with the highest harmonic that still shows.
        let p0 = interp(base);
        let mut p = p0;
        let mut k = 2;
        while (k as f32 * p0) as usize + 2 <= max_lag {
            let centre = (k as f32 * p0).round() as usize;
            let window = (centre.saturating_sub(2).max(9))..=(centre + 2).min(max_lag);
            if let Some(best) = window.filter(|&m| ac[m] > ac[m - 1] && ac[m] >= ac[m + 1]).max_by(|&a, &b| ac[a].total_cmp(&ac[b]))
                && ac[best] > 0.3 * ac[base]
            {
                p = interp(best) / k as f32;
            }
            k += 1;
        }
        if !out.iter().any(|&q| (q - p).abs() < 0.5) {
            out.push(p);
        }
    }
    out
}

/// Folds the picture with tile period `(px, py)` and reads the mark.
fn decode_at(src: &Luma, px: f32, py: f32, layout: &Layout) -> Detection {
    let r = ((1.5 * px / GRID as f32).round() as usize).max(2);
    let hp = whiten(&high_pass(src, r), 2 * r);
    let mut sum = vec![0f32; BINS * BINS];
    let mut count = vec![0u32; BINS * BINS];
    let (fx, fy) = (BINS as f32 / px, BINS as f32 / py);
    for y in 0..hp.height {
        let by = (((y as f32 + 0.5) * fy) as usize) % BINS;
        for x in 0..hp.width {
            let bx = (((x as f32 + 0.5) * fx) as usize) % BINS;
            sum[by * BINS + bx] += hp.data[y * hp.width + x];
            count[by * BINS + bx] += 1;
        }
    }
    let bins: Vec<f32> = sum.iter().zip(&count).map(|(&s, &c)| if c == 0 { 0.0 } else { s / c as f32 }).collect();
    let sync: Vec<(usize, f32)> =
        layout.cells.iter().enumerate().filter_map(|(i, c)| if let Cell::Sync { sign } = *c { Some((i, sign)) } else { None }).collect();

    let mut best = (f32::NEG_INFINITY, 0usize, 0usize, 0usize, 0usize);
    let (mut total, mut total_sq, mut samples) = (0f64, 0f64, 0f64);
    let mut cells_by_phase = Vec::with_capacity(SUB * SUB);
    for oy in 0..SUB {
        for ox in 0..SUB {
            let mut cells = vec![0f32; GRID * GRID];
            for cy in 0..GRID {
                for cx in 0..GRID {
                    let mut s = 0.0;
                    for v in 0..SUB {
                        let row = (cy * SUB + oy + v) % BINS;
                        for u in 0..SUB {
                            s += bins[row * BINS + (cx * SUB + ox + u) % BINS];
                        }
                    }
                    cells[cy * GRID + cx] = s;
                }
            }
            for sy in 0..GRID {
                for sx in 0..GRID {
                    let score: f32 = sync.iter().map(|&(i, sign)| sign * cells[((i / GRID + sy) % GRID) * GRID + (i % GRID + sx) % GRID]).sum();
                    total += f64::from(score);
                    total_sq += f64::from(score) * f64::from(score);
                    samples += 1.0;
                    if score > best.0 {
                        best = (score, ox, oy, sx, sy);
                    }
                }
            }
            cells_by_phase.push(cells);
        }
    }
    let mean = total / samples;
    let std = ((total_sq / samples - mean * mean).max(1e-12)).sqrt();
    let sync_score = ((f64::from(best.0) - mean) / std) as f32;
    let (_, ox, oy, sx, sy) = best;
    let cells = &cells_by_phase[oy * SUB + ox];
    let mut soft = vec![0f32; ecc::CODED_BITS];
    for (i, c) in layout.cells.iter().enumerate() {
        if let Cell::Data { bit, sign } = *c {
            soft[bit] += sign * cells[((i / GRID + sy) % GRID) * GRID + (i % GRID + sx) % GRID];
        }
    }
    let decoded = ecc::decode(&soft);
    Detection {
        payload: (decoded.crc_ok && sync_score >= MIN_SYNC_SCORE).then_some(decoded.payload),
        best_guess: decoded.payload,
        sync_score,
        period: (px, py),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watermark::Embedder;

    fn textured(w: usize, h: usize, seed: u32) -> Vec<u8> {
        (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                let noise = ((i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) >> 27) as f32;
                (110.0 + 50.0 * (x / 23.0 + seed as f32).sin() * (y / 31.0).cos() + noise) as u8
            })
            .collect()
    }

    #[test]
    fn finds_the_mark_in_clean_frames_and_not_in_unmarked_ones() {
        let key = WatermarkKey::default();
        let (w, h) = (128, 96);
        let id = 0x1234_5678_9ABC_DEF0;
        let emb = Embedder::new(&key, id, w, h, 2.5);
        let frames: Vec<Luma> = (0..4)
            .map(|s| {
                let mut p = textured(w, h, s);
                emb.apply(&mut p, w);
                Luma::from_plane(&p, w, w, h)
            })
            .collect();
        let found = detect(&frames, &key);
        assert_eq!(found.payload, Some(id), "{found:?}");
        let plain: Vec<Luma> = (0..4).map(|s| Luma::from_plane(&textured(w, h, s), w, w, h)).collect();
        assert_eq!(detect(&plain, &key).payload, None);
        assert_eq!(detect(&frames, &WatermarkKey::from_secret(b"other")).payload, None);
    }
}
