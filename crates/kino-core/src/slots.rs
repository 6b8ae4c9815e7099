//! What a prompt asks for, as the world's explicit slots: per object its kind, colour, size,
//! material and motion; per clip its setting, style, framing and number of shots.
//!
//! kino-2's prompt reader turns text into [`ClipSlots`], the generator attends to them, and the
//! studio shows them back ("Kino understood: a red rubber ball, bouncing twice, ..."). The world
//! fills the same slots from what it simulated, so training pairs come with their labels. A slot
//! left `None` was not asked for: the generator draws whatever its training made likely there.

use serde::{Deserialize, Serialize};

use crate::scene::{Colour, Framing, Material, ObjectKind, Setting, Size, Style};

/// The most objects a prompt may ask for.
pub const MAX_OBJECTS: usize = 3;

/// The most camera shots a clip may have.
pub const MAX_SHOTS: u8 = 3;

/// What an object mainly does over the clip: the first thing the world's captions say of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Motion {
    BouncesTwice,
    BouncesThreeTimes,
    BouncesFourTimes,
    /// Five bounces or more.
    BouncesOften,
    /// Falls and lands, bouncing at most once.
    Lands,
    RollsAlongTheFloor,
    SlidesAcrossTheFloor,
    RollsDownTheRamp,
    SlidesDownTheRamp,
    HitsTheRamp,
    SplashesIntoThePool,
    /// After a splash, for things lighter than water.
    Floats,
    SinksToTheBottom,
    /// A basketball shot that goes in.
    Scores,
    MissesOffTheBackboard,
    MissesOffTheRim,
    Airball,
    Tumbles,
    BumpsIntoSomething,
    HitsTheWall,
    Wobbles,
    SitsStill,
    /// A character talking.
    Babbles,
    /// A character standing quietly.
    Watches,
}

impl Motion {
    /// Every motion, in a fixed order (the generator's embedding rows follow it).
    pub const ALL: [Motion; 24] = [
        Motion::BouncesTwice,
        Motion::BouncesThreeTimes,
        Motion::BouncesFourTimes,
        Motion::BouncesOften,
        Motion::Lands,
        Motion::RollsAlongTheFloor,
        Motion::SlidesAcrossTheFloor,
        Motion::RollsDownTheRamp,
        Motion::SlidesDownTheRamp,
        Motion::HitsTheRamp,
        Motion::SplashesIntoThePool,
        Motion::Floats,
        Motion::SinksToTheBottom,
        Motion::Scores,
        Motion::MissesOffTheBackboard,
        Motion::MissesOffTheRim,
        Motion::Airball,
        Motion::Tumbles,
        Motion::BumpsIntoSomething,
        Motion::HitsTheWall,
        Motion::Wobbles,
        Motion::SitsStill,
        Motion::Babbles,
        Motion::Watches,
    ];

    /// As a participle after the object's name ("a red ball, bouncing twice").
    pub fn participle(self) -> &'static str {
        match self {
            Motion::BouncesTwice => "bouncing twice",
            Motion::BouncesThreeTimes => "bouncing three times",
            Motion::BouncesFourTimes => "bouncing four times",
            Motion::BouncesOften => "bouncing again and again",
            Motion::Lands => "landing on the floor",
            Motion::RollsAlongTheFloor => "rolling along the floor",
            Motion::SlidesAcrossTheFloor => "sliding across the floor",
            Motion::RollsDownTheRamp => "rolling down the ramp",
            Motion::SlidesDownTheRamp => "sliding down the ramp",
            Motion::HitsTheRamp => "hitting the ramp",
            Motion::SplashesIntoThePool => "splashing into the pool",
            Motion::Floats => "floating",
            Motion::SinksToTheBottom => "sinking to the bottom",
            Motion::Scores => "going through the hoop",
            Motion::MissesOffTheBackboard => "missing off the backboard",
            Motion::MissesOffTheRim => "bouncing off the rim",
            Motion::Airball => "missing the hoop completely",
            Motion::Tumbles => "tumbling over",
            Motion::BumpsIntoSomething => "bumping into something",
            Motion::HitsTheWall => "hitting the wall",
            Motion::Wobbles => "wobbling",
            Motion::SitsStill => "sitting still",
            Motion::Babbles => "talking",
            Motion::Watches => "watching",
        }
    }
}

/// One object a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ObjectSlot {
    pub kind: Option<ObjectKind>,
    pub colour: Option<Colour>,
    pub size: Option<Size>,
    pub material: Option<Material>,
    pub motion: Option<Motion>,
}

impl ObjectSlot {
    /// An object slot with only its kind and colour named.
    pub fn new(kind: ObjectKind, colour: Colour) -> Self {
        ObjectSlot { kind: Some(kind), colour: Some(colour), size: None, material: None, motion: None }
    }

