//! The scene description: what a clip of Kino's procedural world contains.
//!
//! A [`Scene`] is plain data (serde JSON): objects with colours, sizes and materials, fixed
//! fixtures (floor, walls, ramp, hoop, pool), a setting, a visual style and a list of camera
//! shots that all watch one continuous world. `kino-world` simulates, renders, sonifies and
//! captions it; the model and the studio use the same vocabulary for prompts and evaluation.
//!
//! Coordinates are metres in a 2D side view: `x` to the right, `y` up, the floor top at
//! `y = 0`. Times are seconds from the start of the clip.

use serde::{Deserialize, Serialize};

/// One clip's world: everything needed to simulate, render, sonify and caption it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    /// Seed for everything not written down here (face details, ambience, caption wording).
    pub seed: u64,
    /// Where the scene happens; picks the backdrop and the ambient sound.
    pub setting: Setting,
    /// How the frames are drawn.
    pub style: Style,
    /// Left and right ends of the stage in metres; walls, if any, sit here.
    #[serde(default = "default_stage")]
    pub stage: [f32; 2],
    /// The moving things.
    pub objects: Vec<Object>,
    /// The fixed things.
    pub fixtures: Vec<Fixture>,
    /// Camera shots, played one after another over the same world (at least one).
    pub shots: Vec<Shot>,
}

fn default_stage() -> [f32; 2] {
    [-2.5, 2.5]
}

impl Scene {
    /// Total length of the clip in seconds: the sum of the shot durations.
    pub fn duration_s(&self) -> f32 {
        self.shots.iter().map(|s| s.duration_s.max(0.0)).sum()
    }

    /// The shot on screen at time `t` and the time since that shot began.
    pub fn shot_at(&self, t: f32) -> Option<(usize, &Shot, f32)> {
        let mut start = 0.0;
        for (i, shot) in self.shots.iter().enumerate() {
            let end = start + shot.duration_s.max(0.0);
            if t < end || i + 1 == self.shots.len() {
                return Some((i, shot, (t - start).max(0.0)));
            }
            start = end;
        }
        None
    }
}

/// Where the scene is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// An indoor gym: wooden floor, hum and room echo.
    Gym,
    /// A park: grass, sky, wind and birds.
    Park,
    /// A plain studio backdrop, nearly silent.
    Studio,
    /// Beside a swimming pool: tiles and lapping water.
    Poolside,
}

impl Setting {
    /// Every setting, in a fixed order.
    pub const ALL: [Setting; 4] = [Setting::Gym, Setting::Park, Setting::Studio, Setting::Poolside];

    /// The English phrase for captions ("in a gym").
    pub fn phrase(self) -> &'static str {
        match self {
            Setting::Gym => "in a gym",
            Setting::Park => "in a park",
            Setting::Studio => "in a bare studio",
            Setting::Poolside => "beside a swimming pool",
        }
    }
}

/// How frames are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// Flat colours with bold outlines.
    FlatCartoon,
    /// Shaded, lit from above with soft shadows and highlights.
    Photoreal,
    /// Chunky pixels with a reduced palette.
    PixelArt,
    /// Pencil lines on paper with a light colour wash.
    LineSketch,
}

impl Style {
    /// Every style, in a fixed order.
    pub const ALL: [Style; 4] = [Style::FlatCartoon, Style::Photoreal, Style::PixelArt, Style::LineSketch];

    /// The English phrase for captions.
    pub fn phrase(self) -> &'static str {
        match self {
            Style::FlatCartoon => "in a flat cartoon style",
            Style::Photoreal => "photorealistic, with soft shadows",
            Style::PixelArt => "as pixel art",
            Style::LineSketch => "as a pencil line sketch",
        }
    }
}

/// A named colour. Captions use the name; the renderer uses [`Colour::rgb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Red,
    Orange,
    Yellow,
    Green,
    Blue,
    Purple,
    Pink,
    White,
    Black,
    Brown,
    Grey,
}

impl Colour {
    /// Every colour, in a fixed order.
    pub const ALL: [Colour; 11] = [
        Colour::Red,
        Colour::Orange,
        Colour::Yellow,
        Colour::Green,
        Colour::Blue,
        Colour::Purple,
        Colour::Pink,
        Colour::White,
        Colour::Black,
        Colour::Brown,
        Colour::Grey,
    ];

    /// The English name ("red").
    pub fn name(self) -> &'static str {
        match self {
            Colour::Red => "red",
            Colour::Orange => "orange",
            Colour::Yellow => "yellow",
            Colour::Green => "green",
            Colour::Blue => "blue",
            Colour::Purple => "purple",
            Colour::Pink => "pink",
            Colour::White => "white",
            Colour::Black => "black",
            Colour::Brown => "brown",
            Colour::Grey => "grey",
        }
    }

    /// sRGB bytes.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Colour::Red => [220, 40, 40],
            Colour::Orange => [240, 130, 30],
            Colour::Yellow => [245, 210, 40],
            Colour::Green => [50, 170, 70],
            Colour::Blue => [40, 90, 220],
            Colour::Purple => [130, 60, 180],
            Colour::Pink => [240, 120, 170],
            Colour::White => [240, 240, 235],
            Colour::Black => [30, 30, 35],
            Colour::Brown => [130, 80, 40],
            Colour::Grey => [135, 135, 140],
        }
    }
}

