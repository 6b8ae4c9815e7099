//! `spawn_app()`: a real server on a free loopback port with a database of its own: SQLite in
//! a temporary folder, or a fresh Postgres database when `KINO_TEST_DATABASE_URL` is set.

use kino_core::api::{Account, ErrorBody};
use kino_server::{Application, Settings};
use serde_json::{Value, json};
use sqlx::{Connection, Executor};
use tempfile::TempDir;
use tokio::sync::OnceCell;

pub struct TestApp {
    pub base: String,
    /// A client that keeps cookies, like a browser.
    pub client: reqwest::Client,
    pub data_dir: std::path::PathBuf,
    pub database_url: String,
    /// Keeps the data and studio folders until the test ends.
    _dir: TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts a fresh server after `configure` has adjusted its settings.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let studio = dir.path().join("studio");
    std::fs::create_dir_all(&studio).expect("studio dir");
    std::fs::write(studio.join("index.html"), "<!doctype html><title>Kino</title><main id=app></main>").expect("index");
    std::fs::write(studio.join("style.css"), "body { margin: 0 }").expect("css");
    let data_dir = dir.path().join("data");
    let database_url = match std::env::var("KINO_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => Some(fresh_postgres_database(&base).await),
        _ => None,
    };
    let mut settings = Settings::ephemeral(data_dir.clone(), database_url, studio);
    configure(&mut settings);
    let database_url = settings.data.database_url();
    let app = Application::build(settings).await.expect("build app");
    let base = format!("http://{}", app.addr());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
    TestApp { base, client, data_dir, database_url, _dir: dir }
}

/// A fresh, migrated database without a server: SQLite in `dir`, or Postgres when
/// `KINO_TEST_DATABASE_URL` is set.
pub async fn fresh_db(dir: &std::path::Path) -> kino_server::db::Db {
    kino_server::db::open(&fresh_database_url(dir).await).await.expect("open test database")
}

/// The URL of an empty database: SQLite in `dir`, or Postgres when `KINO_TEST_DATABASE_URL`
/// is set.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("KINO_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => fresh_postgres_database(&base).await,
        _ => kino_server::db::sqlite_url(dir),
    }
}

/// Creates an empty database next to the one `base` names and returns its URL. Databases
/// left by earlier runs are dropped first.
async fn fresh_postgres_database(base: &str) -> String {
    static CLEANED: OnceCell<()> = OnceCell::const_new();
    let mut admin = sqlx::PgConnection::connect(base).await.expect("connect to KINO_TEST_DATABASE_URL");
    CLEANED
        .get_or_init(|| async {
            let stale: Vec<(String,)> =
                sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'kino_test_%'").fetch_all(&mut admin).await.expect("list test databases");
            for (name,) in stale {
                let _ = admin.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))).await;
            }
        })
        .await;
    let name = format!("kino_test_{}", uuid_like());
    admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).await.expect("create test database");
    let (without_query, query) = base.split_once('?').map_or((base, ""), |(url, q)| (url, q));
    let prefix = without_query.rsplit_once('/').map_or(without_query, |(prefix, _)| prefix);
    if query.is_empty() { format!("{prefix}/{name}") } else { format!("{prefix}/{name}?{query}") }
}

fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{:x}{:x}", std::process::id(), nanos)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A second browser: same server, no cookies shared.
    pub fn new_client(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).build().expect("client")
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client.post(self.url(path)).json(body).send().await.expect("request")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// Signs up with this client (no invite: for the first account or with `invite_code`).
    pub async fn sign_up(&self, client: &reqwest::Client, handle: &str, invite_code: Option<&str>) -> Account {
        let response = client.post(self.url("/api/v1/account")).json(&sign_up_body(handle, invite_code)).send().await.expect("request");
        assert_eq!(response.status().as_u16(), 201, "sign-up of {handle} failed: {}", response.text().await.unwrap_or_default());
        response.json().await.expect("account")
    }

    /// The first account (the admin) signed in on `self.client`, and an invite it made.
    pub async fn admin_with_invite(&self) -> (Account, String) {
        let admin = self.sign_up(&self.client, "admin", None).await;
        let invite: Value = self.post("/api/v1/invites", &json!({})).await.json().await.expect("invite");
        (admin, invite["code"].as_str().expect("code").to_owned())
    }
}

pub const PASSWORD: &str = "correct horse battery";

pub fn sign_up_body(handle: &str, invite_code: Option<&str>) -> Value {
    json!({
        "email": format!("{handle}@example.org"),
        "handle": handle,
        "password": PASSWORD,
        "birth_date": "1990-05-17",
        "region": "DE",
        "invite_code": invite_code,
    })
}

/// Asserts the status and the error shape, and returns the error for closer checks.
pub async fn expect_error(response: reqwest::Response, status: u16) -> ErrorBody {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    let body: ErrorBody = response.json().await.expect("error body is the shared JSON shape");
    assert!(!body.error.message.is_empty());
    body
}

/// The real `kino serve` binary on a free port with one worker and the repository's models,
/// plus `args` and environment `envs`; returns the child and its base URL.
pub fn serve_binary(data: &std::path::Path, database_url: &str, args: &[&str], envs: &[(&str, &str)]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kino"))
        .args(["serve", "--addr", "127.0.0.1:0", "--invite-only", "false", "--workers", "1"])
        .arg("--data")
        .arg(data)
        .args(["--database-url", database_url])
        .arg("--models-dir")
        .arg(&models)
        .arg("--studio")
        .arg(data.join("no-studio"))
        .args(args)
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start kino serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("kino serve exited before listening").expect("read stdout");
        if let Some(url) = line.strip_prefix("kino: listening on ") {
            break url.trim_end_matches('/').to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
}
