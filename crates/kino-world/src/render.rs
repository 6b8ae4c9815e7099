//! Drawing frames: the backdrop, fixtures, objects, water and avatars in each style.
//!
//! Everything is a signed-distance shape on an anti-aliased [`Canvas`]. Styles differ in how
//! a shape is filled and edged: flat fills with bold outlines (cartoon), sphere and panel
//! lighting with soft shadows (photoreal), hard low-resolution pixels with a small palette
//! (pixel art), or wobbly pencil lines over a colour wash on paper (line sketch).

use kino_core::scene::{Colour, Fixture, Material, ObjectKind, Scene, Setting, Style};
use serde::{Deserialize, Serialize};

use crate::camera::{View, view_at};
use crate::face::{FaceImage, face_image};
use crate::fixtures::{hoop_geometry, ramp_height_at};
use crate::physics::{BodyState, GRAVITY, Shape, Simulation};
use crate::raster::{Bounds, Canvas, bounds_of, mix, rgbf, sd_box, sd_capsule, sd_circle, sd_convex, sd_ellipse, shade};
use crate::voice::{Syllable, mouth_open, syllables};

/// One RGB frame, row-major, 3 bytes per pixel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

/// What a clip's frames share: decoded faces and speech schedules.
#[derive(Debug, Clone)]
pub struct RenderCtx {
    faces: Vec<Option<FaceImage>>,
    speech: Vec<Vec<Syllable>>,
}

impl RenderCtx {
    pub fn new(scene: &Scene) -> Self {
        let faces = scene.objects.iter().map(|o| o.avatar.as_ref().map(|a| face_image(&a.face))).collect();
        let speech = scene.objects.iter().enumerate().map(|(i, o)| o.avatar.as_ref().map(|a| syllables(a, scene.seed, i)).unwrap_or_default()).collect();
        RenderCtx { faces, speech }
    }

    /// The speech schedule of each object (empty for non-avatars).
    pub fn speech(&self) -> &[Vec<Syllable>] {
        &self.speech
    }
}

const INK: [f32; 3] = [0.1, 0.1, 0.12];
const PENCIL: [f32; 3] = [0.22, 0.22, 0.26];
const PAPER: [f32; 3] = [0.96, 0.94, 0.88];

/// How a shape catches the light in the photoreal style.
#[derive(Clone, Copy)]
enum Light {
    Flat,
    Sphere { cx: f32, cy: f32, r: f32, shine: f32 },
    Panel { top: f32, bottom: f32 },
}

struct Painter<'a> {
    c: Canvas,
    view: View,
    style: Style,
    line: f32,
    seed: f32,
    scene: &'a Scene,
}

impl Painter<'_> {
    fn px(&self, x: f64, y: f64) -> [f32; 2] {
        self.view.to_px(x, y)
    }

    fn tint(&self, base: [f32; 3]) -> [f32; 3] {
        if self.style == Style::LineSketch { mix(PAPER, base, 0.4) } else { base }
    }

    /// Fill and edge one shape according to the style.
    fn shape(&mut self, b: Bounds, sdf: &dyn Fn(f32, f32) -> f32, base: [f32; 3], light: Light, alpha: f32) {
        let line = self.line;
        match self.style {
            Style::FlatCartoon => {
                self.c.fill(b, sdf, |_, _| base, alpha);
                self.c.stroke(b, sdf, line, INK, alpha);
            }
            Style::PixelArt => {
                self.c.fill(b, sdf, |_, _| base, alpha);
                self.c.stroke(b, |x, y| sdf(x, y) + 0.5, 1.0, shade(base, 0.45), alpha);
            }
            Style::Photoreal => {
                self.c.fill(b, sdf, |x, y| lit(base, light, x, y), alpha);
                self.c.stroke(b, sdf, line * 0.5, shade(base, 0.5), alpha * 0.5);
            }
            Style::LineSketch => {
                let wash = mix(PAPER, base, 0.4);
                self.c.fill(b, sdf, |_, _| wash, alpha);
                let s = self.seed;
                let wobble = move |x: f32, y: f32| sdf(x, y) + 0.45 * (0.37 * x + 0.23 * y + s).sin() + 0.3 * (0.11 * x - 0.41 * y).sin();
                self.c.stroke(b, wobble, line, PENCIL, alpha);
                self.c.stroke(b, |x, y| sdf(x, y) - 0.6 * (0.2 * x + s).sin(), line * 0.6, PENCIL, alpha * 0.35);
            }
        }
    }

    /// A detail line (seams, net, arms): ink-coloured except in the sketch style.
    fn line_seg(&mut self, a: [f32; 2], b: [f32; 2], width: f32, colour: [f32; 3]) {
        let bb = bounds_of(&[a, b]);
        let colour = if self.style == Style::LineSketch { PENCIL } else { colour };
        self.c.fill(bb, |x, y| sd_capsule(x, y, a, b, width * 0.5), |_, _| colour, 1.0);
    }
}

