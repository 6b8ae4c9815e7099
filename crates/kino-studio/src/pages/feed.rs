//! `/feed`: videos of people I follow, remixes of videos I liked and popular ones, each
//! saying why it is shown; "Not interested" removes one.

use kino_core::api::{Account, FeedItem};
use yew::prelude::*;

use crate::api;
use crate::components::signed_in::SignedIn;
use crate::components::video_card::VideoCardView;

#[function_component(FeedPage)]
pub fn feed_page() -> Html {
    html! { <SignedIn render={Callback::from(|_: Account| html! { <Feed /> })} /> }
}

#[function_component(Feed)]
fn feed() -> Html {
    let items = use_state(Vec::<FeedItem>::new);
    let cursor = use_state(|| None::<String>);
    let loading = use_state(|| true);
    let problem = use_state(|| None::<String>);
    let load = {
        let (items, cursor, loading, problem) = (items.clone(), cursor.clone(), loading.clone(), problem.clone());
        Callback::from(move |after: Option<String>| {
            let (items, cursor, loading, problem) = (items.clone(), cursor.clone(), loading.clone(), problem.clone());
            loading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::posts::feed(after.as_deref()).await {
                    Ok(page) => {
                        let mut all = if after.is_some() { (*items).clone() } else { Vec::new() };
                        all.extend(page.items);
                        items.set(all);
                        cursor.set(page.next_cursor);
                        problem.set(None);
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
                loading.set(false);
            });
        })
    };
    {
        let load = load.clone();
        use_effect_with((), move |_| load.emit(None));
    }
    let cards = items.iter().map(|item| {
        let id = item.card.video.id.clone();
        let hide = {
            let items = items.clone();
            Callback::from(move |_: MouseEvent| {
                let (items, id) = (items.clone(), id.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if api::posts::not_interested(&id).await.is_ok() {
                        items.set(items.iter().filter(|item| item.card.video.id != id).cloned().collect());
                    }
                });
            })
        };
        html! {
            <VideoCardView key={item.card.video.id.clone()} card={item.card.clone()} why={Some(item.why.clone())}>
                <button class="link-button not-interested" onclick={hide}>{ "Not interested" }</button>
            </VideoCardView>
        }
    });
    let more = (*cursor).clone().map(|after| {
        let load = load.clone();
        html! { <button id="feed-more" onclick={Callback::from(move |_: MouseEvent| load.emit(Some(after.clone())))}>{ "More" }</button> }
    });
    html! {
        <>
            <h1>{ "Feed" }</h1>
            <p class="hint">{ "Videos from people you follow, remixes of videos you liked, and popular ones. Kino ranks by making, not by watching time." }</p>
            if let Some(problem) = &*problem {
                <p class="error">{ problem }</p>
            }
            if items.is_empty() && !*loading && problem.is_none() {
                <p id="feed-empty">{ "Nothing here yet. Follow people, or publish a video yourself." }</p>
            }
            <div class="video-grid">{ for cards }</div>
            { for more }
        </>
    }
}
