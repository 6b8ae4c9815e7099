//! `/api/v1/session`.

use kino_core::api::{Account, SessionInfo, SignIn};

use super::{ApiError, delete, get, post, request, request_empty};

pub async fn show() -> Result<SessionInfo, ApiError> {
    request(get("/session").build()).await
}

pub async fn sign_in(body: &SignIn) -> Result<Account, ApiError> {
    request(post("/session").json(body)).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    request_empty(delete("/session").build()).await
}
