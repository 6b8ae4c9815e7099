//! Deterministic 2D rigid-body simulation with a rippling pool of water.
//!
//! Fixed 240 Hz steps, each split into substeps small enough that nothing moves more than a
//! fifth of its size (so fast balls cannot tunnel through the rim or the backboard).
//! Free flight is integrated exactly under gravity; contacts are solved with sequential
//! impulses (restitution, Coulomb friction), then separated by projection. Every impact,
//! splash and rolling span is logged for the sound designer and the captions.

use kino_core::scene::{Fixture, Material, ObjectKind, Scene};
use serde::{Deserialize, Serialize};

use crate::collide::{Touch, circle_circle, circle_poly, poly_poly};
use crate::fixtures::{Part, StaticPart, StaticShape, static_parts};
use crate::math::{V2, v2};
use crate::rng::Rng;

/// Physics steps per second.
pub const STEP_HZ: f64 = 240.0;
/// Gravity, metres per second squared.
pub const GRAVITY: f64 = 9.81;
/// Approach speed below which a contact does not bounce (resting contact), m/s.
const REST_SPEED: f64 = 0.25;
/// Approach speed above which a contact is logged as an impact, m/s.
const IMPACT_SPEED: f64 = 0.2;
const SOLVER_ITERATIONS: usize = 8;
const MAX_SUBSTEPS: usize = 64;
const WATER_COLUMN_M: f64 = 0.05;
const WAVE_SPEED: f64 = 1.6;

/// A moving body's collision shape.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    Circle { r: f64 },
    Box { hw: f64, hh: f64 },
}

impl Shape {
    /// Radius of the smallest circle around the shape.
    pub fn bound(self) -> f64 {
        match self {
            Shape::Circle { r } => r,
            Shape::Box { hw, hh } => (hw * hw + hh * hh).sqrt(),
        }
    }

    /// Smallest half-size (the scale at which tunnelling would begin).
    pub fn thinnest(self) -> f64 {
        match self {
            Shape::Circle { r } => r,
            Shape::Box { hw, hh } => hw.min(hh),
        }
    }
}

/// Fixed facts about one body (one per scene object, same order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyInfo {
    pub kind: ObjectKind,
    pub shape: Shape,
    pub material: Material,
    /// Kilograms (avatars are fixed and have infinite mass: 0 here).
    pub mass: f64,
    pub inertia: f64,
    /// Relative to water: below 1 floats.
    pub density: f64,
    /// Avatars stand still where they are placed.
    pub fixed: bool,
}

/// Where a body is at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BodyState {
    pub pos: [f64; 2],
    pub angle: f64,
    pub vel: [f64; 2],
    pub omega: f64,
}

/// What kind of contact an event was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Impact,
    Splash,
}

/// One logged contact: an impact between two things, or a body hitting the water.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ContactEvent {
    /// Seconds from the start of the clip.
    pub time_s: f64,
    pub kind: EventKind,
    /// The moving object (index into `Scene::objects`).
    pub object: usize,
    /// What it hit.
    pub other: Part,
    /// Normal impulse in newton-seconds.
    pub impulse: f64,
    /// Approach speed along the normal, m/s.
    pub speed: f64,
    /// The object's material, then the other side's.
    pub materials: [Material; 2],
}

/// A moment of rolling or sliding along a surface, sampled once per physics step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RollSample {
    pub time_s: f64,
    pub object: usize,
    /// Speed along the surface, m/s.
    pub speed: f64,
    /// True when rolling, false when sliding.
    pub rolling: bool,
    pub material: Material,
    /// The surface rolled on.
    pub part: Part,
}

/// A drop of water thrown up by a splash (drawn ballistically until it falls back).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Droplet {
    pub t0: f64,
    pub pos: [f64; 2],
    pub vel: [f64; 2],
    pub r: f64,
}

/// The pool's surface heights over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterTrack {
    pub x0: f64,
    pub x1: f64,
    pub depth: f64,
    /// `heights[step][column]`, metres above the rest level `y = 0`.
    pub heights: Vec<Vec<f32>>,
}

