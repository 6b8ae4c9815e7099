//! `cargo xtask test`: every Rust test of the workspace (media on a real S3 server included),
//! the API suite again on Postgres, then the browser end-to-end tests.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::bail;

use crate::project::{self, run_checked};
use crate::{e2e, studio, tools};

/// The Postgres that CI machines run (trust auth); override with `KINO_TEST_DATABASE_URL`.
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn run() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    tools::install_all()?;
    crate::models::fetch_all()?;
    // The studio is wasm-only; its tests run in the browser through the e2e suite.
    let s3_server = tools::s3_server()?;
    run_checked(
        project::cargo().args(["test", "--workspace", "--exclude", "kino-studio"]).env_remove("KINO_TEST_DATABASE_URL").env("KINO_TEST_S3_SERVER", &s3_server),
    )?;
    postgres_suite(&s3_server)?;
    let studio_dir = studio::build()?;
    e2e::run_tests(&studio_dir, &[])?;
    eprintln!("xtask: all tests passed in {:.1} min", started.elapsed().as_secs_f64() / 60.0);
    Ok(())
}

/// The API tests once more against a real Postgres server. Skipped (loudly) only outside CI
/// when no server listens; in CI a missing Postgres is a failure.
fn postgres_suite(s3_server: &std::path::Path) -> anyhow::Result<()> {
    let url = std::env::var("KINO_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned());
    let listening = postgres_address(&url).is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok());
    if !listening {
        if std::env::var_os("CI").is_some() {
            bail!("no Postgres answers at {url}; CI needs one (set KINO_TEST_DATABASE_URL)");
        }
        eprintln!("xtask: SKIPPING the Postgres run of the API tests: nothing listens at {url}");
        return Ok(());
    }
    run_checked(
        // The same packages as the first run, so the same features: nothing is built again.
        project::cargo()
            .args(["test", "--workspace", "--exclude", "kino-studio", "--test", "api"])
            .env("KINO_TEST_DATABASE_URL", &url)
            .env("KINO_TEST_S3_SERVER", s3_server),
    )
}

/// host:port of a `postgres://user@host:port/db` URL.
fn postgres_address(url: &str) -> Option<SocketAddr> {
    let after_scheme = url.split_once("://")?.1;
    let host_port = after_scheme.rsplit_once('@').map_or(after_scheme, |(_, rest)| rest).split(['/', '?']).next()?;
    let host_port = if host_port.contains(':') { host_port.to_owned() } else { format!("{host_port}:5432") };
    std::net::ToSocketAddrs::to_socket_addrs(&host_port).ok()?.next()
}
