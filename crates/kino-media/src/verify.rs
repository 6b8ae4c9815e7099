//! Checking a file: its C2PA manifest (validity, trust, tampering), the invisible watermark's
//! video id, and the visible mark, each independent of the others, in one [`VerifyReport`].

use std::path::Path;

use kino_core::media::{C2paReport, VerifyReport, WatermarkReport};

use crate::frame::Luma;
use crate::provenance::{Trust, read_manifest};
use crate::watermark::{MeanLuma, WatermarkKey, detect_mean};
use crate::{MediaError, demux, video_decode, visible_mark};

/// Fraction of frames that must show the visible mark.
const VISIBLE_MARK_MIN: f32 = 0.6;

/// What to check against.
#[derive(Debug, Clone, Default)]
pub struct Verifier {
    pub key: WatermarkKey,
    pub trust: Trust,
}

impl Verifier {
    /// The default key, trusting `root_pem` (a PEM bundle of root certificates).
    pub fn trusting(root_pem: &str) -> Verifier {
        Verifier { key: WatermarkKey::default(), trust: Trust { anchors_pem: root_pem.to_string() } }
    }
}

/// Checks the file at `path` with the default key and no trusted roots (intact Kino files
/// then read as C2PA `valid`; use [`verify_file_with`] and [`Verifier::trusting`] for `trusted`).
pub fn verify_file(path: &Path) -> Result<VerifyReport, MediaError> {
    verify_file_with(path, &Verifier::default())
}

/// Checks the file at `path`.
pub fn verify_file_with(path: &Path, verifier: &Verifier) -> Result<VerifyReport, MediaError> {
    let bytes = std::fs::read(path).map_err(|e| MediaError::io(path, e))?;
    Ok(verify_bytes(&bytes, verifier))
}

/// Checks a file held in memory. Never fails: what cannot be read is reported as absent.
pub fn verify_bytes(bytes: &[u8], verifier: &Verifier) -> VerifyReport {
    let c2pa: C2paReport = read_manifest(bytes, &verifier.trust);
    let (watermark, visible_mark) = marks(bytes, &verifier.key);
    VerifyReport { c2pa, watermark, visible_mark }
}

fn marks(bytes: &[u8], key: &WatermarkKey) -> (WatermarkReport, bool) {
    let none = WatermarkReport { video_id: None, score: 0.0, frames: 0 };
    let Ok(movie) = demux::parse(bytes) else { return (none, false) };
    let Some(track) = movie.video else { return (none, false) };
    let Ok(units) = track.access_units(bytes) else { return (none, false) };
    let fps = track.fps();
    let mut mean = MeanLuma::default();
    let mut index = 0usize;
    let mut marked = 0usize;
    let decoded = video_decode::decode_each(&units, |pic| {
        let luma: Luma = video_decode::luma(pic);
        if fps > 0.0 && visible_mark::frame_has_mark(&luma, index as f64 / f64::from(fps)) {
            marked += 1;
        }
        mean.add(&luma);
        index += 1;
    });
    if decoded.is_err() {
        return (none, false);
    }
    let detection = mean.finish().map(|m| detect_mean(&m, key));
    let report = WatermarkReport {
        video_id: detection.as_ref().and_then(|d| d.payload).map(|id| format!("{id:016x}")),
        score: detection.as_ref().map_or(0.0, |d| d.sync_score),
        frames: mean.count(),
    };
    let visible = index > 0 && marked as f32 / index as f32 >= VISIBLE_MARK_MIN;
    (report, visible)
}

/// A few human-readable lines about a report, for `kino verify` without `--json`.
pub fn summary(report: &VerifyReport) -> String {
    use kino_core::media::C2paState;
    let c = &report.c2pa;
    let mut out = String::new();
    let state = match c.state {
        C2paState::Trusted => "trusted (intact, signed by a trusted certificate)",
        C2paState::Valid => "valid (intact and signed, but the signer is not on the trust list)",
        C2paState::Invalid if c.tampered => "INVALID: the file was changed after it was signed",
        C2paState::Invalid => "INVALID",
        C2paState::Missing => "missing (no manifest)",
    };
    out.push_str(&format!("C2PA manifest:     {state}\n"));
    if let Some(signer) = &c.signer {
        out.push_str(&format!("  signed by:       {signer}\n"));
    }
    if let Some(g) = &c.generator {
        out.push_str(&format!("  made with:       {g}{}\n", c.model.as_ref().map(|m| format!(", model {m}")).unwrap_or_default()));
    }
    if !c.actions.is_empty() {
        out.push_str(&format!("  actions:         {}\n", c.actions.join(", ")));
    }
    if let Some(p) = &c.parent {
        out.push_str(&format!("  remix of:        {p}\n"));
    }
    if !c.issues.is_empty() {
        out.push_str(&format!("  issues:          {}\n", c.issues.join(", ")));
    }
    match &report.watermark.video_id {
        Some(id) => out.push_str(&format!("Invisible mark:    video id {id} (score {:.1}, {} frames)\n", report.watermark.score, report.watermark.frames)),
        None => out.push_str(&format!("Invisible mark:    not found (score {:.1}, {} frames)\n", report.watermark.score, report.watermark.frames)),
    }
    out.push_str(&format!("Visible mark:      {}\n", if report.visible_mark { "present" } else { "not found" }));
    out
}
