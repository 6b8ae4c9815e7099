//! MiniLM against the reference in shared/WEIGHTS.md (computed once in numpy from the same
//! safetensors). Needs `cargo xtask fetch-models`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use burn::tensor::Device;
use kino_model::text::{LoadError, TextEncoder};

fn encoder() -> TextEncoder {
    match TextEncoder::load(&TextEncoder::default_dir(), &Device::flex()) {
        Ok(encoder) => encoder,
        Err(error) => panic!("cannot load MiniLM ({error}); run `cargo xtask fetch-models` first"),
    }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn minilm_reference_embedding() {
    let encoder = encoder();
    let embedding = encoder.embed(&["This is an example sentence"]).expect("encodes");
    assert_eq!(embedding.dims(), [1, 384]);
    let values = embedding.into_data().try_to_vec::<f32>().expect("f32");
    let reference = [0.0677, 0.0635, 0.0487, 0.0793, 0.0374, 0.0027];
    eprintln!("first six: {:?}", &values[..6]);
    for (i, (ours, theirs)) in values.iter().zip(reference).enumerate() {
        assert!((ours - theirs).abs() < 1e-3, "value {i}: ours {ours}, reference {theirs}");
    }
    let norm: f32 = values.iter().map(|v| v * v).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "L2 norm {norm}");

    // Batched with a longer prompt (so this one is padded), the embedding must not change.
    let batch = encoder.embed(&["This is an example sentence", "a red rubber ball bounces twice on a wooden floor"]).expect("encodes");
    let padded = batch.into_data().try_to_vec::<f32>().expect("f32");
    let drift = values.iter().zip(&padded[..384]).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
    assert!(drift < 1e-5, "padding changed the embedding by {drift}");
}

#[test]
fn minilm_paraphrases_are_closer_than_other_scenes() {
    let encoder = encoder();
    let e = encoder.embed(&["a red ball bounces on the floor", "a red sphere bounces on the ground", "a duck floats on the water"]).expect("encodes");
    let v = e.into_data().try_to_vec::<f32>().expect("f32");
    let (ball, sphere, duck) = (&v[..384], &v[384..768], &v[768..]);
    let near = cosine(ball, sphere);
    let far = cosine(ball, duck);
    eprintln!("ball~sphere {near:.3}, ball~duck {far:.3}");
    assert!(near > far + 0.1, "ball~sphere {near}, ball~duck {far}");
}

#[test]
fn minilm_token_states_and_mask() {
    let encoder = encoder();
    let text = encoder.encode(&["a ball", "three cubes fall onto a wooden floor"]).expect("encodes");
    let [b, t, d] = text.states.dims();
    assert_eq!((b, d), (2, 384));
    assert_eq!(text.mask.dims(), [b, t]);
    let mask = text.mask.into_data().try_to_vec::<bool>().expect("bool");
    // [CLS] a ball [SEP] = 4 real tokens, the rest padding.
    assert_eq!(mask[..t].iter().filter(|m| **m).count(), 4);
    assert!(mask[t..].iter().all(|m| *m));
}

#[test]
fn missing_weights_say_how_to_fetch_them() {
    let error = TextEncoder::load(std::path::Path::new("/nonexistent/minilm"), &Device::flex()).expect_err("no files there");
    assert!(matches!(error, LoadError::Missing { .. }), "{error:?}");
    assert!(error.to_string().contains("cargo xtask fetch-models"), "{error}");
}

/// The teacher reads colours only through the token states of the colour words: they must
/// differ between colours far more than the rest of the sentence does.
#[test]
fn minilm_colour_words_get_their_own_token_states() {
    let encoder = encoder();
    let colours = ["red", "blue", "green", "yellow", "purple"];
    let prompts: Vec<String> = colours.iter().map(|c| format!("a {c} rubber ball bounces twice on a wooden floor")).collect();
    let text = encoder.encode(&prompts.iter().map(String::as_str).collect::<Vec<_>>()).expect("encodes");
    let [b, t, d] = text.states.dims();
    let states = text.states.into_data().try_to_vec::<f32>().expect("f32");
    let token = |i: usize, k: usize| &states[(i * t + k) * d..(i * t + k + 1) * d];
    let unit_cosine = |a: &[f32], b: &[f32]| cosine(a, b) / (cosine(a, a).sqrt() * cosine(b, b).sqrt());
    // Token 0 is [CLS], 1 "a", 2 the colour.
    let (mut colour, mut rest, mut pairs) = (0.0, 0.0, 0.0);
    for i in 0..b {
        for j in i + 1..b {
            colour += unit_cosine(token(i, 2), token(j, 2));
            rest += (3..t - 1).map(|k| unit_cosine(token(i, k), token(j, k))).sum::<f32>() / (t - 4) as f32;
            pairs += 1.0;
        }
    }
    let (colour, rest) = (colour / pairs, rest / pairs);
    let e = encoder.embed(&prompts.iter().map(String::as_str).collect::<Vec<_>>()).expect("encodes").into_data().try_to_vec::<f32>().expect("f32");
    let sentence = (1..b).map(|j| cosine(&e[..d], &e[j * d..(j + 1) * d])).sum::<f32>() / (b - 1) as f32;
    eprintln!("colour tokens across colours: cosine {colour:.3}; other tokens {rest:.3}; sentence embeddings {sentence:.3}");
    assert!(colour < rest - 0.1, "colour tokens {colour}, other tokens {rest}");
}
