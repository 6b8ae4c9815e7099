//! What the browser downloads to preview a model in the page: the manifest names kino-2's
//! config and weight files with their SHA-256, and each file comes with that hash as its ETag;
//! keeping a preview makes the same take on the server.

use kino_core::api::{PreviewManifest, Video};
use kino_model::pipeline::{ClipLatents, Pipeline, Request};
use serde_json::json;

use crate::helpers::{TestApp, expect_error, spawn_app_with};
use crate::posts::finished;

fn repository_models() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

/// A server offering kino-2 and kino-1 from the repository's weights.
async fn kino_2_app() -> TestApp {
    spawn_app_with(|settings| {
        settings.generation.models = vec!["kino-2".into(), "kino-1".into()];
        settings.generation.models_dir = repository_models();
        settings.generation.workers = 1;
        settings.accounts.invite_only = false;
    })
    .await
}

#[tokio::test]
async fn the_preview_manifest_names_files_whose_bytes_match_their_hashes() {
    let app = kino_2_app().await;
    // No account needed: the weights are as public as the model list.
    let response = app.get("/api/v1/models/kino-2/preview").await;
    assert_eq!(response.status().as_u16(), 200);
    let manifest: PreviewManifest = response.json().await.unwrap();
    assert_eq!(manifest.model, "kino-2");
    let on_disk = std::fs::read_to_string(repository_models().join("kino-2/config.json")).unwrap();
    assert_eq!(manifest.config, on_disk);
    let names: Vec<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["generator.safetensors", "audio_vae.safetensors", "reader.safetensors"]);
    assert!((1..=8).contains(&manifest.steps));

    let reader = &manifest.files[2];
    let response = app.get(&reader.url).await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", reader.sha256));
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, reader.size);
    assert_eq!(kino_server::generation::hex_sha256(&bytes), reader.sha256);
    // A browser that has the file revalidates and downloads nothing.
    let again = app.client.get(app.url(&reader.url)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn only_a_preview_s_own_files_of_an_offered_pixel_model_are_served() {
    let app = kino_2_app().await;
    let cases = [
        ("/api/v1/models/kino-1/preview", "no_preview"),
        ("/api/v1/models/kino-9/preview", "unknown_model"),
        ("/api/v1/models/kino-2-pro/preview", "unknown_model"),
        ("/api/v1/models/kino-2/files/upscaler.safetensors", "unknown_file"),
        ("/api/v1/models/kino-2/files/config.json", "unknown_file"),
        ("/api/v1/models/kino-2/files/..%2F..%2FCargo.toml", "unknown_file"),
        ("/api/v1/models/kino-1/files/generator.safetensors", "unknown_file"),
    ];
    for (path, code) in cases {
        let error = expect_error(app.get(path).await, 404).await;
        assert_eq!(error.error.code, code, "{path}");
    }
}

#[tokio::test]
async fn a_kept_preview_is_made_from_its_slots_seed_and_steps() {
    let app = kino_2_app().await;
    app.sign_up(&app.client, "ada", None).await;
    let prompt = "a red rubber ball bounces twice on a wooden floor";
    let understood: Video = {
        // What the studio's preview was made from: the reader's slots for the prompt.
        let answer = app.post("/api/v1/understand", &json!({ "prompt": prompt, "model": "kino-2" })).await.text().await.unwrap();
        let reading: kino_core::api::Understanding = serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{e}: {answer}"));
        let slots = reading.slots.expect("the reader understands the ball prompt");
        let response = app.post("/v1/videos", &json!({ "prompt": prompt, "model": "kino-2", "slots": slots, "seed": 7, "steps": 4, "seconds": "2" })).await;
        assert_eq!(response.status().as_u16(), 200);
        response.json().await.unwrap()
    };
    assert_eq!((understood.seed, understood.steps), (Some(7), Some(4)));
    let video = finished(&app, &app.client, &understood.id).await;
    assert_eq!((video.seed, video.steps), (Some(7), Some(4)));

    // The server's clip is the one the browser's engine makes: kino-preview is tested to equal
    // the pipeline on the same slots, seed and steps.
    let kept = std::fs::read(find_file(&app.data_dir, &format!("{}/latents.json", video.id)).expect("the kept video's latents")).unwrap();
    let kept: ClipLatents = serde_json::from_slice(&kept).unwrap();
    let pipeline = Pipeline::load(&repository_models().join("kino-2"), &repository_models().join("minilm"), &burn::tensor::Device::flex()).unwrap();
    let request = Request { steps: Some(4), slots: video.understood.clone(), ..Request::new(prompt.to_owned(), 7) };
    let expected = pipeline.generate(&request, &mut |_| {}).unwrap().latents;
    assert_eq!(kept.video_shape, expected.video_shape);
    let furthest = kept.video.iter().zip(&expected.video).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
    assert!(furthest < 1e-4, "the kept clip differs from the take by {furthest}");

    for (body, field) in [
        (json!({ "prompt": prompt, "model": "kino-2", "steps": 0 }), "steps"),
        (json!({ "prompt": prompt, "model": "kino-2", "steps": 17 }), "steps"),
        (json!({ "prompt": prompt, "model": "kino-2", "seed": -1 }), "seed"),
    ] {
        let error = expect_error(app.post("/v1/videos", &body).await, 400).await;
        assert!(error.error.param.as_deref() == Some(field) || error.error.message.contains(field), "{body}: {:?}", error.error);
    }
}

/// The file under `dir` whose path ends in `suffix`.
fn find_file(dir: &std::path::Path, suffix: &str) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .find_map(|path| if path.is_dir() { find_file(&path, suffix) } else { path.to_string_lossy().ends_with(suffix).then_some(path) })
}
