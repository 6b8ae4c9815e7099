//! The Preview button and what it makes: a clip generated in this browser from the slots the
//! server's reader found (no pixels leave the machine, the server spends nothing), with its
//! progress, its timings and a one-click new seed.

use std::rc::Rc;

use kino_core::slots::ClipSlots;
use yew::prelude::*;

use crate::api;
use crate::components::preview_player::PreviewPlayer;
use crate::preview::{EngineInfo, PreviewClip, PreviewEvent, PreviewWorker};

#[derive(Properties, PartialEq)]
pub struct PreviewPanelProps {
    /// A model with an in-browser preview (kino-2's family).
    pub model: String,
    /// The prompt and what the reader understood of it, as corrected; `None` until it
    /// understood.
    pub understood: Option<(String, ClipSlots)>,
    /// "Keep": the server makes the shown take (the same slots, seed and steps) as a signed
    /// video in the library.
    pub on_keep: Callback<Take>,
}

/// What makes a preview again: the same frames and sound.
#[derive(Debug, Clone, PartialEq)]
pub struct Take {
    /// The prompt and slots it was made from (the page's may have changed since).
    pub prompt: String,
    pub slots: ClipSlots,
    pub seed: u32,
    pub steps: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
enum Stage {
    #[default]
    Idle,
    /// Share of the model's bytes in.
    Loading(f64),
    /// Share of the sampling steps done.
    Making(f64),
    Ready,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
struct PreviewState {
    /// The clip asked for last; answers about older ones are ignored.
    asked: u32,
    /// When it was asked for (the page's clock, ms).
    asked_at: f64,
    /// The prompt and slots it was asked for.
    asked_for: Option<(String, ClipSlots)>,
    stage: Stage,
    engine: Option<EngineInfo>,
    /// The clip on screen and the take that makes it again.
    shown: Option<(Rc<PreviewClip>, Take)>,
    /// Seconds from the click to the clip on screen.
    shown_after: f64,
}

enum PreviewAction {
    Ask { id: u32, at: f64, understood: (String, ClipSlots) },
    Report { event: PreviewEvent, at: f64 },
}

impl Reducible for PreviewState {
    type Action = PreviewAction;

