//! The diffusion transformer and the flow-matching samplers (tiny configuration, random weights).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use burn::tensor::{Bool, Device, Distribution, Tensor, TensorData};
use kino_model::dit::{Conditioning, IdentityTokens, JointLatents, Kino, KinoConfig};
use kino_model::flow::{self, Guided, Sampler, VelocityField, euler_step, guide, heun_step, schedule};
use kino_model::shape::ShapeError;
use kino_model::text::TextStates;

fn max_abs_diff<const D: usize>(a: Tensor<D>, b: Tensor<D>) -> f32 {
    (a - b).abs().max().into_scalar::<f32>()
}

fn latents(config: &KinoConfig, b: usize, device: &Device) -> JointLatents {
    let [c, t, h, w] = config.video_latent;
    let [ac, af] = config.audio_latent;
    JointLatents {
        video: Tensor::random([b, c, t, h, w], Distribution::Normal(0.0, 1.0), device),
        audio: Tensor::random([b, ac, af], Distribution::Normal(0.0, 1.0), device),
    }
}

fn text(config: &KinoConfig, b: usize, tokens: usize, device: &Device) -> TextStates {
    TextStates {
        states: Tensor::random([b, tokens, config.text_width], Distribution::Normal(0.0, 1.0), device),
        mask: Tensor::<2, Bool>::full([b, tokens], true, device),
    }
}

/// A model whose output layers are no longer zero (a fresh one predicts exactly zero).
fn perturbed(config: &KinoConfig, device: &Device) -> Kino {
    let mut model = config.init(device);
    let noise = |w: &burn::nn::Linear| Tensor::<2>::random(w.weight.val().dims(), Distribution::Normal(0.0, 0.1), device);
    model.video_out.weight = burn::module::Param::from_tensor(noise(&model.video_out));
    model.audio_out.weight = burn::module::Param::from_tensor(noise(&model.audio_out));
    for block in &mut model.blocks {
        block.modulation.weight = burn::module::Param::from_tensor(noise(&block.modulation));
    }
    model.modulation_out.weight = burn::module::Param::from_tensor(noise(&model.modulation_out));
    model
}

#[test]
fn presets_have_the_documented_token_counts() {
    let teacher = KinoConfig::teacher_64();
    assert_eq!(teacher.video_grid(), [6, 4, 4]);
    assert_eq!(teacher.video_tokens(), 96);
    assert_eq!(teacher.audio_tokens(), 24);
    assert_eq!(KinoConfig::student_64().video_tokens(), 96);
}

#[test]
fn teacher_preset_fits_the_autoencoders() {
    use kino_model::audio_vae::{AudioVaeConfig, MODEL_RATE};
    use kino_model::video_vae::VideoVaeConfig;
    let teacher = KinoConfig::teacher_64();
    assert_eq!(teacher.video_latent, VideoVaeConfig::vae_64().latent_shape(24, 64, 64));
    let audio = AudioVaeConfig::audio_64();
    let samples = 2 * MODEL_RATE as usize; // 24 frames at 12 fps
    assert_eq!(teacher.audio_latent, [audio.latent_channels, samples / audio.hop()]);
    // Every video frame owns a whole number of audio tokens.
    assert_eq!(teacher.audio_tokens() % (teacher.video_latent[1] * teacher.frames_per_latent), 0);
}

#[test]
fn forward_keeps_the_latent_shapes() {
    let device = Device::flex();
    let config = KinoConfig::tiny();
    let model = perturbed(&config, &device);
    let x = latents(&config, 2, &device);
    let t = Tensor::<1>::from_data(TensorData::new(vec![0.3f32, 0.9], [2]), &device);
    let cond = Conditioning {
        text: Some(text(&config, 2, 5, &device)),
        identity: Some(IdentityTokens { tokens: Tensor::zeros([2, 3, config.identity_width], &device), mask: Tensor::<2, Bool>::full([2, 3], true, &device) }),
    };
    let v = model.forward(&x, t.clone(), &cond).expect("valid shapes");
    assert_eq!(v.video.dims(), x.video.dims());
    assert_eq!(v.audio.dims(), x.audio.dims());
    assert!(v.video.abs().max().into_scalar::<f32>() > 0.0);
    // Unconditional works too, and differs from the conditional prediction.
    let u = model.forward(&x, t, &Conditioning::unconditional()).expect("valid shapes");
    assert_eq!(u.video.dims(), x.video.dims());
}

