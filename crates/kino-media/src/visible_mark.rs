//! The visible mark: a small play-triangle and "KINO" in a pixel font, white with a dark outline
//! so it reads on any background, hopping between the corners during the clip (as Sora's mark
//! moves), which makes it harder to crop or paint out. Font pixels scale with the frame: one
//! pixel each at 64x64, seven at 1080p.
//!
//! [`detect`] checks decoded frames for the mark where it should be at each moment.

use crate::frame::{Frame, Luma};

/// Seconds the mark stays in one corner.
pub const HOLD_S: f64 = 1.0;
const GLYPH_ROWS: usize = 5;
/// Play triangle, K, I, N, O; `#` is ink.
const GLYPHS: [&[&str; GLYPH_ROWS]; 5] = [
    &["#..", "##.", "###", "##.", "#.."],
    &["#..#", "#.#.", "##..", "#.#.", "#..#"],
    &["###", ".#.", ".#.", ".#.", "###"],
    &["#..#", "##.#", "#.##", "#..#", "#..#"],
    &[".##.", "#..#", "#..#", "#..#", ".##."],
];
/// Blank font columns after each glyph (a wider gap after the triangle).
const GAPS: [usize; 5] = [2, 1, 1, 1, 0];

/// The mark as a bitmap of font pixels: 1 = ink.
fn bitmap() -> (usize, usize, Vec<u8>) {
    let width: usize = GLYPHS.iter().zip(GAPS).map(|(g, gap)| g[0].len() + gap).sum();
    let mut bits = vec![0u8; width * GLYPH_ROWS];
    let mut x0 = 0;
    for (glyph, gap) in GLYPHS.iter().zip(GAPS) {
        for (y, row) in glyph.iter().enumerate() {
            for (x, ch) in row.bytes().enumerate() {
                if ch == b'#' {
                    bits[y * width + x0 + x] = 1;
                }
            }
        }
        x0 += glyph[0].len() + gap;
    }
    (width, GLYPH_ROWS, bits)
}

/// Where and how big the mark is in one frame: 0 = nothing, 1 = outline, 2 = ink.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
    pub mask: Vec<u8>,
}

/// Font pixel size for a frame.
pub fn scale(width: u32, height: u32) -> usize {
    ((width.min(height) as f32 / 160.0).round() as usize).max(1)
}

/// The mark's mask and position in a `width x height` frame at `t` seconds.
pub fn placement(width: u32, height: u32, t: f64) -> Placement {
    let s = scale(width, height);
    let (bw, bh, bits) = bitmap();
    let pad = s.div_ceil(2).max(1);
    let (mw, mh) = (bw * s + 2 * pad, bh * s + 2 * pad);
    let mut mask = vec![0u8; mw * mh];
    for y in 0..bh * s {
        for x in 0..bw * s {
            if bits[(y / s) * bw + x / s] == 1 {
                mask[(y + pad) * mw + x + pad] = 2;
            }
        }
    }
    let ink = mask.clone();
    for y in 0..mh {
        for x in 0..mw {
            if ink[y * mw + x] != 0 {
                continue;
            }
            let near =
                (y.saturating_sub(pad)..=(y + pad).min(mh - 1)).any(|yy| (x.saturating_sub(pad)..=(x + pad).min(mw - 1)).any(|xx| ink[yy * mw + xx] == 2));
            if near {
                mask[y * mw + x] = 1;
            }
        }
    }
    let margin = 2 * s;
    let (w, h) = (width as usize, height as usize);
    let right = w.saturating_sub(mw + margin);
    let bottom = h.saturating_sub(mh + margin);
    let corner = ((t.max(0.0) / HOLD_S) as usize) % 4;
    let (x, y) = match corner {
        0 => (margin.min(right), margin.min(bottom)),
        1 => (right, bottom),
        2 => (right, margin.min(bottom)),
        _ => (margin.min(right), bottom),
    };
    Placement { x, y, width: mw, height: mh, mask }
}

/// Draws the mark into `frame`, shown at `t` seconds.
pub fn apply(frame: &mut Frame, t: f64) {
    let p = placement(frame.width, frame.height, t);
    let (fw, fh) = (frame.width as usize, frame.height as usize);
    for my in 0..p.height {
        for mx in 0..p.width {
            let (x, y) = (p.x + mx, p.y + my);
            if x >= fw || y >= fh {
                continue;
            }
            let (colour, alpha) = match p.mask[my * p.width + mx] {
                2 => (255.0, 0.9),
                1 => (0.0, 0.55),
                _ => continue,
            };
            let i = (y * fw + x) * 3;
            for c in &mut frame.rgb[i..i + 3] {
                *c = (f32::from(*c) * (1.0 - alpha) + colour * alpha).round() as u8;
            }
        }
    }
}

/// Fraction of `frames` (decoded luma, `fps`) that show the mark where it belongs.
pub fn detect(frames: &[Luma], fps: f32) -> f32 {
    if frames.is_empty() || fps <= 0.0 {
        return 0.0;
    }
    let hits = frames.iter().enumerate().filter(|(i, f)| frame_has_mark(f, *i as f64 / f64::from(fps))).count();
    hits as f32 / frames.len() as f32
}

/// Whether one decoded frame shown at `t` seconds has the mark where it belongs.
pub fn frame_has_mark(f: &Luma, t: f64) -> bool {
    let p = placement(f.width as u32, f.height as u32, t);
    let (mut ink, mut n_ink, mut outline, mut n_out, mut dim) = (0f32, 0usize, 0f32, 0usize, 0usize);
    for my in 0..p.height {
        for mx in 0..p.width {
            let (x, y) = (p.x + mx, p.y + my);
            if x >= f.width || y >= f.height {
                continue;
            }
            let v = f.at(x, y);
            match p.mask[my * p.width + mx] {
                2 => {
                    ink += v;
                    n_ink += 1;
                    if v < 150.0 {
                        dim += 1;
                    }
                }
                1 => {
                    outline += v;
                    n_out += 1;
                }
                _ => {}
            }
        }
    }
    if n_ink == 0 || n_out == 0 {
        return false;
    }
    let (ink_mean, outline_mean) = (ink / n_ink as f32, outline / n_out as f32);
    // Ink is near white everywhere; the outline is clearly darker.
    ink_mean > 170.0 && ink_mean - outline_mean > 40.0 && (dim as f32) < 0.2 * n_ink as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::Yuv420;

    fn luma_of(f: &Frame) -> Luma {
        let y = Yuv420::from_frame(f);
        Luma::from_plane(&y.y, y.width, f.width as usize, f.height as usize)
    }

    #[test]
    fn mark_is_drawn_moves_and_is_found() {
        for (w, h) in [(64, 64), (1920, 1080)] {
            let a = placement(w, h, 0.0);
            let b = placement(w, h, HOLD_S + 0.01);
            assert_ne!((a.x, a.y), (b.x, b.y));
            assert!(a.x + a.width <= w as usize && a.y + a.height <= h as usize);
            let frames: Vec<Luma> = (0..6)
                .map(|i| {
                    let mut f = Frame::filled(w, h, [120, 140, 90]);
                    apply(&mut f, f64::from(i) / 2.0);
                    luma_of(&f)
                })
                .collect();
            assert!(detect(&frames, 2.0) > 0.9);
            let plain: Vec<Luma> = (0..2).map(|_| luma_of(&Frame::filled(w, h, [250, 250, 250]))).collect();
            assert!(detect(&plain, 12.0) < 0.1);
        }
    }
}
