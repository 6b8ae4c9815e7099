//! Shape contracts: the public `forward`/`encode`/`decode` entry points check their inputs and
//! refuse a wrong shape with a [`ShapeError`] instead of panicking deep inside a kernel.

/// An input whose shape the model cannot take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: expected shape {expected}, got {found:?}")]
pub struct ShapeError {
    /// Which input (e.g. "video", "audio latents").
    pub what: &'static str,
    /// The contract, in words (e.g. "[batch, 3, frames % 4 == 0, height % 8 == 0, width % 8 == 0]").
    pub expected: String,
    /// What was given.
    pub found: Vec<usize>,
}

impl ShapeError {
    /// Fails with `expected` unless `ok`.
    pub(crate) fn check(ok: bool, what: &'static str, expected: impl FnOnce() -> String, found: &[usize]) -> Result<(), ShapeError> {
        if ok { Ok(()) } else { Err(ShapeError { what, expected: expected(), found: found.to_vec() }) }
    }
}
