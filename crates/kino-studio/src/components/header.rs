//! The bar at the top of every page: the name, the main navigation and the account menu.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::session::{Session, SessionAction, use_session};

#[function_component(Header)]
pub fn header() -> Html {
    let current = use_route::<Route>();
    let session = use_session();
    let navigator = use_navigator();
    let link = |route: Route, label: &str| {
        let class = if current.as_ref() == Some(&route) { "nav-link active" } else { "nav-link" };
        html! { <Link<Route> to={route} classes={classes!(class)}>{ label.to_owned() }</Link<Route>> }
    };
    let sign_out = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let session = session.clone();
            let navigator = navigator.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // Signed out locally even if the server is unreachable: the cookie is the
                // server's to forget, and it expires by itself.
                let _ = api::session::sign_out().await;
                session.dispatch(SessionAction::SignedOut);
                if let Some(navigator) = navigator {
                    navigator.push(&Route::Home);
                }
            });
        })
    };
    let account_menu = match &*session {
        Session::Loading => html! {},
        Session::SignedOut => html! {
            <>
                { link(Route::SignIn, "Sign in") }
                { link(Route::SignUp, "Sign up") }
            </>
        },
        Session::SignedIn(account) => html! {
            <>
                { link(Route::Account, &format!("@{}", account.handle)) }
                { link(Route::ApiKeys, "API keys") }
                { link(Route::Webhooks, "Webhooks") }
                <button class="link-button" onclick={sign_out}>{ "Sign out" }</button>
            </>
        },
    };
    html! {
        <header class="header">
            <Link<Route> to={Route::Home} classes={classes!("brand")}>{ "Kino" }</Link<Route>>
            <nav class="nav">
                { link(Route::Home, "Home") }
                if session.account().is_some() {
                    { link(Route::Feed, "Feed") }
                    { link(Route::Create, "Create") }
                    { link(Route::Library, "Library") }
                }
                { link(Route::Verify, "Verify") }
                { link(Route::Device, "Device") }
            </nav>
            <nav class="nav account-menu" aria-label="Account">{ account_menu }</nav>
        </header>
    }
}
