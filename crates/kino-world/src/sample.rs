//! Drawing random scenes: `sample(seed, &Distribution) -> Scene`.
//!
//! The stage is split into three zones (left, middle, right). Fixtures claim zones first (a
//! hoop at one end, a pool, a ramp), then objects are placed with a behaviour each: dropped,
//! thrown, rolled, set on the ramp, dropped into the pool, or shot at the hoop (made, off the
//! backboard, or off the rim). Every choice has a weight in [`Distribution`].

use kino_core::scene::{Avatar, Camera, Colour, FaceTexture, Fixture, Framing, Material, Object, ObjectKind, Scene, Setting, Shot, Side, Size, Style};
use serde::{Deserialize, Serialize};

use crate::collide::{circle_circle, circle_poly};
use crate::fixtures::{StaticPart, StaticShape, hoop_geometry, static_parts_for};
use crate::math::v2;
use crate::physics::{GRAVITY, body_info};
use crate::rng::Rng;

/// Weights and ranges for [`sample`]. Weights need not sum to one; zero turns a choice off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Distribution {
    /// Weights for ball, basketball, cube, rubber duck (avatars are separate).
    pub kinds: [f32; 4],
    /// Weights in [`Style::ALL`] order.
    pub styles: [f32; 4],
    /// Weights in [`Setting::ALL`] order.
    pub settings: [f32; 4],
    /// Weights in [`Colour::ALL`] order.
    pub colours: [f32; 11],
    /// Fewest and most moving objects.
    pub objects: [usize; 2],
    /// Chance of one avatar (character) in the scene.
    pub avatar: f32,
    pub hoop: f32,
    pub pool: f32,
    pub ramp: f32,
    pub walls: f32,
    /// Of basketball shots: weights for made, off the backboard, off the rim.
    pub shot_outcomes: [f32; 3],
    /// Most camera shots per clip (at least 1).
    pub max_shots: usize,
    /// Chance that a lone object's opening medium shot is a close-up instead: a medium ball is
    /// about 7 pixels across in a 64x64 medium shot and 13 in a close-up. At 0 (the default)
    /// nothing is drawn for it, so the default world's scenes stay as they were.
    pub close_up: f32,
    /// How often basketballs and rubber ducks take their usual colours, orange and yellow: 1
    /// (the default) paints 70% of basketballs orange and 60% of ducks yellow, 0 draws their
    /// colour like any object's. A judge trained at 0 cannot read a duck's colour off its
    /// shape (`kino-train eval` recolours them).
    pub usual_colours: f32,
    /// Clip length in seconds.
    pub duration_s: f32,
    /// Frame like a cinematographer: every shot that is not wide follows the clip's main object
    /// and narrows until it fills a fifth of the frame's height (a third in a close-up), and the
    /// first shot is wide only by the `wide` chance. Off (the legacy world kino-1 trained on),
    /// shots keep their framings' fixed spans, and a lone medium ball is 7 pixels across.
    pub subject_framing: bool,
    /// With `subject_framing`, the chance that the first shot is a wide shot of the whole stage.
    pub wide: f32,
}

/// The share of the frame's height a followed object fills in a medium shot under
/// [`Distribution::subject_framing`]; a close-up uses [`CLOSE_UP_SHARE`].
pub const MEDIUM_SHARE: f32 = 0.2;
/// The same in a close-up.
pub const CLOSE_UP_SHARE: f32 = 1.0 / 3.0;

impl Default for Distribution {
    fn default() -> Self {
        Distribution {
            kinds: [1.0, 1.0, 1.0, 1.0],
            styles: [1.0, 1.0, 1.0, 1.0],
            settings: [1.0, 1.0, 1.0, 1.0],
            colours: [1.0; 11],
            objects: [1, 3],
            avatar: 0.35,
            hoop: 0.35,
            pool: 0.3,
            ramp: 0.3,
            walls: 0.5,
            shot_outcomes: [1.0, 1.5, 1.0],
            max_shots: 2,
            close_up: 0.4,
            usual_colours: 1.0,
            duration_s: 2.0,
            subject_framing: true,
            wide: 0.1,
        }
    }
}

