//! Kino's studio: the web app people use, compiled to wasm.
//!
//! `pages/` holds one component per route, `components/` the reusable pieces, `api/` is the
//! only place that calls the server, `gpu/` the only place that touches WebGPU and `preview/`
//! the only place that talks to the preview engine's Web Worker.

pub mod api;
pub mod app;
pub mod components;
pub mod gpu;
pub mod pages;
pub mod preview;
pub mod session;

/// Entry point called by the generated JS glue once the module is loaded.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    // index.html shows a loading line until the module runs; the app replaces it.
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    yew::Renderer::<app::App>::new().render();
}
