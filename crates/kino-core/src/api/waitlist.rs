//! `POST /api/v1/waitlist`.

use serde::{Deserialize, Serialize};

use crate::Email;

/// `POST /api/v1/waitlist`: ask to be told when an invite is free.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinWaitlist {
    pub email: Email,
}

/// The answer to [`JoinWaitlist`]; joining twice is not an error and keeps the first place.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitlistPlace {
    pub email: Email,
    /// 1-based position among people still waiting.
    pub position: u64,
    /// `false` when this address was already on the list.
    pub newly_added: bool,
}
