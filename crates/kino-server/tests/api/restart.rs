//! A generation survives the server's sudden death: the real `kino serve` binary is killed
//! with SIGKILL while a job is in progress, started again on the same data, and the job is
//! claimed again once its lease runs out and completes.

use std::time::{Duration, Instant};

use kino_core::api::{Video, VideoStatus};
use serde_json::json;

use crate::helpers::{fresh_database_url, serve_binary, sign_up_body};

async fn status(client: &reqwest::Client, base: &str, id: &str) -> Video {
    client.get(format!("{base}/v1/videos/{id}")).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn a_job_started_before_kill_9_completes_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let database_url = fresh_database_url(&data).await;
    let (mut first, base) = serve_binary(&data, &database_url, &[], &[]);
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let created = client.post(format!("{base}/api/v1/account")).json(&sign_up_body("ada", None)).send().await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    // Wait until the worker has started the job, then kill the server mid-generation.
    let video: Video = client
        .post(format!("{base}/v1/videos"))
        .json(&json!({ "prompt": "a red ball bounces on a wooden floor", "seconds": "2" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let now = status(&client, &base, &video.id).await;
        assert_ne!(now.status, VideoStatus::Completed, "the job finished before the kill; it cannot show a restart");
        if now.status == VideoStatus::InProgress {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the job never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill().unwrap(); // SIGKILL: no shutdown code runs
    first.wait().unwrap();

    let (mut second, base) = serve_binary(&data, &database_url, &[], &[]);
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let signed_in =
        client.post(format!("{base}/api/v1/session")).json(&json!({ "email": "ada@example.org", "password": crate::helpers::PASSWORD })).send().await.unwrap();
    assert_eq!(signed_in.status().as_u16(), 200, "{}", signed_in.text().await.unwrap_or_default());
    let restarted = Instant::now();
    let done = loop {
        let now = status(&client, &base, &video.id).await;
        match now.status {
            VideoStatus::Completed => break now,
            VideoStatus::Failed => panic!("the job failed after the restart: {:?}", now.error),
            _ => {}
        }
        assert!(restarted.elapsed() < Duration::from_secs(180), "not completed 3 minutes after the restart: {now:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(done.progress, 100);
    let mp4 = client.get(format!("{base}/v1/videos/{}/content", video.id)).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&mp4[4..8], b"ftyp");
    second.kill().unwrap();
    second.wait().unwrap();
}
