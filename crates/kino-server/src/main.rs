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
    /// Run the HTTP API, the studio and the job workers in one process.
    Serve(Settings),
    /// Operator commands on the same data as `kino serve`.
    Admin {
        #[command(flatten)]
        data: DataSettings,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
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
    }
}
