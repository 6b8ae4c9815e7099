//! The `api_keys` table: developer keys, by the hash of their secret.

use kino_core::api::ApiKeySummary;

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl ApiKeyRow {
    pub fn summary(&self) -> ApiKeySummary {
        ApiKeySummary {
            id: self.id.clone(),
            name: self.name.clone(),
            prefix: self.prefix.clone(),
            created_at: self.created_at / 1000,
            last_used_at: self.last_used_at.map(|ms| ms / 1000),
        }
    }
}

const COLUMNS: &str = "id, user_id, name, prefix, created_at, last_used_at";

pub async fn insert(conn: &mut Conn, row: &ApiKeyRow, key_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO api_keys (id, user_id, name, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&row.id)
        .bind(&row.user_id)
        .bind(&row.name)
        .bind(&row.prefix)
        .bind(key_hash)
        .bind(row.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The live (unrevoked) keys of a user, newest first.
pub async fn list(conn: &mut Conn, user_id: &str) -> Result<Vec<ApiKeyRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id")))
        .bind(user_id)
        .fetch_all(conn)
        .await
}

/// The owner of a live key, stamping its last use.
pub async fn use_key(conn: &mut Conn, key_hash: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("UPDATE api_keys SET last_used_at = $1 WHERE key_hash = $2 AND revoked_at IS NULL RETURNING user_id")
        .bind(now)
        .bind(key_hash)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Revokes a key of this user; false when the user has no such live key.
pub async fn revoke(conn: &mut Conn, user_id: &str, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let revoked = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(revoked == 1)
}
