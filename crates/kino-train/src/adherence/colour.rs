//! The main object's colour, measured without a judge: in each frame, for each of the world's
//! colours as the clip's style draws it, the pixels of that colour that stand out from their
//! surroundings; the colour whose largest compact blob of such pixels is biggest is the frame's
//! subject's, and the clip's colour is the one most frames name.
//!
//! "Stand out" compares a pixel with a ring of pixels around it, wider than a framed subject: an
//! object differs from the backdrop all round it, a backdrop pixel (even by a horizon or a
//! hill's crest) agrees with most of its ring. Moving-pixel tests fail on these clips: a camera
//! that follows its subject keeps it on the same pixels while the backdrop moves. Matching one
//! colour at a time keeps a subject apart from the stripes and bands it overlaps.
//!
//! How each style draws each colour is not assumed but measured ([`Palette::measure`]) on the
//! world's own renders, where the labels say which pixels are the object. The instrument is
//! then scored on other renders, whose colours are known, before it scores a model.

use kino_core::scene::{Colour, ObjectKind, Setting, Style};
use kino_world::Clip;

/// The fewest inner pixels a blob needs for its colour to count, per frame.
const MIN_PIXELS: usize = 4;

/// How each style draws each colour: `rgb[style][colour]`, in [`Style::ALL`] and
/// [`Colour::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub rgb: [[[f32; 3]; 11]; 4],
}

pub fn style_index(style: Style) -> usize {
    Style::ALL.iter().position(|s| *s == style).unwrap_or(0)
}

fn distance(a: [f32; 3], b: [f32; 3]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

fn median(values: &mut [f32]) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let mid = values.len() / 2;
    *values.select_nth_unstable_by(mid, f32::total_cmp).1
}

impl Palette {
    /// How each style draws each colour, measured on the world's own renders: the
    /// [`representative`] colour of the middle half of every labelled lone object's box, frame
    /// by frame, then the median over frames and clips; a pair no clip shows keeps the colour's
    /// own RGB.
    pub fn measure(clips: &[Clip]) -> Palette {
        let mut samples: Vec<Vec<Vec<[f32; 3]>>> = vec![vec![Vec::new(); 11]; 4];
        for clip in clips {
            let Some(main) = kino_world::slots::main_object(&clip.scene) else { continue };
            let c = Colour::ALL.iter().position(|x| *x == clip.scene.objects[main].colour).unwrap_or(0);
            let s = style_index(clip.scene.style);
            for (frame, label) in clip.frames.iter().zip(&clip.labels.frames) {
                let Some(b) = label.objects.iter().find(|b| b.object == main && b.visible) else { continue };
                let (w, h) = (frame.width as usize, frame.height as usize);
                let (cx, cy, hw, hh) =
                    ((b.bbox[0] + b.bbox[2]) / 2.0, (b.bbox[1] + b.bbox[3]) / 2.0, (b.bbox[2] - b.bbox[0]) / 4.0, (b.bbox[3] - b.bbox[1]) / 4.0);
                let mut pixels = Vec::new();
                for y in ((cy - hh).floor().max(0.0) as usize)..((cy + hh).ceil() as usize).min(h) {
                    for x in ((cx - hw).floor().max(0.0) as usize)..((cx + hw).ceil() as usize).min(w) {
                        pixels.push(y * w + x);
                    }
                }
                if pixels.len() >= MIN_PIXELS {
                    samples[s][c].push(representative(&frame.rgb, &pixels, clip.scene.style));
                }
            }
        }
        let mut rgb = [[[0.0; 3]; 11]; 4];
        for (s, row) in rgb.iter_mut().enumerate() {
            for (c, out) in row.iter_mut().enumerate() {
                let found = &samples[s][c];
                *out = if found.is_empty() {
                    Colour::ALL[c].rgb().map(f32::from)
                } else {
                    [0, 1, 2].map(|k| median(&mut found.iter().map(|p| p[k]).collect::<Vec<_>>()))
                };
            }
        }
        Palette { rgb }
    }

