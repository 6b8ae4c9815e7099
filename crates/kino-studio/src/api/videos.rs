//! `/api/v1/videos`, `/api/v1/models` and `/api/v1/understand`.

use kino_core::api::{CreateVideo, DeletedVideo, ModelList, UnderstandPrompt, Understanding, Video, VideoList};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::{ApiError, delete, get, post, request};

pub async fn models() -> Result<ModelList, ApiError> {
    request(get("/models").build()).await
}

/// What a model reads in a prompt, before anything is made.
pub async fn understand(body: &UnderstandPrompt) -> Result<Understanding, ApiError> {
    request(post("/understand").json(body)).await
}

pub async fn create(body: &CreateVideo) -> Result<Video, ApiError> {
    request(post("/videos").json(body)).await
}

pub async fn list() -> Result<VideoList, ApiError> {
    request(get("/videos?limit=100").build()).await
}

pub async fn cancel(id: &str) -> Result<Video, ApiError> {
    request(post(&format!("/videos/{id}/cancel")).build()).await
}

pub async fn delete_video(id: &str) -> Result<DeletedVideo, ApiError> {
    request(delete(&format!("/videos/{id}")).build()).await
}

/// Where the browser fetches a finished video's files.
pub fn content_url(id: &str, variant: &str) -> String {
    format!("{}/videos/{id}/content?variant={variant}", super::API_ROOT)
}

/// Where the preview engine finds a model's files (`www/preview-worker.js` fetches it).
pub fn preview_manifest_url(model: &str) -> String {
    format!("{}/models/{model}/preview", super::API_ROOT)
}

/// Live updates of one video. Dropping it closes the connection.
pub struct VideoEvents {
    source: web_sys::EventSource,
    _on_video: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl VideoEvents {
    /// Calls `on_video` with each new state of the video until it is finished.
    pub fn open(id: &str, on_video: impl Fn(Video) + 'static) -> Result<Self, ApiError> {
        let source = web_sys::EventSource::new(&format!("{}/videos/{id}/events", super::API_ROOT))
            .map_err(|_| ApiError::Network("the browser refused to open an event stream".to_owned()))?;
        let closer = source.clone();
        let on_video = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            if let Ok(video) = serde_json::from_str::<Video>(&text) {
                if video.status != kino_core::api::VideoStatus::Queued && video.status != kino_core::api::VideoStatus::InProgress {
                    // Finished: stop the browser from reconnecting once the server closes.
                    closer.close();
                }
                on_video(video);
            }
        });
        source
            .add_event_listener_with_callback("video", on_video.as_ref().unchecked_ref())
            .map_err(|_| ApiError::Network("cannot listen to the event stream".to_owned()))?;
        Ok(Self { source, _on_video: on_video })
    }
}

impl Drop for VideoEvents {
    fn drop(&mut self) {
        self.source.close();
    }
}
