//! Videos, in the shapes of OpenAI's Videos API (`/v1/videos`), so its clients work against
//! Kino; the studio uses the same types.

use serde::{Deserialize, Serialize};

/// `POST /v1/videos`. Unset fields take the model's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateVideo {
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Clip length in seconds, as a string (`"2"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<String>,
    /// `WIDTHxHEIGHT`, e.g. `"64x64"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VideoStatus {
    Queued,
    InProgress,
    Completed,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoError {
    pub code: String,
    pub message: String,
}

/// The `video` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Video {
    pub id: String,
    /// Always `"video"`.
    pub object: String,
    pub status: VideoStatus,
    /// 0 to 100.
    pub progress: u8,
    pub model: String,
    pub prompt: String,
    pub seconds: String,
    pub size: String,
    /// Unix seconds.
    pub created_at: i64,
    pub completed_at: Option<i64>,
    /// Kino keeps videos until their owner deletes them.
    pub expires_at: Option<i64>,
    pub error: Option<VideoError>,
    pub remixed_from_video_id: Option<String>,
}

/// `GET /v1/videos`: a page, newest first by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoList {
    /// Always `"list"`.
    pub object: String,
    pub data: Vec<Video>,
    pub first_id: Option<String>,
    pub last_id: Option<String>,
    pub has_more: bool,
}

/// `DELETE /v1/videos/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletedVideo {
    pub id: String,
    /// Always `"video.deleted"`.
    pub object: String,
    pub deleted: bool,
}

/// `GET /api/v1/models`: what this server can generate, for the studio's choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelList {
    pub models: Vec<ModelChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelChoice {
    pub id: String,
    pub description: String,
    /// Only Pro accounts may use it.
    pub pro: bool,
    pub sizes: Vec<String>,
    pub seconds: Vec<String>,
}

/// `POST /api/v1/verify` (the file as the body): the three provenance checks, and which video
/// of this Kino the watermark names, if any. The file is checked in memory and never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyResult {
    pub report: crate::media::VerifyReport,
    /// The id of the video on this server whose watermark the file carries.
    pub known_video_id: Option<String>,
}
