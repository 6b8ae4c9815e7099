//! Reusable pieces of the studio's pages.

pub mod gpu_panel;
pub mod header;
pub mod server_status;
pub mod waitlist_form;
