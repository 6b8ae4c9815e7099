use kino_core::api::WaitlistPlace;
use serde_json::json;

use crate::helpers::{TestApp, expect_error, spawn_app};

async fn join(app: &TestApp, body: &serde_json::Value) -> reqwest::Response {
    app.client.post(app.url("/api/v1/waitlist")).json(body).send().await.unwrap()
}

async fn place_of(app: &TestApp, email: &str) -> WaitlistPlace {
    let response = join(app, &json!({ "email": email })).await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn joining_gives_a_place_in_line_once() {
    let app = spawn_app().await;
    let ada = place_of(&app, "Ada@Example.org").await;
    assert_eq!((ada.email.as_str(), ada.position, ada.newly_added), ("ada@example.org", 1, true));
    let bo = place_of(&app, "bo@example.org").await;
    assert_eq!((bo.position, bo.newly_added), (2, true));
    let ada_again = place_of(&app, "ada@example.org").await;
    assert_eq!((ada_again.position, ada_again.newly_added), (1, false));
}

#[tokio::test]
async fn bad_bodies_get_clear_errors_and_change_nothing() {
    let app = spawn_app().await;

    let syntax = app.client.post(app.url("/api/v1/waitlist")).header("content-type", "application/json").body("{\"email\": ").send().await.unwrap();
    let body = expect_error(syntax, 400).await;
    assert_eq!(body.error.code, "invalid_json");

    let missing = expect_error(join(&app, &json!({})).await, 400).await;
    assert_eq!((missing.error.code.as_str(), missing.error.param.as_deref()), ("invalid_field", Some("email")));
    assert!(missing.error.message.contains("missing field `email`"), "{}", missing.error.message);

    let malformed = expect_error(join(&app, &json!({ "email": "not an address" })).await, 400).await;
    assert_eq!(malformed.error.param.as_deref(), Some("email"));
    assert!(malformed.error.message.contains("email must look like name@example.org"), "{}", malformed.error.message);

    let wrong_type = expect_error(join(&app, &json!({ "email": 42 })).await, 400).await;
    assert_eq!(wrong_type.error.code, "invalid_field");

    let unknown = expect_error(join(&app, &json!({ "email": "a@b.org", "admin": true })).await, 400).await;
    assert_eq!(unknown.error.param.as_deref(), Some("admin"));

    let no_content_type = app.client.post(app.url("/api/v1/waitlist")).body("{\"email\":\"a@b.org\"}").send().await.unwrap();
    let body = expect_error(no_content_type, 415).await;
    assert_eq!(body.error.code, "unsupported_media_type");

    // None of the above reached the list: the first real sign-up is first in line.
    assert_eq!(place_of(&app, "first@example.org").await.position, 1);
}
