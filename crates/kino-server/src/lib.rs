//! Kino's server: settings, the application (router + database), and its parts.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod admin;
pub mod app;
pub mod auth;
pub mod blobs;
pub mod db;
pub mod domain;
pub mod error;
pub mod extract;
pub mod generation;
pub mod ids;
pub mod jobs;
pub mod openapi;
pub mod routes;
pub mod settings;
pub mod store;
pub mod webhooks;

pub use app::{AppState, Application};
pub use settings::Settings;