    /// The place in [`Colour::ALL`] of the colour `style` draws nearest to `pixel`.
    pub fn nearest_index(&self, style: Style, pixel: [f32; 3]) -> usize {
        let row = &self.rgb[style_index(style)];
        row.iter().enumerate().map(|(i, r)| (i, distance(*r, pixel))).min_by(|a, b| a.1.total_cmp(&b.1)).map_or(0, |(i, _)| i)
    }
}

/// Lone objects of every colour in every style (six seeds each), framed on their subject:
/// what [`Palette::measure`] calibrates on. Their seeds are far from any training or held-out
/// seed.
pub fn calibration_clips() -> Vec<Clip> {
    let mut clips = Vec::new();
    for c in 0..Colour::ALL.len() {
        for s in 0..Style::ALL.len() {
            for k in 0..6u64 {
                clips.push(lone_clip(CALIBRATION_SEED + (c * 64 + s * 16) as u64 + k, Colour::ALL[c], Style::ALL[s]));
            }
        }
    }
    clips
}

/// First seed of [`calibration_clips`].
pub const CALIBRATION_SEED: u64 = 3_000_000_000;

/// A lone object of `colour` in `style` (any kind, size, setting and motion), framed on itself.
pub fn lone_clip(seed: u64, colour: Colour, style: Style) -> Clip {
    let scene = kino_world::sample::sample(seed, &lone_world(None, colour, style, None));
    // A sampled lone scene always renders (the world's own sampler made it).
    kino_world::render_clip(&scene, &crate::data::settings()).unwrap_or_else(|e| panic!("the world failed to render its own scene {seed}: {e}"))
}

/// The world narrowed to one object of `colour` (and `kind`, if given; any of the four
/// otherwise) in `style` (and `setting`, if given), one shot framed on it.
pub fn lone_world(kind: Option<ObjectKind>, colour: Colour, style: Style, setting: Option<Setting>) -> kino_world::sample::Distribution {
    fn only<T: PartialEq, const N: usize>(all: &[T], value: Option<T>) -> [f32; N] {
        std::array::from_fn(|i| if value.as_ref().is_none_or(|v| all.get(i) == Some(v)) { 1.0 } else { 0.0 })
    }
    kino_world::sample::Distribution {
        objects: [1, 1],
        avatar: 0.0,
        hoop: 0.0,
        wide: 0.0,
        max_shots: 1,
        usual_colours: 0.0,
        kinds: only(&[ObjectKind::Ball, ObjectKind::Basketball, ObjectKind::Cube, ObjectKind::RubberDuck], kind),
        colours: only(&Colour::ALL, Some(colour)),
        styles: only(&Style::ALL, Some(style)),
        settings: only(&Setting::ALL, setting),
        ..kino_world::sample::Distribution::default()
    }
}

/// What the colour measurement saw in a clip.
#[derive(Debug, Clone, PartialEq)]
pub struct ColourReading {
    /// The colour with most votes, `None` when no frame showed a blob.
    pub colour: Option<Colour>,
    /// Votes per colour in [`Colour::ALL`] order (each frame's subject blob gives one).
    pub votes: [usize; 11],
}

/// Radius in pixels of the ring a pixel is compared with: more than the half-height of a
/// framed subject (a fifth to a third of a 64-pixel frame).
const RING: f32 = 14.0;
/// Points on the ring.
const RING_POINTS: usize = 16;

