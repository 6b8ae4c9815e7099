//! Checkpoints: `model.bpk` (burnpack), `optimizer.bpk`, `ema.bpk` (the moving average of the
//! weights, when the run keeps one) and `state.json` (step, clips seen, the model config and
//! the loss history). Each file is written next to its target and renamed
//! into place, so a crash mid-save leaves the previous checkpoint whole.

use std::path::{Path, PathBuf};

use anyhow::Context;
use burn::module::Module;
use burn::optim::ModuleOptimizer;
use serde::{Deserialize, Serialize};

/// Progress of a run, saved with each checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunState {
    /// Which model (`vae`, `audio`, `teacher`).
    pub task: String,
    /// Optimiser steps taken.
    pub step: usize,
    /// The seed of the next training clip (`--first-seed` plus the clips consumed).
    #[serde(alias = "clips_seen")]
    pub next_seed: u64,
    /// Seconds spent training, over all resumed runs.
    pub train_seconds: f64,
    /// The model config, as JSON.
    pub config: serde_json::Value,
    /// `(step, loss averaged since the previous entry)`.
    pub history: Vec<(usize, f64)>,
    /// Held-out evaluations: `(step, metric name, value)`.
    pub evals: Vec<(usize, String, f64)>,
    /// Trained with `--overfit` on the held-out clips: a capacity check, whose weights are
    /// never exported or used to train another part.
    #[serde(default)]
    pub overfit: bool,
    /// Updates the moving average in `ema.bpk` has had (0 when the run keeps none).
    #[serde(default)]
    pub ema_updates: usize,
}

/// The moving average of the weights in a checkpoint folder.
pub const EMA_FILE: &str = "ema.bpk";

pub struct Checkpoint {
    pub dir: PathBuf,
}

impl Checkpoint {
    pub fn new(dir: &Path) -> Self {
        Checkpoint { dir: dir.to_owned() }
    }

    pub fn exists(&self) -> bool {
        self.dir.join("state.json").exists()
    }

    pub fn load_state(&self) -> anyhow::Result<RunState> {
        let path = self.dir.join("state.json");
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn load_model<M: Module>(&self, model: M) -> anyhow::Result<M> {
        let path = self.dir.join("model.bpk");
        model.try_load_file(&path).map_err(|e| anyhow::anyhow!("loading {}: {e}", path.display()))
    }

    /// [`Checkpoint::load_model`] for use beyond its own run (export, the autoencoders under a
    /// teacher): refuses the weights of an `--overfit` run.
    pub fn load_trained<M: Module>(&self, model: M) -> anyhow::Result<M> {
        self.ensure_for_use()?;
        self.load_model(model)
    }

    /// Refuses a checkpoint of an `--overfit` run, whose weights (last or averaged) are not for
    /// use beyond it.
    pub fn ensure_for_use(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            !self.load_state()?.overfit,
            "{} was trained with --overfit on the held-out clips, a capacity check: its weights are not for use",
            self.dir.display()
        );
        Ok(())
    }

    /// The moving average of the weights saved beside the model, if the run keeps one.
    pub fn load_ema<M: Module>(&self, model: M) -> anyhow::Result<Option<M>> {
        let path = self.dir.join(EMA_FILE);
        if !path.exists() {
            return Ok(None);
        }
        model.try_load_file(&path).map(Some).map_err(|e| anyhow::anyhow!("loading {}: {e}", path.display()))
    }

    pub fn load_optimizer(&self, optimizer: ModuleOptimizer) -> anyhow::Result<ModuleOptimizer> {
        let path = self.dir.join("optimizer.bpk");
        optimizer.load(&path).map_err(|e| anyhow::anyhow!("loading {}: {e}", path.display()))
    }

    /// Saves the run; `ema` is its moving average of the weights, if it keeps one (a stale
    /// average from an earlier run that kept one is removed).
    pub fn save<M: Module>(&self, model: &M, optimizer: &ModuleOptimizer, state: &RunState, ema: Option<&M>) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir).with_context(|| format!("creating {}", self.dir.display()))?;
        let partial = |name: &str| self.dir.join(format!("{name}.partial"));
        model.clone().save_file(partial("model.bpk")).map_err(|e| anyhow::anyhow!("saving the model: {e}"))?;
        optimizer.save(partial("optimizer.bpk")).map_err(|e| anyhow::anyhow!("saving the optimizer: {e}"))?;
        if let Some(ema) = ema {
            ema.clone().save_file(partial(EMA_FILE)).map_err(|e| anyhow::anyhow!("saving the moving average: {e}"))?;
        }
        std::fs::write(partial("state.json"), serde_json::to_vec_pretty(state)?)?;
        let mut names = vec!["model.bpk", "optimizer.bpk"];
        match ema {
            Some(_) => names.push(EMA_FILE),
            None if self.dir.join(EMA_FILE).exists() => std::fs::remove_file(self.dir.join(EMA_FILE))?,
            None => {}
        }
        // state.json last: it says what the other files hold.
        names.push("state.json");
        for name in names {
            std::fs::rename(partial(name), self.dir.join(name)).with_context(|| format!("moving {name} into place"))?;
        }
        Ok(())
    }
}

