//! `cargo xtask bench preview`, its native rows: seconds per 2 s preview by the engine the page
//! runs, here compiled natively on burn's flex backend, at the preview's steps and at the full
//! render's, and the bytes a first preview downloads. The browser rows come from
//! tests/e2e/bench/preview.mjs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kino_core::scene::{Colour, ObjectKind, Setting};
use kino_core::slots::{ClipSlots, ObjectSlot};
use kino_model::pipeline::{AUDIO_VAE_FILE, GENERATOR_FILE, READER_FILE, config_path};
use kino_preview::Engine;

fn kino_2() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/kino-2")
}

fn main() {
    let files: HashMap<String, Vec<u8>> =
        [GENERATOR_FILE, AUDIO_VAE_FILE, READER_FILE].iter().map(|name| (name.to_string(), std::fs::read(kino_2().join(name)).unwrap())).collect();
    let download: usize = files.values().map(Vec::len).sum();
    let config = std::fs::read(config_path(&kino_2())).unwrap();
    let started = Instant::now();
    let engine = Engine::load(&config, files).unwrap_or_else(|e| panic!("{e}"));
    let load = started.elapsed().as_secs_f64();
    let slots = ClipSlots { objects: vec![ObjectSlot::new(ObjectKind::Ball, Colour::Red)], setting: Some(Setting::Gym), ..ClipSlots::default() };
    let slots = serde_json::to_string(&slots).unwrap();
    engine.generate(&slots, 0, 1, &mut |_| ()).unwrap();
    let median = |steps: usize| {
        let mut times: Vec<f64> = (1..=3)
            .map(|seed| {
                let started = Instant::now();
                engine.generate(&slots, seed, steps, &mut |_| ()).unwrap();
                started.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[1]
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!("| what | where | time |");
    println!("|---|---|---|");
    println!("| kino-2 engine load (from the files' bytes) | native, flex, {threads} threads | {load:.2} s |");
    for steps in [4, 16] {
        println!("| kino-2, 2 s preview at {steps} steps (64x64, with sound; median of 3) | native, flex, {threads} threads | {:.2} s |", median(steps));
    }
    println!("| weight download of a first preview (generator, sound decoder, reader) | — | {:.1} MB |", download as f64 / 1e6);
}
