//! The `likes`, `comments`, `reports` and `not_interested` tables.

use super::Conn;

/// Likes `video_id`; liking again changes nothing.
pub async fn like(conn: &mut Conn, user_id: &str, video_id: &str, now: i64) -> Result<(), sqlx::Error> {
    mark(conn, "likes", user_id, video_id, now).await
}

/// Adds the `(user_id, video_id)` row to one of the per-person video tables; once is enough.
async fn mark(conn: &mut Conn, table: &str, user_id: &str, video_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO {table} (user_id, video_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, video_id) DO NOTHING"
    )))
    .bind(user_id)
    .bind(video_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn unlike(conn: &mut Conn, user_id: &str, video_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM likes WHERE user_id = $1 AND video_id = $2").bind(user_id).bind(video_id).execute(conn).await?;
    Ok(())
}

/// A comment with its author's handle.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CommentRow {
    pub id: String,
    pub video_id: String,
    pub author_id: String,
    pub author_handle: String,
    pub body: String,
    pub created_at: i64,
}

pub async fn add_comment(conn: &mut Conn, id: &str, video_id: &str, author_id: &str, body: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO comments (id, video_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(video_id)
        .bind(author_id)
        .bind(body)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

const COMMENT_SELECT: &str = "SELECT c.id, c.video_id, c.author_id, u.handle AS author_handle, c.body, c.created_at
                              FROM comments c JOIN users u ON u.id = c.author_id";

/// A video's comments, oldest first, leaving out authors who block `viewer_id` or whom it
/// blocks.
pub async fn comments(conn: &mut Conn, viewer_id: &str, video_id: &str) -> Result<Vec<CommentRow>, sqlx::Error> {
    let sql = format!(
        "{COMMENT_SELECT} WHERE c.video_id = $1 AND NOT EXISTS (
             SELECT 1 FROM blocks b WHERE (b.blocker_id = $2 AND b.blocked_id = c.author_id) OR (b.blocker_id = c.author_id AND b.blocked_id = $2))
         ORDER BY c.created_at, c.id LIMIT 500"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(video_id).bind(viewer_id).fetch_all(conn).await
}

pub async fn comment(conn: &mut Conn, id: &str) -> Result<Option<CommentRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{COMMENT_SELECT} WHERE c.id = $1"))).bind(id).fetch_optional(conn).await
}

pub async fn delete_comment(conn: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM comments WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

pub struct NewReport<'a> {
    pub id: &'a str,
    pub reporter_id: &'a str,
    pub video_id: &'a str,
    pub reason: &'a str,
    pub note: &'a str,
    pub created_at: i64,
}

pub async fn add_report(conn: &mut Conn, report: &NewReport<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO reports (id, reporter_id, video_id, reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(report.id)
        .bind(report.reporter_id)
        .bind(report.video_id)
        .bind(report.reason)
        .bind(report.note)
        .bind(report.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// An open report, for moderators.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReportRow {
    pub id: String,
    pub reporter_id: Option<String>,
    pub video_id: Option<String>,
    pub reason: String,
    pub note: String,
    pub created_at: i64,
}

pub async fn open_reports(conn: &mut Conn) -> Result<Vec<ReportRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, reporter_id, video_id, reason, note, created_at FROM reports WHERE status = 'open' ORDER BY created_at, id")
        .fetch_all(conn)
        .await
}

/// The viewer does not want `video_id` in their feed; saying it again changes nothing.
pub async fn not_interested(conn: &mut Conn, user_id: &str, video_id: &str, now: i64) -> Result<(), sqlx::Error> {
    mark(conn, "not_interested", user_id, video_id, now).await
}
