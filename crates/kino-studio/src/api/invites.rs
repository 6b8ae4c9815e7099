//! `/api/v1/invites`.

use kino_core::api::{Invite, InviteList};

use super::{ApiError, get, post, request};

pub async fn list() -> Result<InviteList, ApiError> {
    request(get("/invites").build()).await
}

pub async fn create() -> Result<Invite, ApiError> {
    request(post("/invites").build()).await
}
