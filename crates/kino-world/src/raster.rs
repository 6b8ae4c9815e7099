//! An anti-aliased software canvas: shapes given as signed distance functions in pixels.
//!
//! Coverage of a pixel is `clamp(0.5 - d, 0, 1)` where `d` is the signed distance from the
//! pixel centre to the shape's edge, which is a one-pixel analytic box filter. A `hard`
//! canvas (pixel art) uses `d < 0` instead.

/// An RGB canvas of floats in `[0, 1]` (sRGB values).
#[derive(Debug, Clone)]
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    pub px: Vec<[f32; 3]>,
    /// Hard edges: no anti-aliasing (for pixel art drawn at low resolution).
    pub hard: bool,
}

/// Pixel-space bounding box: `[x0, y0, x1, y1]`.
pub type Bounds = [f32; 4];

impl Canvas {
    pub fn new(width: usize, height: usize, hard: bool) -> Self {
        Canvas { width, height, px: vec![[0.0; 3]; width * height], hard }
    }

    fn span(&self, b: Bounds, pad: f32) -> Option<(usize, usize, usize, usize)> {
        let x0 = (b[0] - pad).floor().max(0.0);
        let y0 = (b[1] - pad).floor().max(0.0);
        let x1 = (b[2] + pad).ceil().min(self.width as f32);
        let y1 = (b[3] + pad).ceil().min(self.height as f32);
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        Some((x0 as usize, y0 as usize, x1 as usize, y1 as usize))
    }

    fn coverage(&self, d: f32) -> f32 {
        if self.hard { if d < 0.0 { 1.0 } else { 0.0 } } else { (0.5 - d).clamp(0.0, 1.0) }
    }

    /// Fill every pixel with `paint(x, y)`.
    pub fn clear(&mut self, paint: impl Fn(f32, f32) -> [f32; 3]) {
        for y in 0..self.height {
            for x in 0..self.width {
                self.px[y * self.width + x] = paint(x as f32 + 0.5, y as f32 + 0.5);
            }
        }
    }

    /// Fill the inside of `sdf` with `paint`, at opacity `alpha`.
    pub fn fill(&mut self, b: Bounds, sdf: impl Fn(f32, f32) -> f32, paint: impl Fn(f32, f32) -> [f32; 3], alpha: f32) {
        let Some((x0, y0, x1, y1)) = self.span(b, 1.0) else { return };
        for y in y0..y1 {
            for x in x0..x1 {
                let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
                let c = self.coverage(sdf(fx, fy)) * alpha;
                if c > 0.0 {
                    let p = &mut self.px[y * self.width + x];
                    let q = paint(fx, fy);
                    for k in 0..3 {
                        p[k] += (q[k] - p[k]) * c;
                    }
                }
            }
        }
    }

    /// Draw the edge of `sdf` as a line `width` pixels wide.
    pub fn stroke(&mut self, b: Bounds, sdf: impl Fn(f32, f32) -> f32, width: f32, colour: [f32; 3], alpha: f32) {
        let half = width * 0.5;
        self.fill([b[0] - half, b[1] - half, b[2] + half, b[3] + half], |x, y| sdf(x, y).abs() - half, |_, _| colour, alpha);
    }

