use kino_core::api::Profile;

use crate::helpers::{expect_error, spawn_app_with};

async fn open_app() -> crate::helpers::TestApp {
    spawn_app_with(|settings| settings.accounts.invite_only = false).await
}

#[tokio::test]
async fn following_shows_on_both_profiles() {
    let app = open_app().await;
    app.sign_up(&app.client, "ada", None).await;
    let bob = app.new_client();
    app.sign_up(&bob, "bob", None).await;

    let followed: Profile = app.client.put(app.url("/api/v1/users/bob/follow")).send().await.unwrap().json().await.unwrap();
    assert_eq!((followed.followers, followed.viewer.following, followed.viewer.followed_by), (1, true, false));
    let ada_seen_by_bob: Profile = bob.get(app.url("/api/v1/users/ada")).send().await.unwrap().json().await.unwrap();
    assert_eq!((ada_seen_by_bob.following, ada_seen_by_bob.viewer.followed_by), (1, true));
    let visitor: Profile = app.new_client().get(app.url("/api/v1/users/ADA")).send().await.unwrap().json().await.unwrap();
    assert_eq!(visitor.viewer, Default::default());
    let me: Profile = app.get("/api/v1/users/ada").await.json().await.unwrap();
    assert!(me.viewer.is_self);

    // Following twice is following once.
    let again: Profile = app.client.put(app.url("/api/v1/users/bob/follow")).send().await.unwrap().json().await.unwrap();
    assert_eq!(again.followers, 1);
    let unfollowed: Profile = app.client.delete(app.url("/api/v1/users/bob/follow")).send().await.unwrap().json().await.unwrap();
    assert_eq!((unfollowed.followers, unfollowed.viewer.following), (0, false));
}

#[tokio::test]
async fn blocking_ends_follows_and_hides_the_blocker() {
    let app = open_app().await;
    app.sign_up(&app.client, "ada", None).await;
    let bob = app.new_client();
    app.sign_up(&bob, "bob", None).await;
    app.client.put(app.url("/api/v1/users/bob/follow")).send().await.unwrap();
    bob.put(app.url("/api/v1/users/ada/follow")).send().await.unwrap();

    let blocked: Profile = app.client.put(app.url("/api/v1/users/bob/block")).send().await.unwrap().json().await.unwrap();
    assert_eq!((blocked.viewer.blocking, blocked.followers, blocked.following), (true, 0, 0));
    let hidden = expect_error(bob.get(app.url("/api/v1/users/ada")).send().await.unwrap(), 404).await;
    assert_eq!(hidden.error.code, "user_not_found");
    expect_error(bob.put(app.url("/api/v1/users/ada/follow")).send().await.unwrap(), 404).await;
    let refused = expect_error(app.client.put(app.url("/api/v1/users/bob/follow")).send().await.unwrap(), 403).await;
    assert_eq!(refused.error.code, "blocked");

    app.client.delete(app.url("/api/v1/users/bob/block")).send().await.unwrap();
    assert_eq!(bob.get(app.url("/api/v1/users/ada")).send().await.unwrap().status().as_u16(), 200);
}

#[tokio::test]
async fn bad_targets_get_clear_errors() {
    let app = open_app().await;
    app.sign_up(&app.client, "ada", None).await;
    let myself = expect_error(app.client.put(app.url("/api/v1/users/ada/follow")).send().await.unwrap(), 400).await;
    assert_eq!((myself.error.code.as_str(), myself.error.message.as_str()), ("not_yourself", "you cannot follow yourself"));
    let nobody = expect_error(app.client.put(app.url("/api/v1/users/nobody_here/mute")).send().await.unwrap(), 404).await;
    assert_eq!(nobody.error.message, "there is no one called @nobody_here");
    expect_error(app.get("/api/v1/users/not%20a%20handle").await, 404).await;
    let visitor = expect_error(app.new_client().put(app.url("/api/v1/users/ada/follow")).send().await.unwrap(), 401).await;
    assert_eq!(visitor.error.code, "not_signed_in");
}

#[tokio::test]
async fn muting_is_private() {
    let app = open_app().await;
    app.sign_up(&app.client, "ada", None).await;
    let bob = app.new_client();
    app.sign_up(&bob, "bob", None).await;
    let muted: Profile = app.client.put(app.url("/api/v1/users/bob/mute")).send().await.unwrap().json().await.unwrap();
    assert!(muted.viewer.muting);
    let ada_seen_by_bob: Profile = bob.get(app.url("/api/v1/users/ada")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ada_seen_by_bob.viewer, Default::default());
}
