//! `kino-train audio`: the audio autoencoder, on the squared error of normalised log magnitudes
//! plus a small KL term. Held-out metric: the log-spectral distance of the reconstruction from
//! the posterior mean, in dB (lower is better), and `recon-STEP.wav` (the first held-out clip,
//! then its reconstruction through Griffin-Lim) to listen to.

use std::path::Path;

use burn::tensor::{Device, Tensor};
use kino_model::audio_vae::{AudioVae, AudioVaeConfig, from_model_rate};
use kino_world::Clip;

use crate::data::audio_waves;
use crate::train_loop::Task;

pub struct AudioTask {
    pub config: AudioVaeConfig,
}

/// Root-mean-square difference of 20·log10 magnitudes, from the squared error of the model's
/// normalised natural-log magnitudes (scaled by 4).
pub fn log_spectral_distance_db(mse: f64) -> f64 {
    mse.max(0.0).sqrt() * 4.0 * 20.0 / std::f64::consts::LN_10
}

impl Task for AudioTask {
    type Config = AudioVaeConfig;
    type Model = AudioVae;
    const NAME: &'static str = "audio";
    const RELEASE_FILE: &'static str = kino_model::pipeline::AUDIO_VAE_FILE;

    fn config(&self) -> &AudioVaeConfig {
        &self.config
    }

    fn init(&self, device: &Device) -> AudioVae {
        self.config.init(device)
    }

    fn loss(&self, model: &AudioVae, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let out = model.forward(model.spectrogram(&audio_waves(clips), device)?)?;
        let mse = f64::from(out.mse.into_scalar::<f32>());
        Ok((out.loss, vec![("lsd_db", log_spectral_distance_db(mse))]))
    }

    fn evaluate(&self, model: &AudioVae, clips: &[Clip], device: &Device, out: &Path, step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let waves = audio_waves(clips);
        let spectrogram = model.spectrogram(&waves, device)?;
        let recon = model.decode(model.encode(spectrogram.clone())?.mean)?;
        let mse = f64::from((recon.clone() - spectrogram).powi_scalar(2).mean().into_scalar::<f32>());
        let heard = model.waveforms(recon.narrow(0, 0, 1), 32);
        let mut both = waves[0].clone();
        both.extend(heard.into_iter().flatten());
        std::fs::write(out.join(format!("recon-{step:06}.wav")), kino_world::audio::wav_bytes(&from_model_rate(&both)))?;
        Ok(vec![("lsd_db".into(), log_spectral_distance_db(mse))])
    }
}