impl WaterTrack {
    /// Surface height at `x` for step `step` (linear between columns).
    pub fn height_at(&self, step: usize, x: f64) -> f64 {
        let row = &self.heights[step.min(self.heights.len().saturating_sub(1))];
        surface_at(row, self.x0, self.x1, x)
    }
}

fn surface_at(row: &[f32], x0: f64, x1: f64, x: f64) -> f64 {
    if row.is_empty() {
        return 0.0;
    }
    let n = row.len();
    let f = ((x - x0) / (x1 - x0) * n as f64 - 0.5).clamp(0.0, (n - 1) as f64);
    let i = f.floor() as usize;
    let j = (i + 1).min(n - 1);
    let t = f - i as f64;
    f64::from(row[i]) * (1.0 - t) + f64::from(row[j]) * t
}

/// How a basketball's flight at a hoop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShotOutcome {
    /// Went down through the rim.
    Scored,
    /// Hit the backboard (and maybe the rim) but did not go in.
    MissedBackboard,
    /// Hit only the rim and bounced out.
    MissedRim,
    /// Touched neither.
    Airball,
}

/// The full result of simulating a scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    pub step_hz: f64,
    pub bodies: Vec<BodyInfo>,
    /// `states[step][body]`, step 0 is the start.
    pub states: Vec<Vec<BodyState>>,
    pub water: Option<WaterTrack>,
    pub events: Vec<ContactEvent>,
    pub rolling: Vec<RollSample>,
    pub droplets: Vec<Droplet>,
    /// Per body: how its basketball shot ended (only basketballs near a hoop).
    pub outcomes: Vec<Option<ShotOutcome>>,
}

impl Simulation {
    /// Body states at time `t` seconds, interpolated between steps.
    pub fn state_at(&self, t: f64) -> Vec<BodyState> {
        let f = (t * self.step_hz).max(0.0);
        let last = self.states.len().saturating_sub(1);
        let i = (f.floor() as usize).min(last);
        let j = (i + 1).min(last);
        let k = (f - i as f64).clamp(0.0, 1.0);
        self.states[i]
            .iter()
            .zip(&self.states[j])
            .map(|(a, b)| BodyState {
                pos: [a.pos[0] + (b.pos[0] - a.pos[0]) * k, a.pos[1] + (b.pos[1] - a.pos[1]) * k],
                angle: a.angle + (b.angle - a.angle) * k,
                vel: [a.vel[0] + (b.vel[0] - a.vel[0]) * k, a.vel[1] + (b.vel[1] - a.vel[1]) * k],
                omega: a.omega + (b.omega - a.omega) * k,
            })
            .collect()
    }

    /// Total mechanical energy (kinetic plus gravitational) of the moving bodies at `step`.
    pub fn energy(&self, step: usize) -> f64 {
        self.bodies
            .iter()
            .zip(&self.states[step])
            .filter(|(b, _)| !b.fixed)
            .map(|(b, s)| {
                let v2 = s.vel[0] * s.vel[0] + s.vel[1] * s.vel[1];
                0.5 * b.mass * v2 + 0.5 * b.inertia * s.omega * s.omega + b.mass * GRAVITY * s.pos[1]
            })
            .sum()
    }
}

/// Mass, inertia, density and shape of an object.
pub fn body_info(kind: ObjectKind, material: Material, extent: f64) -> BodyInfo {
    let mut density = f64::from(material.density());
    let (shape, fixed) = match kind {
        ObjectKind::Ball | ObjectKind::Basketball | ObjectKind::RubberDuck => (Shape::Circle { r: extent }, false),
        ObjectKind::Cube => (Shape::Box { hw: extent, hh: extent }, false),
        ObjectKind::Avatar => (Shape::Box { hw: extent * 0.4, hh: extent }, true),
    };
    // Basketballs and ducks are hollow.
    match kind {
        ObjectKind::Basketball => density = 0.09,
        ObjectKind::RubberDuck => density *= 0.5,
        _ => {}
    }
    let (mass, inertia) = match shape {
        Shape::Circle { r } => {
            let m = density * 1000.0 * 4.0 / 3.0 * std::f64::consts::PI * r.powi(3);
            let k = if kind == ObjectKind::Basketball { 2.0 / 3.0 } else { 0.4 };
            (m, k * m * r * r)
        }
        Shape::Box { hw, hh } => {
            let m = density * 1000.0 * 8.0 * hw * hh * hw.min(hh);
            (m, m * (4.0 * hw * hw + 4.0 * hh * hh) / 12.0)
        }
    };
    if fixed {
        BodyInfo { kind, shape, material, mass: 0.0, inertia: 0.0, density, fixed }
    } else {
        BodyInfo { kind, shape, material, mass, inertia, density, fixed }
    }
}

