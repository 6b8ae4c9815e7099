//! Invisible watermark robustness: bit accuracy of the 64-bit id after the edits a shared video
//! meets, and the picture-quality cost of the mark. `cargo bench -p kino-media --bench watermark`
//! (set KINO_WM_SIZES=64,256,512 to choose frame sizes, KINO_WM_CONTENT=synthetic for the
//! synthetic test clip instead of kino-world scenes).

use kino_media::frame::{Frame, Yuv420};
use kino_media::transform::{brightness_contrast, change_frame_rate, crop_fraction, resize};
use kino_media::video_encode::{VideoSettings, encode_all};
use kino_media::watermark::{Embedder, WatermarkKey, detect, embed::DEFAULT_STRENGTH, psnr};
use kino_media::{ExportOptions, SigningChain, demux, export_bytes, synth, video_decode};

const FPS: f32 = 24.0;
const SECONDS: f32 = 2.0;
const IDS: [u64; 3] = [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0x4b49_4e4f_0000_0042];

fn decode_mp4(bytes: &[u8]) -> Vec<Frame> {
    let movie = demux::parse(bytes).unwrap_or_else(|e| panic!("demux: {e}"));
    let track = movie.video.unwrap_or_else(|| panic!("no video"));
    let units = track.access_units(bytes).unwrap_or_else(|e| panic!("units: {e}"));
    video_decode::decode_all(&units).unwrap_or_else(|e| panic!("decode: {e}")).iter().map(video_decode::rgb).collect()
}

/// Re-encodes frames with OpenH264 and decodes them again (what any re-upload does).
fn reencode(frames: &[Frame], fps: f32, settings: VideoSettings) -> Vec<Frame> {
    let pictures: Vec<Yuv420> = frames.iter().map(Yuv420::from_frame).collect();
    let coded = encode_all(&pictures, fps, settings).unwrap_or_else(|e| panic!("encode: {e}"));
    let units: Vec<Vec<u8>> = coded.into_iter().map(|c| c.data).collect();
    video_decode::decode_all(&units).unwrap_or_else(|e| panic!("decode: {e}")).iter().zip(frames).map(|(p, f)| p.to_frame(f.width, f.height)).collect()
}

/// Re-encodes an MP4 with Debian's ffmpeg (libx264 at `crf`), if ffmpeg is installed.
fn ffmpeg_reencode(mp4: &[u8], crf: u32, dir: &std::path::Path) -> Option<Vec<Frame>> {
    let src = dir.join("src.mp4");
    let out = dir.join("x264.mp4");
    std::fs::write(&src, mp4).ok()?;
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(&src)
        .args(["-c:v", "libx264", "-preset", "medium", "-crf", &crf.to_string(), "-an"])
        .arg(&out)
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    Some(decode_mp4(&std::fs::read(&out).ok()?))
}

fn bit_accuracy(frames: &[Frame], key: &WatermarkKey, id: u64) -> (f64, bool) {
    let luma: Vec<_> = frames
        .iter()
        .map(|f| {
            let y = Yuv420::from_frame(f);
            kino_media::frame::Luma::from_plane(&y.y, y.width, f.width as usize, f.height as usize)
        })
        .collect();
    let d = detect(&luma, key);
    (1.0 - f64::from((d.best_guess ^ id).count_ones()) / 64.0, d.payload == Some(id))
}

/// A clip of Kino's procedural world (what the model learns from and will produce).
fn world_clip(seed: u64, size: u32, seconds: f32) -> kino_media::Clip {
    let scene = kino_world::sample::sample(seed, &kino_world::sample::Distribution::default());
    let settings =
        kino_world::RenderSettings { width: size, height: size, fps: FPS, frames: Some((seconds * FPS) as usize), audio: kino_world::AudioLayers::default() };
    let clip = kino_world::render_clip(&scene, &settings).unwrap_or_else(|e| panic!("world: {e}"));
    kino_media::Clip {
        frames: clip.frames.into_iter().map(|f| Frame { width: f.width, height: f.height, rgb: f.rgb }).collect(),
        fps: FPS,
        audio: clip.audio,
        sample_rate: kino_world::SAMPLE_RATE,
    }
}

