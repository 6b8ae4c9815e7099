//! A line that says whether the server answers and what it runs.

use kino_core::api::{Health, HealthStatus};
use yew::prelude::*;

use crate::api;

#[function_component(ServerStatus)]
pub fn server_status() -> Html {
    let health = use_state(|| None::<Result<Health, api::ApiError>>);
    {
        let health = health.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { health.set(Some(api::health::show().await)) });
        });
    }
    let (state, text) = match &*health {
        None => ("checking", "Asking the server…".to_owned()),
        Some(Ok(h)) => {
            let models = if h.models.loaded.is_empty() { "no models loaded yet".to_owned() } else { h.models.loaded.join(", ") };
            let state = if h.status == HealthStatus::Ok { "ok" } else { "degraded" };
            let database = if h.database.reachable { "reachable" } else { "unreachable" };
            (state, format!("Server {} is up; {} database {database}; {models}.", h.version, h.database.backend))
        }
        Some(Err(error)) => ("down", error.to_string()),
    };
    html! { <p class={classes!("server-status", state)} id="server-status" data-state={state}>{ text }</p> }
}