#[derive(Debug, Clone, Copy)]
struct Body {
    pos: V2,
    vel: V2,
    angle: f64,
    omega: f64,
    inv_m: f64,
    inv_i: f64,
}

impl Body {
    fn vel_at(&self, p: V2) -> V2 {
        self.vel + (p - self.pos).perp() * self.omega
    }
}

#[derive(Debug, Clone, Copy)]
enum Other {
    Static(usize),
    Body(usize),
}

#[derive(Debug, Clone, Copy)]
struct Contact {
    a: usize,
    b: Other,
    touch: Touch,
    bias: f64,
    approach: f64,
    mu: f64,
    jn: f64,
    jt: f64,
}

fn box_corners(pos: V2, angle: f64, hw: f64, hh: f64) -> [V2; 4] {
    [v2(-hw, -hh), v2(hw, -hh), v2(hw, hh), v2(-hw, hh)].map(|c| pos + c.rotate(angle))
}

fn touches(sa: Shape, a: &Body, sb: ShapeRef<'_>, out: &mut Vec<Touch>) {
    match (sa, sb) {
        (Shape::Circle { r }, ShapeRef::Circle(c, r2)) => out.extend(circle_circle(a.pos, r, c, r2)),
        (Shape::Circle { r }, ShapeRef::Poly(p)) => out.extend(circle_poly(a.pos, r, p)),
        (Shape::Box { hw, hh }, ShapeRef::Circle(c, r2)) => {
            let corners = box_corners(a.pos, a.angle, hw, hh);
            out.extend(circle_poly(c, r2, &corners).map(|t| Touch { normal: -t.normal, point: t.point - t.normal * t.depth, ..t }));
        }
        (Shape::Box { hw, hh }, ShapeRef::Poly(p)) => poly_poly(&box_corners(a.pos, a.angle, hw, hh), p, out),
    }
}

enum ShapeRef<'a> {
    Circle(V2, f64),
    Poly(&'a [V2]),
}

struct World<'a> {
    info: &'a [BodyInfo],
    bodies: Vec<Body>,
    statics: Vec<StaticPart>,
    /// Dynamic-body polygons for the current substep (boxes only).
    polys: Vec<Vec<V2>>,
}

