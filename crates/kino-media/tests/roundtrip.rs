//! End-to-end checks of exported files: export -> verify, tampering, re-encoding, remixes,
//! trust, and that ffprobe (Debian's ffmpeg) reads both streams.

use std::path::{Path, PathBuf};
use std::process::Command;

use kino_media::{C2paState, ExportOptions, SigningChain, Verifier, export, synth, verify_file, verify_file_with};

const ID: u64 = 0x4b49_4e4f_0000_0042;

fn chain(dir: &Path) -> SigningChain {
    SigningChain::load_or_create(&dir.join("c2pa"), "Kino test").unwrap_or_else(|e| panic!("chain: {e}"))
}

fn exported(dir: &Path, size: u32) -> PathBuf {
    let clip = synth::test_clip(size, size, 12.0, 2.0);
    let files = export(&clip, &ExportOptions::new(dir, ID, chain(dir))).unwrap_or_else(|e| panic!("export: {e}"));
    files.video
}

fn tool(name: &str) -> PathBuf {
    for dir in std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default() {
        let p = dir.join(name);
        if p.is_file() {
            return p;
        }
    }
    panic!("{name} is not installed: run `cargo xtask install` (it installs Debian's ffmpeg)");
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

#[test]
fn export_then_verify_finds_all_three_marks() {
    let dir = tmp();
    let video = exported(dir.path(), 256);
    for extra in ["clip.png", "clip-sprite.png", "clip-sprite.vtt"] {
        assert!(dir.path().join(extra).is_file(), "{extra} missing");
    }
    let report = verify_file(&video).unwrap_or_else(|e| panic!("verify: {e}"));
    assert_eq!(report.c2pa.state, C2paState::Valid, "{report:?}");
    assert!(!report.c2pa.tampered);
    assert_eq!(report.c2pa.actions, vec!["c2pa.created".to_string()]);
    assert_eq!(report.c2pa.digital_source_type.as_deref(), Some(kino_media::provenance::TRAINED_ALGORITHMIC_MEDIA));
    assert_eq!(report.c2pa.model.as_deref(), Some("kino-v1"));
    assert!(report.c2pa.generator.as_deref().is_some_and(|g| g.starts_with("Kino")), "{report:?}");
    assert_eq!(report.watermark.video_id.as_deref(), Some("4b494e4f00000042"), "{report:?}");
    assert!(report.visible_mark, "{report:?}");

    let root = std::fs::read_to_string(dir.path().join("c2pa/root.pem")).unwrap_or_default();
    let trusted = verify_file_with(&video, &Verifier::trusting(&root)).unwrap_or_else(|e| panic!("verify: {e}"));
    assert_eq!(trusted.c2pa.state, C2paState::Trusted, "{trusted:?}");
    let json = serde_json::to_value(&trusted).unwrap_or_default();
    assert_eq!(json["c2pa"]["state"], "trusted");
    assert_eq!(json["watermark"]["video_id"], "4b494e4f00000042");
    assert_eq!(json["visible_mark"], true);
}

#[test]
fn one_flipped_byte_reads_as_tampered() {
    let dir = tmp();
    let video = exported(dir.path(), 64);
    let mut bytes = std::fs::read(&video).unwrap_or_default();
    // Flip a byte in the middle of the media data (the last box of a fast-start file).
    let mdat = bytes.windows(4).rposition(|w| w == b"mdat").unwrap_or_else(|| panic!("no mdat"));
    let at = mdat + (bytes.len() - mdat) / 2;
    bytes[at] ^= 0x01;
    let bad = dir.path().join("tampered.mp4");
    std::fs::write(&bad, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let report = verify_file(&bad).unwrap_or_else(|e| panic!("verify: {e}"));
    assert_eq!(report.c2pa.state, C2paState::Invalid, "{report:?}");
    assert!(report.c2pa.tampered, "{report:?}");
}

#[test]
fn watermark_survives_an_ffmpeg_reencode() {
    let dir = tmp();
    // kino-1's size: the export upscales it to 512x512 before marking.
    let video = exported(dir.path(), 64);
    let out = dir.path().join("reencoded.mp4");
    let status = Command::new(tool("ffmpeg"))
        .args(["-v", "error", "-y", "-i"])
        .arg(&video)
        .args(["-c:v", "libx264", "-crf", "30", "-preset", "fast", "-c:a", "copy"])
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("ffmpeg: {e}"));
    assert!(status.success());
    let report = verify_file(&out).unwrap_or_else(|e| panic!("verify: {e}"));
    assert_eq!(report.c2pa.state, C2paState::Missing, "ffmpeg drops the manifest: {report:?}");
    assert_eq!(report.watermark.video_id.as_deref(), Some("4b494e4f00000042"), "{report:?}");
}

#[test]
fn ffprobe_sees_h264_and_opus() {
    let dir = tmp();
    let video = exported(dir.path(), 64);
    let out = Command::new(tool("ffprobe"))
        .args(["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height:format=duration", "-of", "json"])
        .arg(&video)
        .output()
        .unwrap_or_else(|e| panic!("ffprobe: {e}"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let streams = v["streams"].as_array().cloned().unwrap_or_default();
    let video_stream = streams.iter().find(|s| s["codec_type"] == "video").unwrap_or_else(|| panic!("no video stream: {v}"));
    assert_eq!(video_stream["codec_name"], "h264");
    assert_eq!(video_stream["width"], 512, "64x64 clips leave Kino upscaled to 512x512");
    let audio = streams.iter().find(|s| s["codec_type"] == "audio").unwrap_or_else(|| panic!("no audio stream: {v}"));
    assert_eq!(audio["codec_name"], "opus");
    let duration: f64 = v["format"]["duration"].as_str().and_then(|d| d.parse().ok()).unwrap_or(0.0);
    assert!((duration - 2.0).abs() < 0.15, "duration {duration}");
    // Fast start: moov comes before mdat.
    let bytes = std::fs::read(&video).unwrap_or_default();
    let find = |tag: &[u8]| bytes.windows(4).position(|w| w == tag).unwrap_or(usize::MAX);
    assert!(find(b"moov") < find(b"mdat"));
}

#[test]
fn remix_names_its_parent() {
    let dir = tmp();
    let parent = exported(dir.path(), 64);
    let clip = synth::test_clip(64, 64, 12.0, 1.0);
    let mut options = ExportOptions::new(dir.path().join("remix"), ID + 1, chain(dir.path()));
    options.parent = Some(parent);
    let files = export(&clip, &options).unwrap_or_else(|e| panic!("export: {e}"));
    let report = verify_file(&files.video).unwrap_or_else(|e| panic!("verify: {e}"));
    assert_eq!(report.c2pa.state, C2paState::Valid, "{report:?}");
    assert!(report.c2pa.actions.contains(&"c2pa.edited".to_string()), "{report:?}");
    assert_eq!(report.c2pa.parent.as_deref(), Some("parent.mp4"));
}

#[test]
fn chain_is_created_once_and_reused() {
    let dir = tmp();
    let a = chain(dir.path());
    let b = chain(dir.path());
    assert_eq!(a.root_pem, b.root_pem);
    assert_eq!(a.chain_pem.matches("BEGIN CERTIFICATE").count(), 2, "leaf and intermediate");
    let bad = SigningChain::from_files(&dir.path().join("nope.pem"), &dir.path().join("nope.key"), &dir.path().join("nope.root"));
    assert!(bad.is_err());
}

#[test]
fn bad_input_is_refused() {
    let dir = tmp();
    let mut clip = synth::test_clip(32, 32, 12.0, 0.5);
    clip.fps = f32::NAN;
    assert!(export(&clip, &ExportOptions::new(dir.path(), 1, chain(dir.path()))).is_err());
    assert!(verify_file(&dir.path().join("missing.mp4")).is_err());
    let junk = dir.path().join("junk.mp4");
    std::fs::write(&junk, b"not a video at all").unwrap_or_else(|e| panic!("{e}"));
    let r = verify_file(&junk).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(r.c2pa.state, C2paState::Missing | C2paState::Invalid));
    assert_eq!(r.watermark.video_id, None);
    assert!(!r.visible_mark);
}
