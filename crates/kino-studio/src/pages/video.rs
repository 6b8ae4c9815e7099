//! `/v/{id}`: one video: play it, like it, comment, remix it, report it; where it comes
//! from (its ancestry) and what was made from it (its remixes).

use kino_core::api::{NewReport, ReportReason, VideoPage, VideoStatus};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::api::videos::VideoEvents;
use crate::app::Route;
use crate::components::publish_control::PublishControl;
use crate::components::unix_date;
use crate::components::video_card::VideoCardView;
use crate::components::video_status::VideoStatusView;
use crate::session::use_session;

#[derive(Properties, PartialEq)]
pub struct VideoPageProps {
    pub id: AttrValue,
}

fn text_of(node: &NodeRef) -> String {
    node.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default()
}

#[function_component(VideoPageView)]
pub fn video_page(props: &VideoPageProps) -> Html {
    let page = use_state(|| None::<Result<VideoPage, api::ApiError>>);
    let session = use_session();
    let reload = {
        let (page, id) = (page.clone(), props.id.clone());
        Callback::from(move |_: ()| {
            let (page, id) = (page.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move { page.set(Some(api::posts::page(&id).await)) });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(props.id.clone(), move |_| reload.emit(()));
    }
    // My own video still being made: follow its progress live, and reload once it is done.
    let events = use_mut_ref(|| None::<VideoEvents>);
    let running = matches!(&*page, Some(Ok(data)) if matches!(data.card.video.status, VideoStatus::Queued | VideoStatus::InProgress));
    let mine_running = running && matches!((&*page, session.account()), (Some(Ok(data)), Some(me)) if data.card.owner == me.handle);
    {
        let (events, page, reload, id) = (events.clone(), page.clone(), reload.clone(), props.id.clone());
        use_effect_with((id.clone(), mine_running), move |(id, on)| {
            *events.borrow_mut() = None;
            if *on {
                let stream = VideoEvents::open(id, move |video| {
                    let finished = !matches!(video.status, VideoStatus::Queued | VideoStatus::InProgress);
                    if finished {
                        reload.emit(());
                    } else if let Some(Ok(mut data)) = (*page).clone() {
                        data.card.video = video;
                        page.set(Some(Ok(data)));
                    }
                });
                *events.borrow_mut() = stream.ok();
            }
        });
    }
    let data = match &*page {
        None => return html! { <p>{ "Loading…" }</p> },
        Some(Err(problem)) => {
            return html! { <p class="error" id="video-error">{ problem.to_string() }</p> };
        }
        Some(Ok(data)) => data.clone(),
    };
    let card = &data.card;
    let me = session.account().map(|a| a.handle.to_string());
    let mine = me.as_deref() == Some(card.owner.as_str());
    let id = card.video.id.clone();

    let like = {
        let (id, reload, liked) = (id.clone(), reload.clone(), card.liked);
        Callback::from(move |_: MouseEvent| {
            let (id, reload) = (id.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = api::posts::set_like(&id, !liked).await;
                reload.emit(());
            });
        })
    };
    let comment_text = use_node_ref();
    let comment_error = use_state(|| None::<String>);
    let send_comment = {
        let (id, reload, node, error) = (id.clone(), reload.clone(), comment_text.clone(), comment_error.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (id, reload, node, error) = (id.clone(), reload.clone(), node.clone(), error.clone());
            let body = text_of(&node);
            wasm_bindgen_futures::spawn_local(async move {
                match api::posts::comment(&id, &body).await {
                    Ok(_) => {
                        if let Some(area) = node.cast::<HtmlTextAreaElement>() {
                            area.set_value("");
                        }
                        error.set(None);
                        reload.emit(());
                    }
                    Err(problem) => error.set(Some(problem.to_string())),
                }
            });
        })
    };
    let remix_text = use_node_ref();
    let remix_state = use_state(|| None::<Result<String, String>>);
    let send_remix = {
        let (id, node, state) = (id.clone(), remix_text.clone(), remix_state.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (id, state) = (id.clone(), state.clone());
            let prompt = text_of(&node);
            wasm_bindgen_futures::spawn_local(async move {
                state.set(Some(match api::posts::remix(&id, &prompt).await {
                    Ok(video) => Ok(video.id),
                    Err(problem) => Err(problem.to_string()),
                }));
            });
        })
    };
    let report_reason = use_node_ref();
    let report_note = use_node_ref();
    let report_state = use_state(|| None::<Result<(), String>>);
    let send_report = {
        let (id, reason, note, state) = (id.clone(), report_reason.clone(), report_note.clone(), report_state.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let raw = reason.cast::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            let Ok(reason) = serde_json::from_value::<ReportReason>(serde_json::Value::String(raw)) else {
                return;
            };
            let report = NewReport { reason, note: text_of(&note) };
            let (id, state) = (id.clone(), state.clone());
            wasm_bindgen_futures::spawn_local(async move {
                state.set(Some(api::posts::report(&id, &report).await.map(|_| ()).map_err(|e| e.to_string())));
            });
        })
    };

    let comments = data.comments.iter().map(|comment| {
        let can_delete = mine || me.as_deref() == Some(comment.author.as_str());
        let delete = {
            let (comment_id, reload) = (comment.id.clone(), reload.clone());
            Callback::from(move |_: MouseEvent| {
                let (comment_id, reload) = (comment_id.clone(), reload.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = api::posts::delete_comment(&comment_id).await;
                    reload.emit(());
                });
            })
        };
        html! {
            <li class="comment" data-comment-id={comment.id.clone()}>
                <Link<Route> to={Route::Profile { handle: comment.author.to_string() }}>{ format!("@{}", comment.author) }</Link<Route>>
                <span class="comment-body">{ format!(" {}", comment.body) }</span>
                <span class="hint">{ format!(" · {}", unix_date(comment.created_at)) }</span>
                if can_delete {
                    <button class="link-button" onclick={delete}>{ "Delete" }</button>
                }
            </li>
        }
    });
    let signed_in = me.is_some();
    html! {
        <>
            <h1 class="video-title">{ &card.video.prompt }</h1>
            <p class="hint">
                <Link<Route> to={Route::Profile { handle: card.owner.to_string() }}>{ format!("@{}", card.owner) }</Link<Route>>
                { format!(" · {} · {} · {} s · {}", card.video.model, card.kind, card.video.seconds, card.visibility.as_str()) }
            </p>
            <VideoStatusView video={card.video.clone()} />
            <div class="row actions">
                <button id="like-button" class={classes!("like", card.liked.then_some("liked"))} disabled={!signed_in} onclick={like}>
                    { if card.liked { "♥ Liked" } else { "♡ Like" } }
                </button>
                <span id="like-count" class="hint">{ format!("{} likes", card.likes) }</span>
            </div>
            if mine && card.video.status == VideoStatus::Completed {
                <PublishControl video_id={id.clone()} visibility={card.visibility} />
            }
            if !data.ancestry.is_empty() {
                <section id="ancestry">
                    <h2>{ "Made from" }</h2>
                    <div class="video-grid">{ for data.ancestry.iter().map(|c| html! { <VideoCardView card={c.clone()} /> }) }</div>
                </section>
            }
            <section id="remixes">
                <h2>{ format!("Remixes ({})", data.remixes.len()) }</h2>
                if data.remixes.is_empty() {
                    <p class="hint">{ "No remixes yet." }</p>
                }
                <div class="video-grid">{ for data.remixes.iter().map(|c| html! { <VideoCardView card={c.clone()} /> }) }</div>
            </section>
            if signed_in && card.video.status == VideoStatus::Completed {
                <section id="remix">
                    <h2>{ "Remix it" }</h2>
                    <form onsubmit={send_remix}>
                        <label for="remix-prompt">{ "Your prompt" }</label>
                        <textarea id="remix-prompt" ref={remix_text} rows="2" placeholder="the same, but the ball is blue" />
                        <button type="submit" id="remix-submit">{ "Remix" }</button>
                    </form>
                    { match &*remix_state {
                        Some(Ok(new_id)) => html! { <p id="remix-started">{ "Remix started: " }<Link<Route> to={Route::Video { id: new_id.clone() }}>{ "follow its progress" }</Link<Route>></p> },
                        Some(Err(problem)) => html! { <p class="error" id="remix-error">{ problem }</p> },
                        None => html! {},
                    } }
                </section>
            }
            <section id="comments">
                <h2>{ format!("Comments ({})", data.comments.len()) }</h2>
                <ul class="comments">{ for comments }</ul>
                if signed_in {
                    <form onsubmit={send_comment}>
                        <label for="comment-body">{ "Add a comment" }</label>
                        <textarea id="comment-body" ref={comment_text} rows="2" />
                        <button type="submit" id="comment-submit">{ "Comment" }</button>
                        if let Some(problem) = &*comment_error {
                            <p class="error" id="comment-error">{ problem }</p>
                        }
                    </form>
                }
            </section>
            if signed_in && !mine {
                <details id="report">
                    <summary>{ "Report this video" }</summary>
                    <form onsubmit={send_report}>
                        <label for="report-reason">{ "Reason" }</label>
                        <select id="report-reason" ref={report_reason}>
                            <option value="harassment">{ "Harassment" }</option>
                            <option value="sexual">{ "Sexual content" }</option>
                            <option value="violence">{ "Violence" }</option>
                            <option value="impersonation">{ "Impersonation" }</option>
                            <option value="spam">{ "Spam" }</option>
                            <option value="other">{ "Something else" }</option>
                        </select>
                        <label for="report-note">{ "Anything moderators should know" }</label>
                        <textarea id="report-note" ref={report_note} rows="2" />
                        <button type="submit" id="report-submit">{ "Send report" }</button>
                    </form>
                    { match &*report_state {
                        Some(Ok(())) => html! { <p id="report-sent">{ "Thank you. Moderators will look at it." }</p> },
                        Some(Err(problem)) => html! { <p class="error">{ problem }</p> },
                        None => html! {},
                    } }
                </details>
            }
        </>
    }
}
