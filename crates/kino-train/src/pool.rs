//! Recently encoded training clips, drawn again in later batches (`kino-train teacher --reuse`).
//!
//! The frozen encoders' work on a batch costs about a third of a teacher step on this CPU
//! (`kino-train bench`), and rendering the clip a little more. Training on each clip's latents
//! several times, each time with new noise, a new noise time and the next of its captions, buys
//! more teacher steps per rendered and encoded clip.

use std::collections::VecDeque;

use burn::tensor::Tensor;
use kino_model::dit::JointLatents;
use kino_world::Clip;
use kino_world::rng::Rng;

/// Clips kept for drawing again: at about 30 KB of latents each, 2048 clips hold 60 MB, and a
/// clip stays in the pool for 2048 / (fresh clips per step) steps.
pub const POOL_CLIPS: usize = 2048;

/// One clip's latents and what the loss reads of the clip besides them.
struct Entry {
    /// The clip without its frames and sound (its scene, captions and labels).
    clip: Clip,
    /// `[1, c, t, h, w]`
    video: Tensor<5>,
    /// `[1, c, f]`
    audio: Tensor<3>,
}

pub struct LatentPool {
    entries: VecDeque<Entry>,
    capacity: usize,
    rng: Rng,
}

impl LatentPool {
    pub fn new(capacity: usize, seed: u64) -> Self {
        LatentPool { entries: VecDeque::with_capacity(capacity), capacity: capacity.max(1), rng: Rng::stream(seed, "latent pool") }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }

    /// A batch of the `fresh` clips (their latents `latents`) followed by `extra` clips drawn
    /// uniformly, with replacement, from the pool and the fresh ones; the fresh clips then join
    /// the pool, pushing out the oldest.
    ///
    /// # Shapes
    /// - `latents`: video `[fresh, c, t, h, w]`, audio `[fresh, c, f]`; returns `[fresh + extra, ..]`
    pub fn batch(&mut self, fresh: &[Clip], latents: JointLatents, extra: usize) -> (Vec<Clip>, JointLatents) {
        let new: Vec<Entry> = fresh
            .iter()
            .enumerate()
            .map(|(i, clip)| Entry {
                clip: Clip {
                    scene: clip.scene.clone(),
                    frames: Vec::new(),
                    audio: Vec::new(),
                    captions: clip.captions.clone(),
                    labels: clip.labels.clone(),
                    slots: clip.slots.clone(),
                },
                video: latents.video.clone().slice(i..i + 1),
                audio: latents.audio.clone().slice(i..i + 1),
            })
            .collect();
        // The loss reads no frames or sound, so the fresh clips go out stripped as well.
        let mut clips: Vec<Clip> = new.iter().map(|e| e.clip.clone()).collect();
        let (mut videos, mut audios) = (vec![latents.video], vec![latents.audio]);
        let candidates = self.entries.len() + new.len();
        for _ in 0..extra {
            let k = (self.rng.next_u64() % candidates as u64) as usize;
            let entry = self.entries.get(k).unwrap_or_else(|| &new[k - self.entries.len()]);
            clips.push(entry.clip.clone());
            videos.push(entry.video.clone());
            audios.push(entry.audio.clone());
        }
        for entry in new {
            if self.entries.len() == self.capacity {
                self.entries.pop_front();
            }
            self.entries.push_back(entry);
        }
        (clips, JointLatents { video: Tensor::cat(videos, 0), audio: Tensor::cat(audios, 0) })
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};

    use super::*;

    /// Latents whose every value is the clip's index, so a batch shows which clips it drew.
    fn tagged(first: usize, n: usize, device: &Device) -> JointLatents {
        let tags = |shape: [usize; 2]| (first..first + n).flat_map(|i| vec![i as f32; shape[0] * shape[1]]).collect::<Vec<_>>();
        JointLatents {
            video: Tensor::from_data(TensorData::new(tags([2, 3]), [n, 2, 1, 1, 3]), device),
            audio: Tensor::from_data(TensorData::new(tags([1, 4]), [n, 1, 4]), device),
        }
    }

    fn clip_tags(latents: &JointLatents) -> Vec<f32> {
        let n = latents.video.dims()[0];
        latents.video.clone().reshape([n, 6]).slice_dim(1, 0..1).into_data().convert::<f32>().try_to_vec::<f32>().expect("floats")
    }

    #[test]
    fn a_batch_leads_with_the_fresh_clips_and_draws_the_rest_from_kept_ones() {
        let device = Device::flex();
        let clips: Vec<Clip> = (0..6).map(|seed| crate::data::clip(seed).expect("renders")).collect();
        let mut pool = LatentPool::new(2, 7);
        let mut drawn = Vec::new();
        for step in 0..3 {
            let fresh = &clips[2 * step..2 * step + 2];
            let (batch, latents) = pool.batch(fresh, tagged(2 * step, 2, &device), 4);
            assert_eq!(batch.len(), 6);
            assert_eq!(latents.video.dims(), [6, 2, 1, 1, 3]);
            assert_eq!(latents.audio.dims(), [6, 1, 4]);
            let tags = clip_tags(&latents);
            assert_eq!(tags[..2], [2.0 * step as f32, 2.0 * step as f32 + 1.0], "the fresh clips come first");
            // Every clip, fresh or drawn again, comes with its own latents and without frames.
            for (clip, tag) in batch.iter().zip(&tags) {
                assert_eq!(clip.captions, clips[*tag as usize].captions);
                assert!(clip.frames.is_empty() && clip.audio.is_empty());
            }
            drawn.push(tags[2..].to_vec());
            assert!(pool.len() <= 2, "the pool keeps at most its capacity");
        }
        // Step 0 can only draw its own fresh clips; by step 2 a pool of 2 has pushed out clips 0
        // and 1, so only clips 2 to 5 can come back.
        assert!(drawn[0].iter().all(|&t| t < 2.0), "{drawn:?}");
        assert!(drawn[2].iter().all(|&t| t >= 2.0), "{drawn:?}");
    }
}
