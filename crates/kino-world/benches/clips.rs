//! Clips per second: simulate + render + sonify (+ captions and labels), on sampled scenes.
//!
//! Run with `cargo bench -p kino-world --bench clips`. Prints a table; asserts nothing.

use std::time::{Duration, Instant};

use kino_world::render::{RenderCtx, render_frame};
use kino_world::sample::{Distribution, sample};
use kino_world::{RenderSettings, audio, physics, render_clip};

struct Row {
    sim: Duration,
    render: Duration,
    sound: Duration,
    whole: Duration,
    clips: usize,
}

fn measure(settings: &RenderSettings, budget: Duration) -> Row {
    let dist = Distribution::default();
    let mut row = Row { sim: Duration::ZERO, render: Duration::ZERO, sound: Duration::ZERO, whole: Duration::ZERO, clips: 0 };
    let start = Instant::now();
    let mut seed = 0u64;
    while start.elapsed() < budget || row.clips < 8 {
        let scene = sample(seed, &dist);
        seed += 1;
        let (count, duration) = settings.timing(&scene);
        let t = Instant::now();
        let sim = physics::simulate(&scene, duration);
        row.sim += t.elapsed();
        let t = Instant::now();
        let ctx = RenderCtx::new(&scene);
        let frames: Vec<_> =
            (0..count).map(|f| render_frame(&scene, &sim, &ctx, f as f64 / f64::from(settings.fps), settings.width, settings.height)).collect();
        row.render += t.elapsed();
        std::hint::black_box(frames);
        let t = Instant::now();
        std::hint::black_box(audio::sonify(&scene, &sim, ctx.speech(), duration, settings.audio));
        row.sound += t.elapsed();
        let t = Instant::now();
        std::hint::black_box(render_clip(&scene, settings).ok());
        row.whole += t.elapsed();
        row.clips += 1;
    }
    row
}

fn main() {
    let budget = Duration::from_secs_f64(std::env::var("KINO_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(4.0));
    println!("kino-world clips: sampled scenes, 24 frames at 12 fps (2 s, 16 kHz audio), one thread");
    println!("{:>9} | {:>8} | {:>9} | {:>9} | {:>9} | {:>12}", "size", "clips", "sim ms", "render ms", "sound ms", "clips/s");
    println!("{:->9}-+-{:->8}-+-{:->9}-+-{:->9}-+-{:->9}-+-{:->12}", "", "", "", "", "", "");
    for size in [64u32, 128] {
        let settings = RenderSettings { width: size, height: size, fps: 12.0, frames: Some(24), ..RenderSettings::default() };
        let r = measure(&settings, budget);
        let per = |d: Duration| d.as_secs_f64() * 1000.0 / r.clips as f64;
        println!(
            "{:>9} | {:>8} | {:>9.2} | {:>9.2} | {:>9.2} | {:>12.1}",
            format!("{size}x{size}"),
            r.clips,
            per(r.sim),
            per(r.render),
            per(r.sound),
            r.clips as f64 / r.whole.as_secs_f64()
        );
    }
}
