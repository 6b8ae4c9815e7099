//! Every SQL query, one module per group of tables. Functions take a connection so callers
//! can compose them inside one transaction (`&mut *tx`) or run them alone.

pub mod api_keys;
pub mod credits;
pub mod invites;
pub mod jobs;
pub mod outbox;
pub mod reactions;
pub mod sessions;
pub mod social;
pub mod users;
pub mod videos;
pub mod waitlist;
pub mod webhooks;

/// What every store function gets: a pooled connection or an open transaction.
pub type Conn = sqlx::AnyConnection;

/// True when `error` is a unique-constraint violation (someone else took the name first).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
