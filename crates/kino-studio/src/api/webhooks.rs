//! `/api/v1/webhooks`.

use kino_core::api::{CreateWebhookEndpoint, WebhookDeliveryList, WebhookEndpointCreated, WebhookEndpointList};

use super::{ApiError, delete, get, post, request, request_empty};

pub async fn list() -> Result<WebhookEndpointList, ApiError> {
    request(get("/webhooks").build()).await
}

pub async fn create(body: &CreateWebhookEndpoint) -> Result<WebhookEndpointCreated, ApiError> {
    request(post("/webhooks").json(body)).await
}

pub async fn delete_endpoint(id: &str) -> Result<(), ApiError> {
    request_empty(delete(&format!("/webhooks/{id}")).build()).await
}

pub async fn deliveries(id: &str) -> Result<WebhookDeliveryList, ApiError> {
    request(get(&format!("/webhooks/{id}/deliveries")).build()).await
}
