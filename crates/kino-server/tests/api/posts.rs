//! Publishing and the social side of videos, with real generation: the committed `kino-1`
//! weights run in the server's worker, so remixes and extensions are made from the real
//! latents of real clips.

use std::time::{Duration, Instant};

use kino_core::api::{FeedPage, FeedReason, VerifyResult, Video, VideoCard, VideoPage, VideoStatus, Visibility};
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_error, spawn_app_with};

/// A server that generates with the repository's models and one worker.
async fn generating_app() -> TestApp {
    spawn_app_with(|settings| {
        settings.accounts.invite_only = false;
        settings.generation.models_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
        settings.generation.workers = 1;
    })
    .await
}

async fn queue_only_app() -> TestApp {
    spawn_app_with(|settings| {
        settings.accounts.invite_only = false;
        settings.generation.models = vec!["kino-1".into()];
    })
    .await
}

async fn post_json(app: &TestApp, client: &reqwest::Client, path: &str, body: Value) -> reqwest::Response {
    client.post(app.url(path)).json(&body).send().await.unwrap()
}

/// Waits until the video is completed (panics if it fails or takes over five minutes).
pub async fn finished(app: &TestApp, client: &reqwest::Client, id: &str) -> Video {
    let started = Instant::now();
    loop {
        let video: Video = client.get(app.url(&format!("/v1/videos/{id}"))).send().await.unwrap().json().await.unwrap();
        match video.status {
            VideoStatus::Completed => return video,
            VideoStatus::Failed => panic!("generation of {id} failed: {:?}", video.error),
            _ if started.elapsed() > Duration::from_secs(300) => {
                panic!("{id} still {:?} after 5 minutes", video.status)
            }
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

async fn page(app: &TestApp, client: &reqwest::Client, id: &str) -> reqwest::Response {
    client.get(app.url(&format!("/api/v1/videos/{id}/page"))).send().await.unwrap()
}

async fn publish(app: &TestApp, client: &reqwest::Client, id: &str, visibility: &str) -> reqwest::Response {
    client.put(app.url(&format!("/api/v1/videos/{id}/publication"))).json(&json!({ "visibility": visibility })).send().await.unwrap()
}

async fn feed(app: &TestApp, client: &reqwest::Client) -> FeedPage {
    client.get(app.url("/api/v1/feed")).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn a_generated_video_is_published_liked_commented_remixed_and_extended() {
    let app = generating_app().await;
    let ada = app.client.clone();
    app.sign_up(&ada, "ada", None).await;
    let bob = app.new_client();
    app.sign_up(&bob, "bob", None).await;

    // One window (2 s), the quickest; a longer clip is the extension below.
    let made: Video = post_json(&app, &ada, "/v1/videos", json!({ "prompt": "a red rubber ball bounces twice on a wooden floor", "seconds": "2" }))
        .await
        .json()
        .await
        .unwrap();
    let done = finished(&app, &ada, &made.id).await;
    assert_eq!((done.progress, done.seconds.as_str()), (100, "2"));
    let mp4 = ada.get(app.url(&format!("/v1/videos/{}/content", made.id))).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&mp4[4..8], b"ftyp");
    assert_eq!(frames_in(&mp4), 24, "2 s at 12 fps");

    // A draft is the owner's alone.
    for response in [page(&app, &bob, &made.id).await, bob.put(app.url(&format!("/api/v1/videos/{}/like", made.id))).send().await.unwrap()] {
        assert_eq!(expect_error(response, 404).await.error.code, "video_not_found");
    }
    expect_error(post_json(&app, &bob, &format!("/v1/videos/{}/remix", made.id), json!({ "prompt": "blue ball" })).await, 404).await;
    expect_error(bob.get(app.url(&format!("/api/v1/videos/{}/content", made.id))).send().await.unwrap(), 404).await;
    assert!(feed(&app, &bob).await.items.is_empty());

    let card: VideoCard = publish(&app, &ada, &made.id, "public").await.json().await.unwrap();
    assert_eq!(card.visibility, Visibility::Public);
    assert!(card.published_at.is_some());

    // Bob sees it in his feed, likes it and comments.
    let items = feed(&app, &bob).await.items;
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].card.video.id.as_str(), items[0].reason), (made.id.as_str(), FeedReason::Popular));
    assert_eq!(items[0].why, "popular on Kino: 0 likes, 0 remixes");
    let liked: VideoCard = bob.put(app.url(&format!("/api/v1/videos/{}/like", made.id))).send().await.unwrap().json().await.unwrap();
    assert_eq!((liked.likes, liked.liked), (1, true));
    let again: VideoCard = bob.put(app.url(&format!("/api/v1/videos/{}/like", made.id))).send().await.unwrap().json().await.unwrap();
    assert_eq!(again.likes, 1, "liking twice counts once");
    let comment = post_json(&app, &bob, &format!("/api/v1/videos/{}/comments", made.id), json!({ "body": "  love the second bounce " })).await;
    assert_eq!(comment.status().as_u16(), 201);
    let watched = bob.get(app.url(&format!("/api/v1/videos/{}/content?variant=thumbnail", made.id))).send().await.unwrap();
    assert_eq!(watched.headers()["content-type"], "image/png");

    // Bob remixes it; the remix records its parent and names it in its C2PA manifest.
    let remix: Video =
        post_json(&app, &bob, &format!("/v1/videos/{}/remix", made.id), json!({ "prompt": "a blue rubber ball bounces twice on a wooden floor" }))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(remix.remixed_from_video_id.as_deref(), Some(made.id.as_str()));
    finished(&app, &bob, &remix.id).await;
    let remix_mp4 = bob.get(app.url(&format!("/v1/videos/{}/content", remix.id))).send().await.unwrap().bytes().await.unwrap();
    let verified: VerifyResult =
        bob.post(app.url("/api/v1/verify")).header("content-type", "video/mp4").body(remix_mp4.to_vec()).send().await.unwrap().json().await.unwrap();
    assert!(verified.report.c2pa.actions.iter().any(|a| a == "c2pa.edited"), "{:?}", verified.report.c2pa);
    assert!(verified.report.c2pa.parent.is_some(), "{:?}", verified.report.c2pa);
    assert_eq!(verified.known_video_id.as_deref(), Some(remix.id.as_str()));
    publish(&app, &bob, &remix.id, "public").await;

    // Ada sees the remix under her original, and the remix's page shows its ancestry.
    let original: VideoPage = page(&app, &ada, &made.id).await.json().await.unwrap();
    assert_eq!(original.remixes.iter().map(|c| c.video.id.as_str()).collect::<Vec<_>>(), [remix.id.as_str()]);
    assert_eq!((original.card.likes, original.card.remixes, original.comments.len()), (1, 1, 1));
    assert_eq!((original.comments[0].author.as_str(), original.comments[0].body.as_str()), ("bob", "love the second bounce"));
    let child: VideoPage = page(&app, &ada, &remix.id).await.json().await.unwrap();
    assert_eq!(child.ancestry.iter().map(|c| c.video.id.as_str()).collect::<Vec<_>>(), [made.id.as_str()]);
    assert_eq!(child.card.kind, "remix");
    let ada_feed = feed(&app, &ada).await.items;
    assert_eq!(ada_feed.iter().map(|i| (i.card.video.id.as_str(), i.reason)).collect::<Vec<_>>(), [(remix.id.as_str(), FeedReason::Popular)]);

    // Ada extends her clip by two seconds: the result is the whole, stitched, four-second clip.
    let extended: Video =
        post_json(&app, &ada, "/v1/videos/extensions", json!({ "prompt": "then the ball rolls away", "seconds": "2", "video": { "id": made.id } }))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!((extended.seconds.as_str(), extended.remixed_from_video_id.as_deref()), ("4", Some(made.id.as_str())));
    finished(&app, &ada, &extended.id).await;
    let long_mp4 = ada.get(app.url(&format!("/v1/videos/{}/content", extended.id))).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(frames_in(&long_mp4), 48, "4 s at 12 fps");
    let edit: Video =
        post_json(&app, &ada, "/v1/videos/edits", json!({ "prompt": "a green rubber ball bounces twice on a wooden floor", "video": { "id": made.id } }))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(finished(&app, &ada, &edit.id).await.seconds, "2");
}

