//! The generation models a Kino server can offer, and what each accepts. Adding a model (the
//! distilled preview student, a newer version) is one more entry in [`MODELS`]; older entries
//! stay, so every existing video keeps naming a model that exists.

use serde::{Deserialize, Serialize};

/// Who may use a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Everyone,
    /// Pro accounts only: more sampling steps, higher resolution.
    Pro,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ModelSpec {
    /// The name clients send, e.g. `kino-1`.
    pub id: &'static str,
    /// The weights this name runs (`models/<weights>/`).
    pub weights: &'static str,
    pub tier: Tier,
    /// Frame sizes, `WIDTHxHEIGHT`; the first is the default.
    pub sizes: &'static [&'static str],
    /// Clip lengths in seconds, as strings (as OpenAI's API sends them); the first is the default.
    pub seconds: &'static [&'static str],
    /// Sampler steps of the full-quality render.
    pub steps: u32,
    pub description: &'static str,
}

pub const KINO_1: ModelSpec = ModelSpec {
    id: "kino-1",
    weights: "kino-1-teacher",
    tier: Tier::Everyone,
    sizes: &["64x64"],
    seconds: &["2"],
    steps: 24,
    description: "Kino's first text-to-video-with-sound model, trained on the Kino world",
};

pub const KINO_1_PRO: ModelSpec = ModelSpec {
    id: "kino-1-pro",
    weights: "kino-1-teacher",
    tier: Tier::Pro,
    sizes: &["64x64"],
    seconds: &["2"],
    steps: 64,
    description: "kino-1 with more sampling steps, for Pro accounts",
};

/// Every model name a server knows, newest first. The default is the first of tier Everyone.
pub const MODELS: &[ModelSpec] = &[KINO_1_PRO, KINO_1];

pub fn find(id: &str) -> Option<&'static ModelSpec> {
    MODELS.iter().find(|model| model.id == id)
}

pub fn default_model() -> &'static ModelSpec {
    MODELS.iter().find(|model| model.tier == Tier::Everyone).unwrap_or(&KINO_1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_defaults_are_listed() {
        for (i, model) in MODELS.iter().enumerate() {
            assert!(MODELS[i + 1..].iter().all(|other| other.id != model.id), "{} twice", model.id);
            assert!(!model.sizes.is_empty() && !model.seconds.is_empty(), "{}", model.id);
        }
        assert_eq!(default_model().id, "kino-1");
        assert_eq!(find("kino-1-pro").map(|m| m.tier), Some(Tier::Pro));
        assert!(find("sora-2").is_none());
    }
}
