//! Published videos: who may see one, publishing, the video page (ancestry, remixes,
//! comments), likes, comments and reports.

use kino_core::account::Handle;
use kino_core::api::{Comment, MAX_COMMENT_CHARS, MAX_REPORT_NOTE_CHARS, NewComment, NewReport, ReportReceipt, VideoCard, VideoPage, Visibility};

use crate::db::Db;
use crate::error::AppError;
use crate::ids;
use crate::store::reactions::{self, CommentRow};
use crate::store::users::UserRow;
use crate::store::videos::CardRow;
use crate::store::{self, Conn};

/// How far up a remix chain the video page looks.
const MAX_ANCESTRY: usize = 20;

/// Whether the viewer (none: a visitor) may see the video: its owner always; nobody who
/// blocks or is blocked by the owner; others only once it is published, to followers of the
/// owner when so published.
pub fn may_view(card: &CardRow, viewer_id: Option<&str>) -> bool {
    if viewer_id == Some(card.video.owner_id.as_str()) {
        return true;
    }
    if card.blocked > 0 {
        return false;
    }
    match card.video.visibility() {
        Visibility::Draft | Visibility::Private => false,
        Visibility::Followers => card.viewer_follows > 0,
        Visibility::Public => true,
    }
}

fn viewer_key(viewer: Option<&UserRow>) -> &str {
    viewer.map_or("", |v| v.id.as_str())
}

/// The video as `viewer` may see it; videos they may not see are "not found".
pub async fn visible_card(conn: &mut Conn, viewer: Option<&UserRow>, id: &str) -> Result<CardRow, AppError> {
    match store::videos::card(conn, viewer_key(viewer), id).await? {
        Some(card) if may_view(&card, viewer.map(|v| v.id.as_str())) => Ok(card),
        _ => Err(AppError::not_found("video_not_found", format!("there is no video {id} you can see"))),
    }
}

pub fn to_card(row: &CardRow) -> Result<VideoCard, AppError> {
    Ok(VideoCard {
        video: row.video.to_video(),
        owner: Handle::parse(&row.owner_handle).map_err(|e| AppError::Internal(e.into()))?,
        visibility: row.video.visibility(),
        published_at: row.video.published_at.map(|ms| ms / 1000),
        kind: row.video.kind.clone(),
        likes: row.likes.max(0) as u64,
        comments: row.comments.max(0) as u64,
        remixes: row.remixes.max(0) as u64,
        liked: row.liked > 0,
    })
}

fn to_comment(row: &CommentRow) -> Result<Comment, AppError> {
    Ok(Comment {
        id: row.id.clone(),
        author: Handle::parse(&row.author_handle).map_err(|e| AppError::Internal(e.into()))?,
        body: row.body.clone(),
        created_at: row.created_at / 1000,
    })
}

/// Everything the video page shows, as `viewer` may see it.
pub async fn page(conn: &mut Conn, viewer: Option<&UserRow>, id: &str) -> Result<VideoPage, AppError> {
    let key = viewer_key(viewer);
    let viewer_id = viewer.map(|v| v.id.as_str());
    let card = visible_card(conn, viewer, id).await?;
    let mut ancestry = Vec::new();
    let mut parent = card.video.remixed_from_video_id.clone();
    while let Some(parent_id) = parent.take() {
        if ancestry.len() >= MAX_ANCESTRY {
            break;
        }
        let Some(row) = store::videos::card(conn, key, &parent_id).await? else {
            break;
        };
        parent = row.video.remixed_from_video_id.clone();
        if may_view(&row, viewer_id) {
            ancestry.push(to_card(&row)?);
        }
    }
    let remixes = store::videos::remix_cards(conn, key, id).await?.iter().filter(|row| may_view(row, viewer_id)).map(to_card).collect::<Result<_, _>>()?;
    let comments = reactions::comments(conn, key, id).await?.iter().map(to_comment).collect::<Result<_, _>>()?;
    Ok(VideoPage { card: to_card(&card)?, ancestry, remixes, comments })
}

