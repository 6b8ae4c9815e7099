//! `/api/v1/verify` checks any file in memory against this server's own C2PA root, and names
//! the video a watermark points to.

use kino_core::api::{VerifyResult, Video};
use kino_core::media::C2paState;
use serde_json::json;

use crate::helpers::{TestApp, expect_error, spawn_app_with};

fn signed_export(app: &TestApp, watermark_id: u64) -> Vec<u8> {
    let chain = kino_media::SigningChain::load_or_create(&kino_media::SigningChain::dir_in(&app.data_dir), "Kino").unwrap();
    let clip = kino_media::synth::test_clip(128, 128, 12.0, 2.0);
    kino_media::export_bytes(&clip, &kino_media::ExportOptions::new(app.data_dir.join("scratch"), watermark_id, chain)).unwrap().mp4
}

async fn verify(app: &TestApp, bytes: Vec<u8>) -> reqwest::Response {
    app.client.post(app.url("/api/v1/verify")).header("content-type", "video/mp4").body(bytes).send().await.unwrap()
}

#[tokio::test]
async fn a_file_signed_here_is_trusted_traced_and_tampering_shows() {
    let app = spawn_app_with(|settings| {
        settings.accounts.invite_only = false;
        settings.generation.models = vec!["kino-1".into()];
    })
    .await;
    app.sign_up(&app.client, "ada", None).await;
    let video: Video = app.post("/api/v1/videos", &json!({ "prompt": "a ball", "seconds": "2" })).await.json().await.unwrap();
    let watermark_id: i64 = {
        let db = kino_server::db::open(&app.database_url).await.unwrap();
        let (id,): (i64,) = sqlx::query_as("SELECT watermark_id FROM videos WHERE id = $1").bind(&video.id).fetch_one(&db.pool).await.unwrap();
        id
    };
    let mp4 = signed_export(&app, watermark_id as u64);

    let result: VerifyResult = verify(&app, mp4.clone()).await.json().await.unwrap();
    assert_eq!(result.report.c2pa.state, C2paState::Trusted, "{:?}", result.report.c2pa);
    assert_eq!(result.report.watermark.video_id, Some(format!("{watermark_id:016x}")));
    assert!(result.report.visible_mark);
    assert_eq!(result.known_video_id.as_deref(), Some(video.id.as_str()));

    let mut tampered = mp4;
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x40;
    let result: VerifyResult = verify(&app, tampered).await.json().await.unwrap();
    assert!(result.report.c2pa.tampered || result.report.c2pa.state == C2paState::Invalid, "{:?}", result.report.c2pa);

    let root = app.get("/api/v1/c2pa/root.pem").await.text().await.unwrap();
    assert!(root.starts_with("-----BEGIN CERTIFICATE-----"), "{root}");
}

#[tokio::test]
async fn files_from_elsewhere_and_empty_bodies() {
    let app = spawn_app_with(|_| {}).await;
    let not_mp4 = expect_error(verify(&app, b"not a video at all".to_vec()).await, 400).await;
    assert_eq!((not_mp4.error.code.as_str(), not_mp4.error.message.as_str()), ("not_mp4", "Kino verifies MP4 files, and this is not one"));
    let empty = expect_error(verify(&app, Vec::new()).await, 400).await;
    assert_eq!(empty.error.code, "empty_file");
}
