//! The `follows`, `blocks` and `mutes` tables.

use super::Conn;

/// One of the three relations, named by its table and its two columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Follow,
    Block,
    Mute,
}

impl Relation {
    fn table(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Follow => ("follows", "follower_id", "followee_id"),
            Self::Block => ("blocks", "blocker_id", "blocked_id"),
            Self::Mute => ("mutes", "muter_id", "muted_id"),
        }
    }
}

/// Adds `from -> to`; adding it again changes nothing.
pub async fn add(conn: &mut Conn, relation: Relation, from: &str, to: &str, now: i64) -> Result<(), sqlx::Error> {
    let (table, a, b) = relation.table();
    sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {table} ({a}, {b}, created_at) VALUES ($1, $2, $3) ON CONFLICT ({a}, {b}) DO NOTHING")))
        .bind(from)
        .bind(to)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn remove(conn: &mut Conn, relation: Relation, from: &str, to: &str) -> Result<(), sqlx::Error> {
    let (table, a, b) = relation.table();
    sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE {a} = $1 AND {b} = $2"))).bind(from).bind(to).execute(conn).await?;
    Ok(())
}

pub async fn exists(conn: &mut Conn, relation: Relation, from: &str, to: &str) -> Result<bool, sqlx::Error> {
    let (table, a, b) = relation.table();
    let (count,): (i64,) =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table} WHERE {a} = $1 AND {b} = $2"))).bind(from).bind(to).fetch_one(conn).await?;
    Ok(count > 0)
}

/// Either has blocked the other.
pub async fn blocked_either_way(conn: &mut Conn, x: &str, y: &str) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)")
        .bind(x)
        .bind(y)
        .fetch_one(conn)
        .await?;
    Ok(count > 0)
}

/// (followers, following) of a user.
pub async fn follow_counts(conn: &mut Conn, user_id: &str) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT (SELECT COUNT(*) FROM follows WHERE followee_id = $1), (SELECT COUNT(*) FROM follows WHERE follower_id = $1)")
        .bind(user_id)
        .fetch_one(conn)
        .await
}
