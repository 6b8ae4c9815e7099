//! Developer API keys: `kino_sk_` and 256 random bits, shown once, stored as a hash.

use kino_core::api::ApiKeyCreated;

use crate::auth::API_KEY_PREFIX;
use crate::error::AppError;
use crate::ids;
use crate::store::api_keys::ApiKeyRow;
use crate::store::{self, Conn};

/// How many characters of a key its listing shows.
const SHOWN_PREFIX_LEN: usize = API_KEY_PREFIX.len() + 6;

pub fn parse_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AppError::invalid("invalid_name", "name the key in 1 to 64 characters", Some("name")));
    }
    Ok(name.to_owned())
}

pub async fn create(conn: &mut Conn, user_id: &str, name: &str) -> Result<ApiKeyCreated, sqlx::Error> {
    let key = format!("{API_KEY_PREFIX}{}", ids::random_token(32));
    let row = ApiKeyRow {
        id: ids::new_id("key"),
        user_id: user_id.to_owned(),
        name: name.to_owned(),
        prefix: key[..SHOWN_PREFIX_LEN].to_owned(),
        created_at: ids::now_ms(),
        last_used_at: None,
    };
    store::api_keys::insert(conn, &row, &ids::hash_secret(&key)).await?;
    Ok(ApiKeyCreated { key, summary: row.summary() })
}
