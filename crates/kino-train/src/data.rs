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

/// Renders the clip of `seed` from the legacy world kino-1 learned (every held-out clip of
/// kino-1's tasks comes from it).
pub fn clip(seed: u64) -> anyhow::Result<Clip> {
    clip_from(seed, &Distribution::legacy())
}

/// Renders the clip of `seed` drawn from `distribution`.
pub fn clip_from(seed: u64, distribution: &Distribution) -> anyhow::Result<Clip> {
    let scene = sample(seed, distribution);
    render_clip(&scene, &settings()).with_context(|| format!("rendering the clip of seed {seed}"))
}

/// An endless stream of training clips from `first_seed` on, drawn from `distribution` and
/// rendered ahead on `threads` threads. Thread `k` renders every `threads`-th seed and the
/// stream takes from the threads in turn, so the clips come in seed order whatever the thread
/// count.
pub struct ClipStream {
    receivers: Vec<Receiver<anyhow::Result<Clip>>>,
    next: usize,
    _workers: Vec<JoinHandle<()>>,
}

impl ClipStream {
    pub fn start(first_seed: u64, threads: usize, distribution: &Distribution) -> Self {
        let threads = threads.max(1);
        let (receivers, workers) = (0..threads as u64)
            .map(|k| {
                let (sender, receiver) = sync_channel(16);
                let distribution = distribution.clone();
                let worker = std::thread::spawn(move || {
                    for seed in (first_seed + k..).step_by(threads) {
                        if sender.send(clip_from(seed, &distribution)).is_err() {
                            break;
                        }
                    }
                });
                (receiver, worker)
            })
            .unzip();
        ClipStream { receivers, next: 0, _workers: workers }
    }

    /// The next `n` clips.
    pub fn next_batch(&mut self, n: usize) -> anyhow::Result<Vec<Clip>> {
        (0..n)
            .map(|_| {
                let receiver = &self.receivers[self.next];
                self.next = (self.next + 1) % self.receivers.len();
                receiver.recv().context("the clip renderer stopped")?
            })
            .collect()
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
    fn the_stream_keeps_seed_order_on_several_threads() {
        let mut stream = ClipStream::start(7, 3, &Distribution::legacy());
        let clips = stream.next_batch(4).expect("clips");
        for (i, c) in clips.iter().enumerate() {
            assert_eq!(c.frames, clip(7 + i as u64).expect("renders").frames, "clip {i}");
        }
    }

    #[test]
    fn audio_is_at_the_model_rate() {
        let clips = vec![clip(5).expect("renders")];
        assert_eq!(clips[0].audio.len(), 32_000);
        assert_eq!(audio_waves(&clips)[0].len(), 30_720);
    }
}
