//! `AppError`: every failure a handler can return, each with an HTTP status, a stable machine
//! code and a message for people, rendered as [`kino_core::api::ErrorBody`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kino_core::api::{ErrorBody, ErrorDetail};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed or a field is invalid (400).
    #[error("{message}")]
    InvalidRequest { code: &'static str, message: String, param: Option<String> },
    /// No valid session cookie or API key (401).
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    /// Signed in, but not allowed to do this (403).
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// No such route or resource (404).
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    /// The route exists but not with this method (405).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The request clashes with what exists, e.g. a taken handle (409).
    #[error("{message}")]
    Conflict { code: &'static str, message: String, param: Option<String> },
    /// Too many requests for now; `retry_after_s` says when to try again (429).
    #[error("{message}")]
    RateLimited { code: &'static str, message: String, retry_after_s: u64 },
    /// The server cannot do this at all right now, e.g. no model is installed (503).
    #[error("{message}")]
    Unavailable { code: &'static str, message: String },
    /// The body is larger than this endpoint accepts (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body is not JSON, or not declared as JSON (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Something on our side failed; the cause goes to the log, not to the client (500).
    #[error("something went wrong on our side; please try again")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(code: &'static str, message: impl Into<String>, param: Option<&str>) -> Self {
        Self::InvalidRequest { code, message: message.into(), param: param.map(str::to_owned) }
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthorized { code, message: message.into() }
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden { code, message: message.into() }
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::NotFound { code, message: message.into() }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>, param: Option<&str>) -> Self {
        Self::Conflict { code, message: message.into(), param: param.map(str::to_owned) }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (kind, code, param) = match self {
            Self::InvalidRequest { code, param, .. } => ("invalid_request_error", *code, param.clone()),
            Self::Unauthorized { code, .. } => ("authentication_error", *code, None),
            Self::Forbidden { code, .. } => ("permission_error", *code, None),
            Self::NotFound { code, .. } => ("not_found_error", *code, None),
            Self::MethodNotAllowed(_) => ("invalid_request_error", "method_not_allowed", None),
            Self::Conflict { code, param, .. } => ("conflict_error", *code, param.clone()),
            Self::RateLimited { code, .. } => ("rate_limit_error", *code, None),
            Self::Unavailable { code, .. } => ("server_error", *code, None),
            Self::PayloadTooLarge(_) => ("invalid_request_error", "payload_too_large", None),
            Self::UnsupportedMediaType(_) => ("invalid_request_error", "unsupported_media_type", None),
            Self::Internal(_) => ("server_error", "internal_error", None),
        };
        ErrorBody { error: ErrorDetail { message: self.to_string(), kind: kind.to_owned(), param, code: code.to_owned() } }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(error.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = ?cause, "request failed");
        }
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if let Self::RateLimited { retry_after_s, .. } = self
            && let Ok(value) = axum::http::HeaderValue::from_str(&retry_after_s.to_string())
        {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}