impl Distribution {
    /// The world as it was before subject framing: kino-1 was trained, and its evaluation
    /// cases and judge are drawn, from these scenes.
    pub fn legacy() -> Self {
        Distribution { close_up: 0.0, subject_framing: false, ..Distribution::default() }
    }
}

impl Distribution {
    /// Reads a JSON file of sampling weights (fields of `Distribution`; missing ones take
    /// their defaults, unknown ones are an error naming the field).
    pub fn load(path: &std::path::Path) -> Result<Distribution, crate::WorldError> {
        Distribution::load_over(path, &Distribution::default())
    }

    /// [`Distribution::load`], with the fields the file leaves out taken from `base` (kino-1's
    /// runs read their files over [`Distribution::legacy`]).
    pub fn load_over(path: &std::path::Path, base: &Distribution) -> Result<Distribution, crate::WorldError> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::WorldError::io(path, e))?;
        let bad = |field: &str, message: String| crate::WorldError::DistributionField { path: path.display().to_string(), field: field.into(), message };
        let mut merged = serde_json::to_value(base).map_err(|e| bad(".", e.to_string()))?;
        let given: serde_json::Value = crate::scene_file::from_json(&text).map_err(|(field, message)| bad(&field, message))?;
        match (given, merged.as_object_mut()) {
            (serde_json::Value::Object(fields), Some(into)) => {
                for (key, value) in fields {
                    if !into.contains_key(&key) {
                        return Err(bad(&key, format!("unknown field `{key}`")));
                    }
                    into.insert(key, value);
                }
            }
            _ => return Err(bad(".", "must be a JSON object of sampling weights".into())),
        }
        let dist: Distribution = crate::scene_file::from_json(&merged.to_string()).map_err(|(field, message)| bad(&field, message))?;
        let chances = [
            ("avatar", dist.avatar),
            ("hoop", dist.hoop),
            ("pool", dist.pool),
            ("ramp", dist.ramp),
            ("walls", dist.walls),
            ("close_up", dist.close_up),
            ("usual_colours", dist.usual_colours),
            ("wide", dist.wide),
        ];
        match chances.into_iter().find(|(_, p)| !(0.0..=1.0).contains(p)) {
            Some((field, p)) => Err(bad(field, format!("is a chance, from 0 to 1, not {p}"))),
            None => Ok(dist),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    Left,
    Middle,
    Right,
}

impl Zone {
    fn range(self) -> (f32, f32) {
        match self {
            Zone::Left => (-2.3, -0.8),
            Zone::Middle => (-0.7, 0.7),
            Zone::Right => (0.8, 2.3),
        }
    }
}

struct Layout {
    hoop: Option<(Zone, f32, f32, Side)>,
    pool: Option<(f32, f32)>,
    ramp: Option<(f32, f32, f32)>,
    free: Vec<Zone>,
}

