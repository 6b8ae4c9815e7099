//! A model folder end to end with tiny random weights and the real MiniLM: saved in half
//! precision, loaded back, and run for generate, remix, extend and multi-shot.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use burn::tensor::Device;
use kino_core::scene::{Colour, ObjectKind};
use kino_core::slots::{ClipSlots, ObjectSlot};
use kino_model::audio_vae::AudioVaeConfig;
use kino_model::dit::KinoConfig;
use kino_model::flow::Sampler;
use kino_model::kino2::Kino2Config;
use kino_model::kino2::reader::ReaderConfig;
use kino_model::kino2::upscale::UpscalerConfig;
use kino_model::pipeline::{Family, Generator, Pipeline, PipelineConfig, PipelineError, Request, UPSCALER_FILE};
use kino_model::text::{TEXT_WIDTH, TextEncoder};
use kino_model::video_vae::VideoVaeConfig;

fn tiny_folder() -> (tempfile_dir::Dir, PipelineConfig) {
    let device = Device::flex();
    // Three latent frames (12 video frames), so an extension adds one past its context of two.
    let generator = KinoConfig { text_width: TEXT_WIDTH, video_latent: [4, 3, 4, 4], audio_latent: [4, 48], ..KinoConfig::tiny() };
    let config = PipelineConfig {
        name: "tiny".into(),
        family: Family::Latent { video_vae: VideoVaeConfig::tiny(), generator: generator.clone(), video_scale: 1.0 },
        audio_vae: AudioVaeConfig::tiny(),
        audio_scale: 1.0,
        width: 32,
        height: 32,
        fps: 12.0,
        default_steps: 2,
        guidance: 2.0,
        shift: 3.0,
        sampler: Sampler::Euler,
    };
    let dir = tempfile_dir::Dir::new("pipeline");
    let parts = Generator::Latent { video_vae: VideoVaeConfig::tiny().init(&device), model: generator.init(&device) };
    Pipeline::save(&dir.0, &config, &config.audio_vae.init(&device), &parts).unwrap();
    (dir, config)
}

/// A temporary folder removed on drop (no extra dependency for one test file).
mod tempfile_dir {
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new(name: &str) -> Dir {
            let path = std::env::temp_dir().join(format!("kino-{name}-{}-{:?}", std::process::id(), std::thread::current().id()));
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[test]
fn a_model_folder_generates_remixes_and_extends() {
    let (dir, config) = tiny_folder();
    let device = Device::flex();
    let pipeline = Pipeline::load(&dir.0, &TextEncoder::default_dir(), &device).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pipeline.config, config);
    let mut seen = Vec::new();
    let clip = pipeline.generate(&Request::new("a red ball bounces", 1), &mut |p| seen.push(p)).unwrap();
    assert_eq!((clip.width, clip.height, clip.frames.len()), (32, 32, 12));
    assert!(clip.frames.iter().all(|f| f.len() == 32 * 32 * 3));
    // 12 frames at 12 fps: one second of 16 kHz sound.
    assert_eq!(clip.audio.len(), 16_000);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]) && seen.last() == Some(&1.0), "{seen:?}");
    // Same seed, same clip; another seed, another clip.
    let again = pipeline.generate(&Request::new("a red ball bounces", 1), &mut |_| ()).unwrap();
    assert_eq!(again.frames, clip.frames);
    let other = pipeline.generate(&Request::new("a red ball bounces", 2), &mut |_| ()).unwrap();
    assert_ne!(other.latents, clip.latents);

    // Decoding a clip's kept latents draws it again; a clip's round trip through the
    // autoencoders keeps its length.
    assert_eq!(pipeline.decode_latents(&clip.latents).unwrap().frames, clip.frames);
    let round_trip = pipeline.decode_latents(&pipeline.encode(&clip.frames, &clip.audio).unwrap()).unwrap();
    assert_eq!((round_trip.frames.len(), round_trip.audio.len()), (12, 16_000));

    let remix = pipeline.remix(&clip.latents, 0.5, &Request::new("a blue ball", 3), &mut |_| ()).unwrap();
    assert_eq!(remix.frames.len(), 12);
    assert_ne!(remix.latents, clip.latents);

    // An extension keeps the whole clip and adds one latent frame (4 video frames).
    let longer = pipeline.extend(&clip.latents, &Request::new("then it rolls away", 4), &mut |_| ()).unwrap();
    assert_eq!(longer.frames.len(), 16);
    assert_eq!(longer.latents.frames(), 4);
    // `[c, t, h, w]`: the source's three latent frames lead every channel of the result.
    let [c, t, h, w] = clip.latents.video_shape;
    for ch in 0..c {
        let source = &clip.latents.video[ch * t * h * w..(ch + 1) * t * h * w];
        let kept = &longer.latents.video[ch * (t + 1) * h * w..ch * (t + 1) * h * w + t * h * w];
        assert_eq!(source, kept, "channel {ch}");
    }
    let shots = pipeline.multi_shot(&["a red ball bounces".into(), "a duck floats".into(), "a cube slides".into()], &Request::new("", 5), &mut |_| ()).unwrap();
    assert_eq!(shots.frames.len(), 12 + 4 + 4);

    for bad in
        [Request::new("  ", 1), Request { steps: Some(0), ..Request::new("a ball", 1) }, Request { guidance: Some(f64::NAN), ..Request::new("a ball", 1) }]
    {
        assert!(matches!(pipeline.generate(&bad, &mut |_| ()), Err(PipelineError::Invalid(_))), "{bad:?}");
    }
    assert!(matches!(pipeline.remix(&clip.latents, 0.0, &Request::new("x", 1), &mut |_| ()), Err(PipelineError::Invalid(_))));
}