/// How far each pixel is from the median colour of a ring of pixels around it. Inside an object
/// the whole ring lies on the backdrop; on the backdrop, even beside an edge (a horizon, a hill,
/// the floor), most of the ring lies on the pixel's own side.
pub fn saliency(rgb: &[u8], width: usize, height: usize) -> Vec<f32> {
    let ring: Vec<(i64, i64)> = (0..RING_POINTS)
        .map(|k| {
            let a = k as f32 / RING_POINTS as f32 * std::f32::consts::TAU;
            ((RING * a.cos()).round() as i64, (RING * a.sin()).round() as i64)
        })
        .collect();
    let pixel = |x: i64, y: i64| {
        let (x, y) = (x.clamp(0, width as i64 - 1) as usize, y.clamp(0, height as i64 - 1) as usize);
        let i = (y * width + x) * 3;
        [f32::from(rgb[i]), f32::from(rgb[i + 1]), f32::from(rgb[i + 2])]
    };
    let mut out = vec![0.0; width * height];
    let mut around: Vec<[f32; 3]> = Vec::with_capacity(RING_POINTS);
    for y in 0..height as i64 {
        for x in 0..width as i64 {
            around.clear();
            around.extend(ring.iter().map(|(dx, dy)| pixel(x + dx, y + dy)));
            let mid = [0, 1, 2].map(|k| median(&mut around.iter().map(|p| p[k]).collect::<Vec<_>>()));
            out[y as usize * width + x as usize] = distance(pixel(x, y), mid);
        }
    }
    out
}

/// The 4-connected blobs of `mask`, as pixel indices.
pub fn blobs(mask: &[bool], width: usize, height: usize) -> Vec<Vec<usize>> {
    let mut seen = vec![false; mask.len()];
    let mut out = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        let mut blob = vec![start];
        seen[start] = true;
        let mut k = 0;
        while k < blob.len() {
            let i = blob[k];
            k += 1;
            let (x, y) = (i % width, i / width);
            let neighbours = [(x > 0).then(|| i - 1), (x + 1 < width).then(|| i + 1), (y > 0).then(|| i - width), (y + 1 < height).then(|| i + width)];
            for j in neighbours.into_iter().flatten() {
                if mask[j] && !seen[j] {
                    seen[j] = true;
                    blob.push(j);
                }
            }
        }
        out.push(blob);
    }
    out
}

/// `mask` with every pixel that is not fully surrounded (its four neighbours in `mask`) removed,
/// `times` times over: thin lines and bands vanish, solid shapes only shrink.
pub fn erode(mask: &[bool], width: usize, height: usize, times: usize) -> Vec<bool> {
    let mut out = mask.to_vec();
    for _ in 0..times {
        let before = out.clone();
        for y in 0..height {
            for x in 0..width {
                let i = y * width + x;
                out[i] =
                    before[i] && x > 0 && y > 0 && x + 1 < width && y + 1 < height && before[i - 1] && before[i + 1] && before[i - width] && before[i + width];
            }
        }
    }
    out
}

/// The largest compact blob of `mask` after one round of erosion (thin lines and bands gone),
/// grown back over `mask`: compact means filling at least 35% of its bounding box and no wider or
/// taller than 70% of the frame, as a subject is and a floor stripe or a wall's edge is not.
pub fn compact_blob(mask: &[bool], width: usize, height: usize) -> Vec<usize> {
    let Some(core) = blobs(&erode(mask, width, height, 1), width, height)
        .into_iter()
        .filter(|blob| {
            let (x0, x1, y0, y1) = bounding_box(blob, width);
            let (w, h) = (x1 - x0 + 1, y1 - y0 + 1);
            w * 10 <= width * 7 && h * 10 <= height * 7 && blob.len() * 100 >= w * h * 35
        })
        .max_by_key(Vec::len)
    else {
        return Vec::new();
    };
    let mut inside = vec![false; mask.len()];
    for &i in &core {
        inside[i] = true;
    }
    let before = inside.clone();
    for i in 0..mask.len() {
        let (x, y) = (i % width, i / width);
        let near = (x > 0 && before[i - 1]) || (x + 1 < width && before[i + 1]) || (y > 0 && before[i - width]) || (y + 1 < height && before[i + width]);
        inside[i] = before[i] || (mask[i] && near);
    }
    (0..mask.len()).filter(|&i| inside[i]).collect()
}

