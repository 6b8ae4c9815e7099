//! Still pictures of a clip: a poster thumbnail (PNG) and a sprite sheet of evenly spaced small
//! frames with a WebVTT index (`sprite.png#xywh=...`), which players use to preview while
//! scrubbing.

use crate::MediaError;
use crate::frame::Frame;
use crate::transform::resize;

/// How a sprite sheet is laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct SpriteSheet {
    pub image: Frame,
    pub tile_width: u32,
    pub tile_height: u32,
    pub columns: u32,
    /// Seconds between tiles.
    pub interval_s: f64,
    pub tiles: u32,
}

/// PNG bytes of a frame.
pub fn png(frame: &Frame) -> Result<Vec<u8>, MediaError> {
    let err = |e: png::EncodingError| MediaError::Image(e.to_string());
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, frame.width, frame.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(err)?;
        w.write_image_data(&frame.rgb).map_err(err)?;
        w.finish().map_err(err)?;
    }
    Ok(out)
}

/// The poster frame: a third of the way in (past any fade-in, before the end).
pub fn poster(frames: &[Frame]) -> Option<&Frame> {
    frames.get(frames.len() / 3)
}

/// A sheet of at most `max_tiles` frames, about one per second, each at most 160 pixels wide.
pub fn sprite_sheet(frames: &[Frame], fps: f32, max_tiles: u32) -> Option<SpriteSheet> {
    let first = frames.first()?;
    let duration = frames.len() as f64 / f64::from(fps);
    let tiles = (duration.ceil() as u32).clamp(1, max_tiles.max(1));
    let interval_s = duration / f64::from(tiles);
    let tile_width = first.width.min(160);
    let tile_height = ((first.height as f32 * tile_width as f32 / first.width as f32).round() as u32).max(1);
    let columns = tiles.min(5);
    let rows = tiles.div_ceil(columns);
    let mut image = Frame::filled(tile_width * columns, tile_height * rows, [0, 0, 0]);
    for t in 0..tiles {
        let index = ((f64::from(t) * interval_s * f64::from(fps)) as usize).min(frames.len() - 1);
        let tile = resize(&frames[index], tile_width, tile_height);
        let (ox, oy) = ((t % columns) * tile_width, (t / columns) * tile_height);
        for y in 0..tile_height {
            let src = (y * tile_width * 3) as usize;
            let dst = (((oy + y) * image.width + ox) * 3) as usize;
            image.rgb[dst..dst + (tile_width * 3) as usize].copy_from_slice(&tile.rgb[src..src + (tile_width * 3) as usize]);
        }
    }
    Some(SpriteSheet { image, tile_width, tile_height, columns, interval_s, tiles })
}

fn vtt_time(s: f64) -> String {
    let ms = (s * 1000.0).round() as u64;
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000)
}

impl SpriteSheet {
    /// WebVTT cues pointing into the sheet saved as `image_name`.
    pub fn vtt(&self, image_name: &str) -> String {
        let mut out = String::from("WEBVTT\n\n");
        for t in 0..self.tiles {
            let (x, y) = ((t % self.columns) * self.tile_width, (t / self.columns) * self.tile_height);
            let start = f64::from(t) * self.interval_s;
            out.push_str(&format!(
                "{} --> {}\n{image_name}#xywh={x},{y},{},{}\n\n",
                vtt_time(start),
                vtt_time(start + self.interval_s),
                self.tile_width,
                self.tile_height
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_layout_and_vtt() {
        let frames = vec![Frame::filled(320, 180, [1, 2, 3]); 96];
        let s = sprite_sheet(&frames, 24.0, 25).unwrap_or_else(|| panic!("frames exist"));
        assert_eq!((s.tiles, s.columns, s.tile_width, s.tile_height), (4, 4, 160, 90));
        assert_eq!((s.image.width, s.image.height), (640, 90));
        let vtt = s.vtt("sprite.png");
        assert!(vtt.starts_with("WEBVTT") && vtt.contains("00:00:03.000 --> 00:00:04.000\nsprite.png#xywh=480,0,160,90"), "{vtt}");
        assert!(png(&s.image).is_ok_and(|b| b.starts_with(b"\x89PNG")));
    }
}