    /// "a small red rubber ball, bouncing twice": what the slot names, in words.
    pub fn describe(&self) -> String {
        let mut words: Vec<&str> = Vec::new();
        if let Some(size) = self.size {
            words.push(size.name());
        }
        if let Some(colour) = self.colour {
            words.push(colour.name());
        }
        if let Some(material) = self.material {
            words.push(material.adjective());
        }
        words.push(self.kind.map_or("object", ObjectKind::noun));
        let noun = words.join(" ");
        let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        match self.motion {
            Some(motion) => format!("{article} {noun}, {}", motion.participle()),
            None => format!("{article} {noun}"),
        }
    }
}

/// Everything a prompt asks for, slot by slot. The first object is the clip's main subject,
/// the one the camera keeps in view.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClipSlots {
    /// At most [`MAX_OBJECTS`], the main subject first.
    pub objects: Vec<ObjectSlot>,
    pub setting: Option<Setting>,
    pub style: Option<Style>,
    /// The framing of the first shot.
    pub framing: Option<Framing>,
    /// What the ground is made of ("on a wooden floor"), when the setting is not named.
    pub floor: Option<Material>,
    /// Number of camera shots, 1 to [`MAX_SHOTS`].
    pub shots: Option<u8>,
}

impl ClipSlots {
    /// Whether the slots ask for something drawable: one to [`MAX_OBJECTS`] objects, each named
    /// by its kind or its colour, and 1 to [`MAX_SHOTS`] shots.
    pub fn check(&self) -> Result<(), String> {
        if self.objects.is_empty() || self.objects.len() > MAX_OBJECTS {
            return Err(format!("slots must name 1 to {MAX_OBJECTS} objects, not {}", self.objects.len()));
        }
        if let Some(i) = self.objects.iter().position(|o| o.kind.is_none() && o.colour.is_none()) {
            return Err(format!("object {} of the slots names neither a kind nor a colour", i + 1));
        }
        if self.shots.is_some_and(|n| n == 0 || n > MAX_SHOTS) {
            return Err(format!("slots may ask for 1 to {MAX_SHOTS} shots"));
        }
        Ok(())
    }

    /// One line for people: "a red rubber ball, bouncing twice; in a gym; in a flat cartoon
    /// style".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = vec![self.objects.iter().map(ObjectSlot::describe).collect::<Vec<_>>().join(" and ")];
        if let Some(setting) = self.setting {
            parts.push(setting.phrase().into());
        } else if let Some(floor) = self.floor {
            parts.push(format!("on a {} floor", floor.adjective()));
        }
        if let Some(framing) = self.framing {
            parts.push(framing.phrase().into());
        }
        if let Some(shots) = self.shots.filter(|&n| n > 1) {
            parts.push(format!("in {shots} shots"));
        }
        if let Some(style) = self.style {
            parts.push(style.phrase().into());
        }
        parts.retain(|p| !p.is_empty());
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_describe_what_they_name_and_nothing_else() {
        let ball = ObjectSlot { material: Some(Material::Rubber), motion: Some(Motion::BouncesTwice), ..ObjectSlot::new(ObjectKind::Ball, Colour::Red) };
        let slots = ClipSlots { objects: vec![ball], floor: Some(Material::Wood), style: Some(Style::FlatCartoon), ..ClipSlots::default() };
        assert_eq!(slots.describe(), "a red rubber ball, bouncing twice; on a wooden floor; in a flat cartoon style");
        let duck = ObjectSlot { kind: Some(ObjectKind::RubberDuck), ..ObjectSlot::default() };
        assert_eq!(duck.describe(), "a rubber duck");
        let orange = ObjectSlot { colour: Some(Colour::Orange), ..ObjectSlot::default() };
        assert_eq!(orange.describe(), "an orange object");
    }

    #[test]
    fn slots_that_name_nothing_drawable_are_refused() {
        assert!(ClipSlots::default().check().is_err());
        assert!(ClipSlots { objects: vec![ObjectSlot::default()], ..ClipSlots::default() }.check().is_err());
        let one = ClipSlots { objects: vec![ObjectSlot { colour: Some(Colour::Red), ..ObjectSlot::default() }], ..ClipSlots::default() };
        assert!(one.check().is_ok());
        assert!(ClipSlots { shots: Some(4), ..one.clone() }.check().is_err());
        assert!(ClipSlots { objects: vec![one.objects[0]; 4], ..one }.check().is_err());
    }

    #[test]
    fn every_motion_is_listed_once() {
        let mut all = Motion::ALL.to_vec();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), Motion::ALL.len());
    }
}
