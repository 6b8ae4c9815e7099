//! The rules of Kino as plain functions over the store, tested without HTTP.

pub mod accounts;
pub mod api_keys;
pub mod feed;
pub mod invites;
pub mod mail;
pub mod posts;
pub mod social;
pub mod videos;
pub mod webhooks;