#[test]
fn the_object_reading_head_reads_every_video_token_and_leaves_the_velocity_as_it_was() {
    let device = Device::flex();
    let without = KinoConfig::tiny();
    let model = perturbed(&without, &device);
    let x = latents(&without, 2, &device);
    let t = Tensor::<1>::from_data(TensorData::new(vec![0.3f32, 0.9], [2]), &device);
    let cond = Conditioning::text(text(&without, 2, 5, &device));
    let (v, reading) = model.forward_reading(&x, t.clone(), &cond).expect("valid shapes");
    assert!(reading.is_none(), "no head configured");
    assert_eq!(max_abs_diff(v.video.clone(), model.forward(&x, t.clone(), &cond).expect("valid shapes").video), 0.0);
    // The same weights with a head: the velocity is unchanged, the head reads each video token.
    let with = KinoConfig { object_reading: 7, ..without.clone() };
    let mut headed = model.clone();
    headed.object_reading = with.init(&device).object_reading;
    let (w, reading) = headed.forward_reading(&x, t, &cond).expect("valid shapes");
    assert_eq!(reading.expect("a head").dims(), [2, with.video_tokens(), 7]);
    assert_eq!(max_abs_diff(v.video, w.video), 0.0);
}

#[test]
fn fresh_model_predicts_zero_velocity() {
    // AdaLN-zero: output layers start at zero.
    let device = Device::flex();
    let config = KinoConfig::tiny();
    let model = config.init(&device);
    let x = latents(&config, 1, &device);
    let v = model.forward(&x, Tensor::full([1], 0.5, &device), &Conditioning::unconditional()).expect("shapes");
    assert_eq!(v.video.abs().max().into_scalar::<f32>(), 0.0);
}

#[test]
fn padding_text_tokens_changes_nothing() {
    let device = Device::flex();
    let config = KinoConfig::tiny();
    let model = perturbed(&config, &device);
    let x = latents(&config, 1, &device);
    let t = Tensor::<1>::full([1], 0.5, &device);
    let short = text(&config, 1, 3, &device);
    let padded = TextStates {
        states: Tensor::cat(vec![short.states.clone(), Tensor::random([1, 2, config.text_width], Distribution::Normal(0.0, 1.0), &device)], 1),
        mask: Tensor::from_data(TensorData::new(vec![true, true, true, false, false], [1, 5]), &device),
    };
    let a = model.forward(&x, t.clone(), &Conditioning::text(short)).expect("shapes");
    let b = model.forward(&x, t, &Conditioning::text(padded)).expect("shapes");
    assert!(max_abs_diff(a.video, b.video) < 1e-5);
}

#[test]
fn wrong_shapes_are_refused() {
    let device = Device::flex();
    let config = KinoConfig::tiny();
    let model = config.init(&device);
    let good = latents(&config, 2, &device);
    let t = Tensor::<1>::full([2], 0.5, &device);
    let cases: Vec<(JointLatents, Tensor<1>, Conditioning, &str)> = vec![
        (JointLatents { video: Tensor::zeros([2, 4, 2, 4, 6], &device), audio: good.audio.clone() }, t.clone(), Conditioning::unconditional(), "video latent"),
        (JointLatents { video: good.video.clone(), audio: Tensor::zeros([2, 4, 30], &device) }, t.clone(), Conditioning::unconditional(), "audio latent"),
        (JointLatents { video: good.video.clone(), audio: Tensor::zeros([1, 4, 32], &device) }, t.clone(), Conditioning::unconditional(), "audio latent"),
        (good.clone(), Tensor::full([3], 0.5, &device), Conditioning::unconditional(), "time"),
        (
            good.clone(),
            t.clone(),
            Conditioning::text(TextStates { states: Tensor::zeros([2, 4, 7], &device), mask: Tensor::full([2, 4], true, &device) }),
            "text states",
        ),
        (
            good.clone(),
            t.clone(),
            Conditioning::text(TextStates { states: Tensor::zeros([2, 4, 16], &device), mask: Tensor::full([2, 5], true, &device) }),
            "text mask",
        ),
    ];
    for (x, t, cond, what) in cases {
        let error: ShapeError = model.forward(&x, t, &cond).expect_err(what);
        assert_eq!(error.what, what, "{error}");
    }
}

/// A field that always answers zero.
struct Still;
impl VelocityField for Still {
    fn velocity(&self, x: &JointLatents, _t: f64) -> Result<JointLatents, ShapeError> {
        Ok(x.clone().lerp(0.0, x, 0.0))
    }
}

/// The exact velocity of the path from `target` (x0) to whatever noise: `(x - target) / t`.
struct Towards(JointLatents);
impl VelocityField for Towards {
    fn velocity(&self, x: &JointLatents, t: f64) -> Result<JointLatents, ShapeError> {
        Ok(x.clone().lerp(1.0 / t, &self.0, -1.0 / t))
    }
}

