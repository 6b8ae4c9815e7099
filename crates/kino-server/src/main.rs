//! `kino`: the one binary that runs a Kino instance.

use anyhow::Context;
use clap::{Parser, Subcommand};
use kino_server::admin::{self, AdminCommand};
use kino_server::settings::DataSettings;
use kino_server::{Application, Settings};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "kino", version, about = "Kino: an open AI video studio and social platform")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API and the studio.
    Serve(Settings),
    /// Operator commands on the same data as `kino serve`.
    Admin {
        #[command(flatten)]
        data: DataSettings,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Check a video file's C2PA manifest, invisible watermark and visible mark.
    Verify {
        /// The video file (MP4).
        file: std::path::PathBuf,
        /// Print one JSON object instead of a summary.
        #[arg(long)]
        json: bool,
        /// More trusted root certificates (PEM); this instance's own root is always trusted.
        #[arg(long, env = "KINO_TRUST_ROOTS")]
        trust: Option<std::path::PathBuf>,
        #[command(flatten)]
        data: DataSettings,
    },
    /// Run generation jobs from the same database as `kino serve` (to scale out).
    Worker {
        #[command(flatten)]
        settings: Settings,
        /// Jobs at once.
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
    },
    /// Generate one clip from a prompt into a folder: frames, sound, and a signed, watermarked MP4.
    Generate(generate::GenerateArgs),
}

mod generate;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .with_writer(std::io::stderr)
        .init();

    match Cli::parse().command {
        Command::Serve(settings) => {
            let app = Application::build(settings).await.context("starting kino serve")?;
            // xtask and people both read this line to find the server.
            println!("kino: listening on http://{}/", app.addr());
            app.run_until_stopped().await
        }
        Command::Admin { data, command } => {
            println!("{}", admin::run(&data, command).await?);
            Ok(())
        }
        Command::Verify { file, json, trust, data } => verify(&file, json, trust.as_deref(), &data),
        Command::Worker { settings, concurrency } => {
            let state = kino_server::AppState::open(settings).await?;
            eprintln!("kino worker: running generation jobs ({concurrency} at once)");
            tokio::select! {
                () = state.worker(concurrency.max(1)).run() => {},
                _ = tokio::signal::ctrl_c() => eprintln!("kino worker: stopping"),
            }
            Ok(())
        }
        Command::Generate(args) => tokio::task::spawn_blocking(move || generate::run(&args)).await?,
    }
}

/// `kino verify`: trusts this instance's root (if it has made one) and any `--trust` roots.
fn verify(file: &std::path::Path, json: bool, trust: Option<&std::path::Path>, data: &DataSettings) -> anyhow::Result<()> {
    let mut roots = String::new();
    let own = kino_media::SigningChain::dir_in(&data.data).join(kino_media::provenance::certs::ROOT_CERT);
    if own.exists() {
        roots.push_str(&std::fs::read_to_string(&own).with_context(|| format!("reading {}", own.display()))?);
    }
    if let Some(path) = trust {
        roots.push_str(&std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?);
    }
    let report = kino_media::verify_file_with(file, &kino_media::Verifier::trusting(&roots))?;
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", kino_media::summary(&report));
    }
    Ok(())
}
