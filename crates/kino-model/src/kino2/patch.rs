//! Pixels to tokens and back: a clip is cut into non-overlapping space-time patches of
//! `pt` frames by `p x p` pixels, each flattened into one token (JiT's large patches, with time).

use burn::tensor::Tensor;

/// Clip → tokens of `pt x p x p` pixels.
///
/// # Shapes
/// - `x`: `[b, c, t, h, w]` → `[b, t/pt * h/p * w/p, c * pt * p * p]` (token order: time, row,
///   column; features: channel, frame, row, column)
pub fn patchify(x: Tensor<5>, [pt, p, q]: [usize; 3]) -> Tensor<3> {
    let [b, c, t, h, w] = x.dims();
    let x = x.reshape([b * c, t / pt, pt, h / p, p, w / q, q]); // [b*c, T, pt, H, p, W, q]
    let x = x.permute([0, 1, 3, 5, 2, 4, 6]); // [b*c, T, H, W, pt, p, q]
    let n = (t / pt) * (h / p) * (w / q);
    let x = x.reshape([b, c, n, pt * p * q]).swap_dims(1, 2); // [b, n, c, pt*p*q]
    x.reshape([b, n, c * pt * p * q])
}

/// The inverse of [`patchify`] for clips of `[c, t, h, w]`.
pub fn unpatchify(tokens: Tensor<3>, [pt, p, q]: [usize; 3], [c, t, h, w]: [usize; 4]) -> Tensor<5> {
    let [b, n, _] = tokens.dims();
    let x = tokens.reshape([b, n, c, pt * p * q]).swap_dims(1, 2); // [b, c, n, pt*p*q]
    let x = x.reshape([b * c, t / pt, h / p, w / q, pt, p, q]).permute([0, 1, 4, 2, 5, 3, 6]); // [b*c, T, pt, H, p, W, q]
    x.reshape([b, c, t, h, w])
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, Distribution, Tensor};

    use super::*;

    #[test]
    fn patches_hold_neighbouring_pixels_and_go_back_exactly() {
        let device = Device::flex();
        let x = Tensor::<5>::random([2, 3, 8, 16, 16], Distribution::Normal(0.0, 1.0), &device);
        let tokens = patchify(x.clone(), [4, 8, 8]);
        assert_eq!(tokens.dims(), [2, 2 * 2 * 2, 3 * 4 * 8 * 8]);
        // Token 3 is time 0, row 1, column 1; its first feature is channel 0, frame 0, pixel (8, 8).
        let first = tokens.clone().narrow(0, 0, 1).narrow(1, 3, 1).narrow(2, 0, 1).into_scalar::<f32>();
        let pixel = x.clone().narrow(0, 0, 1).narrow(1, 0, 1).narrow(2, 0, 1).narrow(3, 8, 1).narrow(4, 8, 1).into_scalar::<f32>();
        assert_eq!(first, pixel);
        // Feature 256 + 9 of token 4 (time 1, row 0, column 0): channel 1, frame 4, pixel (1, 1).
        let later = tokens.clone().narrow(0, 1, 1).narrow(1, 4, 1).narrow(2, 256 + 9, 1).into_scalar::<f32>();
        let pixel = x.clone().narrow(0, 1, 1).narrow(1, 1, 1).narrow(2, 4, 1).narrow(3, 1, 1).narrow(4, 1, 1).into_scalar::<f32>();
        assert_eq!(later, pixel);
        let back = unpatchify(tokens, [4, 8, 8], [3, 8, 16, 16]);
        assert_eq!(back.to_data(), x.to_data());
    }
}
