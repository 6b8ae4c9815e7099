//! Background jobs: handlers for each kind of work, the queue they are enqueued on, and the
//! worker loop that runs them inside `kino serve` or a separate `kino worker` process.

mod worker;

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::db::Db;
use crate::store::{self, jobs::JobRow};
use crate::{error::AppError, ids};

pub use worker::{Worker, WorkerSettings};

/// Why a run of a job did not complete.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (a resource was busy, a file system hiccup).
    #[error("{0}")]
    Retryable(String),
    /// Trying again cannot help (bad input, a model refused the prompt).
    #[error("{0}")]
    Permanent(String),
    /// The owner cancelled the job.
    #[error("cancelled")]
    Cancelled,
}

/// What a handler can do while it runs: read its payload and checkpoint, report progress,
/// save a checkpoint to resume from, and notice cancellation.
pub struct JobContext {
    pub job: JobRow,
    pub(crate) db: Db,
    pub(crate) worker_id: String,
}

impl JobContext {
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, JobError> {
        serde_json::from_str(&self.job.payload).map_err(|e| JobError::Permanent(format!("bad job payload: {e}")))
    }

    /// The checkpoint an earlier attempt saved, if any.
    pub fn checkpoint<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.job.checkpoint.as_deref().and_then(|text| serde_json::from_str(text).ok())
    }

    /// Reports progress in percent; fails with `Cancelled` if the owner asked to stop.
    pub async fn progress(&self, percent: u8) -> Result<(), JobError> {
        let mut conn = self.db.pool.acquire().await.map_err(retryable)?;
        store::jobs::set_progress(&mut conn, &self.job.id, &self.worker_id, i64::from(percent.min(100)), ids::now_ms()).await.map_err(retryable)?;
        if store::jobs::cancel_requested(&mut conn, &self.job.id).await.map_err(retryable)? {
            return Err(JobError::Cancelled);
        }
        Ok(())
    }

    pub async fn save_checkpoint<T: serde::Serialize>(&self, checkpoint: &T) -> Result<(), JobError> {
        let text = serde_json::to_string(checkpoint).map_err(|e| JobError::Permanent(e.to_string()))?;
        let mut conn = self.db.pool.acquire().await.map_err(retryable)?;
        store::jobs::save_checkpoint(&mut conn, &self.job.id, &self.worker_id, &text).await.map_err(retryable)
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

/// A retryable error carrying `error`'s message (a database or file system hiccup).
pub fn retryable(error: impl std::fmt::Display) -> JobError {
    JobError::Retryable(error.to_string())
}

/// How a job ended for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobEnd {
    Completed,
    Failed,
    Cancelled,
}

/// One kind of job. `run` returns the result stored on the job (JSON).
pub trait JobHandler: Send + Sync + 'static {
    fn kind(&self) -> &'static str;
    fn run(&self, context: JobContext) -> BoxFuture<'_, Result<serde_json::Value, JobError>>;

    /// Called once a job of this kind has ended for good (not after an attempt that will be
    /// tried again), its end already recorded.
    fn ended<'a>(&'a self, _job_id: &'a str, _end: JobEnd) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }
}

/// The handlers this process can run, by kind.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: BTreeMap<&'static str, Arc<dyn JobHandler>>,
}

impl Registry {
    pub fn with(mut self, handler: impl JobHandler) -> Self {
        self.handlers.insert(handler.kind(), Arc::new(handler));
        self
    }

    pub fn kinds(&self) -> Vec<&'static str> {
        self.handlers.keys().copied().collect()
    }

    pub fn get(&self, kind: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.get(kind).cloned()
    }
}

/// How many times a job runs before it is failed for good.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 3;

/// Puts a job on the queue. With an idempotency key the owner used before, returns the job
/// made then (the bool is false) and enqueues nothing.
pub async fn enqueue(
    conn: &mut store::Conn,
    kind: &str,
    owner_id: Option<&str>,
    payload: &impl serde::Serialize,
    idempotency_key: Option<&str>,
) -> Result<(JobRow, bool), AppError> {
    insert(conn, kind, owner_id, payload, DEFAULT_MAX_ATTEMPTS, idempotency_key).await
}

/// Puts a job on the queue that runs up to `max_attempts` times (with backoff) before it fails.
pub async fn enqueue_tries(
    conn: &mut store::Conn,
    kind: &str,
    owner_id: Option<&str>,
    payload: &impl serde::Serialize,
    max_attempts: i64,
) -> Result<JobRow, AppError> {
    Ok(insert(conn, kind, owner_id, payload, max_attempts, None).await?.0)
}

async fn insert(
    conn: &mut store::Conn,
    kind: &str,
    owner_id: Option<&str>,
    payload: &impl serde::Serialize,
    max_attempts: i64,
    idempotency_key: Option<&str>,
) -> Result<(JobRow, bool), AppError> {
    let payload = serde_json::to_string(payload).map_err(|e| AppError::Internal(e.into()))?;
    let id = ids::new_id("job");
    let job = store::jobs::NewJob { id: &id, kind, owner_id, payload: &payload, max_attempts, idempotency_key, now: ids::now_ms() };
    Ok(store::jobs::insert(conn, &job).await?)
}
