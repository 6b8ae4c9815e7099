//! `GET /api/v1/instance`: how to join this instance.

use axum::extract::State;
use kino_core::api::InstanceInfo;

use crate::app::AppState;
use crate::error::AppError;
use crate::extract::Json;
use crate::store;

pub async fn show(State(state): State<AppState>) -> Result<Json<InstanceInfo>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let accounts = &state.config.accounts;
    Ok(Json(InstanceInfo {
        invite_only: accounts.invite_only,
        needs_first_admin: store::users::count(&mut conn).await? == 0,
        allowed_regions: accounts.allowed_regions.clone(),
    }))
}
