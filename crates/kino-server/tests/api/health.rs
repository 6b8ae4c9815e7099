use kino_core::api::{Health, HealthStatus};

use crate::helpers::{expect_error, spawn_app};

#[tokio::test]
async fn health_reports_version_database_and_models() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.status, HealthStatus::Ok);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    let expected = if app.database_url.starts_with("postgres") { "postgres" } else { "sqlite" };
    assert_eq!(health.database.backend, expected);
    assert!(health.database.reachable);
    assert!(health.models.loaded.is_empty());
}

#[tokio::test]
async fn unknown_api_routes_get_a_json_404() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/v1/no-such-thing")).send().await.unwrap();
    let body = expect_error(response, 404).await;
    assert_eq!(body.error.code, "unknown_route");
    assert_eq!(body.error.kind, "not_found_error");
    assert_eq!(body.error.message, "there is no API endpoint at /api/v1/no-such-thing");
}

#[tokio::test]
async fn a_wrong_method_gets_a_json_405() {
    let app = spawn_app().await;
    let response = app.client.delete(app.url("/api/v1/health")).send().await.unwrap();
    let body = expect_error(response, 405).await;
    assert_eq!(body.error.code, "method_not_allowed");
    assert_eq!(body.error.message, "/api/v1/health does not accept DELETE");
}
