//! The export pipeline: frames get the visible mark, then the invisible one in luma, then H.264;
//! the sound becomes Opus; both go into a fast-start MP4, which is signed with a C2PA manifest.
//! A poster thumbnail and a scrubbing sprite sheet are written beside it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::frame::{Clip, Yuv420};
use crate::provenance::{Generator, SigningChain, sign_mp4};
use crate::video_encode::{VideoEncoder, VideoSettings};
use crate::watermark::{Embedder, WatermarkKey, embed::DEFAULT_STRENGTH};
use crate::{MediaError, audio_encode, mp4, thumbnails, visible_mark};

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The id the invisible watermark carries (the video's id in Kino's database).
    pub video_id: u64,
    /// Folder to write into (created if missing).
    pub out_dir: PathBuf,
    /// File stem: `{name}.mp4`, `{name}.png`, `{name}-sprite.png`, `{name}-sprite.vtt`.
    pub name: String,
    /// Who signs the C2PA manifest.
    pub chain: SigningChain,
    /// Software and model named in the manifest.
    pub generator: Generator,
    /// The signed MP4 this clip remixes, if it is a remix.
    pub parent: Option<PathBuf>,
    pub watermark_key: WatermarkKey,
    /// Invisible mark amplitude in luma levels.
    pub watermark_strength: f32,
    pub video: VideoSettings,
    /// Clips whose shorter side is below this are upscaled by a whole factor (nearest
    /// neighbour) before marking, so that the invisible mark has room to survive re-encoding,
    /// resizing and cropping (it is measured at 512 and needs about 128 pixels at the least).
    pub min_side: u32,
}

/// The default [`ExportOptions::min_side`]: kino-1's 64x64 clips leave Kino at 512x512.
pub const MIN_EXPORT_SIDE: u32 = 512;

impl ExportOptions {
    /// Defaults: `clip.*` files, Kino's development watermark key, export quality.
    pub fn new(out_dir: impl Into<PathBuf>, video_id: u64, chain: SigningChain) -> ExportOptions {
        ExportOptions {
            video_id,
            out_dir: out_dir.into(),
            name: "clip".into(),
            chain,
            generator: Generator::default(),
            parent: None,
            watermark_key: WatermarkKey::default(),
            watermark_strength: DEFAULT_STRENGTH,
            video: VideoSettings::EXPORT,
            min_side: MIN_EXPORT_SIDE,
        }
    }
}

/// Time spent in each stage, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ExportTimings {
    /// Visible and invisible marks plus colour conversion.
    pub watermark_s: f64,
    pub video_encode_s: f64,
    pub audio_encode_s: f64,
    pub mux_s: f64,
    pub sign_s: f64,
    pub thumbnails_s: f64,
    pub total_s: f64,
}

/// A finished export in memory.
#[derive(Debug, Clone)]
pub struct ExportedMedia {
    /// The signed MP4.
    pub mp4: Vec<u8>,
    pub thumbnail_png: Vec<u8>,
    pub sprite_png: Vec<u8>,
    pub sprite_vtt: String,
    pub timings: ExportTimings,
}

/// What [`export`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedFiles {
    pub video: PathBuf,
    pub thumbnail: PathBuf,
    pub sprite: PathBuf,
    pub sprite_vtt: PathBuf,
    pub timings: ExportTimings,
}

/// Exports `clip` into `options.out_dir`.
pub fn export(clip: &Clip, options: &ExportOptions) -> Result<ExportedFiles, MediaError> {
    let media = export_bytes(clip, options)?;
    let dir = &options.out_dir;
    std::fs::create_dir_all(dir).map_err(|e| MediaError::io(dir, e))?;
    let files = ExportedFiles {
        video: dir.join(format!("{}.mp4", options.name)),
        thumbnail: dir.join(format!("{}.png", options.name)),
        sprite: dir.join(format!("{}-sprite.png", options.name)),
        sprite_vtt: dir.join(format!("{}-sprite.vtt", options.name)),
        timings: media.timings,
    };
    write_atomic(&files.thumbnail, &media.thumbnail_png)?;
    write_atomic(&files.sprite, &media.sprite_png)?;
    write_atomic(&files.sprite_vtt, media.sprite_vtt.as_bytes())?;
    // The video last: when it exists, everything else does too.
    write_atomic(&files.video, &media.mp4)?;
    Ok(files)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), MediaError> {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes).map_err(|e| MediaError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| MediaError::io(path, e))
}

