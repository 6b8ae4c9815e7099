//! `/v1/videos`: OpenAI's Videos API, served by Kino; the studio uses the same handlers under
//! `/api/v1/videos`, plus live progress (`events`) and `cancel`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, header};
use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use kino_core::api::{CreateVideo, DeletedVideo, EditVideo, ExtendVideo, RemixVideo, UnderstandPrompt, Understanding, Video, VideoList, VideoStatus};
use kino_core::slots::ClipSlots;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::blobs::Variant;
use crate::domain::{posts, videos};
use crate::error::AppError;
use crate::extract::{Json, Query};
use crate::store::videos::Kind;
use crate::{generation, store};

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    match headers.get("idempotency-key").map(|v| v.to_str().map(str::trim)) {
        None => Ok(None),
        Some(Ok(key)) if !key.is_empty() && key.len() <= 255 => Ok(Some(key.to_owned())),
        Some(_) => Err(AppError::invalid("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible characters", None)),
    }
}

/// `POST /v1/videos`: JSON, or a multipart form with the same fields and an optional
/// `input_reference` file, which must be a video made on this Kino server (its invisible
/// watermark names the video): the new video is then made from it, keeping its layout.
#[tracing::instrument(skip_all)]
pub async fn create(State(state): State<AppState>, current: CurrentUser, headers: HeaderMap, request: Request) -> Result<Json<Video>, AppError> {
    let key = idempotency_key(&headers)?;
    let is_form = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("multipart/form-data"));
    let (request, reference) = if is_form {
        let form = Multipart::from_request(request, &state).await.map_err(|e| AppError::invalid("invalid_form", e.body_text(), None))?;
        read_form(form).await?
    } else {
        let Json(body) = Json::<CreateVideo>::from_request(request, &state).await?;
        (body, None)
    };
    let (video, _new) = match reference {
        None => {
            // A request the model checks refuse is refused by `create` below; only a model
            // that may run reads the prompt.
            let understood = match videos::choose_model(&state.config, &current.user, &request) {
                Ok((model, ..)) => understood(&state, model.id, &request.prompt, request.slots.clone()).await?,
                Err(_) => None,
            };
            videos::create(&state.db, &state.config, &current.user, request, understood, key.as_deref()).await?
        }
        Some(file) => {
            let source = reference_video(&state, &current, file).await?;
            if request.model.as_deref().is_some_and(|m| state.config.model_called(m).is_none_or(|spec| spec.id != source.model)) {
                return Err(AppError::invalid(
                    "model_mismatch",
                    format!("the input reference was made by {}; a video made from it uses that model", source.model),
                    Some("model"),
                ));
            }
            let understood = understood(&state, &source.model, &request.prompt, request.slots.clone()).await?;
            let from = videos::Source { video: &source, kind: Kind::Edit, seconds: None };
            videos::create_from(&state.db, &state.config, &current.user, &request.prompt, from, understood, key.as_deref()).await?
        }
    };
    state.wake.notify_waiters();
    Ok(Json(video.to_video()))
}

/// The largest `input_reference` accepted.
pub const MAX_REFERENCE_BYTES: usize = 64 * 1024 * 1024;

/// The fields of a multipart create request, and the reference file if one was sent.
async fn read_form(mut form: Multipart) -> Result<(CreateVideo, Option<Bytes>), AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::invalid("invalid_form", e.body_text(), None);
    let mut request = CreateVideo { prompt: String::new(), model: None, seconds: None, size: None, slots: None, seed: None, steps: None };
    let (mut prompt, mut reference) = (None, None);
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "input_reference" => reference = Some(field.bytes().await.map_err(bad)?),
            "prompt" => prompt = Some(field.text().await.map_err(bad)?),
            "model" => request.model = Some(field.text().await.map_err(bad)?),
            "seconds" => request.seconds = Some(field.text().await.map_err(bad)?),
            "size" => request.size = Some(field.text().await.map_err(bad)?),
            other => {
                return Err(AppError::invalid(
                    "invalid_field",
                    format!("unknown field `{other}`; expected prompt, model, seconds, size or input_reference"),
                    Some(other),
                ));
            }
        }
    }
    request.prompt = prompt.ok_or_else(|| AppError::invalid("invalid_field", "missing field `prompt`", Some("prompt")))?;
    Ok((request, reference))
}