/// A relative size; each object kind scales it to metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Size {
    Small,
    Medium,
    Large,
}

impl Size {
    /// Every size, in a fixed order.
    pub const ALL: [Size; 3] = [Size::Small, Size::Medium, Size::Large];

    /// Multiplier on the kind's medium size.
    pub fn scale(self) -> f32 {
        match self {
            Size::Small => 0.7,
            Size::Medium => 1.0,
            Size::Large => 1.4,
        }
    }

    /// The English adjective.
    pub fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
        }
    }
}

/// What a thing is made of: it sets bounce, grip, weight and the sound it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Material {
    Rubber,
    Wood,
    Metal,
    Glass,
}

/// How a material rings when struck: a few decaying partials plus a noise burst.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Timbre {
    /// Lowest partial in hertz.
    pub base_hz: f32,
    /// Ratios of the upper partials to `base_hz` (inharmonic for metal and glass).
    pub partials: [f32; 3],
    /// Time for the ring to fall by 60 dB, in seconds.
    pub decay_s: f32,
    /// Share of broadband noise in the attack, 0 to 1.
    pub noise: f32,
}

impl Material {
    /// Every material, in a fixed order.
    pub const ALL: [Material; 4] = [Material::Rubber, Material::Wood, Material::Metal, Material::Glass];

    /// Coefficient of restitution against a rigid surface of the same material.
    pub fn restitution(self) -> f32 {
        match self {
            Material::Rubber => 0.85,
            Material::Wood => 0.6,
            Material::Metal => 0.5,
            Material::Glass => 0.7,
        }
    }

    /// Coulomb friction coefficient.
    pub fn friction(self) -> f32 {
        match self {
            Material::Rubber => 0.9,
            Material::Wood => 0.5,
            Material::Metal => 0.3,
            Material::Glass => 0.2,
        }
    }

    /// Density relative to water (sets mass and whether it floats).
    pub fn density(self) -> f32 {
        match self {
            Material::Rubber => 0.25,
            Material::Wood => 0.6,
            Material::Metal => 7.8,
            Material::Glass => 2.5,
        }
    }

    /// The sound of an impact on this material.
    pub fn timbre(self) -> Timbre {
        match self {
            Material::Rubber => Timbre { base_hz: 180.0, partials: [2.0, 3.1, 4.3], decay_s: 0.12, noise: 0.3 },
            Material::Wood => Timbre { base_hz: 420.0, partials: [2.6, 4.1, 6.3], decay_s: 0.15, noise: 0.45 },
            Material::Metal => Timbre { base_hz: 880.0, partials: [2.76, 5.40, 8.93], decay_s: 0.9, noise: 0.1 },
            Material::Glass => Timbre { base_hz: 1650.0, partials: [2.32, 4.25, 6.63], decay_s: 0.6, noise: 0.05 },
        }
    }

    /// The English adjective ("wooden").
    pub fn adjective(self) -> &'static str {
        match self {
            Material::Rubber => "rubber",
            Material::Wood => "wooden",
            Material::Metal => "metal",
            Material::Glass => "glass",
        }
    }

    /// Restitution of a contact between two materials (geometric mean).
    pub fn combined_restitution(a: Material, b: Material) -> f32 {
        (a.restitution() * b.restitution()).sqrt()
    }

    /// Friction of a contact between two materials (geometric mean).
    pub fn combined_friction(a: Material, b: Material) -> f32 {
        (a.friction() * b.friction()).sqrt()
    }
}

/// The kind of a moving object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Ball,
    Basketball,
    Cube,
    RubberDuck,
    /// A simple character standing on the floor, with a face and a voice.
    Avatar,
}

impl ObjectKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ObjectKind; 5] = [ObjectKind::Ball, ObjectKind::Basketball, ObjectKind::Cube, ObjectKind::RubberDuck, ObjectKind::Avatar];

    /// The English noun ("rubber duck").
    pub fn noun(self) -> &'static str {
        match self {
            ObjectKind::Ball => "ball",
            ObjectKind::Basketball => "basketball",
            ObjectKind::Cube => "cube",
            ObjectKind::RubberDuck => "rubber duck",
            ObjectKind::Avatar => "character",
        }
    }

    /// The plural noun.
    pub fn plural(self) -> &'static str {
        match self {
            ObjectKind::Ball => "balls",
            ObjectKind::Basketball => "basketballs",
            ObjectKind::Cube => "cubes",
            ObjectKind::RubberDuck => "rubber ducks",
            ObjectKind::Avatar => "characters",
        }
    }

    /// Radius (balls, ducks), half side (cubes) or half height (avatars) in metres at [`Size::Medium`].
    pub fn medium_extent(self) -> f32 {
        match self {
            ObjectKind::Ball => 0.18,
            ObjectKind::Basketball => 0.16,
            ObjectKind::Cube => 0.18,
            ObjectKind::RubberDuck => 0.17,
            ObjectKind::Avatar => 0.5,
        }
    }
}

