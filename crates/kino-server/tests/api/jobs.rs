//! The job queue against a real database: completion, idempotency, retries, cancellation,
//! recovery from a dead worker, and no job run twice at once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use kino_server::db::Db;
use kino_server::jobs::{self, JobContext, JobError, JobHandler, Registry, Worker, WorkerSettings};
use kino_server::{ids, store};
use serde_json::{Value, json};

use crate::helpers::fresh_db;

/// Test work: counts its runs; fails as the payload says; stops for cancellation.
#[derive(Clone, Default)]
struct Counting {
    runs: Arc<Mutex<Vec<String>>>,
}

impl JobHandler for Counting {
    fn kind(&self) -> &'static str {
        "count"
    }

    fn run(&self, context: JobContext) -> BoxFuture<'_, Result<Value, JobError>> {
        Box::pin(async move {
            self.runs.lock().unwrap().push(context.job.id.clone());
            let payload: Value = context.payload()?;
            let attempt = context.job.attempts;
            if payload["fail_attempts"].as_i64().is_some_and(|n| attempt <= n) {
                return Err(JobError::Retryable(format!("attempt {attempt} failed on purpose")));
            }
            if payload["permanent"].as_bool() == Some(true) {
                return Err(JobError::Permanent("this input can never work".into()));
            }
            let resumed_from: Option<i64> = context.checkpoint();
            for step in resumed_from.unwrap_or(0)..payload["steps"].as_i64().unwrap_or(1) {
                context.save_checkpoint(&(step + 1)).await?;
                context.progress(((step + 1) * 100 / payload["steps"].as_i64().unwrap_or(1)) as u8).await?;
                tokio::time::sleep(Duration::from_millis(payload["step_ms"].as_u64().unwrap_or(0))).await;
            }
            Ok(json!({ "attempt": attempt, "resumed_from": resumed_from }))
        })
    }
}

fn fast() -> WorkerSettings {
    WorkerSettings { concurrency: 2, lease: Duration::from_millis(600), poll: Duration::from_millis(20) }
}

async fn enqueue(db: &Db, payload: Value, key: Option<&str>) -> store::jobs::JobRow {
    let mut conn = db.pool.acquire().await.unwrap();
    jobs::enqueue(&mut conn, "count", None, &payload, key).await.unwrap().0
}

async fn job(db: &Db, id: &str) -> store::jobs::JobRow {
    let mut conn = db.pool.acquire().await.unwrap();
    store::jobs::find(&mut conn, id).await.unwrap().unwrap()
}

/// Waits (bounded) until the job reaches a final state.
async fn settled(db: &Db, id: &str) -> store::jobs::JobRow {
    for _ in 0..500 {
        let row = job(db, id).await;
        if ["completed", "failed", "cancelled"].contains(&row.state.as_str()) {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("job {id} did not settle: {:?}", job(db, id).await);
}

fn start(db: &Db, handler: Counting, settings: WorkerSettings) -> tokio::task::JoinHandle<()> {
    tokio::spawn(Worker::new(db.clone(), Registry::default().with(handler), settings).run())
}

#[tokio::test]
async fn jobs_complete_with_progress_and_results() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let handler = Counting::default();
    let queued = enqueue(&db, json!({ "steps": 4 }), None).await;
    assert_eq!((queued.state.as_str(), queued.progress), ("queued", 0));
    let worker = start(&db, handler.clone(), fast());
    let done = settled(&db, &queued.id).await;
    worker.abort();
    assert_eq!((done.state.as_str(), done.progress, done.attempts), ("completed", 100, 1));
    assert_eq!(serde_json::from_str::<Value>(done.result.as_deref().unwrap()).unwrap()["attempt"], 1);
    assert!(done.completed_at.is_some());
}

#[tokio::test]
async fn an_idempotency_key_enqueues_once_per_owner() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let mut conn = db.pool.acquire().await.unwrap();
    // Jobs with keys belong to someone: make two owners.
    for (id, email) in [("user_a", "a@example.org"), ("user_b", "b@example.org")] {
        sqlx::query("INSERT INTO users (id, email, handle, password_hash, birth_date, region, invites_left, created_at) VALUES ($1, $2, $1, 'x', '1990-01-01', 'DE', 0, 0)")
            .bind(id).bind(email).execute(&mut *conn).await.unwrap();
    }
    let (first, new) = jobs::enqueue(&mut conn, "count", Some("user_a"), &json!({}), Some("key-1")).await.unwrap();
    assert!(new);
    let (again, new) = jobs::enqueue(&mut conn, "count", Some("user_a"), &json!({ "other": 1 }), Some("key-1")).await.unwrap();
    assert!(!new);
    assert_eq!(again, first);
    let (other_owner, new) = jobs::enqueue(&mut conn, "count", Some("user_b"), &json!({}), Some("key-1")).await.unwrap();
    assert!(new);
    assert_ne!(other_owner.id, first.id);
}

