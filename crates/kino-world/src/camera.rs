//! Where the camera looks at each moment: shot, framing, follow, pan and zoom.

use kino_core::scene::{Camera, Fixture, Framing, Scene};

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
    let subject = subject_span(scene, cam);
    let span = subject.unwrap_or(cam.framing.view_span()) / zoom.max(1e-3);
    let scale = w.max(h) / span;
    let half_h = h / scale * 0.5;
    let mut lowest = None;
    let (mut cx, mut cy) = match cam.follow.and_then(|i| sim.states.first().and_then(|s| s.get(i)).map(|_| i)) {
        Some(i) => {
            // Pan with the subject, but tilt only as far as keeps its top inside the frame: a
            // camera that tracked its height too would hold a bouncing ball still and move the
            // floor instead, and the bounce would not read.
            let s = sim.state_at(t);
            let extent = scene.objects.get(i).map_or(0.0, |o| o.extent());
            lowest = Some(s[i].pos[1] as f32 - extent);
            (s[i].pos[0] as f32, s[i].pos[1] as f32 + extent - 0.8 * half_h)
        }
        None => (cam.centre[0] + cam.pan * local, cam.centre[1]),
    };
    // Keep the floor near the bottom of the frame (lower when there is a pool to see into).
    // A view narrowed to its subject keeps the floor nearer the bottom, in proportion.
    let below: f32 = if scene.fixtures.iter().any(|f| matches!(f, Fixture::Pool { .. })) { 1.1 } else { 0.6 };
    let below = if subject.is_some() { below.min(0.3 * half_h) } else { below };
    cy = cy.max(half_h - below);
    // A view narrowed to its subject also follows it down (into a pool), so it stays in frame.
    if let (Some(_), Some(bottom)) = (subject, lowest) {
        cy = cy.min(bottom + 0.9 * half_h);
    }
    let half_w = w / scale * 0.5;
    let (sl, sr) = (scene.stage[0] - 0.4, scene.stage[1] + 0.4);
    let followed_x = cx;
    if sr - sl > 2.0 * half_w {
        cx = cx.clamp(sl + half_w, sr - half_w);
    } else {
        cx = (sl + sr) * 0.5;
    }
    // ... and across, even where it leaves the stage.
    if subject.is_some() {
        cx = cx.clamp(followed_x - 0.8 * half_w, followed_x + 0.8 * half_w);
    }
    View { cx, cy, scale, width: w, height: h, shot: index }
}

/// The span (metres across the longer side) that makes a followed object fill the camera's
/// [`subject_share`](kino_core::scene::Camera::subject_share) of the frame, when narrower than
/// the framing's; `None` for wide shots and cameras without a share.
fn subject_span(scene: &Scene, cam: &Camera) -> Option<f32> {
    let share = cam.subject_share.filter(|s| s.is_finite() && *s > 0.0 && *s < 1.0)?;
    let object = scene.objects.get(cam.follow?)?;
    (cam.framing != Framing::Wide).then(|| (2.0 * object.extent() / share).min(cam.framing.view_span()))
}

#[cfg(test)]
mod tests {
    use kino_core::scene::{Colour, Material, Object, ObjectKind, Setting, Shot, Size, Style};

    use super::*;
    use crate::physics::simulate;

    fn ball_dropped_in(framing: Framing) -> Scene {
        let ball = Object {
            kind: ObjectKind::Ball,
            colour: Colour::Red,
            size: Size::Medium,
            material: Material::Rubber,
            position: [-0.8, 2.0],
            velocity: [0.8, 0.0],
            spin: 0.0,
            avatar: None,
        };
        let camera = Camera { framing, follow: Some(0), centre: [0.0, 1.2], pan: 0.0, zoom: 1.0, subject_share: None };
        Scene {
            seed: 1,
            setting: Setting::Gym,
            style: Style::Photoreal,
            stage: [-2.5, 2.5],
            objects: vec![ball],
            fixtures: vec![Fixture::Floor { material: Material::Wood }],
            shots: vec![Shot { duration_s: 2.0, camera }],
        }
    }

    #[test]
    fn a_medium_shot_pans_with_a_bouncing_ball_and_keeps_the_floor_still() {
        let scene = ball_dropped_in(Framing::Medium);
        let sim = simulate(&scene, 2.0);
        let views: Vec<(View, [f32; 2])> = (0..24)
            .map(|f| {
                let t = f64::from(f) / 12.0;
                let s = sim.state_at(t);
                let view = view_at(&scene, &sim, t, 64, 64);
                (view, view.to_px(s[0].pos[0], s[0].pos[1]))
            })
            .collect();
        let floor_rows: Vec<f32> = views.iter().map(|(v, _)| v.to_px(0.0, 0.0)[1]).collect();
        assert!(floor_rows.iter().all(|r| (r - floor_rows[0]).abs() < 1e-3 && *r < 64.0), "the floor moved: {floor_rows:?}");
        let ball_rows: Vec<f32> = views.iter().map(|(_, p)| p[1]).collect();
        let travel = ball_rows.iter().cloned().fold(f32::MIN, f32::max) - ball_rows.iter().cloned().fold(f32::MAX, f32::min);
        assert!(travel > 20.0, "the bounce spans only {travel} rows: {ball_rows:?}");
        // Panned with it: the ball stays near the middle across the frame.
        assert!(views.iter().all(|(_, p)| (p[0] - 32.0).abs() < 2.0), "{views:?}");
    }

    #[test]
    fn a_close_up_tilts_up_to_keep_a_high_ball_in_frame() {
        let scene = ball_dropped_in(Framing::CloseUp);
        let sim = simulate(&scene, 2.0);
        let radius = f64::from(scene.objects[0].extent());
        for f in 0..24 {
            let t = f64::from(f) / 12.0;
            let view = view_at(&scene, &sim, t, 64, 64);
            let s = sim.state_at(t);
            let top = view.to_px(s[0].pos[0], s[0].pos[1] + radius)[1];
            let bottom = view.to_px(s[0].pos[0], s[0].pos[1] - radius)[1];
            assert!(top >= 0.0 && bottom <= 64.0, "frame {f}: ball spans rows {top}..{bottom}");
        }
    }
}
