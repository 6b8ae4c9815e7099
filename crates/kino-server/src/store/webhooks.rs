//! The `webhook_endpoints` and `webhook_deliveries` tables.

use kino_core::api::{DeliveryState, WebhookDelivery, WebhookEndpoint};

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EndpointRow {
    pub id: String,
    pub user_id: String,
    pub url: String,
    pub secret: String,
    pub events: String,
    pub created_at: i64,
}

impl EndpointRow {
    pub fn events(&self) -> Vec<String> {
        self.events.split(',').filter(|e| !e.is_empty()).map(str::to_owned).collect()
    }

    pub fn wants(&self, event_type: &str) -> bool {
        self.events.split(',').any(|e| e == event_type)
    }

    pub fn endpoint(&self) -> WebhookEndpoint {
        WebhookEndpoint { id: self.id.clone(), url: self.url.clone(), events: self.events(), created_at: self.created_at / 1000 }
    }
}

const ENDPOINT_COLUMNS: &str = "id, user_id, url, secret, events, created_at";

pub async fn insert_endpoint(conn: &mut Conn, row: &EndpointRow) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO webhook_endpoints (id, user_id, url, secret, events, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&row.id)
        .bind(&row.user_id)
        .bind(&row.url)
        .bind(&row.secret)
        .bind(&row.events)
        .bind(row.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// A user's endpoints, oldest first.
pub async fn endpoints_of(conn: &mut Conn, user_id: &str) -> Result<Vec<EndpointRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE user_id = $1 ORDER BY created_at, id")))
        .bind(user_id)
        .fetch_all(conn)
        .await
}

pub async fn find_endpoint(conn: &mut Conn, id: &str) -> Result<Option<EndpointRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1"))).bind(id).fetch_optional(conn).await
}

/// Deletes an endpoint of this user (its delivery log goes with it, by the foreign key); false
/// when the user has no such one.
pub async fn delete_endpoint(conn: &mut Conn, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1 AND user_id = $2").bind(id).bind(user_id).execute(conn).await?.rows_affected();
    Ok(deleted == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_type: String,
    pub video_id: String,
    pub body: String,
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl DeliveryRow {
    pub fn delivery(&self) -> WebhookDelivery {
        WebhookDelivery {
            id: self.id.clone(),
            event_id: self.event_id.clone(),
            event_type: self.event_type.clone(),
            video_id: self.video_id.clone(),
            state: match self.state.as_str() {
                "delivered" => DeliveryState::Delivered,
                "failed" => DeliveryState::Failed,
                _ => DeliveryState::Pending,
            },
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            last_status: self.last_status.and_then(|s| u16::try_from(s).ok()),
            last_error: self.last_error.clone(),
            created_at: self.created_at / 1000,
            updated_at: self.updated_at / 1000,
        }
    }
}

const DELIVERY_COLUMNS: &str = "id, endpoint_id, event_id, event_type, video_id, body, state, attempts, last_status, last_error, created_at, updated_at";

pub async fn insert_delivery(conn: &mut Conn, row: &DeliveryRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, video_id, body, state, attempts, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)",
    )
    .bind(&row.id)
    .bind(&row.endpoint_id)
    .bind(&row.event_id)
    .bind(&row.event_type)
    .bind(&row.video_id)
    .bind(&row.body)
    .bind(row.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_delivery(conn: &mut Conn, id: &str) -> Result<Option<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1"))).bind(id).fetch_optional(conn).await
}

/// An endpoint's deliveries, newest first, at most `limit`.
pub async fn deliveries_to(conn: &mut Conn, endpoint_id: &str, limit: i64) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    )))
    .bind(endpoint_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Records one attempt: its HTTP status (if the endpoint answered), its error (if it failed)
/// and the delivery's state afterwards.
pub async fn record_attempt(conn: &mut Conn, id: &str, state: DeliveryState, status: Option<u16>, error: Option<&str>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3, updated_at = $4 WHERE id = $5")
        .bind(state_name(state))
        .bind(status.map(i64::from))
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a delivery failed for good (its job gave up), keeping its last attempt's record.
pub async fn give_up(conn: &mut Conn, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET state = 'failed', updated_at = $1 WHERE id = $2 AND state = 'pending'").bind(now).bind(id).execute(conn).await?;
    Ok(())
}

fn state_name(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Failed => "failed",
    }
}
