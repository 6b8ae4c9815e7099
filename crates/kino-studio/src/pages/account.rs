//! `/account`: who I am, my invites, my password, and deleting the account.

use kino_core::account::{AgeBand, Password};
use kino_core::api::{Account, ChangePassword, DeleteAccount, Plan, Role};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::field::{Field, FormError, value_of};
use crate::components::invites_panel::InvitesPanel;
use crate::components::signed_in::SignedIn;
use crate::components::unix_date;
use crate::session::{SessionAction, use_session};

#[function_component(AccountPage)]
pub fn account_page() -> Html {
    html! { <SignedIn render={Callback::from(|account: Account| html! { <AccountDetails {account} /> })} /> }
}

#[derive(Properties, PartialEq)]
struct AccountDetailsProps {
    account: Account,
}

#[function_component(AccountDetails)]
fn account_details(props: &AccountDetailsProps) -> Html {
    let account = &props.account;
    let band = match account.age_band {
        AgeBand::Teen => "teen (stricter limits and content rules apply)",
        AgeBand::Adult => "adult",
    };
    html! {
        <>
            <h1 id="account-handle">{ format!("@{}", account.handle) }</h1>
            <p><Link<Route> to={Route::Profile { handle: account.handle.to_string() }}>{ "Your public profile" }</Link<Route>></p>
            <section class="card">
                <dl class="facts">
                    <dt>{ "E-mail" }</dt><dd id="account-email">{ account.email.to_string() }</dd>
                    <dt>{ "Age band" }</dt><dd id="account-age-band">{ band }</dd>
                    <dt>{ "Region" }</dt><dd>{ account.region.as_str() }</dd>
                    <dt>{ "Plan" }</dt><dd>{ if account.plan == Plan::Pro { "Pro" } else { "Free" } }</dd>
                    <dt>{ "Role" }</dt><dd id="account-role">{ if account.role == Role::Admin { "administrator" } else { "member" } }</dd>
                    <dt>{ "Joined" }</dt><dd>{ unix_date(account.created_at) }</dd>
                </dl>
            </section>
            <InvitesPanel />
            <ChangePasswordForm />
            <DeleteAccountForm />
        </>
    }
}

#[function_component(ChangePasswordForm)]
fn change_password_form() -> Html {
    let (current, new) = (use_node_ref(), use_node_ref());
    let error = use_state(|| None::<FormError>);
    let done = use_state(|| false);
    let onsubmit = {
        let (current, new, error, done) = (current.clone(), new.clone(), error.clone(), done.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            done.set(false);
            let new_password = match Password::parse(&value_of(&new)) {
                Ok(password) => password,
                Err(e) => return error.set(Some(FormError::at("new_password", e))),
            };
            let request = ChangePassword { current_password: value_of(&current), new_password };
            let (error, done) = (error.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::account::change_password(&request).await {
                    Ok(()) => {
                        error.set(None);
                        done.set(true);
                    }
                    Err(api_error) => error.set(Some(api_error.into())),
                }
            });
        })
    };
    html! {
        <form class="card" id="change-password" {onsubmit} novalidate=true>
            <h2>{ "Change password" }</h2>
            <Field id="current-password" label="Current password" kind="password" node={current} autocomplete="current-password" error={FormError::for_field(&error, "current_password")} />
            <Field id="new-password" label="New password" kind="password" node={new} autocomplete="new-password" error={FormError::for_field(&error, "new_password")} />
            if let Some(message) = FormError::general(&error, &["current_password", "new_password"]) {
                <p class="error">{ message }</p>
            }
            if *done {
                <p class="ok" id="password-changed">{ "Password changed. Your other devices are signed out." }</p>
            }
            <button type="submit">{ "Change password" }</button>
        </form>
    }
}

#[function_component(DeleteAccountForm)]
fn delete_account_form() -> Html {
    let password = use_node_ref();
    let error = use_state(|| None::<FormError>);
    let session = use_session();
    let navigator = use_navigator();
    let onsubmit = {
        let (password, error) = (password.clone(), error.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = DeleteAccount { password: value_of(&password) };
            let (error, session, navigator) = (error.clone(), session.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::account::delete_account(&request).await {
                    Ok(()) => {
                        session.dispatch(SessionAction::SignedOut);
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Home);
                        }
                    }
                    Err(api_error) => error.set(Some(api_error.into())),
                }
            });
        })
    };
    html! {
        <form class="card danger" id="delete-account" {onsubmit} novalidate=true>
            <h2>{ "Delete account" }</h2>
            <p>{ "This deletes your account and everything it holds, at once and for good." }</p>
            <Field id="delete-password" label="Password" kind="password" node={password} autocomplete="current-password" error={FormError::for_field(&error, "password")} />
            if let Some(message) = FormError::general(&error, &["password"]) {
                <p class="error">{ message }</p>
            }
            <button type="submit" class="danger-button">{ "Delete my account" }</button>
        </form>
    }
}
