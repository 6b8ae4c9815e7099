//! A parsed prompt: what a person asks a model to make.

use serde::{Deserialize, Serialize};

/// The longest prompt accepted, in characters.
pub const PROMPT_MAX: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromptError {
    #[error("prompt is empty: describe the video you want")]
    Empty,
    #[error("prompt is longer than {PROMPT_MAX} characters")]
    TooLong,
    #[error("prompt contains control characters")]
    ControlCharacters,
}

/// Trimmed, 1 to 1000 characters, no control characters except line breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Prompt(String);

impl Prompt {
    pub fn parse(raw: &str) -> Result<Self, PromptError> {
        let prompt = raw.trim();
        if prompt.is_empty() {
            return Err(PromptError::Empty);
        }
        if prompt.chars().count() > PROMPT_MAX {
            return Err(PromptError::TooLong);
        }
        if prompt.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(PromptError::ControlCharacters);
        }
        Ok(Self(prompt.to_owned()))
    }
}

crate::parsed_string!(Prompt, PromptError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_are_trimmed_and_bounded() {
        assert_eq!(Prompt::parse("  a red ball bounces \n").unwrap().as_str(), "a red ball bounces");
        assert_eq!(Prompt::parse(" \n "), Err(PromptError::Empty));
        assert_eq!(Prompt::parse(&"a".repeat(1001)), Err(PromptError::TooLong));
        assert!(Prompt::parse(&"ä".repeat(1000)).is_ok());
        assert_eq!(Prompt::parse("a\u{0}b"), Err(PromptError::ControlCharacters));
    }
}
