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

/// Types that travel as checked strings (a handle, an e-mail, a date) have the JSON Schema of
/// a string with the given format description.
macro_rules! string_schema {
    ($($name:ident => $description:literal),* $(,)?) => {$(
        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "description": $description })
            }
        }
    )*};
}

#[cfg(feature = "schema")]
use account::{Date, Handle, Password, Region};
string_schema! {
    Handle => "3 to 24 characters: lowercase letters, digits and underscores (a leading @ is dropped)",
    Password => "10 to 256 characters",
    Date => "a calendar date, YYYY-MM-DD",
    Region => "an ISO 3166-1 alpha-2 region code, e.g. DE",
    Email => "an e-mail address",
}

pub mod account;
pub mod api;
pub mod email;
pub mod media;
pub mod models;
pub mod prompt;
pub mod scene;
pub mod slots;

pub use email::Email;
pub use prompt::Prompt;
