//! Any path the studio does not know.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[function_component(NotFoundPage)]
pub fn not_found_page() -> Html {
    html! {
        <section class="card">
            <h1>{ "Nothing here" }</h1>
            <p>{ "This page does not exist. " }<Link<Route> to={Route::Home}>{ "Go to the start." }</Link<Route>></p>
        </section>
    }
}
