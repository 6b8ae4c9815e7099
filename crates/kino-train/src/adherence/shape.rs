//! The main object's kind, read from its silhouette instead of by a neural judge. In each frame
//! the subject is the blob of the clip's measured colour ([`super::colour`]); grown over the
//! pixels beside it that also stand out from the backdrop, it takes in what the world draws on
//! and around an object's fill: a basketball's dark seams, a ball's light stripe, a duck's beak
//! and eye. Eight numbers describe that silhouette (how square it is, how round, how lopsided,
//! how much of it is darker, lighter or another hue than the fill), and the frame's kind is the
//! one most of its nearest neighbours among the world's own lone renders of the same style
//! have, rendered, blurred and noisy ([`Silhouettes::measure`]). The clip's kind is the one
//! most frames name.
//!
//! The world draws every kind in every colour, so the kind cannot come from the colour; and a
//! generated clip is softer than a render, so the neighbours include softened renders.

use kino_core::scene::{Colour, ObjectKind, Style};
use kino_world::Clip;
use kino_world::rng::Rng;

use super::colour::{Palette, blobs, bounding_box, compact_blob, drawn_mask, lone_world, pixel, saliency, salient, style_index};
use super::suite::KINDS;
use crate::judge::degrade::{Degradation, degrade_frames};

/// The fewest silhouette pixels a frame needs to be read: below it, a shape is a few pixels.
const MIN_SILHOUETTE: usize = 12;

/// Neighbours that vote on a frame's kind.
const NEIGHBOURS: usize = 9;

/// What describes one frame's silhouette.
type Features = [f32; FEATURES];

/// Side of the grid of brightness samples over the silhouette's box.
const GRID: usize = 6;

/// The silhouette's eight numbers and its grid.
const FEATURES: usize = 8 + GRID * GRID;

/// How much each grid sample weighs in a distance beside one of the eight numbers.
const GRID_WEIGHT: f32 = 0.4;

/// The world's own lone renders, described: what a silhouette is compared with.
#[derive(Debug, Clone)]
pub struct Silhouettes {
    /// Per style ([`Style::ALL`] order): each calibration frame's features and kind.
    examples: [Vec<(Features, usize)>; 4],
    /// Per feature: the spread over all examples (distances are in spreads).
    spread: Features,
}

/// First seed of the calibration renders: far from the suite's, the colour calibration's and
/// training's.
pub const SILHOUETTE_SEED: u64 = 3_200_000_000;

/// Lone renders of each kind in each colour per style, calibrated on.
const CALIBRATION_SEEDS: u64 = 6;

impl Silhouettes {
    /// Describes every second frame of lone renders of every kind and colour in `styles` (all
    /// four when empty), [`CALIBRATION_SEEDS`] each, as rendered, blurred and noisy.
    pub fn measure(palette: &Palette, styles: &[Style]) -> anyhow::Result<Silhouettes> {
        let styles = if styles.is_empty() { Style::ALL.to_vec() } else { styles.to_vec() };
        let mut examples: [Vec<(Features, usize)>; 4] = Default::default();
        for &style in &styles {
            for (k, kind) in KINDS.iter().enumerate() {
                for (c, colour) in Colour::ALL.iter().enumerate() {
                    for n in 0..CALIBRATION_SEEDS {
                        let seed = SILHOUETTE_SEED + ((style_index(style) * 4 + k) * 11 + c) as u64 * 16 + n;
                        let clip = crate::data::clip_from(seed, &lone_world(Some(*kind), *colour, style, None))?;
                        for frames in variants(&clip, seed) {
                            let frames: Vec<&[u8]> = frames.iter().step_by(2).map(Vec::as_slice).collect();
                            for f in describe_frames(&frames, 64, 64, style, palette, *colour) {
                                examples[style_index(style)].push((f, k));
                            }
                        }
                    }
                }
            }
        }
        let all: Vec<&Features> = examples.iter().flatten().map(|(f, _)| f).collect();
        anyhow::ensure!(!all.is_empty(), "no calibration render showed a silhouette");
        let n = all.len() as f32;
        let mean: Features = std::array::from_fn(|i| all.iter().map(|f| f[i]).sum::<f32>() / n);
        let spread: Features = std::array::from_fn(|i| (all.iter().map(|f| (f[i] - mean[i]).powi(2)).sum::<f32>() / n).sqrt().max(1e-3));
        Ok(Silhouettes { examples, spread })
    }

