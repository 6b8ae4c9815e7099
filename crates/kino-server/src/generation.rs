//! Generation: the registry's models loaded from the models folder (once each, shared), one
//! video's clip generated, exported through kino-media (visible mark, invisible watermark,
//! C2PA) and stored as blobs. `kino generate` and the `generate` job both come through here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kino_core::api::{PreviewFile, PreviewManifest};
use kino_core::models::ModelSpec;
use kino_core::slots::ClipSlots;
use kino_model::pipeline::{AUDIO_VAE_FILE, ClipLatents, GENERATOR_FILE, Generated, Pipeline, PipelineError, READER_FILE, Request};

use crate::app::AppState;
use crate::blobs::Variant;
use crate::domain::videos::{GENERATE, GeneratePayload};
use crate::error::AppError;
use crate::jobs::{JobContext, JobEnd, JobError, JobHandler, retryable};
use crate::store;
use crate::store::videos::Kind;

/// The models folder and the pipelines loaded from it so far.
#[derive(Clone)]
pub struct Models {
    dir: PathBuf,
    loaded: Arc<Mutex<HashMap<&'static str, Arc<Pipeline>>>>,
    /// SHA-256 of weight files by path, with the size and time of change they were taken at.
    hashes: Arc<Mutex<HashMap<PathBuf, FileHash>>>,
}

/// A file's size, time of change and hex SHA-256.
type FileHash = (u64, std::time::SystemTime, String);

/// The files the browser's preview engine (kino-preview's `Engine::load`) loads: kino-2's
/// generator, sound decoder and reader (the reader is part of the model's structure; the page
/// gets its slots from `/understand`). Never MiniLM, never the upscaler.
pub const PREVIEW_FILES: [&str; 3] = [GENERATOR_FILE, AUDIO_VAE_FILE, READER_FILE];

/// Sampling steps of an in-browser preview (the full render takes the model's own).
pub const PREVIEW_STEPS: u32 = 4;

impl Models {
    pub fn new(dir: &Path) -> Models {
        Models { dir: dir.to_owned(), loaded: Arc::default(), hashes: Arc::default() }
    }

    /// What the studio downloads to preview `spec` in the browser (blocking: hashes the files
    /// the first time, and again when one changes). Only pixel-space models (kino-2 and its
    /// Pro form, whose preview is kino-2's at 64x64) run there.
    pub fn preview_manifest(&self, spec: &ModelSpec) -> Result<PreviewManifest, AppError> {
        if spec.version < 2 {
            return Err(AppError::not_found("no_preview", format!("{} has no in-browser preview; kino-2 has", spec.id)));
        }
        let folder = self.dir.join(spec.weights);
        let unavailable = |e: std::io::Error, path: &Path| AppError::Unavailable { code: "model_unavailable", message: format!("{}: {e}", path.display()) };
        let config_file = kino_model::pipeline::config_path(&folder);
        let config = std::fs::read_to_string(&config_file).map_err(|e| unavailable(e, &config_file))?;
        let files = PREVIEW_FILES
            .iter()
            .map(|name| {
                let path = folder.join(name);
                let (size, sha256) = self.hash(&path).map_err(|e| unavailable(e, &path))?;
                Ok(PreviewFile { name: (*name).to_owned(), sha256, size, url: format!("/api/v1/models/{}/files/{name}", spec.id) })
            })
            .collect::<Result<_, AppError>>()?;
        Ok(PreviewManifest { model: spec.id.to_owned(), config, files, steps: PREVIEW_STEPS })
    }

    /// The path of `spec`'s preview file `name`, if it is one.
    pub fn preview_file(&self, spec: &ModelSpec, name: &str) -> Option<PathBuf> {
        (spec.version >= 2 && PREVIEW_FILES.contains(&name)).then(|| self.dir.join(spec.weights).join(name))
    }