/// Draw one scene. The same seed and distribution always give the same scene.
pub fn sample(seed: u64, dist: &Distribution) -> Scene {
    let mut rng = Rng::stream(seed, "scene");
    let setting = Setting::ALL[rng.weighted(&dist.settings)];
    let style = Style::ALL[rng.weighted(&dist.styles)];
    let floor = match setting {
        Setting::Gym | Setting::Studio => Material::Wood,
        Setting::Park => Material::Rubber,
        Setting::Poolside => Material::Glass,
    };
    let mut fixtures = vec![Fixture::Floor { material: floor }];
    let mut layout = Layout { hoop: None, pool: None, ramp: None, free: vec![Zone::Left, Zone::Middle, Zone::Right] };
    if rng.chance(dist.hoop) {
        let (zone, x, side) = if rng.chance(0.5) { (Zone::Right, 2.35, Side::Right) } else { (Zone::Left, -2.35, Side::Left) };
        let rim = rng.range(1.6, 2.0);
        fixtures.push(Fixture::Hoop { x, rim_height: rim, backboard_side: side });
        layout.hoop = Some((zone, x, rim, side));
        layout.free.retain(|z| *z != zone);
    }
    // With a hoop, the far end is kept for the shooter.
    let reserved = layout.hoop.map(|(z, ..)| if z == Zone::Right { Zone::Left } else { Zone::Right });
    let pool_chance = if setting == Setting::Poolside { (dist.pool * 2.0).min(1.0) } else { dist.pool };
    if rng.chance(pool_chance) {
        let zone = take_zone(&mut rng, &mut layout.free, reserved.as_slice());
        if let Some(zone) = zone {
            let (lo, hi) = zone.range();
            let (x0, x1) = (lo + 0.1, hi - 0.1);
            fixtures.push(Fixture::Pool { x0, x1, depth: rng.range(0.6, 1.0) });
            layout.pool = Some((x0, x1));
        }
    }
    // Ramps sit at a stage end, high end outwards, so things roll down towards the middle.
    if rng.chance(dist.ramp)
        && let Some(zone) = take_zone(&mut rng, &mut layout.free, &[reserved.unwrap_or(Zone::Middle), Zone::Middle])
    {
        let (lo, hi) = zone.range();
        let height = rng.range(0.4, 0.8);
        let (x0, x1) = if zone == Zone::Left { (hi, lo - 0.2) } else { (lo, hi + 0.2) };
        fixtures.push(Fixture::Ramp { x0, x1, height, material: rng.pick(&[Material::Wood, Material::Metal, Material::Rubber]) });
        layout.ramp = Some((x0, x1, height));
    }
    if rng.chance(dist.walls) {
        fixtures.push(Fixture::Wall { side: Side::Left, material: floor });
        fixtures.push(Fixture::Wall { side: Side::Right, material: floor });
    }

    let mut objects: Vec<Object> = Vec::new();
    let lo = dist.objects[0].max(1);
    let hi = dist.objects[1].max(lo);
    let count = lo + rng.below(hi - lo + 1);
    // An avatar stands at the free end, or under the ball it shoots.
    if rng.chance(dist.avatar) {
        let x = match layout.hoop {
            Some((_, hx, _, _)) => -hx.signum() * rng.range(1.7, 2.1),
            None => {
                let zone = layout.free.first().copied().unwrap_or(Zone::Middle);
                let (a, b) = zone.range();
                rng.range(a + 0.3, b - 0.3)
            }
        };
        objects.push(avatar(&mut rng, x, dist));
    }
    let statics = static_parts_for(&fixtures, [-2.5, 2.5]);
    let mut shooter_used = false;
    for _ in 0..count {
        let kind = match layout.hoop {
            Some(_) if !shooter_used => ObjectKind::Basketball,
            _ => [ObjectKind::Ball, ObjectKind::Basketball, ObjectKind::Cube, ObjectKind::RubberDuck][rng.weighted(&dist.kinds)],
        };
        let mut obj = object(&mut rng, kind, dist);
        let r = f32::max(obj.extent(), 0.1);
        if let (Some((_, hx, rim, side)), ObjectKind::Basketball, false) = (layout.hoop, kind, shooter_used) {
            shooter_used = true;
            let from_x = match objects.first() {
                Some(a) if a.kind == ObjectKind::Avatar => a.position[0] + hx.signum() * 0.45,
                _ => -hx.signum() * rng.range(1.0, 1.9),
            };
            let from = [from_x, rng.range(1.1, 1.5)];
            let g = hoop_geometry(hx, rim, side);
            let (bx, rx) = (g.rim_back.x as f32, g.rim_front.x as f32);
            // Aim for a make, high on the backboard (a flatter throw, so it bounces out), or
            // at the front of the rim. The simulation decides what really happens.
            let (target, angle) = match rng.weighted(&dist.shot_outcomes) {
                0 => ([(bx + rx) * 0.5, rim + 0.02], rng.range(52.0, 62.0)),
                1 => ([hx - hx.signum() * r, rim + rng.range(0.45, 0.65)], rng.range(40.0, 47.0)),
                _ => ([rx - hx.signum() * rng.range(0.0, 0.05), rim + r * 0.6], rng.range(52.0, 62.0)),
            };
            obj.position = from;
            obj.velocity = launch(from, target, angle);
            obj.spin = 3.0 * -obj.velocity[0].signum();
            objects.push(obj);
            continue;
        }
        let mut placed = false;
        for _ in 0..12 {
            behave(&mut rng, &mut obj, &layout);
            let clear = !touches_fixture(&obj, &statics)
                && objects.iter().all(|o| {
                    let (dx, dy) = (o.position[0] - obj.position[0], o.position[1] - obj.position[1]);
                    let gap = bound(o) + bound(&obj) + 0.05;
                    dx * dx + dy * dy > gap * gap
                });
            if clear {
                placed = true;
                break;
            }
        }
        if placed {
            objects.push(obj);
        }
    }
    let shots = shots(&mut rng, dist, &objects, layout.hoop.is_some());
    Scene { seed, setting, style, stage: [-2.5, 2.5], objects, fixtures, shots }
}

