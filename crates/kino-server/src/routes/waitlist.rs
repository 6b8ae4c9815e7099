//! `POST /api/v1/waitlist`.

use axum::extract::State;
use kino_core::api::{JoinWaitlist, WaitlistPlace};

use crate::app::AppState;
use crate::error::AppError;
use crate::extract::Json;
use crate::store;

#[tracing::instrument(skip_all)]
pub async fn join(State(state): State<AppState>, Json(request): Json<JoinWaitlist>) -> Result<Json<WaitlistPlace>, AppError> {
    Ok(Json(store::waitlist::join(&state.db, &request.email).await?))
}
