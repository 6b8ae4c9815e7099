//! The `jobs` table: a durable queue with leases.
//!
//! A worker claims the oldest ready job in one statement (`FOR UPDATE SKIP LOCKED` on
//! Postgres, so many workers never take the same job; SQLite serialises writers anyway). A
//! job whose lease lapsed is ready again: its worker died.

use crate::db::{Backend, Db};

use super::Conn;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub owner_id: Option<String>,
    pub payload: String,
    pub state: String,
    pub progress: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    pub cancel_requested: i64,
    pub idempotency_key: Option<String>,
    pub checkpoint: Option<String>,
    pub result: Option<String>,
    pub error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, owner_id, payload, state, progress, attempts, max_attempts, cancel_requested, \
                       idempotency_key, checkpoint, result, error, created_at, updated_at, completed_at";

pub struct NewJob<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub owner_id: Option<&'a str>,
    pub payload: &'a str,
    pub max_attempts: i64,
    pub idempotency_key: Option<&'a str>,
    pub now: i64,
}

/// Inserts a job; with an idempotency key already used by this owner, returns that job
/// instead and inserts nothing. The bool says whether a new job was made.
pub async fn insert(conn: &mut Conn, job: &NewJob<'_>) -> Result<(JobRow, bool), sqlx::Error> {
    if let (Some(key), Some(owner)) = (job.idempotency_key, job.owner_id)
        && let Some(existing) = find_by_idempotency_key(&mut *conn, owner, key).await?
    {
        return Ok((existing, false));
    }
    sqlx::query(
        "INSERT INTO jobs (id, kind, owner_id, payload, state, max_attempts, run_after, idempotency_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $6, $6)",
    )
    .bind(job.id)
    .bind(job.kind)
    .bind(job.owner_id)
    .bind(job.payload)
    .bind(job.max_attempts)
    .bind(job.now)
    .bind(job.idempotency_key)
    .execute(&mut *conn)
    .await?;
    let row = find(conn, job.id).await?.ok_or(sqlx::Error::RowNotFound)?;
    Ok((row, true))
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))).bind(id).fetch_optional(conn).await
}

async fn find_by_idempotency_key(conn: &mut Conn, owner_id: &str, key: &str) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM jobs WHERE owner_id = $1 AND idempotency_key = $2")))
        .bind(owner_id)
        .bind(key)
        .fetch_optional(conn)
        .await
}

/// Claims the oldest ready job of one of `kinds` for `worker` until `lease_until`.
pub async fn claim(db: &Db, kinds: &[&str], worker: &str, now: i64, lease_until: i64) -> Result<Option<JobRow>, sqlx::Error> {
    if kinds.is_empty() {
        return Ok(None);
    }
    // Kinds are the server's own constant names, never client input; the list is inlined
    // because the Any driver binds no arrays.
    let kind_list = kinds.iter().map(|k| format!("'{}'", k.replace('\'', ""))).collect::<Vec<_>>().join(", ");
    let lock = match db.backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'in_progress', attempts = attempts + 1, lease_owner = $1, lease_expires_at = $2, updated_at = $3
         WHERE id = (
             SELECT id FROM jobs
             WHERE kind IN ({kind_list})
               AND ((state = 'queued' AND run_after <= $3) OR (state = 'in_progress' AND lease_expires_at < $3))
             ORDER BY run_after, created_at, id
             LIMIT 1 {lock}
         )
         RETURNING {COLUMNS}"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(worker).bind(lease_until).bind(now).fetch_optional(&db.pool).await
}

/// Extends the lease while the job runs; false when the lease was lost (another worker has
/// the job now, or it was cancelled while queued), and the worker must stop.
pub async fn renew_lease(conn: &mut Conn, id: &str, worker: &str, lease_until: i64) -> Result<bool, sqlx::Error> {
    let renewed = sqlx::query("UPDATE jobs SET lease_expires_at = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'in_progress'")
        .bind(lease_until)
        .bind(id)
        .bind(worker)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(renewed == 1)
}

pub async fn set_progress(conn: &mut Conn, id: &str, worker: &str, progress: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET progress = $1, updated_at = $2 WHERE id = $3 AND lease_owner = $4 AND state = 'in_progress'")
        .bind(progress.clamp(0, 100))
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn save_checkpoint(conn: &mut Conn, id: &str, worker: &str, checkpoint: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET checkpoint = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'in_progress'")
        .bind(checkpoint)
        .bind(id)
        .bind(worker)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn cancel_requested(conn: &mut Conn, id: &str) -> Result<bool, sqlx::Error> {
    let (flag,): (i64,) = sqlx::query_as("SELECT cancel_requested FROM jobs WHERE id = $1").bind(id).fetch_one(conn).await?;
    Ok(flag != 0)
}

/// Ends a job this worker holds: `completed` with a result, `failed` with an error, or
/// `cancelled`. Returns false when the worker no longer held it.
pub async fn finish(conn: &mut Conn, id: &str, worker: &str, state: &str, result: Option<&str>, error: Option<&str>, now: i64) -> Result<bool, sqlx::Error> {
    let progress_sql = if state == "completed" { "100" } else { "progress" };
    let sql = format!(
        "UPDATE jobs SET state = $1, result = $2, error = $3, progress = {progress_sql}, completed_at = $4, updated_at = $4,
                         lease_owner = NULL, lease_expires_at = NULL
         WHERE id = $5 AND lease_owner = $6 AND state = 'in_progress'"
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(state).bind(result).bind(error).bind(now).bind(id).bind(worker).execute(conn).await?.rows_affected();
    Ok(done == 1)
}

/// Puts a job this worker holds back in the queue to run again at `run_after`.
pub async fn retry_later(conn: &mut Conn, id: &str, worker: &str, error: &str, run_after: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET state = 'queued', error = $1, run_after = $2, updated_at = $3, lease_owner = NULL, lease_expires_at = NULL
         WHERE id = $4 AND lease_owner = $5 AND state = 'in_progress'",
    )
    .bind(error)
    .bind(run_after)
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(conn)
    .await?;
    Ok(())
}

/// Cancels a queued job at once, or asks a running one to stop. Returns the job afterwards.
pub async fn cancel(conn: &mut Conn, id: &str, now: i64) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query("UPDATE jobs SET state = 'cancelled', completed_at = $1, updated_at = $1 WHERE id = $2 AND state = 'queued'")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE jobs SET cancel_requested = 1, updated_at = $1 WHERE id = $2 AND state = 'in_progress'").bind(now).bind(id).execute(&mut *conn).await?;
    find(conn, id).await
}

/// Makes every running job ready at once. Only for a server that knows it is the sole
/// worker (SQLite): whatever was running belonged to a process that is gone.
pub async fn release_all_leases(conn: &mut Conn, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("UPDATE jobs SET lease_expires_at = $1 WHERE state = 'in_progress'").bind(now - 1).execute(conn).await?.rows_affected())
}
