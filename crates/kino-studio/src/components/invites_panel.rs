//! The invites I can give: make a code, see which were used.

use kino_core::api::InviteList;
use yew::prelude::*;

use crate::api;
use crate::components::unix_date;

#[function_component(InvitesPanel)]
pub fn invites_panel() -> Html {
    let list = use_state(|| None::<InviteList>);
    let error = use_state(|| None::<String>);
    let reload = {
        let (list, error) = (list.clone(), error.clone());
        move || {
            let (list, error) = (list.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::invites::list().await {
                    Ok(invites) => list.set(Some(invites)),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        }
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload());
    }
    let create = {
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let (error, reload) = (error.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::invites::create().await {
                    Ok(_) => {
                        error.set(None);
                        reload();
                    }
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        })
    };
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let rows = list.as_ref().map(|list| {
        list.invites
            .iter()
            .map(|invite| {
                let status = match invite.used_at {
                    Some(at) => format!("used {}", unix_date(at)),
                    None => "not used yet".to_owned(),
                };
                html! {
                    <tr>
                        <td><code class="invite-code">{ &invite.code }</code></td>
                        <td><input readonly=true class="share-link" value={format!("{origin}/signup?invite={}", invite.code)} /></td>
                        <td>{ status }</td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    html! {
        <section class="card" id="invites">
            <h2>{ "Invites" }</h2>
            if let Some(list) = &*list {
                <p id="invites-left">{
                    if list.unlimited {
                        "As an administrator you can give as many invites as you like.".to_owned()
                    } else {
                        format!("You can give {} more invites.", list.invites_left)
                    }
                }</p>
            }
            <button onclick={create}>{ "Make an invite" }</button>
            if let Some(message) = &*error {
                <p class="error">{ message }</p>
            }
            <table class="list">
                <tbody>{ rows.unwrap_or_default() }</tbody>
            </table>
        </section>
    }
}
