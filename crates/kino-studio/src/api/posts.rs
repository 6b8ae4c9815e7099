//! Published videos: `/api/v1/videos/{id}/page|publication|like|comments|reports|remix`,
//! `/api/v1/comments/{id}` and `/api/v1/feed`.

use kino_core::api::{Comment, FeedPage, NewComment, NewReport, Publish, RemixVideo, ReportReceipt, Video, VideoCard, VideoPage, Visibility};

use super::{ApiError, delete, get, post, put, request, request_empty};

pub async fn page(id: &str) -> Result<VideoPage, ApiError> {
    request(get(&format!("/videos/{id}/page")).build()).await
}

pub async fn publish(id: &str, visibility: Visibility) -> Result<VideoCard, ApiError> {
    request(put(&format!("/videos/{id}/publication")).json(&Publish { visibility })).await
}

pub async fn set_like(id: &str, on: bool) -> Result<VideoCard, ApiError> {
    let path = format!("/videos/{id}/like");
    request(if on { put(&path) } else { delete(&path) }.build()).await
}

pub async fn comment(id: &str, body: &str) -> Result<Comment, ApiError> {
    request(post(&format!("/videos/{id}/comments")).json(&NewComment { body: body.to_owned() })).await
}

pub async fn delete_comment(id: &str) -> Result<(), ApiError> {
    request_empty(delete(&format!("/comments/{id}")).build()).await
}

pub async fn report(id: &str, report: &NewReport) -> Result<ReportReceipt, ApiError> {
    request(post(&format!("/videos/{id}/reports")).json(report)).await
}

pub async fn not_interested(id: &str) -> Result<(), ApiError> {
    request_empty(post(&format!("/videos/{id}/not-interested")).build()).await
}

pub async fn remix(id: &str, prompt: &str) -> Result<Video, ApiError> {
    request(post(&format!("/videos/{id}/remix")).json(&RemixVideo { prompt: prompt.to_owned() })).await
}

pub async fn feed(after: Option<&str>) -> Result<FeedPage, ApiError> {
    let path = match after {
        Some(cursor) => format!("/feed?limit=20&after={}", String::from(js_sys::encode_uri_component(cursor))),
        None => "/feed?limit=20".to_owned(),
    };
    request(get(&path).build()).await
}
