//! Machine labels: per-frame object boxes, tracks and event times (the evaluation ground truth).

use kino_core::scene::{ObjectKind, Scene};
use serde::{Deserialize, Serialize};

use crate::audio::{SAMPLE_RATE, onset_sample};
use crate::camera::view_at;
use crate::fixtures::Part;
use crate::physics::{EventKind, Shape, ShotOutcome, Simulation};

/// One object's box in one frame, in pixels (`x0, y0` top left, `x1, y1` bottom right),
/// clipped to the frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectBox {
    pub object: usize,
    pub kind: ObjectKind,
    pub bbox: [f32; 4],
    /// False when the object is wholly outside the frame (the box is then empty).
    pub visible: bool,
}

/// Everything labelled in one frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameLabel {
    pub index: usize,
    pub time_s: f64,
    pub shot: usize,
    pub objects: Vec<ObjectBox>,
}

/// One object's path in world metres, one point per frame: `[x, y, angle]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    pub object: usize,
    pub kind: ObjectKind,
    pub points: Vec<[f64; 3]>,
}

/// A contact or splash with its frame and audio sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventLabel {
    pub time_s: f64,
    pub frame: usize,
    pub sample: usize,
    pub kind: EventKind,
    pub object: usize,
    pub other: Part,
    pub impulse: f64,
    pub materials: [kino_core::scene::Material; 2],
}

/// All machine labels of a clip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub width: u32,
    pub height: u32,
    pub fps: f32,
    pub sample_rate: u32,
    pub frames: Vec<FrameLabel>,
    pub tracks: Vec<Track>,
    pub events: Vec<EventLabel>,
    /// Per object: how a basketball shot ended, if it was one.
    pub outcomes: Vec<Option<ShotOutcome>>,
}

/// Label `frames` frames of `width` x `height` at `fps`.
pub fn labels(scene: &Scene, sim: &Simulation, width: u32, height: u32, fps: f32, frames: usize) -> Labels {
    let mut out = Labels {
        width,
        height,
        fps,
        sample_rate: SAMPLE_RATE,
        frames: Vec::with_capacity(frames),
        tracks: scene.objects.iter().enumerate().map(|(i, o)| Track { object: i, kind: o.kind, points: Vec::new() }).collect(),
        events: Vec::new(),
        outcomes: sim.outcomes.clone(),
    };
    for f in 0..frames {
        let t = f as f64 / f64::from(fps);
        let view = view_at(scene, sim, t, width, height);
        let states = sim.state_at(t);
        let mut objects = Vec::new();
        for (i, s) in states.iter().enumerate() {
            out.tracks[i].points.push([s.pos[0], s.pos[1], s.angle]);
            let (hx, hy) = match sim.bodies[i].shape {
                Shape::Circle { r } => (r, r),
                Shape::Box { hw, hh } => {
                    let (sn, cs) = (s.angle.sin().abs(), s.angle.cos().abs());
                    (hw * cs + hh * sn, hw * sn + hh * cs)
                }
            };
            let a = view.to_px(s.pos[0] - hx, s.pos[1] + hy);
            let b = view.to_px(s.pos[0] + hx, s.pos[1] - hy);
            let bbox = [a[0].max(0.0), a[1].max(0.0), b[0].min(width as f32), b[1].min(height as f32)];
            let visible = bbox[2] > bbox[0] && bbox[3] > bbox[1];
            objects.push(ObjectBox { object: i, kind: scene.objects[i].kind, bbox: if visible { bbox } else { [0.0; 4] }, visible });
        }
        out.frames.push(FrameLabel { index: f, time_s: t, shot: view.shot, objects });
    }
    out.events = sim
        .events
        .iter()
        .map(|e| EventLabel {
            time_s: e.time_s,
            frame: (e.time_s * f64::from(fps)).round() as usize,
            sample: onset_sample(e.time_s),
            kind: e.kind,
            object: e.object,
            other: e.other,
            impulse: e.impulse,
            materials: e.materials,
        })
        .collect();
    out
}