#[test]
fn a_missing_folder_says_how_to_get_it() {
    let error = Pipeline::load(std::path::Path::new("/nonexistent/kino-1-teacher"), &TextEncoder::default_dir(), &Device::flex()).unwrap_err();
    assert!(matches!(error, PipelineError::Missing { .. }), "{error}");
    assert!(error.to_string().contains("not installed"), "{error}");
}

/// A tiny kino-2 folder: a pixel generator and a prompt reader with random weights (and a
/// kino-2-pro upscaler when `upscaler`).
fn tiny_pixel_folder(upscaler: bool) -> (tempfile_dir::Dir, PipelineConfig) {
    let device = Device::flex();
    // Twelve frames of 16x16 pixels, so an extension adds four past its context of eight.
    let generator = Kino2Config { video: [3, 12, 16, 16], audio_latent: [4, 48], ..Kino2Config::tiny() };
    let reader = ReaderConfig { text_width: TEXT_WIDTH, ..ReaderConfig::tiny() };
    let config = PipelineConfig {
        name: "tiny-2".into(),
        family: Family::Pixel {
            pixel_generator: generator.clone(),
            reader: reader.clone(),
            guidance_window: [0.1, 0.9],
            upscaler: upscaler.then(UpscalerConfig::base),
        },
        audio_vae: AudioVaeConfig::tiny(),
        audio_scale: 1.0,
        width: 16,
        height: 16,
        fps: 12.0,
        default_steps: 2,
        guidance: 2.0,
        shift: 1.0,
        sampler: Sampler::Ancestral,
    };
    let dir = tempfile_dir::Dir::new("pixel-pipeline");
    let parts =
        Generator::Pixel { model: generator.init(&device), reader: reader.init(&device), upscaler: upscaler.then(|| UpscalerConfig::base().init(&device)) };
    Pipeline::save(&dir.0, &config, &config.audio_vae.init(&device), &parts).unwrap();
    (dir, config)
}