/// The colour a patch of an object shows in `style`: the commonest colour of its pixels
/// (binned to 16 levels per channel, the bin's mean), which is the fill under a flat, pixel-art
/// or sketched object's stripes, seams and outline. A photoreal object is shaded from a third
/// of its colour to full: there it is the median of its lit side (the pixels between the 60th
/// and 90th brightness percentiles, below the specular highlight).
pub fn representative(rgb: &[u8], pixels: &[usize], style: Style) -> [f32; 3] {
    if style == Style::Photoreal {
        let mut lit: Vec<[f32; 3]> = pixels.iter().map(|&i| pixel(rgb, i)).collect();
        lit.sort_by(|a, b| (a[0] + a[1] + a[2]).total_cmp(&(b[0] + b[1] + b[2])));
        let (lo, hi) = (lit.len() * 6 / 10, (lit.len() * 9 / 10).max(lit.len() * 6 / 10 + 1).min(lit.len()));
        let band = &lit[lo..hi];
        return [0, 1, 2].map(|k| median(&mut band.iter().map(|p| p[k]).collect::<Vec<_>>()));
    }
    let mut bins: std::collections::HashMap<[u8; 3], (usize, [f32; 3])> = std::collections::HashMap::new();
    for &i in pixels {
        let p = pixel(rgb, i);
        let entry = bins.entry([rgb[i * 3] / 16, rgb[i * 3 + 1] / 16, rgb[i * 3 + 2] / 16]).or_insert((0, [0.0; 3]));
        entry.0 += 1;
        for (sum, v) in entry.1.iter_mut().zip(p) {
            *sum += v;
        }
    }
    bins.into_values().max_by_key(|(n, sum)| (*n, (sum[0] + sum[1] + sum[2]) as i64)).map_or([0.0; 3], |(n, sum)| sum.map(|v| v / n as f32))
}

/// How far from its surroundings a pixel must be to count as part of an object in `style`: a
/// pencil sketch washes every colour 84% toward the paper, so its objects stand out less.
pub fn salient(style: Style) -> f32 {
    if style == Style::LineSketch { 15.0 } else { 40.0 }
}

/// How far a pixel may be from a palette colour to be drawn in it: a sketch's washes lie 13 to
/// 16 apart.
fn tolerance(style: Style) -> f32 {
    match style {
        Style::LineSketch => 8.0,
        Style::Photoreal => 30.0,
        _ => 45.0,
    }
}

/// How far `pixel` is from being drawn in `reference` in `style`. A photoreal object is shaded
/// from about a third of its colour to a little over full, so there the distance is to the
/// nearest shade of it.
fn drawn_distance(pixel: [f32; 3], reference: [f32; 3], style: Style) -> f32 {
    if style != Style::Photoreal {
        return distance(pixel, reference);
    }
    let norm = reference.iter().map(|v| v * v).sum::<f32>().max(1.0);
    let k = (pixel.iter().zip(&reference).map(|(p, r)| p * r).sum::<f32>() / norm).clamp(0.35, 1.25);
    distance(pixel, reference.map(|v| v * k))
}

/// A blob's size, halved when its middle lies outside the middle half of the frame's width: a
/// camera that follows its subject keeps it near the middle, and the stage's fixtures (a ramp,
/// a wall) lie at its ends.
fn centred_size(blob: &[usize], width: usize) -> f32 {
    if blob.is_empty() {
        return 0.0;
    }
    let x = blob.iter().map(|i| (i % width) as f32).sum::<f32>() / blob.len() as f32;
    let centred = (x - width as f32 / 2.0).abs() <= width as f32 / 4.0;
    blob.len() as f32 * if centred { 1.0 } else { 0.5 }
}

/// Which pixels of `rgb` are drawn in `reference` (in `style`) and stand out from their
/// surroundings (`standing_out`, from [`saliency`]).
pub fn drawn_mask(rgb: &[u8], standing_out: &[f32], style: Style, reference: [f32; 3]) -> Vec<bool> {
    (0..standing_out.len()).map(|i| standing_out[i] > salient(style) && drawn_distance(pixel(rgb, i), reference, style) < tolerance(style)).collect()
}