/// The video an `input_reference` file comes from, if it is one of this server's that the
/// user may see. Anything else is refused: Kino makes videos only from Kino videos.
async fn reference_video(state: &AppState, current: &CurrentUser, file: Bytes) -> Result<store::videos::VideoRow, AppError> {
    const ONLY_KINO: &str = "Kino accepts no real photos or videos: an input reference must be a video made on this Kino server";
    if !super::verify::is_mp4(&file) {
        return Err(AppError::invalid("reference_not_kino", format!("{ONLY_KINO}, and this file is not an MP4"), Some("input_reference")));
    }
    let result = super::verify::check(state, file).await?;
    let Some(id) = result.known_video_id else {
        return Err(AppError::invalid("reference_not_kino", format!("{ONLY_KINO}; this file carries no watermark of one"), Some("input_reference")));
    };
    let mut conn = state.db.pool.acquire().await?;
    posts::visible_card(&mut conn, Some(&current.user), &id).await.map(|card| card.video).map_err(|_| {
        AppError::invalid("reference_not_kino", format!("{ONLY_KINO}; the video this file comes from is not one you can see"), Some("input_reference"))
    })
}

/// What the model named `model` reads in `prompt` (kino-2's slots), or the slots the person
/// gave instead; `None` for kino-1 and for names the registry lacks (refused later).
async fn understood(state: &AppState, model: &str, prompt: &str, given: Option<ClipSlots>) -> Result<Option<ClipSlots>, AppError> {
    match state.config.model_called(model) {
        Some(spec) if !prompt.trim().is_empty() => generation::understand(&state.models, spec, prompt, given).await,
        _ => Ok(None),
    }
}

/// `POST /api/v1/understand`: what a model would read in a prompt, before anything is made.
pub async fn understand(State(state): State<AppState>, Json(request): Json<UnderstandPrompt>) -> Result<Json<Understanding>, AppError> {
    let model = state.config.model_named(request.model.as_deref())?;
    kino_core::Prompt::parse(&request.prompt).map_err(|e| AppError::invalid("invalid_prompt", e.to_string(), Some("prompt")))?;
    let answer = |slots: Option<ClipSlots>, problem| {
        Json(Understanding { model: model.id.to_owned(), description: slots.as_ref().map(ClipSlots::describe), slots, problem })
    };
    match generation::understand(&state.models, model, &request.prompt, None).await {
        Ok(slots) => Ok(answer(slots, None)),
        Err(AppError::InvalidRequest { code: "prompt_not_understood", message, .. }) => Ok(answer(None, Some(message))),
        Err(error) => Err(error),
    }
}

/// The video a new one is made from: one the user may see (theirs, or published to them).
async fn source_video(state: &AppState, current: &CurrentUser, id: &str) -> Result<store::videos::VideoRow, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(posts::visible_card(&mut conn, Some(&current.user), id).await?.video)
}

async fn create_from(
    state: &AppState,
    current: &CurrentUser,
    headers: &HeaderMap,
    prompt: &str,
    source_id: &str,
    kind: Kind,
    seconds: Option<&str>,
) -> Result<Json<Video>, AppError> {
    let key = idempotency_key(headers)?;
    let source = source_video(state, current, source_id).await?;
    let understood = understood(state, &source.model, prompt, None).await?;
    let from = videos::Source { video: &source, kind, seconds };
    let (video, _new) = videos::create_from(&state.db, &state.config, &current.user, prompt, from, understood, key.as_deref()).await?;
    state.wake.notify_waiters();
    Ok(Json(video.to_video()))
}

/// `POST /v1/videos/{id}/remix`: the video redone under a new prompt; records its parent.
#[tracing::instrument(skip_all)]
pub async fn remix(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(request): Json<RemixVideo>,
) -> Result<Json<Video>, AppError> {
    create_from(&state, &current, &headers, &request.prompt, &id, Kind::Remix, None).await
}

/// `POST /v1/videos/edits`: the video changed as the prompt says, keeping its layout.
#[tracing::instrument(skip_all)]
pub async fn edit(State(state): State<AppState>, current: CurrentUser, headers: HeaderMap, Json(request): Json<EditVideo>) -> Result<Json<Video>, AppError> {
    create_from(&state, &current, &headers, &request.prompt, &request.video.id, Kind::Edit, None).await
}

/// `POST /v1/videos/extensions`: the video continued; the result is the stitched clip.
#[tracing::instrument(skip_all)]
pub async fn extend(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Json(request): Json<ExtendVideo>,
) -> Result<Json<Video>, AppError> {
    create_from(&state, &current, &headers, &request.prompt, &request.video.id, Kind::Extend, request.seconds.as_deref()).await
}

pub async fn show(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<Json<Video>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(videos::owned(&mut conn, &current.user, &id).await?.to_video()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    after: Option<String>,
    limit: Option<i64>,
    order: Option<String>,
}

pub async fn list(State(state): State<AppState>, current: CurrentUser, Query(params): Query<ListParams>) -> Result<Json<VideoList>, AppError> {
    let limit = params.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::invalid("invalid_limit", "limit must be between 1 and 100", Some("limit")));
    }
    let newest_first = match params.order.as_deref() {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(other) => {
            return Err(AppError::invalid("invalid_order", format!("order must be asc or desc, not `{other}`"), Some("order")));
        }
    };
    let mut conn = state.db.pool.acquire().await?;
    let after = match params.after.as_deref() {
        Some(id) => Some(
            videos::owned(&mut conn, &current.user, id)
                .await
                .map_err(|_| AppError::invalid("invalid_cursor", format!("`after` must be the id of one of your videos, not `{id}`"), Some("after")))?,
        ),
        None => None,
    };
    let mut rows = store::videos::list_by_owner(&mut conn, &current.user.id, after.as_ref(), newest_first, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let data: Vec<Video> = rows.iter().map(|row| row.to_video()).collect();
    Ok(Json(VideoList { object: "list".to_owned(), first_id: data.first().map(|v| v.id.clone()), last_id: data.last().map(|v| v.id.clone()), data, has_more }))
}

