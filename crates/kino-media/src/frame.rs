//! Raw material: RGB frames, a clip of them with its sound, and the colour conversion to the
//! YUV 4:2:0 planes that H.264 codes (BT.601, limited range, which is what players assume when
//! a stream says nothing else).

use crate::MediaError;

/// Sample rates the audio encoder accepts (Opus' native rates).
pub const SAMPLE_RATES: [u32; 5] = [8_000, 12_000, 16_000, 24_000, 48_000];

/// One picture: `width * height` pixels, 3 bytes each (R, G, B), rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Frame {
    /// A frame of one colour.
    pub fn filled(width: u32, height: u32, rgb: [u8; 3]) -> Frame {
        let n = width as usize * height as usize;
        Frame { width, height, rgb: rgb.iter().copied().cycle().take(n * 3).collect() }
    }

    /// The pixel at `(x, y)`; callers keep inside the frame.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

/// What gets exported: frames at a constant rate and mono sound of the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub frames: Vec<Frame>,
    /// Frames per second, above 0 and at most 240.
    pub fps: f32,
    /// Mono samples in `[-1, 1]`; may be empty (a silent track is written then).
    pub audio: Vec<f32>,
    /// Audio sample rate, one of [`SAMPLE_RATES`] (Kino's world and model use 16 kHz).
    pub sample_rate: u32,
}

impl Clip {
    /// Frame size, after checking that every frame has it and that the rest is sane.
    pub fn check(&self) -> Result<(u32, u32), MediaError> {
        let first = self.frames.first().ok_or_else(|| MediaError::InvalidClip("a clip needs at least one frame".into()))?;
        let (w, h) = (first.width, first.height);
        if w < 16 || h < 16 || w > 4096 || h > 4096 {
            return Err(MediaError::InvalidClip(format!("frame size {w}x{h} must be 16 to 4096 on each side")));
        }
        for (i, f) in self.frames.iter().enumerate() {
            if f.width != w || f.height != h {
                return Err(MediaError::InvalidClip(format!("frame {i} is {}x{}, frame 0 is {w}x{h}", f.width, f.height)));
            }
            if f.rgb.len() != w as usize * h as usize * 3 {
                return Err(MediaError::InvalidClip(format!("frame {i} has {} bytes, {w}x{h} RGB needs {}", f.rgb.len(), w as usize * h as usize * 3)));
            }
        }
        if !(self.fps.is_finite() && self.fps > 0.0 && self.fps <= 240.0) {
            return Err(MediaError::InvalidClip(format!("fps {} must be above 0 and at most 240", self.fps)));
        }
        if !SAMPLE_RATES.contains(&self.sample_rate) {
            return Err(MediaError::InvalidClip(format!("audio sample rate {} must be one of {SAMPLE_RATES:?}", self.sample_rate)));
        }
        if self.audio.iter().any(|s| !s.is_finite()) {
            return Err(MediaError::InvalidClip("audio has a NaN or infinite sample".into()));
        }
        Ok((w, h))
    }

    /// Length in seconds (from the frames).
    pub fn duration_s(&self) -> f64 {
        self.frames.len() as f64 / f64::from(self.fps)
    }
}

/// A picture as the three planes of YUV 4:2:0. Width and height are even (odd sizes are padded
/// by repeating the last column or row).
#[derive(Debug, Clone, PartialEq)]
pub struct Yuv420 {
    pub width: usize,
    pub height: usize,
    pub y: Vec<u8>,
    pub u: Vec<u8>,
    pub v: Vec<u8>,
}

/// Even size that holds `w x h`.
pub fn even_size(w: u32, h: u32) -> (usize, usize) {
    ((w as usize + 1) & !1, (h as usize + 1) & !1)
}

