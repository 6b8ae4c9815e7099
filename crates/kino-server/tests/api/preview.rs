//! What the browser downloads to preview a model in the page: the manifest names kino-2's
//! config and weight files with their SHA-256, and each file comes with that hash as its ETag.

use kino_core::api::PreviewManifest;

use crate::helpers::{TestApp, expect_error, spawn_app_with};

fn repository_models() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

/// A server offering kino-2 and kino-1 from the repository's weights.
async fn kino_2_app() -> TestApp {
    spawn_app_with(|settings| {
        settings.generation.models = vec!["kino-2".into(), "kino-1".into()];
        settings.generation.models_dir = repository_models();
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