#[test]
fn a_step_with_zero_velocity_is_the_identity() {
    let device = Device::flex();
    let x = latents(&KinoConfig::tiny(), 2, &device);
    for step in [euler_step, heun_step] {
        let y = step(&Still, x.clone(), 0.8, 0.6).expect("step");
        assert_eq!(max_abs_diff(y.video, x.video.clone()), 0.0);
        assert_eq!(max_abs_diff(y.audio, x.audio.clone()), 0.0);
    }
}

#[test]
fn samplers_follow_a_straight_path_exactly() {
    // On a straight path the velocity is constant, so every sampler lands on x0 from pure noise
    // (the re-noised one predicts x0 exactly at each step).
    let device = Device::flex();
    let config = KinoConfig::tiny();
    let x0 = latents(&config, 1, &device);
    let noise = x0.noise_like();
    for sampler in [Sampler::Euler, Sampler::Heun, Sampler::Ancestral, Sampler::Ddpm] {
        let mut steps = 0;
        let out = flow::sample(&Towards(x0.clone()), noise.clone(), &schedule(4, 1.0, 3.0), sampler, 1, |_| steps += 1).expect("sample");
        assert_eq!(steps, 4);
        assert!(max_abs_diff(out.video, x0.video.clone()) < 1e-4, "{sampler:?}");
    }
}

#[test]
fn guidance_at_scale_one_is_the_conditional_prediction() {
    let device = Device::flex();
    let config = KinoConfig::tiny();
    let model = perturbed(&config, &device);
    let x = latents(&config, 1, &device);
    let cond = Conditioning::text(text(&config, 1, 4, &device));
    let t = Tensor::<1>::full([1], 0.7, &device);
    let conditional = model.forward(&x, t.clone(), &cond).expect("shapes");
    let unconditional = model.forward(&x, t, &Conditioning::unconditional()).expect("shapes");
    assert!(max_abs_diff(conditional.video.clone(), unconditional.video.clone()) > 1e-6, "the prompt must matter");
    let guided = guide(conditional.clone(), unconditional.clone(), 1.0);
    assert!(max_abs_diff(guided.video, conditional.video.clone()) < 1e-6);
    let field = Guided { model: &model, cond, scale: 1.0 };
    let v = field.velocity(&x, 0.7).expect("shapes");
    assert!(max_abs_diff(v.video, conditional.video.clone()) < 1e-6);
    // Scale 0 is the unconditional prediction.
    let zero = guide(conditional, unconditional.clone(), 0.0);
    assert!(max_abs_diff(zero.video, unconditional.video) < 1e-6);
}

#[test]
fn flow_loss_is_finite_and_positive() {
    let device = Device::flex();
    let config = KinoConfig::tiny();
    let model = config.init(&device);
    let x0 = latents(&config, 2, &device);
    let noise = x0.noise_like();
    let loss = flow::flow_loss(&model, &x0, &noise, flow::sample_times(2, 0.0, &device), &Conditioning::unconditional(), 1.0, None).expect("shapes");
    let (total, video, audio) = (loss.loss.into_scalar::<f32>(), loss.video.into_scalar::<f32>(), loss.audio.into_scalar::<f32>());
    // A fresh model predicts zero, so each term is the mean square of e - x0: about 2.
    assert!(video > 1.0 && video < 3.0, "{video}");
    assert!(audio > 1.0 && audio < 3.0, "{audio}");
    assert!((total - video - audio).abs() < 1e-5);
}

#[test]
fn moving_weights_favour_the_cells_that_change_and_average_one() {
    let device = Device::flex();
    // A still clip [1, 2, 3, 2, 2] with one cell (row 0, column 1) that changes over time.
    let mut values = vec![0.5f32; 2 * 3 * 2 * 2];
    for (frame, value) in [(0, -1.0), (1, 0.0), (2, 2.0)] {
        values[frame * 4 + 1] = value; // channel 0, frame `frame`, cell (0, 1)
    }
    let video = Tensor::<5>::from_data(TensorData::new(values, [1, 2, 3, 2, 2]), &device);
    let weights = flow::moving_weights(&video, 4.0);
    assert_eq!(weights.dims(), [1, 1, 3, 2, 2]);
    let w = weights.clone().into_data().try_to_vec::<f32>().expect("f32");
    assert!((w.iter().sum::<f32>() / w.len() as f32 - 1.0).abs() < 1e-4, "{w:?}");
    assert!(w[1] > 2.0 && w[0] < 0.5, "{w:?}");
    // Strength 0 weighs every cell alike.
    let alike = flow::moving_weights(&video, 0.0).into_data().try_to_vec::<f32>().expect("f32");
    assert!(alike.iter().all(|w| (w - 1.0).abs() < 1e-5), "{alike:?}");
}

