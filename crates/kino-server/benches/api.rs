//! `cargo xtask bench api`: requests per second and latency of the API on loopback, against
//! a real `kino serve` (SQLite in a temporary folder), at fixed concurrency. Prints a table.

use std::time::{Duration, Instant};

use kino_server::{Application, Settings};
use serde_json::{Value, json};

const CONCURRENCY: usize = 16;
const DURATION: Duration = Duration::from_secs(5);

struct Row {
    name: &'static str,
    requests: usize,
    errors: usize,
    seconds: f64,
    latencies_us: Vec<u64>,
}

impl Row {
    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let index = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[index] as f64 / 1000.0
    }
}

/// Sends GET `path` from `CONCURRENCY` clients for `DURATION`.
async fn hammer(name: &'static str, url: String, key: String) -> Row {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, url, key) = (client.clone(), url.clone(), key.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                while started.elapsed() < DURATION {
                    let sent = Instant::now();
                    match client.get(&url).bearer_auth(&key).send().await {
                        Ok(response) if response.status().is_success() => {
                            let _ = response.bytes().await;
                            latencies.push(sent.elapsed().as_micros() as u64);
                        }
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut row = Row { name, requests: 0, errors: 0, seconds: 0.0, latencies_us: Vec::new() };
    for task in tasks {
        if let Ok((latencies, errors)) = task.await {
            row.requests += latencies.len();
            row.errors += errors;
            row.latencies_us.extend(latencies);
        }
    }
    row.seconds = started.elapsed().as_secs_f64();
    row.latencies_us.sort_unstable();
    row
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::ephemeral(dir.path().join("data"), None, dir.path().join("studio"));
    settings.accounts.invite_only = false;
    settings.generation.models = vec!["kino-1".into()];
    settings.generation.daily_limit = 1000;
    let database_url = settings.data.database_url();
    let app = Application::build(settings).await?;
    let base = format!("http://{}", app.addr());
    tokio::spawn(app.run_until_stopped());

    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let sign_up = json!({ "email": "bench@example.org", "handle": "bench", "password": "correct horse battery", "birth_date": "1990-01-01", "region": "DE" });
    client.post(format!("{base}/api/v1/account")).json(&sign_up).send().await?.error_for_status()?;
    let key: Value = client.post(format!("{base}/api/v1/api-keys")).json(&json!({ "name": "bench" })).send().await?.json().await?;
    let key = key["key"].as_str().unwrap_or_default().to_owned();
    let mut last_id = String::new();
    for n in 0..50 {
        let video: Value = client.post(format!("{base}/v1/videos")).json(&json!({ "prompt": format!("ball {n}") })).send().await?.json().await?;
        last_id = video["id"].as_str().unwrap_or_default().to_owned();
    }

    // The feed's reader: follows `bench` and likes some of its videos. Four more makers with
    // 50 videos each; then every video is marked finished and published (no model runs
    // here: the feed reads rows, and generating 250 clips would take a quarter of an hour).
    let reader = reqwest::Client::builder().cookie_store(true).build()?;
    let mut account = sign_up.clone();
    account["email"] = json!("reader@example.org");
    account["handle"] = json!("reader");
    reader.post(format!("{base}/api/v1/account")).json(&account).send().await?.error_for_status()?;
    let reader_key: Value = reader.post(format!("{base}/api/v1/api-keys")).json(&json!({ "name": "bench" })).send().await?.json().await?;
    let reader_key = reader_key["key"].as_str().unwrap_or_default().to_owned();
    for maker in 0..4 {
        let other = reqwest::Client::builder().cookie_store(true).build()?;
        account["email"] = json!(format!("maker{maker}@example.org"));
        account["handle"] = json!(format!("maker{maker}"));
        other.post(format!("{base}/api/v1/account")).json(&account).send().await?.error_for_status()?;
        for n in 0..50 {
            other.post(format!("{base}/v1/videos")).json(&json!({ "prompt": format!("duck {n}") })).send().await?.error_for_status()?;
        }
    }
    let db = kino_server::db::open(&database_url).await?;
    let now = kino_server::ids::now_ms();
    sqlx::query("UPDATE jobs SET state = 'completed', progress = 100, completed_at = $1").bind(now).execute(&db.pool).await?;
    sqlx::query("UPDATE videos SET visibility = 'public', published_at = created_at").execute(&db.pool).await?;
    reader.put(format!("{base}/api/v1/users/bench/follow")).send().await?.error_for_status()?;
    let library: Value = client.get(format!("{base}/v1/videos?limit=10")).send().await?.json().await?;
    for video in library["data"].as_array().into_iter().flatten() {
        let id = video["id"].as_str().unwrap_or_default();
        reader.put(format!("{base}/api/v1/videos/{id}/like")).send().await?.error_for_status()?;
    }

    let rows = [
        hammer("GET /api/v1/health", format!("{base}/api/v1/health"), key.clone()).await,
        hammer("GET /v1/videos/{id} (status)", format!("{base}/v1/videos/{last_id}"), key.clone()).await,
        hammer("GET /v1/videos?limit=20 (library)", format!("{base}/v1/videos?limit=20"), key.clone()).await,
        hammer("GET /api/v1/feed?limit=20 (250 candidates)", format!("{base}/api/v1/feed?limit=20"), reader_key.clone()).await,
    ];
    println!("\nAPI on loopback, SQLite, {CONCURRENCY} concurrent clients, {} s each (bearer API key)\n", DURATION.as_secs());
    println!("| endpoint | requests/s | p50 ms | p99 ms | errors |");
    println!("|---|---:|---:|---:|---:|");
    for row in &rows {
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {} |",
            row.name,
            row.requests as f64 / row.seconds,
            row.percentile_ms(0.50),
            row.percentile_ms(0.99),
            row.errors
        );
    }
    Ok(())
}
