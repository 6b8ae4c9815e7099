//! Webhooks: the endpoints an account registers, the events a finished video sends them, and
//! their signatures, the Standard Webhooks way OpenAI signed its events: `webhook-signature:
//! v1,<base64 of HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`, where the key is
//! the base64 after the secret's `whsec_`.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use kino_core::api::{VideoStatus, WEBHOOK_EVENTS, WebhookEndpointCreated, WebhookEvent, WebhookEventData};
use sha2::Sha256;
use url::Host;

use crate::error::AppError;
use crate::ids;
use crate::jobs;
use crate::store::videos::VideoRow;
use crate::store::webhooks::{DeliveryRow, EndpointRow};
use crate::store::{self, Conn};

/// Endpoints one account may register.
pub const MAX_ENDPOINTS: usize = 10;
/// The longest URL an endpoint may have.
pub const MAX_URL_LEN: usize = 2048;
/// Attempts per delivery: with the queue's doubling backoff (2 s, 4 s, ... 256 s) the last is
/// about eight and a half minutes after the first.
pub const DELIVERY_ATTEMPTS: i64 = 9;
/// The job kind that delivers one event to one endpoint.
pub const DELIVER: &str = "webhook";
/// What a secret starts with (as OpenAI's and Standard Webhooks').
pub const SECRET_PREFIX: &str = "whsec_";

/// The payload of a [`DELIVER`] job.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DeliveryPayload {
    pub delivery_id: String,
}

/// An endpoint's URL: `http` or `https`, a host, no user name or password. Unless the operator
/// allows it (`--webhooks-to-private-addresses`), a host that is a loopback, private or
/// link-local address (or `localhost`) is refused: a webhook must not reach into the server's
/// own network.
pub fn parse_url(raw: &str, private_allowed: bool) -> Result<String, AppError> {
    let invalid = |message: String| AppError::invalid("invalid_url", message, Some("url"));
    let url = raw.trim();
    if url.len() > MAX_URL_LEN {
        return Err(invalid(format!("the URL is {} characters; at most {MAX_URL_LEN}", url.len())));
    }
    // The parser reqwest sends with (its Url is this one), so what is accepted here is what
    // the delivery can send.
    let parsed = url::Url::parse(url).map_err(|e| invalid(format!("`{url}` is not a URL ({e}); give one such as https://example.com/kino-events")))?;
    let scheme = parsed.scheme();
    if scheme != "https" && scheme != "http" {
        return Err(invalid(format!("webhooks are sent over https or http, not {scheme}")));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("the URL may not hold a user name or password".to_owned()));
    }
    let private = match parsed.host() {
        None => return Err(invalid(format!("`{url}` has no host"))),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
    };
    if private && !private_allowed {
        return Err(invalid(format!("{} is a private address; webhooks go to public hosts", parsed.host_str().unwrap_or_default())));
    }
    Ok(url.to_owned())
}

/// Whether `ip` is an address on the public internet (not loopback, private, link-local,
/// shared, unspecified or multicast).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback() || v6.is_unspecified() || v6.is_multicast() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80)
            }
        },
    }
}

/// The events an endpoint asks for: some of [`WEBHOOK_EVENTS`], all when it names none.
pub fn parse_events(asked: Option<&[String]>) -> Result<Vec<String>, AppError> {
    let Some(asked) = asked else {
        return Ok(WEBHOOK_EVENTS.iter().map(|e| (*e).to_owned()).collect());
    };
    if asked.is_empty() {
        return Err(AppError::invalid("invalid_events", "name at least one event, or leave `events` out for all", Some("events")));
    }
    let mut events = Vec::new();
    for event in asked {
        let event = event.trim();
        if !WEBHOOK_EVENTS.contains(&event) {
            let message = format!("there is no event `{event}`; there are {}", WEBHOOK_EVENTS.join(" and "));
            return Err(AppError::invalid("invalid_events", message, Some("events")));
        }
        if !events.iter().any(|e| e == event) {
            events.push(event.to_owned());
        }
    }
    Ok(events)
}

/// A new signing secret: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(ids::random_bytes(32)))
}

/// Registers an endpoint for `user_id`; refused past [`MAX_ENDPOINTS`].
pub async fn create(conn: &mut Conn, user_id: &str, url: String, events: Vec<String>) -> Result<WebhookEndpointCreated, AppError> {
    if store::webhooks::endpoints_of(conn, user_id).await?.len() >= MAX_ENDPOINTS {
        return Err(AppError::conflict("too_many_endpoints", format!("an account has at most {MAX_ENDPOINTS} webhook endpoints; delete one first"), None));
    }
    let row =
        EndpointRow { id: ids::new_id("we"), user_id: user_id.to_owned(), url, secret: new_secret(), events: events.join(","), created_at: ids::now_ms() };
    store::webhooks::insert_endpoint(conn, &row).await?;
    Ok(WebhookEndpointCreated { secret: row.secret.clone(), endpoint: row.endpoint() })
}

