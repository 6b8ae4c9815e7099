//! The `waitlist` table.

use kino_core::Email;
use kino_core::api::WaitlistPlace;

use super::Conn;

/// Puts `email` on the waitlist unless it is there already, and returns its place among the
/// people still waiting. Joining twice keeps the first place.
pub async fn join(conn: &mut Conn, email: &Email, now: i64) -> Result<WaitlistPlace, sqlx::Error> {
    let inserted = sqlx::query("INSERT INTO waitlist (email, created_at) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING")
        .bind(email.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let (position,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM waitlist
         WHERE invited_at IS NULL AND id <= (SELECT id FROM waitlist WHERE email = $1)",
    )
    .bind(email.as_str())
    .fetch_one(conn)
    .await?;
    Ok(WaitlistPlace { email: email.clone(), position: position.max(0) as u64, newly_added: inserted == 1 })
}

/// How many people are waiting for an invite.
pub async fn waiting(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM waitlist WHERE invited_at IS NULL").fetch_one(conn).await?;
    Ok(count.max(0) as u64)
}

/// The first `limit` people still waiting, in order.
pub async fn first_waiting(conn: &mut Conn, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT email FROM waitlist WHERE invited_at IS NULL ORDER BY id LIMIT $1").bind(limit).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(email,)| email).collect())
}

pub async fn mark_invited(conn: &mut Conn, email: &str, code: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE waitlist SET invite_code = $1, invited_at = $2 WHERE email = $3").bind(code).bind(now).bind(email).execute(conn).await?;
    Ok(())
}

/// Forgets an address (its owner signed up or deleted their account).
pub async fn remove(conn: &mut Conn, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM waitlist WHERE email = $1").bind(email).execute(conn).await?;
    Ok(())
}
