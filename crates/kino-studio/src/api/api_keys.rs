//! `/api/v1/api-keys`.

use kino_core::api::{ApiKeyCreated, ApiKeyList, CreateApiKey};

use super::{ApiError, delete, get, post, request, request_empty};

pub async fn list() -> Result<ApiKeyList, ApiError> {
    request(get("/api-keys").build()).await
}

pub async fn create(body: &CreateApiKey) -> Result<ApiKeyCreated, ApiError> {
    request(post("/api-keys").json(body)).await
}

pub async fn revoke(id: &str) -> Result<(), ApiError> {
    request_empty(delete(&format!("/api-keys/{id}")).build()).await
}
