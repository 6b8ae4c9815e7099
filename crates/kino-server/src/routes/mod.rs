//! HTTP handlers, one file per resource; each handler parses, calls the store, answers.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::OriginalUri;
use axum::http::Method;
use axum::routing::{delete, get, post, put};

use crate::app::AppState;
use crate::error::AppError;

pub mod account;
pub mod api_keys;
pub mod health;
pub mod instance;
pub mod invites;
pub mod models;
pub mod session;
pub mod studio;
pub mod users;
pub mod verify;
pub mod videos;
pub mod waitlist;

/// The developer API (OpenAI's Videos API shape), mounted at `/v1`.
pub fn developer_api() -> Router<AppState> {
    Router::new()
        .route("/videos", post(videos::create).get(videos::list))
        .route("/videos/{id}", get(videos::show).delete(videos::delete))
        .route("/videos/{id}/content", get(videos::content))
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
}

/// The studio's API, mounted at `/api/v1`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::show))
        .route("/instance", get(instance::show))
        .route("/waitlist", post(waitlist::join))
        .route("/account", post(account::create).get(account::show).delete(account::delete))
        .route("/account/password", put(account::change_password))
        .route("/session", get(session::show).post(session::create).delete(session::delete))
        .route("/invites", get(invites::list).post(invites::create))
        .route("/api-keys", get(api_keys::list).post(api_keys::create))
        .route("/api-keys/{id}", delete(api_keys::revoke))
        .route("/models", get(models::list))
        .route("/videos", post(videos::create).get(videos::list))
        .route("/videos/{id}", get(videos::show).delete(videos::delete))
        .route("/videos/{id}/content", get(videos::content))
        .route("/videos/{id}/events", get(videos::events))
        .route("/videos/{id}/cancel", post(videos::cancel))
        .route("/verify", post(verify::verify).layer(DefaultBodyLimit::max(verify::MAX_VERIFY_BYTES)))
        .route("/c2pa/root.pem", get(verify::root_certificate))
        .route("/users/{handle}", get(users::show))
        .route("/users/{handle}/follow", put(users::follow).delete(users::unfollow))
        .route("/users/{handle}/block", put(users::block).delete(users::unblock))
        .route("/users/{handle}/mute", put(users::mute).delete(users::unmute))
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn unknown_route(OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NotFound { code: "unknown_route", message: format!("there is no API endpoint at {}", uri.path()) }
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> AppError {
    AppError::MethodNotAllowed(format!("{} does not accept {method}", uri.path()))
}
