//! The invisible watermark: a keyed spread-spectrum mark in luma that carries a 64-bit video id.
//!
//! The mark is a tile of 16x16 cells, each cell a square of `c` pixels raised or lowered by a
//! few luma levels, repeated over the whole frame and over every frame. 64 cells of the tile are
//! a keyed synchronisation pattern; the other 192 carry the 188 bits of the error-corrected
//! payload ([`ecc`]), each with a keyed sign. The cell size grows with the frame
//! ([`cell_size`]), so the mark sits at the same place in the spectrum at 64x64 and at 1080p.
//!
//! Detection needs no original ([`detect`]): the frames are averaged (so frame-rate changes do
//! not matter and moving content fades), high-passed, the tile period is measured from the
//! autocorrelation (so resizes do not matter), the picture is folded onto one tile (so crops do
//! not matter, as long as a tile or so is left) and the synchronisation pattern is searched over
//! every cyclic shift. The payload then goes through a soft-decision Viterbi decoder and a CRC.

pub mod detect;
pub mod ecc;
pub mod embed;
pub mod key;
pub mod layout;

pub use detect::{Detection, MeanLuma, detect, detect_mean};
pub use embed::{Embedder, psnr};
pub use key::WatermarkKey;

/// Cells per tile side.
pub const GRID: usize = 16;

/// Cell size in pixels for a `width x height` frame: 4 below 192 pixels on the shorter side,
/// else 8 per 512 pixels (8 at 256 to 767, 16 at 1080p). Multiples of 4 line up with H.264's
/// transform blocks; 8 and up survive low-quality re-encodes.
pub fn cell_size(width: usize, height: usize) -> usize {
    let side = width.min(height);
    if side < 192 { 4 } else { 8 * ((side as f32 / 512.0).round() as usize).max(1) }
}
