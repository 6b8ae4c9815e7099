use kino_core::api::ErrorBody;
use kino_server::{Application, Settings};
use tempfile::TempDir;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    /// Keeps the data and studio folders until the test ends.
    _dir: TempDir,
}

/// Starts a fresh server with its own empty database and a tiny studio folder.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let studio = dir.path().join("studio");
    std::fs::create_dir_all(&studio).expect("studio dir");
    std::fs::write(studio.join("index.html"), "<!doctype html><title>Kino</title><main id=app></main>").expect("index");
    std::fs::write(studio.join("style.css"), "body { margin: 0 }").expect("css");
    let app = Application::build(Settings::ephemeral(dir.path().join("data"), studio)).await.expect("build app");
    let base = format!("http://{}", app.addr());
    tokio::spawn(app.run_until_stopped());
    TestApp { base, client: reqwest::Client::new(), _dir: dir }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Asserts the status and the error shape, and returns the error for closer checks.
pub async fn expect_error(response: reqwest::Response, status: u16) -> ErrorBody {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let body: ErrorBody = response.json().await.expect("error body is the shared JSON shape");
    assert!(!body.error.message.is_empty());
    body
}