fn bound(o: &Object) -> f32 {
    let s = body_info(o.kind, o.material, f64::from(o.extent())).shape.bound() as f32;
    if o.kind == ObjectKind::Avatar { s + 0.3 } else { s }
}

/// Whether an object's bounding circle starts inside a fixture.
fn touches_fixture(o: &Object, statics: &[StaticPart]) -> bool {
    let c = v2(f64::from(o.position[0]), f64::from(o.position[1]));
    let r = body_info(o.kind, o.material, f64::from(o.extent())).shape.thinnest();
    statics.iter().any(|s| match &s.shape {
        StaticShape::Poly(p) => circle_poly(c, r, p).is_some(),
        StaticShape::Circle { c: q, r: rq } => circle_circle(c, r, *q, *rq).is_some(),
    })
}

fn take_zone(rng: &mut Rng, free: &mut Vec<Zone>, excluded: &[Zone]) -> Option<Zone> {
    let open: Vec<Zone> = free.iter().copied().filter(|z| !excluded.contains(z)).collect();
    if open.is_empty() {
        return None;
    }
    let z = rng.pick(&open);
    free.retain(|f| *f != z);
    Some(z)
}

fn colour(rng: &mut Rng, dist: &Distribution) -> Colour {
    Colour::ALL[rng.weighted(&dist.colours)]
}

fn object(rng: &mut Rng, kind: ObjectKind, dist: &Distribution) -> Object {
    let (colour, material) = match kind {
        ObjectKind::Basketball => (if rng.chance(0.7 * dist.usual_colours) { Colour::Orange } else { colour(rng, dist) }, Material::Rubber),
        ObjectKind::RubberDuck => (if rng.chance(0.6 * dist.usual_colours) { Colour::Yellow } else { colour(rng, dist) }, Material::Rubber),
        _ => (colour(rng, dist), rng.pick(&Material::ALL)),
    };
    Object { kind, colour, size: rng.pick(&Size::ALL), material, position: [0.0, 0.0], velocity: [0.0, 0.0], spin: 0.0, avatar: None }
}

fn avatar(rng: &mut Rng, x: f32, dist: &Distribution) -> Object {
    let size = rng.pick(&[Size::Small, Size::Medium, Size::Medium, Size::Large]);
    let mut speech = Vec::new();
    if rng.chance(0.8) {
        let mut t = rng.range(0.0, 0.5);
        while t < dist.duration_s - 0.3 {
            let end = (t + rng.range(0.6, 1.6)).min(dist.duration_s);
            speech.push([t, end]);
            t = end + rng.range(0.3, 0.8);
        }
    }
    let mut o = Object {
        kind: ObjectKind::Avatar,
        colour: colour(rng, dist),
        size,
        material: Material::Rubber,
        position: [x, 0.0],
        velocity: [0.0, 0.0],
        spin: 0.0,
        avatar: Some(Avatar { face: FaceTexture::Procedural { seed: rng.next_u64() }, voice_pitch_hz: rng.range(90.0, 280.0), speech }),
    };
    o.position[1] = o.extent();
    o
}

