//! The OpenAI-shaped Videos API: requests are checked, counted against the daily limit and
//! queued. No generation handler exists until the model is trained, so videos stay queued
//! here; generation itself will be tested where the model runs.

use kino_core::api::{Video, VideoList, VideoStatus};
use kino_server::admin::{self, AdminCommand};
use kino_server::settings::DataSettings;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_error, spawn_app_with};

async fn queue_only_app(daily_limit: u32) -> TestApp {
    spawn_app_with(|settings| {
        settings.accounts.invite_only = false;
        settings.generation.models = vec!["kino-1".into(), "kino-1-pro".into()];
        settings.generation.daily_limit = daily_limit;
        settings.generation.teen_daily_limit = 1;
    })
    .await
}

async fn create(app: &TestApp, client: &reqwest::Client, body: Value) -> reqwest::Response {
    client.post(app.url("/v1/videos")).json(&body).send().await.unwrap()
}

fn data(app: &TestApp) -> DataSettings {
    DataSettings { database_url: Some(app.database_url.clone()), ..DataSettings::in_folder(app.data_dir.clone()) }
}

#[tokio::test]
async fn a_request_is_queued_with_the_models_defaults() {
    let app = queue_only_app(20).await;
    app.sign_up(&app.client, "ada", None).await;
    let response = create(&app, &app.client, json!({ "prompt": "  a red rubber ball bounces twice on a wooden floor " })).await;
    assert_eq!(response.status().as_u16(), 200);
    let video: Video = response.json().await.unwrap();
    assert!(video.id.starts_with("video_"), "{}", video.id);
    assert_eq!(video.object, "video");
    assert_eq!((video.status, video.progress), (VideoStatus::Queued, 0));
    // OpenAI's default length.
    assert_eq!((video.model.as_str(), video.seconds.as_str(), video.size.as_str()), ("kino-1", "4", "64x64"));
    assert_eq!(video.prompt, "a red rubber ball bounces twice on a wooden floor");
    assert_eq!((video.completed_at, video.error.clone(), video.remixed_from_video_id.clone()), (None, None, None));

    let fetched: Video = app.get(&format!("/v1/videos/{}", video.id)).await.json().await.unwrap();
    assert_eq!(fetched, video);
    let bob = app.new_client();
    app.sign_up(&bob, "bob", None).await;
    let theirs = expect_error(bob.get(app.url(&format!("/v1/videos/{}", video.id))).send().await.unwrap(), 404).await;
    assert_eq!(theirs.error.code, "video_not_found");
    expect_error(bob.delete(app.url(&format!("/v1/videos/{}", video.id))).send().await.unwrap(), 404).await;
    let health: Value = app.get("/api/v1/health").await.json().await.unwrap();
    assert_eq!(health["models"]["loaded"], json!(["kino-1", "kino-1-pro"]));
}

#[tokio::test]
async fn bad_requests_name_the_field_and_queue_nothing() {
    let app = queue_only_app(20).await;
    app.sign_up(&app.client, "ada", None).await;
    let cases = [
        (json!({ "prompt": "   " }), 400, "invalid_prompt", Some("prompt")),
        (json!({ "prompt": "x".repeat(5000) }), 400, "invalid_prompt", Some("prompt")),
        (json!({ "prompt": 42 }), 400, "invalid_field", Some("prompt")),
        (json!({}), 400, "invalid_field", Some("prompt")),
        (json!({ "prompt": "a ball", "model": "sora-3" }), 400, "unknown_model", Some("model")),
        (json!({ "prompt": "a ball", "model": "sora-2-pro" }), 403, "pro_model", None),
        (json!({ "prompt": "a ball", "size": "1920x1080" }), 400, "unsupported_value", Some("size")),
        (json!({ "prompt": "a ball", "seconds": "5" }), 400, "unsupported_value", Some("seconds")),
        (json!({ "prompt": "a ball", "style": "noir" }), 400, "invalid_field", Some("style")),
        (json!({ "prompt": "a ball", "model": "kino-1-pro" }), 403, "pro_model", None),
    ];
    for (body, status, code, param) in cases {
        let error = expect_error(create(&app, &app.client, body.clone()).await, status).await;
        assert_eq!((error.error.code.as_str(), error.error.param.as_deref()), (code, param), "{body}: {}", error.error.message);
    }
    let size = expect_error(create(&app, &app.client, json!({ "prompt": "a ball", "size": "1920x1080" })).await, 400).await;
    assert_eq!(size.error.message, "kino-1 cannot make size `1920x1080`; it makes 64x64");
    let seconds = expect_error(create(&app, &app.client, json!({ "prompt": "a ball", "seconds": "5" })).await, 400).await;
    assert_eq!(seconds.error.message, "kino-1 cannot make seconds `5`; it makes 2, 4, 8, 12 seconds");
    let list: VideoList = app.get("/v1/videos").await.json().await.unwrap();
    assert!(list.data.is_empty(), "a refused request queued a video");

    admin::run(&data(&app), AdminCommand::SetPlan { email: "ada@example.org".into(), plan: "pro".into() }).await.unwrap();
    let pro: Video = create(&app, &app.client, json!({ "prompt": "a ball", "model": "kino-1-pro" })).await.json().await.unwrap();
    assert_eq!(pro.model, "kino-1-pro");
}

