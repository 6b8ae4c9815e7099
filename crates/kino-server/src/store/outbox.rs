//! The `outbox` table: mail waiting to be delivered.

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailRow {
    pub id: i64,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
}

pub async fn queue(conn: &mut Conn, to_email: &str, subject: &str, body: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO outbox (to_email, subject, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(to_email)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn pending(conn: &mut Conn, limit: i64) -> Result<Vec<MailRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, to_email, subject, body, created_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1").bind(limit).fetch_all(conn).await
}

pub async fn mark_sent(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET sent_at = $1 WHERE id = $2").bind(now).bind(id).execute(conn).await?;
    Ok(())
}

/// Forgets every message to an address (its account was deleted).
pub async fn delete_for(conn: &mut Conn, to_email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM outbox WHERE to_email = $1").bind(to_email).execute(conn).await?;
    Ok(())
}
