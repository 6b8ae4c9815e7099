//! The bar at the top of every page: the name and the main navigation.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[function_component(Header)]
pub fn header() -> Html {
    let current = use_route::<Route>();
    let link = |route: Route, label: &'static str| {
        let class = if current.as_ref() == Some(&route) { "nav-link active" } else { "nav-link" };
        html! { <Link<Route> to={route} classes={classes!(class)}>{ label }</Link<Route>> }
    };
    html! {
        <header class="header">
            <Link<Route> to={Route::Home} classes={classes!("brand")}>{ "Kino" }</Link<Route>>
            <nav class="nav">
                { link(Route::Home, "Home") }
                { link(Route::Device, "Device") }
            </nav>
        </header>
    }
}
