//! `kino-train vae`: the video autoencoder, on the detail-weighted squared (or, with `--error
//! absolute`, absolute) error + a small KL term. Held-out metrics: PSNR of
//! the reconstruction from the posterior mean (8-bit scale), over whole frames and inside the
//! labelled objects' boxes (`object_psnr_db`), and a contact sheet
//! (`recon-STEP.png`: originals on the odd rows, reconstructions on the even ones).
//!
//! `--object-weight W` weighs the squared error `1 + W` times inside the world's labelled
//! object boxes: a 4-pixel ball covers 0.4% of a frame, and an autoencoder trained on the
//! plain (detail-weighted) error turns it into a dark smudge that no generator over its
//! latents can sharpen (`kino-train eval`'s "autoencoded" column).

use std::path::Path;

use burn::tensor::{Device, Tensor, TensorData};
use kino_model::video_vae::{ErrorNorm, VideoVae, VideoVaeConfig};
use kino_world::Clip;

use crate::data::{frames_of, video_tensor};
use crate::train_loop::Task;

pub struct VaeTask {
    pub config: VideoVaeConfig,
    /// Train the decoder only (see [`VideoVae::forward_frozen_encoder`]).
    pub freeze_encoder: bool,
    /// Extra weight of the error inside labelled objects (see [`object_emphasis`]).
    pub object_weight: f64,
    /// How the per-pixel error is taken.
    pub error: ErrorNorm,
}

/// Per clip, frame and pixel: `1 + weight` inside a visible labelled object's box, grown by a
/// pixel for edges and outlines, and 1 elsewhere; `[clips, 1, frames, height, width]`.
pub fn object_emphasis(clips: &[Clip], weight: f64, device: &Device) -> Tensor<5> {
    let first = clips.first().and_then(|c| c.frames.first());
    let (t, h, w) = (clips.first().map_or(0, |c| c.frames.len()), first.map_or(0, |f| f.height as usize), first.map_or(0, |f| f.width as usize));
    let mut data = vec![1.0f32; clips.len() * t * h * w];
    for (c, clip) in clips.iter().enumerate() {
        for (f, label) in clip.labels.frames.iter().take(t).enumerate() {
            let plane = &mut data[(c * t + f) * h * w..(c * t + f + 1) * h * w];
            for b in label.objects.iter().filter(|b| b.visible) {
                let (x0, y0) = ((b.bbox[0] - 1.0).floor().max(0.0) as usize, (b.bbox[1] - 1.0).floor().max(0.0) as usize);
                let (x1, y1) = (((b.bbox[2] + 1.0).ceil().max(0.0) as usize).min(w), ((b.bbox[3] + 1.0).ceil().max(0.0) as usize).min(h));
                for y in y0..y1 {
                    plane[y * w + x0.min(x1)..y * w + x1].fill(1.0 + weight as f32);
                }
            }
        }
    }
    Tensor::from_data(TensorData::new(data, [clips.len(), 1, t, h, w]), device)
}

/// PSNR in dB of `mse` measured on `[-1, 1]` values (peak-to-peak 2).
pub fn psnr(mse: f64) -> f64 {
    10.0 * (4.0 / mse.max(1e-12)).log10()
}

impl Task for VaeTask {
    type Config = VideoVaeConfig;
    type Model = VideoVae;
    const NAME: &'static str = "vae";
    const RELEASE_FILE: &'static str = kino_model::pipeline::VIDEO_VAE_FILE;

    fn config(&self) -> &VideoVaeConfig {
        &self.config
    }

    fn init(&self, device: &Device) -> VideoVae {
        self.config.init(device)
    }

