//! Invite codes: people give them to friends; operators send them to the waitlist.

use kino_core::api::{Invite, InviteList};

use crate::db::Db;
use crate::error::AppError;
use crate::store::users::UserRow;
use crate::{ids, store};

/// A code is short enough to read aloud and long enough not to be guessed (72 random bits).
pub fn new_code() -> String {
    ids::random_token(9)
}

/// Makes one invite from the user's allowance (admins have no limit).
pub async fn create(db: &Db, user: &UserRow) -> Result<Invite, AppError> {
    let mut tx = db.pool.begin().await?;
    if !user.is_admin() && !store::users::take_invite(&mut tx, &user.id).await? {
        return Err(AppError::forbidden("no_invites_left", "you have given all your invites"));
    }
    let code = new_code();
    let now = ids::now_ms();
    store::invites::insert(&mut tx, &code, Some(&user.id), None, now).await?;
    tx.commit().await?;
    Ok(Invite { code, created_at: now / 1000, used_at: None })
}

pub async fn list(db: &Db, user_id: &str) -> Result<InviteList, AppError> {
    let mut conn = db.pool.acquire().await?;
    let user = store::users::find_by_id(&mut conn, user_id).await?.ok_or_else(|| anyhow::anyhow!("user {user_id} vanished"))?;
    let invites = store::invites::list_by_creator(&mut conn, user_id).await?.iter().map(|row| row.to_invite()).collect();
    Ok(InviteList { invites_left: u32::try_from(user.invites_left).unwrap_or(0), unlimited: user.is_admin(), invites })
}

/// An operator's invite, not drawn from anyone's allowance.
pub async fn create_by_operator(db: &Db) -> Result<String, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let code = new_code();
    store::invites::insert(&mut conn, &code, None, None, ids::now_ms()).await?;
    Ok(code)
}

/// Sends invites to the first `count` people on the waitlist: each gets a code bound to their
/// address and an e-mail with it. Returns the addresses invited.
pub async fn invite_waitlist(db: &Db, count: u32, sign_up_url: &str) -> Result<Vec<String>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let now = ids::now_ms();
    let emails = store::waitlist::first_waiting(&mut tx, i64::from(count)).await?;
    for email in &emails {
        let code = new_code();
        store::invites::insert(&mut tx, &code, None, Some(email), now).await?;
        store::waitlist::mark_invited(&mut tx, email, &code, now).await?;
        let body = format!(
            "Hello,\n\nyour place on the Kino waitlist has come up. Sign up with this e-mail address and the invite code\n\n    {code}\n\nat {sign_up_url}\n\nSee you there,\nKino\n"
        );
        store::outbox::queue(&mut tx, email, "Your Kino invite", &body, now).await?;
    }
    tx.commit().await?;
    Ok(emails)
}
