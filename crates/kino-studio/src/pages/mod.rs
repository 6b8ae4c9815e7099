//! One component per route.

pub mod device;
pub mod home;
pub mod not_found;
