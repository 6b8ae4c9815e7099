//! The `users` table.

use kino_core::Email;
use kino_core::account::{AgeBand, Date, Handle, Region};
use kino_core::api::{Account, Plan, Role};

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub handle: String,
    pub password_hash: String,
    pub birth_date: String,
    pub region: String,
    pub role: String,
    pub plan: String,
    pub invites_left: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "id, email, handle, password_hash, birth_date, region, role, plan, invites_left, created_at";

impl UserRow {
    pub fn role(&self) -> Role {
        if self.role == "admin" { Role::Admin } else { Role::User }
    }

    pub fn plan(&self) -> Plan {
        if self.plan == "pro" { Plan::Pro } else { Plan::Free }
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Role::Admin
    }

    /// The age band today; rows were checked at sign-up, so a failure means a corrupt row.
    pub fn age_band(&self, today: Date) -> anyhow::Result<AgeBand> {
        let birth = Date::parse(&self.birth_date)?;
        Ok(AgeBand::of(birth, today)?)
    }

    pub fn to_account(&self, today: Date) -> anyhow::Result<Account> {
        Ok(Account {
            id: self.id.clone(),
            email: Email::parse(&self.email)?,
            handle: Handle::parse(&self.handle)?,
            age_band: self.age_band(today)?,
            region: Region::parse(&self.region)?,
            role: self.role(),
            plan: self.plan(),
            invites_left: u32::try_from(self.invites_left).unwrap_or(0),
            created_at: self.created_at / 1000,
        })
    }
}

pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: &'a Email,
    pub handle: &'a Handle,
    pub password_hash: &'a str,
    pub birth_date: Date,
    pub region: &'a Region,
    pub role: Role,
    pub invites_left: u32,
    pub invited_by: Option<&'a str>,
    pub created_at: i64,
}

pub async fn insert(conn: &mut Conn, user: &NewUser<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, email, handle, password_hash, birth_date, region, role, plan, invites_left, invited_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'free', $8, $9, $10)",
    )
    .bind(user.id)
    .bind(user.email.as_str())
    .bind(user.handle.as_str())
    .bind(user.password_hash)
    .bind(user.birth_date.to_string())
    .bind(user.region.as_str())
    .bind(if user.role == Role::Admin { "admin" } else { "user" })
    .bind(i64::from(user.invites_left))
    .bind(user.invited_by)
    .bind(user.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_by_id(conn: &mut Conn, id: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id = $1"))).bind(id).fetch_optional(conn).await
}

pub async fn find_by_email(conn: &mut Conn, email: &Email) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE email = $1"))).bind(email.as_str()).fetch_optional(conn).await
}

pub async fn find_by_handle(conn: &mut Conn, handle: &Handle) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE handle = $1"))).bind(handle.as_str()).fetch_optional(conn).await
}

pub async fn handle_taken(conn: &mut Conn, handle: &Handle) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE handle = $1").bind(handle.as_str()).fetch_one(conn).await?;
    Ok(count > 0)
}

pub async fn count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(conn).await?;
    Ok(count)
}

pub async fn set_password_hash(conn: &mut Conn, id: &str, password_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(password_hash).bind(id).execute(conn).await?;
    Ok(())
}

/// Takes one invite from the account's allowance; false when none is left.
pub async fn take_invite(conn: &mut Conn, id: &str) -> Result<bool, sqlx::Error> {
    let taken =
        sqlx::query("UPDATE users SET invites_left = invites_left - 1 WHERE id = $1 AND invites_left > 0").bind(id).execute(conn).await?.rows_affected();
    Ok(taken == 1)
}

pub async fn set_plan(conn: &mut Conn, id: &str, plan: Plan) -> Result<(), sqlx::Error> {
    let plan = if plan == Plan::Pro { "pro" } else { "free" };
    sqlx::query("UPDATE users SET plan = $1 WHERE id = $2").bind(plan).bind(id).execute(conn).await?;
    Ok(())
}

/// Deletes the account; sessions, keys and credits go with it (ON DELETE CASCADE).
pub async fn delete(conn: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}