/// Exports `clip` in memory (no files written).
pub fn export_bytes(clip: &Clip, options: &ExportOptions) -> Result<ExportedMedia, MediaError> {
    let start = Instant::now();
    let (w, h) = clip.check()?;
    let factor = options.min_side.div_ceil(w.min(h)).max(1);
    if factor > 1 && w.max(h) * factor <= 4096 {
        let frames = clip.frames.iter().map(|f| crate::transform::upscale_nearest(f, factor)).collect();
        return export_bytes(&Clip { frames, ..clip.clone() }, options);
    }
    if !(options.watermark_strength.is_finite() && (0.5..=20.0).contains(&options.watermark_strength)) {
        return Err(MediaError::InvalidOptions(format!("watermark strength {} must be 0.5 to 20 luma levels", options.watermark_strength)));
    }
    if options.name.is_empty() || options.name.contains(['/', '\\']) || options.name.starts_with('.') {
        return Err(MediaError::InvalidOptions(format!("file name {:?} must be a plain name", options.name)));
    }
    let parent = match &options.parent {
        Some(p) => Some(std::fs::read(p).map_err(|e| MediaError::io(p, e))?),
        None => None,
    };
    let mut timings = ExportTimings::default();
    let (ew, eh) = crate::frame::even_size(w, h);
    let embedder = Embedder::new(&options.watermark_key, options.video_id, ew, eh, options.watermark_strength);
    let mut encoder = VideoEncoder::new(ew, eh, clip.fps, options.video)?;
    let mut coded = Vec::with_capacity(clip.frames.len());
    let mut marked = Vec::with_capacity(clip.frames.len());
    for (i, frame) in clip.frames.iter().enumerate() {
        let t0 = Instant::now();
        let mut f = frame.clone();
        visible_mark::apply(&mut f, i as f64 / f64::from(clip.fps));
        let mut yuv = Yuv420::from_frame(&f);
        embedder.apply(&mut yuv.y, yuv.width);
        let t1 = Instant::now();
        coded.push(encoder.encode(&yuv)?);
        timings.watermark_s += (t1 - t0).as_secs_f64();
        timings.video_encode_s += t1.elapsed().as_secs_f64();
        marked.push(f);
    }
    let t = Instant::now();
    let audio = audio_encode::encode_opus(&clip.audio, clip.sample_rate, clip.duration_s())?;
    timings.audio_encode_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let title = format!("{}.mp4", options.name);
    let plain = mp4::mux(ew as u32, eh as u32, clip.fps, &coded, &audio, &title)?;
    timings.mux_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mp4 = sign_mp4(&plain, &options.chain, &options.generator, &title, parent.as_deref())?;
    timings.sign_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let poster = thumbnails::poster(&marked).ok_or_else(|| MediaError::InvalidClip("no frames".into()))?;
    let thumbnail_png = thumbnails::png(poster)?;
    let sheet = thumbnails::sprite_sheet(&marked, clip.fps, 25).ok_or_else(|| MediaError::InvalidClip("no frames".into()))?;
    let sprite_png = thumbnails::png(&sheet.image)?;
    let sprite_vtt = sheet.vtt(&format!("{}-sprite.png", options.name));
    timings.thumbnails_s = t.elapsed().as_secs_f64();
    timings.total_s = start.elapsed().as_secs_f64();
    Ok(ExportedMedia { mp4, thumbnail_png, sprite_png, sprite_vtt, timings })
}
