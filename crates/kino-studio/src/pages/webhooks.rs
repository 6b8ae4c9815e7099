//! `/webhooks`: endpoints Kino POSTs `video.completed` and `video.failed` to, as OpenAI's Videos
//! API did. A new endpoint's signing secret is shown once; each endpoint's delivery log shows
//! every event, its attempts and how the endpoint answered.

use kino_core::api::{Account, CreateWebhookEndpoint, DeliveryState, WEBHOOK_EVENTS, WebhookDelivery, WebhookEndpoint, WebhookEndpointCreated};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::api;
use crate::app::Route;
use crate::components::field::{Field, FormError, value_of};
use crate::components::signed_in::SignedIn;
use crate::components::unix_date;

#[function_component(WebhooksPage)]
pub fn webhooks_page() -> Html {
    html! { <SignedIn render={Callback::from(|_: Account| html! { <Webhooks /> })} /> }
}

/// The id of an event's checkbox, e.g. `event-video-completed`.
fn checkbox_id(event: &str) -> String {
    format!("event-{}", event.replace('.', "-"))
}

#[function_component(Webhooks)]
fn webhooks() -> Html {
    let endpoints = use_state(Vec::<WebhookEndpoint>::new);
    let created = use_state(|| None::<WebhookEndpointCreated>);
    let error = use_state(|| None::<FormError>);
    let url = use_node_ref();
    // Which events are ticked, kept in state: the page re-renders (an error shown, the list
    // reloaded) and must keep the person's choice.
    let ticked = use_state(|| vec![true; WEBHOOK_EVENTS.len()]);
    let reload = {
        let (endpoints, error) = (endpoints.clone(), error.clone());
        move || {
            let (endpoints, error) = (endpoints.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::webhooks::list().await {
                    Ok(list) => endpoints.set(list.endpoints),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        }
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload());
    }
    let onsubmit = {
        let (url, ticked, created, error, reload) = (url.clone(), ticked.clone(), created.clone(), error.clone(), reload.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let events: Vec<String> = WEBHOOK_EVENTS.iter().zip(ticked.iter()).filter(|(_, on)| **on).map(|(event, _)| (*event).to_owned()).collect();
            let request = CreateWebhookEndpoint { url: value_of(&url), events: Some(events) };
            if request.url.trim().is_empty() {
                return error.set(Some(FormError::at("url", "give the URL Kino should send events to")));
            }
            if request.events.as_ref().is_some_and(Vec::is_empty) {
                return error.set(Some(FormError::at("events", "choose at least one event")));
            }
            let (created, error, reload) = (created.clone(), error.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::webhooks::create(&request).await {
                    Ok(endpoint) => {
                        error.set(None);
                        created.set(Some(endpoint));
                        reload();
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let on_delete = {
        let (error, reload, created) = (error.clone(), reload.clone(), created.clone());
        Callback::from(move |id: String| {
            let (error, reload, created) = (error.clone(), reload.clone(), created.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::webhooks::delete_endpoint(&id).await {
                    Ok(()) => {
                        if created.as_ref().is_some_and(|c| c.endpoint.id == id) {
                            created.set(None);
                        }
                        reload();
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let checkboxes = WEBHOOK_EVENTS
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let onchange = {
                let ticked = ticked.clone();
                Callback::from(move |change: Event| {
                    let on = change.target_unchecked_into::<HtmlInputElement>().checked();
                    let mut next = (*ticked).clone();
                    next[i] = on;
                    ticked.set(next);
                })
            };
            html! {
                <label class="check">
                    <input type="checkbox" id={checkbox_id(event)} checked={ticked[i]} {onchange} />
                    <code>{ *event }</code>
                </label>
            }
        })
        .collect::<Html>();
    html! {
        <>
            <h1>{ "Webhooks" }</h1>
            <p>
                { "When one of your videos is finished or fails, Kino POSTs an event to each endpoint here, as OpenAI's Videos API did: " }
                <code>{ "{\"type\": \"video.completed\", \"data\": {\"id\": \"video_…\"}}" }</code>
                { ". Every request is signed the Standard Webhooks way (" }<code>{ "webhook-id" }</code>{ ", " }<code>{ "webhook-timestamp" }</code>{ ", " }
                <code>{ "webhook-signature" }</code>{ "), so OpenAI's SDKs check it with your endpoint's secret. A request not answered with 2xx is tried again, with longer waits, for about nine minutes." }
            </p>
            <form class="card" {onsubmit} novalidate=true>
                <h2>{ "New endpoint" }</h2>
                <Field id="webhook-url" label="URL" kind="url" node={url} placeholder="https://example.com/kino-events" error={FormError::for_field(&error, "url")} />
                <fieldset class={classes!("events", FormError::for_field(&error, "events").is_some().then_some("has-error"))}>
                    <legend>{ "Events" }</legend>
                    { checkboxes }
                    if let Some(message) = FormError::for_field(&error, "events") {
                        <p class="field-error error" id="events-error">{ message }</p>
                    }
                </fieldset>
                <button type="submit">{ "Add endpoint" }</button>
                if let Some(message) = FormError::general(&error, &["url", "events"]) {
                    <p class="error">{ message }</p>
                }
            </form>
            if let Some(endpoint) = &*created {
                <section class="card notice-card">
                    <p>{ "The endpoint's signing secret. Copy it now: Kino will not show it again." }</p>
                    <input id="new-webhook-secret" readonly=true value={endpoint.secret.clone()} />
                </section>
            }
            <div id="webhook-endpoints">
                { for endpoints.iter().map(|endpoint| html! { <EndpointCard key={endpoint.id.clone()} endpoint={endpoint.clone()} on_delete={on_delete.clone()} /> }) }
            </div>
            if endpoints.is_empty() {
                <p id="no-webhooks">{ "You have no webhook endpoints." }</p>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct EndpointCardProps {
    endpoint: WebhookEndpoint,
    on_delete: Callback<String>,
}

/// One endpoint, with its delivery log behind a button.
#[function_component(EndpointCard)]
fn endpoint_card(props: &EndpointCardProps) -> Html {
    let log = use_state(|| None::<Result<Vec<WebhookDelivery>, String>>);
    let endpoint = &props.endpoint;
    let show_log = {
        let (log, id) = (log.clone(), endpoint.id.clone());
        Callback::from(move |_: MouseEvent| {
            let (log, id) = (log.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                log.set(Some(api::webhooks::deliveries(&id).await.map(|list| list.deliveries).map_err(|e| e.to_string())));
            });
        })
    };
    let delete = {
        let (on_delete, id) = (props.on_delete.clone(), endpoint.id.clone());
        Callback::from(move |_: MouseEvent| on_delete.emit(id.clone()))
    };
    let deliveries = match &*log {
        None => html! {},
        Some(Err(message)) => html! { <p class="error">{ message }</p> },
        Some(Ok(deliveries)) if deliveries.is_empty() => html! { <p class="deliveries-empty">{ "Nothing sent yet." }</p> },
        Some(Ok(deliveries)) => html! {
            <table class="list deliveries">
                <thead><tr><th>{ "Event" }</th><th>{ "Video" }</th><th>{ "State" }</th><th>{ "Attempts" }</th><th>{ "Last answer" }</th><th>{ "When" }</th></tr></thead>
                <tbody>{ for deliveries.iter().map(delivery_row) }</tbody>
            </table>
        },
    };
    html! {
        <section class="card webhook-endpoint">
            <h2><code class="webhook-url">{ &endpoint.url }</code></h2>
            <p class="hint">{ format!("{} · added {}", endpoint.events.join(", "), unix_date(endpoint.created_at)) }</p>
            <div class="actions">
                <button type="button" class="show-deliveries" onclick={show_log}>{ if log.is_some() { "Refresh deliveries" } else { "Show deliveries" } }</button>
                <button type="button" class="link-button" onclick={delete} aria-label={format!("Delete {}", endpoint.url)}>{ "Delete" }</button>
            </div>
            { deliveries }
        </section>
    }
}

fn delivery_row(delivery: &WebhookDelivery) -> Html {
    let state = match delivery.state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Failed => "failed",
    };
    let answer = match (&delivery.last_status, &delivery.last_error) {
        (Some(status), Some(error)) => format!("{status}: {error}"),
        (Some(status), None) => status.to_string(),
        (None, Some(error)) => error.clone(),
        (None, None) => "—".to_owned(),
    };
    html! {
        <tr class={classes!("delivery", state)}>
            <td><code>{ &delivery.event_type }</code></td>
            <td><Link<Route> to={Route::Video { id: delivery.video_id.clone() }}>{ &delivery.video_id }</Link<Route>></td>
            <td class="delivery-state">{ state }</td>
            <td class="delivery-attempts">{ delivery.attempts }</td>
            <td>{ answer }</td>
            <td>{ unix_date(delivery.updated_at) }</td>
        </tr>
    }
}