#[test]
fn marked_weights_lean_toward_the_marked_cells_and_average_one_per_clip() {
    let device = Device::flex();
    // Two clips of [1, 1, 2, 2]: the first marks one cell of four, the second none.
    let mask = Tensor::<5>::from_data(TensorData::new(vec![0.0f32, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [2, 1, 1, 2, 2]), &device);
    let w = flow::marked_weights(mask, 9.0).into_data().try_to_vec::<f32>().expect("f32");
    // 1 + 9 on the marked cell against 1: 10 / 13 * 4 and 1 / 13 * 4.
    assert!((w[1] - 40.0 / 13.0).abs() < 1e-4 && (w[0] - 4.0 / 13.0).abs() < 1e-4, "{w:?}");
    assert!((w[..4].iter().sum::<f32>() - 4.0).abs() < 1e-4, "{w:?}");
    // A clip with nothing marked weighs its cells alike.
    assert!(w[4..].iter().all(|w| (w - 1.0).abs() < 1e-4), "{w:?}");
}

#[test]
fn the_pooled_prompt_steers_every_block_and_a_dropped_prompt_adds_nothing() {
    let device = Device::flex();
    let config = KinoConfig::tiny();
    assert!(config.pooled_text);
    let mut model = perturbed(&config, &device);
    // The same model without the pooled path: any difference comes from that path alone.
    let mut without = model.clone();
    let pool = model.text_pool.as_mut().expect("the tiny config pools the prompt");
    pool.weight = burn::module::Param::from_tensor(Tensor::random(pool.weight.val().dims(), Distribution::Normal(0.0, 0.5), &device));
    without.text_pool = None;
    let x = latents(&config, 1, &device);
    let t = Tensor::<1>::full([1], 0.5, &device);
    let prompt = text(&config, 1, 3, &device);
    let with_path = model.forward(&x, t.clone(), &Conditioning::text(prompt.clone())).expect("shapes");
    let without_path = without.forward(&x, t.clone(), &Conditioning::text(prompt.clone())).expect("shapes");
    assert!(max_abs_diff(with_path.video, without_path.video) > 1e-4, "the pooled prompt must change the velocity");
    // A dropped prompt (every token hidden) is the unconditional branch, pooled path included.
    let dropped = TextStates { states: prompt.states, mask: Tensor::<2, Bool>::full([1, 3], false, &device) };
    let a = model.forward(&x, t.clone(), &Conditioning::text(dropped)).expect("shapes");
    let b = model.forward(&x, t, &Conditioning::unconditional()).expect("shapes");
    assert!(max_abs_diff(a.video, b.video) < 1e-5);
}

#[test]
fn weights_from_before_the_pooled_prompt_load_into_a_model_that_has_it() {
    let device = Device::flex();
    let old_config = KinoConfig { pooled_text: false, ..KinoConfig::tiny() };
    let old = perturbed(&old_config, &device);
    let dir = std::env::temp_dir().join(format!("kino-dit-growing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("generator.safetensors");
    kino_model::weights::save_f16(&old, &path).expect("saves");
    assert!(kino_model::weights::load(KinoConfig::tiny().init(&device), &path).is_err(), "a strict load names what is missing");
    let (grown, fresh) = kino_model::weights::load_growing(KinoConfig::tiny().init(&device), &path).expect("loads");
    assert_eq!(fresh, vec!["text_pool.weight".to_string()]);
    // The new path starts at zero, so the grown model predicts what the old one did.
    let x = latents(&old_config, 1, &device);
    let t = Tensor::<1>::full([1], 0.5, &device);
    let cond = Conditioning::text(text(&old_config, 1, 3, &device));
    let (a, b) = (old.forward(&x, t.clone(), &cond).expect("shapes"), grown.forward(&x, t, &cond).expect("shapes"));
    assert!(max_abs_diff(a.video, b.video) < 0.05, "only half precision may differ");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn training_times_centre_where_they_are_asked_to() {
    let device = Device::flex();
    let logit_mean = |mean: f64| {
        let t = flow::sample_times(8192, mean, &device).into_data().try_to_vec::<f32>().expect("f32");
        assert!(t.iter().all(|&x| x > 0.0 && x < 1.0), "times stay inside (0, 1)");
        t.iter().map(|&x| f64::from(x / (1.0 - x)).ln()).sum::<f64>() / t.len() as f64
    };
    assert!(logit_mean(0.0).abs() < 0.05, "{}", logit_mean(0.0));
    // A positive centre spends more of training near the noise end.
    assert!((logit_mean(1.0) - 1.0).abs() < 0.05, "{}", logit_mean(1.0));
}