fn main() {
    let world = std::env::var("KINO_WM_CONTENT").map_or(true, |c| c != "synthetic");
    let sizes: Vec<u32> =
        std::env::var("KINO_WM_SIZES").ok().map(|s| s.split(',').filter_map(|v| v.trim().parse().ok()).collect()).unwrap_or_else(|| vec![64, 256, 512]);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let chain = SigningChain::load_or_create(dir.path(), "Kino bench").unwrap_or_else(|e| panic!("{e}"));
    let key = WatermarkKey::default();
    for size in sizes {
        let mut rows: Vec<(String, f64, usize)> = Vec::new();
        let mut add = |name: &str, acc: f64, found: bool| {
            if let Some(r) = rows.iter_mut().find(|r| r.0 == name) {
                r.1 += acc;
                r.2 += usize::from(found);
            } else {
                rows.push((name.to_string(), acc, usize::from(found)));
            }
        };
        let mut psnrs = Vec::new();
        for (n, &id) in IDS.iter().enumerate() {
            let clip = if world {
                world_clip(n as u64 + 1, size, SECONDS)
            } else {
                // Different content per id: shift the clip in time.
                let mut clip = synth::test_clip(size, size, FPS, SECONDS + n as f32);
                clip.frames.drain(..(n as f32 * FPS) as usize);
                clip.audio.drain(..(n * 16_000).min(clip.audio.len()));
                clip
            };
            // Picture cost of the invisible mark alone, in luma.
            let emb = Embedder::new(&key, id, size as usize, size as usize, DEFAULT_STRENGTH);
            for f in &clip.frames {
                let plain = Yuv420::from_frame(f);
                let mut marked = plain.clone();
                emb.apply(&mut marked.y, marked.width);
                psnrs.push(psnr(&plain.y, &marked.y));
            }
            let media = export_bytes(&clip, &ExportOptions::new(dir.path(), id, chain.clone())).unwrap_or_else(|e| panic!("export: {e}"));
            let frames = decode_mp4(&media.mp4);
            let (a, f) = bit_accuracy(&frames, &key, id);
            add("exported file (no edit)", a, f);
            let medium = VideoSettings { qp_min: 30, qp_max: 36, bits_per_pixel: 0.05, keyframe_interval_s: 4.0 };
            let (a, f) = bit_accuracy(&reencode(&frames, FPS, medium), &key, id);
            add("OpenH264 re-encode, QP 30-36", a, f);
            let low = reencode(&frames, FPS, VideoSettings::LOW);
            let (a, f) = bit_accuracy(&low, &key, id);
            add("OpenH264 re-encode, low quality (QP 34-42)", a, f);
            if let Some(x264) = ffmpeg_reencode(&media.mp4, 32, dir.path()) {
                let (a, f) = bit_accuracy(&x264, &key, id);
                add("ffmpeg libx264 re-encode, CRF 32", a, f);
            }
            let half: Vec<Frame> = frames.iter().map(|f| resize(f, size / 2, size / 2)).collect();
            let (a, f) = bit_accuracy(&reencode(&half, FPS, VideoSettings::EXPORT), &key, id);
            add("resize 0.5x (+ re-encode)", a, f);
            for (frac, offsets) in [(0.55f32, [(0.0, 0.0), (1.0, 1.0), (0.3, 0.8)]), (0.71, [(0.5, 0.5), (1.0, 0.0), (0.2, 0.6)])] {
                for off in offsets {
                    let cropped: Vec<Frame> = frames.iter().map(|f| crop_fraction(f, frac, off)).collect();
                    let (a, f) = bit_accuracy(&reencode(&cropped, FPS, VideoSettings::EXPORT), &key, id);
                    add(&format!("crop to {frac} of each side (+ re-encode)"), a / 3.0, f);
                }
            }
            let bc: Vec<Frame> = frames.iter().map(|f| brightness_contrast(f, 25.0, 1.25)).collect();
            let (a, f) = bit_accuracy(&reencode(&bc, FPS, VideoSettings::EXPORT), &key, id);
            add("brightness +25, contrast x1.25 (+ re-encode)", a, f);
            let dark: Vec<Frame> = frames.iter().map(|f| brightness_contrast(f, -20.0, 0.8)).collect();
            let (a, f) = bit_accuracy(&reencode(&dark, FPS, VideoSettings::EXPORT), &key, id);
            add("brightness -20, contrast x0.8 (+ re-encode)", a, f);
            let slow = change_frame_rate(&frames, FPS, 15.0);
            let (a, f) = bit_accuracy(&reencode(&slow, 15.0, VideoSettings::EXPORT), &key, id);
            add("frame rate 24 -> 15 fps (+ re-encode)", a, f);
        }
        let n = IDS.len() as f64;
        let mean_psnr = psnrs.iter().sum::<f64>() / psnrs.len() as f64;
        let content = if world { "kino-world scenes (seeds 1-3)" } else { "synthetic test clip" };
        println!(
            "\nInvisible watermark, {content}, {size}x{size}, {SECONDS} s at {FPS} fps, {} clips; strength {DEFAULT_STRENGTH} luma levels, PSNR cost {mean_psnr:.1} dB (luma, before encoding)\n",
            IDS.len()
        );
        println!("| edit | bit accuracy | id decoded |");
        println!("|---|---|---|");
        for (name, acc, found) in &rows {
            let tries = if name.starts_with("crop") { 3 * IDS.len() } else { IDS.len() };
            println!("| {name} | {:.3} | {found}/{tries} |", acc / n);
        }
    }
}
