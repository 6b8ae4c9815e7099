//! The device check: connects to WebGPU, runs the matrix-multiply shader, compares it with
//! the CPU and shows the adapter, the numbers and the time taken.

use yew::prelude::*;

use crate::gpu::matmul::{self, Dims};
use crate::gpu::{Gpu, GpuError};

/// What the check found; shown as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    pub adapter: String,
    pub is_fallback: bool,
    pub dims: Dims,
    pub gpu_result: Vec<f32>,
    pub max_abs_difference: f32,
    /// The first run includes compiling the shader and creating the pipeline.
    pub first_run_ms: f64,
    pub second_run_ms: f64,
    pub cpu_ms: f64,
}

impl CheckReport {
    pub fn matches_cpu(&self) -> bool {
        self.max_abs_difference <= 1e-5
    }
}

#[derive(Debug, Clone, PartialEq)]
enum PanelState {
    Running,
    Unavailable(String),
    Failed(String),
    Done(CheckReport),
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

async fn run_check() -> Result<CheckReport, GpuError> {
    let gpu = Gpu::connect().await?;
    let dims = Dims::CHECK;
    let (a, b) = matmul::inputs(dims);

    let start = now_ms();
    let gpu_result = matmul::multiply_on_gpu(&gpu, dims, &a, &b).await?;
    let first_run_ms = now_ms() - start;

    let start = now_ms();
    let second = matmul::multiply_on_gpu(&gpu, dims, &a, &b).await?;
    let second_run_ms = now_ms() - start;

    let start = now_ms();
    let cpu_result = matmul::multiply_on_cpu(dims, &a, &b);
    let cpu_ms = now_ms() - start;

    let max_abs_difference = matmul::max_abs_difference(&gpu_result, &cpu_result).max(matmul::max_abs_difference(&second, &cpu_result));
    Ok(CheckReport {
        adapter: gpu.adapter.name.clone(),
        is_fallback: gpu.adapter.is_fallback,
        dims,
        gpu_result,
        max_abs_difference,
        first_run_ms,
        second_run_ms,
        cpu_ms,
    })
}

#[function_component(GpuPanel)]
pub fn gpu_panel() -> Html {
    let state = use_state(|| PanelState::Running);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                state.set(match run_check().await {
                    Ok(report) => PanelState::Done(report),
                    Err(error @ (GpuError::NotSupported | GpuError::NoAdapter(_))) => PanelState::Unavailable(error.to_string()),
                    Err(error) => PanelState::Failed(error.to_string()),
                });
            });
        });
    }

    let (state_name, body) = match &*state {
        PanelState::Running => ("running", html! { <p>{ "Running the check on your GPU…" }</p> }),
        PanelState::Unavailable(reason) => (
            "unavailable",
            html! {
                <>
                    <p class="notice">{ reason }</p>
                    <p>{ "Previews will run on the CPU instead; everything else in Kino works as usual." }</p>
                </>
            },
        ),
        PanelState::Failed(reason) => ("failed", html! { <p class="error">{ reason }</p> }),
        PanelState::Done(report) => ("done", view_report(report)),
    };
    html! {
        <section class="card" id="gpu-panel" data-state={state_name}>
            <h2>{ "WebGPU check" }</h2>
            { body }
        </section>
    }
}

fn view_report(report: &CheckReport) -> Html {
    let Dims { m, k, n } = report.dims;
    let verdict = if report.matches_cpu() {
        html! { <p class="ok" id="gpu-verdict">{ "The GPU's result matches the CPU's exactly." }</p> }
    } else {
        html! { <p class="error" id="gpu-verdict">{ "The GPU's result differs from the CPU's." }</p> }
    };
    let checksum: f64 = report.gpu_result.iter().map(|&x| f64::from(x)).sum();
    let corner = (0..4.min(m)).map(|row| {
        let cells = (0..4.min(n)).map(|col| html! { <td>{ report.gpu_result[(row * n + col) as usize] }</td> });
        html! { <tr>{ for cells }</tr> }
    });
    html! {
        <>
            <dl class="facts">
                <dt>{ "Adapter" }</dt>
                <dd id="gpu-adapter">{ &report.adapter }{ if report.is_fallback { " (software)" } else { "" } }</dd>
                <dt>{ "Computation" }</dt>
                <dd>{ format!("C = A·B, {m}×{k} · {k}×{n} ({} results); A[i] = ((7i mod 13) − 6)/4, B[j] = ((5j mod 11) − 5)/8, row-major", m * n) }</dd>
                <dt>{ "Sum of C" }</dt>
                <dd id="gpu-checksum">{ checksum }</dd>
                <dt>{ "Largest difference from the CPU" }</dt>
                <dd id="gpu-max-diff">{ report.max_abs_difference }</dd>
                <dt>{ "Time on the GPU" }</dt>
                <dd id="gpu-time">{ format!("{:.1} ms first run (with shader compilation), {:.1} ms second run", report.first_run_ms, report.second_run_ms) }</dd>
                <dt>{ "Time on the CPU (wasm)" }</dt>
                <dd>{ format!("{:.2} ms", report.cpu_ms) }</dd>
            </dl>
            { verdict }
            <table class="matrix" id="gpu-corner">
                <caption>{ "Top-left corner of C, from the GPU" }</caption>
                { for corner }
            </table>
        </>
    }
}
