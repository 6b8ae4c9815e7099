//! `kino-train upscale`: kino-2-pro's upscaler ([`kino_model::kino2::upscale`]) on pairs of the
//! world's renders of one scene, at 64x64 (its input, the size kino-2 generates) and at 128x128
//! (its target). The upscaler works frame by frame, so a step takes [`FRAMES_PER_CLIP`] frames
//! spread over each clip; the loss is the mean absolute error in `[-1, 1]`.
//!
//! Held-out metrics: the PSNR of the upscaled frames and of the bilinear enlargement against
//! the 128x128 renders (what the network adds is the difference), and a contact sheet per
//! evaluation: for two clips, the bilinear enlargement, the upscaled frames and the render.

use std::path::Path;

use anyhow::Context;
use burn::tensor::{Device, Tensor};
use kino_model::kino2::upscale::{self, SCALE, Upscaler, UpscalerConfig};
use kino_model::pipeline::UPSCALER_FILE;
use kino_model::video_vae::rgb_to_video;
use kino_world::audio::AudioLayers;
use kino_world::sample::Distribution;
use kino_world::{Clip, Frame, RenderSettings, render_clip};

use crate::data::{FRAMES, frames_of};
use crate::train_loop::Task;

/// The large renders' sound is never used.
const SILENT: AudioLayers = AudioLayers { impacts: false, rolling: false, splashes: false, ambience: false, speech: false };

/// Frames of each clip a step trains on.
pub const FRAMES_PER_CLIP: usize = 4;

pub struct UpscaleTask {
    pub config: UpscalerConfig,
}

/// Which frames of a clip of `seed` a step looks at: [`FRAMES_PER_CLIP`] evenly spaced, the
/// first one shifted by the seed so that every frame is seen over many clips.
fn picked_frames(seed: u64) -> Vec<usize> {
    let spacing = FRAMES / FRAMES_PER_CLIP;
    (0..FRAMES_PER_CLIP).map(|k| k * spacing + (seed % spacing as u64) as usize).collect()
}

/// The clips' picked frames at 64x64 and the same frames rendered at 128x128, as
/// `[clips, 3, FRAMES_PER_CLIP, h, w]` in `[-1, 1]`.
fn pairs(clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<5>, Tensor<5>)> {
    let (w, h) = (clips[0].frames[0].width, clips[0].frames[0].height);
    let large = RenderSettings { width: w * SCALE as u32, height: h * SCALE as u32, frames: Some(FRAMES), audio: SILENT, ..RenderSettings::default() };
    let mut small_frames = Vec::with_capacity(clips.len());
    let mut large_renders = Vec::with_capacity(clips.len());
    for clip in clips {
        anyhow::ensure!(clip.frames.len() >= FRAMES, "a clip of {} frames: the upscaler trains on clips of {FRAMES}", clip.frames.len());
        let render = render_clip(&clip.scene, &large).with_context(|| format!("rendering seed {} at {}x{}", clip.scene.seed, large.width, large.height))?;
        let picked = picked_frames(clip.scene.seed);
        small_frames.push(picked.iter().map(|&f| clip.frames[f].rgb.clone()).collect::<Vec<_>>());
        large_renders.push(picked.iter().map(|&f| render.frames[f].rgb.clone()).collect::<Vec<_>>());
    }
    let small = rgb_to_video(&refs(&small_frames), h as usize, w as usize, device);
    let large = rgb_to_video(&refs(&large_renders), large.height as usize, large.width as usize, device);
    Ok((small, large))
}

fn refs(clips: &[Vec<Vec<u8>>]) -> Vec<Vec<&[u8]>> {
    clips.iter().map(|frames| frames.iter().map(Vec::as_slice).collect()).collect()
}