fn lit(base: [f32; 3], light: Light, x: f32, y: f32) -> [f32; 3] {
    match light {
        Light::Flat => base,
        Light::Sphere { cx, cy, r, shine } => {
            let (nx, ny) = ((x - cx) / r, (y - cy) / r);
            let nz = (1.0 - nx * nx - ny * ny).max(0.0).sqrt();
            let (lx, ly, lz) = (-0.45f32, -0.65f32, 0.61f32);
            let diffuse = (nx * lx + ny * ly + nz * lz).max(0.0);
            let (hx, hy, hz) = (lx, ly, lz + 1.0);
            let hl = (hx * hx + hy * hy + hz * hz).sqrt();
            let spec = ((nx * hx + ny * hy + nz * hz) / hl).max(0.0).powf(28.0) * shine;
            let c = shade(base, 0.28 + 0.85 * diffuse);
            mix(c, [1.0, 1.0, 1.0], spec.min(1.0))
        }
        Light::Panel { top, bottom } => {
            let k = ((y - top) / (bottom - top).max(1.0)).clamp(0.0, 1.0);
            shade(base, 1.12 - 0.4 * k)
        }
    }
}

fn background(setting: Setting) -> ([f32; 3], [f32; 3], [f32; 3]) {
    // (top of backdrop, bottom of backdrop, floor)
    match setting {
        Setting::Gym => ([0.93, 0.87, 0.74], [0.80, 0.72, 0.58], [0.78, 0.55, 0.30]),
        Setting::Park => ([0.45, 0.68, 0.95], [0.78, 0.89, 0.98], [0.35, 0.62, 0.28]),
        Setting::Studio => ([0.62, 0.63, 0.66], [0.82, 0.82, 0.84], [0.55, 0.55, 0.57]),
        Setting::Poolside => ([0.60, 0.82, 0.97], [0.88, 0.95, 0.99], [0.86, 0.88, 0.90]),
    }
}

fn material_colour(m: Material) -> [f32; 3] {
    match m {
        Material::Wood => [0.70, 0.50, 0.30],
        Material::Metal => [0.62, 0.64, 0.68],
        Material::Rubber => [0.28, 0.28, 0.30],
        Material::Glass => [0.75, 0.88, 0.92],
    }
}

/// Draw one frame at time `t` seconds.
pub fn render_frame(scene: &Scene, sim: &Simulation, ctx: &RenderCtx, t: f64, width: u32, height: u32) -> Frame {
    let full = view_at(scene, sim, t, width, height);
    let (view, hard, k) = if scene.style == Style::PixelArt {
        let k = ((width.max(height) as f32 / 48.0).round() as u32).max(2);
        let (w, h) = (width.div_ceil(k), height.div_ceil(k));
        (View { scale: full.scale / k as f32, width: w as f32, height: h as f32, ..full }, true, k)
    } else {
        (full, false, 1)
    };
    let (cw, ch) = (view.width as usize, view.height as usize);
    let line = if hard { 1.0 } else { (width.min(height) as f32 / 90.0).max(0.9) };
    let mut p = Painter { c: Canvas::new(cw, ch, hard), view, style: scene.style, line, seed: (scene.seed % 97) as f32, scene };
    draw_backdrop(&mut p);
    let states = sim.state_at(t);
    let step = ((t * sim.step_hz).round() as usize).min(sim.states.len().saturating_sub(1));
    draw_fixtures_back(&mut p);
    draw_shadows(&mut p, sim, &states);
    for (i, o) in scene.objects.iter().enumerate() {
        let s = &states[i];
        let base = p.tint(rgbf(o.colour.rgb()));
        let shape = sim.bodies[i].shape;
        match o.kind {
            ObjectKind::Ball => draw_ball(&mut p, s, shape, base, o.material),
            ObjectKind::Basketball => draw_basketball(&mut p, s, shape, base),
            ObjectKind::Cube => draw_cube(&mut p, s, shape, base, o.material),
            ObjectKind::RubberDuck => draw_duck(&mut p, s, shape, base, o.velocity[0] < 0.0),
            ObjectKind::Avatar => {
                let open = mouth_open(&ctx.speech[i], t);
                draw_avatar(&mut p, s, o.extent(), o.colour, ctx.faces[i].as_ref(), open);
            }
        }
    }
    draw_water(&mut p, sim, step, t);
    draw_fixtures_front(&mut p);
    let canvas = p.c;
    let rgb = if scene.style == Style::PixelArt { pixelate(&canvas, width, height, k) } else { canvas.to_rgb8() };
    Frame { width, height, rgb }
}