    /// The kind most of a frame's nearest calibration frames of `style` show.
    fn nearest_kind(&self, features: &Features, style: Style) -> Option<usize> {
        let examples = &self.examples[style_index(style)];
        let mut near: Vec<(f32, usize)> = examples
            .iter()
            .map(|(f, k)| ((0..FEATURES).map(|i| ((f[i] - features[i]) / self.spread[i]).powi(2) * if i < 8 { 1.0 } else { GRID_WEIGHT }).sum::<f32>(), *k))
            .collect();
        if near.is_empty() {
            return None;
        }
        let n = NEIGHBOURS.min(near.len());
        near.select_nth_unstable_by(n - 1, |a, b| a.0.total_cmp(&b.0));
        let mut votes = [0usize; 4];
        for (_, k) in &near[..n] {
            votes[*k] += 1;
        }
        votes.iter().enumerate().max_by_key(|(_, v)| **v).map(|(k, _)| k)
    }
}

/// A render as rendered, blurred and noisy (the noise drawn from `seed`).
pub fn variants(clip: &Clip, seed: u64) -> Vec<Vec<Vec<u8>>> {
    let mut out = vec![clip.frames.iter().map(|f| f.rgb.clone()).collect()];
    for how in Degradation::ALL {
        out.push(degrade_frames(&clip.frames, how, &mut Rng::stream(seed, "silhouette-degrade")));
    }
    out
}

/// What the kind measurement saw in a clip.
#[derive(Debug, Clone, PartialEq)]
pub struct KindReading {
    /// The kind with most votes, `None` when no frame showed a silhouette.
    pub kind: Option<ObjectKind>,
    /// Votes per kind in [`KINDS`] order.
    pub votes: [usize; 4],
}

/// The main object's kind in frames drawn in `style` whose main object was measured as `colour`
/// ([`super::colour::read_colour`]; `None`: no object, no kind): each frame's silhouette in that
/// colour, read by its nearest calibration frames; the kind most frames name.
pub fn read_kind(
    frames: &[&[u8]],
    width: usize,
    height: usize,
    style: Style,
    colour: Option<Colour>,
    palette: &Palette,
    silhouettes: &Silhouettes,
) -> KindReading {
    let mut votes = [0usize; 4];
    let described = colour.map(|c| describe_frames(frames, width, height, style, palette, c)).unwrap_or_default();
    for f in described {
        if let Some(k) = silhouettes.nearest_kind(&f, style) {
            votes[k] += 1;
        }
    }
    let kind = votes.iter().enumerate().filter(|(_, n)| **n > 0).max_by_key(|(_, n)| **n).map(|(k, _)| KINDS[k]);
    KindReading { kind, votes }
}

/// The features of each frame's silhouette in `colour`; frames without one give none.
fn describe_frames(frames: &[&[u8]], width: usize, height: usize, style: Style, palette: &Palette, colour: Colour) -> Vec<Features> {
    let fill = palette.rgb[style_index(style)][Colour::ALL.iter().position(|c| *c == colour).unwrap_or(0)];
    frames
        .iter()
        .filter_map(|rgb| {
            let standing_out = saliency(rgb, width, height);
            let silhouette = silhouette(rgb, &standing_out, width, height, style, fill);
            (silhouette.len() >= MIN_SILHOUETTE).then(|| features(rgb, &silhouette, width, height, fill))
        })
        .collect()
}

