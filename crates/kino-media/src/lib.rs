//! Kino's media pipeline: every video that leaves Kino goes through [`export`], which burns in
//! a visible mark, hides the video's id in an invisible watermark, encodes H.264 and Opus into a
//! fast-start MP4 that browsers play, signs it with a C2PA manifest and writes a thumbnail and a
//! scrubbing sprite sheet. [`verify_file`] checks all three marks of any file.
//!
//! ```no_run
//! use kino_media::{ExportOptions, SigningChain, export, synth, verify_file_with, Verifier};
//! # fn main() -> Result<(), kino_media::MediaError> {
//! let chain = SigningChain::load_or_create("data/c2pa".as_ref(), "Kino dev")?;
//! let clip = synth::test_clip(256, 256, 24.0, 2.0);
//! let files = export(&clip, &ExportOptions::new("out", 42, chain.clone()))?;
//! let report = verify_file_with(&files.video, &Verifier::trusting(chain.root_pem()))?;
//! assert_eq!(report.watermark.video_id.as_deref(), Some("000000000000002a"));
//! # Ok(()) }
//! ```
//!
//! H.264 is encoded with Cisco's OpenH264, compiled from source. Patent licensing for H.264 is
//! the distributor's matter (Cisco's royalty cover applies only to its own binaries).

pub mod audio_encode;
pub mod demux;
pub mod error;
pub mod export;
pub mod frame;
pub mod mp4;
pub mod provenance;
pub mod synth;
pub mod thumbnails;
pub mod transform;
pub mod verify;
pub mod video_decode;
pub mod video_encode;
pub mod visible_mark;
pub mod watermark;

pub use error::MediaError;
pub use export::{ExportOptions, ExportTimings, ExportedFiles, ExportedMedia, MIN_EXPORT_SIDE, export, export_bytes};
pub use frame::{Clip, Frame};
pub use kino_core::media::{C2paReport, C2paState, VerifyReport, WatermarkReport};
pub use provenance::{Generator, SigningChain, Trust};
pub use verify::{Verifier, summary, verify_bytes, verify_file, verify_file_with};
pub use watermark::WatermarkKey;
