//! Asking for a video: which model, size and length are allowed, the daily limit and credits,
//! and the job that makes it. One transaction: a refused request changes nothing.

use kino_core::Prompt;
use kino_core::account::AgeBand;
use kino_core::api::{CreateVideo, Plan, VideoStatus};
use kino_core::models::{ModelSpec, Tier};
use kino_core::slots::ClipSlots;
use serde::{Deserialize, Serialize};

use crate::app::Config;
use crate::db::Db;
use crate::error::AppError;
use crate::store::users::UserRow;
use crate::store::videos::{Kind, NewVideo, VideoRow};
use crate::{ids, jobs, store};

/// The job kind that generates a video.
pub const GENERATE: &str = "generate";

/// What a generation job carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratePayload {
    pub video_id: String,
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Checks a request against the registry, this server's models and the account's plan.
pub fn choose_model(config: &Config, user: &UserRow, request: &CreateVideo) -> Result<(&'static ModelSpec, String, String), AppError> {
    let model = config.model_named(request.model.as_deref())?;
    if model.tier == Tier::Pro && user.plan() != Plan::Pro {
        return Err(AppError::forbidden("pro_model", format!("{} is for Pro accounts", model.id)));
    }
    let pick = |asked: Option<&str>, allowed: &[&str], default: &str, param: &str, unit: &str| -> Result<String, AppError> {
        match asked {
            None => Ok(default.to_owned()),
            Some(value) if allowed.contains(&value.trim()) => Ok(value.trim().to_owned()),
            Some(value) => Err(AppError::invalid(
                "unsupported_value",
                format!("{} cannot make {param} `{value}`; it makes {}{unit}", model.id, allowed.join(", ")),
                Some(param),
            )),
        }
    };
    let seconds = pick(request.seconds.as_deref(), model.seconds, model.default_seconds, "seconds", " seconds")?;
    let size = pick(request.size.as_deref(), model.sizes, model.sizes[0], "size", "")?;
    Ok((model, seconds, size))
}

/// The account's daily generation limit.
pub fn daily_limit(config: &Config, user: &UserRow) -> Result<u32, AppError> {
    Ok(match user.age_band(ids::today())? {
        AgeBand::Teen => config.generation.teen_daily_limit,
        AgeBand::Adult => config.generation.daily_limit,
    })
}

/// What a new video is made from: the source video and how.
pub struct Source<'a> {
    pub video: &'a VideoRow,
    pub kind: Kind,
    /// For extensions: the seconds to add.
    pub seconds: Option<&'a str>,
}

/// A checked request: everything the new video row needs.
struct Order {
    model: &'static ModelSpec,
    prompt: Prompt,
    seconds: String,
    size: String,
    kind: Kind,
    source_id: Option<String>,
    /// kino-2's slots for the prompt.
    understood: Option<ClipSlots>,
    /// The seed and steps asked for (a kept preview's).
    seed: Option<u32>,
    steps: Option<u32>,
}

/// Checks the sampling steps asked for: from 1 to the model's own.
fn check_steps(model: &ModelSpec, steps: Option<u32>) -> Result<Option<u32>, AppError> {
    match steps {
        Some(asked) if !(1..=model.steps).contains(&asked) => {
            Err(AppError::invalid("unsupported_value", format!("{} samples in 1 to {} steps; {asked} was asked", model.id, model.steps), Some("steps")))
        }
        _ => Ok(steps),
    }
}

fn parse_prompt(raw: &str) -> Result<Prompt, AppError> {
    Prompt::parse(raw).map_err(|e| AppError::invalid("invalid_prompt", e.to_string(), Some("prompt")))
}

/// A video made from `source` takes its model and size; an extension adds `seconds` (one of
/// the model's lengths) to the source's.
fn derived_order(config: &Config, user: &UserRow, prompt: &str, source: &Source<'_>) -> Result<Order, AppError> {
    let prompt = parse_prompt(prompt)?;
    if source.video.status() != VideoStatus::Completed {
        return Err(AppError::conflict(
            "video_not_ready",
            format!("video {} is {}; videos can be made from it once it is completed", source.video.id, source.video.job_state),
            None,
        ));
    }
    let request = CreateVideo {
        prompt: prompt.as_str().to_owned(),
        model: Some(source.video.model.clone()),
        // An extension that names no length adds one window of the model.
        seconds: Some(source.seconds.unwrap_or(EXTENSION_SECONDS).to_owned()),
        size: Some(source.video.size.clone()),
        slots: None,
        seed: None,
        steps: None,
    };
    let (model, added, size) = choose_model(config, user, &request)?;
    let seconds = match source.kind {
        Kind::Extend => {
            let total = source.video.seconds.parse::<u32>().unwrap_or(0) + added.parse::<u32>().unwrap_or(0);
            if total > MAX_EXTENDED_SECONDS {
                return Err(AppError::invalid(
                    "too_long",
                    format!("an extended video can be at most {MAX_EXTENDED_SECONDS} seconds; this one would be {total}"),
                    Some("seconds"),
                ));
            }
            total.to_string()
        }
        _ => source.video.seconds.clone(),
    };
    Ok(Order { model, prompt, seconds, size, kind: source.kind, source_id: Some(source.video.id.clone()), understood: None, seed: None, steps: None })
}

