//! Kino's shared vocabulary: every type that the browser and the server must agree on.
//!
//! The server serialises these, the studio deserialises the same definitions, so an API
//! change is one edit here and the compiler finds every place it touches.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

/// The conversions every parsed string type shares: `as_str`, `TryFrom<String>` through its
/// `parse` (so serde parses too), back `into` a `String`, and `Display`.
macro_rules! parsed_string {
    ($name:ident, $error:ty) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use parsed_string;

pub mod account;
pub mod api;
pub mod email;
pub mod media;
pub mod models;
pub mod prompt;
pub mod scene;

pub use email::Email;
pub use prompt::Prompt;
