//! Export time: marks (visible + invisible, with colour conversion), H.264, Opus, muxing, C2PA
//! signing and thumbnails, for a 2 s 64x64 clip and a 4 s 512x512 clip at 24 fps.
//! `cargo bench -p kino-media --bench export` prints a table (median of several runs).

use kino_media::{ExportOptions, ExportTimings, MIN_EXPORT_SIDE, SigningChain, export_bytes, synth};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let chain = SigningChain::load_or_create(dir.path(), "Kino bench").unwrap_or_else(|e| panic!("{e}"));
    println!("\nExport time in milliseconds (median of the runs), 24 fps, 16 kHz mono sound\n");
    println!("| clip | runs | marks | H.264 | Opus | mux | C2PA sign | thumbnails | total | per frame | MP4 size |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (w, h, seconds, runs) in [(64u32, 64u32, 2.0f32, 7usize), (512, 512, 4.0, 3)] {
        let clip = synth::test_clip(w, h, 24.0, seconds);
        let options = ExportOptions::new(dir.path(), 7, chain.clone());
        let mut all: Vec<ExportTimings> = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let media = export_bytes(&clip, &options).unwrap_or_else(|e| panic!("export: {e}"));
            size = media.mp4.len();
            all.push(media.timings);
        }
        let m = |f: fn(&ExportTimings) -> f64| median(all.iter().map(f).collect()) * 1000.0;
        let total = m(|t| t.total_s);
        println!(
            "| {w}x{h} (exported at {}), {seconds} s ({} frames) | {runs} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {total:.1} | {:.2} | {} KB |",
            {
                let f = MIN_EXPORT_SIDE.div_ceil(w.min(h)).max(1);
                format!("{}x{}", w * f, h * f)
            },
            clip.frames.len(),
            m(|t| t.watermark_s),
            m(|t| t.video_encode_s),
            m(|t| t.audio_encode_s),
            m(|t| t.mux_s),
            m(|t| t.sign_s),
            m(|t| t.thumbnails_s),
            total / clip.frames.len() as f64,
            size / 1024
        );
    }
}
