//! Request and response bodies of the HTTP API (`/api/v1/...` for the studio, `/v1/...` for
//! developers). The server and the studio both use these definitions.

use serde::{Deserialize, Serialize};

use crate::Email;

/// `GET /api/v1/health`: is this instance able to serve?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"` when every part below is healthy, `"degraded"` otherwise.
    pub status: HealthStatus,
    /// The server's crate version.
    pub version: String,
    pub database: DatabaseHealth,
    pub models: ModelsHealth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    Degraded,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatabaseHealth {
    /// `"sqlite"` or `"postgres"`.
    pub backend: String,
    /// A round trip (`SELECT 1`) succeeded just now.
    pub reachable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelsHealth {
    /// Names of the generation models this server has loaded and can run.
    pub loaded: Vec<String>,
}

/// `POST /api/v1/waitlist`: ask to be told when an invite is free.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinWaitlist {
    pub email: Email,
}

/// The answer to [`JoinWaitlist`]; joining twice is not an error and keeps the first place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitlistPlace {
    pub email: Email,
    /// 1-based position among people still waiting.
    pub position: u64,
    /// `false` when this address was already on the list.
    pub newly_added: bool,
}

/// Every error the API returns has this shape (the one OpenAI's API uses, so that its
/// clients understand Kino's errors too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// For people: what went wrong and, where it helps, what to do.
    pub message: String,
    /// The class of error, e.g. `invalid_request_error`, `not_found_error`, `server_error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The request field at fault, when there is one.
    pub param: Option<String>,
    /// A stable machine code, e.g. `invalid_json`, `unknown_route`.
    pub code: String,
}
