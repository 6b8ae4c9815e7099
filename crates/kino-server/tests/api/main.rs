//! Black-box tests of the HTTP API against a real `kino serve` (SQLite in a temporary folder,
//! a free loopback port).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod admin;
mod api_keys;
mod health;
mod helpers;
mod jobs;
mod media_s3;
mod openapi;
mod posts;
mod preview;
mod restart;
mod social;
mod studio;
mod verify;
mod videos;
mod waitlist;
mod webhooks;