#[tokio::test]
async fn openai_model_names_and_an_operators_aliases_reach_kinos_models() {
    let app = spawn_app_with(|settings| {
        settings.accounts.invite_only = false;
        settings.generation.models = vec!["kino-1".into(), "kino-1-pro".into()];
        settings.generation.model_aliases = vec!["house=kino-1-pro".into()];
    })
    .await;
    app.sign_up(&app.client, "ada", None).await;
    let listed: Value = app.get("/v1/models").await.json().await.unwrap();
    let ids: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    for id in ["kino-1", "kino-1-pro", "sora-2", "sora-2-pro", "sora-2-2025-12-08", "house"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    // OpenAI's SDK default runs this server's default model and says which.
    let video: Video = create(&app, &app.client, json!({ "prompt": "a ball", "model": "sora-2" })).await.json().await.unwrap();
    assert_eq!(video.model, "kino-1");
    let unknown = expect_error(create(&app, &app.client, json!({ "prompt": "a ball", "model": "sora-3" })).await, 400).await;
    assert!(unknown.error.message.contains("runs kino-1, kino-1-pro (and answers sora-2 for kino-1,"), "{}", unknown.error.message);
    admin::run(&data(&app), AdminCommand::SetPlan { email: "ada@example.org".into(), plan: "pro".into() }).await.unwrap();
    for name in ["sora-2-pro", "house"] {
        let video: Video = create(&app, &app.client, json!({ "prompt": "a ball", "model": name })).await.json().await.unwrap();
        assert_eq!(video.model, "kino-1-pro", "{name}");
    }
}

#[tokio::test]
async fn a_server_without_the_model_says_so() {
    let app = spawn_app_with(|settings| {
        settings.generation.models_dir = std::path::PathBuf::from("/nonexistent");
    })
    .await;
    app.sign_up(&app.client, "ada", None).await;
    let error = expect_error(create(&app, &app.client, json!({ "prompt": "a ball" })).await, 503).await;
    assert_eq!(error.error.code, "model_unavailable");
    assert_eq!(error.error.message, "this server does not run kino-2 right now (its weights are not installed)");
}

#[tokio::test]
async fn the_daily_limit_then_credits_then_429() {
    let app = queue_only_app(2).await;
    app.sign_up(&app.client, "ada", None).await;
    for _ in 0..2 {
        assert_eq!(create(&app, &app.client, json!({ "prompt": "a ball" })).await.status().as_u16(), 200);
    }
    let limited = create(&app, &app.client, json!({ "prompt": "a ball" })).await;
    let retry_after: u64 = limited.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=86_400).contains(&retry_after));
    let error = expect_error(limited, 429).await;
    assert_eq!((error.error.kind.as_str(), error.error.code.as_str()), ("rate_limit_error", "daily_limit_reached"));
    assert!(error.error.message.starts_with("you have made 2 videos today, your daily limit; it resets at 00:00 UTC"), "{}", error.error.message);

    admin::run(&data(&app), AdminCommand::GrantCredits { email: "ada@example.org".into(), credits: 1, reason: "test".into() }).await.unwrap();
    assert_eq!(create(&app, &app.client, json!({ "prompt": "a ball" })).await.status().as_u16(), 200);
    expect_error(create(&app, &app.client, json!({ "prompt": "a ball" })).await, 429).await;
    let list: VideoList = app.get("/v1/videos").await.json().await.unwrap();
    assert_eq!(list.data.len(), 3);

    let teen = app.new_client();
    let mut body = crate::helpers::sign_up_body("teen", None);
    body["birth_date"] = json!(format!("{:04}-01-01", kino_server::ids::today().year - 15));
    teen.post(app.url("/api/v1/account")).json(&body).send().await.unwrap();
    assert_eq!(create(&app, &teen, json!({ "prompt": "a ball" })).await.status().as_u16(), 200);
    expect_error(create(&app, &teen, json!({ "prompt": "a ball" })).await, 429).await;
}

#[tokio::test]
async fn an_idempotency_key_makes_one_video() {
    let app = queue_only_app(1).await;
    app.sign_up(&app.client, "ada", None).await;
    let send = || app.client.post(app.url("/v1/videos")).header("Idempotency-Key", "render-42").json(&json!({ "prompt": "a ball" })).send();
    let first: Video = send().await.unwrap().json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status().as_u16(), 200, "a retried request is not counted against the limit");
    assert_eq!(again.json::<Video>().await.unwrap().id, first.id);
    let list: VideoList = app.get("/v1/videos").await.json().await.unwrap();
    assert_eq!(list.data.len(), 1);
}