/// A trained part from `dir`: a training checkpoint (`model.bpk`) when `dir` holds one, else
/// `release_file` of a released model folder.
pub fn load_part<M: Module>(model: M, dir: &Path, release_file: &str) -> anyhow::Result<M> {
    let checkpoint = Checkpoint::new(dir);
    if checkpoint.exists() { checkpoint.load_trained(model) } else { Ok(kino_model::weights::load(model, &dir.join(release_file))?) }
}

/// The moving average of the weights kept by the checkpoint in `dir` (a run with `--ema`);
/// `flag` names the option that asked for it, in errors.
pub fn load_averaged_part<M: Module>(model: M, dir: &Path, flag: &str) -> anyhow::Result<M> {
    let checkpoint = Checkpoint::new(dir);
    anyhow::ensure!(checkpoint.exists(), "{flag} takes a checkpoint folder, and {} is none", dir.display());
    checkpoint.ensure_for_use()?;
    checkpoint.load_ema(model)?.ok_or_else(|| anyhow::anyhow!("{} keeps no moving average: train with --ema", dir.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use burn::optim::AdamWConfig;
    use burn::tensor::{Device, Distribution, Tensor};
    use kino_model::video_vae::VideoVaeConfig;

    #[test]
    fn a_checkpoint_restores_the_model_and_the_state() {
        let dir = std::env::temp_dir().join(format!("kino-train-ckpt-{}", std::process::id()));
        let device = Device::flex();
        let model = VideoVaeConfig::tiny().init(&device);
        let state = RunState {
            task: "vae".into(),
            step: 7,
            next_seed: 28,
            train_seconds: 1.5,
            config: serde_json::json!({"a": 1}),
            history: vec![(7, 0.5)],
            evals: vec![],
            overfit: false,
            ema_updates: 0,
        };
        let checkpoint = Checkpoint::new(&dir);
        assert!(!checkpoint.exists());
        checkpoint.save(&model, &AdamWConfig::new().init(), &state, Some(&model)).expect("saves");
        assert!(checkpoint.load_ema(VideoVaeConfig::tiny().init(&device)).expect("loads").is_some());
        assert!(checkpoint.exists());
        let restored = checkpoint.load_model(VideoVaeConfig::tiny().init(&device)).expect("loads");
        let video = Tensor::<5>::random([1, 3, 4, 16, 16], Distribution::Uniform(-1.0, 1.0), &device);
        let a = model.encode(video.clone()).expect("shape").mean;
        let b = restored.encode(video).expect("shape").mean;
        assert_eq!((a - b).abs().max().into_scalar::<f32>(), 0.0);
        let loaded = checkpoint.load_state().expect("state");
        assert_eq!((loaded.step, loaded.next_seed, loaded.history), (7, 28, vec![(7, 0.5)]));
        assert!(load_part(VideoVaeConfig::tiny().init(&device), &dir, "unused").is_ok());
        // The weights of an --overfit run stay in their folder.
        checkpoint.save(&model, &AdamWConfig::new().init(), &RunState { overfit: true, ..state }, None).expect("saves");
        // A run without an average leaves none behind from the run before.
        assert!(checkpoint.load_ema(VideoVaeConfig::tiny().init(&device)).expect("loads").is_none());
        let error = load_part(VideoVaeConfig::tiny().init(&device), &dir, "unused").expect_err("an overfit checkpoint");
        assert!(error.to_string().contains("--overfit"), "{error}");
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Checkpoints saved before the field was renamed still resume at their next seed.
    #[test]
    fn an_older_state_names_the_next_seed_clips_seen() {
        let old = r#"{"task":"teacher","step":943,"clips_seen":1060352,"train_seconds":450.0,"config":{},"history":[],"evals":[]}"#;
        let state: RunState = serde_json::from_str(old).expect("parses");
        assert_eq!((state.step, state.next_seed), (943, 1_060_352));
    }
}
