//! `/create`: describe a video, see what Kino understood of it (and correct it), have the server
//! make it, watch it arrive.

use std::cell::Cell;
use std::rc::Rc;

use kino_core::Prompt;
use kino_core::api::{Account, CreateVideo, ModelList, UnderstandPrompt, Video};
use kino_core::slots::ClipSlots;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::api;
use crate::api::videos::VideoEvents;
use crate::components::field::FormError;
use crate::components::preview_panel::{PreviewPanel, Take};
use crate::components::signed_in::SignedIn;
use crate::components::understood::Understood;
use crate::components::video_status::VideoStatusView;

/// What the reader made of the prompt being typed.
#[derive(Debug, Clone, PartialEq)]
enum Reading {
    /// Nothing asked yet, or a model that reads no slots.
    None,
    /// The slots, the prompt they were read from, and whether the person corrected them.
    Slots { prompt: String, slots: ClipSlots, corrected: bool },
    /// The reader found nothing it can draw (its message).
    NotUnderstood(String),
}

#[function_component(CreatePage)]
pub fn create_page() -> Html {
    html! { <SignedIn render={Callback::from(|account: Account| html! { <Create {account} /> })} /> }
}

#[derive(Properties, PartialEq)]
struct CreateProps {
    account: Account,
}

#[function_component(Create)]
fn create(props: &CreateProps) -> Html {
    let models = use_state(|| None::<Result<ModelList, api::ApiError>>);
    let video = use_state(|| None::<Video>);
    let events = use_mut_ref(|| None::<VideoEvents>);
    let error = use_state(|| None::<FormError>);
    let reading = use_state(|| Reading::None);
    // The model picked, once the person changes it (before that, the server's default).
    let picked = use_state(|| None::<String>);
    // Only the answer to the latest prompt is shown.
    let asked = use_mut_ref(|| Rc::new(Cell::new(0u64)));
    let (prompt, model, length) = (use_node_ref(), use_node_ref(), use_node_ref());
    {
        let models = models.clone();
        use_effect_with((), move |_| wasm_bindgen_futures::spawn_local(async move { models.set(Some(api::videos::models().await)) }));
    }
    let read_prompt = {
        let (prompt, model, reading, asked) = (prompt.clone(), model.clone(), reading.clone(), asked.clone());
        Callback::from(move |_: ()| {
            let text = prompt.cast::<HtmlTextAreaElement>().map(|el| el.value()).unwrap_or_default();
            let chosen = model.cast::<HtmlSelectElement>().map(|el| el.value()).filter(|m| !m.is_empty());
            let counter = asked.borrow().clone();
            let ticket = counter.get() + 1;
            counter.set(ticket);
            if Prompt::parse(&text).is_err() {
                return reading.set(Reading::None);
            }
            let reading = reading.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::videos::understand(&UnderstandPrompt { prompt: text.clone(), model: chosen }).await;
                if counter.get() != ticket {
                    return;
                }
                reading.set(match answer {
                    Ok(understanding) => match (understanding.slots, understanding.problem) {
                        (Some(slots), _) => Reading::Slots { prompt: text, slots, corrected: false },
                        (None, Some(problem)) => Reading::NotUnderstood(problem),
                        (None, None) => Reading::None,
                    },
                    Err(problem) => Reading::NotUnderstood(problem.to_string()),
                });
            });
        })
    };
    let oninput = {
        let read_prompt = read_prompt.clone();
        Callback::from(move |_: InputEvent| read_prompt.emit(()))
    };
    let onmodel = {
        let (read_prompt, model, picked) = (read_prompt.clone(), model.clone(), picked.clone());
        Callback::from(move |_: Event| {
            picked.set(model.cast::<HtmlSelectElement>().map(|el| el.value()));
            read_prompt.emit(())
        })
    };
    let on_correct = {
        let reading = reading.clone();
        Callback::from(move |slots: ClipSlots| {
            if let Reading::Slots { prompt, .. } = &*reading {
                reading.set(Reading::Slots { prompt: prompt.clone(), slots, corrected: true })
            }
        })
    };
    // Generate sends the prompt (and the slots only when corrected); Keep sends a preview's
    // take: the prompt and slots it was made from, its seed and its steps, so the server makes
    // that same clip even if the prompt was edited since.
    let submit = {
        let (prompt, model, length, video, events, error, reading) =
            (prompt.clone(), model.clone(), length.clone(), video.clone(), events.clone(), error.clone(), reading.clone());
        Callback::from(move |take: Option<Take>| {
            let (text, slots, seed, steps) = match (take, &*reading) {
                (Some(take), _) => (take.prompt, Some(take.slots), Some(take.seed), Some(take.steps)),
                (None, reading) => {
                    let text = prompt.cast::<HtmlTextAreaElement>().map(|el| el.value()).unwrap_or_default();
                    let corrected = match reading {
                        Reading::Slots { slots, corrected: true, .. } => Some(slots.clone()),
                        _ => None,
                    };
                    (text, corrected, None, None)
                }
            };
            if let Err(problem) = Prompt::parse(&text) {
                return error.set(Some(FormError::at("prompt", problem)));
            }
            let request = CreateVideo {
                prompt: text,
                model: model.cast::<HtmlSelectElement>().map(|el| el.value()).filter(|m| !m.is_empty()),
                seconds: length.cast::<HtmlSelectElement>().map(|el| el.value()).filter(|s| !s.is_empty()),
                size: None,
                slots,
                seed,
                steps,
            };
            error.set(None);
            let (video, events, error) = (video.clone(), events.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::videos::create(&request).await {
                    Ok(created) => {
                        let id = created.id.clone();
                        video.set(Some(created));
                        let updates = video.clone();
                        match VideoEvents::open(&id, move |next| updates.set(Some(next))) {
                            Ok(stream) => *events.borrow_mut() = Some(stream),
                            Err(problem) => error.set(Some(problem.into())),
                        }
                    }
                    Err(problem) => error.set(Some(problem.into())),
                }
            });
        })
    };
    let onsubmit = {
        let submit = submit.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            submit.emit(None)
        })
    };
    let on_keep = submit.reform(Some);
    let choices = match &*models {
        None => return html! { <p>{ "Loading…" }</p> },
        Some(Err(problem)) => return html! { <p class="error">{ problem.to_string() }</p> },
        Some(Ok(list)) => list.models.clone(),
    };
    if choices.is_empty() {
        return html! {
            <section class="card" id="no-models">
                <h1>{ "Create" }</h1>
                <p class="notice">{ "This Kino server has no generation model installed yet, so it cannot make videos. Its operator installs one by placing trained weights in the models folder." }</p>
            </section>
        };
    }
    let is_pro = props.account.plan == kino_core::api::Plan::Pro;
    let chosen = choices.iter().find(|m| (*picked).as_ref().map_or(m.default, |id| &m.id == id));
    // kino-2's family runs in the browser too; kino-1 only on the server.
    let previewable = chosen.filter(|m| m.version >= 2).map(|m| m.id.clone());
    let understood = match &*reading {
        Reading::Slots { prompt, slots, .. } => Some((prompt.clone(), slots.clone())),
        _ => None,
    };
    html! {
        <>
            <h1>{ "Create" }</h1>
            <form class="card" {onsubmit} novalidate=true>
                <label for="create-prompt">{ "Describe your video" }</label>
                <textarea id="create-prompt" ref={prompt} rows="3" placeholder="a red rubber ball bounces twice on a wooden floor" {oninput} />
                if let Some(message) = FormError::for_field(&error, "prompt") {
                    <p class="field-error error" id="create-prompt-error">{ message }</p>
                }
                { match &*reading {
                    Reading::Slots { slots, corrected, .. } => html! { <Understood slots={slots.clone()} corrected={*corrected} {on_correct} /> },
                    Reading::NotUnderstood(message) => html! { <p class="hint error" id="create-not-understood">{ message }</p> },
                    Reading::None => html! {},
                } }
                <label for="create-model">{ "Model" }</label>
                <select id="create-model" ref={model} onchange={onmodel}>
                    { for choices.iter().filter(|m| is_pro || !m.pro).map(|m| html! {
                        <option value={m.id.clone()} selected={m.default}>
                            { format!("{}{}: {}", m.id, if m.legacy { " (legacy)" } else { "" }, m.description) }
                        </option>
                    }) }
                </select>
                <label for="create-seconds">{ "Length" }</label>
                // The model's own window first: the quickest to make. Longer clips continue it
                // window by window, each adding to the wait.
                <select id="create-seconds" ref={length}>
                    { for chosen.iter().flat_map(|m| m.seconds.iter()).enumerate().map(|(i, s)| html! {
                        <option value={s.clone()} selected={i == 0}>{ format!("{s} seconds") }</option>
                    }) }
                </select>
                if let Some(message) = FormError::general(&error, &["prompt"]) {
                    <p class="error" id="create-error">{ message }</p>
                }
                <button type="submit">{ "Generate" }</button>
                if let Some(model) = previewable {
                    <PreviewPanel {model} {understood} {on_keep} />
                }
            </form>
            if let Some(video) = &*video {
                <section class="card" id="create-result" data-video-id={video.id.clone()}>
                    <p class="hint">{ &video.prompt }</p>
                    if let Some(slots) = &video.understood {
                        <p class="hint" id="create-result-understood">{ format!("Made from: {}", slots.describe()) }</p>
                    }
                    <VideoStatusView video={video.clone()} />
                </section>
            }
        </>
    }
}
