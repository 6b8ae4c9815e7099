//! The `videos` table, read together with each video's generation job.

use kino_core::api::{Video, VideoError, VideoStatus, Visibility};
use kino_core::slots::ClipSlots;

use super::Conn;

/// A video and the state of its job.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VideoRow {
    pub id: String,
    pub owner_id: String,
    pub job_id: String,
    pub model: String,
    pub prompt: String,
    pub seconds: String,
    pub size: String,
    pub remixed_from_video_id: Option<String>,
    pub visibility: String,
    pub published_at: Option<i64>,
    pub created_at: i64,
    /// `generate`, `remix`, `edit` or `extend` (see [`Kind`]).
    pub kind: String,
    pub job_state: String,
    pub job_progress: i64,
    pub job_error: Option<String>,
    pub job_completed_at: Option<i64>,
    /// kino-2's slots for the prompt (JSON of [`ClipSlots`]); `None` for kino-1 videos.
    pub understood: Option<String>,
    /// The seed and sampling steps the request asked for (a kept preview's); `None`: the
    /// watermark id and the model's own steps.
    pub seed: Option<i64>,
    pub steps: Option<i64>,
}

const SELECT: &str = "SELECT v.id, v.owner_id, v.job_id, v.model, v.prompt, v.seconds, v.size, v.remixed_from_video_id,
                             v.visibility, v.published_at, v.created_at, v.kind, v.understood, v.seed, v.steps,
                             j.state AS job_state, j.progress AS job_progress, j.error AS job_error,
                             j.completed_at AS job_completed_at
                      FROM videos v JOIN jobs j ON j.id = v.job_id";

impl VideoRow {
    pub fn status(&self) -> VideoStatus {
        match self.job_state.as_str() {
            "queued" => VideoStatus::Queued,
            "in_progress" => VideoStatus::InProgress,
            "completed" => VideoStatus::Completed,
            _ => VideoStatus::Failed,
        }
    }

    /// The OpenAI-shaped `video` object.
    pub fn to_video(&self) -> Video {
        let status = self.status();
        let error = (status == VideoStatus::Failed).then(|| {
            let cancelled = self.job_state == "cancelled";
            VideoError {
                code: if cancelled { "cancelled" } else { "generation_failed" }.to_owned(),
                message: self.job_error.clone().unwrap_or_else(|| if cancelled { "the generation was cancelled" } else { "the generation failed" }.to_owned()),
            }
        });
        Video {
            id: self.id.clone(),
            object: "video".to_owned(),
            status,
            progress: self.job_progress.clamp(0, 100) as u8,
            model: self.model.clone(),
            prompt: self.prompt.clone(),
            seconds: self.seconds.clone(),
            size: self.size.clone(),
            created_at: self.created_at / 1000,
            completed_at: (status == VideoStatus::Completed).then_some(self.job_completed_at.map(|ms| ms / 1000)).flatten(),
            expires_at: None,
            error,
            remixed_from_video_id: self.remixed_from_video_id.clone(),
            understood: self.slots(),
            seed: self.seed.and_then(|s| u32::try_from(s).ok()),
            steps: self.steps.and_then(|s| u32::try_from(s).ok()),
        }
    }

    /// The slots the video is generated from, when its model reads slots.
    pub fn slots(&self) -> Option<ClipSlots> {
        self.understood.as_deref().and_then(|json| serde_json::from_str(json).ok())
    }
}

/// How a video is made: from a prompt, or from its source video (`remixed_from_video_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Generate,
    Remix,
    Edit,
    Extend,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Generate => "generate",
            Self::Remix => "remix",
            Self::Edit => "edit",
            Self::Extend => "extend",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Generate, Self::Remix, Self::Edit, Self::Extend].into_iter().find(|k| k.as_str() == raw)
    }
}

impl VideoRow {
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Generate)
    }

    /// The video this one is made from (a remix, edit or extension), if it still exists.
    pub fn source_id(&self) -> Option<&str> {
        self.remixed_from_video_id.as_deref().filter(|_| self.kind() != Kind::Generate)
    }

    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Draft)
    }
}