impl World<'_> {
    fn contacts(&mut self, out: &mut Vec<Contact>) {
        out.clear();
        for (i, b) in self.bodies.iter().enumerate() {
            self.polys[i] = match self.info[i].shape {
                Shape::Box { hw, hh } => box_corners(b.pos, b.angle, hw, hh).to_vec(),
                Shape::Circle { .. } => Vec::new(),
            };
        }
        let mut buf = Vec::new();
        for a in 0..self.bodies.len() {
            let (ia, ba) = (&self.info[a], &self.bodies[a]);
            if ia.fixed {
                continue;
            }
            let bound = ia.shape.bound();
            for (k, s) in self.statics.iter().enumerate() {
                buf.clear();
                let shape = match &s.shape {
                    StaticShape::Circle { c, r } => {
                        if (ba.pos - *c).len() > bound + r {
                            continue;
                        }
                        ShapeRef::Circle(*c, *r)
                    }
                    StaticShape::Poly(p) => ShapeRef::Poly(p),
                };
                touches(ia.shape, ba, shape, &mut buf);
                let mu = f64::from(Material::combined_friction(ia.material, s.material));
                let e = f64::from(Material::combined_restitution(ia.material, s.material));
                for t in &buf {
                    out.push(self.contact(a, Other::Static(k), *t, mu, e));
                }
            }
            for b in 0..self.bodies.len() {
                if b == a || (b < a && !self.info[b].fixed) {
                    continue;
                }
                let ib = &self.info[b];
                let bb = &self.bodies[b];
                if (ba.pos - bb.pos).len() > bound + ib.shape.bound() {
                    continue;
                }
                buf.clear();
                let shape = match ib.shape {
                    Shape::Circle { r } => ShapeRef::Circle(bb.pos, r),
                    Shape::Box { .. } => ShapeRef::Poly(&self.polys[b]),
                };
                touches(ia.shape, ba, shape, &mut buf);
                let mu = f64::from(Material::combined_friction(ia.material, ib.material));
                let e = f64::from(Material::combined_restitution(ia.material, ib.material));
                for t in &buf {
                    out.push(self.contact(a, Other::Body(b), *t, mu, e));
                }
            }
        }
    }

    fn other_vel(&self, b: Other, p: V2) -> V2 {
        match b {
            Other::Static(_) => V2::default(),
            Other::Body(j) => self.bodies[j].vel_at(p),
        }
    }

    fn contact(&self, a: usize, b: Other, touch: Touch, mu: f64, e: f64) -> Contact {
        let rel = self.bodies[a].vel_at(touch.point) - self.other_vel(b, touch.point);
        let vn = rel.dot(touch.normal);
        let bias = if vn < -REST_SPEED { -e * vn } else { 0.0 };
        Contact { a, b, touch, bias, approach: -vn, mu, jn: 0.0, jt: 0.0 }
    }

    fn inv(&self, b: Other) -> (f64, f64, V2) {
        match b {
            Other::Static(_) => (0.0, 0.0, V2::default()),
            Other::Body(j) => (self.bodies[j].inv_m, self.bodies[j].inv_i, self.bodies[j].pos),
        }
    }

    fn apply(&mut self, c: &Contact, dir: V2, j: f64) {
        let p = c.touch.point;
        let a = &mut self.bodies[c.a];
        a.vel += dir * (j * a.inv_m);
        a.omega += (p - a.pos).cross(dir) * j * a.inv_i;
        if let Other::Body(k) = c.b {
            let b = &mut self.bodies[k];
            b.vel -= dir * (j * b.inv_m);
            b.omega -= (p - b.pos).cross(dir) * j * b.inv_i;
        }
    }

    fn eff_mass(&self, c: &Contact, dir: V2) -> f64 {
        let a = &self.bodies[c.a];
        let (im_b, ii_b, pos_b) = self.inv(c.b);
        let ra = (c.touch.point - a.pos).cross(dir);
        let rb = (c.touch.point - pos_b).cross(dir);
        let k = a.inv_m + im_b + a.inv_i * ra * ra + ii_b * rb * rb;
        if k > 0.0 { 1.0 / k } else { 0.0 }
    }

    fn solve(&mut self, contacts: &mut [Contact]) {
        for _ in 0..SOLVER_ITERATIONS {
            for c in contacts.iter_mut() {
                let n = c.touch.normal;
                let t = n.perp();
                let rel = self.bodies[c.a].vel_at(c.touch.point) - self.other_vel(c.b, c.touch.point);
                let vn = rel.dot(n);
                let dj = self.eff_mass(c, n) * (c.bias - vn);
                let jn = (c.jn + dj).max(0.0);
                let dj = jn - c.jn;
                c.jn = jn;
                self.apply(c, n, dj);
                let rel = self.bodies[c.a].vel_at(c.touch.point) - self.other_vel(c.b, c.touch.point);
                let vt = rel.dot(t);
                let max_f = c.mu * c.jn;
                let jt = (c.jt - self.eff_mass(c, t) * vt).clamp(-max_f, max_f);
                let dj = jt - c.jt;
                c.jt = jt;
                self.apply(c, t, dj);
            }
        }
    }

    fn kinetic(&self) -> f64 {
        self.bodies
            .iter()
            .map(|b| {
                let m = if b.inv_m > 0.0 { 1.0 / b.inv_m } else { 0.0 };
                let i = if b.inv_i > 0.0 { 1.0 / b.inv_i } else { 0.0 };
                0.5 * m * b.vel.dot(b.vel) + 0.5 * i * b.omega * b.omega
            })
            .sum()
    }

    /// Solve, and if restitution spread over several contact points would create energy
    /// (a known artefact of sequential impulses), solve again with less bounce.
    fn solve_without_gain(&mut self, contacts: &mut [Contact]) {
        if contacts.is_empty() {
            return;
        }
        let before = self.kinetic();
        let saved: Vec<(V2, f64)> = self.bodies.iter().map(|b| (b.vel, b.omega)).collect();
        for attempt in 0..4 {
            self.solve(contacts);
            if self.kinetic() <= before * (1.0 + 1e-9) + 1e-12 {
                return;
            }
            for (b, (v, w)) in self.bodies.iter_mut().zip(&saved) {
                b.vel = *v;
                b.omega = *w;
            }
            for c in contacts.iter_mut() {
                c.bias *= if attempt < 2 { 0.5 } else { 0.0 };
                c.jn = 0.0;
                c.jt = 0.0;
            }
        }
    }

    /// Push overlapping shapes apart. Lifting a body out of an overlap gains it potential
    /// energy; that much is taken from its kinetic energy so the total never rises.
    fn separate(&mut self, contacts: &[Contact]) {
        let start: Vec<V2> = self.bodies.iter().map(|b| b.pos).collect();
        self.push_apart(contacts, &start);
        for (b, s) in self.bodies.iter_mut().zip(&start) {
            if b.inv_m <= 0.0 {
                continue;
            }
            let gain = GRAVITY * (b.pos.y - s.y) / b.inv_m;
            if gain <= 0.0 {
                continue;
            }
            let i = if b.inv_i > 0.0 { 1.0 / b.inv_i } else { 0.0 };
            let ke = 0.5 * b.vel.dot(b.vel) / b.inv_m + 0.5 * i * b.omega * b.omega;
            if ke > 0.0 {
                let k = ((ke - gain).max(0.0) / ke).sqrt();
                b.vel = b.vel * k;
                b.omega *= k;
            }
        }
    }

    fn push_apart(&mut self, contacts: &[Contact], start: &[V2]) {
        for c in contacts {
            let n = c.touch.normal;
            let (im_b, _, _) = self.inv(c.b);
            let im_a = self.bodies[c.a].inv_m;
            let moved_a = self.bodies[c.a].pos - start[c.a];
            let moved_b = match c.b {
                Other::Body(j) => self.bodies[j].pos - start[j],
                Other::Static(_) => V2::default(),
            };
            let depth = c.touch.depth - (moved_a - moved_b).dot(n);
            if depth <= 0.0 || im_a + im_b <= 0.0 {
                continue;
            }
            let share = depth / (im_a + im_b);
            self.bodies[c.a].pos += n * (share * im_a);
            if let Other::Body(j) = c.b {
                self.bodies[j].pos -= n * (share * im_b);
            }
        }
    }
}