    fn reduce(self: Rc<Self>, action: PreviewAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            PreviewAction::Ask { id, at, understood } => {
                next.asked = id;
                next.asked_at = at;
                next.asked_for = Some(understood);
                next.stage = if next.engine.is_some() { Stage::Making(0.0) } else { Stage::Loading(0.0) };
            }
            PreviewAction::Report { event, at } => match event {
                PreviewEvent::Loading(fraction) => next.stage = Stage::Loading(fraction),
                PreviewEvent::Loaded(info) => {
                    next.engine = Some(info);
                    next.stage = Stage::Making(0.0);
                }
                PreviewEvent::Progress { id, fraction } if id == next.asked => next.stage = Stage::Making(fraction),
                PreviewEvent::Clip(clip) if clip.id == next.asked => {
                    next.shown_after = (at - next.asked_at) / 1000.0;
                    next.shown = next.asked_for.clone().map(|(prompt, slots)| {
                        let take = Take { prompt, slots, seed: clip.seed, steps: clip.steps };
                        (clip, take)
                    });
                    next.stage = Stage::Ready;
                }
                PreviewEvent::Failed { id, message } if id.is_none_or(|id| id == next.asked) => next.stage = Stage::Failed(message),
                PreviewEvent::Progress { .. } | PreviewEvent::Clip(_) | PreviewEvent::Failed { .. } => return self,
            },
        }
        Rc::new(next)
    }
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

#[function_component(PreviewPanel)]
pub fn preview_panel(props: &PreviewPanelProps) -> Html {
    let state = use_reducer(PreviewState::default);
    // The worker and the model it holds; started by the first preview asked for.
    let worker = use_mut_ref(|| None::<(String, PreviewWorker)>);
    let next_id = use_mut_ref(|| 0u32);
    let ask = {
        let (model, understood, state, worker, next_id) = (props.model.clone(), props.understood.clone(), state.clone(), worker.clone(), next_id.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(understood) = &understood else { return };
            let id = {
                let mut counter = next_id.borrow_mut();
                *counter += 1;
                *counter
            };
            state.dispatch(PreviewAction::Ask { id, at: now(), understood: understood.clone() });
            let mut held = worker.borrow_mut();
            if held.as_ref().is_none_or(|(loaded, _)| loaded != &model) {
                let dispatcher = state.dispatcher();
                let on_event = Callback::from(move |event: PreviewEvent| dispatcher.dispatch(PreviewAction::Report { event, at: now() }));
                *held = None;
                match PreviewWorker::start(&api::videos::preview_manifest_url(&model), on_event) {
                    Ok(started) => *held = Some((model.clone(), started)),
                    Err(message) => return fail(&state, id, format!("the preview engine could not start: {message}")),
                }
            }
            // A fresh seed each time: "Preview" again is "another take".
            let seed = (js_sys::Math::random() * 1e9) as u32;
            if let Some((_, running)) = held.as_ref()
                && let Err(message) = running.generate(id, &understood.1, seed)
            {
                fail(&state, id, message);
            }
        })
    };
    let keep = {
        let (on_keep, shown) = (props.on_keep.clone(), state.shown.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((_, take)) = &shown {
                on_keep.emit(take.clone())
            }
        })
    };
    let busy = matches!(state.stage, Stage::Loading(_) | Stage::Making(_));
    let label = if state.shown.is_some() { "Preview another take" } else { "Preview" };
    html! {
        <section class="preview" id="create-preview-panel" aria-live="polite">
            <button type="button" id="create-preview" class="secondary" onclick={ask} disabled={busy || props.understood.is_none()}>{ label }</button>
            { status(&state, &props.model) }
            if let Some((clip, _)) = &state.shown {
                <PreviewPlayer clip={clip.clone()} />
                <button type="button" id="keep-preview" onclick={keep}>{ "Keep this take" }</button>
                <p class="hint">{ "Keep asks the server to make this same take (its seed and steps; your browser sends no pixels) as a video in your library, with Kino's watermarks and a signed C2PA manifest." }</p>
            }
        </section>
    }
}

fn fail(state: &UseReducerHandle<PreviewState>, id: u32, message: String) {
    state.dispatch(PreviewAction::Report { event: PreviewEvent::Failed { id: Some(id), message }, at: now() });
}

fn status(state: &PreviewState, model: &str) -> Html {
    let percent = |fraction: f64| format!("{:.0}%", fraction * 100.0);
    match &state.stage {
        Stage::Idle => html! {
            <p class="hint" id="preview-status">{ "Preview makes a short draft of this video in your browser, on your own device, before the server makes the full clip." }</p>
        },
        Stage::Loading(fraction) => html! {
            <p class="hint" id="preview-status" data-stage="loading">
                { format!("Loading {model} into this browser: {}", percent(*fraction)) }
                <progress max="1" value={fraction.to_string()} />
            </p>
        },
        Stage::Making(fraction) => html! {
            <p class="hint" id="preview-status" data-stage="making">
                { format!("Making the preview on this device: {}", percent(*fraction)) }
                <progress max="1" value={fraction.to_string()} />
            </p>
        },
        Stage::Ready => {
            let engine = state.engine.as_ref().map(|e| {
                format!(
                    "; the engine ({}, on this device's CPU with WebAssembly SIMD) loaded in {:.1} s, its weights {}",
                    e.model,
                    e.seconds,
                    if e.cached { "from this browser's cache" } else { "downloaded and checked" }
                )
            });
            html! {
                <p class="hint" id="preview-status" data-stage="ready">
                    { format!("Shown {:.1} s after the click{}.", state.shown_after, engine.unwrap_or_default()) }
                </p>
            }
        }
        Stage::Failed(message) => html! {
            <p class="error" id="preview-status" data-stage="failed">{ format!("The preview failed: {message}") }</p>
        },
    }
}
