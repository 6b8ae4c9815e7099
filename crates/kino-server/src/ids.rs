//! Random identifiers and secrets, and the clock.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// `bytes` random bytes from the operating system.
pub fn random_bytes(bytes: usize) -> Vec<u8> {
    let mut buffer = vec![0u8; bytes];
    // The OS random source failing is not something a server can carry on through.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut buffer).expect("the operating system's random source failed");
    buffer
}

/// `bytes` random bytes from the operating system, URL-safe base64 without padding.
pub fn random_token(bytes: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(bytes))
}

/// A public id such as `user_q3H9...`: a kind prefix and 96 random bits.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_token(12))
}

/// A random non-negative 63-bit number (it fits a signed BIGINT).
pub fn random_i63() -> i64 {
    let mut buffer = [0u8; 8];
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut buffer).expect("the operating system's random source failed");
    (u64::from_le_bytes(buffer) >> 1) as i64
}

/// SHA-256 of a secret, hex-encoded: what the database keeps instead of the secret.
pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Milliseconds since the Unix epoch, strictly increasing within this process: what rows
/// listed in creation order are stamped with, so two made in the same millisecond keep the
/// order they were made in (lists tie-break on the random id otherwise).
pub fn creation_ms() -> i64 {
    static LAST: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let now = now_ms();
    let previous = LAST.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
    if previous < now { now } else { LAST.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 }
}

/// Today's date in UTC.
pub fn today() -> kino_core::account::Date {
    let now = time::OffsetDateTime::now_utc();
    kino_core::account::Date { year: now.year(), month: u8::from(now.month()), day: now.day() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_stamps_strictly_increase() {
        let stamps: Vec<i64> = (0..10_000).map(|_| creation_ms()).collect();
        assert!(stamps.windows(2).all(|w| w[0] < w[1]));
        assert!(stamps[0] >= now_ms() - 60_000);
    }

    #[test]
    fn tokens_are_random_and_url_safe() {
        let (a, b) = (random_token(32), random_token(32));
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert!(new_id("user").starts_with("user_"));
    }

    #[test]
    fn secrets_hash_to_sha256_hex() {
        assert_eq!(hash_secret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