fn pixelate(c: &Canvas, width: u32, height: u32, k: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let p = c.px[(y / k) as usize * c.width + (x / k) as usize];
            out.extend(p.map(|v| ((v.clamp(0.0, 1.0) * 5.0).round() / 5.0 * 255.0) as u8));
        }
    }
    out
}

fn draw_backdrop(p: &mut Painter<'_>) {
    let (top, bottom, floor) = background(p.scene.setting);
    let v = p.view;
    let style = p.style;
    let horizon = v.to_px(0.0, 0.0)[1];
    let setting = p.scene.setting;
    let seed = p.seed;
    p.c.clear(|x, y| {
        if style == Style::LineSketch {
            let grain = ((x * 12.9898 + y * 78.233 + seed).sin() * 43758.547).fract() * 0.03;
            return shade(PAPER, 1.0 - grain.abs());
        }
        let w = v.to_world(x, y);
        if y >= horizon {
            let depth = (-w[1]).clamp(0.0, 3.0) / 3.0;
            let mut c = if style == Style::Photoreal { shade(floor, 1.0 - 0.35 * depth) } else { floor };
            if setting == Setting::Gym && style != Style::PixelArt && (w[0] * 2.0).fract().abs() < 0.03 {
                c = shade(c, 0.85);
            }
            return c;
        }
        let k = (w[1] / 5.0).clamp(0.0, 1.0);
        let mut c = mix(bottom, top, k);
        match setting {
            Setting::Gym if (0.9..1.15).contains(&w[1]) => c = [0.65, 0.2, 0.2],
            Setting::Poolside if style != Style::PixelArt && ((w[0] * 2.5).fract().abs() < 0.04 || (w[1] * 2.5).fract().abs() < 0.04) && w[1] < 1.8 => {
                c = shade(c, 0.9)
            }
            _ => {}
        }
        if style == Style::Photoreal {
            let (dx, dy) = (x / v.width - 0.5, y / v.height - 0.5);
            c = shade(c, 1.0 - 0.35 * (dx * dx + dy * dy));
        }
        c
    });
    if style == Style::LineSketch {
        let a = v.to_px(-50.0, 0.0);
        let b = v.to_px(50.0, 0.0);
        p.line_seg(a, b, p.line, PENCIL);
        return;
    }
    if setting == Setting::Park {
        // Sun and distant hills.
        let sun = v.to_px(2.5, 4.8);
        let r = v.len(0.45);
        p.c.fill([sun[0] - r, sun[1] - r, sun[0] + r, sun[1] + r], |x, y| sd_circle(x, y, sun[0], sun[1], r), |_, _| [1.0, 0.93, 0.55], 1.0);
        for (hx, hr) in [(-2.5, 2.2), (1.5, 2.8)] {
            let c = v.to_px(hx, -1.2);
            let r = v.len(hr);
            p.c.fill([c[0] - r, c[1] - r, c[0] + r, horizon], |x, y| sd_circle(x, y, c[0], c[1], r).max(y - horizon), |_, _| [0.45, 0.7, 0.42], 1.0);
        }
    }
}

