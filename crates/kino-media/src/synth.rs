//! A synthetic test clip (sky gradient, textured ground, bouncing balls, a tone with a click at
//! every bounce): material for tests, benchmarks and demos that needs no model and no world.

use crate::frame::{Clip, Frame};

/// A `seconds`-long clip of `width x height` at `fps` with 16 kHz sound.
pub fn test_clip(width: u32, height: u32, fps: f32, seconds: f32) -> Clip {
    let count = ((seconds * fps).round() as usize).max(1);
    let frames = (0..count).map(|i| test_frame(width, height, i as f32 / fps)).collect();
    let rate = 16_000u32;
    let samples = (seconds * rate as f32).round() as usize;
    let audio = (0..samples)
        .map(|n| {
            let t = n as f32 / rate as f32;
            let since_bounce = t % 0.5;
            let click = (-since_bounce * 40.0).exp() * (2.0 * std::f32::consts::PI * 880.0 * t).sin();
            0.2 * (2.0 * std::f32::consts::PI * 220.0 * t).sin() + 0.3 * click
        })
        .collect();
    Clip { frames, fps, audio, sample_rate: rate }
}

fn hash(x: u32, y: u32) -> u32 {
    let mut h = x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77);
    h ^= h >> 15;
    h = h.wrapping_mul(0xC2B2_AE3D);
    h ^ (h >> 13)
}

/// One frame of the test clip at time `t` seconds.
pub fn test_frame(width: u32, height: u32, t: f32) -> Frame {
    let (w, h) = (width as f32, height as f32);
    let horizon = h * 0.62;
    let balls = [(0.25f32, 0.9f32, [220u8, 60, 50], 0.09f32), (0.6, 1.3, [60, 170, 230], 0.07), (0.8, 0.7, [250, 210, 60], 0.05)];
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        for x in 0..width {
            let (fx, fy) = (x as f32, y as f32);
            let mut px = if fy < horizon {
                let k = fy / horizon;
                [(90.0 + 80.0 * k) as u8, (150.0 + 60.0 * k) as u8, (235.0 - 20.0 * k) as u8]
            } else {
                // Grass texture at a scale that follows the frame size.
                let cell = (w / 64.0).max(1.0);
                let n = (hash((fx / cell) as u32, (fy / cell) as u32) >> 26) as f32;
                [(60.0 + n) as u8, (130.0 + 1.5 * n) as u8, (50.0 + n * 0.5) as u8]
            };
            for &(x0, speed, colour, radius) in &balls {
                let bx = (x0 + 0.15 * (t * speed * 2.0).sin()) * w;
                let phase = (t * speed * 2.0) % 1.0;
                let by = horizon - (4.0 * phase * (1.0 - phase)) * h * 0.45 - radius * h * 0.5;
                let r = radius * h;
                let d2 = (fx - bx).powi(2) + (fy - by).powi(2);
                if d2 < r * r {
                    let shade = 1.0 - 0.4 * (d2 / (r * r));
                    px = colour.map(|c| (f32::from(c) * shade) as u8);
                }
            }
            rgb.extend_from_slice(&px);
        }
    }
    Frame { width, height, rgb }
}
