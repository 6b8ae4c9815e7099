//! `/u/{handle}`: a person's profile; follow, mute or block them.

use kino_core::api::Profile;
use yew::prelude::*;

use crate::api;
use crate::components::unix_date;
use crate::session::use_session;

#[derive(Properties, PartialEq)]
pub struct ProfilePageProps {
    pub handle: AttrValue,
}

#[function_component(ProfilePage)]
pub fn profile_page(props: &ProfilePageProps) -> Html {
    let profile = use_state(|| None::<Result<Profile, api::ApiError>>);
    let action_error = use_state(|| None::<String>);
    let session = use_session();
    {
        let profile = profile.clone();
        // Reload when the handle or the signed-in account changes.
        let key = (props.handle.clone(), session.account().map(|a| a.id.clone()));
        use_effect_with(key, move |(handle, _)| {
            let handle = handle.to_string();
            wasm_bindgen_futures::spawn_local(async move { profile.set(Some(api::users::show(&handle).await)) });
        });
    }
    let profile_data = match &*profile {
        None => return html! { <p>{ "Loading…" }</p> },
        Some(Err(error)) => {
            return html! { <section class="card"><p class="error" id="profile-error">{ error.to_string() }</p></section> };
        }
        Some(Ok(profile_data)) => profile_data.clone(),
    };
    let toggle = |relation: &'static str, on: bool| {
        let (profile, action_error, handle) = (profile.clone(), action_error.clone(), props.handle.to_string());
        Callback::from(move |_: MouseEvent| {
            let (profile, action_error, handle) = (profile.clone(), action_error.clone(), handle.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::users::set_relation(&handle, relation, on).await {
                    Ok(updated) => {
                        action_error.set(None);
                        profile.set(Some(Ok(updated)));
                    }
                    Err(error) => action_error.set(Some(error.to_string())),
                }
            });
        })
    };
    let relation = &profile_data.viewer;
    let signed_in = session.account().is_some();
    let actions = if !signed_in || relation.is_self {
        html! {}
    } else {
        html! {
            <div class="row actions">
                if relation.following {
                    <button onclick={toggle("follow", false)}>{ "Unfollow" }</button>
                } else if !relation.blocking {
                    <button onclick={toggle("follow", true)}>{ "Follow" }</button>
                }
                <button class="link-button" onclick={toggle("mute", !relation.muting)}>{ if relation.muting { "Unmute" } else { "Mute" } }</button>
                <button class="link-button" onclick={toggle("block", !relation.blocking)}>{ if relation.blocking { "Unblock" } else { "Block" } }</button>
            </div>
        }
    };
    html! {
        <section class="card profile">
            <h1 id="profile-handle">{ format!("@{}", profile_data.handle) }</h1>
            <p class="counts">
                <span id="profile-followers">{ format!("{} followers", profile_data.followers) }</span>
                { " · " }
                <span id="profile-following">{ format!("{} following", profile_data.following) }</span>
                { " · joined " }{ unix_date(profile_data.joined_at) }
            </p>
            if relation.followed_by {
                <p class="hint" id="follows-you">{ "Follows you" }</p>
            }
            if relation.blocking {
                <p class="notice">{ "You block this person: neither of you sees the other." }</p>
            }
            if relation.muting {
                <p class="hint">{ "Muted: their videos stay out of your feed." }</p>
            }
            { actions }
            if let Some(message) = &*action_error {
                <p class="error">{ message }</p>
            }
        </section>
    }
}
