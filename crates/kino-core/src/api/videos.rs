//! Videos, in the shapes of OpenAI's Videos API (`/v1/videos`), so its clients work against
//! Kino; the studio uses the same types.

use serde::{Deserialize, Serialize};

use crate::account::Handle;
use crate::slots::ClipSlots;

/// `POST /v1/videos`. Unset fields take the model's defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateVideo {
    pub prompt: String,
    /// A model's name (`kino-2`) or another name for it (OpenAI's `sora-2`, `sora-2-pro`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Clip length in seconds, as a string: `"4"` (the default), `"8"`, `"12"` (OpenAI's) or
    /// `"2"` (one window of the model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<String>,
    /// `WIDTHxHEIGHT`, e.g. `"64x64"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Kino's extension for kino-2: the slots to generate from, instead of what its prompt
    /// reader finds in the prompt (a person's correction of "Kino understood ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slots: Option<ClipSlots>,
    /// Kino's extension: the seed to sample with, so a take can be made again (the studio's
    /// "Keep" sends its preview's); the server draws one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
    /// Kino's extension: sampling steps, from 1 to the model's own (a preview's are fewer); the
    /// model's own when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VideoStatus {
    Queued,
    InProgress,
    Completed,
    Failed,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoError {
    pub code: String,
    pub message: String,
}

/// The `video` object.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Kino's extension for kino-2: what its prompt reader understood of the prompt (or the
    /// slots the person gave instead); absent for kino-1 videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub understood: Option<ClipSlots>,
    /// Kino's extension: the seed and steps asked for, when the request gave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
}

/// `POST /api/v1/understand`: what a model would understand of a prompt, before anything is
/// made or charged.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnderstandPrompt {
    pub prompt: String,
    /// The model to ask (this server's default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// What a model understood of a prompt.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Understanding {
    pub model: String,
    /// The slots it found; `None` for a model that reads no slots (kino-1).
    pub slots: Option<ClipSlots>,
    /// The slots in words ("a red rubber ball, bouncing twice; in a gym"), for people.
    pub description: Option<String>,
    /// Why the prompt cannot be made, when it names nothing the model can draw (creating a
    /// video from it is refused with `prompt_not_understood`).
    pub problem: Option<String>,
}

/// `GET /v1/videos`: a page, newest first by default.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletedVideo {
    pub id: String,
    /// Always `"video.deleted"`.
    pub object: String,
    pub deleted: bool,
}

/// `GET /api/v1/models`: what this server can generate, for the studio's choices.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelList {
    pub models: Vec<ModelChoice>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelChoice {
    pub id: String,
    pub description: String,
    /// Only Pro accounts may use it.
    pub pro: bool,
    pub sizes: Vec<String>,
    pub seconds: Vec<String>,
    /// The model family's version (kino-2 is 2).
    pub version: u32,
    /// Kept for the videos made with it; no longer the default.
    pub legacy: bool,
    /// What a request naming no model gets on this server.
    pub default: bool,
}

/// `GET /api/v1/models/{id}/preview`: what the studio's preview engine downloads to run a model
/// in the browser.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewManifest {
    pub model: String,
    /// The model folder's `config.json`, as text.
    pub config: String,
    /// The weight files, each checked against its hash after download.
    pub files: Vec<PreviewFile>,
    /// Sampling steps of a preview.
    pub steps: u32,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewFile {
    /// `generator.safetensors`, …
    pub name: String,
    /// Hex SHA-256 of the file's bytes (the browser caches by it).
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    /// Where to fetch it (a path on this server).
    pub url: String,
}

/// `GET /v1/models`: OpenAI's model list, of the models this server runs.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenAiModelList {
    /// Always `"list"`.
    pub object: String,
    pub data: Vec<OpenAiModel>,
}

/// One model in OpenAI's shape.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenAiModel {
    pub id: String,
    /// Always `"model"`.
    pub object: String,
    /// When the model's weights were released, Unix seconds.
    pub created: i64,
    /// Always `"kino"`.
    pub owned_by: String,
}

