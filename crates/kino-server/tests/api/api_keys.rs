use kino_core::api::{ApiKeyCreated, ApiKeyList};
use serde_json::json;

use crate::helpers::{expect_error, spawn_app};

#[tokio::test]
async fn keys_are_shown_once_work_as_bearer_and_can_be_revoked() {
    let app = spawn_app().await;
    app.sign_up(&app.client, "ada", None).await;
    let created = app.post("/api/v1/api-keys", &json!({ "name": "  render script " })).await;
    assert_eq!(created.status().as_u16(), 201);
    let created: ApiKeyCreated = created.json().await.unwrap();
    assert!(created.key.starts_with("kino_sk_") && created.key.len() > 40, "{}", created.key);
    assert_eq!(created.summary.name, "render script");
    assert!(created.key.starts_with(&created.summary.prefix));

    let listed: ApiKeyList = app.get("/api/v1/api-keys").await.json().await.unwrap();
    assert_eq!(listed.keys.len(), 1);
    let listing = serde_json::to_string(&listed).unwrap();
    assert!(!listing.contains(&created.key), "a listing must never show the secret");

    let script = app.new_client();
    let me = script.get(app.url("/api/v1/account")).bearer_auth(&created.key).send().await.unwrap();
    assert_eq!(me.status().as_u16(), 200);
    let listed: ApiKeyList = app.get("/api/v1/api-keys").await.json().await.unwrap();
    assert!(listed.keys[0].last_used_at.is_some());

    let revoke = app.client.delete(app.url(&format!("/api/v1/api-keys/{}", created.summary.id))).send().await.unwrap();
    assert_eq!(revoke.status().as_u16(), 204);
    let refused = expect_error(script.get(app.url("/api/v1/account")).bearer_auth(&created.key).send().await.unwrap(), 401).await;
    assert_eq!(refused.error.code, "invalid_api_key");
    let again = expect_error(app.client.delete(app.url(&format!("/api/v1/api-keys/{}", created.summary.id))).send().await.unwrap(), 404).await;
    assert_eq!(again.error.code, "api_key_not_found");
}

#[tokio::test]
async fn keys_need_a_name_and_belong_to_their_owner() {
    let app = spawn_app_with_open().await;
    app.sign_up(&app.client, "ada", None).await;
    let error = expect_error(app.post("/api/v1/api-keys", &json!({ "name": "   " })).await, 400).await;
    assert_eq!((error.error.code.as_str(), error.error.param.as_deref()), ("invalid_name", Some("name")));
    let created: ApiKeyCreated = app.post("/api/v1/api-keys", &json!({ "name": "mine" })).await.json().await.unwrap();

    let bo = app.new_client();
    app.sign_up(&bo, "bob", None).await;
    let theirs = bo.delete(app.url(&format!("/api/v1/api-keys/{}", created.summary.id))).send().await.unwrap();
    expect_error(theirs, 404).await;
    let listed: ApiKeyList = app.get("/api/v1/api-keys").await.json().await.unwrap();
    assert_eq!(listed.keys.len(), 1, "another user's request revoked nothing");
    expect_error(app.new_client().get(app.url("/api/v1/account")).bearer_auth("kino_sk_made_up").send().await.unwrap(), 401).await;
}

async fn spawn_app_with_open() -> crate::helpers::TestApp {
    crate::helpers::spawn_app_with(|settings| settings.accounts.invite_only = false).await
}
