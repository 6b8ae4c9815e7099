//! Shape contracts and causality of the video and audio autoencoders (tiny configurations,
//! random weights).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use burn::tensor::{Device, Distribution, Tensor};
use kino_model::audio_vae::{AudioVaeConfig, from_model_rate, to_model_rate};
use kino_model::layers::{channels_to_space, space_to_channels, upsample_nearest};
use kino_model::video_vae::{ErrorNorm, SPACE_COMPRESSION, TIME_COMPRESSION, VideoVaeConfig, block_means};

fn max_abs_diff<const D: usize>(a: Tensor<D>, b: Tensor<D>) -> f32 {
    (a - b).abs().max().into_scalar::<f32>()
}

#[test]
fn video_vae_shapes() {
    let device = Device::flex();
    let vae = VideoVaeConfig::tiny().init(&device);
    let video = Tensor::<5>::random([2, 3, 8, 16, 16], Distribution::Uniform(-1.0, 1.0), &device);
    let posterior = vae.encode(video.clone()).expect("valid shape");
    assert_eq!(posterior.mean.dims(), [2, 4, 2, 2, 2]);
    assert_eq!(posterior.log_var.dims(), [2, 4, 2, 2, 2]);
    assert_eq!(VideoVaeConfig::vae_64().latent_shape(24, 64, 64), [16, 6, 8, 8]);
    let decoded = vae.decode(posterior.mean).expect("valid latent");
    assert_eq!(decoded.dims(), [2, 3, 8, 16, 16]);
    let out = vae.forward(video).expect("valid shape");
    assert_eq!(out.reconstruction.dims(), [2, 3, 8, 16, 16]);
    assert!(out.loss.into_scalar::<f32>().is_finite());
}

/// The emphasis weighs the squared error pixel by pixel: zero everywhere leaves only the KL
/// term of the loss, and one of the wrong shape is refused.
#[test]
fn video_vae_error_emphasis() {
    let device = Device::flex();
    let vae = VideoVaeConfig::tiny().init(&device);
    let video = Tensor::<5>::random([2, 3, 8, 16, 16], Distribution::Uniform(-1.0, 1.0), &device);
    let out = vae.forward_weighted(video.clone(), Some(Tensor::zeros([2, 1, 8, 16, 16], &device)), false, ErrorNorm::Absolute).expect("valid shapes");
    let kl_only = out.kl.mul_scalar(vae.kl_weight).into_scalar::<f32>();
    assert!((out.loss.into_scalar::<f32>() - kl_only).abs() <= 1e-6 * kl_only.abs().max(1.0));
    assert!(out.mse.into_scalar::<f32>() > 0.01, "the plain error is still reported");
    let error = vae.forward_weighted(video, Some(Tensor::ones([2, 3, 8, 16, 16], &device)), true, ErrorNorm::Squared).expect_err("three channels");
    assert_eq!(error.found, vec![2, 3, 8, 16, 16]);
}

/// The absolute error is the detail-weighted mean of |reconstruction - video|, beside the
/// same KL term; the reported mean squared error does not change with the norm.
#[test]
fn video_vae_absolute_error() {
    let device = Device::flex();
    let vae = VideoVaeConfig::tiny().init(&device);
    let video = Tensor::<5>::random([2, 3, 8, 16, 16], Distribution::Uniform(-1.0, 1.0), &device);
    let out = vae.forward_weighted(video.clone(), None, true, ErrorNorm::Absolute).expect("valid shape");
    let detail = (video.clone() - upsample_nearest(block_means(video.clone()), TIME_COMPRESSION, SPACE_COMPRESSION)).abs();
    let expected = ((out.reconstruction.clone() - video.clone()).abs() * detail.mul_scalar(vae.detail_weight).add_scalar(1.0)).mean();
    let expected = expected.into_scalar::<f32>() + out.kl.clone().mul_scalar(vae.kl_weight).into_scalar::<f32>();
    let got = out.loss.into_scalar::<f32>();
    assert!((got - expected).abs() <= 1e-4 * expected.abs(), "{got} against {expected}");
    let mse = (out.reconstruction - video).powi_scalar(2).mean().into_scalar::<f32>();
    assert!((out.mse.into_scalar::<f32>() - mse).abs() <= 1e-6);
}

#[test]
fn video_vae_refuses_wrong_shapes() {
    let device = Device::flex();
    let vae = VideoVaeConfig::tiny().init(&device);
    for shape in [[1, 3, 7, 16, 16], [1, 4, 8, 16, 16], [1, 3, 8, 12, 16], [1, 3, 8, 16, 20]] {
        let error = vae.encode(Tensor::zeros(shape, &device)).expect_err("wrong shape");
        assert_eq!(error.found, shape.to_vec(), "{error}");
        assert!(error.to_string().contains("video"), "{error}");
    }
    let error = vae.decode(Tensor::zeros([1, 5, 2, 2, 2], &device)).expect_err("wrong latent channels");
    assert!(error.to_string().contains("video latent"), "{error}");
}