#[tokio::test]
async fn listing_pages_with_after_limit_and_order() {
    let app = queue_only_app(20).await;
    app.sign_up(&app.client, "ada", None).await;
    let mut made = Vec::new();
    for n in 0..5 {
        let video: Video = create(&app, &app.client, json!({ "prompt": format!("ball number {n}") })).await.json().await.unwrap();
        made.push(video.id);
    }
    let page: VideoList = app.get("/v1/videos?limit=2").await.json().await.unwrap();
    assert_eq!(page.object, "list");
    assert_eq!(page.data.iter().map(|v| v.id.clone()).collect::<Vec<_>>(), vec![made[4].clone(), made[3].clone()]);
    assert!(page.has_more);
    assert_eq!((page.first_id.as_deref(), page.last_id.as_deref()), (Some(made[4].as_str()), Some(made[3].as_str())));
    let next: VideoList = app.get(&format!("/v1/videos?limit=2&after={}", made[3])).await.json().await.unwrap();
    assert_eq!(next.data.iter().map(|v| v.id.clone()).collect::<Vec<_>>(), vec![made[2].clone(), made[1].clone()]);
    let last: VideoList = app.get(&format!("/v1/videos?limit=2&after={}", made[1])).await.json().await.unwrap();
    assert_eq!((last.data.len(), last.has_more), (1, false));
    let oldest: VideoList = app.get("/v1/videos?order=asc&limit=1").await.json().await.unwrap();
    assert_eq!(oldest.data[0].id, made[0]);

    for (query, param) in [("limit=0", "limit"), ("limit=101", "limit"), ("order=sideways", "order"), ("after=video_nope", "after")] {
        let error = expect_error(app.get(&format!("/v1/videos?{query}")).await, 400).await;
        assert_eq!(error.error.param.as_deref(), Some(param), "{query}");
    }
    expect_error(app.get("/v1/videos?limit=ten").await, 400).await;
}

#[tokio::test]
async fn deleting_a_video_and_api_keys_for_scripts() {
    let app = queue_only_app(20).await;
    app.sign_up(&app.client, "ada", None).await;
    let key: Value = app.post("/api/v1/api-keys", &json!({ "name": "openai client" })).await.json().await.unwrap();
    let script = app.new_client();
    let video: Video = script
        .post(app.url("/v1/videos"))
        .bearer_auth(key["key"].as_str().unwrap())
        .json(&json!({ "prompt": "a duck floats" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let deleted: Value = app.client.delete(app.url(&format!("/v1/videos/{}", video.id))).send().await.unwrap().json().await.unwrap();
    assert_eq!(deleted, json!({ "id": video.id, "object": "video.deleted", "deleted": true }));
    expect_error(app.get(&format!("/v1/videos/{}", video.id)).await, 404).await;
    expect_error(app.client.delete(app.url(&format!("/v1/videos/{}", video.id))).send().await.unwrap(), 404).await;

    let anonymous = expect_error(app.new_client().post(app.url("/v1/videos")).json(&json!({ "prompt": "x" })).send().await.unwrap(), 401).await;
    assert_eq!(anonymous.error.kind, "authentication_error");
    let unknown = expect_error(app.get("/v1/nothing-here").await, 404).await;
    assert_eq!(unknown.error.message, "there is no API endpoint at /v1/nothing-here");
}

#[tokio::test]
async fn content_waits_for_a_completed_video() {
    let app = queue_only_app(20).await;
    app.sign_up(&app.client, "ada", None).await;
    let video: Video = create(&app, &app.client, json!({ "prompt": "a ball" })).await.json().await.unwrap();
    let not_ready = expect_error(app.get(&format!("/v1/videos/{}/content", video.id)).await, 409).await;
    assert_eq!(not_ready.error.code, "video_not_ready");
    assert_eq!(not_ready.error.message, format!("video {} is queued; its content is there once it is completed", video.id));
    let bad = expect_error(app.get(&format!("/v1/videos/{}/content?variant=gif", video.id)).await, 400).await;
    assert_eq!(bad.error.param.as_deref(), Some("variant"));
    expect_error(app.get("/v1/videos/video_nope/content").await, 404).await;
}

#[tokio::test]
async fn progress_streams_as_server_sent_events_until_the_end() {
    use futures_util::StreamExt;
    let app = queue_only_app(20).await;
    app.sign_up(&app.client, "ada", None).await;
    let video: Video = app.post("/api/v1/videos", &json!({ "prompt": "a ball" })).await.json().await.unwrap();
    let response = app.get(&format!("/api/v1/videos/{}/events", video.id)).await;
    assert_eq!(response.headers().get("content-type").unwrap(), "text/event-stream");
    let mut body = response.bytes_stream();
    let mut text = String::new();
    while !text.contains("\n\n") {
        text.push_str(&String::from_utf8_lossy(&body.next().await.unwrap().unwrap()));
    }
    assert!(text.starts_with("event: video\ndata: {"), "{text}");
    assert!(text.contains("\"status\":\"queued\""), "{text}");

    let cancelled: Video = app.post(&format!("/api/v1/videos/{}/cancel", video.id), &json!({})).await.json().await.unwrap();
    assert_eq!(cancelled.status, VideoStatus::Failed);
    assert_eq!(cancelled.error.as_ref().map(|e| e.code.as_str()), Some("cancelled"));
    // The stream reports the end and closes.
    while let Some(chunk) = body.next().await {
        text.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
    }
    assert!(text.contains("\"code\":\"cancelled\""), "{text}");
}