/// PSNR in decibels of `made` against `truth`, both in `[-1, 1]` (a range of 2).
fn psnr(made: Tensor<5>, truth: Tensor<5>) -> f64 {
    let mse = (made.clamp(-1.0, 1.0) - truth).powi_scalar(2).mean().into_scalar::<f32>() as f64;
    10.0 * (4.0 / mse.max(1e-12)).log10()
}

impl Task for UpscaleTask {
    type Config = UpscalerConfig;
    type Model = Upscaler;
    const NAME: &'static str = "upscale";
    const RELEASE_FILE: &'static str = UPSCALER_FILE;

    fn config(&self) -> &UpscalerConfig {
        &self.config
    }

    fn init(&self, device: &Device) -> Upscaler {
        self.config.init(device)
    }

    /// kino-2's world: every setting and style the generator draws.
    fn world(&self) -> Distribution {
        Distribution::default()
    }

    fn held_out_from_training(&self) -> bool {
        true
    }

    fn loss(&self, model: &Upscaler, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let (small, large) = pairs(clips, device)?;
        let loss = (model.forward(small.clone()) - large.clone()).abs().mean();
        let bilinear = (upscale::bilinear(small) - large).abs().mean().into_scalar::<f32>() as f64;
        Ok((loss, vec![("bilinear", bilinear)]))
    }

    fn evaluate(&self, model: &Upscaler, clips: &[Clip], device: &Device, out: &Path, step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let (small, large) = pairs(clips, device)?;
        let made = model.forward(small.clone()).clamp(-1.0, 1.0);
        let bilinear = upscale::bilinear(small);
        let metrics = vec![("psnr".to_string(), psnr(made.clone(), large.clone())), ("bilinear_psnr".to_string(), psnr(bilinear.clone(), large.clone()))];
        let mut rows: Vec<Vec<Frame>> = Vec::new();
        for i in 0..clips.len().min(2) {
            for video in [&bilinear, &made, &large] {
                rows.push(frames_of(video, i)?);
            }
        }
        let path = out.join(format!("samples-{step:06}.png"));
        let sheet = kino_world::output::contact_sheet(&rows.concat(), FRAMES_PER_CLIP);
        std::fs::write(&path, kino_world::output::png_bytes(&sheet, &path)?).with_context(|| format!("writing {}", path.display()))?;
        Ok(metrics)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn pairs_are_the_same_frames_at_both_sizes() {
        let device = Device::flex();
        let clip = crate::data::clip_from(21, &Distribution::default()).unwrap();
        let (small, large) = pairs(std::slice::from_ref(&clip), &device).unwrap();
        assert_eq!(small.dims(), [1, 3, FRAMES_PER_CLIP, 64, 64]);
        assert_eq!(large.dims(), [1, 3, FRAMES_PER_CLIP, 128, 128]);
        // The large render, averaged down, is close to the small one: the same scene and frame.
        let frames = large.dims()[2];
        let pooled = large.reshape([1, 3 * frames, 64, 2, 64, 2]).mean_dim(5).mean_dim(3).reshape([1, 3, frames, 64, 64]);
        let error = (pooled - small).abs().mean().into_scalar::<f32>();
        assert!(error < 0.08, "mean difference {error}");
        // Every frame of a clip is looked at over the seeds.
        let mut seen = [false; FRAMES];
        for seed in 0..10 {
            picked_frames(seed).into_iter().for_each(|f| seen[f] = true);
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn a_fresh_upscaler_scores_as_the_bilinear_enlargement() {
        let device = Device::flex();
        let task = UpscaleTask { config: UpscalerConfig::base() };
        let clip = crate::data::clip_from(22, &Distribution::default()).unwrap();
        let dir = std::env::temp_dir().join(format!("kino-train-upscale-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let metrics = task.evaluate(&task.init(&device), &[clip], &device, &dir, 0).unwrap();
        assert!((metrics[0].1 - metrics[1].1).abs() < 1e-3, "{metrics:?}");
        assert!(metrics[1].1 > 15.0, "{metrics:?}");
        assert!(dir.join("samples-000000.png").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
