//! The in-browser preview: the only place that talks to the preview engine's Web Worker
//! (`www/preview-worker.js`, which loads kino-preview's wasm and the model's weight files off the
//! page's thread, checks them against their hashes and keeps them in the browser's cache). The
//! worker starts when the first preview is asked for, so a visitor who never asks loads none of
//! it.

use std::rc::Rc;

use js_sys::{Float32Array, Object, Reflect, Uint8ClampedArray};
use kino_core::slots::ClipSlots;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use web_sys::{Event, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

/// What the worker reports.
#[derive(Debug, Clone, PartialEq)]
pub enum PreviewEvent {
    /// The share of the model's bytes fetched (or read back from the browser's cache).
    Loading(f64),
    /// The engine is ready.
    Loaded(EngineInfo),
    /// The share of a clip's sampling steps done.
    Progress {
        id: u32,
        fraction: f64,
    },
    Clip(Rc<PreviewClip>),
    /// A clip (`id`) or the engine itself (`None`) failed.
    Failed {
        id: Option<u32>,
        message: String,
    },
}

/// The loaded engine.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineInfo {
    pub model: String,
    /// From starting the worker to a ready engine.
    pub seconds: f64,
    /// Every weight file came from the browser's cache.
    pub cached: bool,
}

/// A clip made on this machine.
#[derive(Debug, Clone)]
pub struct PreviewClip {
    pub id: u32,
    pub seed: u32,
    pub steps: u32,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    pub frames: u32,
    /// Every frame's RGBA bytes one after another.
    pub rgba: Uint8ClampedArray,
    /// Mono sound at `sample_rate`, in `[-1, 1]`.
    pub audio: Float32Array,
    pub sample_rate: f32,
    /// Time the engine took to make it.
    pub seconds: f64,
}

/// The same clip: the same id and the same frames in the page's memory.
impl PartialEq for PreviewClip {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.seed == other.seed && JsValue::from(&self.rgba) == JsValue::from(&other.rgba)
    }
}

impl PreviewClip {
    pub fn duration(&self) -> f64 {
        f64::from(self.frames) / self.fps
    }

    /// Frame `index`'s RGBA bytes.
    pub fn frame(&self, index: u32) -> Uint8ClampedArray {
        let size = self.width * self.height * 4;
        let start = index.min(self.frames.saturating_sub(1)) * size;
        self.rgba.subarray(start, start + size)
    }

    /// The sound's loudest sample in dB below full scale, `None` when it is silent.
    pub fn peak_dbfs(&self) -> Option<f64> {
        let peak = self.audio.to_vec().into_iter().fold(0f32, |peak, s| peak.max(s.abs()));
        (peak > 1e-4).then(|| 20.0 * f64::from(peak).log10())
    }
}

/// The running worker; it stops when dropped.
pub struct PreviewWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl PreviewWorker {
    /// Starts the worker and has it load the model whose preview manifest is at `manifest_url`.
    pub fn start(manifest_url: &str, on_event: Callback<PreviewEvent>) -> Result<PreviewWorker, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("/preview-worker.js", &options).map_err(|e| describe(&e))?;
        let on_message = {
            let on_event = on_event.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
                if let Some(event) = parse(&message.data()) {
                    on_event.emit(event);
                }
            })
        };
        // A worker that cannot even start (its script or the engine's wasm missing) says so here.
        let on_error = Closure::<dyn FnMut(Event)>::new(move |error: Event| {
            let detail = Reflect::get(&error, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "its script did not load".into());
            on_event.emit(PreviewEvent::Failed { id: None, message: format!("the preview engine could not start: {detail}") });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let this = PreviewWorker { worker, _on_message: on_message, _on_error: on_error };
        this.post(&[("type", "load".into()), ("manifest", manifest_url.into())])?;
        Ok(this)
    }

    /// Asks for clip `id` of `slots` in the model's preview steps; the answer comes as
    /// [`PreviewEvent::Clip`] or [`PreviewEvent::Failed`] with that id.
    pub fn generate(&self, id: u32, slots: &ClipSlots, seed: u32) -> Result<(), String> {
        let slots = serde_json::to_string(slots).map_err(|e| e.to_string())?;
        self.post(&[("type", "generate".into()), ("id", id.into()), ("slots", slots.into()), ("seed", seed.into())])
    }

    fn post(&self, fields: &[(&str, JsValue)]) -> Result<(), String> {
        let message = Object::new();
        for (key, value) in fields {
            Reflect::set(&message, &(*key).into(), value).map_err(|e| describe(&e))?;
        }
        self.worker.post_message(&message).map_err(|e| describe(&e))
    }
}

impl Drop for PreviewWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

fn parse(data: &JsValue) -> Option<PreviewEvent> {
    let field = |key: &str| Reflect::get(data, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let number = |key: &str| field(key).and_then(|v| v.as_f64()).unwrap_or(0.0);
    let text = |key: &str| field(key).and_then(|v| v.as_string()).unwrap_or_default();
    let whole = |key: &str| number(key) as u32;
    Some(match text("type").as_str() {
        "loading" => PreviewEvent::Loading(number("fraction")),
        "loaded" => PreviewEvent::Loaded(EngineInfo {
            model: text("model"),
            seconds: number("seconds"),
            cached: field("cached").and_then(|v| v.as_bool()).unwrap_or(false),
        }),
        "progress" => PreviewEvent::Progress { id: whole("id"), fraction: number("fraction") },
        "clip" => PreviewEvent::Clip(Rc::new(PreviewClip {
            id: whole("id"),
            seed: whole("seed"),
            steps: whole("steps"),
            width: whole("width"),
            height: whole("height"),
            fps: number("fps"),
            frames: whole("frames"),
            rgba: field("rgba")?.dyn_into().ok()?,
            audio: field("audio")?.dyn_into().ok()?,
            sample_rate: number("sampleRate") as f32,
            seconds: number("seconds"),
        })),
        "error" => PreviewEvent::Failed { id: field("id").and_then(|v| v.as_f64()).map(|id| id as u32), message: text("message") },
        _ => return None,
    })
}

fn describe(error: &JsValue) -> String {
    Reflect::get(error, &"message".into()).ok().and_then(|m| m.as_string()).or_else(|| error.as_string()).unwrap_or_else(|| format!("{error:?}"))
}
