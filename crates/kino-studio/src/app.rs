//! Routes and the page frame (header, main, footer).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::header::Header;
use crate::pages::account::AccountPage;
use crate::pages::api_keys::ApiKeysPage;
use crate::pages::create::CreatePage;
use crate::pages::feed::FeedPage;
use crate::pages::library::LibraryPage;
use crate::pages::profile::ProfilePage;
use crate::pages::sign_in::SignInPage;
use crate::pages::sign_up::SignUpPage;
use crate::pages::verify::VerifyPage;
use crate::pages::video::VideoPageView;
use crate::pages::webhooks::WebhooksPage;
use crate::pages::{device::DevicePage, home::HomePage, not_found::NotFoundPage};
use crate::session::SessionProvider;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/device")]
    Device,
    #[at("/create")]
    Create,
    #[at("/verify")]
    Verify,
    #[at("/library")]
    Library,
    #[at("/feed")]
    Feed,
    #[at("/v/:id")]
    Video { id: String },
    #[at("/signup")]
    SignUp,
    #[at("/signin")]
    SignIn,
    #[at("/account")]
    Account,
    #[at("/api-keys")]
    ApiKeys,
    #[at("/webhooks")]
    Webhooks,
    #[at("/u/:handle")]
    Profile { handle: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <HomePage /> },
        Route::Device => html! { <DevicePage /> },
        Route::Create => html! { <CreatePage /> },
        Route::Verify => html! { <VerifyPage /> },
        Route::Library => html! { <LibraryPage /> },
        Route::Feed => html! { <FeedPage /> },
        Route::Video { id } => html! { <VideoPageView id={id} /> },
        Route::SignUp => html! { <SignUpPage /> },
        Route::SignIn => html! { <SignInPage /> },
        Route::Account => html! { <AccountPage /> },
        Route::ApiKeys => html! { <ApiKeysPage /> },
        Route::Webhooks => html! { <WebhooksPage /> },
        Route::Profile { handle } => html! { <ProfilePage handle={handle} /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <BrowserRouter>
          <SessionProvider>
            <Header />
            <main class="page">
                <Switch<Route> render={switch} />
            </main>
            <footer class="footer">
                { "Kino is open source." }
            </footer>
          </SessionProvider>
        </BrowserRouter>
    }
}