/// `GET /api/v1/videos/{id}/events`: server-sent events, one `video` event (the video object)
/// whenever its status or progress changes, ending once it is completed or failed. Reads the
/// database, so it follows work done by any worker process.
pub async fn events(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let first = videos::owned(&mut conn, &current.user, &id).await?.to_video();
    drop(conn);
    let db = state.db.clone();
    let stream = futures_util::stream::unfold(Some((None::<Video>, first)), move |step| {
        let db = db.clone();
        async move {
            let (previous, mut current) = step?;
            // Wait for a change; the first event goes out at once.
            while previous.as_ref() == Some(&current) {
                tokio::time::sleep(Duration::from_millis(400)).await;
                let mut conn = db.pool.acquire().await.ok()?;
                current = store::videos::find(&mut conn, &current.id).await.ok()??.to_video();
            }
            let event = Event::default().event("video").json_data(&current).ok()?;
            let finished = matches!(current.status, VideoStatus::Completed | VideoStatus::Failed);
            let next = (!finished).then(|| (Some(current.clone()), current));
            Some((Ok(event), next))
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentParams {
    variant: Option<String>,
}

/// `GET /v1/videos/{id}/content?variant=video|thumbnail|spritesheet`: the owner's own video.
pub async fn content(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<ContentParams>,
) -> Result<Response, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let video = videos::owned(&mut conn, &current.user, &id).await?;
    drop(conn);
    serve_content(&state, &video, params).await
}

/// `GET /api/v1/videos/{id}/content`: in the studio, any video the viewer may see.
pub async fn visible_content(
    State(state): State<AppState>,
    viewer: Option<CurrentUser>,
    Path(id): Path<String>,
    Query(params): Query<ContentParams>,
) -> Result<Response, AppError> {
    let viewer = viewer.map(|current| current.user);
    let mut conn = state.db.pool.acquire().await?;
    let video = posts::visible_card(&mut conn, viewer.as_ref(), &id).await?.video;
    drop(conn);
    serve_content(&state, &video, params).await
}

async fn serve_content(state: &AppState, video: &store::videos::VideoRow, params: ContentParams) -> Result<Response, AppError> {
    let id = &video.id;
    let variant_name = params.variant.as_deref().unwrap_or("video");
    let variant = Variant::parse(variant_name).ok_or_else(|| {
        AppError::invalid("invalid_variant", format!("variant must be video, thumbnail or spritesheet, not `{variant_name}`"), Some("variant"))
    })?;
    if video.status() != VideoStatus::Completed {
        return Err(AppError::conflict("video_not_ready", format!("video {id} is {}; its content is there once it is completed", video.job_state), None));
    }
    let bytes = state.blobs.get(id, variant).await.map_err(|error| AppError::Internal(error.into()))?;
    Ok(([(header::CONTENT_TYPE, variant.content_type())], bytes).into_response())
}

/// `POST /api/v1/videos/{id}/cancel`: a queued video is cancelled at once, a running one at
/// the generator's next progress report.
#[tracing::instrument(skip_all)]
pub async fn cancel(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<Json<Video>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let video = videos::owned(&mut conn, &current.user, &id).await?;
    let job = store::jobs::cancel(&mut conn, &video.job_id, crate::ids::now_ms()).await?;
    // A queued video ends here; a running one ends in its worker, which sends its webhooks.
    if video.job_state == "queued" && job.is_some_and(|job| job.state == "cancelled") {
        crate::webhooks::video_ended(&state, &video.job_id).await?;
    }
    Ok(Json(videos::owned(&mut conn, &current.user, &id).await?.to_video()))
}

#[tracing::instrument(skip_all)]
pub async fn delete(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<Json<DeletedVideo>, AppError> {
    let mut tx = state.db.pool.begin().await?;
    let video = videos::owned(&mut tx, &current.user, &id).await?;
    store::videos::delete(&mut tx, &video).await?;
    tx.commit().await?;
    // The rows are gone, so nothing points at the files any more; a failure here leaves
    // orphaned files, never a video without its files.
    if let Err(error) = state.blobs.delete_video(&id).await {
        tracing::warn!(%error, video = %id, "deleting media files");
    }
    Ok(Json(DeletedVideo { id, object: "video.deleted".to_owned(), deleted: true }))
}
