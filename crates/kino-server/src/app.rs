//! `Application`: binds the listener, opens the database and serves the router until a
//! shutdown signal. Both `main` and the tests start the server through it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use kino_core::models::{self, ModelSpec};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::blobs::Blobs;
use crate::db::{self, Db};
use crate::domain::mail;
use crate::error::AppError;
use crate::generation::{GenerateHandler, Models};
use crate::jobs::{Registry, Worker, WorkerSettings};
use crate::routes;
use crate::settings::{AccountSettings, GenerationSettings, ModelAlias, Settings, WebhookSettings};
use crate::webhooks::DeliverHandler;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Wakes this process's job workers when a request enqueues work.
    pub wake: Arc<tokio::sync::Notify>,
    pub blobs: Blobs,
    /// The C2PA signing chain every export is signed with.
    pub signing: Arc<kino_media::SigningChain>,
    /// The generation models, loaded on first use.
    pub models: Models,
}

impl AppState {
    /// Creates the data folder, opens and migrates the database, and sets up media storage,
    /// the signing chain and the models: everything but the HTTP listener.
    pub async fn open(settings: Settings) -> anyhow::Result<AppState> {
        let data_dir = settings.data.data.clone();
        tokio::fs::create_dir_all(&data_dir).await.with_context(|| format!("creating data folder {}", data_dir.display()))?;
        let db = db::open(&settings.data.database_url()).await?;
        let models = settings.generation.offered_models().map_err(anyhow::Error::msg)?;
        let aliases = settings.generation.aliases(&models).map_err(anyhow::Error::msg)?;
        let models_dir = settings.generation.models_dir.clone();
        let blobs = settings.data.blobs().await?;
        tracing::info!(media = %blobs.location, "media storage");
        Ok(AppState {
            db,
            config: Arc::new(Config {
                accounts: settings.accounts,
                generation: settings.generation,
                models,
                aliases,
                secure_cookies: settings.secure_cookies,
                data_dir: settings.data.data,
                webhooks: settings.webhooks,
            }),
            wake: Arc::new(tokio::sync::Notify::new()),
            blobs,
            signing: Arc::new(kino_media::SigningChain::load_or_create(&kino_media::SigningChain::dir_in(&data_dir), "Kino")?),
            models: Models::new(&models_dir),
        })
    }

    /// The job workers of this process (`concurrency` loops), woken by this state's enqueues.
    pub fn worker(&self, concurrency: usize) -> Worker {
        let registry = Registry::default().with(GenerateHandler { state: self.clone() }).with(DeliverHandler { state: self.clone() });
        let mut worker = Worker::new(self.db.clone(), registry, WorkerSettings { concurrency, ..WorkerSettings::default() });
        worker.wake = self.wake.clone();
        worker
    }
}

/// The settings handlers need, fixed at start-up.
#[derive(Debug)]
pub struct Config {
    pub accounts: AccountSettings,
    pub generation: GenerationSettings,
    /// The models this server offers (see [`GenerationSettings::offered_models`]).
    pub models: Vec<&'static ModelSpec>,
    /// Other names requests may give them (see [`GenerationSettings::aliases`]).
    pub aliases: Vec<ModelAlias>,
    pub secure_cookies: bool,
    pub data_dir: PathBuf,
    pub webhooks: WebhookSettings,
}

impl Config {
    /// Whether this server offers `model`.
    pub fn runs(&self, model: &ModelSpec) -> bool {
        self.models.iter().any(|offered| offered.id == model.id)
    }

    /// The aliases of models this server offers.
    pub fn answered_aliases(&self) -> impl Iterator<Item = &ModelAlias> {
        self.aliases.iter().filter(|alias| self.runs(alias.model))
    }

    /// The registry's model called `name`, by its own name or an alias.
    pub fn model_called(&self, name: &str) -> Option<&'static ModelSpec> {
        let name = name.trim();
        models::find(name).or_else(|| self.aliases.iter().find(|alias| alias.name == name).map(|alias| alias.model))
    }

    /// The model a request names (or this server's default when it names none), if this
    /// server runs it.
    pub fn model_named(&self, name: Option<&str>) -> Result<&'static ModelSpec, AppError> {
        let model = match name {
            None => models::default_among(&self.models),
            Some(name) => self.model_called(name).ok_or_else(|| {
                let offered: Vec<_> = self.models.iter().map(|m| m.id).collect();
                let aliases: Vec<_> = self.answered_aliases().map(|a| format!("{} for {}", a.name, a.model.id)).collect();
                let message = format!("there is no model `{name}`; this server runs {} (and answers {})", offered.join(", "), aliases.join(", "));
                AppError::invalid("unknown_model", message, Some("model"))
            })?,
        };
        if !self.runs(model) {
            return Err(AppError::Unavailable {
                code: "model_unavailable",
                message: format!("this server does not run {} right now (its weights are not installed)", model.id),
            });
        }
        Ok(model)
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
    state: AppState,
}

impl Application {
    /// Creates the data folder, opens and migrates the database, and binds the address.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        if !settings.studio.join("index.html").is_file() {
            tracing::warn!(
                studio = %settings.studio.display(),
                "no built studio there: the API works, the web app does not (run `cargo xtask run`)"
            );
        }
        let studio = settings.studio.clone();
        let addr = settings.addr;
        let state = AppState::open(settings).await?;
        let router = router(state.clone(), studio);
        let listener = TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
        let addr = listener.local_addr()?;
        Ok(Self { listener, router, addr, state })
    }

    /// The bound address (the real port when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(addr = %self.addr, backend = self.state.db.backend.name(), "serving");
        let server = axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown_signal());
        let workers = self.state.config.generation.workers;
        let jobs = async {
            if workers > 0 {
                self.state.worker(workers).run().await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            result = server => result.context("serving HTTP")?,
            () = background_work(self.state.clone()) => {},
            () = jobs => {},
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// The whole HTTP surface: the API under `/api/v1`, the studio's files everywhere else.
pub fn router(state: AppState, studio_dir: PathBuf) -> Router {
    let (studio_api, developer_api) = (routes::api(), routes::developer_api());
    let document = std::sync::Arc::new(crate::openapi::document(&[("/api/v1", &studio_api), ("/v1", &developer_api)]));
    Router::new()
        .route("/api/openapi.json", axum::routing::get(move || async move { axum::Json((*document).clone()) }))
        .nest("/api/v1", routes::finish(studio_api.router))
        .nest("/v1", routes::finish(developer_api.router))
        .fallback_service(routes::studio::files(studio_dir))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Periodic work beside the HTTP server: delivering mail, forgetting expired sessions.
async fn background_work(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        if let Err(error) = mail::deliver_pending(&state.db, &state.config.outbox_dir()).await {
            tracing::warn!(error = format!("{error:#}"), "delivering mail");
        }
        if let Ok(mut conn) = state.db.pool.acquire().await {
            let _ = crate::store::sessions::delete_expired(&mut conn, crate::ids::now_ms()).await;
        }
    }
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