/// The `webhook-signature` header for one attempt: `v1,` and the base64 HMAC-SHA256.
pub fn signature(secret: &str, webhook_id: &str, timestamp: i64, body: &str) -> Result<String, String> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    let key = STANDARD.decode(encoded).map_err(|e| format!("the endpoint's secret is not base64: {e}"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(format!("{webhook_id}.{timestamp}.{body}").as_bytes());
    Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The event a video that has ended sends: `video.completed` or `video.failed` (a cancelled
/// video is a failed one, as its status says); none while it is still queued or running.
pub fn event_type(video: &VideoRow) -> Option<&'static str> {
    match video.status() {
        VideoStatus::Completed => Some("video.completed"),
        VideoStatus::Failed => Some("video.failed"),
        VideoStatus::Queued | VideoStatus::InProgress => None,
    }
}

/// Queues the event for `video`'s end to every endpoint of its owner that asked for it: one
/// delivery (and one job) per endpoint. Returns how many were queued.
pub async fn announce(conn: &mut Conn, video: &VideoRow) -> Result<usize, AppError> {
    let Some(event_type) = event_type(video) else {
        return Ok(0);
    };
    let endpoints: Vec<EndpointRow> = store::webhooks::endpoints_of(conn, &video.owner_id).await?.into_iter().filter(|e| e.wants(event_type)).collect();
    if endpoints.is_empty() {
        return Ok(0);
    }
    let now = ids::now_ms();
    let event = WebhookEvent {
        id: ids::new_id("evt"),
        object: "event".to_owned(),
        created_at: now / 1000,
        event_type: event_type.to_owned(),
        data: WebhookEventData { id: video.id.clone() },
    };
    let body = serde_json::to_string(&event).map_err(|e| AppError::Internal(e.into()))?;
    for endpoint in &endpoints {
        let delivery = DeliveryRow {
            id: ids::new_id("wh"),
            endpoint_id: endpoint.id.clone(),
            event_id: event.id.clone(),
            event_type: event_type.to_owned(),
            video_id: video.id.clone(),
            body: body.clone(),
            state: "pending".to_owned(),
            attempts: 0,
            last_status: None,
            last_error: None,
            created_at: now,
            updated_at: now,
        };
        store::webhooks::insert_delivery(conn, &delivery).await?;
        jobs::enqueue_tries(conn, DELIVER, Some(&video.owner_id), &DeliveryPayload { delivery_id: delivery.id }, DELIVERY_ATTEMPTS).await?;
    }
    Ok(endpoints.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_the_standard_webhooks_one() {
        // Standard Webhooks' published example: this secret, id, timestamp and body sign to this.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap(), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(signature("whsec_not base64!", "id", 1, "{}").is_err());
    }

    #[test]
    fn urls_need_a_scheme_and_a_host_and_private_hosts_only_when_allowed() {
        assert_eq!(parse_url("  https://hooks.example.com/kino?x=1 ", false).unwrap(), "https://hooks.example.com/kino?x=1");
        for bad in ["hooks.example.com/kino", "ftp://example.com/", "https://", "https://user:pw@example.com/", "https://exa mple.com/"] {
            assert_eq!(parse_url(bad, false).unwrap_err().body().error.param.as_deref(), Some("url"), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(parse_url(&long, true).is_err());
        for private in [
            "http://localhost:8080/",
            "http://127.0.0.1/",
            "http://10.1.2.3/",
            "http://192.168.0.7/",
            "http://169.254.169.254/latest",
            "http://[::1]:9/",
            "http://[fd00::1]/",
        ] {
            assert!(parse_url(private, false).is_err(), "{private}");
            assert!(parse_url(private, true).is_ok(), "{private}");
        }
        assert!(parse_url("http://93.184.216.34/", false).is_ok());
    }

    #[test]
    fn events_are_openais_names_and_all_of_them_by_default() {
        assert_eq!(parse_events(None).unwrap(), ["video.completed", "video.failed"]);
        assert_eq!(parse_events(Some(&["video.failed".to_owned(), "video.failed".to_owned()])).unwrap(), ["video.failed"]);
        assert!(parse_events(Some(&[])).is_err());
        assert!(parse_events(Some(&["video.created".to_owned()])).is_err());
    }
}
