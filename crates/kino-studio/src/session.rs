//! Who is signed in: one reducer shared through a context, read with [`use_session`].

use std::rc::Rc;

use kino_core::api::{Account, SessionInfo};
use yew::prelude::*;
use yew_router::prelude::Navigator;

use crate::app::Route;
use crate::components::field::FormError;

use crate::api;

#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Asking the server whether this browser has a session.
    Loading,
    SignedOut,
    SignedIn(Account),
}

pub enum SessionAction {
    SignedIn(Account),
    SignedOut,
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        Rc::new(match action {
            SessionAction::SignedIn(account) => Session::SignedIn(account),
            SessionAction::SignedOut => Session::SignedOut,
        })
    }
}

impl Session {
    pub fn account(&self) -> Option<&Account> {
        match self {
            Session::SignedIn(account) => Some(account),
            _ => None,
        }
    }
}

pub type SessionHandle = UseReducerHandle<Session>;

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    pub children: Html,
}

/// Restores the session from the server once, then shares it with every page.
#[function_component(SessionProvider)]
pub fn session_provider(props: &SessionProviderProps) -> Html {
    let session = use_reducer(|| Session::Loading);
    {
        let session = session.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                session.dispatch(match api::session::show().await {
                    Ok(SessionInfo { account: Some(account) }) => SessionAction::SignedIn(account),
                    _ => SessionAction::SignedOut,
                });
            });
        });
    }
    html! { <ContextProvider<SessionHandle> context={session}>{ props.children.clone() }</ContextProvider<SessionHandle>> }
}

/// Runs a sign-up or sign-in request for a form: while it runs `sending` is set; on success
/// the account is signed in here and the browser goes to the account page, otherwise the form
/// shows the error.
pub fn enter(
    request: impl Future<Output = Result<Account, api::ApiError>> + 'static,
    session: SessionHandle,
    navigator: Option<Navigator>,
    error: UseStateHandle<Option<FormError>>,
    sending: UseStateHandle<bool>,
) {
    error.set(None);
    sending.set(true);
    wasm_bindgen_futures::spawn_local(async move {
        match request.await {
            Ok(account) => {
                session.dispatch(SessionAction::SignedIn(account));
                if let Some(navigator) = navigator {
                    navigator.push(&Route::Account);
                }
            }
            Err(api_error) => error.set(Some(api_error.into())),
        }
        sending.set(false);
    });
}

#[hook]
pub fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().unwrap_or_else(|| unreachable!("SessionProvider wraps the app"))
}
