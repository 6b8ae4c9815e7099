//! Narrow-phase collision tests: circles and convex polygons, returning contact points.
//!
//! Every test returns contacts whose normal points from the second shape towards the first,
//! with a positive penetration depth. Shapes move only a fraction of their size per substep,
//! so the shallow-penetration answers here are the right ones.

use crate::math::{V2, closest_on_segment};

/// One touching point between two shapes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Touch {
    /// World point of contact.
    pub point: V2,
    /// Unit normal from the second shape to the first.
    pub normal: V2,
    /// How far they overlap along `normal`, metres.
    pub depth: f64,
}

/// Circle (`c`, `r`) against circle (`c2`, `r2`).
pub fn circle_circle(c: V2, r: f64, c2: V2, r2: f64) -> Option<Touch> {
    let d = c - c2;
    let dist = d.len();
    if dist >= r + r2 {
        return None;
    }
    let normal = if dist > 1e-12 { d * (1.0 / dist) } else { V2 { x: 0.0, y: 1.0 } };
    Some(Touch { point: c2 + normal * r2, normal, depth: r + r2 - dist })
}

fn edge_normal(a: V2, b: V2) -> V2 {
    let e = b - a;
    V2 { x: e.y, y: -e.x }.norm()
}

/// Signed distance from `p` to the deepest-face plane of `poly`, with that face's normal.
/// Negative means inside.
fn max_separation(p: V2, poly: &[V2]) -> (f64, V2) {
    let mut best = (f64::NEG_INFINITY, V2::default());
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
        let n = edge_normal(a, b);
        let s = (p - a).dot(n);
        if s > best.0 {
            best = (s, n);
        }
    }
    best
}

/// Circle against a convex counter-clockwise polygon.
pub fn circle_poly(c: V2, r: f64, poly: &[V2]) -> Option<Touch> {
    let (sep, n) = max_separation(c, poly);
    if sep > r {
        return None;
    }
    if sep <= 0.0 {
        return Some(Touch { point: c - n * sep, normal: n, depth: r - sep });
    }
    let mut best: Option<(f64, V2)> = None;
    for i in 0..poly.len() {
        let q = closest_on_segment(c, poly[i], poly[(i + 1) % poly.len()]);
        let d = (c - q).len();
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, q));
        }
    }
    let (d, q) = best?;
    if d >= r || d <= 1e-12 {
        return None;
    }
    Some(Touch { point: q, normal: (c - q) * (1.0 / d), depth: r - d })
}

/// Convex polygon `a` against convex polygon `b`: each vertex of one inside the other.
pub fn poly_poly(a: &[V2], b: &[V2], out: &mut Vec<Touch>) {
    for &p in a {
        let (sep, n) = max_separation(p, b);
        if sep < 0.0 {
            out.push(Touch { point: p, normal: n, depth: -sep });
        }
    }
    for &p in b {
        let (sep, n) = max_separation(p, a);
        if sep < 0.0 {
            out.push(Touch { point: p, normal: -n, depth: -sep });
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::math::v2;

    fn square() -> Vec<V2> {
        vec![v2(-1.0, -1.0), v2(1.0, -1.0), v2(1.0, 1.0), v2(-1.0, 1.0)]
    }

    #[test]
    fn circle_on_top_of_square_is_pushed_up() {
        let t = circle_poly(v2(0.2, 1.4), 0.5, &square()).expect("touching");
        assert!((t.normal.y - 1.0).abs() < 1e-9);
        assert!((t.depth - 0.1).abs() < 1e-9);
    }

    #[test]
    fn circle_near_corner_gets_diagonal_normal() {
        let t = circle_poly(v2(1.3, 1.3), 0.5, &square()).expect("touching");
        assert!((t.normal.x - t.normal.y).abs() < 1e-9 && t.normal.x > 0.0);
    }

    #[test]
    fn separated_polygons_do_not_touch() {
        let b: Vec<V2> = square().iter().map(|p| *p + v2(3.0, 0.0)).collect();
        let mut out = Vec::new();
        poly_poly(&square(), &b, &mut out);
        assert!(out.is_empty());
    }
}