/// `POST /api/v1/verify` (the file as the body): the three provenance checks, and which video
/// of this Kino the watermark names, if any. The file is checked in memory and never stored.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyResult {
    pub report: crate::media::VerifyReport,
    /// The id of the video on this server whose watermark the file carries.
    pub known_video_id: Option<String>,
}

/// `POST /v1/videos/{id}/remix`: the video redone under a new prompt.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemixVideo {
    pub prompt: String,
}

/// A video named in a request body (`{"id": "video_..."}`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoRef {
    pub id: String,
}

/// `POST /v1/videos/extensions`: the video continued under `prompt` by `seconds`; the result
/// is the whole stitched clip.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtendVideo {
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<String>,
    pub video: VideoRef,
}

/// `POST /v1/videos/edits`: the video changed as `prompt` says, keeping its layout and motion
/// (a remix at a lower strength).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditVideo {
    pub prompt: String,
    pub video: VideoRef,
}

/// Who may see a published video. Unpublished videos are drafts, seen by their owner only.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Draft,
    Private,
    Followers,
    Public,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Private => "private",
            Self::Followers => "followers",
            Self::Public => "public",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Draft, Self::Private, Self::Followers, Self::Public].into_iter().find(|v| v.as_str() == raw)
    }
}

/// `PUT /api/v1/videos/{id}/publication`: publish (or change who sees it). Publishing as
/// `draft` unpublishes.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    pub visibility: Visibility,
}

/// A video as it shows in feeds, libraries and on its page: the video, who made it, how it
/// is published and how people reacted.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoCard {
    pub video: Video,
    pub owner: Handle,
    pub visibility: Visibility,
    /// Unix seconds.
    pub published_at: Option<i64>,
    /// `generate`, `remix`, `edit` or `extend`.
    pub kind: String,
    pub likes: u64,
    pub comments: u64,
    pub remixes: u64,
    /// The viewer likes it.
    pub liked: bool,
}

/// `GET /api/v1/videos/{id}/page`: everything the video page shows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoPage {
    pub card: VideoCard,
    /// Parent, grandparent, ... as far as the viewer may see them.
    pub ancestry: Vec<VideoCard>,
    /// Videos made from this one that the viewer may see, newest first.
    pub remixes: Vec<VideoCard>,
    /// Oldest first.
    pub comments: Vec<Comment>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: String,
    pub author: Handle,
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// `POST /api/v1/videos/{id}/comments`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub body: String,
}

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 500;

/// Why a video is reported.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Harassment,
    Sexual,
    Violence,
    Impersonation,
    Spam,
    Other,
}

impl ReportReason {
    /// The name the API uses (and the moderation table stores).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Harassment => "harassment",
            Self::Sexual => "sexual",
            Self::Violence => "violence",
            Self::Impersonation => "impersonation",
            Self::Spam => "spam",
            Self::Other => "other",
        }
    }
}

/// `POST /api/v1/videos/{id}/reports`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub reason: ReportReason,
    #[serde(default)]
    pub note: String,
}

/// Longest report note, in characters.
pub const MAX_REPORT_NOTE_CHARS: usize = 2000;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportReceipt {
    pub id: String,
    /// Always `"open"` when made.
    pub status: String,
}

/// Why the feed shows an item.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedReason {
    /// Made by someone the viewer follows.
    Following,
    /// A remix of a video the viewer liked.
    RemixOfLiked,
    /// Popular among public videos.
    Popular,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedItem {
    pub card: VideoCard,
    pub reason: FeedReason,
    /// The reason in words ("@ana, whom you follow").
    pub why: String,
}

/// `GET /api/v1/feed?after=&limit=`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// Pass as `after` for the next page; none at the end.
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::ReportReason;

    #[test]
    fn report_reason_names_match_the_json_ones() {
        use ReportReason::*;
        for reason in [Harassment, Sexual, Violence, Impersonation, Spam, Other] {
            assert_eq!(serde_json::to_value(reason).unwrap(), serde_json::Value::String(reason.as_str().to_owned()));
        }
    }
}