#[tokio::test]
async fn retryable_failures_retry_and_permanent_ones_fail() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let flaky = enqueue(&db, json!({ "fail_attempts": 1 }), None).await;
    let broken = enqueue(&db, json!({ "permanent": true }), None).await;
    let hopeless = enqueue(&db, json!({ "fail_attempts": 99 }), None).await;
    let worker = start(&db, Counting::default(), fast());
    let flaky = settled(&db, &flaky.id).await;
    assert_eq!((flaky.state.as_str(), flaky.attempts), ("completed", 2));
    let broken = settled(&db, &broken.id).await;
    assert_eq!((broken.state.as_str(), broken.attempts, broken.error.as_deref()), ("failed", 1, Some("this input can never work")));
    let hopeless = settled(&db, &hopeless.id).await;
    worker.abort();
    assert_eq!((hopeless.state.as_str(), hopeless.attempts), ("failed", 3));
    assert_eq!(hopeless.error.as_deref(), Some("attempt 3 failed on purpose"));
}

#[tokio::test]
async fn cancelling_stops_queued_and_running_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let handler = Counting::default();
    let queued = enqueue(&db, json!({}), None).await;
    let mut conn = db.pool.acquire().await.unwrap();
    let cancelled = store::jobs::cancel(&mut conn, &queued.id, ids::now_ms()).await.unwrap().unwrap();
    assert_eq!(cancelled.state, "cancelled");

    let long = enqueue(&db, json!({ "steps": 100, "step_ms": 20 }), None).await;
    let worker = start(&db, handler.clone(), fast());
    while job(&db, &long.id).await.progress < 5 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    store::jobs::cancel(&mut conn, &long.id, ids::now_ms()).await.unwrap();
    let stopped = settled(&db, &long.id).await;
    worker.abort();
    assert_eq!(stopped.state, "cancelled");
    assert!(stopped.progress < 100, "{stopped:?}");
    assert_eq!(*handler.runs.lock().unwrap(), vec![long.id.clone()], "the queued job never ran");
}

#[tokio::test]
async fn a_dead_workers_job_is_resumed_from_its_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let queued = enqueue(&db, json!({ "steps": 10 }), None).await;
    // A worker claims the job, saves a checkpoint at step 6, then dies without a word.
    let now = ids::now_ms();
    let claimed = store::jobs::claim(&db, &["count"], "worker_dead", now, now + 300).await.unwrap().unwrap();
    assert_eq!(claimed.id, queued.id);
    let mut conn = db.pool.acquire().await.unwrap();
    store::jobs::save_checkpoint(&mut conn, &queued.id, "worker_dead", "6").await.unwrap();
    assert!(store::jobs::claim(&db, &["count"], "worker_other", now, now + 300).await.unwrap().is_none(), "a leased job is not claimed twice");

    let worker = start(&db, Counting::default(), fast());
    let done = settled(&db, &queued.id).await;
    worker.abort();
    assert_eq!((done.state.as_str(), done.attempts), ("completed", 2));
    let result: Value = serde_json::from_str(done.result.as_deref().unwrap()).unwrap();
    assert_eq!(result["resumed_from"], 6);
}

#[tokio::test]
async fn many_workers_never_run_a_job_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    let handler = Counting::default();
    let mut ids = Vec::new();
    for _ in 0..24 {
        ids.push(enqueue(&db, json!({ "steps": 2, "step_ms": 5 }), None).await.id);
    }
    let workers: Vec<_> = (0..3).map(|_| start(&db, handler.clone(), WorkerSettings { concurrency: 3, ..fast() })).collect();
    for id in &ids {
        assert_eq!(settled(&db, id).await.state, "completed");
    }
    workers.iter().for_each(|w| w.abort());
    let mut runs = handler.runs.lock().unwrap().clone();
    runs.sort();
    ids.sort();
    assert_eq!(runs, ids);
}
