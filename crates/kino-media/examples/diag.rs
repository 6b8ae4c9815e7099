//! Temporary diagnostics.
use kino_media::frame::{Luma, Yuv420};
use kino_media::watermark::{Embedder, WatermarkKey, detect, embed::DEFAULT_STRENGTH};
use kino_media::video_encode::{VideoSettings, encode_all};
use kino_media::{synth, video_decode};
fn main() {
    if let Some(path) = std::env::args().nth(1).filter(|a| a.ends_with(".mp4")) {
        let bytes = std::fs::read(&path).unwrap();
        let m = kino_media::demux::parse(&bytes).unwrap();
        let t = m.video.unwrap();
        let units = t.access_units(&bytes).unwrap();
        let n = video_decode::decode_all(&units).map(|v| v.len());
        println!("{path}: {} samples, fps {}, decoded {:?}, audio {:?}", t.samples.len(), t.fps(), n, m.audio_codecs);
        return;
    }
    let size: u32 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(128);
    let strength: f32 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_STRENGTH);
    let key = WatermarkKey::default();
    let id = 0x4b49_4e4f_0000_0042u64;
    let clip = if std::env::var("WORLD").is_ok() {
        let seed: u64 = std::env::var("WORLD").unwrap().parse().unwrap();
        let scene = kino_world::sample::sample(seed, &kino_world::sample::Distribution::default());
        let settings = kino_world::RenderSettings { width: size, height: size, fps: 12.0, frames: Some(24), audio: kino_world::AudioLayers::default() };
        let c = kino_world::render_clip(&scene, &settings).unwrap();
        kino_media::Clip { frames: c.frames.into_iter().map(|f| kino_media::Frame { width: f.width, height: f.height, rgb: f.rgb }).collect(), fps: 12.0, audio: c.audio, sample_rate: 16000 }
    } else { synth::test_clip(size, size, 12.0, 2.0) };
    if std::env::var("DUMP").is_ok() { std::fs::write("/tmp/world.png", kino_media::thumbnails::png(&clip.frames[12]).unwrap()).unwrap(); }
    let emb = Embedder::new(&key, id, size as usize, size as usize, strength);
    let pics: Vec<Yuv420> = clip.frames.iter().map(|f| { let mut y = Yuv420::from_frame(f); emb.apply(&mut y.y, y.width); y }).collect();
    let plain: Vec<Yuv420> = clip.frames.iter().map(Yuv420::from_frame).collect();
    let cost: f64 = plain.iter().zip(&pics).map(|(a, b)| kino_media::watermark::psnr(&a.y, &b.y)).sum::<f64>() / pics.len() as f64;
    println!("mark PSNR {cost:.1}");
    let l: Vec<Luma> = pics.iter().map(video_decode::luma).collect();
    let d = detect(&l, &key);
    println!("pre-encode: {:?} acc {}", d, 64 - (d.best_guess ^ id).count_ones());
    for s in [VideoSettings::EXPORT, VideoSettings { qp_min: 30, qp_max: 36, bits_per_pixel: 0.05, keyframe_interval_s: 4.0 }] {
        let coded = encode_all(&pics, 12.0, s).unwrap();
        let bytes: usize = coded.iter().map(|c| c.data.len()).sum();
        let units: Vec<Vec<u8>> = coded.into_iter().map(|c| c.data).collect();
        let dec = video_decode::decode_all(&units).unwrap();
        let l: Vec<Luma> = dec.iter().map(video_decode::luma).collect();
        let d = detect(&l, &key);
        let p: f64 = dec.iter().zip(&pics).map(|(a, b)| kino_media::watermark::psnr(&a.y, &b.y)).sum::<f64>() / dec.len() as f64;
        println!("{s:?}: {bytes} bytes, psnr vs marked {p:.1}: {:?} acc {}", d, 64 - (d.best_guess ^ id).count_ones());
    }
}