pub struct NewVideo<'a> {
    pub id: &'a str,
    pub owner_id: &'a str,
    pub job_id: &'a str,
    pub model: &'a str,
    pub prompt: &'a str,
    pub seconds: &'a str,
    pub size: &'a str,
    pub remixed_from_video_id: Option<&'a str>,
    pub kind: Kind,
    /// What the invisible watermark will carry; random, unique.
    pub watermark_id: i64,
    pub created_at: i64,
    /// kino-2's slots for the prompt.
    pub understood: Option<&'a ClipSlots>,
    pub seed: Option<u32>,
    pub steps: Option<u32>,
}

pub async fn insert(conn: &mut Conn, video: &NewVideo<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO videos (id, owner_id, job_id, model, prompt, seconds, size, remixed_from_video_id, watermark_id, created_at, kind, understood, seed, steps)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(video.id)
    .bind(video.owner_id)
    .bind(video.job_id)
    .bind(video.model)
    .bind(video.prompt)
    .bind(video.seconds)
    .bind(video.size)
    .bind(video.remixed_from_video_id)
    .bind(video.watermark_id)
    .bind(video.created_at)
    .bind(video.kind.as_str())
    .bind(video.understood.map(|slots| serde_json::to_string(slots).unwrap_or_default()))
    .bind(video.seed.map(i64::from))
    .bind(video.steps.map(i64::from))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<VideoRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE v.id = $1"))).bind(id).fetch_optional(conn).await
}

/// What the invisible watermark of video `id` carries.
pub async fn watermark_id(conn: &mut Conn, id: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT watermark_id FROM videos WHERE id = $1").bind(id).fetch_optional(conn).await?;
    Ok(row.map(|(w,)| w))
}

/// The id of the video whose watermark carries `watermark_id`.
pub async fn id_by_watermark(conn: &mut Conn, watermark_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM videos WHERE watermark_id = $1").bind(watermark_id).fetch_optional(conn).await?;
    Ok(row.map(|(id,)| id))
}

pub async fn find_by_job(conn: &mut Conn, job_id: &str) -> Result<Option<VideoRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE v.job_id = $1"))).bind(job_id).fetch_optional(conn).await
}

/// One page of an owner's videos in `(created_at, id)` order, after the cursor video if any.
pub async fn list_by_owner(conn: &mut Conn, owner_id: &str, after: Option<&VideoRow>, newest_first: bool, limit: i64) -> Result<Vec<VideoRow>, sqlx::Error> {
    let (direction, comparison) = if newest_first { ("DESC", "<") } else { ("ASC", ">") };
    let order = format!("ORDER BY v.created_at {direction}, v.id {direction}");
    match after {
        Some(after) => {
            let sql = format!("{SELECT} WHERE v.owner_id = $1 AND (v.created_at, v.id) {comparison} ($2, $3) {order} LIMIT $4");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(owner_id).bind(after.created_at).bind(&after.id).bind(limit).fetch_all(conn).await
        }
        None => {
            let sql = format!("{SELECT} WHERE v.owner_id = $1 {order} LIMIT $2");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(owner_id).bind(limit).fetch_all(conn).await
        }
    }
}

pub async fn ids_by_owner(conn: &mut Conn, owner_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM videos WHERE owner_id = $1").bind(owner_id).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// How many videos an owner asked for since `since` (Unix ms).
pub async fn count_since(conn: &mut Conn, owner_id: &str, since: i64) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM videos WHERE owner_id = $1 AND created_at >= $2").bind(owner_id).bind(since).fetch_one(conn).await?;
    Ok(count)
}

/// Deletes a video and its job.
pub async fn delete(conn: &mut Conn, video: &VideoRow) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM videos WHERE id = $1").bind(&video.id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM jobs WHERE id = $1").bind(&video.job_id).execute(conn).await?;
    Ok(())
}

