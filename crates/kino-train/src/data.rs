//! Clips streamed from kino-world, rendered in memory on a background thread, and turned into
//! tensors.
//!
//! Training clips use seeds `0, 1, 2, ...` (a resumed run continues where it stopped); held-out
//! clips use seeds from [`HELD_OUT_SEED`] up, which training never reaches.

use std::sync::mpsc::{Receiver, sync_channel};
use std::thread::JoinHandle;

use anyhow::Context;
use burn::tensor::{Device, Tensor};
use kino_model::audio_vae::to_model_rate;
use kino_model::video_vae::{rgb_to_video, video_to_rgb};
use kino_world::sample::{Distribution, sample};
use kino_world::{Clip, Frame, RenderSettings, render_clip};

/// First seed of the held-out clips.
pub const HELD_OUT_SEED: u64 = 1_000_000_000;
/// Frames per training clip (2 s at 12 fps).
pub const FRAMES: usize = 24;

/// The render settings of every training clip: 64x64, 12 fps, 24 frames.
pub fn settings() -> RenderSettings {
    RenderSettings { frames: Some(FRAMES), ..RenderSettings::default() }
}

/// Renders the clip of `seed`.
pub fn clip(seed: u64) -> anyhow::Result<Clip> {
    let scene = sample(seed, &Distribution::default());
    render_clip(&scene, &settings()).with_context(|| format!("rendering the clip of seed {seed}"))
}

/// An endless stream of training clips from `first_seed` on, rendered ahead on one thread.
pub struct ClipStream {
    receiver: Receiver<anyhow::Result<(u64, Clip)>>,
    _worker: JoinHandle<()>,
}

impl ClipStream {
    pub fn start(first_seed: u64) -> Self {
        let (sender, receiver) = sync_channel(16);
        let worker = std::thread::spawn(move || {
            for seed in first_seed.. {
                if sender.send(clip(seed).map(|c| (seed, c))).is_err() {
                    break;
                }
            }
        });
        ClipStream { receiver, _worker: worker }
    }

    /// The next `n` clips.
    pub fn next_batch(&mut self, n: usize) -> anyhow::Result<Vec<Clip>> {
        (0..n).map(|_| self.receiver.recv().context("the clip renderer stopped")?.map(|(_, c)| c)).collect()
    }
}

/// `[batch, 3, frames, height, width]` in `[-1, 1]`.
pub fn video_tensor(clips: &[Clip], device: &Device) -> Tensor<5> {
    let (h, w) = (clips[0].frames[0].height as usize, clips[0].frames[0].width as usize);
    let frames: Vec<Vec<&[u8]>> = clips.iter().map(|c| c.frames.iter().map(|f| f.rgb.as_slice()).collect()).collect();
    rgb_to_video(&frames, h, w, device)
}

/// The clips' sound at the audio autoencoder's rate.
pub fn audio_waves(clips: &[Clip]) -> Vec<Vec<f32>> {
    clips.iter().map(|c| to_model_rate(&c.audio)).collect()
}

/// Frames of one clip of a `[batch, 3, t, h, w]` tensor in `[-1, 1]`.
pub fn frames_of(video: &Tensor<5>, index: usize) -> anyhow::Result<Vec<Frame>> {
    let [_, _, _, h, w] = video.dims();
    Ok(video_to_rgb(video, index).into_iter().map(|rgb| Frame { width: w as u32, height: h as u32, rgb }).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn frames_survive_the_tensor_round_trip() {
        let device = Device::flex();
        let clips = vec![clip(3).expect("renders"), clip(4).expect("renders")];
        let video = video_tensor(&clips, &device);
        assert_eq!(video.dims(), [2, 3, FRAMES, 64, 64]);
        let frames = frames_of(&video, 1).expect("frames");
        assert_eq!(frames, clips[1].frames);
    }

    #[test]
    fn audio_is_at_the_model_rate() {
        let clips = vec![clip(5).expect("renders")];
        assert_eq!(clips[0].audio.len(), 32_000);
        assert_eq!(audio_waves(&clips)[0].len(), 30_720);
    }
}
