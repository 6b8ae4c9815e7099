//! The only place that touches WebGPU. [`Gpu::connect`] finds an adapter and opens a device;
//! [`matmul`] runs the device check.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub mod matmul;

/// An open WebGPU device and what the browser says about its adapter.
pub struct Gpu {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub adapter: AdapterSummary,
}

/// What a person needs to know about the adapter.
#[derive(Debug, Clone, PartialEq)]
pub struct AdapterSummary {
    /// e.g. "google swiftshader", or the browser's description when it gives one.
    pub name: String,
    /// A software adapter (such as SwiftShader) emulating a GPU on the CPU.
    pub is_fallback: bool,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GpuError {
    #[error("WebGPU is not available in this browser: it offers no GPU adapter")]
    NotSupported,
    #[error("WebGPU is present but the browser offers no adapter: {0}")]
    NoAdapter(String),
    #[error("the GPU refused to open a device: {0}")]
    Device(String),
    #[error("the GPU computation failed: {0}")]
    Compute(String),
}

impl Gpu {
    pub async fn connect() -> Result<Self, GpuError> {
        if !wgpu::util::is_browser_webgpu_supported().await {
            return Err(GpuError::NotSupported);
        }
        let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle();
        descriptor.backends = wgpu::Backends::BROWSER_WEBGPU;
        let instance = wgpu::Instance::new(descriptor);
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions { power_preference: wgpu::PowerPreference::HighPerformance, ..Default::default() })
            .await
            .map_err(|error| GpuError::NoAdapter(error.to_string()))?;
        let info = adapter.get_info();
        let name = match browser_adapter_name().await {
            Some(name) => name,
            None if !info.name.is_empty() => info.name.clone(),
            None => "unnamed adapter".to_owned(),
        };
        let summary = AdapterSummary { name, is_fallback: info.device_type == wgpu::DeviceType::Cpu };
        let (device, queue) = adapter.request_device(&wgpu::DeviceDescriptor::default()).await.map_err(|error| GpuError::Device(error.to_string()))?;
        Ok(Self { device, queue, adapter: summary })
    }
}

/// wgpu reports only the adapter's free-text description, which Chromium leaves empty; the
/// vendor and architecture fields of `GPUAdapterInfo` say which adapter it is.
async fn browser_adapter_name() -> Option<String> {
    let gpu = js_sys::Reflect::get(&web_sys::window()?.navigator(), &"gpu".into()).ok()?;
    let request = js_sys::Reflect::get(&gpu, &"requestAdapter".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let promise = request.call0(&gpu).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let adapter = JsFuture::from(promise).await.ok()?;
    let info = js_sys::Reflect::get(&adapter, &"info".into()).ok()?;
    let field = |key: &str| js_sys::Reflect::get(&info, &key.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let words: Vec<String> = [field("vendor"), field("architecture"), field("description")].into_iter().filter(|w| !w.is_empty()).collect();
    (!words.is_empty()).then(|| words.join(" "))
}
