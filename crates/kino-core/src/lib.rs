//! Kino's shared vocabulary: every type that the browser and the server must agree on.
//!
//! The server serialises these, the studio deserialises the same definitions, so an API
//! change is one edit here and the compiler finds every place it touches.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod account;
pub mod api;
pub mod email;
pub mod models;
pub mod prompt;
pub mod media;
pub mod scene;

pub use email::Email;
pub use prompt::Prompt;
