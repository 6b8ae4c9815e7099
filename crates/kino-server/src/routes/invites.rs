//! `/api/v1/invites`: the invites I can give and have given.

use axum::extract::State;
use axum::http::StatusCode;
use kino_core::api::{Invite, InviteList};

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::invites;
use crate::error::AppError;
use crate::extract::Json;

pub async fn list(State(state): State<AppState>, current: CurrentUser) -> Result<Json<InviteList>, AppError> {
    Ok(Json(invites::list(&state.db, &current.user.id).await?))
}

pub async fn create(State(state): State<AppState>, current: CurrentUser) -> Result<(StatusCode, Json<Invite>), AppError> {
    Ok((StatusCode::CREATED, Json(invites::create(&state.db, &current.user).await?)))
}
