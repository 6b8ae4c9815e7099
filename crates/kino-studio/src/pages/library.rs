//! `/library`: every video I asked for, finished or not.

use kino_core::api::{Account, Video, VideoStatus};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

use crate::api;
use crate::components::signed_in::SignedIn;
use crate::components::unix_date;
use crate::components::video_status::VideoStatusView;

#[function_component(LibraryPage)]
pub fn library_page() -> Html {
    html! { <SignedIn render={Callback::from(|_: Account| html! { <Library /> })} /> }
}

#[function_component(Library)]
fn library() -> Html {
    let videos = use_state(|| None::<Result<Vec<Video>, api::ApiError>>);
    let reload = {
        let videos = videos.clone();
        move || {
            let videos = videos.clone();
            wasm_bindgen_futures::spawn_local(async move { videos.set(Some(api::videos::list().await.map(|list| list.data))) });
        }
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload());
    }
    let list = match &*videos {
        None => return html! { <p>{ "Loading…" }</p> },
        Some(Err(problem)) => return html! { <p class="error">{ problem.to_string() }</p> },
        Some(Ok(list)) => list.clone(),
    };
    let cards = list.iter().map(|video| {
        let id = video.id.clone();
        let act = |cancel: bool| {
            let (id, reload) = (id.clone(), reload.clone());
            Callback::from(move |_: MouseEvent| {
                let (id, reload) = (id.clone(), reload.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = if cancel { api::videos::cancel(&id).await.map(|_| ()) } else { api::videos::delete_video(&id).await.map(|_| ()) };
                    reload();
                });
            })
        };
        let running = matches!(video.status, VideoStatus::Queued | VideoStatus::InProgress);
        html! {
            <article class="card library-item" data-video-id={video.id.clone()}>
                <p class="prompt">{ &video.prompt }</p>
                <p class="hint">{ format!("{} · {} · {} s · {}", video.model, video.size, video.seconds, unix_date(video.created_at)) }</p>
                <VideoStatusView video={video.clone()} />
                <div class="row actions">
                    <Link<Route> to={Route::Video { id: video.id.clone() }} classes={classes!("open-video")}>{ "Open" }</Link<Route>>
                    if running {
                        <button class="link-button" onclick={act(true)}>{ "Cancel" }</button>
                    }
                    <button class="link-button" onclick={act(false)}>{ "Delete" }</button>
                </div>
            </article>
        }
    });
    html! {
        <>
            <h1>{ "Library" }</h1>
            if list.is_empty() {
                <p id="library-empty">{ "No videos yet." }</p>
            }
            { for cards }
        </>
    }
}
