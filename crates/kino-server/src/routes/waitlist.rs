//! `POST /api/v1/waitlist`.

use axum::extract::State;
use kino_core::api::{JoinWaitlist, WaitlistPlace};

use crate::app::AppState;
use crate::error::AppError;
use crate::extract::Json;
use crate::{ids, store};

#[tracing::instrument(skip_all)]
pub async fn join(State(state): State<AppState>, Json(request): Json<JoinWaitlist>) -> Result<Json<WaitlistPlace>, AppError> {
    let mut tx = state.db.pool.begin().await?;
    let place = store::waitlist::join(&mut tx, &request.email, ids::now_ms()).await?;
    tx.commit().await?;
    Ok(Json(place))
}
