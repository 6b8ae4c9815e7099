use kino_server::admin::{self, AdminCommand};
use kino_server::settings::DataSettings;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, expect_error, sign_up_body, spawn_app};

fn data(app: &TestApp) -> DataSettings {
    DataSettings { database_url: Some(app.database_url.clone()), ..DataSettings::in_folder(app.data_dir.clone()) }
}

#[tokio::test]
async fn operator_commands_work_on_the_running_servers_data() {
    let app = spawn_app().await;
    let created = admin::run(
        &data(&app),
        AdminCommand::CreateUser { email: "Ops@Example.org".into(), password: PASSWORD.into(), birthdate: None, handle: None, region: "ZZ".into() },
    )
    .await
    .unwrap();
    assert!(created.starts_with("created ops@example.org (@ops, admin"), "{created}");

    let key = admin::run(&data(&app), AdminCommand::CreateApiKey { email: "ops@example.org".into(), name: "cli".into() }).await.unwrap();
    let me = app.new_client().get(app.url("/api/v1/account")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(me.status().as_u16(), 200);

    let code = admin::run(&data(&app), AdminCommand::CreateInvite).await.unwrap();
    app.sign_up(&app.new_client(), "bob", Some(&code)).await;

    let granted = admin::run(&data(&app), AdminCommand::GrantCredits { email: "bob@example.org".into(), credits: 3, reason: "test".into() }).await.unwrap();
    assert_eq!(granted, "bob@example.org now has 3 credits");
    let pro = admin::run(&data(&app), AdminCommand::SetPlan { email: "bob@example.org".into(), plan: "pro".into() }).await.unwrap();
    assert_eq!(pro, "bob@example.org is now on the pro plan");

    let unknown = admin::run(&data(&app), AdminCommand::CreateApiKey { email: "nobody@example.org".into(), name: "x".into() }).await;
    assert_eq!(unknown.unwrap_err().to_string(), "no account has the e-mail nobody@example.org");
    let bad = admin::run(&data(&app), AdminCommand::GrantCredits { email: "bob@example.org".into(), credits: 0, reason: "x".into() }).await;
    assert!(bad.is_err());
}

#[tokio::test]
async fn the_waitlist_gets_invites_by_mail() {
    let app = spawn_app().await;
    app.sign_up(&app.client, "admin", None).await;
    for email in ["first@example.org", "second@example.org"] {
        app.post("/api/v1/waitlist", &json!({ "email": email })).await;
    }
    let said = admin::run(&data(&app), AdminCommand::InviteWaitlist { count: 1, url: "http://kino.test/signup".into() }).await.unwrap();
    assert!(said.starts_with("invited 1 people"), "{said}");

    let outbox = app.data_dir.join("outbox");
    let mails: Vec<_> = std::fs::read_dir(&outbox).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(mails.len(), 1);
    let mail = std::fs::read_to_string(&mails[0]).unwrap();
    assert!(mail.contains("To: first@example.org") && mail.contains("http://kino.test/signup"), "{mail}");
    let code = mail.lines().map(str::trim).find(|line| line.len() == 12 && !line.contains(' ')).expect("code in mail").to_owned();

    let mut wrong_person = sign_up_body("second", Some(&code));
    wrong_person["email"] = json!("second@example.org");
    let error = expect_error(app.new_client().post(app.url("/api/v1/account")).json(&wrong_person).send().await.unwrap(), 400).await;
    assert_eq!(error.error.code, "invite_for_other_email");
    let mut body = sign_up_body("first", Some(&code));
    body["email"] = json!("first@example.org");
    let response = app.new_client().post(app.url("/api/v1/account")).json(&body).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    // Second in line is now first.
    let place: serde_json::Value = app.post("/api/v1/waitlist", &json!({ "email": "second@example.org" })).await.json().await.unwrap();
    assert_eq!(place["position"], 1);
}
