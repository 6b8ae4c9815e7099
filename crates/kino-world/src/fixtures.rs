//! Geometry of the fixed parts (floor, walls, ramp, hoop, pool), shared by physics and render.
//!
//! Every fixture becomes convex polygons (counter-clockwise) and circles. Solid pieces reach
//! far below the floor and outside the stage so that no moving thing meets a buried edge.

use kino_core::scene::{Fixture, Material, Scene, Side};
use serde::{Deserialize, Serialize};

use crate::math::{V2, v2};

/// Which fixed part was touched; names the far side of a contact in the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Floor,
    Wall,
    Ramp,
    Backboard,
    Rim,
    PoolWall,
    /// Another object, by index into `Scene::objects`.
    Object(usize),
    /// The water's surface.
    Water,
}

impl Part {
    /// The English noun for captions.
    pub fn noun(self) -> &'static str {
        match self {
            Part::Floor => "floor",
            Part::Wall => "wall",
            Part::Ramp => "ramp",
            Part::Backboard => "backboard",
            Part::Rim => "rim",
            Part::PoolWall => "side of the pool",
            Part::Object(_) => "object",
            Part::Water => "water",
        }
    }
}

/// A fixed collision shape.
#[derive(Debug, Clone, PartialEq)]
pub enum StaticShape {
    /// A convex polygon, counter-clockwise.
    Poly(Vec<V2>),
    Circle {
        c: V2,
        r: f64,
    },
}

/// One fixed collider.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticPart {
    pub shape: StaticShape,
    pub material: Material,
    pub part: Part,
}

/// Where a hoop's pieces are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoopGeometry {
    /// Backboard rectangle: min and max corners.
    pub board_min: V2,
    pub board_max: V2,
    /// Centre of the rim's near edge (attached to the board) and far edge.
    pub rim_back: V2,
    pub rim_front: V2,
    /// Radius of the rim's tube.
    pub rim_r: f64,
    /// Pole rectangle (drawn only, behind the play).
    pub pole_min: V2,
    pub pole_max: V2,
}

/// The rim's tube radius in metres.
pub const RIM_R: f64 = 0.02;
/// Rim inner diameter in metres.
pub const RIM_DIAMETER: f64 = 0.58;
const BOARD_THICK: f64 = 0.06;
const DEEP: f64 = 3.0;
const FAR: f64 = 60.0;
const WALL_THICK: f64 = 1.0;
const WALL_HIGH: f64 = 12.0;

/// The hoop's layout for a backboard at `x` whose face looks away from `side`.
pub fn hoop_geometry(x: f32, rim_height: f32, side: Side) -> HoopGeometry {
    let (x, h) = (f64::from(x), f64::from(rim_height));
    // `dir` points from the board towards the court.
    let dir = match side {
        Side::Right => -1.0,
        Side::Left => 1.0,
    };
    let board_x0 = x.min(x - dir * BOARD_THICK);
    let board_x1 = x.max(x - dir * BOARD_THICK);
    let rim_back = v2(x + dir * (0.1 + RIM_R), h);
    let rim_front = v2(rim_back.x + dir * (RIM_DIAMETER + 2.0 * RIM_R), h);
    let pole_x = x - dir * 0.2;
    HoopGeometry {
        board_min: v2(board_x0, h - 0.15),
        board_max: v2(board_x1, h + 0.7),
        rim_back,
        rim_front,
        rim_r: RIM_R,
        pole_min: v2(pole_x - 0.05, 0.0),
        pole_max: v2(pole_x + 0.05, h + 0.3),
    }
}

fn rect(min: V2, max: V2) -> Vec<V2> {
    vec![min, v2(max.x, min.y), max, v2(min.x, max.y)]
}

/// Ramp polygon: the sloped top from `(x0, 0)` to `(x1, height)`, buried below the floor.
pub fn ramp_polygon(x0: f32, x1: f32, height: f32) -> Vec<V2> {
    let (x0, x1, h) = (f64::from(x0), f64::from(x1), f64::from(height));
    if x1 >= x0 { vec![v2(x0, -DEEP), v2(x1, -DEEP), v2(x1, h), v2(x0, 0.0)] } else { vec![v2(x1, -DEEP), v2(x0, -DEEP), v2(x0, 0.0), v2(x1, h)] }
}

/// Height of the ramp's top at `x`, if `x` is over it.
pub fn ramp_height_at(x0: f32, x1: f32, height: f32, x: f32) -> Option<f32> {
    let (lo, hi) = (x0.min(x1), x0.max(x1));
    if x < lo || x > hi || (x1 - x0).abs() < 1e-6 {
        return None;
    }
    Some(height * (x - x0) / (x1 - x0))
}

/// All fixed colliders of a scene, in fixture order.
pub fn static_parts(scene: &Scene) -> Vec<StaticPart> {
    static_parts_for(&scene.fixtures, scene.stage)
}

/// All fixed colliders of these fixtures on a stage `[left, right]`.
pub fn static_parts_for(fixtures: &[Fixture], stage: [f32; 2]) -> Vec<StaticPart> {
    let mut out = Vec::new();
    let pool = fixtures.iter().find_map(|f| match f {
        Fixture::Pool { x0, x1, depth } => Some((f64::from(x0.min(*x1)), f64::from(x0.max(*x1)), f64::from(*depth))),
        _ => None,
    });
    let (sl, sr) = (f64::from(stage[0]), f64::from(stage[1]));
    for f in fixtures {
        match *f {
            Fixture::Floor { material } => match pool {
                Some((p0, p1, depth)) => {
                    out.push(StaticPart { shape: StaticShape::Poly(rect(v2(-FAR, -DEEP), v2(p0, 0.0))), material, part: Part::Floor });
                    out.push(StaticPart { shape: StaticShape::Poly(rect(v2(p1, -DEEP), v2(FAR, 0.0))), material, part: Part::Floor });
                    out.push(StaticPart {
                        shape: StaticShape::Poly(rect(v2(p0 - 0.01, -DEEP - 1.0), v2(p1 + 0.01, -depth.max(0.1)))),
                        material,
                        part: Part::PoolWall,
                    });
                }
                None => out.push(StaticPart { shape: StaticShape::Poly(rect(v2(-FAR, -DEEP), v2(FAR, 0.0))), material, part: Part::Floor }),
            },
            Fixture::Wall { side, material } => {
                let r = match side {
                    Side::Left => rect(v2(sl - WALL_THICK, -DEEP), v2(sl, WALL_HIGH)),
                    Side::Right => rect(v2(sr, -DEEP), v2(sr + WALL_THICK, WALL_HIGH)),
                };
                out.push(StaticPart { shape: StaticShape::Poly(r), material, part: Part::Wall });
            }
            Fixture::Ramp { x0, x1, height, material } => {
                out.push(StaticPart { shape: StaticShape::Poly(ramp_polygon(x0, x1, height)), material, part: Part::Ramp });
            }
            Fixture::Hoop { x, rim_height, backboard_side } => {
                let g = hoop_geometry(x, rim_height, backboard_side);
                out.push(StaticPart { shape: StaticShape::Poly(rect(g.board_min, g.board_max)), material: Material::Glass, part: Part::Backboard });
                for c in [g.rim_back, g.rim_front] {
                    out.push(StaticPart { shape: StaticShape::Circle { c, r: g.rim_r }, material: Material::Metal, part: Part::Rim });
                }
            }
            Fixture::Pool { .. } => {}
        }
    }
    out
}
