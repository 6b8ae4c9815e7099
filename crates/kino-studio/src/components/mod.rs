//! Reusable pieces of the studio's pages.

pub mod field;
pub mod gpu_panel;
pub mod header;
pub mod invites_panel;
pub mod preview_panel;
pub mod preview_player;
pub mod publish_control;
pub mod server_status;
pub mod signed_in;
pub mod understood;
pub mod video_card;
pub mod video_status;
pub mod waitlist_form;

/// A Unix time in seconds as `YYYY-MM-DD` (UTC).
pub fn unix_date(seconds: i64) -> String {
    let iso = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(seconds as f64 * 1000.0)).to_iso_string();
    String::from(iso).chars().take(10).collect()
}
