//! `/api/v1/verify` and `/api/v1/c2pa/root.pem`: anyone can check a file's provenance and
//! fetch the root certificate this Kino signs under.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use kino_core::api::VerifyResult;

use crate::app::AppState;
use crate::error::AppError;
use crate::extract::Json;
use crate::store;

/// The largest file `/verify` accepts.
pub const MAX_VERIFY_BYTES: usize = 64 * 1024 * 1024;

#[tracing::instrument(skip_all, fields(bytes = body.len()))]
pub async fn verify(State(state): State<AppState>, body: Bytes) -> Result<Json<VerifyResult>, AppError> {
    if body.is_empty() {
        return Err(AppError::invalid("empty_file", "send the video file as the request body", None));
    }
    if !is_mp4(&body) {
        return Err(AppError::invalid("not_mp4", "Kino verifies MP4 files, and this is not one", None));
    }
    Ok(Json(check(&state, body).await?))
}

/// Every MP4 starts with an `ftyp` box: its type sits at bytes 4..8.
pub fn is_mp4(bytes: &[u8]) -> bool {
    bytes.get(4..8) == Some(b"ftyp".as_slice())
}

/// The three provenance checks of an MP4, and which video of this server its watermark names.
pub async fn check(state: &AppState, body: Bytes) -> Result<VerifyResult, AppError> {
    let verifier = kino_media::Verifier::trusting(state.signing.root_pem());
    // Decoding and hashing a video is CPU work: keep it off the async threads.
    let report = tokio::task::spawn_blocking(move || kino_media::verify_bytes(&body, &verifier)).await.map_err(|error| AppError::Internal(error.into()))?;
    let known_video_id = match report.watermark.video_id.as_deref().and_then(|hex| u64::from_str_radix(hex, 16).ok()) {
        Some(id) => {
            let mut conn = state.db.pool.acquire().await?;
            store::videos::id_by_watermark(&mut conn, id as i64).await?
        }
        None => None,
    };
    Ok(VerifyResult { report, known_video_id })
}

pub async fn root_certificate(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/x-pem-file"), (header::CONTENT_DISPOSITION, "attachment; filename=\"kino-root.pem\"")],
        state.signing.root_pem().to_owned(),
    )
}
