//! Shows its children only to a signed-in person; others are asked to sign in.

use kino_core::api::Account;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::session::{Session, use_session};

#[derive(Properties, PartialEq)]
pub struct SignedInProps {
    /// Renders the page for the signed-in account.
    pub render: Callback<Account, Html>,
}

#[function_component(SignedIn)]
pub fn signed_in(props: &SignedInProps) -> Html {
    match &*use_session() {
        Session::Loading => html! { <p>{ "Loading…" }</p> },
        Session::SignedOut => html! {
            <section class="card">
                <p>{ "This page is for signed-in people. " }<Link<Route> to={Route::SignIn}>{ "Sign in" }</Link<Route>>{ " or " }<Link<Route> to={Route::SignUp}>{ "sign up" }</Link<Route>>{ "." }</p>
            </section>
        },
        Session::SignedIn(account) => props.render.emit(account.clone()),
    }
}