/// Give a placed object its start: dropped, thrown, rolled, on the ramp or over the pool.
fn behave(rng: &mut Rng, o: &mut Object, layout: &Layout) {
    let r = o.extent();
    let mut options: Vec<u8> = vec![0, 1, 2];
    if layout.ramp.is_some() {
        options.extend([3, 3]);
    }
    if layout.pool.is_some() {
        options.extend([4, 4]);
    }
    let zone = layout.free.first().copied().unwrap_or(Zone::Middle);
    let (zl, zr) = zone.range();
    match rng.pick(&options) {
        3 => {
            if let Some((x0, x1, h)) = layout.ramp {
                // Near the top of the ramp, just above its surface.
                let x = x1 + (x0 - x1) * rng.range(0.2, 0.4);
                let y = h * (x - x0) / (x1 - x0) + r * 1.5 + 0.02;
                o.position = [x, y];
                o.velocity = [0.0, 0.0];
                return;
            }
        }
        4 => {
            if let Some((x0, x1)) = layout.pool {
                o.position = [rng.range(x0 + r + 0.05, x1 - r - 0.05), rng.range(0.8, 2.0)];
                o.velocity = [rng.range(-0.5, 0.5), 0.0];
                return;
            }
        }
        2 => {
            // Rolled along the floor from the free zone.
            let x = rng.range(zl, zr);
            let v = rng.range(0.8, 2.5) * if x > 0.0 { -1.0 } else { 1.0 };
            o.position = [x, r + 0.01];
            o.velocity = [v, 0.0];
            if o.kind != ObjectKind::Cube {
                o.spin = -v / r;
            }
            return;
        }
        1 => {
            let x = rng.range(zl, zr);
            let v = rng.range(1.0, 3.0) * if x > 0.0 { -1.0 } else { 1.0 };
            o.position = [x, rng.range(0.6, 1.4)];
            o.velocity = [v, rng.range(1.0, 3.0)];
            o.spin = rng.range(-4.0, 4.0);
            return;
        }
        _ => {}
    }
    // Dropped from a height.
    o.position = [rng.range(zl, zr), rng.range(0.8, 2.2)];
    o.velocity = [rng.range(-0.6, 0.6), 0.0];
    o.spin = rng.range(-2.0, 2.0);
}

/// Velocity that carries a ball from `from` through `to` with launch angle near `deg`.
pub fn launch(from: [f32; 2], to: [f32; 2], deg: f32) -> [f32; 2] {
    let dx = to[0] - from[0];
    let dy = to[1] - from[1];
    let g = GRAVITY as f32;
    let mut theta = deg.to_radians();
    for _ in 0..40 {
        let (s, c) = theta.sin_cos();
        let denom = 2.0 * c * c * (dx.abs() * s / c - dy);
        if denom > 0.0 {
            let v = (g * dx * dx / denom).sqrt();
            return [v * c * dx.signum(), v * s];
        }
        theta += 1.5f32.to_radians();
    }
    [dx.signum() * 3.0, 6.0]
}

fn shots(rng: &mut Rng, dist: &Distribution, objects: &[Object], hoop: bool) -> Vec<Shot> {
    let n = 1 + rng.below(dist.max_shots.max(1));
    let total = dist.duration_s.max(0.1);
    let mut out = Vec::new();
    // Follow something that moves; with a hoop, the basketball.
    let movers: Vec<usize> = (0..objects.len()).filter(|&i| objects[i].kind != ObjectKind::Avatar).collect();
    let shooter = objects.iter().position(|o| o.kind == ObjectKind::Basketball).filter(|_| hoop);
    // A lone object opens framed on itself, as a person would film it; a wide shot would draw
    // it a few pixels across.
    let lone = movers.len() == 1 && objects.len() == 1;
    if dist.subject_framing {
        return framed_shots(rng, dist, n, &movers, shooter);
    }
    for i in 0..n {
        let framing = match (i, lone) {
            (0, true) => match rng.pick(&[Framing::Medium, Framing::Medium, Framing::CloseUp, Framing::Wide]) {
                Framing::Medium if dist.close_up > 0.0 && rng.chance(dist.close_up) => Framing::CloseUp,
                framing => framing,
            },
            (0, false) => rng.pick(&[Framing::Wide, Framing::Wide, Framing::Medium]),
            _ => rng.pick(&[Framing::Wide, Framing::Medium, Framing::CloseUp]),
        };
        let follow = if framing == Framing::Wide || movers.is_empty() { None } else { Some(shooter.unwrap_or_else(|| rng.pick(&movers))) };
        let pan = if follow.is_none() && rng.chance(0.3) { rng.range(-0.6, 0.6) } else { 0.0 };
        let zoom = if rng.chance(0.25) { rng.range(1.05, 1.25) } else { 1.0 };
        out.push(Shot { duration_s: total / n as f32, camera: Camera { framing, follow, centre: [0.0, 1.2], pan, zoom, subject_share: None } });
    }
    out
}