    /// Bytes, row-major RGB.
    pub fn to_rgb8(&self) -> Vec<u8> {
        self.px.iter().flat_map(|p| p.map(|v| (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8)).collect()
    }
}

/// Signed distance to a circle.
pub fn sd_circle(x: f32, y: f32, cx: f32, cy: f32, r: f32) -> f32 {
    ((x - cx) * (x - cx) + (y - cy) * (y - cy)).sqrt() - r
}

/// Signed distance to an axis-aligned ellipse (approximate, good near the edge).
pub fn sd_ellipse(x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32) -> f32 {
    let (u, v) = ((x - cx) / rx, (y - cy) / ry);
    let k = (u * u + v * v).sqrt();
    let g = ((u / rx).powi(2) + (v / ry).powi(2)).sqrt().max(1e-6);
    k * (k - 1.0) / g
}

/// Signed distance to a box of half size `hw, hh` rotated by `angle` (pixel space, y down),
/// with corners rounded by `round`. (Plain numbers keep the per-pixel call cheap.)
#[allow(clippy::too_many_arguments)]
pub fn sd_box(x: f32, y: f32, cx: f32, cy: f32, hw: f32, hh: f32, angle: f32, round: f32) -> f32 {
    let (s, c) = angle.sin_cos();
    let (dx, dy) = (x - cx, y - cy);
    let (u, v) = (c * dx + s * dy, -s * dx + c * dy);
    let qx = u.abs() - (hw - round);
    let qy = v.abs() - (hh - round);
    let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
    outside + qx.max(qy).min(0.0) - round
}

/// Signed distance to a segment with a round cap of radius `r` (a capsule).
pub fn sd_capsule(x: f32, y: f32, a: [f32; 2], b: [f32; 2], r: f32) -> f32 {
    let (px, py) = (x - a[0], y - a[1]);
    let (bx, by) = (b[0] - a[0], b[1] - a[1]);
    let l2 = (bx * bx + by * by).max(1e-9);
    let t = ((px * bx + py * by) / l2).clamp(0.0, 1.0);
    ((px - bx * t).powi(2) + (py - by * t).powi(2)).sqrt() - r
}

/// Signed distance to a convex polygon given in either winding (exact inside, a close
/// lower bound outside near corners).
pub fn sd_convex(x: f32, y: f32, pts: &[[f32; 2]]) -> f32 {
    let n = pts.len();
    let mut area = 0.0;
    for i in 0..n {
        let (a, b) = (pts[i], pts[(i + 1) % n]);
        area += a[0] * b[1] - b[0] * a[1];
    }
    let sign = if area >= 0.0 { 1.0 } else { -1.0 };
    let mut best = f32::NEG_INFINITY;
    let mut outside_corner = f32::INFINITY;
    for i in 0..n {
        let (a, b) = (pts[i], pts[(i + 1) % n]);
        let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
        let l = (ex * ex + ey * ey).sqrt().max(1e-9);
        let (nx, ny) = (sign * ey / l, -sign * ex / l);
        best = best.max((x - a[0]) * nx + (y - a[1]) * ny);
        outside_corner = outside_corner.min(sd_capsule(x, y, a, b, 0.0));
    }
    if best > 0.0 { outside_corner } else { best }
}

/// Bounds of a point set, in pixels.
pub fn bounds_of(pts: &[[f32; 2]]) -> Bounds {
    let mut b = [f32::INFINITY, f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY];
    for p in pts {
        b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
    }
    b
}

/// Linear mix of two colours.
pub fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/// Scale a colour's brightness.
pub fn shade(a: [f32; 3], k: f32) -> [f32; 3] {
    a.map(|v| (v * k).clamp(0.0, 1.0))
}

/// sRGB bytes to floats.
pub fn rgbf(c: [u8; 3]) -> [f32; 3] {
    c.map(|v| f32::from(v) / 255.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_anti_aliased() {
        let mut c = Canvas::new(16, 16, false);
        c.fill([0.0, 0.0, 16.0, 16.0], |x, y| sd_circle(x, y, 8.0, 8.0, 5.3), |_, _| [1.0, 1.0, 1.0], 1.0);
        let partial = c.px.iter().filter(|p| p[0] > 0.02 && p[0] < 0.98).count();
        assert!(partial > 8, "only {partial} partly covered pixels");
        assert!((c.px[8 * 16 + 8][0] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn box_distance_is_exact_on_axes() {
        assert!((sd_box(13.0, 10.0, 10.0, 10.0, 2.0, 1.0, 0.0, 0.0) - 1.0).abs() < 1e-6);
        assert!((sd_convex(13.0, 10.0, &[[8.0, 9.0], [12.0, 9.0], [12.0, 11.0], [8.0, 11.0]]) - 1.0).abs() < 1e-6);
    }
}
