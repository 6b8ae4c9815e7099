//! Every SQL query, one module per group of tables.

pub mod waitlist;

/// Timestamps are stored as RFC 3339 text in UTC, which sorts as it reads.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