/// Fraction (0 to 1) of a body's height below the water line `level`.
fn submerged(shape: Shape, pos: V2, angle: f64, level: f64) -> f64 {
    let half = match shape {
        Shape::Circle { r } => r,
        Shape::Box { hw, hh } => hw * angle.sin().abs() + hh * angle.cos().abs(),
    };
    let d = ((level - (pos.y - half)) / (2.0 * half)).clamp(0.0, 1.0);
    match shape {
        // Area fraction of a circular segment, as a smooth function of depth.
        Shape::Circle { .. } => d * d * (3.0 - 2.0 * d),
        Shape::Box { .. } => d,
    }
}

/// Simulate `scene` for `duration_s` seconds.
pub fn simulate(scene: &Scene, duration_s: f64) -> Simulation {
    let info: Vec<BodyInfo> = scene.objects.iter().map(|o| body_info(o.kind, o.material, f64::from(o.extent()))).collect();
    let bodies: Vec<Body> = scene
        .objects
        .iter()
        .zip(&info)
        .map(|(o, i)| Body {
            pos: v2(f64::from(o.position[0]), f64::from(o.position[1])),
            vel: if i.fixed { V2::default() } else { v2(f64::from(o.velocity[0]), f64::from(o.velocity[1])) },
            angle: 0.0,
            omega: if i.fixed { 0.0 } else { f64::from(o.spin) },
            inv_m: if i.fixed { 0.0 } else { 1.0 / i.mass },
            inv_i: if i.fixed { 0.0 } else { 1.0 / i.inertia },
        })
        .collect();
    let n = bodies.len();
    let mut world = World { info: &info, bodies, statics: static_parts(scene), polys: vec![Vec::new(); n] };
    let pool = scene.fixtures.iter().find_map(|f| match f {
        Fixture::Pool { x0, x1, depth } => Some((f64::from(x0.min(*x1)), f64::from(x0.max(*x1)), f64::from(*depth))),
        _ => None,
    });
    let has_floor = scene.fixtures.iter().any(|f| matches!(f, Fixture::Floor { .. }));
    let pool = pool.filter(|_| has_floor);
    let columns = pool.map_or(0, |(x0, x1, _)| (((x1 - x0) / WATER_COLUMN_M).round() as usize).max(2));
    let mut water_h = vec![0.0f64; columns];
    let mut water_v = vec![0.0f64; columns];
    let hoops: Vec<crate::fixtures::HoopGeometry> = scene
        .fixtures
        .iter()
        .filter_map(|f| match *f {
            Fixture::Hoop { x, rim_height, backboard_side } => Some(crate::fixtures::hoop_geometry(x, rim_height, backboard_side)),
            _ => None,
        })
        .collect();

    let dt = 1.0 / STEP_HZ;
    let steps = (duration_s * STEP_HZ).ceil().max(1.0) as usize;
    let snapshot = |w: &World<'_>| -> Vec<BodyState> {
        w.bodies.iter().map(|b| BodyState { pos: [b.pos.x, b.pos.y], angle: b.angle, vel: [b.vel.x, b.vel.y], omega: b.omega }).collect()
    };
    let mut sim = Simulation {
        step_hz: STEP_HZ,
        bodies: info.clone(),
        states: vec![snapshot(&world)],
        water: pool.map(|(x0, x1, depth)| WaterTrack { x0, x1, depth, heights: vec![vec![0.0; columns]] }),
        events: Vec::new(),
        rolling: Vec::new(),
        droplets: Vec::new(),
        outcomes: info.iter().map(|i| (i.kind == ObjectKind::Basketball && !hoops.is_empty()).then_some(ShotOutcome::Airball)).collect(),
    };
    let mut touched_board = vec![false; n];
    let mut touched_rim = vec![false; n];
    let mut was_wet = vec![false; n];
    let mut splash_rng = Rng::stream(scene.seed, "splash");
    let mut contacts = Vec::new();
    for step in 0..steps {
        let t0 = step as f64 * dt;
        let fastest = world
            .bodies
            .iter()
            .zip(&info)
            .filter(|(_, i)| !i.fixed)
            .map(|(b, i)| (b.vel.len() * dt + b.omega.abs() * i.shape.bound() * dt + 0.5 * GRAVITY * dt * dt) / (0.2 * i.shape.thinnest()))
            .fold(1.0f64, f64::max);
        let subs = (fastest.ceil() as usize).clamp(1, MAX_SUBSTEPS);
        let h = dt / subs as f64;
        let mut step_contacts: Vec<Contact> = Vec::new();
        let row: Vec<f32> = water_h.iter().map(|&v| v as f32).collect();
        for sub in 0..subs {
            let t_end = t0 + (sub + 1) as f64 * h;
            let prev: Vec<V2> = world.bodies.iter().map(|b| b.pos).collect();
            // Integrate: exact free flight under gravity, plus buoyancy and drag in water.
            for (i, b) in world.bodies.iter_mut().enumerate() {
                if info[i].fixed {
                    continue;
                }
                let mut acc = v2(0.0, -GRAVITY);
                if let Some((x0, x1, _)) = pool
                    && b.pos.x > x0
                    && b.pos.x < x1
                {
                    let level = surface_at(&row, x0, x1, b.pos.x);
                    let f = submerged(info[i].shape, b.pos, b.angle, level);
                    if f > 0.0 {
                        acc.y += GRAVITY * f / info[i].density;
                        let drag = (-3.0 * f * h).exp();
                        b.vel = b.vel * drag;
                        b.omega *= drag;
                    }
                }
                b.pos += b.vel * h + acc * (0.5 * h * h);
                b.vel += acc * h;
                b.angle += b.omega * h;
            }
            world.contacts(&mut contacts);
            world.solve_without_gain(&mut contacts);
            world.separate(&contacts);
            // Rolling resistance on resting contacts with the fixed world.
            for c in &contacts {
                if c.approach < REST_SPEED && matches!(c.b, Other::Static(_)) && matches!(info[c.a].shape, Shape::Circle { .. }) {
                    let b = &mut world.bodies[c.a];
                    let k = (-0.4 * h).exp();
                    let t = c.touch.normal.perp();
                    let vt = b.vel.dot(t);
                    b.vel -= t * (vt * (1.0 - k));
                    b.omega *= k;
                }
            }
            log_impacts(&contacts, &world, &info, t_end, h, &mut sim.events);
            for c in &contacts {
                if let Other::Static(k) = c.b {
                    match world.statics[k].part {
                        Part::Backboard => touched_board[c.a] = true,
                        Part::Rim => touched_rim[c.a] = true,
                        _ => {}
                    }
                }
            }
            // Did a basketball drop through a rim?
            for (i, b) in world.bodies.iter().enumerate() {
                if let Some(out) = sim.outcomes[i].as_mut() {
                    for g in &hoops {
                        let (lo, hi) = (g.rim_back.x.min(g.rim_front.x), g.rim_back.x.max(g.rim_front.x));
                        if prev[i].y > g.rim_back.y && b.pos.y <= g.rim_back.y && b.pos.x > lo && b.pos.x < hi {
                            *out = ShotOutcome::Scored;
                        }
                    }
                }
            }
            step_contacts.extend(contacts.iter().copied());
        }
        // Outcomes that are not a score yet follow from what was touched.
        for i in 0..n {
            if let Some(out) = sim.outcomes[i].as_mut()
                && *out != ShotOutcome::Scored
            {
                *out = if touched_board[i] {
                    ShotOutcome::MissedBackboard
                } else if touched_rim[i] {
                    ShotOutcome::MissedRim
                } else {
                    ShotOutcome::Airball
                };
            }
        }
        // Rolling and sliding: one sample per body in resting contact with the fixed world.
        for i in 0..n {
            if info[i].fixed {
                continue;
            }
            let Some(c) = step_contacts.iter().rev().find(|c| c.a == i && matches!(c.b, Other::Static(_)) && c.approach < REST_SPEED) else {
                continue;
            };
            let b = &world.bodies[i];
            let t = c.touch.normal.perp();
            let speed = b.vel.dot(t).abs();
            if speed > 0.05 {
                let slip = (b.vel_at(c.touch.point)).dot(t).abs();
                let (material, part) = match c.b {
                    Other::Static(k) => (world.statics[k].material, world.statics[k].part),
                    Other::Body(j) => (info[j].material, Part::Object(j)),
                };
                sim.rolling.push(RollSample { time_s: t0 + dt, object: i, speed, rolling: slip < 0.3 * speed, material, part });
            }
        }
        // Water: splashes, coupling and the wave equation.
        if let (Some((x0, x1, _)), Some(track)) = (pool, sim.water.as_mut()) {
            let dx = (x1 - x0) / columns as f64;
            for (i, b) in world.bodies.iter().enumerate() {
                if info[i].fixed {
                    continue;
                }
                let inside = b.pos.x > x0 && b.pos.x < x1;
                let bottom = b.pos.y - info[i].shape.thinnest();
                let wet = inside && bottom < surface_at(&row, x0, x1, b.pos.x);
                let col = (((b.pos.x - x0) / dx).floor().max(0.0) as usize).min(columns - 1);
                let reach = ((info[i].shape.bound() / dx).ceil() as usize).max(1);
                if wet && !was_wet[i] && b.vel.y < -0.5 {
                    let speed = -b.vel.y;
                    sim.events.push(ContactEvent {
                        time_s: t0 + dt,
                        kind: EventKind::Splash,
                        object: i,
                        other: Part::Water,
                        impulse: info[i].mass * speed,
                        speed,
                        materials: [info[i].material, info[i].material],
                    });
                    for v in &mut water_v[col.saturating_sub(reach)..(col + reach + 1).min(columns)] {
                        *v -= 0.6 * speed;
                    }
                    let drops = (6.0 + 10.0 * speed.min(6.0) * info[i].shape.bound() / 0.15) as usize;
                    for _ in 0..drops.min(30) {
                        let side = if splash_rng.chance(0.5) { -1.0 } else { 1.0 };
                        sim.droplets.push(Droplet {
                            t0: t0 + dt,
                            pos: [b.pos.x + side * info[i].shape.bound() * f64::from(splash_rng.range(0.3, 1.0)), 0.0],
                            vel: [side * speed * f64::from(splash_rng.range(0.1, 0.5)), speed * f64::from(splash_rng.range(0.3, 0.8))],
                            r: f64::from(splash_rng.range(0.012, 0.03)),
                        });
                    }
                }
                if wet {
                    // Bobbing bodies stir the surface under them.
                    for v in &mut water_v[col.saturating_sub(reach)..(col + reach + 1).min(columns)] {
                        *v += 0.5 * b.vel.y * dt * STEP_HZ * 0.05;
                    }
                }
                was_wet[i] = wet;
            }
            let k = WAVE_SPEED * WAVE_SPEED / (dx * dx);
            let old = water_h.clone();
            for c in 0..columns {
                let l = old[c.saturating_sub(1)];
                let r = old[(c + 1).min(columns - 1)];
                water_v[c] += (k * (l + r - 2.0 * old[c]) - 2.5 * water_v[c] - 8.0 * old[c]) * dt;
            }
            for c in 0..columns {
                water_h[c] = (water_h[c] + water_v[c] * dt).clamp(-0.3, 0.3);
            }
            track.heights.push(water_h.iter().map(|&v| v as f32).collect());
        }
        sim.states.push(snapshot(&world));
    }
    sim.events.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    sim
}

