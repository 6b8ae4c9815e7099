//! `/api/v1/videos/{id}/...` for people: publishing, the video page, likes, comments, reports
//! and "not interested"; `/api/v1/feed`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use kino_core::api::{Comment, FeedPage, NewComment, NewReport, Publish, ReportReceipt, VideoCard, VideoPage};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::{feed, posts};
use crate::error::AppError;
use crate::extract::{Json, Query};

pub async fn page(State(state): State<AppState>, viewer: Option<CurrentUser>, Path(id): Path<String>) -> Result<Json<VideoPage>, AppError> {
    let viewer = viewer.map(|current| current.user);
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(posts::page(&mut conn, viewer.as_ref(), &id).await?))
}

#[tracing::instrument(skip_all)]
pub async fn publish(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Json(request): Json<Publish>,
) -> Result<Json<VideoCard>, AppError> {
    Ok(Json(posts::publish(&state.db, &current.user, &id, request.visibility).await?))
}

pub async fn like(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<Json<VideoCard>, AppError> {
    Ok(Json(posts::set_like(&state.db, &current.user, &id, true).await?))
}

pub async fn unlike(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<Json<VideoCard>, AppError> {
    Ok(Json(posts::set_like(&state.db, &current.user, &id, false).await?))
}

pub async fn comment(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Json(request): Json<NewComment>,
) -> Result<(StatusCode, Json<Comment>), AppError> {
    Ok((StatusCode::CREATED, Json(posts::add_comment(&state.db, &current.user, &id, &request).await?)))
}

pub async fn delete_comment(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<StatusCode, AppError> {
    posts::delete_comment(&state.db, &current.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[tracing::instrument(skip_all)]
pub async fn report(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Json(request): Json<NewReport>,
) -> Result<(StatusCode, Json<ReportReceipt>), AppError> {
    Ok((StatusCode::CREATED, Json(posts::report(&state.db, &current.user, &id, &request).await?)))
}

pub async fn not_interested(State(state): State<AppState>, current: CurrentUser, Path(id): Path<String>) -> Result<StatusCode, AppError> {
    posts::not_interested(&state.db, &current.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedParams {
    after: Option<String>,
    limit: Option<usize>,
}

pub async fn feed(State(state): State<AppState>, current: CurrentUser, Query(params): Query<FeedParams>) -> Result<Json<FeedPage>, AppError> {
    let limit = params.limit.unwrap_or(20);
    if !(1..=50).contains(&limit) {
        return Err(AppError::invalid("invalid_limit", "limit must be between 1 and 50", Some("limit")));
    }
    Ok(Json(feed::page(&state.db, &current.user, params.after.as_deref(), limit, crate::ids::now_ms()).await?))
}
