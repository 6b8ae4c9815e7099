//! Delivering queued mail. Kino has no SMTP client yet: each message is written as an `.eml`
//! file into `DATA/outbox/`, where an operator's relay (or a person) can pick it up.

use std::path::Path;

use anyhow::Context;

use crate::db::Db;
use crate::{ids, store};

/// Writes every pending message to `outbox_dir` and marks it sent. Returns how many.
pub async fn deliver_pending(db: &Db, outbox_dir: &Path) -> anyhow::Result<usize> {
    let mut conn = db.pool.acquire().await?;
    let pending = store::outbox::pending(&mut conn, 100).await?;
    if pending.is_empty() {
        return Ok(0);
    }
    tokio::fs::create_dir_all(outbox_dir).await.with_context(|| format!("creating {}", outbox_dir.display()))?;
    for mail in &pending {
        let date = time::OffsetDateTime::from_unix_timestamp(mail.created_at / 1000)
            .ok()
            .and_then(|t| t.format(&time::format_description::well_known::Rfc2822).ok())
            .unwrap_or_default();
        let message = format!(
            "From: Kino <no-reply@kino.local>\r\nTo: {}\r\nSubject: {}\r\nDate: {date}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
            mail.to_email,
            mail.subject,
            mail.body.replace('\n', "\r\n")
        );
        let path = outbox_dir.join(format!("{:08}.eml", mail.id));
        tokio::fs::write(&path, message).await.with_context(|| format!("writing {}", path.display()))?;
        store::outbox::mark_sent(&mut conn, mail.id, ids::now_ms()).await?;
    }
    Ok(pending.len())
}
