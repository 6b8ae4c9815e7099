//! The world's error type.

use thiserror::Error;

/// What can go wrong making a clip.
#[derive(Debug, Error)]
pub enum WorldError {
    /// A scene file did not parse; `field` is the JSON path of the offending value.
    #[error("bad scene file at `{field}`: {message}")]
    SceneField { field: String, message: String },
    /// A scene parsed but a value makes no sense.
    #[error("invalid scene: `{field}` {reason}")]
    Invalid { field: String, reason: String },
    /// A distribution file did not parse, or holds a value out of range; `field` is the JSON path
    /// of the offending value.
    #[error("bad distribution file {path} at `{field}`: {message}")]
    DistributionField { path: String, field: String, message: String },
    /// Render settings out of range.
    #[error("invalid render settings: {0}")]
    Settings(String),
    #[error("i/o error on {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("could not encode PNG {path}: {message}")]
    Png { path: String, message: String },
    #[error("could not encode JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("bad shard file {path}: {reason}")]
    Shard { path: String, reason: String },
}

impl WorldError {
    pub(crate) fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        WorldError::Io { path: path.as_ref().display().to_string(), source }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        WorldError::Invalid { field: field.into(), reason: reason.into() }
    }
}
