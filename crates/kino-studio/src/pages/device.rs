//! `/device`: what this browser's GPU can do for Kino's previews.

use yew::prelude::*;

use crate::components::gpu_panel::GpuPanel;

#[function_component(DevicePage)]
pub fn device_page() -> Html {
    html! {
        <>
            <h1>{ "Your device" }</h1>
            <p>{ "Kino runs previews on your GPU through WebGPU. This check runs a small compute shader and compares its numbers with the CPU's." }</p>
            <GpuPanel />
        </>
    }
}