/// The subject's silhouette in `fill`: the compact blob of the pixels drawn in it (the frame's
/// subject, [`compact_blob`]; or, where seams cut the fill into pieces too small for that, the
/// largest piece); then, within that blob's box widened by its size (at least [`MIN_MARGIN`]) on every side, the pixels
/// drawn in the fill, closed ([`CLOSING`]: seams and a stripe no longer cut it), the piece
/// joined to the blob, with its holes filled. Empty when no blob.
fn silhouette(rgb: &[u8], standing_out: &[f32], width: usize, height: usize, style: Style, fill: [f32; 3]) -> Vec<usize> {
    let drawn = drawn_mask(rgb, standing_out, style, fill);
    let mut core = compact_blob(&drawn, width, height);
    if core.is_empty() {
        core = blobs(&drawn, width, height).into_iter().max_by_key(Vec::len).filter(|b| b.len() >= 3).unwrap_or_default();
    }
    if core.is_empty() {
        return Vec::new();
    }
    let (x0, x1, y0, y1) = bounding_box(&core, width);
    let m = (x1 - x0 + 1).max(y1 - y0 + 1).max(MIN_MARGIN);
    let (x0, x1, y0, y1) = (x0.saturating_sub(m), (x1 + m).min(width - 1), y0.saturating_sub(m), (y1 + m).min(height - 1));
    let window = |i: usize| (x0..=x1).contains(&(i % width)) && (y0..=y1).contains(&(i / width));
    // Ink (an outline, a basketball's seams) joins the fill, so that the pieces it cuts close up.
    let ink = |i: usize| standing_out[i] > salient(style) && luma(pixel(rgb, i)) < (luma(fill) - 40.0).min(INK_LUMA);
    let inside: Vec<bool> = (0..width * height).map(|i| (drawn[i] || ink(i)) && window(i)).collect();
    let closed = shrink(&spread(&inside, width, height, CLOSING), width, height, CLOSING);
    let mut piece = vec![false; width * height];
    let mut out: Vec<usize> = core.iter().copied().filter(|&i| closed[i]).collect();
    for &i in &out {
        piece[i] = true;
    }
    let mut k = 0;
    while k < out.len() {
        let i = out[k];
        k += 1;
        for j in around(i, width, height) {
            if !piece[j] && closed[j] {
                piece[j] = true;
                out.push(j);
            }
        }
    }
    // Holes: what the window's border cannot reach around the piece.
    let mut outside = vec![false; width * height];
    let mut open: Vec<usize> =
        (0..width * height).filter(|&i| window(i) && !piece[i] && [x0, x1].contains(&(i % width)) | [y0, y1].contains(&(i / width))).collect();
    for &i in &open {
        outside[i] = true;
    }
    while let Some(i) = open.pop() {
        for j in around(i, width, height) {
            if window(j) && !piece[j] && !outside[j] {
                outside[j] = true;
                open.push(j);
            }
        }
    }
    (0..width * height).filter(|&i| window(i) && !outside[i]).collect()
}

/// The (up to) eight pixels around pixel `i`.
fn around(i: usize, width: usize, height: usize) -> impl Iterator<Item = usize> {
    let (x, y) = ((i % width) as i64, (i / width) as i64);
    (-1i64..=1)
        .flat_map(move |dy| (-1i64..=1).map(move |dx| (x + dx, y + dy)))
        .filter(move |&(nx, ny)| (nx, ny) != (x, y) && nx >= 0 && ny >= 0 && nx < width as i64 && ny < height as i64)
        .map(move |(nx, ny)| ny as usize * width + nx as usize)
}

/// The least the window around a blob is widened by: a basketball's seams cut its fill into
/// pieces of a few pixels, of which the blob is one.
const MIN_MARGIN: usize = 6;

/// Pixels darker than this (and than the fill) are ink: outlines and seams.
const INK_LUMA: f32 = 90.0;

/// How far a silhouette is grown and shrunk back: seams and stripes up to twice this wide no
/// longer cut the fill.
const CLOSING: usize = 2;

