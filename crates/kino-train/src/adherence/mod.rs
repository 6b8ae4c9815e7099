//! kino-2's adherence suite: does a clip show what its prompt asked for? Every kind and colour
//! of the world over several seeds, asked in the canonical words and in held-out paraphrases
//! ([`crate::prompts::HELD_OUT`]); the main object's colour measured without a judge
//! ([`colour`]).

pub mod colour;
pub mod shape;
pub mod suite;