/// Publishes (`published_at` set the first time) or, with `Draft`, unpublishes a video.
pub async fn set_visibility(conn: &mut Conn, id: &str, visibility: Visibility, now: i64) -> Result<(), sqlx::Error> {
    if visibility == Visibility::Draft {
        sqlx::query("UPDATE videos SET visibility = 'draft', published_at = NULL WHERE id = $1").bind(id).execute(conn).await?;
    } else {
        sqlx::query("UPDATE videos SET visibility = $1, published_at = COALESCE(published_at, $2) WHERE id = $3")
            .bind(visibility.as_str())
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A video with its owner's handle, reaction counts and the viewer's own like, and the facts
/// about the viewer that decide whether they may see it and why a feed would show it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CardRow {
    #[sqlx(flatten)]
    pub video: VideoRow,
    pub owner_handle: String,
    pub likes: i64,
    pub comments: i64,
    pub remixes: i64,
    /// 1 when the viewer likes it.
    pub liked: i64,
    /// 1 when the viewer follows the owner.
    pub viewer_follows: i64,
    /// 1 when either has blocked the other.
    pub blocked: i64,
    /// 1 when the viewer mutes the owner.
    pub muted: i64,
    /// 1 when the viewer said "not interested".
    pub not_interested: i64,
    /// 1 when the viewer likes the video this one was made from.
    pub source_liked: i64,
}

/// `$1` is the viewer's id (`""` for visitors).
const CARD_SELECT: &str = "SELECT v.id, v.owner_id, v.job_id, v.model, v.prompt, v.seconds, v.size, v.remixed_from_video_id,
           v.visibility, v.published_at, v.created_at, v.kind, v.understood, v.seed, v.steps,
           j.state AS job_state, j.progress AS job_progress, j.error AS job_error, j.completed_at AS job_completed_at,
           u.handle AS owner_handle,
           (SELECT COUNT(*) FROM likes l WHERE l.video_id = v.id) AS likes,
           (SELECT COUNT(*) FROM comments c WHERE c.video_id = v.id) AS comments,
           (SELECT COUNT(*) FROM videos r WHERE r.remixed_from_video_id = v.id) AS remixes,
           (SELECT COUNT(*) FROM likes l WHERE l.video_id = v.id AND l.user_id = $1) AS liked,
           (SELECT COUNT(*) FROM follows f WHERE f.follower_id = $1 AND f.followee_id = v.owner_id) AS viewer_follows,
           (SELECT COUNT(*) FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = v.owner_id)
                                             OR (b.blocker_id = v.owner_id AND b.blocked_id = $1)) AS blocked,
           (SELECT COUNT(*) FROM mutes m WHERE m.muter_id = $1 AND m.muted_id = v.owner_id) AS muted,
           (SELECT COUNT(*) FROM not_interested n WHERE n.user_id = $1 AND n.video_id = v.id) AS not_interested,
           (SELECT COUNT(*) FROM likes l WHERE l.user_id = $1 AND l.video_id = v.remixed_from_video_id) AS source_liked
    FROM videos v JOIN jobs j ON j.id = v.job_id JOIN users u ON u.id = v.owner_id";

pub async fn card(conn: &mut Conn, viewer_id: &str, id: &str) -> Result<Option<CardRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{CARD_SELECT} WHERE v.id = $2"))).bind(viewer_id).bind(id).fetch_optional(conn).await
}

/// Cards of the videos made from `id`, newest first.
pub async fn remix_cards(conn: &mut Conn, viewer_id: &str, id: &str) -> Result<Vec<CardRow>, sqlx::Error> {
    let sql = format!("{CARD_SELECT} WHERE v.remixed_from_video_id = $2 ORDER BY v.created_at DESC, v.id DESC LIMIT 200");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(viewer_id).bind(id).fetch_all(conn).await
}

/// The feed's candidates: completed videos published by others since `since` and up to
/// `until` (Unix ms), newest first, at most `limit`. Visibility is checked by the caller.
pub async fn feed_candidates(conn: &mut Conn, viewer_id: &str, since: i64, until: i64, limit: i64) -> Result<Vec<CardRow>, sqlx::Error> {
    let sql = format!(
        "{CARD_SELECT} WHERE v.visibility IN ('public', 'followers') AND j.state = 'completed' AND v.owner_id <> $1
           AND v.published_at >= $2 AND v.published_at <= $3
         ORDER BY v.published_at DESC, v.id DESC LIMIT $4"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(viewer_id).bind(since).bind(until).bind(limit).fetch_all(conn).await
}
