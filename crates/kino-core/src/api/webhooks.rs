//! Webhooks as OpenAI's Videos API sent them: an account registers endpoints, and when one of
//! its videos is completed or fails each endpoint gets an event, signed the Standard Webhooks
//! way (`webhook-id`, `webhook-timestamp`, `webhook-signature`).

use serde::{Deserialize, Serialize};

/// The events an endpoint can ask for: OpenAI's names.
pub const WEBHOOK_EVENTS: [&str; 2] = ["video.completed", "video.failed"];

/// `POST /api/v1/webhooks`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookEndpoint {
    /// Where events are POSTed: an `https://` (or `http://`) URL.
    pub url: String,
    /// Which of `video.completed` and `video.failed` to send; both when absent.
    #[serde(default)]
    pub events: Option<Vec<String>>,
}

/// An endpoint as listed: never its secret.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// The answer to [`CreateWebhookEndpoint`]: the only time the signing secret is shown.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpointCreated {
    /// `whsec_` and the base64 of the key every event to this endpoint is signed with.
    pub secret: String,
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
}

/// `GET /api/v1/webhooks`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpointList {
    pub endpoints: Vec<WebhookEndpoint>,
}

/// Where one event's delivery to one endpoint stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not yet answered with a 2xx; tried again with backoff.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Every attempt failed; no more are made.
    Failed,
}

/// One event sent (or being sent) to one endpoint.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    /// The `webhook-id` header: the same on every attempt, so a receiver can drop repeats.
    pub id: String,
    pub event_id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub video_id: String,
    pub state: DeliveryState,
    pub attempts: u32,
    /// The HTTP status of the last attempt, if the endpoint answered at all.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last attempt.
    pub updated_at: i64,
}

/// `GET /api/v1/webhooks/{id}/deliveries`: newest first.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookDeliveryList {
    pub deliveries: Vec<WebhookDelivery>,
}

/// The body of every event POSTed to an endpoint, as OpenAI's: `{"id": "evt_…", "object":
/// "event", "created_at": …, "type": "video.completed", "data": {"id": "video_…"}}`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    pub id: String,
    pub object: String,
    /// Unix seconds.
    pub created_at: i64,
    #[serde(rename = "type")]
    pub event_type: String,
    pub data: WebhookEventData,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEventData {
    /// The video the event is about.
    pub id: String,
}
