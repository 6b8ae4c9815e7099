//! `GET /api/v1/models` (the studio's list) and `GET /v1/models` (OpenAI's): the models this
//! server offers.

use axum::extract::State;
use kino_core::api::{ModelChoice, ModelList, OpenAiModel, OpenAiModelList};
use kino_core::models::{Tier, default_among};

use crate::app::AppState;
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

pub async fn openai_list(State(state): State<AppState>) -> Json<OpenAiModelList> {
    let data = state
        .config
        .models
        .iter()
        .map(|model| OpenAiModel { id: model.id.to_owned(), object: "model".into(), created: model.released, owned_by: "kino".into() })
        .collect();
    Json(OpenAiModelList { object: "list".into(), data })
}