/// Pixel `i` of `rgb`.
pub fn pixel(rgb: &[u8], i: usize) -> [f32; 3] {
    [f32::from(rgb[i * 3]), f32::from(rgb[i * 3 + 1]), f32::from(rgb[i * 3 + 2])]
}

/// The smallest box holding `blob`'s pixels: `(x0, x1, y0, y1)`, inclusive.
pub fn bounding_box(blob: &[usize], width: usize) -> (usize, usize, usize, usize) {
    let (mut x0, mut x1, mut y0, mut y1) = (usize::MAX, 0, usize::MAX, 0);
    for &i in blob {
        let (x, y) = (i % width, i / width);
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    (x0, x1, y0, y1)
}

/// The main object's colour in frames drawn in `style`. Per frame and per colour: the pixels
/// drawn in that colour which also stand out from their surroundings, and the largest compact
/// blob of them; the frame's colour is the one whose blob is largest, counting a blob away from
/// the middle half ([`centred_size`]) (in photoreal, whose shading
/// mixes up white and grey, orange and brown, the blob's lit side then names it). The clip's
/// colour is the one most frames name.
pub fn read_colour(frames: &[&[u8]], width: usize, height: usize, style: Style, palette: &Palette) -> ColourReading {
    let row = &palette.rgb[style_index(style)];
    let mut votes = [0usize; 11];
    for rgb in frames {
        let standing_out = saliency(rgb, width, height);
        let mut best: Option<(usize, Vec<usize>, f32)> = None;
        for (c, reference) in row.iter().enumerate() {
            let blob = compact_blob(&drawn_mask(rgb, &standing_out, style, *reference), width, height);
            let score = centred_size(&blob, width);
            if blob.len() >= MIN_PIXELS && best.as_ref().is_none_or(|(_, _, s)| score > *s) {
                best = Some((c, blob, score));
            }
        }
        let Some((mut c, blob, _)) = best else { continue };
        if style == Style::Photoreal {
            // Shading makes dark orange brown and grey white: the blob's lit side decides.
            c = palette.nearest_index(style, representative(rgb, &blob, style));
        }
        votes[c] += 1;
    }
    let colour = votes.iter().enumerate().filter(|(_, n)| **n > 0).max_by_key(|(_, n)| **n).map(|(c, _)| Colour::ALL[c]);
    ColourReading { colour, votes }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// The instrument's own score on the world's renders, whose colours are known. Measured
    /// (session 28, 3 seeds x 11 colours x 4 styles): 114 of 132; its misses are blue objects in
    /// the pool's blue water, white and purple washes on a sketch's paper (which the world draws
    /// nearly as paper), and photoreal shading read a shade off (white as grey, orange as brown).
    #[test]
    fn the_world_s_own_renders_read_as_their_colours() {
        let palette = Palette::measure(&calibration_clips());
        let mut right = [0usize; 4];
        let mut wrong = Vec::new();
        for c in 0..11 {
            for s in 0..4 {
                for seed in [7_000u64, 7_001, 7_002] {
                    let clip = lone_clip(seed + 13 * c as u64, Colour::ALL[c], Style::ALL[s]);
                    let frames: Vec<&[u8]> = clip.frames.iter().map(|f| f.rgb.as_slice()).collect();
                    let reading = read_colour(&frames, 64, 64, clip.scene.style, &palette);
                    if reading.colour == Some(Colour::ALL[c]) {
                        right[s] += 1;
                    } else {
                        wrong.push((Colour::ALL[c], Style::ALL[s], reading.colour, clip.scene.setting, clip.scene.objects[0].kind));
                    }
                }
            }
        }
        eprintln!("right per style of 33: {right:?}; wrong: {wrong:?}");
        assert!(right.iter().sum::<usize>() >= 112, "{right:?} of 33 each: {wrong:?}");
        assert!(right[0] >= 30 && right[2] >= 30, "flat cartoon and pixel art: {right:?} of 33 each: {wrong:?}");
    }
}
