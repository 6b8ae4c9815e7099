//! Writing one clip as a folder: `frames/000.png ...`, `audio.wav`, `captions.txt`,
//! `labels.json` and `scene.json`.

use std::fs;
use std::path::Path;

use crate::error::WorldError;
use crate::render::Frame;
use crate::{Clip, audio};

/// PNG bytes of one frame.
pub fn png_bytes(frame: &Frame, path_for_errors: &Path) -> Result<Vec<u8>, WorldError> {
    let err = |e: png::EncodingError| WorldError::Png { path: path_for_errors.display().to_string(), message: e.to_string() };
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

fn write(path: &Path, bytes: &[u8]) -> Result<(), WorldError> {
    fs::write(path, bytes).map_err(|e| WorldError::io(path, e))
}

/// Write `clip` into `dir` (created if missing).
pub fn write_clip_dir(clip: &Clip, dir: &Path) -> Result<(), WorldError> {
    let frames = dir.join("frames");
    fs::create_dir_all(&frames).map_err(|e| WorldError::io(&frames, e))?;
    let digits = clip.frames.len().saturating_sub(1).to_string().len().max(3);
    for (i, f) in clip.frames.iter().enumerate() {
        let p = frames.join(format!("{i:0digits$}.png"));
        write(&p, &png_bytes(f, &p)?)?;
    }
    write(&dir.join("audio.wav"), &audio::wav_bytes(&clip.audio))?;
    write(&dir.join("captions.txt"), (clip.captions.join("\n") + "\n").as_bytes())?;
    write(&dir.join("labels.json"), &serde_json::to_vec_pretty(&clip.labels)?)?;
    write(&dir.join("scene.json"), &serde_json::to_vec_pretty(&clip.scene)?)?;
    Ok(())
}

/// All frames tiled into one image, `cols` per row, with a 2-pixel gap: for looking at a clip.
pub fn contact_sheet(frames: &[Frame], cols: usize) -> Frame {
    let cols = cols.max(1);
    let (w, h) = frames.first().map_or((1, 1), |f| (f.width as usize, f.height as usize));
    let rows = frames.len().div_ceil(cols).max(1);
    let gap = 2;
    let (sw, sh) = (cols * (w + gap) + gap, rows * (h + gap) + gap);
    let mut rgb = vec![40u8; sw * sh * 3];
    for (k, f) in frames.iter().enumerate() {
        let (ox, oy) = (gap + (k % cols) * (w + gap), gap + (k / cols) * (h + gap));
        for y in 0..h {
            let src = &f.rgb[y * w * 3..(y + 1) * w * 3];
            let at = ((oy + y) * sw + ox) * 3;
            rgb[at..at + w * 3].copy_from_slice(src);
        }
    }
    Frame { width: sw as u32, height: sh as u32, rgb }
}

/// Write a contact sheet of `clip` to `path`.
pub fn write_sheet(clip: &Clip, path: &Path, cols: usize) -> Result<(), WorldError> {
    let sheet = contact_sheet(&clip.frames, cols);
    write(path, &png_bytes(&sheet, path)?)
}
