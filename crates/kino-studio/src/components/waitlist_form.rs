//! Join the waitlist: the address is checked here with the same rules the server uses.

use kino_core::Email;
use kino_core::api::JoinWaitlist;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Idle,
    Sending,
    Joined(String),
    Refused(String),
}

#[function_component(WaitlistForm)]
pub fn waitlist_form() -> Html {
    let input = use_node_ref();
    let outcome = use_state(|| Outcome::Idle);
    let onsubmit = {
        let input = input.clone();
        let outcome = outcome.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let raw = input.cast::<HtmlInputElement>().map(|el| el.value()).unwrap_or_default();
            let email = match Email::parse(&raw) {
                Ok(email) => email,
                Err(error) => return outcome.set(Outcome::Refused(error.to_string())),
            };
            outcome.set(Outcome::Sending);
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(match api::waitlist::join(&JoinWaitlist { email }).await {
                    Ok(place) if place.newly_added => Outcome::Joined(format!(
                        "You are on the list, number {} in line. We will e-mail {} when an invite is free.",
                        place.position, place.email
                    )),
                    Ok(place) => Outcome::Joined(format!("{} was already on the list, number {} in line.", place.email, place.position)),
                    Err(error) => Outcome::Refused(error.to_string()),
                });
            });
        })
    };
    let message = match &*outcome {
        Outcome::Idle => html! {},
        Outcome::Sending => html! { <p id="waitlist-message">{ "Sending…" }</p> },
        Outcome::Joined(text) => html! { <p class="ok" id="waitlist-message">{ text }</p> },
        Outcome::Refused(text) => html! { <p class="error" id="waitlist-message">{ text }</p> },
    };
    html! {
        <form class="card waitlist" {onsubmit}>
            <h2>{ "Join the waitlist" }</h2>
            <p>{ "Kino is invite-only for now. Leave your address and you will hear from us when an invite is free." }</p>
            <label for="waitlist-email">{ "E-mail" }</label>
            <div class="row">
                <input id="waitlist-email" type="text" inputmode="email" autocomplete="email" placeholder="you@example.org" ref={input} />
                <button type="submit" disabled={*outcome == Outcome::Sending}>{ "Join" }</button>
            </div>
            { message }
        </form>
    }
}
