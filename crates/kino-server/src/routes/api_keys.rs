//! `/api/v1/api-keys`: create, list and revoke developer keys.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use kino_core::api::{ApiKeyCreated, ApiKeyList, CreateApiKey};

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::api_keys;
use crate::error::AppError;
use crate::extract::Json;
use crate::{ids, store};

pub async fn list(State(state): State<AppState>, current: CurrentUser) -> Result<Json<ApiKeyList>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let keys = store::api_keys::list(&mut conn, &current.user.id).await?;
    Ok(Json(ApiKeyList { keys: keys.iter().map(|row| row.summary()).collect() }))
}

#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(request): Json<CreateApiKey>,
) -> Result<(StatusCode, Json<ApiKeyCreated>), AppError> {
    let name = api_keys::parse_name(&request.name)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok((StatusCode::CREATED, Json(api_keys::create(&mut conn, &current.user.id, &name).await?)))
}

#[tracing::instrument(skip_all)]
pub async fn revoke(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<StatusCode, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    if !store::api_keys::revoke(&mut conn, &current.user.id, &id, ids::now_ms()).await? {
        return Err(AppError::not_found("api_key_not_found", format!("you have no API key {id}")));
    }
    Ok(StatusCode::NO_CONTENT)
}
