//! `/signup`: create an account (with an invite while the instance is invite-only).

use kino_core::Email;
use kino_core::account::{Date, Handle, Password, Region};
use kino_core::api::{InstanceInfo, SignUp};
use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::field::{Field, FormError, value_of};
use crate::session::{self, use_session};

const FIELDS: &[&str] = &["email", "handle", "password", "birth_date", "region", "invite_code"];

#[derive(Debug, Default, Deserialize)]
struct InviteQuery {
    invite: Option<String>,
}

/// Parses the form with the same rules the server applies, naming the first bad field.
fn read_form(nodes: &[NodeRef; 6]) -> Result<SignUp, FormError> {
    let [email, handle, password, birth_date, region, invite_code] = nodes;
    let invite_code = value_of(invite_code).trim().to_owned();
    Ok(SignUp {
        email: Email::parse(&value_of(email)).map_err(|e| FormError::at("email", e))?,
        handle: Handle::parse(&value_of(handle)).map_err(|e| FormError::at("handle", e))?,
        password: Password::parse(&value_of(password)).map_err(|e| FormError::at("password", e))?,
        birth_date: Date::parse(&value_of(birth_date)).map_err(|e| FormError::at("birth_date", e))?,
        region: Region::parse(&value_of(region)).map_err(|e| FormError::at("region", e))?,
        invite_code: (!invite_code.is_empty()).then_some(invite_code),
    })
}

#[function_component(SignUpPage)]
pub fn sign_up_page() -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let location = use_location();
    let invite_from_link = location.and_then(|l| l.query::<InviteQuery>().ok()).and_then(|q| q.invite);
    let nodes: [NodeRef; 6] = Default::default();
    let error = use_state(|| None::<FormError>);
    let sending = use_state(|| false);
    let instance = use_state(|| None::<InstanceInfo>);
    {
        let instance = instance.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { instance.set(api::instance::show().await.ok()) });
        });
    }

    let onsubmit = {
        let nodes = nodes.clone();
        let (error, sending) = (error.clone(), sending.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = match read_form(&nodes) {
                Ok(request) => request,
                Err(form_error) => return error.set(Some(form_error)),
            };
            let request = async move { api::account::sign_up(&request).await };
            session::enter(request, session.clone(), navigator.clone(), error.clone(), sending.clone());
        })
    };

    let notice = match &*instance {
        Some(info) if info.needs_first_admin => {
            html! { <p class="notice" id="first-admin">{ "This Kino has no accounts yet: yours will be the first, and its administrator." }</p> }
        }
        Some(info) if info.invite_only => html! {
            <p>{ "Kino is invite-only for now. No code? " }<Link<Route> to={Route::Home}>{ "Join the waitlist." }</Link<Route>></p>
        },
        _ => html! {},
    };
    let [email, handle, password, birth_date, region, invite_code] = nodes;
    let err = |param: &str| FormError::for_field(&error, param);
    html! {
        <section class="card form-page">
            <h1>{ "Sign up" }</h1>
            { notice }
            <form onsubmit={onsubmit} novalidate=true>
                <Field id="signup-email" label="E-mail" node={email} autocomplete="email" error={err("email")} />
                <Field id="signup-handle" label="Handle" node={handle} placeholder="ada_l" hint="3 to 24 letters a-z, digits or _; people find you as @handle." error={err("handle")} />
                <Field id="signup-password" label="Password" kind="password" node={password} autocomplete="new-password" hint="At least 10 characters." error={err("password")} />
                <Field id="signup-birth-date" label="Birth date" kind="date" node={birth_date} hint="Kino is for people 13 and older; under-18s get teen settings." error={err("birth_date")} />
                <Field id="signup-region" label="Region" node={region} placeholder="DE" hint="Two-letter country code." error={err("region")} />
                <Field id="signup-invite" label="Invite code" node={invite_code} value={invite_from_link.map(AttrValue::from)} error={err("invite_code")} />
                if let Some(message) = FormError::general(&error, FIELDS) {
                    <p class="error" id="signup-error">{ message }</p>
                }
                <button type="submit" disabled={*sending}>{ if *sending { "Creating your account…" } else { "Create account" } }</button>
            </form>
            <p>{ "Have an account? " }<Link<Route> to={Route::SignIn}>{ "Sign in." }</Link<Route>></p>
        </section>
    }
}
