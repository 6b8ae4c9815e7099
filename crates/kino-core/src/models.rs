//! The generation models a Kino server can offer, and what each accepts. Adding a model (the
//! distilled preview student, a newer version) is one more entry in [`MODELS`]; older entries
//! stay, so every existing video keeps naming a model that exists: kino-2 is the default, kino-1
//! stays selectable as the legacy model.

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
    /// Clip lengths in seconds, as strings (as OpenAI's API sends them): one window of the
    /// model, and OpenAI's lengths, made by continuing the clip window after window.
    pub seconds: &'static [&'static str],
    /// The length of a request that names none: OpenAI's default, so its clients get the
    /// length they always got.
    pub default_seconds: &'static str,
    /// Sampler steps of the full-quality render.
    pub steps: u32,
    /// The frames go through the weights' 2x upscaler after sampling (kino-2-pro).
    pub upscaled: bool,
    /// The model family's version (kino-1 is 1, kino-2 is 2).
    pub version: u32,
    /// Kept selectable for the videos made with it and for people who prefer it, but no longer
    /// the default.
    pub legacy: bool,
    /// When its weights were released, Unix seconds (OpenAI's `created`).
    pub released: i64,
    pub description: &'static str,
}

/// Every model's lengths: its 2-second window, and OpenAI's 4, 8 and 12 seconds.
pub const LENGTHS: &[&str] = &["2", "4", "8", "12"];

pub const KINO_2: ModelSpec = ModelSpec {
    id: "kino-2",
    weights: "kino-2",
    tier: Tier::Everyone,
    sizes: &["64x64"],
    seconds: LENGTHS,
    default_seconds: "4",
    steps: 16,
    upscaled: false,
    version: 2,
    legacy: false,
    released: 1_796_515_200,
    description: "Kino's default model: reads the prompt as objects, colours, places and styles and generates from them, with sound (early weights: it paints the asked colours, not yet readable objects)",
};

pub const KINO_2_PRO: ModelSpec = ModelSpec {
    id: "kino-2-pro",
    weights: "kino-2",
    tier: Tier::Pro,
    sizes: &["128x128"],
    seconds: LENGTHS,
    default_seconds: "4",
    steps: 24,
    upscaled: true,
    version: 2,
    legacy: false,
    released: 1_796_601_600,
    description: "kino-2 at 128x128 for Pro accounts: more sampling steps, then a learned 2x upscaler trained on the world's large renders",
};

pub const KINO_1: ModelSpec = ModelSpec {
    id: "kino-1",
    weights: "kino-1-teacher",
    tier: Tier::Everyone,
    sizes: &["64x64"],
    seconds: LENGTHS,
    default_seconds: "4",
    steps: 24,
    upscaled: false,
    version: 1,
    legacy: true,
    released: 1_795_651_200,
    description: "Kino's first text-to-video-with-sound model (legacy), trained on the Kino world",
};

pub const KINO_1_PRO: ModelSpec = ModelSpec {
    id: "kino-1-pro",
    weights: "kino-1-teacher",
    tier: Tier::Pro,
    sizes: &["64x64"],
    seconds: LENGTHS,
    default_seconds: "4",
    steps: 64,
    upscaled: false,
    version: 1,
    legacy: true,
    released: 1_795_651_200,
    description: "kino-1 with more sampling steps, for Pro accounts (legacy)",
};

/// Every model name a server knows, newest first. The default is the first of tier Everyone.
pub const MODELS: &[ModelSpec] = &[KINO_2_PRO, KINO_2, KINO_1_PRO, KINO_1];

pub fn find(id: &str) -> Option<&'static ModelSpec> {
    MODELS.iter().find(|model| model.id == id)
}

pub fn default_model() -> &'static ModelSpec {
    MODELS.iter().find(|model| model.tier == Tier::Everyone).unwrap_or(&KINO_2)
}

/// The model a request naming none gets on a server offering `offered`: the first of tier
/// Everyone among them (a server without kino-2's weights still answers with kino-1), else the
/// registry's default.
pub fn default_among(offered: &[&'static ModelSpec]) -> &'static ModelSpec {
    MODELS.iter().find(|m| m.tier == Tier::Everyone && offered.iter().any(|o| o.id == m.id)).unwrap_or_else(default_model)
}

/// The model a request for a Pro model by another name (OpenAI's `sora-2-pro`) gets on a
/// server offering `offered`: the first Pro model among them, else the registry's first.
pub fn pro_among(offered: &[&'static ModelSpec]) -> &'static ModelSpec {
    MODELS.iter().find(|m| m.tier == Tier::Pro && offered.iter().any(|o| o.id == m.id)).unwrap_or(&KINO_2_PRO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_defaults_are_listed() {
        for (i, model) in MODELS.iter().enumerate() {
            assert!(MODELS[i + 1..].iter().all(|other| other.id != model.id), "{} twice", model.id);
            assert!(!model.sizes.is_empty() && model.seconds.contains(&model.default_seconds), "{}", model.id);
        }
        assert_eq!(default_model().id, "kino-2");
        assert!(!default_model().legacy && find("kino-1").is_some_and(|m| m.legacy));
        assert_eq!(find("kino-1-pro").map(|m| m.tier), Some(Tier::Pro));
        let pro = find("kino-2-pro").map(|m| (m.tier, m.weights, m.sizes[0], m.upscaled));
        assert_eq!(pro, Some((Tier::Pro, "kino-2", "128x128", true)));
        assert!(find("sora-2").is_none());
        // A server without kino-2's weights defaults to kino-1; one with them to kino-2.
        assert_eq!(default_among(&[&KINO_1_PRO, &KINO_1]).id, "kino-1");
        assert_eq!(default_among(&[&KINO_2, &KINO_1]).id, "kino-2");
        assert_eq!(default_among(&[&KINO_2_PRO, &KINO_2, &KINO_1]).id, "kino-2");
        assert_eq!(default_among(&[]).id, "kino-2");
    }
}
