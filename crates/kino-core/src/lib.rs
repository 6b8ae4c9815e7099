//! Kino's shared vocabulary: every type that the browser and the server must agree on.
//!
//! The server serialises these, the studio deserialises the same definitions, so an API
//! change is one edit here and the compiler finds every place it touches.

pub mod account;
pub mod api;
pub mod email;
pub mod media;
pub mod scene;

pub use email::Email;
