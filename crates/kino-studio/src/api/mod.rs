//! The only place that calls Kino's server. [`request`] sends, checks the status and turns
//! error bodies into [`ApiError`]; one small module per resource holds one function per endpoint.

use gloo_net::http::{Request, RequestBuilder};
use kino_core::api::ErrorBody;
use serde::de::DeserializeOwned;

pub mod health;
pub mod waitlist;

/// The studio is served by the API's own server, so paths are relative to the page's origin.
const API_ROOT: &str = "/api/v1";

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

/// Sends a built request and decodes a success body as `T` or an error body as [`ApiError`].
pub async fn request<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> Result<T, ApiError> {
    let network = |error: gloo_net::Error| ApiError::Network(error.to_string());
    let response = request.map_err(network)?.send().await.map_err(network)?;
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(network);
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError::Server {
            status,
            code: body.error.code,
            param: body.error.param,
            message: body.error.message,
        }),
        Err(_) => Err(ApiError::Network(format!("the server answered {status} {}", response.status_text()))),
    }
}
