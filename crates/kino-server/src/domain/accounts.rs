//! Signing up, changing a password, deleting an account.

use kino_core::account::{AgeBand, AgeError, Date};
use kino_core::api::{Role, SignUp};

use crate::blobs::Blobs;
use crate::error::AppError;
use crate::settings::AccountSettings;
use crate::store::users::{NewUser, UserRow};
use crate::store::{self, Conn};
use crate::{auth, db::Db, ids};

/// How a sign-up came in: through the public form, or from an operator at the command line
/// (who needs no invite).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpVia {
    Public,
    Operator,
}

/// Creates an account. The first account of an instance becomes its admin and needs no
/// invite; after that an invite-only instance needs an unused code. Checks and writes run in
/// one transaction, so a refused sign-up changes nothing.
pub async fn sign_up(db: &Db, settings: &AccountSettings, request: SignUp, via: SignUpVia, today: Date) -> Result<UserRow, AppError> {
    let age_band = AgeBand::of(request.birth_date, today).map_err(|error| match error {
        AgeError::TooYoung | AgeError::Future => AppError::invalid("age_not_allowed", error.to_string(), Some("birth_date")),
    })?;
    if !settings.allowed_regions.is_empty() && !settings.allowed_regions.contains(&request.region) {
        return Err(AppError::forbidden("region_not_allowed", format!("Kino is not open in region {} yet", request.region.as_str())));
    }
    // Hash before the transaction: it takes a while and needs no lock.
    let password_hash = auth::hash_password(request.password.expose().to_owned()).await?;
    let now = ids::now_ms();
    let id = ids::new_id("user");

    let mut tx = db.pool.begin().await?;
    let first_account = store::users::count(&mut tx).await? == 0;
    let invite = match (first_account, via, settings.invite_only, request.invite_code.as_deref()) {
        (true, _, _, _) | (_, SignUpVia::Operator, _, _) => None,
        (false, SignUpVia::Public, true, None) => {
            return Err(AppError::invalid("invite_required", "Kino is invite-only for now: enter your invite code, or join the waitlist", Some("invite_code")));
        }
        (false, SignUpVia::Public, _, Some(code)) => Some(usable_invite(&mut tx, code.trim(), &request).await?),
        (false, SignUpVia::Public, false, None) => None,
    };
    if store::users::find_by_email(&mut tx, &request.email).await?.is_some() {
        return Err(AppError::conflict("email_taken", "an account with this e-mail exists already; sign in instead", Some("email")));
    }
    if store::users::handle_taken(&mut tx, &request.handle).await? {
        return Err(AppError::conflict("handle_taken", format!("@{} is taken; pick another handle", request.handle), Some("handle")));
    }
    let new_user = NewUser {
        id: &id,
        email: &request.email,
        handle: &request.handle,
        password_hash: &password_hash,
        birth_date: request.birth_date,
        region: &request.region,
        role: if first_account { Role::Admin } else { Role::User },
        invites_left: settings.invites_per_user,
        invited_by: invite.as_ref().and_then(|row| row.created_by.as_deref()),
        created_at: now,
    };
    if let Err(error) = store::users::insert(&mut tx, &new_user).await {
        return Err(if store::is_unique_violation(&error) {
            AppError::conflict("account_taken", "this e-mail or handle was just taken; try another", None)
        } else {
            error.into()
        });
    }
    if let Some(invite) = &invite
        && !store::invites::mark_used(&mut tx, &invite.code, &id, now).await?
    {
        return Err(AppError::conflict("invite_used", "this invite code was just used by someone else", Some("invite_code")));
    }
    store::waitlist::remove(&mut tx, request.email.as_str()).await?;
    let user = store::users::find_by_id(&mut tx, &id).await?.ok_or_else(|| anyhow::anyhow!("new user {id} vanished"))?;
    tx.commit().await?;
    tracing::info!(user = %user.id, ?age_band, first_account, "account created");
    Ok(user)
}

async fn usable_invite(conn: &mut Conn, code: &str, request: &SignUp) -> Result<store::invites::InviteRow, AppError> {
    let unknown = || AppError::invalid("invite_invalid", "this invite code is not valid", Some("invite_code"));
    let invite = store::invites::find(conn, code).await?.ok_or_else(unknown)?;
    if invite.used_at.is_some() {
        return Err(AppError::invalid("invite_used", "this invite code has been used already", Some("invite_code")));
    }
    if invite.for_email.as_deref().is_some_and(|email| email != request.email.as_str()) {
        return Err(AppError::invalid(
            "invite_for_other_email",
            "this invite code was sent to another e-mail address; sign up with that address",
            Some("invite_code"),
        ));
    }
    Ok(invite)
}

/// Checks the current password, stores the new one and signs out every other session.
pub async fn change_password(db: &Db, user: &UserRow, current: &str, new: &str, keep_session: Option<&str>) -> Result<(), AppError> {
    if !auth::verify_password(current.to_owned(), user.password_hash.clone()).await? {
        return Err(AppError::invalid("wrong_password", "the current password is not right", Some("current_password")));
    }
    let hash = auth::hash_password(new.to_owned()).await?;
    let mut tx = db.pool.begin().await?;
    store::users::set_password_hash(&mut tx, &user.id, &hash).await?;
    store::sessions::delete_all_for_user(&mut tx, &user.id, keep_session).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the account after checking its password. Sessions, keys, credits, videos and
/// jobs go with it (ON DELETE CASCADE), then the videos' media files; the mail queued to it
/// and its waitlist entry are forgotten too.
pub async fn delete_account(db: &Db, blobs: &Blobs, user: &UserRow, password: &str) -> Result<(), AppError> {
    if !auth::verify_password(password.to_owned(), user.password_hash.clone()).await? {
        return Err(AppError::invalid("wrong_password", "the password is not right", Some("password")));
    }
    let mut tx = db.pool.begin().await?;
    let video_ids = store::videos::ids_by_owner(&mut tx, &user.id).await?;
    store::users::delete(&mut tx, &user.id).await?;
    store::outbox::delete_for(&mut tx, &user.email).await?;
    store::waitlist::remove(&mut tx, &user.email).await?;
    tx.commit().await?;
    for id in &video_ids {
        if let Err(error) = blobs.delete_video(id).await {
            tracing::warn!(%error, video = %id, "deleting media files of a deleted account");
        }
    }
    tracing::info!(user = %user.id, videos = video_ids.len(), "account deleted");
    Ok(())
}