    /// `path`'s size and hex SHA-256, remembered until the file changes.
    pub fn hash(&self, path: &Path) -> std::io::Result<(u64, String)> {
        let meta = std::fs::metadata(path)?;
        let stamp = (meta.len(), meta.modified()?);
        if let Some((size, when, hash)) = self.hashes.lock().ok().and_then(|m| m.get(path).cloned())
            && (size, when) == stamp
        {
            return Ok((size, hash));
        }
        let hash = hex_sha256(&std::fs::read(path)?);
        if let Ok(mut map) = self.hashes.lock() {
            map.insert(path.to_owned(), (stamp.0, stamp.1, hash.clone()));
        }
        Ok((stamp.0, hash))
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

/// What `spec` understands of `prompt`: kino-2's slots, read by its prompt reader, or `given`
/// (a person's correction) once checked; `None` for kino-1, which reads no slots. A prompt that
/// names nothing the model can draw is a 400 saying so, before anything is queued or charged.
pub async fn understand(models: &Models, spec: &'static ModelSpec, prompt: &str, given: Option<ClipSlots>) -> Result<Option<ClipSlots>, AppError> {
    if spec.version < 2 {
        return match given {
            Some(_) => Err(AppError::invalid("unsupported_value", format!("{} reads no slots; leave them out or use kino-2", spec.id), Some("slots"))),
            None => Ok(None),
        };
    }
    if let Some(slots) = given {
        slots.check().map_err(|message| AppError::invalid("invalid_slots", message, Some("slots")))?;
        return Ok(Some(slots));
    }
    let (models, prompt) = (models.clone(), prompt.to_owned());
    let read = tokio::task::spawn_blocking(move || models.pipeline(spec).map(|pipeline| pipeline.understand(&prompt)))
        .await
        .map_err(|e| anyhow::anyhow!("the prompt reader stopped: {e}"))?;
    match read {
        Ok(Ok(slots)) => Ok(slots),
        Ok(Err(PipelineError::NotUnderstood(message))) => Err(AppError::invalid("prompt_not_understood", message, Some("prompt"))),
        Ok(Err(e)) => Err(AppError::invalid("invalid_prompt", e.to_string(), Some("prompt"))),
        Err(e) => Err(AppError::Unavailable { code: "model_unavailable", message: format!("{} cannot read prompts right now: {e}", spec.id) }),
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

    fn ended<'a>(&'a self, job_id: &'a str, _end: JobEnd) -> BoxFuture<'a, ()> {
        async move {
            if let Err(error) = crate::webhooks::video_ended(&self.state, job_id).await {
                tracing::warn!(%error, "queueing the video's webhooks");
            }
        }
        .boxed()
    }
}

fn permanent(error: impl std::fmt::Display) -> JobError {
    JobError::Permanent(error.to_string())
}

/// How far a remix noises its source (1: nothing of it is kept).
pub const REMIX_STRENGTH: f64 = 0.8;
/// An edit keeps more of its source's layout and motion.
pub const EDIT_STRENGTH: f64 = 0.55;

impl GenerateHandler {
    /// The latents of the video this one is made from, if it is made from one.
    async fn source_latents(&self, video: &store::videos::VideoRow) -> Result<Option<ClipLatents>, JobError> {
        let Some(source_id) = video.source_id() else {
            return Ok(None);
        };
        let bytes = match self.state.blobs.get(source_id, Variant::Latents).await {
            Ok(bytes) => bytes,
            Err(crate::blobs::BlobError::NotFound(_)) => {
                return Err(permanent(format!("the source video {source_id} was deleted")));
            }
            Err(error) => return Err(retryable(error)),
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| permanent(format!("the source video's latents are unreadable: {e}")))
    }

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
        let source = self.source_latents(&video).await?;
        let prompt = video.prompt.clone();
        let slots = video.slots();
        // A kept preview is made again from its own seed and steps.
        let seed = video.seed.map_or(watermark as u64, |seed| seed as u64);
        let steps = video.steps.map_or(spec.steps as usize, |steps| steps as usize);
        let kind = video.kind();
        let seconds: f32 = video.seconds.parse().map_err(|_| permanent(format!("the video's length `{}` is not a number of seconds", video.seconds)))?;
        let run = tokio::task::spawn_blocking(move || -> Result<Generated, PipelineError> {
            let pipeline = models.pipeline(spec)?;
            let request = Request { steps: Some(steps), slots, ..Request::new(prompt, seed) };
            let mut last = 0u8;
            let mut progress = |fraction: f32| {
                let percent = (5.0 + 85.0 * fraction).round() as u8;
                if percent > last {
                    last = percent;
                    let _ = sender.send(percent);
                }
            };
            let generated = match (kind, source) {
                (Kind::Generate, _) => pipeline.generate_frames(&request, pipeline.config.frames_in(seconds), &mut progress),
                (Kind::Remix, Some(source)) => pipeline.remix(&source, REMIX_STRENGTH, &request, &mut progress),
                (Kind::Edit, Some(source)) => pipeline.remix(&source, EDIT_STRENGTH, &request, &mut progress),
                (Kind::Extend, Some(source)) => {
                    let added = pipeline
                        .config
                        .frames_in(seconds)
                        .checked_sub(source.frames())
                        .filter(|&n| n > 0)
                        .ok_or_else(|| PipelineError::Invalid(format!("the extended video ({seconds} s) must be longer than its source")))?;
                    pipeline.extend_by(&source, added, &request, &mut progress)
                }
                (_, None) => Err(PipelineError::Invalid("this video is made from another, which is missing".into())),
            }?;
            // kino-2-pro: sampled at kino-2's size, then enlarged; its latents stay small, so
            // its remixes and extensions start from them as kino-2's do.
            if spec.upscaled { pipeline.upscale(generated) } else { Ok(generated) }
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
        // A video made from another names it as its C2PA parent ingredient.
        let parent = match video.source_id() {
            Some(source_id) => {
                let bytes = self.state.blobs.get(source_id, Variant::Video).await.map_err(|e| permanent(format!("the source video {source_id}: {e}")))?;
                let path = std::env::temp_dir().join(format!("kino-parent-{}.mp4", video.id));
                tokio::fs::write(&path, &bytes).await.map_err(retryable)?;
                Some(path)
            }
            None => None,
        };
        let parent_file = parent.clone();
        let media = tokio::task::spawn_blocking(move || {
            let mut options = kino_media::ExportOptions::new(std::env::temp_dir(), watermark as u64, chain);
            options.generator = generator;
            options.parent = parent_file;
            kino_media::export_bytes(&clip, &options)
        })
        .await;
        if let Some(path) = parent {
            let _ = tokio::fs::remove_file(path).await;
        }
        let media = media.map_err(retryable)?.map_err(permanent)?;
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

/// Lower-case hex SHA-256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
