//! One component per route.

pub mod account;
pub mod api_keys;
pub mod create;
pub mod device;
pub mod feed;
pub mod home;
pub mod library;
pub mod not_found;
pub mod profile;
pub mod sign_in;
pub mod sign_up;
pub mod verify;
pub mod video;
pub mod webhooks;
