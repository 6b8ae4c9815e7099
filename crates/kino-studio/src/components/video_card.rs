//! A published video in a list: its player, who made it, its prompt and reactions, and a
//! link to its page.

use kino_core::api::VideoCard;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct VideoCardProps {
    pub card: VideoCard,
    /// A line above the card saying why it is here.
    #[prop_or_default]
    pub why: Option<String>,
    /// Extra buttons under the card.
    #[prop_or_default]
    pub children: Html,
}

#[function_component(VideoCardView)]
pub fn video_card_view(props: &VideoCardProps) -> Html {
    let card = &props.card;
    let id = card.video.id.clone();
    html! {
        <article class="card video-card" data-video-id={id.clone()}>
            if let Some(why) = &props.why {
                <p class="hint why">{ why }</p>
            }
            <video class="player" controls=true preload="metadata" src={api::videos::content_url(&id, "video")} poster={api::videos::content_url(&id, "thumbnail")} />
            <p class="prompt">{ &card.video.prompt }</p>
            <p class="hint">
                <Link<Route> to={Route::Profile { handle: card.owner.to_string() }}>{ format!("@{}", card.owner) }</Link<Route>>
                { format!(" · {} likes · {} comments · {} remixes", card.likes, card.comments, card.remixes) }
            </p>
            <div class="row actions">
                <Link<Route> to={Route::Video { id }} classes={classes!("open-video")}>{ "Open" }</Link<Route>>
                { props.children.clone() }
            </div>
        </article>
    }
}
