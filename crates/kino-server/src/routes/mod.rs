//! HTTP handlers, one file per resource; each handler parses, calls the store, answers. The
//! tables below register each route with its description for the OpenAPI document.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::OriginalUri;
use axum::http::Method;
use kino_core::api::*;

use crate::app::AppState;
use crate::error::AppError;
use crate::openapi::{Auth, Documented, op};

pub mod account;
pub mod api_keys;
pub mod health;
pub mod instance;
pub mod invites;
pub mod models;
pub mod posts;
pub mod session;
pub mod studio;
pub mod users;
pub mod verify;
pub mod videos;
pub mod waitlist;
pub mod webhooks;

/// The routes OpenAI's Videos API has, shared by `/v1` and `/api/v1` (only the content
/// route differs: the studio may fetch any video its viewer may see).
fn videos_api(api: Documented) -> Documented {
    api.route(
        "/videos",
        "post",
        axum::routing::post(videos::create).layer(DefaultBodyLimit::max(videos::MAX_REFERENCE_BYTES)),
        op("Create a video from a prompt (queued; Idempotency-Key supported). As multipart/form-data the same fields and an optional input_reference file: a video made on this Kino server")
            .body::<CreateVideo>()
            .returns::<Video>(),
    )
        .get(
            "/videos",
            videos::list,
            op("List my videos")
                .query("after", "the id of the last video of the previous page")
                .query("limit", "1 to 100, default 20")
                .query("order", "asc or desc (default)")
                .returns::<VideoList>(),
        )
        .get("/videos/{id}", videos::show, op("Retrieve one of my videos").returns::<Video>())
        .delete("/videos/{id}", videos::delete, op("Delete one of my videos and its files").returns::<DeletedVideo>())
        .post(
            "/videos/{id}/remix",
            videos::remix,
            op("Remix a video (mine, or one published to me) under a new prompt; records its parent").body::<RemixVideo>().returns::<Video>(),
        )
        .post("/videos/extensions", videos::extend, op("Continue a video; the result is the whole stitched clip").body::<ExtendVideo>().returns::<Video>())
        .post("/videos/edits", videos::edit, op("Change a video as the prompt says, keeping its layout and motion").body::<EditVideo>().returns::<Video>())
}

/// The developer API (OpenAI's Videos API shape), mounted at `/v1`.
pub fn developer_api() -> Documented {
    videos_api(Documented::new())
        .get(
            "/videos/{id}/content",
            videos::content,
            op("Download a finished video's MP4, thumbnail or sprite sheet")
                .query("variant", "video (default), thumbnail or spritesheet")
                .returns_media("video/mp4"),
        )
        .get("/models", models::openai_list, op("The models this server runs, in OpenAI's shape").returns::<OpenAiModelList>())
}

