//! Following, blocking and muting, and how a profile looks to whoever asks.

use kino_core::account::Handle;
use kino_core::api::{Profile, ViewerRelation};

use crate::db::Db;
use crate::error::AppError;
use crate::ids;
use crate::store::social::{self, Relation};
use crate::store::users::UserRow;
use crate::store::{self, Conn};

/// The user behind a handle as `viewer` may see them: unknown handles and people who block
/// the viewer are both "not found", so a block does not announce itself.
pub async fn visible_user(conn: &mut Conn, viewer: Option<&UserRow>, raw_handle: &str) -> Result<UserRow, AppError> {
    let not_found = || AppError::not_found("user_not_found", format!("there is no one called @{raw_handle}"));
    let handle = Handle::parse(raw_handle).map_err(|_| not_found())?;
    let user = store::users::find_by_handle(conn, &handle).await?.ok_or_else(not_found)?;
    if let Some(viewer) = viewer
        && social::exists(conn, Relation::Block, &user.id, &viewer.id).await?
    {
        return Err(not_found());
    }
    Ok(user)
}

pub async fn profile(conn: &mut Conn, viewer: Option<&UserRow>, user: &UserRow) -> Result<Profile, AppError> {
    let (followers, following) = social::follow_counts(conn, &user.id).await?;
    let relation = match viewer {
        Some(viewer) if viewer.id == user.id => ViewerRelation { is_self: true, ..ViewerRelation::default() },
        Some(viewer) => ViewerRelation {
            is_self: false,
            following: social::exists(conn, Relation::Follow, &viewer.id, &user.id).await?,
            followed_by: social::exists(conn, Relation::Follow, &user.id, &viewer.id).await?,
            blocking: social::exists(conn, Relation::Block, &viewer.id, &user.id).await?,
            muting: social::exists(conn, Relation::Mute, &viewer.id, &user.id).await?,
        },
        None => ViewerRelation::default(),
    };
    Ok(Profile {
        handle: Handle::parse(&user.handle).map_err(|e| AppError::Internal(e.into()))?,
        joined_at: user.created_at / 1000,
        followers: followers.max(0) as u64,
        following: following.max(0) as u64,
        viewer: relation,
    })
}

/// Sets or clears one relation from `me` to the person behind `handle`, then returns how
/// their profile looks to me.
pub async fn set_relation(db: &Db, me: &UserRow, handle: &str, relation: Relation, on: bool) -> Result<Profile, AppError> {
    let mut tx = db.pool.begin().await?;
    let them = visible_user(&mut tx, Some(me), handle).await?;
    if them.id == me.id {
        let verb = match relation {
            Relation::Follow => "follow",
            Relation::Block => "block",
            Relation::Mute => "mute",
        };
        return Err(AppError::invalid("not_yourself", format!("you cannot {verb} yourself"), Some("handle")));
    }
    if on {
        if relation == Relation::Follow && social::exists(&mut tx, Relation::Block, &me.id, &them.id).await? {
            return Err(AppError::forbidden("blocked", format!("you block @{}; unblock them first", them.handle)));
        }
        social::add(&mut tx, relation, &me.id, &them.id, ids::now_ms()).await?;
        if relation == Relation::Block {
            social::remove(&mut tx, Relation::Follow, &me.id, &them.id).await?;
            social::remove(&mut tx, Relation::Follow, &them.id, &me.id).await?;
        }
    } else {
        social::remove(&mut tx, relation, &me.id, &them.id).await?;
    }
    let profile = profile(&mut tx, Some(me), &them).await?;
    tx.commit().await?;
    Ok(profile)
}
