//! `/api/v1/session`: sign in and sign out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kino_core::api::{Account, SessionInfo, SignIn};

use crate::app::AppState;
use crate::auth::{self, Credential, CurrentUser};
use crate::error::AppError;
use crate::extract::Json;
use crate::{ids, store};

/// The signed-in account, or none: a visitor is not an error here.
pub async fn show(current: Option<CurrentUser>) -> Result<Json<SessionInfo>, AppError> {
    let account = current.map(|current| current.user.to_account(ids::today())).transpose()?;
    Ok(Json(SessionInfo { account }))
}

#[tracing::instrument(skip_all)]
pub async fn create(State(state): State<AppState>, Json(request): Json<SignIn>) -> Result<(HeaderMap, Json<Account>), AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let user = store::users::find_by_email(&mut conn, &request.email).await?;
    if !auth::verify_sign_in(&request.password, user.as_ref()).await? {
        return Err(AppError::unauthorized("wrong_credentials", "the e-mail or the password is not right"));
    }
    let user = user.ok_or_else(|| anyhow::anyhow!("verified sign-in without an account"))?;
    let cookie = auth::start_session(&mut conn, &user.id, state.config.secure_cookies).await?;
    Ok((auth::set_cookie_headers(cookie), Json(user.to_account(ids::today())?)))
}

#[tracing::instrument(skip_all)]
pub async fn delete(State(state): State<AppState>, current: CurrentUser) -> Result<(StatusCode, HeaderMap), AppError> {
    if let Credential::Session(hash) = &current.credential {
        let mut conn = state.db.pool.acquire().await?;
        store::sessions::delete(&mut conn, hash).await?;
    }
    let cookie = auth::clear_session_cookie(state.config.secure_cookies)?;
    Ok((StatusCode::NO_CONTENT, auth::set_cookie_headers(cookie)))
}
