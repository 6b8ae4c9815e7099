//! The only place that calls Kino's server. [`request`] sends, checks the status and turns
//! error bodies into [`ApiError`]; one small module per resource holds one function per endpoint.

use gloo_net::http::{Request, RequestBuilder};
use kino_core::api::ErrorBody;
use serde::de::DeserializeOwned;

pub mod account;
pub mod api_keys;
pub mod health;
pub mod instance;
pub mod invites;
pub mod posts;
pub mod session;
pub mod users;
pub mod verify;
pub mod videos;
pub mod waitlist;
pub mod webhooks;

/// The studio is served by the API's own server, so paths are relative to the page's origin.
pub(crate) const API_ROOT: &str = "/api/v1";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error; `message` is the server's own words.
    #[error("{message}")]
    Server { status: u16, code: String, param: Option<String>, message: String },
    /// No answer, or an answer that is not what this version of the studio expects.
    #[error("cannot reach the Kino server: {0}")]
    Network(String),
}

fn url(path: &str) -> String {
    format!("{API_ROOT}{path}")
}

pub fn get(path: &str) -> RequestBuilder {
    Request::get(&url(path))
}

pub fn post(path: &str) -> RequestBuilder {
    Request::post(&url(path))
}

pub fn put(path: &str) -> RequestBuilder {
    Request::put(&url(path))
}

pub fn delete(path: &str) -> RequestBuilder {
    Request::delete(&url(path))
}

impl ApiError {
    /// The request field the server blamed, if any.
    pub fn param(&self) -> Option<&str> {
        match self {
            Self::Server { param, .. } => param.as_deref(),
            Self::Network(_) => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Server { status, .. } => Some(*status),
            Self::Network(_) => None,
        }
    }
}

fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}

/// Sends a built request and decodes a success body as `T` or an error body as [`ApiError`].
pub async fn request<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> Result<T, ApiError> {
    let response = send(request).await?;
    response.json::<T>().await.map_err(network)
}

/// Sends a request whose success has no body (204).
pub async fn request_empty(request: Result<Request, gloo_net::Error>) -> Result<(), ApiError> {
    send(request).await.map(|_| ())
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<gloo_net::http::Response, ApiError> {
    let response = request.map_err(network)?.send().await.map_err(network)?;
    let status = response.status();
    if response.ok() {
        return Ok(response);
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError::Server { status, code: body.error.code, param: body.error.param, message: body.error.message }),
        Err(_) => Err(ApiError::Network(format!("the server answered {status} {}", response.status_text()))),
    }
}
