//! The `waitlist` table.

use kino_core::Email;
use kino_core::api::WaitlistPlace;

use crate::db::Db;

/// Puts `email` on the waitlist unless it is there already, and returns its place among the
/// people still waiting. Joining twice keeps the first place.
pub async fn join(db: &Db, email: &Email) -> Result<WaitlistPlace, sqlx::Error> {
    let mut tx = db.begin().await?;
    let inserted = sqlx::query("INSERT INTO waitlist (email, created_at) VALUES (?, ?) ON CONFLICT (email) DO NOTHING")
        .bind(email.as_str())
        .bind(super::now_rfc3339())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let (position,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM waitlist
         WHERE invited_at IS NULL AND id <= (SELECT id FROM waitlist WHERE email = ?)",
    )
    .bind(email.as_str())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(WaitlistPlace { email: email.clone(), position: position.max(0) as u64, newly_added: inserted == 1 })
}

/// How many people are waiting for an invite.
pub async fn waiting(db: &Db) -> Result<u64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM waitlist WHERE invited_at IS NULL").fetch_one(db).await?;
    Ok(count.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_sqlite;

    #[tokio::test]
    async fn places_are_kept_in_order_and_joining_twice_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = open_sqlite(dir.path()).await.unwrap();
        let ada = Email::parse("ada@example.org").unwrap();
        let bo = Email::parse("bo@example.org").unwrap();

        let first = join(&db, &ada).await.unwrap();
        assert_eq!((first.position, first.newly_added), (1, true));
        let second = join(&db, &bo).await.unwrap();
        assert_eq!((second.position, second.newly_added), (2, true));
        let again = join(&db, &ada).await.unwrap();
        assert_eq!((again.position, again.newly_added), (1, false));
        assert_eq!(waiting(&db).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn the_list_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let ada = Email::parse("ada@example.org").unwrap();
        {
            let db = open_sqlite(dir.path()).await.unwrap();
            join(&db, &ada).await.unwrap();
            db.close().await;
        }
        let db = open_sqlite(dir.path()).await.unwrap();
        assert_eq!(waiting(&db).await.unwrap(), 1);
    }
}
