//! `/api/v1/users/{handle}`.

use kino_core::api::Profile;

use super::{ApiError, delete, get, put, request};

pub async fn show(handle: &str) -> Result<Profile, ApiError> {
    request(get(&format!("/users/{handle}")).build()).await
}

/// Turns `relation` ("follow", "block" or "mute") on or off.
pub async fn set_relation(handle: &str, relation: &str, on: bool) -> Result<Profile, ApiError> {
    let path = format!("/users/{handle}/{relation}");
    request(if on { put(&path) } else { delete(&path) }.build()).await
}
