//! `kino-train audio`: the audio autoencoder, on L1 + a small KL term. Held-out metric: SNR
//! of the reconstruction from the posterior mean, in dB.

use std::path::Path;

use burn::tensor::{Device, Tensor};
use kino_model::audio_vae::{AudioVae, AudioVaeConfig};
use kino_world::Clip;

use crate::data::audio_tensor;
use crate::train_loop::Task;

pub struct AudioTask {
    pub config: AudioVaeConfig,
}

impl Task for AudioTask {
    type Model = AudioVae;
    const NAME: &'static str = "audio";

    fn config_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.config).unwrap_or_default()
    }

    fn init(&self, device: &Device) -> AudioVae {
        self.config.init(device)
    }

    fn loss(&self, model: &AudioVae, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let out = model.forward(audio_tensor(clips, device))?;
        let l1 = f64::from(out.l1.into_scalar::<f32>());
        Ok((out.loss, vec![("l1", l1)]))
    }

    fn evaluate(&self, model: &AudioVae, clips: &[Clip], device: &Device, _out: &Path, _step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let audio = audio_tensor(clips, device);
        let recon = model.decode(model.encode(audio.clone())?.mean)?;
        let noise = f64::from((recon - audio.clone()).powi_scalar(2).sum().into_scalar::<f32>());
        let signal = f64::from(audio.powi_scalar(2).sum().into_scalar::<f32>());
        Ok(vec![("snr_db".into(), 10.0 * (signal.max(1e-12) / noise.max(1e-12)).log10())])
    }
}
