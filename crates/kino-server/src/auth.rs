//! Who is asking: passwords (argon2id), session cookies for the studio, bearer API keys for
//! developers, and the [`CurrentUser`] extractor that accepts either.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};

use crate::app::AppState;
use crate::error::AppError;
use crate::ids;
use crate::store::{self, users::UserRow};

pub const SESSION_COOKIE: &str = "kino_session";
/// How long a sign-in lasts.
pub const SESSION_DAYS: i64 = 30;
/// Every API key starts with this, so leaked keys are easy to recognise and scan for.
pub const API_KEY_PREFIX: &str = "kino_sk_";

/// Hashes a password with argon2id (OWASP parameters) off the async threads: it is slow on purpose.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|error| anyhow::anyhow!("hashing a password: {error}"))
    })
    .await?
}

/// Checks a password against a stored hash. A malformed hash counts as a mismatch.
pub async fn verify_password(password: String, stored_hash: String) -> anyhow::Result<bool> {
    Ok(tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored_hash).map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()).unwrap_or(false)
    })
    .await?)
}

/// The hash of a random password, checked when no account matches an e-mail so that a failed
/// sign-in takes as long whether or not the account exists.
static DECOY_HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// Checks a password for an account that may not exist.
pub async fn verify_sign_in(password: &str, user: Option<&UserRow>) -> anyhow::Result<bool> {
    let stored = match user {
        Some(user) => user.password_hash.clone(),
        None => DECOY_HASH.get_or_try_init(|| hash_password(ids::random_token(24))).await?.clone(),
    };
    let matches = verify_password(password.to_owned(), stored).await?;
    Ok(matches && user.is_some())
}

/// Starts a session for `user_id`; returns the `Set-Cookie` header value.
pub async fn start_session(conn: &mut store::Conn, user_id: &str, secure: bool) -> Result<HeaderValue, AppError> {
    let token = ids::random_token(32);
    let now = ids::now_ms();
    let expires_at = now + SESSION_DAYS * 24 * 3600 * 1000;
    store::sessions::insert(conn, &ids::hash_secret(&token), user_id, now, expires_at).await?;
    session_cookie(&token, SESSION_DAYS * 24 * 3600, secure)
}

/// A `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> Result<HeaderValue, AppError> {
    session_cookie("", 0, secure)
}

fn session_cookie(token: &str, max_age_seconds: i64, secure: bool) -> Result<HeaderValue, AppError> {
    // HttpOnly: scripts cannot read it. SameSite=Lax: other sites cannot send it with their
    // POSTs; together with JSON-only endpoints this closes cross-site request forgery.
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"))
        .map_err(|error| AppError::Internal(error.into()))
}

pub fn set_cookie_headers(cookie: HeaderValue) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie);
    headers
}

/// The session token from the request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// How the request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A studio session; holds the hash of its token.
    Session(String),
    ApiKey,
}

/// The signed-in user, from a bearer API key or a session cookie; 401 otherwise.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    pub credential: Credential,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let now = ids::now_ms();
        let mut conn = state.db.pool.acquire().await?;
        let (user_id, credential) = if let Some(key) = bearer_token(&parts.headers) {
            let owner = store::api_keys::use_key(&mut conn, &ids::hash_secret(key), now).await?;
            let user_id = owner.ok_or_else(|| AppError::unauthorized("invalid_api_key", "this API key is not valid: it may have been revoked or mistyped"))?;
            (user_id, Credential::ApiKey)
        } else if let Some(token) = session_token(&parts.headers) {
            let hash = ids::hash_secret(&token);
            let user_id = store::sessions::user_of(&mut conn, &hash, now)
                .await?
                .ok_or_else(|| AppError::unauthorized("session_expired", "your session has ended; please sign in again"))?;
            (user_id, Credential::Session(hash))
        } else {
            return Err(AppError::unauthorized("not_signed_in", "sign in first, or send an API key as `Authorization: Bearer kino_sk_...`"));
        };
        let user =
            store::users::find_by_id(&mut conn, &user_id).await?.ok_or_else(|| AppError::unauthorized("not_signed_in", "this account no longer exists"))?;
        Ok(Self { user, credential })
    }
}

/// `Option<CurrentUser>`: `None` for visitors without credentials or with stale ones; other
/// failures (the database) are still errors.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <Self as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(current) => Ok(Some(current)),
            Err(AppError::Unauthorized { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("correct horse battery".to_owned()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".to_owned(), hash.clone()).await.unwrap());
        assert!(!verify_password("wrong horse battery".to_owned(), hash).await.unwrap());
        assert!(!verify_password("x".to_owned(), "not a hash".to_owned()).await.unwrap());
    }

    #[tokio::test]
    async fn no_account_never_signs_in() {
        assert!(!verify_sign_in("anything at all", None).await.unwrap());
        assert!(PasswordHash::new(DECOY_HASH.get().unwrap()).is_ok());
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("theme=dark; kino_session=abc123; other=1"));
        assert_eq!(session_token(&headers).as_deref(), Some("abc123"));
        headers.insert(COOKIE, HeaderValue::from_static("kino_session="));
        assert_eq!(session_token(&headers), None);
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer kino_sk_x"));
        assert_eq!(bearer_token(&headers), Some("kino_sk_x"));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_token(&headers), None);
    }
}