    fn loss(&self, model: &VideoVae, clips: &[Clip], device: &Device) -> anyhow::Result<(Tensor<1>, Vec<(&'static str, f64)>)> {
        let video = video_tensor(clips, device);
        let emphasis = (self.object_weight > 0.0).then(|| object_emphasis(clips, self.object_weight, device));
        let out = model.forward_weighted(video, emphasis, self.freeze_encoder, self.error)?;
        let mse = f64::from(out.mse.into_scalar::<f32>());
        Ok((out.loss, vec![("psnr", psnr(mse))]))
    }

    fn evaluate(&self, model: &VideoVae, clips: &[Clip], device: &Device, out: &Path, step: usize) -> anyhow::Result<Vec<(String, f64)>> {
        let mut total = 0.0;
        // Squared error and pixels inside the labelled objects.
        let (mut object_error, mut object_pixels) = (0.0, 0.0);
        let mut sheet = Vec::new();
        for (i, clip) in clips.iter().enumerate() {
            let video = video_tensor(std::slice::from_ref(clip), device);
            let recon = model.decode(model.encode(video.clone())?.mean)?.clamp(-1.0, 1.0);
            let error = (recon.clone() - video).powi_scalar(2);
            total += f64::from(error.clone().mean().into_scalar::<f32>());
            let inside = object_emphasis(std::slice::from_ref(clip), 1.0, device).sub_scalar(1.0); // 1 inside, 0 outside
            object_error += f64::from((error.mean_dim(1) * inside.clone()).sum().into_scalar::<f32>());
            object_pixels += f64::from(inside.sum().into_scalar::<f32>());
            if i < 4 {
                sheet.extend(clip.frames.iter().step_by(2).cloned());
                sheet.extend(frames_of(&recon, 0)?.into_iter().step_by(2));
            }
        }
        let path = out.join(format!("recon-{step:06}.png"));
        let image = kino_world::output::contact_sheet(&sheet, 12);
        std::fs::write(&path, kino_world::output::png_bytes(&image, &path)?)?;
        let mut metrics = vec![("psnr_db".into(), psnr(total / clips.len() as f64))];
        if object_pixels > 0.0 {
            metrics.push(("object_psnr_db".into(), psnr(object_error / object_pixels)));
        }
        Ok(metrics)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    /// The emphasis covers every visible labelled box (and a pixel around it) and nothing
    /// far from all of them.
    #[test]
    fn object_emphasis_marks_the_labelled_boxes() {
        let clips: Vec<_> = (0..3).map(|seed| crate::data::clip(seed).expect("renders")).collect();
        let device = burn::tensor::Device::flex();
        let emphasis = super::object_emphasis(&clips, 9.0, &device);
        let [n, one, t, h, w] = emphasis.dims();
        assert_eq!((n, one, t), (3, 1, clips[0].frames.len()));
        let values = emphasis.into_data().try_to_vec::<f32>().expect("f32");
        let mut boxed = 0;
        for (c, clip) in clips.iter().enumerate() {
            for (f, label) in clip.labels.frames.iter().enumerate() {
                let at = |x: usize, y: usize| values[((c * t + f) * h + y) * w + x];
                let visible: Vec<_> = label.objects.iter().filter(|b| b.visible).collect();
                for b in &visible {
                    let (cx, cy) = (((b.bbox[0] + b.bbox[2]) / 2.0) as usize, ((b.bbox[1] + b.bbox[3]) / 2.0) as usize);
                    if cx < w && cy < h {
                        assert_eq!(at(cx, cy), 10.0, "clip {c} frame {f}: the centre of {:?}", b.bbox);
                        boxed += 1;
                    }
                }
                for (x, y) in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (w / 2, h / 2)] {
                    let far = visible
                        .iter()
                        .all(|b| (x as f32) < b.bbox[0] - 2.0 || (x as f32) > b.bbox[2] + 2.0 || (y as f32) < b.bbox[1] - 2.0 || (y as f32) > b.bbox[3] + 2.0);
                    if far {
                        assert_eq!(at(x, y), 1.0, "clip {c} frame {f}: ({x}, {y}) is far from every box");
                    }
                }
            }
        }
        assert!(boxed > 0, "no visible object in the test clips");
    }

    #[test]
    fn psnr_of_known_errors() {
        // An error of 1/255 of the 8-bit range everywhere: 48.1 dB.
        let step = 2.0 / 255.0;
        assert!((super::psnr(step * step) - 48.13).abs() < 0.01);
        assert!((super::psnr(4.0) - 0.0).abs() < 1e-9);
    }
}

#[cfg(test)]
mod gradient_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use burn::tensor::{Device, Distribution, Tensor};
    use kino_model::layers::{space_to_channels, upsample_nearest};
    use kino_model::video_vae::block_means;

