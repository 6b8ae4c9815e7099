//! H.264 decoding with OpenH264, for reading marks back out of files: Annex B access units in,
//! pictures out one at a time (so long videos are never all in memory).

use openh264::OpenH264API;
use openh264::decoder::{DecodedYUV, Decoder, DecoderConfig, Flush};
use openh264::formats::YUVSource;

use crate::MediaError;
use crate::frame::{Frame, Luma, Yuv420};

/// Decodes access units (Annex B) and hands every picture, in output order, to `each`.
/// Returns the number of pictures; damaged units are skipped.
pub fn decode_each(units: &[Vec<u8>], mut each: impl FnMut(&Yuv420)) -> Result<usize, MediaError> {
    let mut decoder = Decoder::with_api_config(OpenH264API::from_source(), DecoderConfig::new().flush_after_decode(Flush::NoFlush))
        .map_err(|e| MediaError::Video(e.to_string()))?;
    let mut count = 0;
    for unit in units {
        if let Ok(Some(pic)) = decoder.decode(unit) {
            each(&copy(&pic));
            count += 1;
        }
    }
    if let Ok(rest) = decoder.flush_remaining() {
        for pic in &rest {
            each(&copy(pic));
            count += 1;
        }
    }
    if count == 0 && !units.is_empty() {
        return Err(MediaError::Video("no picture could be decoded".into()));
    }
    Ok(count)
}

/// Decodes everything into memory (for short clips: tests and benchmarks).
pub fn decode_all(units: &[Vec<u8>]) -> Result<Vec<Yuv420>, MediaError> {
    let mut out = Vec::with_capacity(units.len());
    decode_each(units, |p| out.push(p.clone()))?;
    Ok(out)
}

fn copy(pic: &DecodedYUV<'_>) -> Yuv420 {
    let (w, h) = pic.dimensions();
    let (sy, su, sv) = pic.strides();
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let rows = |plane: &[u8], stride: usize, width: usize, height: usize| -> Vec<u8> {
        let mut v = Vec::with_capacity(width * height);
        for r in 0..height {
            v.extend_from_slice(&plane[r * stride..r * stride + width]);
        }
        v
    };
    Yuv420 { width: w, height: h, y: rows(pic.y(), sy, w, h), u: rows(pic.u(), su, cw, ch), v: rows(pic.v(), sv, cw, ch) }
}

/// The luma plane of a picture as floats.
pub fn luma(picture: &Yuv420) -> Luma {
    Luma::from_plane(&picture.y, picture.width, picture.width, picture.height)
}

/// A picture as an RGB frame of its full size.
pub fn rgb(picture: &Yuv420) -> Frame {
    picture.to_frame(picture.width as u32, picture.height as u32)
}