/// `mask` grown by `r` pixels (the square of side `2r + 1` around each).
fn spread(mask: &[bool], width: usize, height: usize, r: usize) -> Vec<bool> {
    let r = r as i64;
    (0..mask.len())
        .map(|i| {
            let (x, y) = ((i % width) as i64, (i / width) as i64);
            (-r..=r).any(|dy| {
                (-r..=r).any(|dx| {
                    let (nx, ny) = (x + dx, y + dy);
                    nx >= 0 && ny >= 0 && nx < width as i64 && ny < height as i64 && mask[ny as usize * width + nx as usize]
                })
            })
        })
        .collect()
}

/// `mask` shrunk by `r` pixels: what [`spread`] of its complement leaves.
fn shrink(mask: &[bool], width: usize, height: usize, r: usize) -> Vec<bool> {
    let outside: Vec<bool> = mask.iter().map(|m| !m).collect();
    spread(&outside, width, height, r).into_iter().map(|o| !o).collect()
}

fn luma(p: [f32; 3]) -> f32 {
    0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]
}

/// A silhouette's eight numbers: its fill of the smallest rectangle around it (at any of 12
/// angles), that rectangle's short side over its long side, its fill of its convex hull, how far
/// its centre of mass lies from the rectangle's centre (in square roots of its area), and the
/// shares of its pixels darker than the fill, lighter than it, of another hue at the fill's
/// brightness, and of the fill's own colour (these four inside its outline).
fn features(rgb: &[u8], silhouette: &[usize], width: usize, height: usize, fill: [f32; 3]) -> Features {
    let points: Vec<(f32, f32)> = silhouette.iter().map(|&i| ((i % width) as f32, (i / width) as f32)).collect();
    let area = points.len() as f32;
    let (cx, cy) = (points.iter().map(|p| p.0).sum::<f32>() / area, points.iter().map(|p| p.1).sum::<f32>() / area);
    let mut best = (f32::MAX, 1.0, 0.0);
    for k in 0..12 {
        let a = k as f32 * std::f32::consts::FRAC_PI_2 / 12.0;
        let (s, c) = a.sin_cos();
        let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for &(x, y) in &points {
            let (u, v) = (x * c + y * s, y * c - x * s);
            (u0, u1, v0, v1) = (u0.min(u), u1.max(u), v0.min(v), v1.max(v));
        }
        let (eu, ev) = (u1 - u0 + 1.0, v1 - v0 + 1.0);
        if eu * ev < best.0 {
            let (mu, mv) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
            let (gu, gv) = (cx * c + cy * s, cy * c - cx * s);
            best = (eu * ev, eu.min(ev) / eu.max(ev), ((gu - mu).powi(2) + (gv - mv).powi(2)).sqrt() / area.sqrt());
        }
    }
    let (rectangle, aspect, lopsided) = best;
    let hull = hull_area(&points);
    let bright = luma(fill);
    // The colours inside the outline: the silhouette less its edge.
    let mut mask = vec![false; width * height];
    for &i in silhouette {
        mask[i] = true;
    }
    let inner: Vec<usize> = shrink(&mask, width, height, 1).iter().enumerate().filter(|(_, m)| **m).map(|(i, _)| i).collect();
    let inner = if inner.is_empty() { silhouette } else { inner.as_slice() };
    let (mut dark, mut light, mut other, mut own) = (0.0, 0.0, 0.0, 0.0);
    for &i in inner {
        let p = pixel(rgb, i);
        let d = luma(p) - bright;
        let far = ((p[0] - fill[0]).powi(2) + (p[1] - fill[1]).powi(2) + (p[2] - fill[2]).powi(2)).sqrt();
        if d < -40.0 {
            dark += 1.0;
        } else if d > 40.0 {
            light += 1.0;
        } else if far > 60.0 {
            other += 1.0;
        } else {
            own += 1.0;
        }
    }
    let n = inner.len() as f32;
    let mut out = [0.0; FEATURES];
    out[..8].copy_from_slice(&[area / rectangle, aspect, area / hull.max(1.0), lopsided, dark / n, light / n, other / n, own / n]);
    // The brightness against the fill's at a grid of points over the silhouette's square box.
    let (x0, x1) = points.iter().fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y0, y1) = points.iter().fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let side = (x1 - x0).max(y1 - y0) + 1.0;
    let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    for gy in 0..GRID {
        for gx in 0..GRID {
            let x = (mx + ((gx as f32 + 0.5) / GRID as f32 - 0.5) * side).round().clamp(0.0, width as f32 - 1.0) as usize;
            let y = (my + ((gy as f32 + 0.5) / GRID as f32 - 0.5) * side).round().clamp(0.0, height as f32 - 1.0) as usize;
            out[8 + gy * GRID + gx] = (luma(pixel(rgb, y * width + x)) - bright) / 100.0;
        }
    }
    out
}

