//! `POST /api/v1/verify`.

use kino_core::api::VerifyResult;

use super::{ApiError, post, request};

/// Sends the file's bytes to be checked; the server keeps nothing.
pub async fn verify(bytes: &[u8]) -> Result<VerifyResult, ApiError> {
    let body = js_sys::Uint8Array::from(bytes);
    request(post("/verify").header("content-type", "video/mp4").body(body)).await
}
