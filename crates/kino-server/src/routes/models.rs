//! `GET /api/v1/models` (the studio's list) and `GET /v1/models` (OpenAI's): the models this
//! server offers; `GET /api/v1/models/{id}/preview` and `…/files/{name}`: what the browser
//! downloads to preview one in the page.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kino_core::api::{ModelChoice, ModelList, OpenAiModel, OpenAiModelList, PreviewManifest};
use kino_core::models::{ModelSpec, Tier, default_among};

use crate::app::AppState;
use crate::error::AppError;
use crate::extract::Json;

pub async fn list(State(state): State<AppState>) -> Json<ModelList> {
    let offered = &state.config.models;
    let default = default_among(offered).id;
    let models = offered
        .iter()
        .map(|model| ModelChoice {
            id: model.id.to_owned(),
            description: model.description.to_owned(),
            pro: model.tier == Tier::Pro,
            sizes: model.sizes.iter().map(|s| (*s).to_owned()).collect(),
            seconds: model.seconds.iter().map(|s| (*s).to_owned()).collect(),
            version: model.version,
            legacy: model.legacy,
            default: model.id == default,
        })
        .collect();
    Json(ModelList { models })
}

/// OpenAI's list: every model this server runs, then every other name a request may use for
/// one of them (OpenAI's own, so existing code finds the names it sends).
pub async fn openai_list(State(state): State<AppState>) -> Json<OpenAiModelList> {
    let config = &state.config;
    let entry = |id: &str, model: &ModelSpec| OpenAiModel { id: id.to_owned(), object: "model".into(), created: model.released, owned_by: "kino".into() };
    let aliases = config.answered_aliases().map(|alias| entry(&alias.name, alias.model));
    let data = config.models.iter().map(|model| entry(model.id, model)).chain(aliases).collect();
    Json(OpenAiModelList { object: "list".into(), data })
}

/// `id` if this server offers it.
fn offered(state: &AppState, id: &str) -> Result<&'static ModelSpec, AppError> {
    state.config.models.iter().copied().find(|m| m.id == id).ok_or_else(|| AppError::not_found("unknown_model", format!("this server runs no model `{id}`")))
}

pub async fn preview(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<PreviewManifest>, AppError> {
    let spec = offered(&state, &id)?;
    let models = state.models.clone();
    let manifest =
        tokio::task::spawn_blocking(move || models.preview_manifest(spec)).await.map_err(|e| anyhow::anyhow!("hashing the weights stopped: {e}"))??;
    Ok(Json(manifest))
}

/// A preview weight file, with its SHA-256 as the ETag: the browser revalidates and gets a 304
/// until the weights change.
pub async fn file(State(state): State<AppState>, Path((id, name)): Path<(String, String)>, headers: HeaderMap) -> Result<Response, AppError> {
    let spec = offered(&state, &id)?;
    let path = state.models.preview_file(spec, &name).ok_or_else(|| AppError::not_found("unknown_file", format!("{id} has no preview file `{name}`")))?;
    let models = state.models.clone();
    let hashed = path.clone();
    let (_, sha256) = tokio::task::spawn_blocking(move || models.hash(&hashed))
        .await
        .map_err(|e| anyhow::anyhow!("hashing {name} stopped: {e}"))?
        .map_err(|e| AppError::Unavailable { code: "model_unavailable", message: format!("{id}'s {name}: {e}") })?;
    let etag = HeaderValue::from_str(&format!("\"{sha256}\"")).map_err(|e| anyhow::anyhow!("{e}"))?;
    let cache = HeaderValue::from_static("public, no-cache");
    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v == etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag), (header::CACHE_CONTROL, cache)]).into_response());
    }
    let bytes = tokio::fs::read(&path).await.map_err(|e| AppError::Unavailable { code: "model_unavailable", message: format!("{id}'s {name}: {e}") })?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")), (header::ETAG, etag), (header::CACHE_CONTROL, cache)], bytes)
        .into_response())
}
