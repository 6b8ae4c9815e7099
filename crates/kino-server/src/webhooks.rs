//! The `webhook` job: one event POSTed to one endpoint, signed, retried with the queue's
//! backoff until the endpoint answers 2xx or the attempts run out; every attempt is logged on
//! the delivery. The host is resolved here and the request pinned to the addresses checked, so
//! a name that points at a private address is refused even if it changes between the check and
//! the request.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kino_core::api::DeliveryState;

use crate::app::AppState;
use crate::domain::webhooks::{self, DELIVER, DeliveryPayload};
use crate::error::AppError;
use crate::ids;
use crate::jobs::{JobContext, JobError, JobHandler, retryable};
use crate::store;
use crate::store::webhooks::{DeliveryRow, EndpointRow};

/// Queues the webhooks of the video job `job_id` made, now that it has ended, and wakes the
/// workers to send them.
pub async fn video_ended(state: &AppState, job_id: &str) -> Result<(), AppError> {
    let mut tx = state.db.pool.begin().await?;
    let Some(video) = store::videos::find_by_job(&mut tx, job_id).await? else {
        return Ok(());
    };
    let queued = webhooks::announce(&mut tx, &video).await?;
    tx.commit().await?;
    if queued > 0 {
        state.wake.notify_waiters();
    }
    Ok(())
}

/// How long an endpoint has to answer one attempt.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct DeliverHandler {
    pub state: AppState,
}

impl JobHandler for DeliverHandler {
    fn kind(&self) -> &'static str {
        DELIVER
    }

    fn run(&self, context: JobContext) -> BoxFuture<'_, Result<serde_json::Value, JobError>> {
        async move { self.deliver(context).await }.boxed()
    }
}

/// Why an attempt did not deliver.
enum Missed {
    /// The endpoint could not be reached or answered other than 2xx: worth trying again.
    Again { status: Option<u16>, error: String },
    /// Trying again cannot help (the host is private, the URL unusable).
    Never(String),
}

impl DeliverHandler {
    async fn deliver(&self, context: JobContext) -> Result<serde_json::Value, JobError> {
        let payload: DeliveryPayload = context.payload()?;
        let (delivery, endpoint) = {
            let mut conn = self.state.db.pool.acquire().await.map_err(retryable)?;
            let delivery = store::webhooks::find_delivery(&mut conn, &payload.delivery_id).await.map_err(retryable)?;
            let Some(delivery) = delivery else {
                return Err(JobError::Permanent("the endpoint was deleted".to_owned()));
            };
            let endpoint = store::webhooks::find_endpoint(&mut conn, &delivery.endpoint_id).await.map_err(retryable)?;
            let Some(endpoint) = endpoint else {
                return Err(JobError::Permanent("the endpoint was deleted".to_owned()));
            };
            (delivery, endpoint)
        };
        let last_attempt = context.job.attempts >= context.job.max_attempts;
        let missed = match self.post(&endpoint, &delivery).await {
            Ok(status) => {
                self.record(&delivery.id, DeliveryState::Delivered, Some(status), None).await?;
                return Ok(serde_json::json!({ "status": status }));
            }
            Err(missed) => missed,
        };
        match missed {
            Missed::Again { status, error } => {
                let state = if last_attempt { DeliveryState::Failed } else { DeliveryState::Pending };
                self.record(&delivery.id, state, status, Some(&error)).await?;
                Err(JobError::Retryable(error))
            }
            Missed::Never(error) => {
                self.record(&delivery.id, DeliveryState::Failed, None, Some(&error)).await?;
                Err(JobError::Permanent(error))
            }
        }
    }

    async fn record(&self, id: &str, state: DeliveryState, status: Option<u16>, error: Option<&str>) -> Result<(), JobError> {
        let mut conn = self.state.db.pool.acquire().await.map_err(retryable)?;
        store::webhooks::record_attempt(&mut conn, id, state, status, error, ids::now_ms()).await.map_err(retryable)
    }

    /// One attempt: the 2xx status it was answered with, or why it missed.
    async fn post(&self, endpoint: &EndpointRow, delivery: &DeliveryRow) -> Result<u16, Missed> {
        let url = reqwest::Url::parse(&endpoint.url).map_err(|e| Missed::Never(format!("the URL cannot be used: {e}")))?;
        let (Some(host), Some(port)) = (url.host_str().map(str::to_owned), url.port_or_known_default()) else {
            return Err(Missed::Never("the URL has no host".to_owned()));
        };
        let bare = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let addresses: Vec<SocketAddr> = tokio::net::lookup_host((bare.as_str(), port))
            .await
            .map_err(|e| Missed::Again { status: None, error: format!("{host} could not be resolved: {e}") })?
            .collect();
        if !self.state.config.webhooks.to_private_addresses
            && let Some(private) = addresses.iter().find(|a| !webhooks::is_public(a.ip()))
        {
            return Err(Missed::Never(format!("{host} resolves to the private address {}; webhooks go to public hosts", private.ip())));
        }
        let client = reqwest::Client::builder()
            .timeout(ATTEMPT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .resolve_to_addrs(&bare, &addresses)
            .build()
            .map_err(|e| Missed::Again { status: None, error: e.to_string() })?;
        let timestamp = ids::now_ms() / 1000;
        let signature = webhooks::signature(&endpoint.secret, &delivery.id, timestamp, &delivery.body).map_err(Missed::Never)?;
        let answer = client
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", concat!("Kino-Webhooks/", env!("CARGO_PKG_VERSION")))
            .header("webhook-id", &delivery.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.body.clone())
            .send()
            .await
            .map_err(|e| Missed::Again { status: None, error: format!("the endpoint could not be reached: {e}") })?;
        let status = answer.status().as_u16();
        if answer.status().is_success() { Ok(status) } else { Err(Missed::Again { status: Some(status), error: format!("the endpoint answered {status}") }) }
    }
}
