//! The browser end-to-end tests: a real `kino serve` on a free loopback port with a fresh
//! database, and the Node test files in tests/e2e driving headless Chromium against it.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::project::{self, run_checked};
use crate::{studio, tools};

/// Installs and builds what the tests need, then runs them (only the `names` given, if any).
pub fn run(names: &[String]) -> anyhow::Result<()> {
    tools::install_all()?;
    let studio_dir = studio::build()?;
    run_tests(&studio_dir, names)
}

/// Runs every `*.test.mjs` in tests/e2e against a fresh server, or only `NAME.test.mjs` for
/// each of `names`.
pub fn run_tests(studio_dir: &Path, names: &[String]) -> anyhow::Result<()> {
    let dir = tools::e2e_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.strip_suffix(".test.mjs").is_some_and(|stem| names.is_empty() || names.iter().any(|n| n == stem))
        })
        .collect();
    files.sort();
    if files.len() < names.len().max(1) {
        bail!(
            "tests/e2e has {} of the {} test files asked for ({})",
            files.len(),
            names.len().max(1),
            if names.is_empty() { "*".to_owned() } else { names.join(", ") }
        );
    }
    let mut args: Vec<OsString> = vec!["--test".into(), "--test-concurrency=1".into()];
    args.extend(files.into_iter().map(OsString::from));
    with_server(studio_dir, &args)?;
    eprintln!("xtask: screenshots in {}", artifacts_dir().display());
    Ok(())
}

/// Where the tests' screenshots go.
fn artifacts_dir() -> std::path::PathBuf {
    project::target_dir().join("e2e")
}

/// Builds the server, starts it on fresh data and runs `node ARGS` in tests/e2e against it
/// (`KINO_URL`; `KINO_BIN` and `KINO_DATA` to act as its operator; `KINO_STUDIO`, the built
/// studio).
pub fn with_server(studio_dir: &Path, node_args: &[OsString]) -> anyhow::Result<()> {
    // The whole workspace's packages, as `cargo xtask test` asks for them, so mostly the same
    // features: after the Rust tests this rebuilds only c2pa's crypto chain (`--package
    // kino-server` alone resolved other features and rebuilt sqlx, reqwest and more).
    run_checked(project::cargo().args(["build", "--workspace", "--exclude", "kino-studio", "--bin", "kino"]))?;
    let scratch = project::scratch_dir("e2e")?;
    let data = scratch.join("data");
    let server = Server::start(&data, studio_dir)?;
    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts)?;
    let result = run_checked(
        Command::new("node")
            .args(node_args)
            .current_dir(tools::e2e_dir())
            .env("KINO_URL", &server.url)
            .env("KINO_E2E_ARTIFACTS", &artifacts)
            .env("KINO_CHROMIUM", tools::CHROMIUM)
            .env("KINO_STUDIO", studio_dir)
            // The tests act as an operator too (`kino admin` on the same data).
            .env("KINO_BIN", kino_binary())
            .env("KINO_DATA", &data),
    );
    drop(server);
    if result.is_ok() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    result
}

fn kino_binary() -> std::path::PathBuf {
    project::target_dir().join("debug").join("kino")
}

/// A `kino serve` child process, stopped with SIGTERM when dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(data: &Path, studio_dir: &Path) -> anyhow::Result<Self> {
        let binary = kino_binary();
        let mut child = Command::new(&binary)
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data)
            .arg("--studio")
            .arg(studio_dir)
            // The committed model weights and the fetched text encoder: the e2e flows generate.
            .arg("--models-dir")
            .arg(project::root().join("models"))
            // The webhooks test's receiver listens on this machine.
            .args(["--webhooks-to-private-addresses", "true"])
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout from kino serve")?;
        let (sender, receiver) = mpsc::channel();
        // Echo the server's output and hand over the URL from its "listening on" line.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("kino: listening on ") {
                    let _ = sender.send(url.trim_end_matches('/').to_owned());
                }
                eprintln!("[kino] {line}");
            }
        });
        match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => {
                eprintln!("xtask: kino serve is up at {url}");
                Ok(Self { child, url })
            }
            Err(_) => {
                let _ = child.kill();
                bail!("kino serve did not report its address within 60 s")
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let terminated = Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|s| s.success());
        if !terminated {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
