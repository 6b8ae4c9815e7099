//! Request and response bodies of the HTTP API (`/api/v1/...` for the studio, `/v1/...` for
//! developers). The server and the studio both use these definitions.

use serde::{Deserialize, Serialize};

mod accounts;
mod health;
mod videos;
mod waitlist;
mod webhooks;

pub use accounts::*;
pub use health::*;
pub use videos::*;
pub use waitlist::*;
pub use webhooks::*;

/// Every error the API returns has this shape (the one OpenAI's API uses, so that its
/// clients understand Kino's errors too).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
