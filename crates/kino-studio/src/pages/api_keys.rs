//! `/api-keys`: keys for Kino's developer API. A new key is shown once.

use kino_core::api::{Account, ApiKeyCreated, ApiKeySummary, CreateApiKey};
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, FormError, value_of};
use crate::components::signed_in::SignedIn;
use crate::components::unix_date;

#[function_component(ApiKeysPage)]
pub fn api_keys_page() -> Html {
    html! { <SignedIn render={Callback::from(|_: Account| html! { <ApiKeys /> })} /> }
}

#[function_component(ApiKeys)]
fn api_keys() -> Html {
    let keys = use_state(Vec::<ApiKeySummary>::new);
    let created = use_state(|| None::<ApiKeyCreated>);
    let error = use_state(|| None::<FormError>);
    let name = use_node_ref();
    let reload = {
        let (keys, error) = (keys.clone(), error.clone());
        move || {
            let (keys, error) = (keys.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::api_keys::list().await {
                    Ok(list) => keys.set(list.keys),
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
        let (name, created, error, reload) = (name.clone(), created.clone(), error.clone(), reload.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = CreateApiKey { name: value_of(&name) };
            if request.name.trim().is_empty() {
                return error.set(Some(FormError::at("name", "name the key in 1 to 64 characters")));
            }
            let (created, error, reload) = (created.clone(), error.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::api_keys::create(&request).await {
                    Ok(key) => {
                        error.set(None);
                        created.set(Some(key));
                        reload();
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let rows = keys
        .iter()
        .map(|key| {
            let revoke = {
                let (id, error, reload, created) = (key.id.clone(), error.clone(), reload.clone(), created.clone());
                Callback::from(move |_: MouseEvent| {
                    let (id, error, reload, created) = (id.clone(), error.clone(), reload.clone(), created.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match api::api_keys::revoke(&id).await {
                            Ok(()) => {
                                if created.as_ref().is_some_and(|c| c.summary.id == id) {
                                    created.set(None);
                                }
                                reload();
                            }
                            Err(e) => error.set(Some(e.into())),
                        }
                    });
                })
            };
            let last_used = key.last_used_at.map_or_else(|| "never used".to_owned(), |at| format!("last used {}", unix_date(at)));
            html! {
                <tr class="api-key">
                    <td>{ &key.name }</td>
                    <td><code>{ format!("{}…", key.prefix) }</code></td>
                    <td>{ format!("made {}", unix_date(key.created_at)) }</td>
                    <td>{ last_used }</td>
                    <td><button class="link-button" onclick={revoke} aria-label={format!("Revoke {}", key.name)}>{ "Revoke" }</button></td>
                </tr>
            }
        })
        .collect::<Html>();
    html! {
        <>
            <h1>{ "API keys" }</h1>
            <p>{ "Use a key as " }<code>{ "Authorization: Bearer kino_sk_…" }</code>{ " with Kino's developer API. Anyone with the key acts as you: keep it secret, revoke it if it leaks." }</p>
            <form class="card" {onsubmit} novalidate=true>
                <h2>{ "New key" }</h2>
                <Field id="api-key-name" label="What is it for?" node={name} placeholder="my render script" error={FormError::for_field(&error, "name")} />
                <button type="submit">{ "Create key" }</button>
                if let Some(message) = FormError::general(&error, &["name"]) {
                    <p class="error">{ message }</p>
                }
            </form>
            if let Some(key) = &*created {
                <section class="card notice-card">
                    <p>{ "Your new key. Copy it now: Kino will not show it again." }</p>
                    <input id="new-api-key" readonly=true value={key.key.clone()} />
                </section>
            }
            <table class="list" id="api-keys">
                <tbody>{ rows }</tbody>
            </table>
            if keys.is_empty() {
                <p id="no-api-keys">{ "You have no API keys." }</p>
            }
        </>
    }
}
