//! `GET /api/v1/health`.

use kino_core::api::Health;

use super::{ApiError, get, request};

pub async fn show() -> Result<Health, ApiError> {
    request(get("/health").build()).await
}
