//! `GET /api/v1/instance`.

use kino_core::api::InstanceInfo;

use super::{ApiError, get, request};

pub async fn show() -> Result<InstanceInfo, ApiError> {
    request(get("/instance").build()).await
}
