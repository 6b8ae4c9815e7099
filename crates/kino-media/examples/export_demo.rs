//! Exports the synthetic test clip: `cargo run -p kino-media --release --example export_demo --
//! OUT_DIR [WIDTH HEIGHT SECONDS]`. Writes OUT_DIR/clip.mp4 (signed with a chain kept in
//! OUT_DIR/c2pa), its thumbnail and sprite sheet, and prints the verify report.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = PathBuf::from(args.first().map_or("target/media-demo", String::as_str));
    let num = |i: usize, d: f32| args.get(i).and_then(|v| v.parse().ok()).unwrap_or(d);
    let (w, h, s) = (num(1, 256.0) as u32, num(2, 256.0) as u32, num(3, 2.0));
    let chain = kino_media::SigningChain::load_or_create(&out.join("c2pa"), "Kino demo")?;
    let clip = kino_media::synth::test_clip(w, h, 24.0, s);
    let files = kino_media::export(&clip, &kino_media::ExportOptions::new(&out, 0x4b49_4e4f_0000_0001, chain.clone()))?;
    let report = kino_media::verify_file_with(&files.video, &kino_media::Verifier::trusting(chain.root_pem()))?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    println!("wrote {} in {:.2} s", files.video.display(), files.timings.total_s);
    Ok(())
}