#[test]
fn a_kino_2_folder_generates_from_slots_remixes_and_extends_in_pixels() {
    let (dir, config) = tiny_pixel_folder(false);
    let device = Device::flex();
    let pipeline = Pipeline::load(&dir.0, &TextEncoder::default_dir(), &device).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pipeline.config, config);
    assert_eq!(pipeline.config.frames(), 12);
    let red_ball = ClipSlots { objects: vec![ObjectSlot::new(ObjectKind::Ball, Colour::Red)], ..ClipSlots::default() };
    let request = |prompt: &str, seed| Request { slots: Some(red_ball.clone()), ..Request::new(prompt, seed) };
    let clip = pipeline.generate(&request("a red ball", 1), &mut |_| ()).unwrap();
    assert_eq!((clip.width, clip.height, clip.frames.len(), clip.audio.len()), (16, 16, 12, 16_000));
    // Its "latents" are its pixels: decoding them draws the same frames, and so does encoding them.
    assert_eq!(clip.latents.video_shape, [3, 12, 16, 16]);
    assert_eq!(pipeline.decode_latents(&clip.latents).unwrap().frames, clip.frames);
    assert_eq!(pipeline.decode_latents(&pipeline.encode(&clip.frames, &clip.audio).unwrap()).unwrap().frames, clip.frames);
    let remix = pipeline.remix(&clip.latents, 0.5, &request("a blue ball", 3), &mut |_| ()).unwrap();
    assert_eq!(remix.frames.len(), 12);
    let longer = pipeline.extend(&clip.latents, &request("it rolls on", 4), &mut |_| ()).unwrap();
    assert_eq!((longer.frames.len(), longer.latents.frames()), (16, 16));
    assert_eq!(&longer.frames[..12], &clip.frames[..]);

    // A clip longer than the window: the seed's one-window clip, continued; progress rises
    // across the windows to the end.
    let mut reported = Vec::new();
    let long = pipeline.generate_frames(&request("a red ball", 1), 22, &mut |p| reported.push(p)).unwrap();
    assert_eq!((long.frames.len(), long.latents.frames()), (22, 22));
    assert_eq!(&long.frames[..12], &clip.frames[..]);
    assert!(reported.windows(2).all(|w| w[0] <= w[1]) && reported.last() == Some(&1.0), "{reported:?}");
    assert_eq!(pipeline.generate_frames(&request("a red ball", 1), 12, &mut |_| ()).unwrap().frames, clip.frames);
    assert!(matches!(pipeline.generate_frames(&request("a red ball", 1), 8, &mut |_| ()), Err(PipelineError::Invalid(_))));
    // Its remix is as long.
    let long_remix = pipeline.remix(&long.latents, 0.5, &request("a blue ball", 3), &mut |_| ()).unwrap();
    assert_eq!(long_remix.latents.frames(), 22);
    assert_eq!(&long_remix.frames[..12], &remix.frames[..], "the first window is the one-window remix");
}

#[test]
fn kino_2_pro_doubles_the_frames_and_keeps_the_sound_and_latents() {
    let (dir, _) = tiny_pixel_folder(true);
    let device = Device::flex();
    let pipeline = Pipeline::load(&dir.0, &TextEncoder::default_dir(), &device).unwrap_or_else(|e| panic!("{e}"));
    assert!(pipeline.can_upscale() && dir.0.join(UPSCALER_FILE).is_file());
    let red_ball = ClipSlots { objects: vec![ObjectSlot::new(ObjectKind::Ball, Colour::Red)], ..ClipSlots::default() };
    let clip = pipeline.generate(&Request { slots: Some(red_ball), ..Request::new("a red ball", 1) }, &mut |_| ()).unwrap();
    let large = pipeline.upscale(clip.clone()).unwrap();
    assert_eq!((large.width, large.height, large.frames.len()), (32, 32, 12));
    assert!(large.frames.iter().all(|f| f.len() == 32 * 32 * 3));
    assert_eq!((&large.audio, &large.latents), (&clip.audio, &clip.latents));
    // A fresh upscaler adds no detail yet (its last layer starts at zero): the enlarged frame
    // keeps the small one's mean brightness.
    let mean = |f: &[u8]| f.iter().map(|&v| f64::from(v)).sum::<f64>() / f.len() as f64;
    assert!((mean(&clip.frames[0]) - mean(&large.frames[0])).abs() < 4.0, "{} {}", mean(&clip.frames[0]), mean(&large.frames[0]));

    let (plain, _) = tiny_pixel_folder(false);
    let pipeline = Pipeline::load(&plain.0, &TextEncoder::default_dir(), &device).unwrap_or_else(|e| panic!("{e}"));
    assert!(!pipeline.can_upscale());
    assert!(matches!(pipeline.upscale(clip), Err(PipelineError::Invalid(_))));
}