/// One moving object and its starting state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Object {
    pub kind: ObjectKind,
    pub colour: Colour,
    pub size: Size,
    pub material: Material,
    /// Centre at the start, metres.
    pub position: [f32; 2],
    /// Velocity at the start, metres per second.
    #[serde(default)]
    pub velocity: [f32; 2],
    /// Angular velocity at the start, radians per second (counter-clockwise).
    #[serde(default)]
    pub spin: f32,
    /// Face and voice; used only when `kind` is [`ObjectKind::Avatar`].
    #[serde(default)]
    pub avatar: Option<Avatar>,
}

impl Object {
    /// Size-scaled extent in metres (see [`ObjectKind::medium_extent`]).
    pub fn extent(&self) -> f32 {
        self.kind.medium_extent() * self.size.scale()
    }
}

/// A character's face and voice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Avatar {
    /// The face drawn on the head. A cameo's face goes here.
    pub face: FaceTexture,
    /// Voice fundamental in hertz (about 90 to 300).
    pub voice_pitch_hz: f32,
    /// When the character talks: `[start_s, end_s]` spans.
    #[serde(default)]
    pub speech: Vec<[f32; 2]>,
}

impl Default for Avatar {
    fn default() -> Self {
        Avatar { face: FaceTexture::Procedural { seed: 0 }, voice_pitch_hz: 160.0, speech: Vec::new() }
    }
}

/// The picture on an avatar's head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaceTexture {
    /// A face drawn from a seed (skin, hair, eyes).
    Procedural { seed: u64 },
    /// An sRGB image, row-major `width * height * 3` bytes, filling the head's disc.
    Image { width: u32, height: u32, rgb: Vec<u8> },
}

/// Which side a hoop's backboard is on; the ball comes from the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

/// A fixed part of the world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fixture {
    /// The ground, top at `y = 0`, across the whole stage.
    Floor { material: Material },
    /// A wall at one end of the stage.
    Wall { side: Side, material: Material },
    /// A wedge on the floor rising from `x0` (height 0) to `x1` (height `height`).
    Ramp { x0: f32, x1: f32, height: f32, material: Material },
    /// A basketball hoop: backboard at `x` on a pole, the rim sticking out towards the other side.
    Hoop { x: f32, rim_height: f32, backboard_side: Side },
    /// A pool of water sunk into the floor between `x0` and `x1`, surface at `y = 0`.
    Pool { x0: f32, x1: f32, depth: f32 },
}

/// How tight a shot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Framing {
    /// The whole stage.
    Wide,
    /// About half the stage.
    Medium,
    /// Tight on the target.
    CloseUp,
}

impl Framing {
    /// Metres shown across the frame's longer side.
    pub fn view_span(self) -> f32 {
        match self {
            Framing::Wide => 5.4,
            Framing::Medium => 3.2,
            Framing::CloseUp => 1.8,
        }
    }

    /// The English phrase ("a wide shot").
    pub fn phrase(self) -> &'static str {
        match self {
            Framing::Wide => "a wide shot",
            Framing::Medium => "a medium shot",
            Framing::CloseUp => "a close-up",
        }
    }
}

/// A camera: framing, what it looks at, and how it moves during the shot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Camera {
    pub framing: Framing,
    /// Index into [`Scene::objects`] to follow; `None` looks at `centre`.
    #[serde(default)]
    pub follow: Option<usize>,
    /// Point looked at when not following, metres.
    #[serde(default = "default_centre")]
    pub centre: [f32; 2],
    /// Horizontal pan speed in metres per second (negative pans left).
    #[serde(default)]
    pub pan: f32,
    /// Zoom rate: the view shrinks by this factor per second (1 = none, above 1 zooms in).
    #[serde(default = "one")]
    pub zoom: f32,
    /// When following: the share of the frame's height the followed object fills at least
    /// (the view narrows from the framing's span until it does). `None` keeps the framing's
    /// fixed span, which draws a small ball a few pixels across in a 64x64 medium shot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_share: Option<f32>,
}

fn default_centre() -> [f32; 2] {
    [0.0, 1.2]
}

fn one() -> f32 {
    1.0
}

/// One camera shot; shots play back to back over one continuous world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shot {
    pub duration_s: f32,
    pub camera: Camera,
}
