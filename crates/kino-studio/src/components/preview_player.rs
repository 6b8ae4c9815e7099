//! Plays a preview made in the page: its frames on a canvas, its sound through WebAudio, both
//! on the sound's clock so they stay together; pause and step through it frame by frame.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{AudioBufferSourceNode, AudioContext, AudioScheduledSourceNode, CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, ImageData};
use yew::prelude::*;

use crate::preview::PreviewClip;

#[derive(Properties, PartialEq)]
pub struct PreviewPlayerProps {
    pub clip: Rc<PreviewClip>,
}

/// What plays while `playing`: the sound and the timer that moves the frames.
struct Playback {
    source: Option<AudioBufferSourceNode>,
    timer: i32,
    _tick: Closure<dyn FnMut()>,
}

impl Drop for Playback {
    fn drop(&mut self) {
        if let Some(source) = &self.source {
            let _ = AudioScheduledSourceNode::stop(source);
        }
        if let Some(window) = web_sys::window() {
            window.clear_interval_with_handle(self.timer);
        }
    }
}

#[function_component(PreviewPlayer)]
pub fn preview_player(props: &PreviewPlayerProps) -> Html {
    let clip = props.clip.clone();
    let canvas = use_node_ref();
    let playing = use_state(|| true);
    let frame = use_state(|| 0u32);
    // One audio context for the page's life: browsers limit how many may exist.
    let audio = use_mut_ref(|| None::<AudioContext>);
    {
        // A new clip starts from its first frame.
        let (frame, playing) = (frame.clone(), playing.clone());
        use_effect_with(clip.id, move |_| {
            frame.set(0);
            playing.set(true);
        });
    }
    {
        let (canvas, clip) = (canvas.clone(), clip.clone());
        use_effect_with((clip.id, *frame), move |(_, index)| draw(&canvas, &clip, *index));
    }
    {
        let (clip, frame, audio) = (clip.clone(), frame.clone(), audio.clone());
        use_effect_with((clip.id, *playing), move |(_, playing)| {
            let playback = playing.then(|| play(&clip, &frame, &audio)).flatten();
            move || drop(playback)
        });
    }
    let toggle = {
        let playing = playing.clone();
        Callback::from(move |_: MouseEvent| playing.set(!*playing))
    };
    let seek = {
        let (playing, frame) = (playing.clone(), frame.clone());
        Callback::from(move |event: InputEvent| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else { return };
            playing.set(false);
            frame.set(input.value().parse().unwrap_or(0));
        })
    };
    let sound = match clip.peak_dbfs() {
        Some(peak) => format!("sound peak {peak:.1} dB"),
        None => "no sound".to_owned(),
    };
    html! {
        <figure class="preview-player" id="preview-player" data-frames={clip.frames.to_string()} data-seed={clip.seed.to_string()}>
            <canvas ref={canvas} id="preview-canvas" width={clip.width.to_string()} height={clip.height.to_string()} />
            <div class="preview-controls">
                <button type="button" id="preview-play" onclick={toggle}>{ if *playing { "Pause" } else { "Play" } }</button>
                <input type="range" id="preview-frame" aria-label="Frame" min="0" max={clip.frames.saturating_sub(1).to_string()} value={frame.to_string()} oninput={seek} />
                <span class="hint" id="preview-frame-number">{ format!("frame {} of {}", *frame + 1, clip.frames) }</span>
            </div>
            <figcaption class="hint" id="preview-info">
                { format!(
                    "{} frames at {} fps ({:.1} s), {}x{}, {sound}; seed {}, {} steps, made in {:.1} s on this device",
                    clip.frames, clip.fps, clip.duration(), clip.width, clip.height, clip.seed, clip.steps, clip.seconds
                ) }
            </figcaption>
        </figure>
    }
}

fn draw(canvas: &NodeRef, clip: &PreviewClip, index: u32) {
    let Some(canvas) = canvas.cast::<HtmlCanvasElement>() else { return };
    let Some(context) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok()) else { return };
    if let Ok(image) = ImageData::new_with_js_u8_clamped_array_and_sh(&clip.frame(index), clip.width, clip.height) {
        let _ = context.put_image_data(&image, 0, 0);
    }
}

/// Starts the sound from the shown frame and a timer that follows its clock; without WebAudio
/// the frames follow the page's clock in silence.
fn play(clip: &Rc<PreviewClip>, frame: &UseStateHandle<u32>, audio: &Rc<RefCell<Option<AudioContext>>>) -> Option<Playback> {
    let window = web_sys::window()?;
    let offset = f64::from(**frame) / clip.fps;
    if audio.borrow().is_none() {
        *audio.borrow_mut() = AudioContext::new().ok();
    }
    let context = audio.borrow().clone();
    let source = context.as_ref().and_then(|context| start_sound(context, clip, offset));
    let performance = window.performance()?;
    // Seconds into the clip, on the sound's clock when it plays.
    let clock: Box<dyn Fn() -> f64> = match (&context, &source) {
        (Some(context), Some(_)) => {
            let (context, started) = (context.clone(), context.current_time() - offset);
            Box::new(move || context.current_time() - started)
        }
        _ => {
            let started = performance.now() / 1000.0 - offset;
            Box::new(move || performance.now() / 1000.0 - started)
        }
    };
    let period = (500.0 / clip.fps).max(10.0) as i32;
    let (clip, frame) = (clip.clone(), frame.clone());
    let mut shown = *frame;
    let tick = Closure::<dyn FnMut()>::new(move || {
        let elapsed = clock().max(0.0) % clip.duration();
        let index = ((elapsed * clip.fps) as u32).min(clip.frames.saturating_sub(1));
        if index != shown {
            shown = index;
            frame.set(index);
        }
    });
    let timer = window.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), period).ok()?;
    Some(Playback { source, timer, _tick: tick })
}

fn start_sound(context: &AudioContext, clip: &PreviewClip, offset: f64) -> Option<AudioBufferSourceNode> {
    let samples = clip.audio.to_vec();
    if samples.is_empty() {
        return None;
    }
    let buffer = context.create_buffer(1, samples.len() as u32, clip.sample_rate).ok()?;
    buffer.copy_to_channel(&samples, 0).ok()?;
    let source = context.create_buffer_source().ok()?;
    source.set_buffer(Some(&buffer));
    source.set_loop(true);
    source.connect_with_audio_node(&context.destination()).ok()?;
    // A page that has not been clicked yet starts suspended; the Preview click allows sound.
    let _ = context.resume();
    source.start_with_when_and_grain_offset(0.0, offset).ok()?;
    Some(source)
}
