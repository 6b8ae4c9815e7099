//! The Fréchet distance between two sets of feature vectors, each summarised by its mean and
//! covariance (as FID does with Inception features; here with the judge's features):
//! `|μa − μb|² + tr(Σa + Σb − 2 (Σa^½ Σb Σa^½)^½)`.

/// The Fréchet distance between the Gaussians fitted to `a` and `b` (vectors of one length;
/// each set needs at least one vector).
pub fn frechet_distance(a: &[Vec<f32>], b: &[Vec<f32>]) -> Option<f64> {
    let (ma, ca) = moments(a)?;
    let (mb, cb) = moments(b)?;
    if ma.len() != mb.len() {
        return None;
    }
    let n = ma.len();
    let mean: f64 = ma.iter().zip(&mb).map(|(x, y)| (x - y).powi(2)).sum();
    let root_a = sqrt_psd(&ca, n);
    let middle = matmul(&matmul(&root_a, &cb, n), &root_a, n);
    let (values, _) = eigen_symmetric(&middle, n);
    let cross: f64 = values.iter().map(|v| v.max(0.0).sqrt()).sum();
    let trace = |m: &[f64]| (0..n).map(|i| m[i * n + i]).sum::<f64>();
    Some((mean + trace(&ca) + trace(&cb) - 2.0 * cross).max(0.0))
}

/// Mean and covariance (divided by the count) of `xs`, row-major.
fn moments(xs: &[Vec<f32>]) -> Option<(Vec<f64>, Vec<f64>)> {
    let n = xs.first()?.len();
    if xs.iter().any(|x| x.len() != n) {
        return None;
    }
    let k = xs.len() as f64;
    let mut mean = vec![0.0; n];
    for x in xs {
        for (m, v) in mean.iter_mut().zip(x) {
            *m += f64::from(*v) / k;
        }
    }
    let mut cov = vec![0.0; n * n];
    for x in xs {
        let d: Vec<f64> = x.iter().zip(&mean).map(|(v, m)| f64::from(*v) - m).collect();
        for i in 0..n {
            for j in 0..n {
                cov[i * n + j] += d[i] * d[j] / k;
            }
        }
    }
    Some((mean, cov))
}

fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            if aik != 0.0 {
                for j in 0..n {
                    out[i * n + j] += aik * b[k * n + j];
                }
            }
        }
    }
    out
}

/// The square root of a symmetric positive semi-definite matrix.
fn sqrt_psd(m: &[f64], n: usize) -> Vec<f64> {
    let (values, vectors) = eigen_symmetric(m, n);
    let mut out = vec![0.0; n * n];
    for (k, v) in values.iter().enumerate() {
        let s = v.max(0.0).sqrt();
        for i in 0..n {
            for j in 0..n {
                out[i * n + j] += s * vectors[i * n + k] * vectors[j * n + k];
            }
        }
    }
    out
}

/// Eigenvalues and eigenvectors (columns) of a symmetric matrix, by cyclic Jacobi rotations.
fn eigen_symmetric(m: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = m.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-300);
    for _sweep in 0..60 {
        let off: f64 = (0..n).flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j))).map(|(i, j)| a[i * n + j].powi(2)).sum::<f64>().sqrt();
        if off <= 1e-13 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn set(seed: u32, count: usize, dim: usize, shift: f32) -> Vec<Vec<f32>> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                (0..dim)
                    .map(|_| {
                        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                        (state >> 8) as f32 / (1u32 << 24) as f32 + shift
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn identical_sets_are_at_distance_zero() {
        let a = set(1, 30, 12, 0.0);
        assert!(frechet_distance(&a, &a).unwrap() < 1e-6);
    }

    #[test]
    fn a_shifted_set_is_at_the_squared_shift() {
        let a = set(1, 30, 6, 0.0);
        let b: Vec<Vec<f32>> = a.iter().map(|x| x.iter().map(|v| v + 0.5).collect()).collect();
        let d = frechet_distance(&a, &b).unwrap();
        assert!((d - 6.0 * 0.25).abs() < 1e-4, "{d}");
        // Different samples of one distribution are closer than a shifted one.
        let c = set(7, 30, 6, 0.0);
        assert!(frechet_distance(&a, &c).unwrap() < d);
        assert!(frechet_distance(&a, &set(1, 3, 5, 0.0)).is_none(), "lengths must agree");
    }

    #[test]
    fn jacobi_recovers_a_known_square_root() {
        // [[5, 4], [4, 5]] = R², R = [[2, 1], [1, 2]].
        let r = sqrt_psd(&[5.0, 4.0, 4.0, 5.0], 2);
        for (got, want) in r.iter().zip([2.0, 1.0, 1.0, 2.0]) {
            assert!((got - want).abs() < 1e-9, "{r:?}");
        }
    }
}
