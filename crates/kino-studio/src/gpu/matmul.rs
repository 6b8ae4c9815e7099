//! The device check: multiply two small matrices with the WGSL shader in
//! `shaders/matmul.wgsl`, do the same on the CPU, and compare every element.
//!
//! The inputs are small multiples of 1/4 and 1/8, so every product and sum is exact in f32:
//! a correct GPU gives exactly the CPU's numbers, and anyone can recompute them from
//! [`a_entry`] and [`b_entry`].

use wgpu::util::DeviceExt;

use super::{Gpu, GpuError};

const SHADER: &str = include_str!("../../../../shaders/matmul.wgsl");
const WORKGROUP: u32 = 8;

/// Matrix sizes of the check: A is m×k, B is k×n.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dims {
    pub m: u32,
    pub k: u32,
    pub n: u32,
}

impl Dims {
    /// 16×32 · 32×24: 384 results, each a sum of 32 products.
    pub const CHECK: Dims = Dims { m: 16, k: 32, n: 24 };
}

/// `A[i] = ((7i mod 13) − 6) / 4` over A's row-major index.
pub fn a_entry(i: u32) -> f32 {
    ((7 * i % 13) as f32 - 6.0) / 4.0
}

/// `B[j] = ((5j mod 11) − 5) / 8` over B's row-major index.
pub fn b_entry(j: u32) -> f32 {
    ((5 * j % 11) as f32 - 5.0) / 8.0
}

pub fn inputs(dims: Dims) -> (Vec<f32>, Vec<f32>) {
    ((0..dims.m * dims.k).map(a_entry).collect(), (0..dims.k * dims.n).map(b_entry).collect())
}

/// The reference result, row-major m×n.
pub fn multiply_on_cpu(dims: Dims, a: &[f32], b: &[f32]) -> Vec<f32> {
    let (m, k, n) = (dims.m as usize, dims.k as usize, dims.n as usize);
    let mut c = vec![0.0; m * n];
    for row in 0..m {
        for col in 0..n {
            c[row * n + col] = (0..k).map(|i| a[row * k + i] * b[i * n + col]).sum();
        }
    }
    c
}

/// The largest absolute difference between two results of the same size.
pub fn max_abs_difference(x: &[f32], y: &[f32]) -> f32 {
    x.iter().zip(y).map(|(p, q)| (p - q).abs()).fold(0.0, f32::max)
}

/// Runs the shader once and reads the m×n result back.
pub async fn multiply_on_gpu(gpu: &Gpu, dims: Dims, a: &[f32], b: &[f32]) -> Result<Vec<f32>, GpuError> {
    let device = &gpu.device;
    let storage = |label, contents: &[f32]| {
        device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some(label),
            contents: bytemuck::cast_slice(contents),
            usage: wgpu::BufferUsages::STORAGE,
        })
    };
    let dims_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("matmul dims"),
        contents: bytemuck::cast_slice(&[dims.m, dims.k, dims.n, 0]),
        usage: wgpu::BufferUsages::UNIFORM,
    });
    let a_buffer = storage("matmul a", a);
    let b_buffer = storage("matmul b", b);
    let c_bytes = u64::from(dims.m * dims.n) * 4;
    let c_buffer = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("matmul c"),
        size: c_bytes,
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
        mapped_at_creation: false,
    });
    let readback = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("matmul readback"),
        size: c_bytes,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });

    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor { label: Some("matmul.wgsl"), source: wgpu::ShaderSource::Wgsl(SHADER.into()) });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some("matmul"),
        layout: None,
        module: &module,
        entry_point: Some("main"),
        compilation_options: Default::default(),
        cache: None,
    });
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("matmul bindings"),
        layout: &pipeline.get_bind_group_layout(0),
        entries: &[
            wgpu::BindGroupEntry { binding: 0, resource: dims_buffer.as_entire_binding() },
            wgpu::BindGroupEntry { binding: 1, resource: a_buffer.as_entire_binding() },
            wgpu::BindGroupEntry { binding: 2, resource: b_buffer.as_entire_binding() },
            wgpu::BindGroupEntry { binding: 3, resource: c_buffer.as_entire_binding() },
        ],
    });

    let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("matmul") });
    {
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some("matmul"), timestamp_writes: None });
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, &bind_group, &[]);
        pass.dispatch_workgroups(dims.n.div_ceil(WORKGROUP), dims.m.div_ceil(WORKGROUP), 1);
    }
    encoder.copy_buffer_to_buffer(&c_buffer, 0, &readback, 0, c_bytes);
    gpu.queue.submit([encoder.finish()]);

    let (sender, receiver) = futures_channel::oneshot::channel();
    readback.slice(..).map_async(wgpu::MapMode::Read, move |result| {
        let _ = sender.send(result);
    });
    receiver
        .await
        .map_err(|_| GpuError::Compute("the device was lost before the result came back".to_owned()))?
        .map_err(|error| GpuError::Compute(error.to_string()))?;
    let view = readback.slice(..).get_mapped_range().map_err(|error| GpuError::Compute(error.to_string()))?;
    // Copy out with pod_collect_to_vec: the mapped bytes carry no f32 alignment guarantee.
    let result = bytemuck::pod_collect_to_vec::<u8, f32>(&view);
    drop(view);
    readback.unmap();
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_reference_matches_a_hand_computed_product() {
        let dims = Dims { m: 1, k: 2, n: 1 };
        // A = [a(0), a(1)] = [-1.5, 0.25]; B = [b(0), b(1)] = [-0.625, 0.0]
        let (a, b) = inputs(dims);
        assert_eq!(a, vec![-1.5, 0.25]);
        assert_eq!(b, vec![-0.625, 0.0]);
        assert_eq!(multiply_on_cpu(dims, &a, &b), vec![0.9375]);
    }

    #[test]
    fn differences_are_measured_elementwise() {
        assert_eq!(max_abs_difference(&[1.0, 2.0, 3.0], &[1.0, 2.5, 2.0]), 1.0);
        assert_eq!(max_abs_difference(&[], &[]), 0.0);
    }
}
