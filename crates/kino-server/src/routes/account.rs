//! `/api/v1/account`: sign up, read, change the password, delete.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kino_core::api::{Account, ChangePassword, DeleteAccount, SignUp};

use crate::app::AppState;
use crate::auth::{self, Credential, CurrentUser};
use crate::domain::accounts::{self, SignUpVia};
use crate::error::AppError;
use crate::extract::Json;
use crate::ids;

#[tracing::instrument(skip_all)]
pub async fn create(State(state): State<AppState>, Json(request): Json<SignUp>) -> Result<(StatusCode, HeaderMap, Json<Account>), AppError> {
    let today = ids::today();
    let user = accounts::sign_up(&state.db, &state.config.accounts, request, SignUpVia::Public, today).await?;
    let mut conn = state.db.pool.acquire().await?;
    let cookie = auth::start_session(&mut conn, &user.id, state.config.secure_cookies).await?;
    Ok((StatusCode::CREATED, auth::set_cookie_headers(cookie), Json(user.to_account(today)?)))
}

pub async fn show(current: CurrentUser) -> Result<Json<Account>, AppError> {
    Ok(Json(current.user.to_account(ids::today())?))
}

#[tracing::instrument(skip_all)]
pub async fn change_password(State(state): State<AppState>, current: CurrentUser, Json(request): Json<ChangePassword>) -> Result<StatusCode, AppError> {
    let keep = match &current.credential {
        Credential::Session(hash) => Some(hash.as_str()),
        Credential::ApiKey => None,
    };
    accounts::change_password(&state.db, &current.user, &request.current_password, request.new_password.expose(), keep).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[tracing::instrument(skip_all)]
pub async fn delete(State(state): State<AppState>, current: CurrentUser, Json(request): Json<DeleteAccount>) -> Result<(StatusCode, HeaderMap), AppError> {
    accounts::delete_account(&state.db, &state.blobs, &current.user, &request.password).await?;
    let cookie = auth::clear_session_cookie(state.config.secure_cookies)?;
    Ok((StatusCode::NO_CONTENT, auth::set_cookie_headers(cookie)))
}