/// Video frames in an MP4.
fn frames_in(mp4: &[u8]) -> usize {
    kino_media::demux::parse(mp4).unwrap().video.expect("a video track").samples.len()
}

#[tokio::test]
async fn followers_only_videos_blocks_mutes_and_not_interested() {
    let app = generating_app().await;
    let ada = app.client.clone();
    app.sign_up(&ada, "ada", None).await;
    let bob = app.new_client();
    app.sign_up(&bob, "bob", None).await;
    let made: Video = post_json(&app, &ada, "/v1/videos", json!({ "prompt": "a yellow duck floats on water", "seconds": "2" })).await.json().await.unwrap();
    finished(&app, &ada, &made.id).await;
    publish(&app, &ada, &made.id, "followers").await;
    expect_error(page(&app, &bob, &made.id).await, 404).await;
    assert!(feed(&app, &bob).await.items.is_empty());

    bob.put(app.url("/api/v1/users/ada/follow")).send().await.unwrap();
    let items = feed(&app, &bob).await.items;
    assert_eq!(items.iter().map(|i| (i.reason, i.why.as_str())).collect::<Vec<_>>(), [(FeedReason::Following, "from @ada, whom you follow")]);
    assert_eq!(page(&app, &bob, &made.id).await.status().as_u16(), 200);

    bob.put(app.url("/api/v1/users/ada/mute")).send().await.unwrap();
    assert!(feed(&app, &bob).await.items.is_empty(), "muted people leave the feed");
    bob.delete(app.url("/api/v1/users/ada/mute")).send().await.unwrap();
    assert_eq!(post_json(&app, &bob, &format!("/api/v1/videos/{}/not-interested", made.id), json!({})).await.status().as_u16(), 204);
    assert!(feed(&app, &bob).await.items.is_empty());

    // Unpublishing hides it again; a block hides it both ways.
    publish(&app, &ada, &made.id, "public").await;
    ada.put(app.url("/api/v1/users/bob/block")).send().await.unwrap();
    expect_error(page(&app, &bob, &made.id).await, 404).await;
    expect_error(post_json(&app, &bob, &format!("/api/v1/videos/{}/comments", made.id), json!({ "body": "hi" })).await, 404).await;
    let anonymous: VideoPage = app.new_client().get(app.url(&format!("/api/v1/videos/{}/page", made.id))).send().await.unwrap().json().await.unwrap();
    assert_eq!(anonymous.card.video.id, made.id, "visitors see public videos");
    publish(&app, &ada, &made.id, "draft").await;
    expect_error(app.new_client().get(app.url(&format!("/api/v1/videos/{}/page", made.id))).send().await.unwrap(), 404).await;
}

