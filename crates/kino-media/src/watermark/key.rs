//! The watermark key: 32 secret bytes from which every pseudo-random choice of the mark (which
//! cells synchronise, which carry which bit, their signs) is derived. Only someone with the key
//! can find (or forge) the mark.

use sha2::{Digest, Sha256};

/// A watermark key. [`WatermarkKey::default`] is Kino's public development key; a deployment
/// configures its own with [`WatermarkKey::from_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct WatermarkKey([u8; 32]);

impl std::fmt::Debug for WatermarkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WatermarkKey(..)")
    }
}

impl Default for WatermarkKey {
    fn default() -> Self {
        WatermarkKey::from_secret(b"kino-watermark-v1")
    }
}

impl WatermarkKey {
    /// Derives a key from any secret (a passphrase, random bytes from a config file).
    pub fn from_secret(secret: &[u8]) -> WatermarkKey {
        WatermarkKey(Sha256::digest(secret).into())
    }

    /// A deterministic random stream for one use (`label`) of the key.
    pub fn stream(&self, label: &str) -> KeyStream {
        let mut h = Sha256::new();
        h.update(self.0);
        h.update(label.as_bytes());
        let d = h.finalize();
        let mut seed = [0u8; 8];
        seed.copy_from_slice(&d[..8]);
        KeyStream(u64::from_le_bytes(seed))
    }
}

/// SplitMix64 seeded from the key.
#[derive(Debug, Clone)]
pub struct KeyStream(u64);

impl KeyStream {
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// +1.0 or -1.0.
    pub fn sign(&mut self) -> f32 {
        if self.next_u64() & 1 == 1 { 1.0 } else { -1.0 }
    }
}
