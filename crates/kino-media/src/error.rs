//! The one error type of kino-media: every failure names what went wrong and where.

use std::path::PathBuf;

/// Why an export or a verification could not be done.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The clip handed to [`export`](crate::export) is unusable (sizes, frame rate, audio).
    #[error("invalid clip: {0}")]
    InvalidClip(String),
    /// Export options are out of range.
    #[error("invalid export options: {0}")]
    InvalidOptions(String),
    /// Reading or writing a file failed.
    /// (The I/O error is part of the message, not a separate cause, so it prints once.)
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    /// The H.264 encoder or decoder refused.
    #[error("H.264: {0}")]
    Video(String),
    /// The Opus encoder refused.
    #[error("Opus: {0}")]
    Audio(String),
    /// Writing or reading the MP4 container failed.
    #[error("MP4: {0}")]
    Container(String),
    /// Writing a PNG failed.
    #[error("PNG: {0}")]
    Image(String),
    /// Creating, loading or using the signing certificates failed.
    #[error("certificates: {0}")]
    Certificates(String),
    /// Signing or reading the C2PA manifest failed.
    #[error("C2PA: {0}")]
    Provenance(String),
}

impl MediaError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        MediaError::Io { path: path.into(), error: source }
    }
}