fn clamp_u8(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// BT.601 limited-range luma of one RGB pixel, unrounded.
pub fn luma(r: u8, g: u8, b: u8) -> f32 {
    16.0 + (65.481 * f32::from(r) + 128.553 * f32::from(g) + 24.966 * f32::from(b)) / 255.0
}

impl Yuv420 {
    /// Converts an RGB frame.
    pub fn from_frame(frame: &Frame) -> Yuv420 {
        let (sw, sh) = (frame.width as usize, frame.height as usize);
        let (w, h) = even_size(frame.width, frame.height);
        let px = |x: usize, y: usize| -> [u8; 3] { frame.pixel(x.min(sw - 1) as u32, y.min(sh - 1) as u32) };
        let mut y_plane = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let [r, g, b] = px(x, y);
                y_plane[y * w + x] = clamp_u8(luma(r, g, b));
            }
        }
        let (cw, ch) = (w / 2, h / 2);
        let mut u = vec![0u8; cw * ch];
        let mut v = vec![0u8; cw * ch];
        for cy in 0..ch {
            for cx in 0..cw {
                let (mut r, mut g, mut b) = (0.0f32, 0.0f32, 0.0f32);
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = px(cx * 2 + dx, cy * 2 + dy);
                    r += f32::from(p[0]);
                    g += f32::from(p[1]);
                    b += f32::from(p[2]);
                }
                let (r, g, b) = (r / 4.0, g / 4.0, b / 4.0);
                u[cy * cw + cx] = clamp_u8(128.0 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255.0);
                v[cy * cw + cx] = clamp_u8(128.0 + (112.0 * r - 93.786 * g - 18.214 * b) / 255.0);
            }
        }
        Yuv420 { width: w, height: h, y: y_plane, u, v }
    }

    /// Back to RGB at `width x height` (which must be at most the padded size).
    pub fn to_frame(&self, width: u32, height: u32) -> Frame {
        let (w, h) = (width as usize, height as usize);
        let cw = self.width.div_ceil(2);
        let mut rgb = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let yy = (f32::from(self.y[y * self.width + x]) - 16.0) * 255.0 / 219.0;
                let u = (f32::from(self.u[(y / 2) * cw + x / 2]) - 128.0) * 255.0 / 224.0;
                let v = (f32::from(self.v[(y / 2) * cw + x / 2]) - 128.0) * 255.0 / 224.0;
                rgb.push(clamp_u8(yy + 1.402 * v));
                rgb.push(clamp_u8(yy - 0.344_136 * u - 0.714_136 * v));
                rgb.push(clamp_u8(yy + 1.772 * u));
            }
        }
        Frame { width, height, rgb }
    }

    /// The planes laid out one after another (I420), as the encoder takes them.
    pub fn to_i420(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.y.len() + self.u.len() * 2);
        out.extend_from_slice(&self.y);
        out.extend_from_slice(&self.u);
        out.extend_from_slice(&self.v);
        out
    }
}

/// A luma picture as floats, for watermark analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Luma {
    pub width: usize,
    pub height: usize,
    pub data: Vec<f32>,
}

impl Luma {
    /// All zeros.
    pub fn zeros(width: usize, height: usize) -> Luma {
        Luma { width, height, data: vec![0.0; width * height] }
    }

    /// From 8-bit rows with a stride, cropped to `width x height`.
    pub fn from_plane(plane: &[u8], stride: usize, width: usize, height: usize) -> Luma {
        let mut data = Vec::with_capacity(width * height);
        for y in 0..height {
            data.extend(plane[y * stride..y * stride + width].iter().map(|&v| f32::from(v)));
        }
        Luma { width, height, data }
    }

    /// Value at `(x, y)`.
    pub fn at(&self, x: usize, y: usize) -> f32 {
        self.data[y * self.width + x]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb_yuv_round_trip_is_close() {
        let mut f = Frame::filled(17, 9, [200, 40, 90]);
        f.rgb[0] = 0;
        let yuv = Yuv420::from_frame(&f);
        assert_eq!((yuv.width, yuv.height), (18, 10));
        let back = yuv.to_frame(17, 9);
        let p = back.pixel(10, 5);
        assert!((i32::from(p[0]) - 200).abs() <= 3 && (i32::from(p[1]) - 40).abs() <= 3 && (i32::from(p[2]) - 90).abs() <= 3, "{p:?}");
    }

    #[test]
    fn bad_clips_are_refused() {
        let ok = Clip { frames: vec![Frame::filled(32, 32, [0, 0, 0])], fps: 24.0, audio: vec![], sample_rate: 16_000 };
        assert!(ok.check().is_ok());
        let mut c = ok.clone();
        c.fps = 0.0;
        assert!(c.check().is_err());
        let mut c = ok.clone();
        c.frames.push(Frame::filled(16, 16, [0, 0, 0]));
        assert!(c.check().is_err());
        let mut c = ok.clone();
        c.sample_rate = 44_100;
        assert!(c.check().is_err());
        let mut c = ok;
        c.frames.clear();
        assert!(c.check().is_err());
    }
}