/// Log one impact per touching pair per substep, at the estimated moment of first contact.
fn log_impacts(contacts: &[Contact], world: &World<'_>, info: &[BodyInfo], t_end: f64, h: f64, events: &mut Vec<ContactEvent>) {
    let mut seen: Vec<(usize, Part, usize)> = Vec::new();
    for c in contacts {
        if c.approach < IMPACT_SPEED || c.jn <= 0.0 {
            continue;
        }
        let (other, material) = match c.b {
            Other::Static(k) => (world.statics[k].part, world.statics[k].material),
            Other::Body(j) => (Part::Object(j), info[j].material),
        };
        let toi = t_end - (c.touch.depth / c.approach).clamp(0.0, h);
        if let Some(&(_, _, e)) = seen.iter().find(|(a, o, _)| *a == c.a && *o == other) {
            let ev: &mut ContactEvent = &mut events[e];
            ev.impulse += c.jn;
            ev.speed = ev.speed.max(c.approach);
            ev.time_s = ev.time_s.min(toi);
            continue;
        }
        seen.push((c.a, other, events.len()));
        events.push(ContactEvent {
            time_s: toi,
            kind: EventKind::Impact,
            object: c.a,
            other,
            impulse: c.jn,
            speed: c.approach,
            materials: [info[c.a].material, material],
        });
    }
}
