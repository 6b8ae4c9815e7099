//! `/api/v1/webhooks`: register, list and delete webhook endpoints, and read an endpoint's
//! delivery log.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use kino_core::api::{CreateWebhookEndpoint, WebhookDeliveryList, WebhookEndpointCreated, WebhookEndpointList};

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::webhooks;
use crate::error::AppError;
use crate::extract::Json;
use crate::store;

/// Deliveries an endpoint's log shows.
const LOG_LENGTH: i64 = 50;

pub async fn list(State(state): State<AppState>, current: CurrentUser) -> Result<Json<WebhookEndpointList>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let endpoints = store::webhooks::endpoints_of(&mut conn, &current.user.id).await?;
    Ok(Json(WebhookEndpointList { endpoints: endpoints.iter().map(|row| row.endpoint()).collect() }))
}

#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(request): Json<CreateWebhookEndpoint>,
) -> Result<(StatusCode, Json<WebhookEndpointCreated>), AppError> {
    let url = webhooks::parse_url(&request.url, state.config.webhooks.to_private_addresses)?;
    let events = webhooks::parse_events(request.events.as_deref())?;
    let mut tx = state.db.pool.begin().await?;
    let created = webhooks::create(&mut tx, &current.user.id, url, events).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[tracing::instrument(skip_all)]
pub async fn delete(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<StatusCode, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    if !store::webhooks::delete_endpoint(&mut conn, &current.user.id, &id).await? {
        return Err(not_found(&id));
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn deliveries(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<Json<WebhookDeliveryList>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    match store::webhooks::find_endpoint(&mut conn, &id).await? {
        Some(endpoint) if endpoint.user_id == current.user.id => {}
        _ => return Err(not_found(&id)),
    }
    let deliveries = store::webhooks::deliveries_to(&mut conn, &id, LOG_LENGTH).await?;
    Ok(Json(WebhookDeliveryList { deliveries: deliveries.iter().map(|row| row.delivery()).collect() }))
}

fn not_found(id: &str) -> AppError {
    AppError::not_found("webhook_endpoint_not_found", format!("you have no webhook endpoint {id}"))
}
