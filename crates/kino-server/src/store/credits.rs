//! The `credit_ledger` table: extra generations granted and spent.

use super::Conn;

pub async fn record(conn: &mut Conn, user_id: &str, delta: i64, reason: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO credit_ledger (user_id, delta, reason, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(delta)
        .bind(reason)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn balance(conn: &mut Conn, user_id: &str) -> Result<i64, sqlx::Error> {
    let (balance,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM credit_ledger WHERE user_id = $1").bind(user_id).fetch_one(conn).await?;
    Ok(balance)
}
