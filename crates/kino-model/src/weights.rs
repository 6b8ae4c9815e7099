//! Released weights: safetensors files in half precision (the linear and convolution weights;
//! norms' gains and learned embeddings stay f32), read back into f32 modules.

use std::path::Path;

use burn::module::Module;
use burn::store::{HalfPrecisionAdapter, ModuleSnapshot, SafetensorsStore};

/// Why weights could not be saved or loaded.
#[derive(Debug, thiserror::Error)]
pub enum WeightsError {
    #[error("{path} is missing: run `cargo xtask fetch-models` (or train and export the model)")]
    Missing { path: String },
    #[error("{path}: {message}")]
    Store { path: String, message: String },
}

/// Writes `module`'s parameters to `path` in half precision.
pub fn save_f16<M: Module>(module: &M, path: &Path) -> Result<(), WeightsError> {
    let mut store = SafetensorsStore::from_file(path).overwrite(true).with_to_adapter(HalfPrecisionAdapter::new());
    module.save_into(&mut store).map_err(|e| WeightsError::Store { path: path.display().to_string(), message: e.to_string() })
}

/// Reads `path` (written by [`save_f16`]) into `module`, which must have the same structure.
pub fn load<M: Module>(module: M, path: &Path) -> Result<M, WeightsError> {
    complete(load_growing(module, path)?, &path.display().to_string())
}

/// [`load`] from the bytes of such a file (fetched by a browser, say); `name` names it in errors.
pub fn load_bytes<M: Module>(module: M, bytes: Vec<u8>, name: &str) -> Result<M, WeightsError> {
    complete(load_store(module, SafetensorsStore::from_bytes(Some(bytes)), name)?, name)
}

/// Like [`load`], for a module that has grown since `path` was written: tensors the file lacks
/// keep `module`'s initial values (a new path that starts at zero, say), and their names are
/// returned. A tensor of the wrong shape is still an error.
pub fn load_growing<M: Module>(module: M, path: &Path) -> Result<(M, Vec<String>), WeightsError> {
    if !path.exists() {
        return Err(WeightsError::Missing { path: path.display().to_string() });
    }
    load_store(module, SafetensorsStore::from_file(path), &path.display().to_string())
}

/// `store`'s half-precision tensors into `module`; the names of those it lacks.
fn load_store<M: Module>(mut module: M, store: SafetensorsStore, name: &str) -> Result<(M, Vec<String>), WeightsError> {
    let mut store = store.with_from_adapter(HalfPrecisionAdapter::new()).allow_partial(true);
    let result = module.load_from(&mut store).map_err(|e| WeightsError::Store { path: name.to_owned(), message: e.to_string() })?;
    if !result.errors.is_empty() {
        return Err(WeightsError::Store { path: name.to_owned(), message: format!("errors {:?}", result.errors) });
    }
    Ok((module, result.missing.iter().map(|(p, _)| p.clone()).collect()))
}

/// The module, when no tensor was missing.
fn complete<M>((module, missing): (M, Vec<String>), name: &str) -> Result<M, WeightsError> {
    if !missing.is_empty() {
        return Err(WeightsError::Store { path: name.to_owned(), message: format!("missing tensors {missing:?}") });
    }
    Ok(module)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Device;

    #[test]
    fn half_precision_round_trip_keeps_the_weights_close() {
        let device = Device::flex();
        let dir = std::env::temp_dir().join(format!("kino-weights-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let path = dir.join("vae.safetensors");
        let vae = crate::video_vae::VideoVaeConfig::tiny().init(&device);
        save_f16(&vae, &path).unwrap_or_else(|e| panic!("{e}"));
        let loaded = load(crate::video_vae::VideoVaeConfig::tiny().init(&device), &path).unwrap_or_else(|e| panic!("{e}"));
        let a = vae.encoder.conv_in.conv.weight.val();
        let b = loaded.encoder.conv_in.conv.weight.val();
        let diff = (a.clone() - b).abs().max().into_scalar::<f32>();
        let scale = a.abs().max().into_scalar::<f32>();
        assert!(diff > 0.0 && diff < scale * 1e-3, "diff {diff}, scale {scale}");
        assert!(matches!(load(vae, &dir.join("absent.safetensors")), Err(WeightsError::Missing { .. })));
        std::fs::remove_dir_all(&dir).unwrap_or_default();
    }
}