#[tokio::test]
async fn bad_requests_about_posts_change_nothing() {
    let app = queue_only_app().await;
    let ada = app.client.clone();
    app.sign_up(&ada, "ada", None).await;
    let queued: Video = post_json(&app, &ada, "/v1/videos", json!({ "prompt": "a ball" })).await.json().await.unwrap();
    let id = queued.id.clone();

    let not_ready = expect_error(publish(&app, &ada, &id, "public").await, 409).await;
    assert_eq!(not_ready.error.message, format!("video {id} is queued; it can be published once it is completed"));
    expect_error(publish(&app, &ada, &id, "everyone").await, 400).await;
    expect_error(publish(&app, &ada, "video_nope", "public").await, 404).await;
    let remix = expect_error(post_json(&app, &ada, &format!("/v1/videos/{id}/remix"), json!({ "prompt": "blue" })).await, 409).await;
    assert_eq!(remix.error.code, "video_not_ready");
    expect_error(post_json(&app, &ada, &format!("/v1/videos/{id}/remix"), json!({ "prompt": "" })).await, 400).await;
    expect_error(post_json(&app, &ada, "/v1/videos/video_nope/remix", json!({ "prompt": "blue" })).await, 404).await;
    expect_error(post_json(&app, &ada, "/v1/videos/extensions", json!({ "prompt": "on", "video": {} })).await, 400).await;
    expect_error(post_json(&app, &ada, "/v1/videos/edits", json!({ "prompt": "on", "video": { "id": 7 } })).await, 400).await;

    let empty = expect_error(post_json(&app, &ada, &format!("/api/v1/videos/{id}/comments"), json!({ "body": "   " })).await, 400).await;
    assert_eq!((empty.error.code.as_str(), empty.error.param.as_deref()), ("empty_comment", Some("body")));
    let long = expect_error(post_json(&app, &ada, &format!("/api/v1/videos/{id}/comments"), json!({ "body": "x".repeat(501) })).await, 400).await;
    assert_eq!(long.error.message, "a comment can be at most 500 characters; this one has 501");
    expect_error(post_json(&app, &ada, &format!("/api/v1/videos/{id}/reports"), json!({ "reason": "boring" })).await, 400).await;
    let report = post_json(&app, &ada, &format!("/api/v1/videos/{id}/reports"), json!({ "reason": "spam", "note": "test" })).await;
    assert_eq!(report.status().as_u16(), 201);
    let data = kino_server::settings::DataSettings {
        database_url: Some(app.database_url.clone()),
        ..kino_server::settings::DataSettings::in_folder(app.data_dir.clone())
    };
    let queue = kino_server::admin::run(&data, kino_server::admin::AdminCommand::Reports).await.unwrap();
    assert!(queue.contains(&format!("video {id}  spam  \"test\"")), "{queue}");
    for query in ["limit=0", "limit=51", "after=garbage", "limit=x"] {
        expect_error(ada.get(app.url(&format!("/api/v1/feed?{query}"))).send().await.unwrap(), 400).await;
    }
    expect_error(app.new_client().get(app.url("/api/v1/feed")).send().await.unwrap(), 401).await;
    expect_error(ada.delete(app.url("/api/v1/comments/comment_nope")).send().await.unwrap(), 404).await;

    let page: VideoPage = page(&app, &ada, &id).await.json().await.unwrap();
    assert_eq!((page.card.visibility, page.card.likes, page.comments.len()), (Visibility::Draft, 0, 0), "nothing changed");
}
