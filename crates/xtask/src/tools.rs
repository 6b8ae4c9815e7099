//! Installs what the tasks need when it is missing: the wasm32 target, wasm-bindgen-cli at the
//! exact version in Cargo.lock, the S3 server the API tests use, Chromium (Debian packages) and
//! the e2e tests' npm packages.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::project::{self, output_of, run_checked};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";

pub fn install_all() -> anyhow::Result<()> {
    wasm_target()?;
    wasm_bindgen()?;
    s3_server()?;
    chromium()?;
    ffmpeg()?;
    npm_packages()?;
    Ok(())
}

pub fn wasm_target() -> anyhow::Result<()> {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|line| line.trim() == WASM_TARGET) {
        run_checked(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    Ok(())
}

/// Returns the path of a `wasm-bindgen` whose version is the one Cargo.lock pins, installing
/// it with `cargo install` if there is none (the CLI and the library must match exactly).
pub fn wasm_bindgen() -> anyhow::Result<PathBuf> {
    let version = project::locked_version("wasm-bindgen")?;
    cargo_tool(&CargoTool { krate: "wasm-bindgen-cli", binary: "wasm-bindgen", version: &version, features: &[], debug: false })
}

/// The S3 server the API tests keep media in (`s3s-fs`: S3 over a folder).
pub const S3_SERVER_VERSION: &str = "0.14.1";

pub fn s3_server() -> anyhow::Result<PathBuf> {
    // A debug build: the tests move a few small files through it, and it compiles in about half
    // the time (measured: 51 s against 91 s).
    cargo_tool(&CargoTool { krate: "s3s-fs", binary: "s3s-fs", version: S3_SERVER_VERSION, features: &["binary"], debug: true })
}

/// A binary installed with `cargo install`, pinned to one version.
struct CargoTool<'a> {
    krate: &'a str,
    binary: &'a str,
    version: &'a str,
    features: &'a [&'a str],
    /// Install a debug build (quicker to compile; for tools whose speed does not matter).
    debug: bool,
}

/// The path of `tool.binary` at exactly `tool.version` (on the PATH or in cargo's bin folder),
/// installed with `cargo install` when neither has it.
fn cargo_tool(tool: &CargoTool) -> anyhow::Result<PathBuf> {
    let wanted = format!("{} {}", tool.binary, tool.version);
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .map(|home| home.join("bin").join(tool.binary));
    let candidates = [Some(PathBuf::from(tool.binary)), cargo_bin.clone()];
    for candidate in candidates.into_iter().flatten() {
        let found = output_of(Command::new(&candidate).arg("--version")).unwrap_or_default();
        if found.trim() == wanted {
            return Ok(candidate);
        }
    }
    eprintln!("xtask: installing {} {} (a few minutes, once)", tool.krate, tool.version);
    let exact = format!("={}", tool.version);
    let install = |locked: bool| {
        let mut command = project::cargo();
        command.args(["install", tool.krate, "--version", &exact]);
        if !tool.features.is_empty() {
            command.args(["--features", &tool.features.join(",")]);
        }
        if locked {
            command.arg("--locked");
        }
        if tool.debug {
            command.arg("--debug");
        }
        run_checked(&mut command)
    };
    // A tool's own lock file can name a dependency version that the registry no longer
    // serves (seen with webpki-roots); then resolve its dependencies afresh.
    if install(true).is_err() {
        eprintln!("xtask: the locked install failed; retrying with freshly resolved dependencies");
        install(false)?;
    }
    let installed = cargo_bin.context("cannot tell where cargo installs binaries: set CARGO_HOME")?;
    let found = output_of(Command::new(&installed).arg("--version")).unwrap_or_default();
    if found.trim() != wanted {
        bail!("installed {} reports `{}`, expected `{wanted}`", tool.binary, found.trim());
    }
    Ok(installed)
}

/// Debian's Chromium and its driver; installed with apt-get when missing.
pub fn chromium() -> anyhow::Result<()> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"], "Chromium for the browser tests")
}

/// Installs Debian packages, as root or through password-less sudo.
fn apt_install(packages: &[&str], why: &str) -> anyhow::Result<()> {
    let is_root = output_of(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut command = if is_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    eprintln!("xtask: installing {why} (apt-get install {})", packages.join(" "));
    run_checked(&mut apt(&["update", "-qq"]))?;
    let mut install = vec!["install", "-y", "-qq"];
    install.extend_from_slice(packages);
    run_checked(&mut apt(&install)).with_context(|| format!("installing {} needs root or password-less sudo", packages.join(" ")))?;
    Ok(())
}

pub const FFPROBE: &str = "/usr/bin/ffprobe";

/// Debian's ffmpeg (ffprobe reads the MP4s that kino-media writes in its tests; ffmpeg
/// re-encodes them); installed with apt-get when missing.
pub fn ffmpeg() -> anyhow::Result<()> {
    if Path::new(FFPROBE).exists() {
        return Ok(());
    }
    apt_install(&["ffmpeg"], "ffmpeg for the media tests")
}

pub fn e2e_dir() -> PathBuf {
    project::root().join("tests").join("e2e")
}

/// `npm ci` in tests/e2e when its packages (playwright-core) are not installed yet.
pub fn npm_packages() -> anyhow::Result<()> {
    let dir = e2e_dir();
    if dir.join("node_modules").join("playwright-core").join("package.json").exists() {
        return Ok(());
    }
    if output_of(Command::new("node").arg("--version")).is_none() {
        bail!("Node.js is needed for the browser tests: install `nodejs` and `npm`");
    }
    run_checked(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir))
}