#[test]
fn video_vae_is_causal_in_time() {
    let device = Device::flex();
    let vae = VideoVaeConfig::tiny().init(&device);
    let video = Tensor::<5>::random([1, 3, 8, 16, 16], Distribution::Uniform(-1.0, 1.0), &device);
    // Change frames 4..8 only: latent frame 0 (frames 0..4) must not move, latent frame 1 must.
    let later = Tensor::<5>::random([1, 3, 4, 16, 16], Distribution::Uniform(-1.0, 1.0), &device);
    let changed = Tensor::cat(vec![video.clone().narrow(2, 0, 4), later], 2);
    let a = vae.encode(video).expect("shape").mean;
    let b = vae.encode(changed).expect("shape").mean;
    assert!(max_abs_diff(a.clone().narrow(2, 0, 1), b.clone().narrow(2, 0, 1)) < 1e-6);
    assert!(max_abs_diff(a.narrow(2, 1, 1), b.narrow(2, 1, 1)) > 1e-4);
    // And the decoder: latent frame 1 does not reach output frames 0..4.
    let z = Tensor::<5>::random([1, 4, 2, 2, 2], Distribution::Normal(0.0, 1.0), &device);
    let z2 = Tensor::cat(vec![z.clone().narrow(2, 0, 1), Tensor::random([1, 4, 1, 2, 2], Distribution::Normal(0.0, 1.0), &device)], 2);
    let x = vae.decode(z).expect("shape");
    let x2 = vae.decode(z2).expect("shape");
    assert!(max_abs_diff(x.clone().narrow(2, 0, 4), x2.clone().narrow(2, 0, 4)) < 1e-6);
    assert!(max_abs_diff(x.narrow(2, 4, 4), x2.narrow(2, 4, 4)) > 1e-5);
}

#[test]
fn pixel_folding_round_trips() {
    let device = Device::flex();
    let x = Tensor::<5>::random([2, 3, 2, 8, 8], Distribution::Normal(0.0, 1.0), &device);
    let folded = space_to_channels(x.clone(), 4);
    assert_eq!(folded.dims(), [2, 48, 2, 2, 2]);
    assert_eq!(max_abs_diff(channels_to_space(folded, 4), x), 0.0);
}

#[test]
fn audio_vae_shapes() {
    let device = Device::flex();
    let config = AudioVaeConfig::tiny();
    assert_eq!(config.hop(), 320);
    assert_eq!(AudioVaeConfig::audio_64().hop(), 320);
    let vae = config.init(&device);
    let waves = vec![vec![0.1f32; 1280], (0..1280).map(|i| (i as f32 * 0.3).sin()).collect()];
    let spectrogram = vae.spectrogram(&waves, &device).expect("whole hops");
    assert_eq!(spectrogram.dims(), [2, 257, 4]);
    let posterior = vae.encode(spectrogram.clone()).expect("valid shape");
    assert_eq!(posterior.mean.dims(), [2, 4, 4]);
    let decoded = vae.decode(posterior.mean).expect("valid latent");
    assert_eq!(decoded.dims(), [2, 257, 4]);
    assert!(vae.forward(spectrogram).expect("valid").loss.into_scalar::<f32>().is_finite());
    let back = vae.waveforms(decoded, 2);
    assert_eq!((back.len(), back[0].len()), (2, 1280));
}

#[test]
fn audio_vae_refuses_wrong_shapes() {
    let device = Device::flex();
    let vae = AudioVaeConfig::tiny().init(&device);
    for shape in [[1, 256, 4], [1, 1, 1280], [0, 257, 4]] {
        let error = vae.encode(Tensor::zeros(shape, &device)).expect_err("wrong shape");
        assert_eq!(error.found, shape.to_vec());
    }
    assert!(vae.decode(Tensor::zeros([1, 3, 4], &device)).is_err());
    assert!(vae.spectrogram(&[vec![0.0; 1000]], &device).is_err(), "not a whole number of hops");
    assert!(vae.spectrogram(&[vec![0.0; 320], vec![0.0; 640]], &device).is_err(), "uneven lengths");
    assert!(vae.spectrogram(&[], &device).is_err());
}

#[test]
fn audio_latents_align_with_video_latents() {
    // 2 s of world audio (16 kHz) at the model rate: 6 video latent frames x 16 audio latent frames.
    let world = vec![0.0f32; 32_000];
    let model = to_model_rate(&world);
    assert_eq!(model.len(), 30_720);
    assert_eq!(model.len() / AudioVaeConfig::audio_64().hop(), 6 * 16);
    assert_eq!(from_model_rate(&model).len(), 32_000);
}

#[test]
fn resampling_keeps_a_tone() {
    let tone: Vec<f32> = (0..32_000).map(|i| (i as f32 * 440.0 * std::f32::consts::TAU / 16_000.0).sin() * 0.5).collect();
    let back = from_model_rate(&to_model_rate(&tone));
    let err = tone.iter().zip(&back).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
    assert!(err < 0.02, "round trip error {err}");
}
