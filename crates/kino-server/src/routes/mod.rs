//! HTTP handlers, one file per resource; each handler parses, calls the store, answers.

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::Method;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::error::AppError;

pub mod health;
pub mod studio;
pub mod waitlist;

/// The studio's API, mounted at `/api/v1`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::show))
        .route("/waitlist", post(waitlist::join))
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn unknown_route(OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NotFound { code: "unknown_route", message: format!("there is no API endpoint at {}", uri.path()) }
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> AppError {
    AppError::MethodNotAllowed(format!("{} does not accept {method}", uri.path()))
}
