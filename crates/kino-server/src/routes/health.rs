//! `GET /api/v1/health`.

use axum::extract::State;
use kino_core::api::{DatabaseHealth, Health, HealthStatus, ModelsHealth};

use crate::app::AppState;
use crate::db;
use crate::extract::Json;

#[tracing::instrument(skip_all)]
pub async fn show(State(state): State<AppState>) -> Json<Health> {
    let reachable = db::ping(&state.db).await;
    Json(Health {
        status: if reachable { HealthStatus::Ok } else { HealthStatus::Degraded },
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: DatabaseHealth { backend: state.db.backend.name().to_owned(), reachable },
        models: ModelsHealth { loaded: state.config.models.iter().map(|m| m.id.to_owned()).collect() },
    })
}
