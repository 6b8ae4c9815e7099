//! The worker loop: claim a job, keep its lease alive while the handler runs, record how it
//! ended. Several loops may run in one process and many processes on one Postgres.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tracing::Instrument;

use super::{JobContext, JobEnd, JobError, Registry};
use crate::db::Db;
use crate::{ids, store};

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Jobs run at once in this process.
    pub concurrency: usize,
    /// How long a claim lasts without renewal; a dead worker's jobs wait this long.
    pub lease: Duration,
    /// How often an idle worker looks for work (it is also woken when this process enqueues).
    pub poll: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self { concurrency: 1, lease: Duration::from_secs(30), poll: Duration::from_millis(500) }
    }
}

#[derive(Clone)]
pub struct Worker {
    db: Db,
    registry: Registry,
    settings: WorkerSettings,
    /// Woken by `enqueue` in this process so new work starts without waiting for a poll.
    pub wake: Arc<Notify>,
}

impl Worker {
    pub fn new(db: Db, registry: Registry, settings: WorkerSettings) -> Self {
        Self { db, registry, settings, wake: Arc::new(Notify::new()) }
    }

    /// Runs `concurrency` loops until the future is dropped.
    pub async fn run(self) {
        let loops = (0..self.settings.concurrency.max(1)).map(|n| {
            let worker = self.clone();
            let worker_id = format!("{}-{n}", ids::new_id("worker"));
            tokio::spawn(async move { worker.run_loop(worker_id).await })
        });
        futures_util::future::join_all(loops).await;
    }

    async fn run_loop(&self, worker_id: String) {
        let kinds = self.registry.kinds();
        loop {
            let now = ids::now_ms();
            let lease_until = now + self.settings.lease.as_millis() as i64;
            match store::jobs::claim(&self.db, &kinds, &worker_id, now, lease_until).await {
                Ok(Some(job)) => self.run_job(&worker_id, job).await,
                Ok(None) => {
                    tokio::select! {
                        () = self.wake.notified() => {},
                        () = tokio::time::sleep(self.settings.poll) => {},
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "claiming a job");
                    tokio::time::sleep(self.settings.poll * 4).await;
                }
            }
        }
    }

    async fn run_job(&self, worker_id: &str, job: store::jobs::JobRow) {
        let span = tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
        async move {
            let (id, kind, attempts, max_attempts) = (job.id.clone(), job.kind.clone(), job.attempts, job.max_attempts);
            let outcome = if attempts > max_attempts {
                let last = job.error.clone().unwrap_or_default();
                Err(JobError::Permanent(format!("gave up after {max_attempts} attempts: {last}")))
            } else if let Some(handler) = self.registry.get(&job.kind) {
                let context = JobContext { job, db: self.db.clone(), worker_id: worker_id.to_owned() };
                tokio::select! {
                    outcome = handler.run(context) => outcome,
                    () = self.keep_lease(&id, worker_id) => Err(JobError::Retryable("the lease was lost".to_owned())),
                }
            } else {
                Err(JobError::Permanent(format!("no handler for jobs of kind {}", job.kind)))
            };
            match self.record(worker_id, &id, attempts, max_attempts, outcome).await {
                Ok(Some(end)) => {
                    if let Some(handler) = self.registry.get(&kind) {
                        handler.ended(&id, end).await;
                    }
                }
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "recording how a job ended"),
            }
        }
        .instrument(span)
        .await
    }

    /// Renews the lease at a third of its length; returns only if it was lost.
    async fn keep_lease(&self, id: &str, worker_id: &str) {
        let every = self.settings.lease / 3;
        loop {
            tokio::time::sleep(every).await;
            let lease_until = ids::now_ms() + self.settings.lease.as_millis() as i64;
            let renewed = match self.db.pool.acquire().await {
                Ok(mut conn) => store::jobs::renew_lease(&mut conn, id, worker_id, lease_until).await,
                Err(error) => Err(error),
            };
            match renewed {
                Ok(true) => {}
                Ok(false) => return,
                Err(error) => tracing::warn!(%error, "renewing a lease"),
            }
        }
    }

    async fn record(
        &self,
        worker_id: &str,
        id: &str,
        attempts: i64,
        max_attempts: i64,
        outcome: Result<serde_json::Value, JobError>,
    ) -> Result<Option<JobEnd>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let now = ids::now_ms();
        // `finish` is false when this worker no longer holds the job (its lease ran out and
        // another took it): that one records the end.
        let end = match outcome {
            Ok(result) => {
                tracing::info!("completed");
                store::jobs::finish(&mut conn, id, worker_id, "completed", Some(&result.to_string()), None, now).await?.then_some(JobEnd::Completed)
            }
            Err(JobError::Cancelled) => {
                tracing::info!("cancelled");
                store::jobs::finish(&mut conn, id, worker_id, "cancelled", None, None, now).await?.then_some(JobEnd::Cancelled)
            }
            Err(JobError::Retryable(message)) if attempts < max_attempts => {
                // Exponential backoff: 2 s, 4 s, 8 s, ...
                let delay = 1000 * (1_i64 << attempts.clamp(1, 10));
                store::jobs::retry_later(&mut conn, id, worker_id, &message, now + delay, now).await?;
                tracing::warn!(%message, delay_ms = delay, "will retry");
                None
            }
            Err(JobError::Retryable(message) | JobError::Permanent(message)) => {
                tracing::warn!(%message, "failed");
                store::jobs::finish(&mut conn, id, worker_id, "failed", None, Some(&message), now).await?.then_some(JobEnd::Failed)
            }
        };
        Ok(end)
    }
}
