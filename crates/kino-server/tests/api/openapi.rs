//! `/api/openapi.json` describes the API the server really has.

use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_names_every_route_the_server_has_and_no_other() {
    let app = spawn_app().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let create = &doc["paths"]["/v1/videos"]["post"];
    assert_eq!(create["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/CreateVideo");
    assert_eq!(create["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Video");
    let video = &doc["components"]["schemas"]["Video"];
    for field in [
        "id",
        "object",
        "status",
        "progress",
        "model",
        "prompt",
        "seconds",
        "size",
        "created_at",
        "completed_at",
        "expires_at",
        "error",
        "remixed_from_video_id",
    ] {
        assert!(video["properties"][field].is_object(), "Video.{field} missing: {video}");
    }
    assert!(doc["components"]["schemas"]["FeedPage"].is_object());
    assert_eq!(doc["paths"]["/api/v1/health"]["get"]["security"], serde_json::json!([]));

    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, methods) in paths {
        let concrete = path.replace("{id}", "nope").replace("{handle}", "nobody");
        for method in methods.as_object().unwrap().keys() {
            operations += 1;
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app.new_client().request(method.clone(), app.url(&concrete)).send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert!(status != 405 && body["error"]["code"] != "unknown_route", "{method} {path} is documented but not served: {status} {body}");
        }
    }
    assert!(operations >= 45, "only {operations} operations documented");
    let missing: Value = app.get("/api/v1/no-such-thing").await.json().await.unwrap();
    assert_eq!(missing["error"]["code"], "unknown_route");
}
