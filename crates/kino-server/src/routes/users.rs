//! `/api/v1/users/{handle}`: profiles, and following, blocking and muting people.

use axum::extract::{Path, State};
use kino_core::api::Profile;

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::social;
use crate::error::AppError;
use crate::extract::Json;
use crate::store::social::Relation;

pub async fn show(State(state): State<AppState>, viewer: Option<CurrentUser>, Path(handle): Path<String>) -> Result<Json<Profile>, AppError> {
    let viewer = viewer.map(|current| current.user);
    let mut conn = state.db.pool.acquire().await?;
    let user = social::visible_user(&mut conn, viewer.as_ref(), &handle).await?;
    Ok(Json(social::profile(&mut conn, viewer.as_ref(), &user).await?))
}

macro_rules! relation_handlers {
    ($($set:ident, $clear:ident => $relation:expr;)*) => {$(
        pub async fn $set(State(state): State<AppState>, current: CurrentUser, Path(handle): Path<String>) -> Result<Json<Profile>, AppError> {
            Ok(Json(social::set_relation(&state.db, &current.user, &handle, $relation, true).await?))
        }

        pub async fn $clear(State(state): State<AppState>, current: CurrentUser, Path(handle): Path<String>) -> Result<Json<Profile>, AppError> {
            Ok(Json(social::set_relation(&state.db, &current.user, &handle, $relation, false).await?))
        }
    )*};
}

relation_handlers! {
    follow, unfollow => Relation::Follow;
    block, unblock => Relation::Block;
    mute, unmute => Relation::Mute;
}