/// The area of the convex hull of the unit squares at `points` (their corners' hull).
fn hull_area(points: &[(f32, f32)]) -> f32 {
    let mut corners: Vec<(f32, f32)> = points.iter().flat_map(|&(x, y)| [(x, y), (x + 1.0, y), (x, y + 1.0), (x + 1.0, y + 1.0)]).collect();
    corners.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    corners.dedup();
    if corners.len() < 3 {
        return 0.0;
    }
    let cross = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut hull: Vec<(f32, f32)> = Vec::with_capacity(corners.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let ordered: Box<dyn Iterator<Item = &(f32, f32)>> = if pass == 0 { Box::new(corners.iter()) } else { Box::new(corners.iter().rev()) };
        for &p in ordered {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    let n = hull.len();
    (0..n).map(|i| hull[i].0 * hull[(i + 1) % n].1 - hull[(i + 1) % n].0 * hull[i].1).sum::<f32>().abs() / 2.0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::adherence::colour::{calibration_clips, read_colour};

    #[test]
    fn a_hull_of_unit_squares_has_their_area_when_they_fill_a_rectangle() {
        let square: Vec<(f32, f32)> = (0..4).flat_map(|y| (0..3).map(move |x| (x as f32, y as f32))).collect();
        assert!((hull_area(&square) - 12.0).abs() < 1e-4);
        assert!((hull_area(&[(0.0, 0.0)]) - 1.0).abs() < 1e-4);
    }

    /// The measurement's own score on lone flat-cartoon renders it was not calibrated on, as
    /// rendered, blurred and noisy. Measured (session 31): 39, 39 and 38 of 44; its misses are
    /// mostly basketballs (a 7 to 9 pixel disc whose seams blur into its fill) and white or black
    /// balls (a white ball on the gym's pale wall, a black one whose stripe barely shows). The
    /// suite counts its kind column only when it reads the cases' own renders >= 97% right, so
    /// today the column is shown but not counted.
    #[test]
    fn the_world_s_own_renders_read_as_their_kinds() {
        let palette = Palette::measure(&calibration_clips());
        let silhouettes = Silhouettes::measure(&palette, &[Style::FlatCartoon]).unwrap();
        let mut right = [0usize; 3];
        let mut wrong = Vec::new();
        let mut total = 0;
        for (k, kind) in KINDS.iter().enumerate() {
            for (c, colour) in Colour::ALL.iter().enumerate() {
                let seed = 7_100 + (k * 11 + c) as u64;
                let clip = crate::data::clip_from(seed, &lone_world(Some(*kind), *colour, Style::FlatCartoon, None)).unwrap();
                total += 1;
                for (v, frames) in variants(&clip, seed).into_iter().enumerate() {
                    let frames: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
                    let measured = read_colour(&frames, 64, 64, Style::FlatCartoon, &palette).colour;
                    let reading = read_kind(&frames, 64, 64, Style::FlatCartoon, measured, &palette, &silhouettes);
                    if reading.kind == Some(*kind) {
                        right[v] += 1;
                    } else {
                        wrong.push((v, *kind, *colour, reading.votes));
                    }
                }
            }
        }
        eprintln!("right of {total} (rendered, blurred, noisy): {right:?}; wrong: {wrong:?}");
        assert!(right.iter().all(|r| *r * 100 >= total * 84), "{right:?} of {total}: {wrong:?}");
    }
}