/// Publishes the owner's completed video with `visibility`, or unpublishes it (`Draft`).
pub async fn publish(db: &Db, owner: &UserRow, id: &str, visibility: Visibility) -> Result<VideoCard, AppError> {
    let mut tx = db.pool.begin().await?;
    let video = super::videos::owned(&mut tx, owner, id).await?;
    if visibility != Visibility::Draft && video.status() != kino_core::api::VideoStatus::Completed {
        return Err(AppError::conflict("video_not_ready", format!("video {id} is {}; it can be published once it is completed", video.job_state), None));
    }
    store::videos::set_visibility(&mut tx, id, visibility, ids::creation_ms()).await?;
    let card = visible_card(&mut tx, Some(owner), id).await?;
    tx.commit().await?;
    to_card(&card)
}

/// Likes or unlikes a video the user may see; returns its card.
pub async fn set_like(db: &Db, user: &UserRow, id: &str, on: bool) -> Result<VideoCard, AppError> {
    let mut tx = db.pool.begin().await?;
    visible_card(&mut tx, Some(user), id).await?;
    if on {
        reactions::like(&mut tx, &user.id, id, ids::now_ms()).await?;
    } else {
        reactions::unlike(&mut tx, &user.id, id).await?;
    }
    let card = visible_card(&mut tx, Some(user), id).await?;
    tx.commit().await?;
    to_card(&card)
}

/// A comment's text: trimmed, not empty, at most [`MAX_COMMENT_CHARS`] characters.
pub fn comment_body(raw: &str) -> Result<String, AppError> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(AppError::invalid("empty_comment", "a comment needs some text", Some("body")));
    }
    let chars = body.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(AppError::invalid(
            "comment_too_long",
            format!("a comment can be at most {MAX_COMMENT_CHARS} characters; this one has {chars}"),
            Some("body"),
        ));
    }
    Ok(body.to_owned())
}

pub async fn add_comment(db: &Db, author: &UserRow, video_id: &str, request: &NewComment) -> Result<Comment, AppError> {
    let body = comment_body(&request.body)?;
    let mut tx = db.pool.begin().await?;
    visible_card(&mut tx, Some(author), video_id).await?;
    let id = ids::new_id("comment");
    reactions::add_comment(&mut tx, &id, video_id, &author.id, &body, ids::creation_ms()).await?;
    let row = reactions::comment(&mut tx, &id).await?.ok_or_else(|| anyhow::anyhow!("new comment {id} vanished"))?;
    tx.commit().await?;
    to_comment(&row)
}

/// Deletes a comment: its author may, and so may the owner of the video it is on.
pub async fn delete_comment(db: &Db, user: &UserRow, comment_id: &str) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    let not_found = || AppError::not_found("comment_not_found", format!("there is no comment {comment_id} you can delete"));
    let comment = reactions::comment(&mut tx, comment_id).await?.ok_or_else(not_found)?;
    let video_owner = store::videos::find(&mut tx, &comment.video_id).await?.map(|v| v.owner_id);
    if comment.author_id != user.id && video_owner.as_deref() != Some(user.id.as_str()) {
        return Err(not_found());
    }
    reactions::delete_comment(&mut tx, comment_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Files a report for the moderators.
pub async fn report(db: &Db, reporter: &UserRow, video_id: &str, request: &NewReport) -> Result<ReportReceipt, AppError> {
    let note = request.note.trim();
    let chars = note.chars().count();
    if chars > MAX_REPORT_NOTE_CHARS {
        return Err(AppError::invalid(
            "note_too_long",
            format!("a report note can be at most {MAX_REPORT_NOTE_CHARS} characters; this one has {chars}"),
            Some("note"),
        ));
    }
    let mut tx = db.pool.begin().await?;
    visible_card(&mut tx, Some(reporter), video_id).await?;
    let id = ids::new_id("report");
    let report = reactions::NewReport { id: &id, reporter_id: &reporter.id, video_id, reason: request.reason.as_str(), note, created_at: ids::now_ms() };
    reactions::add_report(&mut tx, &report).await?;
    tx.commit().await?;
    Ok(ReportReceipt { id, status: "open".to_owned() })
}

/// "Not interested": the video leaves the viewer's feed.
pub async fn not_interested(db: &Db, user: &UserRow, video_id: &str) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    visible_card(&mut tx, Some(user), video_id).await?;
    reactions::not_interested(&mut tx, &user.id, video_id, ids::now_ms()).await?;
    tx.commit().await?;
    Ok(())
}
