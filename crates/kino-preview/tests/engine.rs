//! The preview engine on the released kino-2 weights, against the server's pipeline: from the
//! same slots, seed and steps, the same frames and sound (what lets "Keep" remake a preview on
//! the server).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use burn::tensor::Device;
use kino_core::scene::{Colour, ObjectKind, Setting};
use kino_core::slots::{ClipSlots, ObjectSlot};
use kino_model::pipeline::{AUDIO_VAE_FILE, GENERATOR_FILE, Pipeline, READER_FILE, Request, config_path};
use kino_model::text::TextEncoder;
use kino_preview::{Engine, PreviewError};

fn kino_2() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/kino-2")
}

/// The files a page fetches (no upscaler: previews are 64x64).
fn fetched() -> HashMap<String, Vec<u8>> {
    [GENERATOR_FILE, AUDIO_VAE_FILE, READER_FILE].iter().map(|name| (name.to_string(), std::fs::read(kino_2().join(name)).unwrap())).collect()
}

fn red_ball() -> ClipSlots {
    ClipSlots { objects: vec![ObjectSlot::new(ObjectKind::Ball, Colour::Red)], setting: Some(Setting::Gym), ..ClipSlots::default() }
}

#[test]
fn a_preview_is_the_server_s_clip_frame_for_frame() {
    let config = std::fs::read(config_path(&kino_2())).unwrap();
    let engine = Engine::load(&config, fetched()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(engine.model(), "kino-2");
    let slots = serde_json::to_string(&red_ball()).unwrap();
    let mut seen = Vec::new();
    let preview = engine.generate(&slots, 7, 2, &mut |p| seen.push(p)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((preview.width, preview.height, preview.frames), (64, 64, 24));
    assert_eq!(preview.rgba.len(), 24 * 64 * 64 * 4);
    assert_eq!(seen.last(), Some(&1.0), "progress ends at 1: {seen:?}");

    let server = Pipeline::load(&kino_2(), &TextEncoder::default_dir(), &Device::flex()).unwrap_or_else(|e| panic!("{e}"));
    let request = Request { steps: Some(2), slots: Some(red_ball()), ..Request::new("a red ball in a gym", 7) };
    let clip = server.generate(&request, &mut |_| ()).unwrap_or_else(|e| panic!("{e}"));
    let rgb: Vec<u8> = preview.rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    assert!(rgb == clip.frames.concat(), "the preview's frames differ from the server's");
    assert!(preview.rgba.chunks_exact(4).all(|p| p[3] == 255));
    assert_eq!(preview.audio, clip.audio);
    assert!(preview.audio.iter().any(|s| s.abs() > 1e-3), "the preview has sound");

    let other = engine.generate(&slots, 8, 2, &mut |_| ()).unwrap();
    assert!(other.rgba != preview.rgba, "another seed gives another clip");
}

#[test]
fn what_the_engine_cannot_use_is_refused_with_the_reason() {
    let config = std::fs::read(config_path(&kino_2())).unwrap();
    let engine = Engine::load(&config, fetched()).unwrap();
    for (slots, expected) in [("not json", "the slots"), ("{\"objects\": []}", "no object")] {
        let error = engine.generate(slots, 1, 2, &mut |_| ()).expect_err("refused");
        assert!(matches!(error, PreviewError::Slots(_)) && error.to_string().contains(expected), "{error}");
    }
    let too_many = engine.generate(&serde_json::to_string(&red_ball()).unwrap(), 1, 500, &mut |_| ()).expect_err("refused");
    assert!(too_many.to_string().contains("steps 500"), "{too_many}");

    let mut missing = fetched();
    missing.remove(GENERATOR_FILE);
    let error = Engine::load(&config, missing).err().expect("refused");
    assert!(error.to_string().contains(GENERATOR_FILE), "{error}");
    let error = Engine::load(b"{", fetched()).err().expect("refused");
    assert!(error.to_string().contains("config.json"), "{error}");
}
