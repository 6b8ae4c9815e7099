//! Media in an S3-compatible bucket: the real `kino serve` binary stores a generated video's
//! files through the S3 protocol in a real S3 server (`s3s-fs`, which keeps each object as a
//! file under its root folder), serves them back and deletes them with the video; a bucket
//! that is not there stops the server at start-up with a message that names it.
//!
//! `cargo xtask test` installs `s3s-fs` and names it in `KINO_TEST_S3_SERVER`. Without it the
//! test says so loudly and passes, except in CI, where a missing server is a failure.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kino_core::api::{Video, VideoStatus};
use serde_json::json;

use crate::helpers::{fresh_database_url, serve_binary, sign_up_body};

const ACCESS_KEY: &str = "kino-test-key";
const SECRET_KEY: &str = "kino-test-secret-0123456789";
const BUCKET: &str = "kino-media";

/// An S3 server on a free loopback port, storing under `root`; killed on drop.
struct S3Server {
    child: Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn s3_server_binary() -> Option<PathBuf> {
    match std::env::var_os("KINO_TEST_S3_SERVER") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var_os("CI").is_some() => panic!("KINO_TEST_S3_SERVER is not set: CI must test media on S3 (run `cargo xtask test`)"),
        None => {
            eprintln!("SKIPPING the S3 media test: KINO_TEST_S3_SERVER names no S3 server (`cargo xtask test` sets it)");
            None
        }
    }
}

fn start_s3(binary: &Path, root: &Path) -> S3Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(binary)
        .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
    let server = S3Server { child, endpoint: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "the S3 server never listened on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// The credentials `kino serve` reads, as for AWS itself.
const AWS_ENV: [(&str, &str); 3] = [("AWS_ACCESS_KEY_ID", ACCESS_KEY), ("AWS_SECRET_ACCESS_KEY", SECRET_KEY), ("AWS_REGION", "us-east-1")];

#[tokio::test]
async fn a_generated_video_lives_in_the_bucket_and_leaves_with_it() {
    let Some(binary) = s3_server_binary() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("s3");
    std::fs::create_dir_all(root.join(BUCKET)).unwrap();
    let s3 = start_s3(&binary, &root);
    let data = dir.path().join("data");
    let database_url = fresh_database_url(&data).await;
    let media_url = format!("s3://{BUCKET}/instance-a");
    let (mut server, base) = serve_binary(&data, &database_url, &["--media-url", &media_url, "--s3-endpoint", &s3.endpoint], &AWS_ENV);

    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let created = client.post(format!("{base}/api/v1/account")).json(&sign_up_body("ada", None)).send().await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let video: Video = client
        .post(format!("{base}/v1/videos"))
        .json(&json!({ "prompt": "a blue cube slides down a ramp", "seconds": "2" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let now: Video = client.get(format!("{base}/v1/videos/{}", video.id)).send().await.unwrap().json().await.unwrap();
        match now.status {
            VideoStatus::Completed => break,
            VideoStatus::Failed => panic!("generation failed: {:?}", now.error),
            _ => assert!(started.elapsed() < Duration::from_secs(180), "not completed after 3 minutes: {now:?}"),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The files are objects in the bucket, under the instance's prefix, not in the data folder.
    let objects = root.join(BUCKET).join("instance-a").join("videos").join(&video.id);
    let stored = std::fs::read(objects.join("video.mp4")).expect("the MP4 is an object in the bucket");
    assert_eq!(&stored[4..8], b"ftyp");
    assert!(objects.join("thumbnail.png").exists() && objects.join("latents.json").exists());
    assert!(!data.join("media").join("videos").exists(), "nothing is written to the local media folder");
    let served = client.get(format!("{base}/v1/videos/{}/content", video.id)).send().await.unwrap();
    assert_eq!(served.status().as_u16(), 200);
    assert_eq!(served.bytes().await.unwrap(), stored, "the server serves the bucket's bytes");
    let thumbnail = client.get(format!("{base}/v1/videos/{}/content?variant=thumbnail", video.id)).send().await.unwrap();
    assert_eq!(&thumbnail.bytes().await.unwrap()[1..4], b"PNG");

    let deleted = client.delete(format!("{base}/v1/videos/{}", video.id)).send().await.unwrap();
    assert_eq!(deleted.status().as_u16(), 200);
    assert!(!objects.join("video.mp4").exists() && !objects.join("thumbnail.png").exists(), "deleting the video deletes its objects");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn a_missing_bucket_or_a_bad_media_url_stops_the_server_with_a_clear_error() {
    let Some(binary) = s3_server_binary() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("s3");
    std::fs::create_dir_all(&root).unwrap();
    let s3 = start_s3(&binary, &root);
    let serve = |media_url: &str| {
        Command::new(env!("CARGO_BIN_EXE_kino"))
            .args(["serve", "--addr", "127.0.0.1:0", "--media-url", media_url, "--s3-endpoint", &s3.endpoint])
            .arg("--data")
            .arg(dir.path().join("data"))
            .envs(AWS_ENV)
            .output()
            .unwrap()
    };
    let missing = serve("s3://no-such-bucket/x");
    assert!(!missing.status.success());
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(message.contains("cannot use the media bucket s3://no-such-bucket/x"), "{message}");

    let not_s3 = serve("https://example.org/media");
    assert!(!not_s3.status.success());
    let message = String::from_utf8_lossy(&not_s3.stderr);
    assert!(message.contains("is not an S3 URL"), "{message}");
}