    /// The reshapes and broadcasts the autoencoder is built from pass gradients correctly:
    /// d/dx sum(upsample(x) * r) is the sum of r over each block.
    #[test]
    fn upsampling_passes_gradients() {
        let device = Device::flex().autodiff();
        let x = Tensor::<5>::random([1, 2, 2, 2, 2], Distribution::Normal(0.0, 1.0), &device).require_grad();
        let r = Tensor::<5>::random([1, 2, 4, 8, 8], Distribution::Normal(0.0, 1.0), &device);
        let grads = (upsample_nearest(x.clone(), 2, 4) * r.clone()).sum().backward();
        let got = x.grad(&grads).unwrap();
        let expected = block_sums(r);
        let diff = (got - expected).abs().max().into_scalar::<f32>();
        assert!(diff < 1e-4, "{diff}");
    }

    fn block_sums(r: Tensor<5>) -> Tensor<5> {
        let r = r.reshape([2, 2, 2, 2, 4, 2, 4]).sum_dim(6).sum_dim(4).sum_dim(2); // [c, t, 1, h, 1, w, 1]
        r.reshape([1, 2, 2, 2, 2])
    }

    /// With the encoder frozen, a training step leaves the latents of a clip exactly as they
    /// were (a generator trained on them stays valid) and changes what the decoder draws.
    #[test]
    fn a_frozen_encoder_stays_while_the_decoder_learns() {
        use burn::optim::{AdamWConfig, GradientsParams};
        use kino_model::video_vae::VideoVaeConfig;
        let device = Device::flex().autodiff();
        let vae = VideoVaeConfig::tiny().init(&device);
        let video = Tensor::<5>::random([1, 3, 8, 16, 16], Distribution::Uniform(-1.0, 1.0), &device);
        let latents = vae.encode(video.clone()).unwrap().mean;
        let drawn = vae.decode(latents.clone()).unwrap();
        let loss = vae.forward_frozen_encoder(video.clone()).unwrap().loss;
        let grads = GradientsParams::from_grads(loss.backward(), &vae);
        let vae = AdamWConfig::new().with_weight_decay(0.0).init().step(1e-2, vae, grads);
        let moved = (vae.encode(video).unwrap().mean - latents.clone()).abs().max().into_scalar::<f32>();
        assert_eq!(moved, 0.0, "the encoder changed");
        let redrawn = (vae.decode(latents).unwrap() - drawn).abs().max().into_scalar::<f32>();
        assert!(redrawn > 1e-4, "the decoder did not learn: {redrawn}");
    }

    #[test]
    fn block_means_and_folding_pass_gradients() {
        let device = Device::flex().autodiff();
        let x = Tensor::<5>::random([1, 3, 4, 8, 8], Distribution::Normal(0.0, 1.0), &device).require_grad();
        let grads = block_means(x.clone()).sum().backward();
        let got = x.grad(&grads).unwrap();
        let diff = got.sub_scalar(1.0 / 256.0).abs().max().into_scalar::<f32>();
        assert!(diff < 1e-6, "{diff}");
        let grads = (space_to_channels(x.clone(), 4).powi_scalar(2)).sum().backward();
        let got = x.grad(&grads).unwrap();
        let diff = (got - x.clone().mul_scalar(2.0)).abs().max().into_scalar::<f32>();
        assert!(diff < 1e-5, "{diff}");
    }
}
