//! Where the camera looks at each moment: shot, framing, follow, pan and zoom.

use kino_core::scene::{Fixture, Scene};

use crate::physics::Simulation;

/// A view from world metres to pixels for one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// World point at the frame centre.
    pub cx: f32,
    pub cy: f32,
    /// Pixels per metre.
    pub scale: f32,
    pub width: f32,
    pub height: f32,
    /// Which shot this frame belongs to.
    pub shot: usize,
}

impl View {
    /// World metres to pixel coordinates (y down).
    pub fn to_px(&self, x: f64, y: f64) -> [f32; 2] {
        [(x as f32 - self.cx) * self.scale + self.width * 0.5, (self.cy - y as f32) * self.scale + self.height * 0.5]
    }

    /// Pixel coordinates to world metres.
    pub fn to_world(&self, px: f32, py: f32) -> [f32; 2] {
        [(px - self.width * 0.5) / self.scale + self.cx, self.cy - (py - self.height * 0.5) / self.scale]
    }

    /// A length in metres as pixels.
    pub fn len(&self, m: f64) -> f32 {
        m as f32 * self.scale
    }
}

/// The view at time `t` for a `width` x `height` frame.
pub fn view_at(scene: &Scene, sim: &Simulation, t: f64, width: u32, height: u32) -> View {
    let (w, h) = (width as f32, height as f32);
    let Some((index, shot, local)) = scene.shot_at(t as f32) else {
        return View { cx: 0.0, cy: 1.4, scale: w.max(h) / 8.4, width: w, height: h, shot: 0 };
    };
    let cam = &shot.camera;
    let zoom = if cam.zoom.is_finite() && cam.zoom > 0.0 { cam.zoom.powf(local) } else { 1.0 };
    let span = cam.framing.view_span() / zoom.max(1e-3);
    let scale = w.max(h) / span;
    let (mut cx, mut cy) = match cam.follow.and_then(|i| sim.states.first().and_then(|s| s.get(i)).map(|_| i)) {
        Some(i) => {
            let s = sim.state_at(t);
            (s[i].pos[0] as f32, s[i].pos[1] as f32 + 0.2 * span / 4.0)
        }
        None => (cam.centre[0] + cam.pan * local, cam.centre[1]),
    };
    // Keep the floor near the bottom of the frame (lower when there is a pool to see into).
    let below = if scene.fixtures.iter().any(|f| matches!(f, Fixture::Pool { .. })) { 1.1 } else { 0.6 };
    let half_h = h / scale * 0.5;
    cy = cy.max(half_h - below);
    let half_w = w / scale * 0.5;
    let (sl, sr) = (scene.stage[0] - 0.4, scene.stage[1] + 0.4);
    if sr - sl > 2.0 * half_w {
        cx = cx.clamp(sl + half_w, sr - half_w);
    } else {
        cx = (sl + sr) * 0.5;
    }
    View { cx, cy, scale, width: w, height: h, shot: index }
}