fn draw_fixtures_back(p: &mut Painter<'_>) {
    let (_, _, floor) = background(p.scene.setting);
    let fixtures = p.scene.fixtures.clone();
    for f in &fixtures {
        match *f {
            Fixture::Pool { x0, x1, depth } => {
                let a = p.px(f64::from(x0), 0.0);
                let b = p.px(f64::from(x1), -f64::from(depth));
                let tile = p.tint([0.80, 0.93, 0.97]);
                p.c.fill(
                    [a[0], a[1], b[0], b[1]],
                    |x, y| sd_box(x, y, (a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5, (b[0] - a[0]) * 0.5, (b[1] - a[1]) * 0.5, 0.0, 0.0),
                    |_, _| tile,
                    1.0,
                );
                let edge = if p.style == Style::LineSketch { PENCIL } else { shade(floor, 0.6) };
                p.c.stroke(
                    [a[0], a[1], b[0], b[1]],
                    |x, y| sd_box(x, y, (a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5, (b[0] - a[0]) * 0.5, (b[1] - a[1]) * 0.5, 0.0, 0.0),
                    p.line,
                    edge,
                    1.0,
                );
            }
            Fixture::Ramp { x0, x1, height, material } => {
                let pts = [p.px(f64::from(x0), 0.0), p.px(f64::from(x1), f64::from(height)), p.px(f64::from(x1), 0.0)];
                let base = p.tint(material_colour(material));
                let top = pts[1][1];
                let bottom = pts[0][1];
                p.shape(bounds_of(&pts), &|x, y| sd_convex(x, y, &pts), base, Light::Panel { top, bottom }, 1.0);
            }
            Fixture::Wall { side, material } => {
                let (sl, sr) = (f64::from(p.scene.stage[0]), f64::from(p.scene.stage[1]));
                let (a, b) = match side {
                    kino_core::scene::Side::Left => (p.px(sl - 3.0, 12.0), p.px(sl, 0.0)),
                    kino_core::scene::Side::Right => (p.px(sr, 12.0), p.px(sr + 3.0, 0.0)),
                };
                let base = p.tint(shade(material_colour(material), 0.8));
                let (cx, cy, hw, hh) = ((a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5, (b[0] - a[0]) * 0.5, (b[1] - a[1]) * 0.5);
                p.shape([a[0], a[1], b[0], b[1]], &|x, y| sd_box(x, y, cx, cy, hw, hh, 0.0, 0.0), base, Light::Flat, 1.0);
            }
            Fixture::Hoop { x, rim_height, backboard_side } => {
                let g = hoop_geometry(x, rim_height, backboard_side);
                let pa = p.px(g.pole_min.x, g.pole_max.y);
                let pb = p.px(g.pole_max.x, g.pole_min.y);
                let pole = p.tint([0.45, 0.47, 0.5]);
                let (cx, cy, hw, hh) = ((pa[0] + pb[0]) * 0.5, (pa[1] + pb[1]) * 0.5, (pb[0] - pa[0]) * 0.5, (pb[1] - pa[1]) * 0.5);
                p.shape([pa[0], pa[1], pb[0], pb[1]], &|x, y| sd_box(x, y, cx, cy, hw, hh, 0.0, 0.0), pole, Light::Flat, 1.0);
                let arm_y = f64::from(rim_height) + 0.3;
                let arm_a = p.px((g.pole_min.x + g.pole_max.x) * 0.5, arm_y);
                let arm_b = p.px((g.board_min.x + g.board_max.x) * 0.5, arm_y);
                let w = p.view.len(0.06).max(1.0);
                p.line_seg(arm_a, arm_b, w, pole);
                let ba = p.px(g.board_min.x, g.board_max.y);
                let bb = p.px(g.board_max.x, g.board_min.y);
                let board = p.tint([0.97, 0.97, 0.97]);
                let (cx, cy, hw, hh) = ((ba[0] + bb[0]) * 0.5, (ba[1] + bb[1]) * 0.5, ((bb[0] - ba[0]) * 0.5).max(0.8), (bb[1] - ba[1]) * 0.5);
                p.shape(
                    [cx - hw, ba[1], cx + hw, bb[1]],
                    &|x, y| sd_box(x, y, cx, cy, hw, hh, 0.0, 0.0),
                    board,
                    Light::Panel { top: ba[1], bottom: bb[1] },
                    1.0,
                );
            }
            Fixture::Floor { .. } => {}
        }
    }
}

fn draw_fixtures_front(p: &mut Painter<'_>) {
    let fixtures = p.scene.fixtures.clone();
    for f in &fixtures {
        if let Fixture::Hoop { x, rim_height, backboard_side } = *f {
            let g = hoop_geometry(x, rim_height, backboard_side);
            let net = if p.style == Style::LineSketch { PENCIL } else { [0.95, 0.95, 0.95] };
            let w = p.view.len(0.012).max(0.7);
            let top_l = g.rim_back.x;
            let top_r = g.rim_front.x;
            let depth = 0.38;
            for k in 0..5 {
                let u = k as f64 / 4.0;
                let a = p.px(top_l + (top_r - top_l) * u, rim_height.into());
                let bx = top_l + (top_r - top_l) * (0.2 + 0.6 * (1.0 - u));
                let b = p.px(bx, f64::from(rim_height) - depth);
                p.line_seg(a, b, w, net);
            }
            let rim = p.tint([0.92, 0.33, 0.1]);
            let a = p.px(g.rim_back.x, g.rim_back.y);
            let b = p.px(g.rim_front.x, g.rim_front.y);
            let r = p.view.len(g.rim_r).max(0.9);
            p.line_seg(a, b, 2.0 * r, rim);
        }
    }
}

/// Where the ground is under `x` (floor, ramp or pool surface).
fn ground_at(scene: &Scene, x: f32) -> f32 {
    let mut g = 0.0f32;
    for f in &scene.fixtures {
        if let Fixture::Ramp { x0, x1, height, .. } = *f
            && let Some(h) = ramp_height_at(x0, x1, height, x)
        {
            g = g.max(h);
        }
    }
    g
}

fn draw_shadows(p: &mut Painter<'_>, sim: &Simulation, states: &[BodyState]) {
    if !matches!(p.style, Style::Photoreal | Style::LineSketch) {
        return;
    }
    for (i, s) in states.iter().enumerate() {
        let r = sim.bodies[i].shape.bound() as f32;
        let x = s.pos[0] as f32;
        let g = ground_at(p.scene, x);
        let bottom = match sim.bodies[i].shape {
            Shape::Circle { r } => s.pos[1] as f32 - r as f32,
            Shape::Box { hh, .. } => s.pos[1] as f32 - hh as f32,
        };
        let above = (bottom - g).max(0.0);
        if above > 4.0 {
            continue;
        }
        let c = p.px(f64::from(x) + f64::from(above) * 0.25, f64::from(g));
        let rx = p.view.len(f64::from(r * (1.0 + above * 0.4)));
        let ry = rx * 0.22;
        let soft = (1.0 + above * 6.0) * p.view.scale * 0.02 + 1.0;
        let alpha = 0.55 / (1.0 + above * 1.5);
        let b = [c[0] - rx - soft, c[1] - ry - soft, c[0] + rx + soft, c[1] + ry + soft];
        if p.style == Style::LineSketch {
            // Hatching under the object.
            p.c.fill(b, |x, y| sd_ellipse(x, y, c[0], c[1], rx, ry).max(((x + y) * 0.5).sin() * 2.0), |_, _| PENCIL, alpha);
        } else {
            p.c.fill(b, |x, y| sd_ellipse(x, y, c[0], c[1], rx, ry) / soft, |_, _| [0.05, 0.05, 0.08], alpha);
        }
    }
}

fn shine(m: Material) -> f32 {
    match m {
        Material::Rubber => 0.35,
        Material::Wood => 0.15,
        Material::Metal => 0.9,
        Material::Glass => 1.0,
    }
}

fn alpha_of(m: Material) -> f32 {
    if m == Material::Glass { 0.75 } else { 1.0 }
}

fn draw_ball(p: &mut Painter<'_>, s: &BodyState, shape: Shape, base: [f32; 3], m: Material) {
    let Shape::Circle { r } = shape else { return };
    let c = p.px(s.pos[0], s.pos[1]);
    let r = p.view.len(r).max(1.0);
    let b = [c[0] - r, c[1] - r, c[0] + r, c[1] + r];
    let disc = move |x: f32, y: f32| sd_circle(x, y, c[0], c[1], r);
    p.shape(b, &disc, base, Light::Sphere { cx: c[0], cy: c[1], r, shine: shine(m) }, alpha_of(m));
    // A stripe that turns with the ball, so rolling shows.
    let a = -s.angle as f32;
    let (dx, dy) = (a.cos() * r, a.sin() * r);
    let stripe = mix(base, [1.0, 1.0, 1.0], 0.55);
    let light = Light::Sphere { cx: c[0], cy: c[1], r, shine: 0.0 };
    let style = p.style;
    p.c.fill(
        b,
        |x, y| disc(x, y).max(sd_capsule(x, y, [c[0] - dx, c[1] - dy], [c[0] + dx, c[1] + dy], r * 0.16)),
        |x, y| if style == Style::Photoreal { lit(stripe, light, x, y) } else { stripe },
        alpha_of(m),
    );
    if p.style == Style::FlatCartoon {
        let h = [c[0] - r * 0.4, c[1] - r * 0.4];
        p.c.fill(b, |x, y| sd_circle(x, y, h[0], h[1], r * 0.18), |_, _| [1.0, 1.0, 1.0], 0.7);
    }
}

fn draw_basketball(p: &mut Painter<'_>, s: &BodyState, shape: Shape, base: [f32; 3]) {
    let Shape::Circle { r } = shape else { return };
    let c = p.px(s.pos[0], s.pos[1]);
    let r = p.view.len(r).max(1.0);
    let b = [c[0] - r, c[1] - r, c[0] + r, c[1] + r];
    let disc = move |x: f32, y: f32| sd_circle(x, y, c[0], c[1], r);
    p.shape(b, &disc, base, Light::Sphere { cx: c[0], cy: c[1], r, shine: 0.25 }, 1.0);
    let a = -s.angle as f32;
    let (ux, uy) = (a.cos(), a.sin());
    let seam = if p.style == Style::LineSketch { PENCIL } else { [0.12, 0.08, 0.06] };
    let w = (p.line * 0.5).max(0.5);
    let (c0, c1) = (c[0], c[1]);
    p.c.fill(
        b,
        |x, y| {
            let line1 = sd_capsule(x, y, [c0 - ux * r, c1 - uy * r], [c0 + ux * r, c1 + uy * r], w);
            let line2 = sd_capsule(x, y, [c0 + uy * r, c1 - ux * r], [c0 - uy * r, c1 + ux * r], w);
            let arc1 = sd_circle(x, y, c0 + ux * r * 1.25, c1 + uy * r * 1.25, r * 0.95).abs() - w;
            let arc2 = sd_circle(x, y, c0 - ux * r * 1.25, c1 - uy * r * 1.25, r * 0.95).abs() - w;
            line1.min(line2).min(arc1).min(arc2).max(disc(x, y))
        },
        |_, _| seam,
        1.0,
    );
}

fn draw_cube(p: &mut Painter<'_>, s: &BodyState, shape: Shape, base: [f32; 3], m: Material) {
    let Shape::Box { hw, hh } = shape else { return };
    let c = p.px(s.pos[0], s.pos[1]);
    let (hw, hh) = (p.view.len(hw).max(1.0), p.view.len(hh).max(1.0));
    let a = -s.angle as f32;
    let e = (hw * hw + hh * hh).sqrt();
    let b = [c[0] - e, c[1] - e, c[0] + e, c[1] + e];
    let round = if p.style == Style::PixelArt { 0.0 } else { hw * 0.08 };
    let body = move |x: f32, y: f32| sd_box(x, y, c[0], c[1], hw, hh, a, round);
    p.shape(b, &body, base, Light::Panel { top: c[1] - e, bottom: c[1] + e }, alpha_of(m));
    // An inner bevel reads as a face of a cube.
    if p.style != Style::PixelArt {
        let inner = mix(base, [1.0, 1.0, 1.0], 0.18);
        p.c.fill(b, |x, y| sd_box(x, y, c[0], c[1], hw * 0.72, hh * 0.72, a, round), |_, _| inner, 0.6 * alpha_of(m));
    }
    if m == Material::Wood && p.style != Style::PixelArt {
        let grain = shade(base, 0.75);
        for k in [-0.4f32, 0.0, 0.4] {
            let (sx, sy) = (a.cos(), a.sin());
            let o = [c[0] - sy * hh * k, c[1] + sx * hh * k];
            p.c.fill(
                b,
                |x, y| sd_capsule(x, y, [o[0] - sx * hw * 0.6, o[1] - sy * hw * 0.6], [o[0] + sx * hw * 0.6, o[1] + sy * hw * 0.6], 0.35),
                |_, _| grain,
                0.6,
            );
        }
    }
}

fn draw_duck(p: &mut Painter<'_>, s: &BodyState, shape: Shape, base: [f32; 3], faces_left: bool) {
    let Shape::Circle { r } = shape else { return };
    let c = p.px(s.pos[0], s.pos[1]);
    let r = p.view.len(r).max(1.0);
    let a = -s.angle as f32;
    let dir = if faces_left { -1.0 } else { 1.0 };
    let rot = |dx: f32, dy: f32| [c[0] + a.cos() * dx - a.sin() * dy, c[1] + a.sin() * dx + a.cos() * dy];
    let body_c = rot(0.0, r * 0.2);
    let head_c = rot(dir * r * 0.42, -r * 0.5);
    let beak_c = rot(dir * r * 0.95, -r * 0.45);
    let eye_c = rot(dir * r * 0.55, -r * 0.62);
    let tail = rot(-dir * r * 1.0, -r * 0.1);
    let b = [c[0] - r * 1.3, c[1] - r * 1.3, c[0] + r * 1.3, c[1] + r * 1.3];
    let body = move |x: f32, y: f32| sd_circle(x, y, body_c[0], body_c[1], r * 0.78).min(sd_capsule(x, y, body_c, tail, r * 0.3));
    let head = move |x: f32, y: f32| sd_circle(x, y, head_c[0], head_c[1], r * 0.42);
    let beak = p.tint([0.98, 0.55, 0.1]);
    p.shape(b, &move |x, y| sd_ellipse(x, y, beak_c[0], beak_c[1], r * 0.3, r * 0.13), beak, Light::Flat, 1.0);
    p.shape(b, &body, base, Light::Sphere { cx: body_c[0], cy: body_c[1], r: r * 0.9, shine: 0.4 }, 1.0);
    p.shape(b, &head, base, Light::Sphere { cx: head_c[0], cy: head_c[1], r: r * 0.45, shine: 0.4 }, 1.0);
    let eye = r * 0.09;
    p.c.fill(b, |x, y| sd_circle(x, y, eye_c[0], eye_c[1], eye.max(0.5)), |_, _| INK, 1.0);
}

fn draw_avatar(p: &mut Painter<'_>, s: &BodyState, extent: f32, colour: Colour, face: Option<&FaceImage>, open: f32) {
    let h = f64::from(extent);
    let (x, y0) = (s.pos[0], s.pos[1] - h);
    let head_r = 0.36 * h;
    let head = p.px(x, y0 + 2.0 * h - head_r);
    let hr = p.view.len(head_r).max(1.5);
    let shirt = p.tint(rgbf(colour.rgb()));
    let trousers = p.tint([0.2, 0.22, 0.35]);
    let skin = p.tint([0.93, 0.76, 0.62]);
    let lw = p.view.len(0.09 * h).max(1.0);
    // Legs and arms.
    for side in [-1.0, 1.0] {
        let hip = p.px(x + side * 0.12 * h, y0 + 0.62 * h);
        let foot = p.px(x + side * 0.16 * h, y0 + 0.03 * h);
        p.line_seg(hip, foot, 2.0 * lw, trousers);
        let shoulder = p.px(x + side * 0.3 * h, y0 + 1.2 * h);
        let hand = p.px(x + side * 0.45 * h, y0 + 0.75 * h);
        p.line_seg(shoulder, hand, 1.6 * lw, shirt);
        let hc = p.px(x + side * 0.45 * h, y0 + 0.72 * h);
        let hrr = lw;
        p.c.fill([hc[0] - hrr - 1.0, hc[1] - hrr - 1.0, hc[0] + hrr + 1.0, hc[1] + hrr + 1.0], |px, py| sd_circle(px, py, hc[0], hc[1], hrr), |_, _| skin, 1.0);
    }
    let tc = p.px(x, y0 + 0.98 * h);
    let (thw, thh) = (p.view.len(0.3 * h), p.view.len(0.38 * h));
    let torso = move |px: f32, py: f32| sd_box(px, py, tc[0], tc[1], thw, thh, 0.0, thw * 0.4);
    p.shape([tc[0] - thw, tc[1] - thh, tc[0] + thw, tc[1] + thh], &torso, shirt, Light::Panel { top: tc[1] - thh, bottom: tc[1] + thh }, 1.0);
    // The head: the face texture mapped onto a disc.
    let b = [head[0] - hr, head[1] - hr, head[0] + hr, head[1] + hr];
    let disc = move |px: f32, py: f32| sd_circle(px, py, head[0], head[1], hr);
    let style = p.style;
    if let Some(face) = face {
        let light = Light::Sphere { cx: head[0], cy: head[1], r: hr, shine: 0.1 };
        p.c.fill(
            b,
            disc,
            |px, py| {
                let c = face.sample((px - head[0]) / (2.0 * hr) + 0.5, (py - head[1]) / (2.0 * hr) + 0.5);
                match style {
                    Style::Photoreal => mix(c, lit(c, light, px, py), 0.6),
                    Style::LineSketch => mix(PAPER, c, 0.55),
                    _ => c,
                }
            },
            1.0,
        );
    }
    match p.style {
        Style::FlatCartoon => p.c.stroke(b, disc, p.line, INK, 1.0),
        Style::LineSketch => p.c.stroke(b, disc, p.line, PENCIL, 1.0),
        Style::PixelArt => p.c.stroke(b, |px, py| disc(px, py) + 0.5, 1.0, INK, 1.0),
        Style::Photoreal => {}
    }
    if open > 0.05 {
        let m = [head[0], head[1] + hr * 0.36];
        let (rx, ry) = (hr * 0.2, hr * 0.04 + hr * 0.16 * open.min(1.0));
        p.c.fill([m[0] - rx, m[1] - ry, m[0] + rx, m[1] + ry], |px, py| sd_ellipse(px, py, m[0], m[1], rx, ry), |_, _| [0.35, 0.05, 0.08], 1.0);
    }
}

fn draw_water(p: &mut Painter<'_>, sim: &Simulation, step: usize, t: f64) {
    let Some(w) = &sim.water else { return };
    let a = p.px(w.x0, 0.3);
    let b = p.px(w.x1, -w.depth);
    let v = p.view;
    let style = p.style;
    let water = match style {
        Style::LineSketch => mix(PAPER, [0.3, 0.55, 0.9], 0.45),
        _ => [0.15, 0.45, 0.85],
    };
    let surf = |px: f32| w.height_at(step, f64::from(v.to_world(px, 0.0)[0])) as f32;
    let (x0, x1, depth) = (w.x0 as f32, w.x1 as f32, w.depth as f32);
    let sdf = |px: f32, py: f32| {
        let q = v.to_world(px, py);
        let top = (q[1] - surf(px)) * v.scale;
        top.max((x0 - q[0]) * v.scale).max((q[0] - x1) * v.scale).max((-depth - q[1]) * v.scale)
    };
    p.c.fill(
        [a[0], a[1], b[0], b[1]],
        sdf,
        |_, py| if style == Style::Photoreal { shade(water, 1.1 - 0.4 * ((py - a[1]) / (b[1] - a[1]).max(1.0))) } else { water },
        0.6,
    );
    let edge = if style == Style::LineSketch { PENCIL } else { [0.75, 0.9, 1.0] };
    p.c.fill(
        [a[0], a[1], b[0], b[1]],
        |px, py| {
            let q = v.to_world(px, py);
            let d = ((q[1] - surf(px)) * v.scale).abs() - p.line * 0.5;
            d.max((x0 - q[0]) * v.scale).max((q[0] - x1) * v.scale)
        },
        |_, _| edge,
        1.0,
    );
    for d in &sim.droplets {
        let dt = t - d.t0;
        if dt < 0.0 {
            continue;
        }
        let x = d.pos[0] + d.vel[0] * dt;
        let y = d.pos[1] + d.vel[1] * dt - 0.5 * GRAVITY * dt * dt;
        if y < 0.0 && dt > 0.05 {
            continue;
        }
        let c = p.px(x, y.max(0.0));
        let r = p.view.len(d.r).max(0.7);
        p.c.fill([c[0] - r, c[1] - r, c[0] + r, c[1] + r], |px, py| sd_circle(px, py, c[0], c[1], r), |_, _| edge, 0.9);
    }
}
