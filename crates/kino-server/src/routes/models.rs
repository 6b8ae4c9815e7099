//! `GET /api/v1/models`: the models this server offers.

use axum::extract::State;
use kino_core::api::{ModelChoice, ModelList};
use kino_core::models::Tier;

use crate::app::AppState;
use crate::extract::Json;

pub async fn list(State(state): State<AppState>) -> Json<ModelList> {
    let models = state
        .config
        .models
        .iter()
        .map(|model| ModelChoice {
            id: model.id.to_owned(),
            description: model.description.to_owned(),
            pro: model.tier == Tier::Pro,
            sizes: model.sizes.iter().map(|s| (*s).to_owned()).collect(),
            seconds: model.seconds.iter().map(|s| (*s).to_owned()).collect(),
        })
        .collect();
    Json(ModelList { models })
}
