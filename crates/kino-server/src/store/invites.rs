//! The `invites` table.

use kino_core::api::Invite;

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InviteRow {
    pub code: String,
    pub created_by: Option<String>,
    pub for_email: Option<String>,
    pub created_at: i64,
    pub used_by: Option<String>,
    pub used_at: Option<i64>,
}

impl InviteRow {
    pub fn to_invite(&self) -> Invite {
        Invite { code: self.code.clone(), created_at: self.created_at / 1000, used_at: self.used_at.map(|ms| ms / 1000) }
    }
}

const COLUMNS: &str = "code, created_by, for_email, created_at, used_by, used_at";

pub async fn insert(conn: &mut Conn, code: &str, created_by: Option<&str>, for_email: Option<&str>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO invites (code, created_by, for_email, created_at) VALUES ($1, $2, $3, $4)")
        .bind(code)
        .bind(created_by)
        .bind(for_email)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, code: &str) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM invites WHERE code = $1"))).bind(code).fetch_optional(conn).await
}

/// Marks an unused invite as used; false when it was already used (by a concurrent sign-up).
pub async fn mark_used(conn: &mut Conn, code: &str, user_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let used = sqlx::query("UPDATE invites SET used_by = $1, used_at = $2 WHERE code = $3 AND used_at IS NULL")
        .bind(user_id)
        .bind(now)
        .bind(code)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(used == 1)
}

/// The invites a user made, newest first.
pub async fn list_by_creator(conn: &mut Conn, user_id: &str) -> Result<Vec<InviteRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM invites WHERE created_by = $1 ORDER BY created_at DESC, code")))
        .bind(user_id)
        .fetch_all(conn)
        .await
}
