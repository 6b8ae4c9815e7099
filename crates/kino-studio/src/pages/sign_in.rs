//! `/signin`.

use kino_core::Email;
use kino_core::api::SignIn;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::field::{Field, FormError, value_of};
use crate::session::{self, use_session};

#[function_component(SignInPage)]
pub fn sign_in_page() -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let (email, password) = (use_node_ref(), use_node_ref());
    let error = use_state(|| None::<FormError>);
    let sending = use_state(|| false);

    let onsubmit = {
        let (email, password, error, sending) = (email.clone(), password.clone(), error.clone(), sending.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let address = match Email::parse(&value_of(&email)) {
                Ok(address) => address,
                Err(e) => return error.set(Some(FormError::at("email", e))),
            };
            let request = SignIn { email: address, password: value_of(&password) };
            let request = async move { api::session::sign_in(&request).await };
            session::enter(request, session.clone(), navigator.clone(), error.clone(), sending.clone());
        })
    };
    html! {
        <section class="card form-page">
            <h1>{ "Sign in" }</h1>
            <form onsubmit={onsubmit} novalidate=true>
                <Field id="signin-email" label="E-mail" node={email} autocomplete="email" error={FormError::for_field(&error, "email")} />
                <Field id="signin-password" label="Password" kind="password" node={password} autocomplete="current-password" />
                if let Some(message) = FormError::general(&error, &["email"]) {
                    <p class="error" id="signin-error">{ message }</p>
                }
                <button type="submit" disabled={*sending}>{ "Sign in" }</button>
            </form>
            <p>{ "New here? " }<Link<Route> to={Route::SignUp}>{ "Sign up." }</Link<Route>></p>
        </section>
    }
}
