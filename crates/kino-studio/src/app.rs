//! Routes and the page frame (header, main, footer).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::header::Header;
use crate::pages::{device::DevicePage, home::HomePage, not_found::NotFoundPage};

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/device")]
    Device,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <HomePage /> },
        Route::Device => html! { <DevicePage /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <BrowserRouter>
            <Header />
            <main class="page">
                <Switch<Route> render={switch} />
            </main>
            <footer class="footer">
                { "Kino is open source." }
            </footer>
        </BrowserRouter>
    }
}