/// `n` shots under [`Distribution::subject_framing`]: all but wide ones follow the main object
/// (the shooter where there is a hoop), narrowed to its size.
fn framed_shots(rng: &mut Rng, dist: &Distribution, n: usize, movers: &[usize], shooter: Option<usize>) -> Vec<Shot> {
    let main = shooter.or_else(|| movers.first().copied());
    (0..n)
        .map(|i| {
            let framing = match i {
                0 if rng.chance(dist.wide) => Framing::Wide,
                _ if i > 0 && rng.chance(1.0 / 3.0) => Framing::Wide,
                _ if rng.chance(dist.close_up) => Framing::CloseUp,
                _ => Framing::Medium,
            };
            let follow = if framing == Framing::Wide { None } else { main };
            let subject_share = follow.map(|_| if framing == Framing::CloseUp { CLOSE_UP_SHARE } else { MEDIUM_SHARE });
            let pan = if follow.is_none() && rng.chance(0.3) { rng.range(-0.6, 0.6) } else { 0.0 };
            let zoom = if rng.chance(0.25) { rng.range(1.05, 1.25) } else { 1.0 };
            Shot { duration_s: dist.duration_s.max(0.1) / n as f32, camera: Camera { framing, follow, centre: [0.0, 1.2], pan, zoom, subject_share } }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_scene() {
        let d = Distribution::default();
        assert_eq!(sample(5, &d), sample(5, &d));
        assert_ne!(sample(5, &d), sample(6, &d));
    }

    #[test]
    fn weights_switch_choices_off() {
        let d = Distribution { styles: [0.0, 0.0, 1.0, 0.0], hoop: 0.0, avatar: 0.0, ..Distribution::default() };
        for seed in 0..20 {
            let s = sample(seed, &d);
            assert_eq!(s.style, Style::PixelArt);
            assert!(!s.fixtures.iter().any(|f| matches!(f, Fixture::Hoop { .. })));
        }
    }

    #[test]
    fn distribution_files_fill_in_defaults_and_name_bad_fields() {
        let dir = std::env::temp_dir().join(format!("kino-distribution-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let good = dir.join("good.json");
        std::fs::write(&good, r#"{"objects": [1, 1], "avatar": 0.0}"#).expect("write");
        let d = Distribution::load(&good).expect("loads");
        assert_eq!(d, Distribution { objects: [1, 1], avatar: 0.0, ..Distribution::default() });
        let bad = dir.join("bad.json");
        std::fs::write(&bad, r#"{"objects": [1, 1], "avatars": 0.0}"#).expect("write");
        let err = Distribution::load(&bad).expect_err("unknown field").to_string();
        assert!(err.contains("avatars") && err.contains("bad.json"), "{err}");
        std::fs::write(&bad, r#"{"close_up": 1.5}"#).expect("write");
        let err = Distribution::load(&bad).expect_err("not a chance").to_string();
        assert!(err.contains("close_up") && err.contains("1.5"), "{err}");
        std::fs::write(&bad, r#"{"hoop": "often"}"#).expect("write");
        let err = Distribution::load(&bad).expect_err("wrong type").to_string();
        assert!(err.contains("`hoop`"), "{err}");
        assert!(Distribution::load(&dir.join("missing.json")).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_lone_object_mostly_opens_on_a_shot_that_follows_it() {
        let d = Distribution { objects: [1, 1], avatar: 0.0, ..Distribution::legacy() };
        let firsts: Vec<Camera> = (0..200).map(|seed| sample(seed, &d).shots[0].camera.clone()).collect();
        let framed = firsts.iter().filter(|c| c.framing != Framing::Wide && c.follow == Some(0)).count();
        assert!((120..=180).contains(&framed), "{framed} of 200 first shots follow the lone object");
        // Scenes with several things keep mostly wide openings, which show them all.
        let d = Distribution { objects: [3, 3], ..Distribution::legacy() };
        let wide = (0..200).filter(|&seed| sample(seed, &d).shots[0].camera.framing == Framing::Wide).count();
        assert!(wide > 100, "{wide} of 200");
    }

    #[test]
    fn close_ups_replace_a_lone_objects_medium_openings_and_change_nothing_else() {
        let plain = Distribution { objects: [1, 1], avatar: 0.0, ..Distribution::legacy() };
        let closer = Distribution { close_up: 1.0, ..plain.clone() };
        let mut medium = 0;
        for seed in 0..200 {
            let (a, b) = (sample(seed, &plain), sample(seed, &closer));
            let expected = match a.shots[0].camera.framing {
                Framing::Medium => {
                    medium += 1;
                    Framing::CloseUp
                }
                framing => framing,
            };
            assert_eq!(b.shots[0].camera.framing, expected, "seed {seed}");
            // The same objects and fixtures: only the opening framing (and the camera draws
            // after it) may differ.
            assert_eq!(a.objects, b.objects, "seed {seed}");
            assert_eq!(a.fixtures, b.fixtures, "seed {seed}");
        }
        assert!(medium > 60, "only {medium} of 200 lone objects opened on a medium shot");
    }

    #[test]
    fn subject_framing_keeps_the_main_object_a_fifth_of_the_frame_high_and_in_view() {
        let d = Distribution { objects: [1, 1], avatar: 0.0, max_shots: 1, hoop: 0.0, ..Distribution::default() };
        let (mut framed, mut wide) = (0, 0);
        for seed in 0..60 {
            let scene = sample(seed, &d);
            if scene.shots[0].camera.framing == Framing::Wide {
                wide += 1;
                continue;
            }
            framed += 1;
            let clip = crate::render_clip(&scene, &crate::RenderSettings::default()).expect("renders");
            for frame in &clip.labels.frames {
                let b = &frame.objects[0];
                assert!(b.visible, "seed {seed}: the subject left frame {}: {:?} {:?}", frame.index, scene, clip.labels.tracks[0].points[frame.index]);
                // The box is clipped to the frame; the object's own height is what counts.
                let height = b.bbox[3] - b.bbox[1];
                let clipped = b.bbox[1] <= 0.0 || b.bbox[3] >= 64.0;
                assert!(clipped || height >= 64.0 * MEDIUM_SHARE * 0.95, "seed {seed} frame {}: {height} px high", frame.index);
            }
        }
        assert!(wide <= 12 && framed >= 48, "{wide} wide, {framed} framed of 60");
        // The legacy world draws the same lone objects far smaller.
        let legacy = Distribution { objects: [1, 1], avatar: 0.0, max_shots: 1, hoop: 0.0, ..Distribution::legacy() };
        let small = (0..60u64)
            .map(|seed| crate::render_clip(&sample(seed, &legacy), &crate::RenderSettings::default()).expect("renders"))
            .filter(|clip| clip.labels.frames[0].objects[0].bbox[3] - clip.labels.frames[0].objects[0].bbox[1] < 10.0)
            .count();
        assert!(small > 20, "{small} of 60 legacy clips open on an object under 10 px high");
    }

    #[test]
    fn without_usual_colours_basketballs_and_ducks_take_any_colour() {
        let plain = Distribution { kinds: [0.0, 1.0, 0.0, 1.0], ..Distribution::default() };
        let any = Distribution { usual_colours: 0.0, ..plain.clone() };
        let usual = |d: &Distribution| {
            let objects: Vec<Object> = (0..300).flat_map(|seed| sample(seed, d).objects).filter(|o| o.kind != ObjectKind::Avatar).collect();
            let usual = objects
                .iter()
                .filter(|o| (o.kind, o.colour) == (ObjectKind::Basketball, Colour::Orange) || (o.kind, o.colour) == (ObjectKind::RubberDuck, Colour::Yellow));
            usual.count() as f64 / objects.len() as f64
        };
        // 65% + 35% / 11 ≈ 68% usually; 1 / 11 ≈ 9% without.
        assert!(usual(&plain) > 0.55, "{}", usual(&plain));
        assert!(usual(&any) < 0.15, "{}", usual(&any));
    }

    #[test]
    fn launch_reaches_target() {
        let from = [0.0, 1.5];
        let to = [3.0, 2.5];
        let v = launch(from, to, 55.0);
        let t = (to[0] - from[0]) / v[0];
        let y = from[1] + v[1] * t - 0.5 * GRAVITY as f32 * t * t;
        assert!((y - to[1]).abs() < 1e-3, "{y}");
    }
}
