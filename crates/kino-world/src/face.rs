//! Face textures for avatars: the slot where a cameo's face will go, and procedural faces.

use kino_core::scene::FaceTexture;

use crate::raster::{Canvas, mix, rgbf, sd_circle, sd_ellipse};
use crate::rng::Rng;

/// A decoded face image, floats in `[0, 1]`, with a sampler.
#[derive(Debug, Clone)]
pub struct FaceImage {
    pub width: usize,
    pub height: usize,
    pub px: Vec<[f32; 3]>,
}

impl FaceImage {
    /// Bilinear sample at `u, v` in `[0, 1]` (v down).
    pub fn sample(&self, u: f32, v: f32) -> [f32; 3] {
        let x = (u * self.width as f32 - 0.5).clamp(0.0, (self.width - 1) as f32);
        let y = (v * self.height as f32 - 0.5).clamp(0.0, (self.height - 1) as f32);
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (tx, ty) = (x - x0 as f32, y - y0 as f32);
        let at = |x: usize, y: usize| self.px[y * self.width + x];
        mix(mix(at(x0, y0), at(x1, y0), tx), mix(at(x0, y1), at(x1, y1), tx), ty)
    }
}

/// Decode a scene's face texture (an image that does not match its size falls back to a
/// procedural face; the scene validator reports that case first).
pub fn face_image(face: &FaceTexture) -> FaceImage {
    match face {
        FaceTexture::Image { width, height, rgb } if *width > 0 && *height > 0 && rgb.len() == (*width as usize) * (*height as usize) * 3 => {
            FaceImage { width: *width as usize, height: *height as usize, px: rgb.chunks_exact(3).map(|c| rgbf([c[0], c[1], c[2]])).collect() }
        }
        FaceTexture::Procedural { seed } => procedural_face(*seed),
        FaceTexture::Image { .. } => procedural_face(0),
    }
}

const SKIN: [[u8; 3]; 6] = [[255, 220, 190], [240, 195, 160], [210, 160, 120], [170, 120, 85], [130, 90, 60], [95, 65, 45]];
const HAIR: [[u8; 3]; 6] = [[30, 25, 20], [90, 60, 30], [200, 160, 80], [160, 60, 30], [120, 120, 120], [40, 40, 90]];

/// A 48x48 cartoon face from a seed: skin tone, hair, eyes, brows, nose and a smile.
pub fn procedural_face(seed: u64) -> FaceImage {
    let mut rng = Rng::stream(seed, "face");
    let n = 48usize;
    let s = n as f32;
    let skin = rgbf(rng.pick(&SKIN));
    let hair = rgbf(rng.pick(&HAIR));
    let eye_gap = rng.range(0.15, 0.21) * s;
    let eye_y = rng.range(0.44, 0.5) * s;
    let eye_r = rng.range(0.055, 0.08) * s;
    let hair_line = rng.range(0.22, 0.34) * s;
    let smile = rng.range(0.1, 0.2) * s;
    let iris = rgbf(rng.pick(&[[60, 40, 20], [40, 90, 160], [50, 120, 60], [30, 30, 30]]));
    let mut c = Canvas::new(n, n, false);
    c.clear(|_, _| skin);
    let whole = [0.0, 0.0, s, s];
    // Hair: a cap over the top.
    c.fill(whole, |x, y| sd_ellipse(x, y, s * 0.5, hair_line - s * 0.25, s * 0.62, s * 0.45), |_, _| hair, 1.0);
    // Cheeks.
    for side in [-1.0, 1.0] {
        c.fill(whole, |x, y| sd_circle(x, y, s * 0.5 + side * s * 0.27, s * 0.66, s * 0.07), |_, _| mix(skin, [0.95, 0.45, 0.45], 0.35), 0.8);
    }
    for side in [-1.0, 1.0] {
        let ex = s * 0.5 + side * eye_gap;
        c.fill(whole, |x, y| sd_ellipse(x, y, ex, eye_y, eye_r * 1.3, eye_r), |_, _| [0.97, 0.97, 0.97], 1.0);
        c.fill(whole, |x, y| sd_circle(x, y, ex, eye_y, eye_r * 0.65), |_, _| iris, 1.0);
        c.fill(whole, |x, y| sd_circle(x, y, ex, eye_y, eye_r * 0.3), |_, _| [0.05, 0.05, 0.05], 1.0);
        c.stroke(whole, |x, y| sd_ellipse(x, y, ex, eye_y - eye_r * 1.8, eye_r * 1.4, eye_r * 0.35), 1.0, hair, 0.9);
    }
    // Nose and a smile (an arc: the lower half of a ring).
    c.fill(whole, |x, y| sd_ellipse(x, y, s * 0.5, s * 0.6, s * 0.035, s * 0.05), |_, _| mix(skin, [0.4, 0.2, 0.1], 0.3), 1.0);
    c.fill(
        whole,
        |x, y| {
            let ring = sd_circle(x, y, s * 0.5, s * 0.66, smile).abs() - 1.0;
            if y < s * 0.7 { ring.max(s * 0.7 - y) } else { ring }
        },
        |_, _| [0.45, 0.12, 0.12],
        1.0,
    );
    FaceImage { width: n, height: n, px: c.px }
}
