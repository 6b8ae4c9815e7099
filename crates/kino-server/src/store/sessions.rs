//! The `sessions` table: signed-in browsers, by the hash of their cookie token.

use super::Conn;

pub async fn insert(conn: &mut Conn, token_hash: &str, user_id: &str, now: i64, expires_at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user id of an unexpired session.
pub async fn user_of(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2").bind(token_hash).bind(now).fetch_optional(conn).await?;
    Ok(row.map(|(id,)| id))
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(())
}

/// Signs the user out everywhere except, optionally, the session that asked.
pub async fn delete_all_for_user(conn: &mut Conn, user_id: &str, except_hash: Option<&str>) -> Result<u64, sqlx::Error> {
    let deleted = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(except_hash.unwrap_or(""))
        .execute(conn)
        .await?
        .rows_affected();
    Ok(deleted)
}

pub async fn delete_expired(conn: &mut Conn, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(conn).await?.rows_affected())
}
