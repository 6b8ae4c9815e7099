//! Webhooks end to end: a real HTTP receiver on a loopback port, real generation, and every
//! event's signature checked here the Standard Webhooks way (independently of the server's
//! code): `v1,` base64 HMAC-SHA256 of `id.timestamp.body` under the secret's key.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use kino_core::api::{DeliveryState, Video, VideoStatus, WebhookDeliveryList, WebhookEndpointCreated, WebhookEndpointList, WebhookEvent};
use serde_json::json;
use sha2::Sha256;

use crate::helpers::{TestApp, expect_error, spawn_app_with};
use crate::posts::finished;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A webhook receiver: records every request and answers the next scripted status (204 once
/// the script runs out).
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

async fn receiver(script: &[u16]) -> Receiver {
    let got = Arc::new(Mutex::new(Vec::new()));
    let answers = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<u16>>()));
    let record = got.clone();
    let hook = move |headers: HeaderMap, body: String| async move {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        record.lock().unwrap().push(Received {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
            body,
        });
        StatusCode::from_u16(answers.lock().unwrap().pop_front().unwrap_or(204)).unwrap()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, axum::Router::new().route("/hook", axum::routing::post(hook))).await });
    Receiver { url, got }
}

impl Receiver {
    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `count` requests have come (panics after two minutes).
    async fn wait_for(&self, count: usize) -> Vec<Received> {
        let started = Instant::now();
        while self.received().len() < count {
            assert!(started.elapsed() < Duration::from_secs(120), "only {} of {count} webhook requests came: {:?}", self.received().len(), self.received());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.received()
    }
}

/// Whether `signature` signs the request under `secret`, checked as a receiver would.
fn signed(secret: &str, got: &Received) -> bool {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", got.id, got.timestamp, got.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    got.signature.split(' ').any(|s| s == expected)
}

async fn generating_app() -> TestApp {
    spawn_app_with(|settings| {
        settings.accounts.invite_only = false;
        settings.generation.models = vec!["kino-1".into()];
        settings.generation.models_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
        settings.generation.workers = 1;
        settings.webhooks.to_private_addresses = true;
    })
    .await
}

#[tokio::test]
async fn finished_and_cancelled_videos_reach_the_endpoint_signed_and_a_refused_delivery_is_retried() {
    let app = generating_app().await;
    app.sign_up(&app.client, "ada", None).await;
    // The receiver refuses the first request it gets; the server must try that one again.
    let hooks = receiver(&[500]).await;
    let created = app.post("/api/v1/webhooks", &json!({ "url": hooks.url })).await;
    assert_eq!(created.status().as_u16(), 201);
    let endpoint: WebhookEndpointCreated = created.json().await.unwrap();
    assert!(endpoint.secret.starts_with("whsec_"), "{}", endpoint.secret);
    assert_eq!(endpoint.endpoint.events, ["video.completed", "video.failed"]);
    let listed: WebhookEndpointList = app.get("/api/v1/webhooks").await.json().await.unwrap();
    assert_eq!(listed.endpoints, std::slice::from_ref(&endpoint.endpoint));
    assert!(!serde_json::to_string(&listed).unwrap().contains(&endpoint.secret), "the secret is shown once");

    // One video is made; a second, queued behind it on the one worker, is cancelled.
    let made: Video = app.post("/v1/videos", &json!({ "prompt": "a red ball bounces on a wooden floor", "seconds": "2" })).await.json().await.unwrap();
    let queued: Video = app.post("/v1/videos", &json!({ "prompt": "a blue cube", "seconds": "2" })).await.json().await.unwrap();
    let cancelled: Video = app.post(&format!("/api/v1/videos/{}/cancel", queued.id), &json!({})).await.json().await.unwrap();
    assert_eq!(cancelled.status, VideoStatus::Failed);
    finished(&app, &app.client, &made.id).await;

    // Two events, one sent twice (the refused first request): three requests in all.
    let got = hooks.wait_for(3).await;
    assert!(got.iter().all(|r| signed(&endpoint.secret, r)), "every request is signed with the endpoint's secret: {got:?}");
    let retried = got.iter().filter(|r| r.id == got[0].id).count();
    assert_eq!(retried, 2, "the refused delivery was sent again with the same webhook-id: {got:?}");
    let events: Vec<WebhookEvent> = got.iter().map(|r| serde_json::from_str(&r.body).unwrap()).collect();
    let about = |video: &str| events.iter().find(|e| e.data.id == video).unwrap_or_else(|| panic!("no event for {video}: {events:?}"));
    assert_eq!((about(&made.id).event_type.as_str(), about(&made.id).object.as_str()), ("video.completed", "event"));
    assert_eq!(about(&queued.id).event_type, "video.failed");
    assert!(about(&made.id).id.starts_with("evt_"));

    // The delivery log tells the same story.
    let log: WebhookDeliveryList = app.get(&format!("/api/v1/webhooks/{}/deliveries", endpoint.endpoint.id)).await.json().await.unwrap();
    assert_eq!(log.deliveries.len(), 2);
    assert!(log.deliveries.iter().all(|d| d.state == DeliveryState::Delivered && d.last_status == Some(204)), "{log:?}");
    let mut attempts: Vec<u32> = log.deliveries.iter().map(|d| d.attempts).collect();
    attempts.sort_unstable();
    assert_eq!(attempts, [1, 2]);
    let first = log.deliveries.iter().find(|d| d.id == got[0].id).unwrap();
    assert_eq!(first.attempts, 2, "the first request was the refused one");

    // Nobody else sees or deletes it; deleting it takes its log.
    let bob = app.new_client();
    app.sign_up(&bob, "bob", None).await;
    let path = format!("/api/v1/webhooks/{}", endpoint.endpoint.id);
    expect_error(bob.get(app.url(&format!("{path}/deliveries"))).send().await.unwrap(), 404).await;
    expect_error(bob.delete(app.url(&path)).send().await.unwrap(), 404).await;
    assert_eq!(app.client.delete(app.url(&path)).send().await.unwrap().status().as_u16(), 204);
    expect_error(app.get(&format!("{path}/deliveries")).await, 404).await;
    expect_error(app.client.delete(app.url(&path)).send().await.unwrap(), 404).await;
    let listed: WebhookEndpointList = app.get("/api/v1/webhooks").await.json().await.unwrap();
    assert!(listed.endpoints.is_empty());
}

#[tokio::test]
async fn bad_endpoints_are_refused_and_change_nothing() {
    // A server as shipped: webhooks may not go to private addresses.
    let app = spawn_app_with(|settings| settings.accounts.invite_only = false).await;
    app.sign_up(&app.client, "ada", None).await;
    let cases = [
        (json!({ "url": "hooks.example.com/kino" }), "url"),
        (json!({ "url": "ftp://hooks.example.com/" }), "url"),
        (json!({ "url": "http://127.0.0.1:9/hook" }), "url"),
        (json!({ "url": "http://169.254.169.254/latest/meta-data" }), "url"),
        (json!({ "url": "https://hooks.example.com/", "events": ["video.created"] }), "events"),
        (json!({ "url": "https://hooks.example.com/", "events": [] }), "events"),
    ];
    for (body, param) in cases {
        let error = expect_error(app.post("/api/v1/webhooks", &body).await, 400).await;
        assert_eq!(error.error.param.as_deref(), Some(param), "{body}: {}", error.error.message);
    }
    expect_error(app.post("/api/v1/webhooks", &json!({ "url": "https://hooks.example.com/", "secret": "mine" })).await, 400).await;
    let listed: WebhookEndpointList = app.get("/api/v1/webhooks").await.json().await.unwrap();
    assert!(listed.endpoints.is_empty());
    expect_error(app.new_client().get(app.url("/api/v1/webhooks")).send().await.unwrap(), 401).await;

    // Only the events asked for, and at most ten endpoints.
    let failed_only: WebhookEndpointCreated =
        app.post("/api/v1/webhooks", &json!({ "url": "https://hooks.example.com/failed", "events": ["video.failed"] })).await.json().await.unwrap();
    assert_eq!(failed_only.endpoint.events, ["video.failed"]);
    for n in 1..10 {
        assert_eq!(app.post("/api/v1/webhooks", &json!({ "url": format!("https://hooks.example.com/{n}") })).await.status().as_u16(), 201);
    }
    let full = expect_error(app.post("/api/v1/webhooks", &json!({ "url": "https://hooks.example.com/11" })).await, 409).await;
    assert_eq!(full.error.code, "too_many_endpoints");
}
