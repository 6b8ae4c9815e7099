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
    /// The body is not JSON, or not declared as JSON (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The body is larger than this endpoint accepts (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// No such route or resource (404).
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    /// The route exists but not with this method (405).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// Something on our side failed; the cause goes to the log, not to the client (500).
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(code: &'static str, message: impl Into<String>, param: Option<&str>) -> Self {
        Self::InvalidRequest { code, message: message.into(), param: param.map(str::to_owned) }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidRequest { .. } => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (kind, code, param) = match self {
            Self::InvalidRequest { code, param, .. } => ("invalid_request_error", *code, param.clone()),
            Self::UnsupportedMediaType(_) => ("invalid_request_error", "unsupported_media_type", None),
            Self::PayloadTooLarge(_) => ("invalid_request_error", "payload_too_large", None),
            Self::NotFound { code, .. } => ("not_found_error", *code, None),
            Self::MethodNotAllowed(_) => ("invalid_request_error", "method_not_allowed", None),
            Self::Internal(_) => ("server_error", "internal_error", None),
        };
        ErrorBody {
            error: ErrorDetail { message: self.to_string(), kind: kind.to_owned(), param, code: code.to_owned() },
        }
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
        (self.status(), axum::Json(self.body())).into_response()
    }
}
