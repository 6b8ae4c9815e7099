//! `Application`: binds the listener, opens the database and serves the router until a
//! shutdown signal. Both `main` and the tests start the server through it.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::db::{self, Db};
use crate::routes;
use crate::settings::Settings;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
}

impl Application {
    /// Creates the data folder, opens and migrates the database, and binds the address.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        tokio::fs::create_dir_all(&settings.data)
            .await
            .with_context(|| format!("creating data folder {}", settings.data.display()))?;
        let db = db::open_sqlite(&settings.data).await?;
        if !settings.studio.join("index.html").is_file() {
            tracing::warn!(
                studio = %settings.studio.display(),
                "no built studio there: the API works, the web app does not (run `cargo xtask run`)"
            );
        }
        let router = router(AppState { db }, settings.studio);
        let listener = TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("binding {}", settings.addr))?;
        let addr = listener.local_addr()?;
        Ok(Self { listener, router, addr })
    }

    /// The bound address (the real port when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(addr = %self.addr, "serving");
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving HTTP")?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The whole HTTP surface: the API under `/api/v1`, the studio's files everywhere else.
pub fn router(state: AppState, studio_dir: PathBuf) -> Router {
    Router::new()
        .nest("/api/v1", routes::api())
        .fallback_service(routes::studio::files(studio_dir))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests finish first.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
