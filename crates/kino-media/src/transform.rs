//! Everyday edits a video suffers after it leaves Kino (resizing, cropping, brightness and
//! contrast changes, frame-rate changes); the watermark benchmark and tests apply them to check
//! that the invisible mark survives.

use crate::frame::Frame;

/// Bilinear resize to `width x height` (area-averaged first when shrinking by 2x or more).
pub fn resize(src: &Frame, width: u32, height: u32) -> Frame {
    let (sw, sh) = (src.width as usize, src.height as usize);
    let (w, h) = (width.max(1) as usize, height.max(1) as usize);
    let mut rgb = Vec::with_capacity(w * h * 3);
    let (sx, sy) = (sw as f32 / w as f32, sh as f32 / h as f32);
    for y in 0..h {
        for x in 0..w {
            // Average over the source footprint (box filter), bilinear inside it.
            let (fx0, fy0) = (x as f32 * sx, y as f32 * sy);
            let taps_x = sx.ceil().max(1.0) as usize;
            let taps_y = sy.ceil().max(1.0) as usize;
            let mut acc = [0f32; 3];
            for ty in 0..taps_y {
                for tx in 0..taps_x {
                    let px = (fx0 + (tx as f32 + 0.5) * sx / taps_x as f32 - 0.5).clamp(0.0, (sw - 1) as f32);
                    let py = (fy0 + (ty as f32 + 0.5) * sy / taps_y as f32 - 0.5).clamp(0.0, (sh - 1) as f32);
                    let (x0, y0) = (px.floor() as usize, py.floor() as usize);
                    let (x1, y1) = ((x0 + 1).min(sw - 1), (y0 + 1).min(sh - 1));
                    let (ax, ay) = (px - x0 as f32, py - y0 as f32);
                    for (c, a) in acc.iter_mut().enumerate() {
                        let p = |xx: usize, yy: usize| f32::from(src.rgb[(yy * sw + xx) * 3 + c]);
                        *a += (p(x0, y0) * (1.0 - ax) + p(x1, y0) * ax) * (1.0 - ay) + (p(x0, y1) * (1.0 - ax) + p(x1, y1) * ax) * ay;
                    }
                }
            }
            let n = (taps_x * taps_y) as f32;
            rgb.extend(acc.iter().map(|a| (a / n).round().clamp(0.0, 255.0) as u8));
        }
    }
    Frame { width: width.max(1), height: height.max(1), rgb }
}

/// Each pixel becomes a `factor x factor` block (nearest neighbour): pixel art stays crisp.
pub fn upscale_nearest(src: &Frame, factor: u32) -> Frame {
    let factor = factor.max(1) as usize;
    let (sw, sh) = (src.width as usize, src.height as usize);
    let mut rgb = Vec::with_capacity(sw * sh * factor * factor * 3);
    for y in 0..sh {
        let row_start = rgb.len();
        for px in src.rgb[y * sw * 3..(y + 1) * sw * 3].chunks_exact(3) {
            for _ in 0..factor {
                rgb.extend_from_slice(px);
            }
        }
        for _ in 1..factor {
            rgb.extend_from_within(row_start..row_start + sw * factor * 3);
        }
    }
    Frame { width: (sw * factor) as u32, height: (sh * factor) as u32, rgb }
}

/// Keeps the `width x height` rectangle whose top-left corner is `(x, y)` (clamped to the frame).
pub fn crop(src: &Frame, x: u32, y: u32, width: u32, height: u32) -> Frame {
    let x = x.min(src.width.saturating_sub(1));
    let y = y.min(src.height.saturating_sub(1));
    let w = width.clamp(1, src.width - x);
    let h = height.clamp(1, src.height - y);
    let mut rgb = Vec::with_capacity(w as usize * h as usize * 3);
    for row in y..y + h {
        let start = (row as usize * src.width as usize + x as usize) * 3;
        rgb.extend_from_slice(&src.rgb[start..start + w as usize * 3]);
    }
    Frame { width: w, height: h, rgb }
}

/// Keeps `fraction` of each side, starting `offset` (0 to 1) of the way into the leftover margin.
pub fn crop_fraction(src: &Frame, fraction: f32, offset: (f32, f32)) -> Frame {
    let w = ((src.width as f32 * fraction).round() as u32).max(16);
    let h = ((src.height as f32 * fraction).round() as u32).max(16);
    let x = ((src.width.saturating_sub(w)) as f32 * offset.0.clamp(0.0, 1.0)) as u32;
    let y = ((src.height.saturating_sub(h)) as f32 * offset.1.clamp(0.0, 1.0)) as u32;
    crop(src, x, y, w, h)
}

/// `out = (in - 128) * contrast + 128 + brightness` on every channel.
pub fn brightness_contrast(src: &Frame, brightness: f32, contrast: f32) -> Frame {
    let rgb = src.rgb.iter().map(|&v| ((f32::from(v) - 128.0) * contrast + 128.0 + brightness).round().clamp(0.0, 255.0) as u8).collect();
    Frame { width: src.width, height: src.height, rgb }
}

/// Resamples a clip from `from_fps` to `to_fps` by picking the nearest earlier frame.
pub fn change_frame_rate(frames: &[Frame], from_fps: f32, to_fps: f32) -> Vec<Frame> {
    if frames.is_empty() || from_fps <= 0.0 || to_fps <= 0.0 {
        return frames.to_vec();
    }
    let count = ((frames.len() as f32 * to_fps / from_fps).round() as usize).max(1);
    (0..count).map(|i| frames[((i as f32 * from_fps / to_fps) as usize).min(frames.len() - 1)].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upscale_repeats_each_pixel_in_a_block() {
        let src = Frame { width: 2, height: 1, rgb: vec![1, 2, 3, 4, 5, 6] };
        let up = upscale_nearest(&src, 3);
        assert_eq!((up.width, up.height), (6, 3));
        for y in 0..3 {
            for x in 0..6 {
                assert_eq!(up.pixel(x, y), if x < 3 { [1, 2, 3] } else { [4, 5, 6] });
            }
        }
        assert_eq!(upscale_nearest(&src, 1), src);
    }

    #[test]
    fn shapes_are_right() {
        let f = Frame::filled(100, 60, [10, 20, 30]);
        assert_eq!((resize(&f, 50, 30).width, resize(&f, 50, 30).height), (50, 30));
        assert_eq!(resize(&f, 50, 30).pixel(3, 3), [10, 20, 30]);
        let c = crop_fraction(&f, 0.55, (1.0, 0.0));
        assert_eq!((c.width, c.height), (55, 33));
        assert_eq!(change_frame_rate(&vec![f; 24], 24.0, 15.0).len(), 15);
    }
}
