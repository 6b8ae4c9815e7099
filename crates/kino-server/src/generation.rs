//! Generation: the registry's models loaded from the models folder (once each, shared), one
//! video's clip generated, exported through kino-media (visible mark, invisible watermark,
//! C2PA) and stored as blobs. `kino generate` and the `generate` job both come through here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kino_core::models::ModelSpec;
use kino_model::pipeline::{Generated, Pipeline, PipelineError, Request};

use crate::app::AppState;
use crate::blobs::Variant;
use crate::domain::videos::{GENERATE, GeneratePayload};
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::store;

/// The models folder and the pipelines loaded from it so far.
#[derive(Clone)]
pub struct Models {
    dir: PathBuf,
    loaded: Arc<Mutex<HashMap<&'static str, Arc<Pipeline>>>>,
}

impl Models {
    pub fn new(dir: &Path) -> Models {
        Models { dir: dir.to_owned(), loaded: Arc::default() }
    }

    /// The pipeline of `spec`'s weights, loaded on first use (blocking: call off the runtime).
    pub fn pipeline(&self, spec: &ModelSpec) -> Result<Arc<Pipeline>, PipelineError> {
        if let Some(p) = self.loaded.lock().ok().and_then(|m| m.get(spec.weights).cloned()) {
            return Ok(p);
        }
        let device = burn::tensor::Device::flex();
        let pipeline = Arc::new(Pipeline::load(&self.dir.join(spec.weights), &self.dir.join("minilm"), &device)?);
        if let Ok(mut map) = self.loaded.lock() {
            map.insert(spec.weights, pipeline.clone());
        }
        Ok(pipeline)
    }
}

/// A generated clip as kino-media takes it.
pub fn media_clip(generated: &Generated) -> kino_media::Clip {
    let (w, h) = (generated.width as u32, generated.height as u32);
    kino_media::Clip {
        frames: generated.frames.iter().map(|rgb| kino_media::Frame { width: w, height: h, rgb: rgb.clone() }).collect(),
        fps: generated.fps,
        audio: generated.audio.clone(),
        sample_rate: 16_000,
    }
}

/// The C2PA generator entry for `spec`.
pub fn generator(spec: &ModelSpec) -> kino_media::Generator {
    kino_media::Generator { model: spec.id.to_owned(), ..kino_media::Generator::default() }
}

/// Runs `generate` jobs: the video's model on its prompt, then export and storage.
pub struct GenerateHandler {
    pub state: AppState,
}

impl JobHandler for GenerateHandler {
    fn kind(&self) -> &'static str {
        GENERATE
    }

    fn run(&self, context: JobContext) -> BoxFuture<'_, Result<serde_json::Value, JobError>> {
        async move { self.generate(context).await }.boxed()
    }
}

fn permanent(error: impl std::fmt::Display) -> JobError {
    JobError::Permanent(error.to_string())
}

fn retryable(error: impl std::fmt::Display) -> JobError {
    JobError::Retryable(error.to_string())
}

impl GenerateHandler {
    async fn generate(&self, context: JobContext) -> Result<serde_json::Value, JobError> {
        let payload: GeneratePayload = context.payload()?;
        let (video, watermark) = {
            let mut conn = self.state.db.pool.acquire().await.map_err(retryable)?;
            let video = store::videos::find(&mut conn, &payload.video_id).await.map_err(retryable)?.ok_or_else(|| permanent("the video was deleted"))?;
            let watermark = store::videos::watermark_id(&mut conn, &video.id).await.map_err(retryable)?.unwrap_or_default();
            (video, watermark)
        };
        let spec = kino_core::models::find(&video.model).ok_or_else(|| permanent(format!("model `{}` is not known to this server", video.model)))?;
        let models = self.state.models.clone();
        context.progress(1).await?;
        // The model runs on a blocking thread and reports progress through a channel.
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<u8>();
        let prompt = video.prompt.clone();
        let seed = watermark as u64;
        let steps = spec.steps as usize;
        let run = tokio::task::spawn_blocking(move || -> Result<Generated, PipelineError> {
            let pipeline = models.pipeline(spec)?;
            let request = Request { steps: Some(steps), ..Request::new(prompt, seed) };
            let mut last = 0u8;
            pipeline.generate(&request, &mut |fraction| {
                let percent = (5.0 + 85.0 * fraction).round() as u8;
                if percent > last {
                    last = percent;
                    let _ = sender.send(percent);
                }
            })
        });
        tokio::pin!(run);
        let generated = loop {
            tokio::select! {
                Some(percent) = receiver.recv() => context.progress(percent).await?,
                // Missing weights, a bad prompt or a shape error: trying again cannot help.
                result = &mut run => break result.map_err(retryable)?.map_err(permanent)?,
            }
        };
        context.progress(90).await?;
        let chain = (*self.state.signing).clone();
        let clip = media_clip(&generated);
        let generator = generator(spec);
        let media = tokio::task::spawn_blocking(move || {
            let mut options = kino_media::ExportOptions::new(std::env::temp_dir(), watermark as u64, chain);
            options.generator = generator;
            kino_media::export_bytes(&clip, &options)
        })
        .await
        .map_err(retryable)?
        .map_err(permanent)?;
        let latents = serde_json::to_vec(&generated.latents).map_err(permanent)?;
        let blobs = &self.state.blobs;
        blobs.put(&video.id, Variant::Latents, latents).await.map_err(retryable)?;
        blobs.put(&video.id, Variant::Thumbnail, media.thumbnail_png).await.map_err(retryable)?;
        blobs.put(&video.id, Variant::Spritesheet, media.sprite_png).await.map_err(retryable)?;
        // The video last: a completed job always has all its files.
        let bytes = media.mp4.len();
        blobs.put(&video.id, Variant::Video, media.mp4).await.map_err(retryable)?;
        Ok(serde_json::json!({ "video_id": video.id, "bytes": bytes, "export_seconds": media.timings.total_s }))
    }
}
