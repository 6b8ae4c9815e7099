//! How far a video is: a progress bar while it is made, the player once it is done.

use kino_core::api::{Video, VideoStatus};
use yew::prelude::*;

use crate::api;

#[derive(Properties, PartialEq)]
pub struct VideoStatusProps {
    pub video: Video,
}

#[function_component(VideoStatusView)]
pub fn video_status_view(props: &VideoStatusProps) -> Html {
    let video = &props.video;
    match video.status {
        VideoStatus::Queued => html! {
            <div class="video-status" data-status="queued">
                <progress max="100" value="0" />
                <p>{ "Waiting for a free generator…" }</p>
            </div>
        },
        VideoStatus::InProgress => html! {
            <div class="video-status" data-status="in_progress">
                <progress max="100" value={video.progress.to_string()} />
                <p>{ format!("Generating: {}%", video.progress) }</p>
            </div>
        },
        VideoStatus::Completed => html! {
            <div class="video-status" data-status="completed">
                <video class="player" controls=true src={api::videos::content_url(&video.id, "video")} poster={api::videos::content_url(&video.id, "thumbnail")} />
            </div>
        },
        VideoStatus::Failed => html! {
            <div class="video-status" data-status="failed">
                <p class="error">{ video.error.as_ref().map_or_else(|| "The generation failed.".to_owned(), |e| e.message.clone()) }</p>
            </div>
        },
    }
}