/// The studio's API, mounted at `/api/v1`.
pub fn api() -> Documented {
    let api = Documented::new()
        .get("/health", health::show, op("Is the server well (database, models)?").auth(Auth::Public).returns::<Health>())
        .get("/instance", instance::show, op("How this instance is set up (invite-only, regions)").auth(Auth::Public).returns::<InstanceInfo>())
        .post("/waitlist", waitlist::join, op("Join the waitlist").auth(Auth::Public).body::<JoinWaitlist>().returns::<WaitlistPlace>())
        .post("/account", account::create, op("Sign up (sets the session cookie)").auth(Auth::Public).body::<SignUp>().status(201).returns::<Account>())
        .get("/account", account::show, op("My account").returns::<Account>())
        .delete("/account", account::delete, op("Delete my account, its data and media").body::<DeleteAccount>().status(204))
        .put("/account/password", account::change_password, op("Change my password (signs out my other sessions)").body::<ChangePassword>().status(204))
        .get("/session", session::show, op("Who is signed in, if anyone").auth(Auth::Optional).returns::<SessionInfo>())
        .post("/session", session::create, op("Sign in (sets the session cookie)").auth(Auth::Public).body::<SignIn>().returns::<Account>())
        .delete("/session", session::delete, op("Sign out").status(204))
        .get("/invites", invites::list, op("My invites").returns::<InviteList>())
        .post("/invites", invites::create, op("Make an invite").status(201).returns::<Invite>())
        .get("/api-keys", api_keys::list, op("My API keys").returns::<ApiKeyList>())
        .post("/api-keys", api_keys::create, op("Create an API key (shown once)").body::<CreateApiKey>().status(201).returns::<ApiKeyCreated>())
        .delete("/api-keys/{id}", api_keys::revoke, op("Revoke an API key").status(204))
        .get("/webhooks", webhooks::list, op("My webhook endpoints").returns::<WebhookEndpointList>())
        .post(
            "/webhooks",
            webhooks::create,
            op("Register a webhook endpoint for video.completed and video.failed (its signing secret is shown once)")
                .body::<CreateWebhookEndpoint>()
                .status(201)
                .returns::<WebhookEndpointCreated>(),
        )
        .delete("/webhooks/{id}", webhooks::delete, op("Delete a webhook endpoint and its delivery log").status(204))
        .get("/webhooks/{id}/deliveries", webhooks::deliveries, op("An endpoint's last 50 deliveries, newest first").returns::<WebhookDeliveryList>())
        .get("/models", models::list, op("The models this server runs").auth(Auth::Public).returns::<ModelList>())
        .get(
            "/models/{id}/preview",
            models::preview,
            op("What the browser downloads to preview a model in the page: its config and weight files with their SHA-256")
                .auth(Auth::Public)
                .returns::<PreviewManifest>(),
        )
        .get(
            "/models/{id}/files/{name}",
            models::file,
            op("A weight file of a model's in-browser preview (ETag: its SHA-256)").auth(Auth::Public).returns_media("application/octet-stream"),
        )
        .post(
            "/understand",
            videos::understand,
            op("What a model reads in a prompt (kino-2's slots), before anything is made or charged").body::<UnderstandPrompt>().returns::<Understanding>(),
        );
    videos_api(api)
        .get(
            "/videos/{id}/content",
            videos::visible_content,
            op("A video's files, for anyone who may see the video")
                .auth(Auth::Optional)
                .query("variant", "video (default), thumbnail or spritesheet")
                .returns_media("video/mp4"),
        )
        .get("/videos/{id}/events", videos::events, op("Live status and progress of my video (server-sent events)").returns_media("text/event-stream"))
        .post("/videos/{id}/cancel", videos::cancel, op("Cancel my video's generation").returns::<Video>())
        .get("/videos/{id}/page", posts::page, op("A video's page: card, ancestry, remixes, comments").auth(Auth::Optional).returns::<VideoPage>())
        .put(
            "/videos/{id}/publication",
            posts::publish,
            op("Publish my video to public, followers or private, or back to draft").body::<Publish>().returns::<VideoCard>(),
        )
        .put("/videos/{id}/like", posts::like, op("Like a video").returns::<VideoCard>())
        .delete("/videos/{id}/like", posts::unlike, op("Stop liking a video").returns::<VideoCard>())
        .post("/videos/{id}/comments", posts::comment, op("Comment on a video").body::<NewComment>().status(201).returns::<Comment>())
        .delete("/comments/{id}", posts::delete_comment, op("Delete my comment, or one on my video").status(204))
        .post("/videos/{id}/reports", posts::report, op("Report a video to the moderators").body::<NewReport>().status(201).returns::<ReportReceipt>())
        .post("/videos/{id}/not-interested", posts::not_interested, op("Keep a video out of my feed").status(204))
        .get(
            "/feed",
            posts::feed,
            op("My feed, ranked; each item says why it is there")
                .query("after", "next_cursor of the previous page")
                .query("limit", "1 to 50, default 20")
                .returns::<FeedPage>(),
        )
        .route(
            "/verify",
            "post",
            axum::routing::post(verify::verify).layer(DefaultBodyLimit::max(verify::MAX_VERIFY_BYTES)),
            op("Check a file's C2PA manifest, invisible watermark and visible mark (never stored)")
                .auth(Auth::Public)
                .raw_body("video/mp4")
                .returns::<VerifyResult>(),
        )
        .get("/c2pa/root.pem", verify::root_certificate, op("This server's C2PA root certificate").auth(Auth::Public).returns_media("application/x-pem-file"))
        .get("/users/{handle}", users::show, op("A person's profile").auth(Auth::Optional).returns::<Profile>())
        .put("/users/{handle}/follow", users::follow, op("Follow someone").returns::<Profile>())
        .delete("/users/{handle}/follow", users::unfollow, op("Unfollow someone").returns::<Profile>())
        .put("/users/{handle}/block", users::block, op("Block someone (ends follows both ways)").returns::<Profile>())
        .delete("/users/{handle}/block", users::unblock, op("Unblock someone").returns::<Profile>())
        .put("/users/{handle}/mute", users::mute, op("Mute someone in my feed").returns::<Profile>())
        .delete("/users/{handle}/mute", users::unmute, op("Unmute someone").returns::<Profile>())
}

/// Ends a router: unknown paths and methods get the API's error shape.
pub fn finish(router: Router<AppState>) -> Router<AppState> {
    router.fallback(unknown_route).method_not_allowed_fallback(method_not_allowed)
}

async fn unknown_route(OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NotFound { code: "unknown_route", message: format!("there is no API endpoint at {}", uri.path()) }
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> AppError {
    AppError::MethodNotAllowed(format!("{} does not accept {method}", uri.path()))
}
