use kino_core::account::AgeBand;
use kino_core::api::{Account, Role};
use serde_json::json;

use crate::helpers::{PASSWORD, expect_error, sign_up_body, spawn_app, spawn_app_with};

#[tokio::test]
async fn the_first_account_needs_no_invite_and_becomes_admin() {
    let app = spawn_app().await;
    let info: serde_json::Value = app.get("/api/v1/instance").await.json().await.unwrap();
    assert_eq!(info["invite_only"], true);
    assert_eq!(info["needs_first_admin"], true);

    let response = app.post("/api/v1/account", &sign_up_body("ada", None)).await;
    assert_eq!(response.status().as_u16(), 201);
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap().to_owned();
    assert!(cookie.starts_with("kino_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let account: Account = response.json().await.unwrap();
    assert_eq!((account.handle.as_str(), account.role, account.age_band), ("ada", Role::Admin, AgeBand::Adult));
    assert_eq!(account.invites_left, 5);

    let me: Account = app.get("/api/v1/account").await.json().await.unwrap();
    assert_eq!(me, account);
    let info: serde_json::Value = app.get("/api/v1/instance").await.json().await.unwrap();
    assert_eq!(info["needs_first_admin"], false);
}

#[tokio::test]
async fn later_accounts_need_an_unused_invite() {
    let app = spawn_app().await;
    let (_, code) = app.admin_with_invite().await;
    let bo = app.new_client();

    let missing = expect_error(bo.post(app.url("/api/v1/account")).json(&sign_up_body("bob", None)).send().await.unwrap(), 400).await;
    assert_eq!((missing.error.code.as_str(), missing.error.param.as_deref()), ("invite_required", Some("invite_code")));
    let bogus = expect_error(bo.post(app.url("/api/v1/account")).json(&sign_up_body("bob", Some("nope"))).send().await.unwrap(), 400).await;
    assert_eq!(bogus.error.code, "invite_invalid");
    // Refused sign-ups left nothing behind: no such account can sign in.
    let sign_in = json!({ "email": "bob@example.org", "password": PASSWORD });
    expect_error(bo.post(app.url("/api/v1/session")).json(&sign_in).send().await.unwrap(), 401).await;

    let account = app.sign_up(&bo, "bob", Some(&code)).await;
    assert_eq!(account.role, Role::User);
    let cy = app.new_client();
    let reused = expect_error(cy.post(app.url("/api/v1/account")).json(&sign_up_body("cyd", Some(&code))).send().await.unwrap(), 400).await;
    assert_eq!(reused.error.code, "invite_used");

    let invites: serde_json::Value = app.get("/api/v1/invites").await.json().await.unwrap();
    assert!(invites["invites"][0]["used_at"].is_i64(), "{invites}");
}

#[tokio::test]
async fn an_open_instance_needs_no_invite() {
    let app = spawn_app_with(|settings| settings.accounts.invite_only = false).await;
    app.sign_up(&app.client, "ada", None).await;
    app.sign_up(&app.new_client(), "bob", None).await;
}

#[tokio::test]
async fn bad_sign_ups_name_the_field_and_change_nothing() {
    let app = spawn_app_with(|settings| {
        settings.accounts.invite_only = false;
        settings.accounts.allowed_regions = vec![kino_core::account::Region::parse("DE").unwrap()];
    })
    .await;
    let cases = [
        (json!({ "birth_date": "2020-01-01" }), 400, "age_not_allowed", Some("birth_date")),
        (json!({ "birth_date": "2001-02-29" }), 400, "invalid_field", Some("birth_date")),
        (json!({ "handle": "a b" }), 400, "invalid_field", Some("handle")),
        (json!({ "password": "short" }), 400, "invalid_field", Some("password")),
        (json!({ "email": "nope" }), 400, "invalid_field", Some("email")),
        (json!({ "region": "FR" }), 403, "region_not_allowed", None),
        (json!({ "handle": "x".repeat(5000) }), 400, "invalid_field", Some("handle")),
    ];
    for (change, status, code, param) in cases {
        let mut body = sign_up_body("ada", None);
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let error = expect_error(app.post("/api/v1/account", &body).await, status).await;
        assert_eq!((error.error.code.as_str(), error.error.param.as_deref()), (code, param), "{change}: {}", error.error.message);
    }
    let info: serde_json::Value = app.get("/api/v1/instance").await.json().await.unwrap();
    assert_eq!(info["needs_first_admin"], true, "a refused sign-up created an account");

    app.sign_up(&app.client, "ada", None).await;
    let mut same_email = sign_up_body("ada", None);
    same_email["handle"] = json!("ada2");
    let taken = expect_error(app.new_client().post(app.url("/api/v1/account")).json(&same_email).send().await.unwrap(), 409).await;
    assert_eq!((taken.error.code.as_str(), taken.error.param.as_deref()), ("email_taken", Some("email")));
    let mut same_handle = sign_up_body("ada", None);
    same_handle["email"] = json!("other@example.org");
    let taken = expect_error(app.new_client().post(app.url("/api/v1/account")).json(&same_handle).send().await.unwrap(), 409).await;
    assert_eq!(taken.error.code, "handle_taken");
}

#[tokio::test]
async fn teens_are_told_apart_from_adults() {
    let app = spawn_app_with(|settings| settings.accounts.invite_only = false).await;
    let mut body = sign_up_body("teen", None);
    let today = kino_server::ids::today();
    body["birth_date"] = json!(format!("{:04}-01-01", today.year - 15));
    let response = app.post("/api/v1/account", &body).await;
    assert_eq!(response.status().as_u16(), 201);
    let account: Account = response.json().await.unwrap();
    assert_eq!(account.age_band, AgeBand::Teen);
}

#[tokio::test]
async fn signing_in_and_out() {
    let app = spawn_app().await;
    app.sign_up(&app.client, "ada", None).await;
    let browser = app.new_client();
    let wrong = json!({ "email": "ada@example.org", "password": "not the password" });
    let error = expect_error(browser.post(app.url("/api/v1/session")).json(&wrong).send().await.unwrap(), 401).await;
    assert_eq!(error.error.code, "wrong_credentials");
    let unknown = json!({ "email": "nobody@example.org", "password": PASSWORD });
    let error = expect_error(browser.post(app.url("/api/v1/session")).json(&unknown).send().await.unwrap(), 401).await;
    assert_eq!(error.error.message, "the e-mail or the password is not right");

    let not_signed_in = expect_error(browser.get(app.url("/api/v1/account")).send().await.unwrap(), 401).await;
    assert_eq!(not_signed_in.error.code, "not_signed_in");
    let right = json!({ "email": "ADA@example.org", "password": PASSWORD });
    assert_eq!(browser.post(app.url("/api/v1/session")).json(&right).send().await.unwrap().status().as_u16(), 200);
    assert_eq!(browser.get(app.url("/api/v1/account")).send().await.unwrap().status().as_u16(), 200);

    assert_eq!(browser.delete(app.url("/api/v1/session")).send().await.unwrap().status().as_u16(), 204);
    expect_error(browser.get(app.url("/api/v1/account")).send().await.unwrap(), 401).await;
    // The other browser is still signed in.
    assert_eq!(app.get("/api/v1/account").await.status().as_u16(), 200);
}

#[tokio::test]
async fn changing_the_password_signs_out_other_sessions() {
    let app = spawn_app().await;
    app.sign_up(&app.client, "ada", None).await;
    let laptop = app.new_client();
    let sign_in = json!({ "email": "ada@example.org", "password": PASSWORD });
    laptop.post(app.url("/api/v1/session")).json(&sign_in).send().await.unwrap();

    let wrong = json!({ "current_password": "not it at all", "new_password": "a brand new secret" });
    let error = expect_error(app.client.put(app.url("/api/v1/account/password")).json(&wrong).send().await.unwrap(), 400).await;
    assert_eq!((error.error.code.as_str(), error.error.param.as_deref()), ("wrong_password", Some("current_password")));
    assert_eq!(laptop.get(app.url("/api/v1/account")).send().await.unwrap().status().as_u16(), 200);

    let change = json!({ "current_password": PASSWORD, "new_password": "a brand new secret" });
    assert_eq!(app.client.put(app.url("/api/v1/account/password")).json(&change).send().await.unwrap().status().as_u16(), 204);
    assert_eq!(app.get("/api/v1/account").await.status().as_u16(), 200, "the session that changed it stays");
    expect_error(laptop.get(app.url("/api/v1/account")).send().await.unwrap(), 401).await;
    expect_error(laptop.post(app.url("/api/v1/session")).json(&sign_in).send().await.unwrap(), 401).await;
    let new = json!({ "email": "ada@example.org", "password": "a brand new secret" });
    assert_eq!(laptop.post(app.url("/api/v1/session")).json(&new).send().await.unwrap().status().as_u16(), 200);
}

#[tokio::test]
async fn deleting_an_account_removes_it() {
    let app = spawn_app().await;
    let (_, code) = app.admin_with_invite().await;
    let bo = app.new_client();
    app.sign_up(&bo, "bob", Some(&code)).await;
    let key: serde_json::Value = bo.post(app.url("/api/v1/api-keys")).json(&json!({ "name": "script" })).send().await.unwrap().json().await.unwrap();

    let wrong = expect_error(bo.delete(app.url("/api/v1/account")).json(&json!({ "password": "nope nope nope" })).send().await.unwrap(), 400).await;
    assert_eq!(wrong.error.code, "wrong_password");
    assert_eq!(bo.get(app.url("/api/v1/account")).send().await.unwrap().status().as_u16(), 200);

    let deleted = bo.delete(app.url("/api/v1/account")).json(&json!({ "password": PASSWORD })).send().await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    expect_error(bo.get(app.url("/api/v1/account")).send().await.unwrap(), 401).await;
    let bearer = app.new_client().get(app.url("/api/v1/account")).bearer_auth(key["key"].as_str().unwrap()).send().await.unwrap();
    expect_error(bearer, 401).await;
    let sign_in = json!({ "email": "bob@example.org", "password": PASSWORD });
    expect_error(bo.post(app.url("/api/v1/session")).json(&sign_in).send().await.unwrap(), 401).await;
}

#[tokio::test]
async fn invites_come_from_a_limited_allowance() {
    let app = spawn_app_with(|settings| settings.accounts.invites_per_user = 1).await;
    let (_, code) = app.admin_with_invite().await;
    let bo = app.new_client();
    let account = app.sign_up(&bo, "bob", Some(&code)).await;
    assert_eq!(account.invites_left, 1);
    let first = bo.post(app.url("/api/v1/invites")).send().await.unwrap();
    assert_eq!(first.status().as_u16(), 201);
    let none_left = expect_error(bo.post(app.url("/api/v1/invites")).send().await.unwrap(), 403).await;
    assert_eq!(none_left.error.code, "no_invites_left");
    let list: serde_json::Value = bo.get(app.url("/api/v1/invites")).send().await.unwrap().json().await.unwrap();
    assert_eq!((list["invites_left"].as_u64(), list["invites"].as_array().map(Vec::len)), (Some(0), Some(1)));
}

#[tokio::test]
async fn the_session_endpoint_tells_visitors_from_members() {
    let app = spawn_app().await;
    let visitor: serde_json::Value = app.get("/api/v1/session").await.json().await.unwrap();
    assert_eq!(visitor, json!({ "account": null }));
    let account = app.sign_up(&app.client, "ada", None).await;
    let member: kino_core::api::SessionInfo = app.get("/api/v1/session").await.json().await.unwrap();
    assert_eq!(member.account, Some(account));
}