/// Longest clip extensions may build.
pub const MAX_EXTENDED_SECONDS: u32 = 12;
/// What an extension adds when it names no length: one window of every model.
pub const EXTENSION_SECONDS: &str = "2";

/// Queues a generation from a prompt; `understood` is what the model read in it
/// ([`crate::generation::understand`]).
pub async fn create(
    db: &Db,
    config: &Config,
    user: &UserRow,
    request: CreateVideo,
    understood: Option<ClipSlots>,
    idempotency_key: Option<&str>,
) -> Result<(VideoRow, bool), AppError> {
    let prompt = parse_prompt(&request.prompt)?;
    let (model, seconds, size) = choose_model(config, user, &request)?;
    let steps = check_steps(model, request.steps)?;
    let order = Order { model, prompt, seconds, size, kind: Kind::Generate, source_id: None, understood, seed: request.seed, steps };
    enqueue(db, config, user, order, idempotency_key).await
}

/// Queues a remix, edit or extension of `source` under `prompt`.
pub async fn create_from(
    db: &Db,
    config: &Config,
    user: &UserRow,
    prompt: &str,
    source: Source<'_>,
    understood: Option<ClipSlots>,
    idempotency_key: Option<&str>,
) -> Result<(VideoRow, bool), AppError> {
    let order = Order { understood, ..derived_order(config, user, prompt, &source)? };
    enqueue(db, config, user, order, idempotency_key).await
}

/// Queues the job and inserts the video. Beyond the daily limit one credit is spent, in the
/// same transaction as the job; with no credits the answer is 429 with the time the limit
/// resets. With an idempotency key used before, the video made then comes back and nothing
/// is spent.
async fn enqueue(db: &Db, config: &Config, user: &UserRow, order: Order, idempotency_key: Option<&str>) -> Result<(VideoRow, bool), AppError> {
    let limit = daily_limit(config, user)?;
    let now = ids::creation_ms();

    let mut tx = db.pool.begin().await?;
    let video_id = ids::new_id("video");
    let payload = GeneratePayload { video_id: video_id.clone() };
    let (job, new) = jobs::enqueue(&mut tx, GENERATE, Some(&user.id), &payload, idempotency_key).await?;
    if !new {
        let video = store::videos::find_by_job(&mut tx, &job.id)
            .await?
            .ok_or_else(|| AppError::conflict("idempotency_key_reused", "this Idempotency-Key was used for another kind of request", None))?;
        return Ok((video, false));
    }
    let day_start = now - now.rem_euclid(DAY_MS);
    let made_today = store::videos::count_since(&mut tx, &user.id, day_start).await?;
    if made_today >= i64::from(limit) {
        if store::credits::balance(&mut tx, &user.id).await? <= 0 {
            let reset_in_s = ((day_start + DAY_MS - now) / 1000).max(1) as u64;
            return Err(AppError::RateLimited {
                code: "daily_limit_reached",
                message: format!(
                    "you have made {made_today} videos today, your daily limit; it resets at 00:00 UTC, in {}h {}m",
                    reset_in_s / 3600,
                    reset_in_s % 3600 / 60
                ),
                retry_after_s: reset_in_s,
            });
        }
        store::credits::record(&mut tx, &user.id, -1, &format!("generation {video_id} beyond the daily limit"), now).await?;
    }
    store::videos::insert(
        &mut tx,
        &NewVideo {
            id: &video_id,
            owner_id: &user.id,
            job_id: &job.id,
            model: order.model.id,
            prompt: order.prompt.as_str(),
            seconds: &order.seconds,
            size: &order.size,
            remixed_from_video_id: order.source_id.as_deref(),
            kind: order.kind,
            watermark_id: ids::random_i63(),
            created_at: now,
            understood: order.understood.as_ref(),
            seed: order.seed,
            steps: order.steps,
        },
    )
    .await?;
    let video = store::videos::find(&mut tx, &video_id).await?.ok_or_else(|| anyhow::anyhow!("new video {video_id} vanished"))?;
    tx.commit().await?;
    Ok((video, true))
}

/// The video if `user` owns it; anyone else's is "not found", so ids reveal nothing.
pub async fn owned(conn: &mut store::Conn, user: &UserRow, id: &str) -> Result<VideoRow, AppError> {
    match store::videos::find(conn, id).await? {
        Some(video) if video.owner_id == user.id => Ok(video),
        _ => Err(AppError::not_found("video_not_found", format!("you have no video {id}"))),
    }
}
