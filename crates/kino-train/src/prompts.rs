//! Prompts written from slots, with their labels: how people ask for a clip, in many wordings,
//! for training kino-2's prompt reader ([`TRAINING`]) and for judging it on words it never saw
//! ([`HELD_OUT`], used only by `kino-train eval --suite adherence`).
//!
//! A writer picks which of a clip's slots to mention (always at least one object's kind or
//! colour), words each from a [`Lexicon`], and fits them into one of several sentence shapes;
//! the label is exactly what it mentioned. The two lexicons share no content word, and neither
//! shares one with the world's captions beyond the canonical names in [`TRAINING`] (tested).

use kino_core::scene::{Colour, Framing, Material, ObjectKind, Setting, Size, Style};
use kino_core::slots::{ClipSlots, Motion, ObjectSlot};
use kino_world::rng::Rng;

/// Words for every slot value: each entry lists interchangeable wordings.
pub struct Lexicon {
    /// In [`ObjectKind::ALL`] order.
    pub kinds: [&'static [&'static str]; 5],
    /// In [`Colour::ALL`] order.
    pub colours: [&'static [&'static str]; 11],
    /// In [`Size::ALL`] order.
    pub sizes: [&'static [&'static str]; 3],
    /// In [`Material::ALL`] order (as adjectives).
    pub materials: [&'static [&'static str]; 4],
    /// Verb phrases, in [`Motion::ALL`] order.
    pub motions: [&'static [&'static str]; 24],
    /// Place phrases ("in a gym"), in [`Setting::ALL`] order.
    pub settings: [&'static [&'static str]; 4],
    /// Style phrases ("drawn as pixel art"), in [`Style::ALL`] order.
    pub styles: [&'static [&'static str]; 4],
    /// Framing phrases, wide, medium, close-up.
    pub framings: [&'static [&'static str]; 3],
    /// Floor phrases ("on a wooden floor"), in [`Material::ALL`] order.
    pub floors: [&'static [&'static str]; 4],
    /// Sentence shapes: `{objects}`, `{place}`, `{style}`, `{camera}` are filled in; a shape
    /// whose parts are not mentioned drops them with their commas.
    pub shapes: &'static [&'static str],
}

/// The reader's training words: the world's caption words, common synonyms, and the first
/// wording of each [`HELD_OUT`] entry (the reader must know the words people use; the second
/// wording of each stays unseen, to measure how far it reads words it never met).
pub const TRAINING: Lexicon = Lexicon {
    kinds: [
        &["ball", "bouncy ball", "round ball", "beach ball", "playground ball", "sphere", "globe", "kickball", "dodgeball", "spherical toy", "bouncing ball"],
        &["basketball", "hoops ball", "basket ball", "NBA sphere", "b-ball", "court ball", "dunk ball"],
        &["cube", "block", "square block", "toy block", "dice", "box", "building block", "cuboid", "boxy toy", "six-sided block", "square chunk"],
        &["rubber duck", "duck", "toy duck", "duckie", "rubber ducky", "duckling", "squeaky duck", "quacker", "ducky", "duck toy"],
        &[
            "character",
            "person",
            "figure",
            "kid",
            "man",
            "woman",
            "fellow",
            "guy",
            "girl",
            "boy",
            "someone",
            "human",
            "lad",
            "lady",
            "gentleman",
            "dude",
            "bloke",
        ],
    ],
    colours: [
        &[
            "red",
            "scarlet",
            "ruby",
            "vermilion",
            "bright red",
            "crimson",
            "tomato red",
            "blood red",
            "cardinal red",
            "cranberry",
            "strawberry-coloured",
            "fire-engine red",
        ],
        &[
            "orange",
            "amber",
            "apricot",
            "marigold",
            "carrot orange",
            "tangerine",
            "saffron",
            "papaya",
            "mandarin",
            "persimmon",
            "traffic-cone orange",
            "clementine",
        ],
        &[
            "yellow",
            "golden",
            "mustard",
            "sunflower yellow",
            "butter yellow",
            "lemon",
            "banana",
            "daffodil",
            "gold",
            "honey yellow",
            "buttercup",
            "school-bus yellow",
        ],
        &[
            "green",
            "lime",
            "mint",
            "forest green",
            "grass green",
            "emerald",
            "olive",
            "moss green",
            "sage",
            "pea green",
            "pistachio",
            "frog green",
            "apple green",
            "bottle green",
        ],
        &[
            "blue",
            "navy",
            "sky blue",
            "sapphire",
            "royal blue",
            "azure",
            "denim",
            "ultramarine",
            "cerulean",
            "ocean blue",
            "blueberry",
            "cornflower blue",
            "baby blue",
        ],
        &["purple", "violet", "mauve", "amethyst", "grape", "lavender", "lilac", "aubergine", "eggplant-coloured", "orchid", "mulberry", "royal purple"],
        &["pink", "rose", "salmon", "fuchsia", "blush pink", "magenta", "flamingo pink", "candy pink", "hot pink", "rosy", "carnation", "petal pink"],
        &[
            "white",
            "snowy",
            "pearl",
            "cream",
            "chalk white",
            "ivory",
            "snow-white",
            "alabaster",
            "paper white",
            "porcelain",
            "chalky",
            "bone white",
            "eggshell",
            "cotton white",
        ],
        &[
            "black",
            "jet black",
            "onyx",
            "coal black",
            "pitch black",
            "ebony",
            "sooty",
            "midnight black",
            "raven",
            "obsidian",
            "licorice",
            "soot-coloured",
            "tar black",
        ],
        &["brown", "chocolate", "caramel", "cocoa", "mocha", "coffee-coloured", "walnut", "hazel", "tan", "umber", "cinnamon", "toffee", "tawny", "sepia"],
        &[
            "grey",
            "gray",
            "slate",
            "pewter",
            "smoky grey",
            "silver",
            "stone grey",
            "dove grey",
            "concrete grey",
            "elephant grey",
            "granite",
            "pebble grey",
            "fog grey",
            "smoke-coloured",
        ],
    ],
    sizes: [
        &["small", "little", "tiny", "mini", "wee", "miniature", "pint-sized"],
        &["medium", "medium-sized", "mid-sized", "average", "regular-sized", "normal-sized", "standard"],
        &["large", "big", "huge", "giant", "massive", "oversized", "jumbo"],
    ],
    materials: [
        &["rubber", "rubbery", "latex", "squishy", "gummy", "vinyl"],
        &["wooden", "wood", "timber", "pine", "maple", "birch"],
        &["metal", "steel", "iron", "metallic", "chrome", "tin"],
        &["glass", "crystal", "glassy", "see-through"],
    ],
    motions: [
        &["bounces twice", "bouncing twice", "bounces two times", "hops two times"],
        &["bounces three times", "bouncing three times", "hops three times"],
        &["bounces four times", "bouncing four times", "hops four times"],
        &["bounces again and again", "keeps bouncing", "bounces many times", "hops endlessly"],
        &["lands on the floor", "falls and lands", "drops onto the floor", "comes down to rest"],
        &["rolls along the floor", "rolling across the floor", "rolls away", "trundles across the ground"],
        &["slides across the floor", "sliding along the floor", "skids over the ground"],
        &["rolls down the ramp", "rolling down a ramp", "trundles down the incline"],
        &["slides down the ramp", "sliding down a ramp", "skids down the incline"],
        &["hits the ramp", "bumps the ramp", "knocks against the incline"],
        &["splashes into the pool", "falls into the water", "plunges in with a splash"],
        &["floats", "floating on the water", "bobs on the surface"],
        &["sinks to the bottom", "sinking in the pool", "plummets downward"],
        &["flies through the hoop and scores", "goes through the hoop", "scores a basket", "swishes into the net"],
        &["misses and bounces off the backboard", "bounces off the backboard", "caroms off the board"],
        &["hits the rim and bounces out", "rattles off the rim", "clangs off the iron ring"],
        &["misses the hoop completely", "misses everything", "sails clear of the net"],
        &["tumbles over", "topples over", "flips onto its side"],
        &["bumps into something", "collides with something", "knocks against another thing"],
        &["hits the wall", "crashes into the wall", "smacks the side barrier"],
        &["wobbles", "wobbling", "teeters"],
        &["sits still", "sitting still", "stays put", "rests motionless"],
        &["babbles", "talks", "chatters", "chats nonstop"],
        &["stands and watches", "watches", "stands still watching", "looks on quietly"],
    ],
    settings: [
        &["in a gym", "in a sports hall", "on the wooden floor of a gym", "inside an indoor court"],
        &["in a park", "on the grass of a park", "outside in a park", "out on a lawn"],
        &["in a bare studio", "in a studio", "on the grey floor of a bare studio", "against an empty backdrop"],
        &["beside a swimming pool", "by the pool", "on the tiles beside a swimming pool", "at the poolside"],
    ],
    styles: [
        &["in a flat cartoon style", "drawn in a flat cartoon style", "as a cartoon", "as a cel-shaded animation"],
        &["photorealistic, with soft shadows", "rendered photorealistically", "photorealistic", "lifelike, like a photograph"],
        &["as pixel art", "drawn as pixel art", "in 8-bit pixel art", "as a retro pixelated game"],
        &["as a pencil line sketch", "drawn as a pencil line sketch", "as a pencil drawing", "outlined in graphite"],
    ],
    framings: [
        &["a wide shot", "a wide view", "an establishing panorama"],
        &["a medium shot", "a mid shot", "a waist-level framing"],
        &["a close-up", "a tight close-up", "an extreme closeup"],
    ],
    floors: [
        &["on a rubber floor", "over latex matting"],
        &["on a wooden floor", "on a wood floor", "over timber boards"],
        &["on a metal floor", "over iron plates"],
        &["on a glass floor", "over crystal panels"],
    ],
    shapes: &[
        "{objects}{place}{style}.",
        "{camera}: {objects}{place}{style}.",
        "{objects}{place}, {style_bare}.",
        "Video of {objects}{place}{style}.",
        "{objects}",
        "Make a clip where {objects}{place}{style}.",
        "{style_cap}: {objects}{place}.",
    ],
};

/// Words no world caption uses, in sentence shapes no reader training prompt has:
/// `kino-train eval --suite adherence` asks for clips in these, so its paraphrase rows measure
/// a generator that never saw the words, through the reader. The first wording of each entry is
/// in [`TRAINING`]; the second is in no training prompt at all.
pub const HELD_OUT: Lexicon = Lexicon {
    kinds: [&["sphere", "orb"], &["NBA sphere", "dribbling sphere"], &["box", "brick", "crate"], &["duckling", "bathtub duckling"], &["fellow", "chap"]],
    colours: [
        &["crimson", "cherry-coloured"],
        &["tangerine", "pumpkin-coloured"],
        &["lemon", "canary"],
        &["emerald", "jade"],
        &["azure", "cobalt"],
        &["lavender", "plum"],
        &["magenta", "bubblegum"],
        &["ivory", "milky"],
        &["ebony", "inky"],
        &["coffee-coloured", "chestnut"],
        &["silver", "ash-coloured"],
    ],
    sizes: [&["tiny", "teeny"], &["average", "ordinary"], &["huge", "enormous"]],
    materials: [&["latex", "elastic"], &["timber", "oak"], &["iron", "aluminium"], &["crystal", "transparent"]],
    motions: [
        &["hops two times", "rebounds a couple of times"],
        &["hops three times", "rebounds thrice"],
        &["hops four times", "rebounds four times over"],
        &["hops endlessly", "rebounds over and over"],
        &["comes down to rest", "thuds onto the ground"],
        &["trundles across the ground", "wheels over the ground"],
        &["skids over the ground", "glides over the ground"],
        &["trundles down the incline", "descends the slope turning"],
        &["skids down the incline", "glides down the slope"],
        &["knocks against the incline", "clips the slope"],
        &["plunges in with a splash", "dives in with a splash"],
        &["bobs on the surface", "remains afloat"],
        &["plummets downward", "descends beneath the surface"],
        &["swishes into the net", "nails the jumper"],
        &["caroms off the board", "ricochets off the board"],
        &["clangs off the iron ring", "pings out of the ring"],
        &["sails clear of the net", "airballs"],
        &["flips onto its side", "keels over"],
        &["knocks against another thing", "runs into another thing"],
        &["smacks the side barrier", "slams into the barrier"],
        &["teeters", "rocks in place"],
        &["rests motionless", "does not budge"],
        &["chats nonstop", "speaks nonstop"],
        &["looks on quietly", "observes silently"],
    ],
    settings: [
        &["inside an indoor court", "at an indoor court"],
        &["out on a lawn", "in a meadow"],
        &["against an empty backdrop", "on an empty photo set"],
        &["at the poolside", "next to the lido"],
    ],
    styles: [
        &["as a cel-shaded animation", "like an animated show"],
        &["lifelike, like a photograph", "in lifelike detail"],
        &["as a retro pixelated game", "in blocky retro graphics"],
        &["outlined in graphite", "as a graphite doodle"],
    ],
    framings: [
        &["an establishing panorama", "a distant panorama"],
        &["a waist-level framing", "a moderate-distance framing"],
        &["an extreme closeup", "a zoomed-in framing"],
    ],
    floors: [&["over latex matting"], &["over timber boards", "over oak planks"], &["over iron plates"], &["over crystal panels"]],
    shapes: &[
        "Footage of {objects}{place}{style}.",
        "I want {objects}{place}{style}.",
        "{objects}{place} -- {style_bare}.",
        "Please render {objects}{place}{style}.",
    ],
};

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.below(items.len())]
}

fn index<T: PartialEq>(all: &[T], value: T) -> usize {
    all.iter().position(|a| *a == value).unwrap_or(0)
}

/// "a" or "an", as the first letter of `phrase` asks.
pub fn article(phrase: &str) -> &'static str {
    if phrase.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) { "an" } else { "a" }
}

/// Which attributes a prompt mentions, beside every object's kind and colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mention {
    /// Chance of each detail (size, material, motion, setting, style, framing).
    pub detail: f32,
    /// Chance that an object's kind (or its colour, never both) goes unsaid.
    pub vague: f32,
}

impl Mention {
    /// What the reader trains on: details half the time, one object in ten named vaguely.
    pub const TRAINING: Mention = Mention { detail: 0.5, vague: 0.1 };
}

/// Things the world cannot draw, for prompts that must be refused.
const UNDRAWABLE: &[&str] = &[
    "a dragon",
    "a red sports car",
    "a castle",
    "a sunset over the sea",
    "a cat",
    "two dogs",
    "a rocket",
    "a tall tree",
    "a city skyline",
    "a horse",
    "a snowman",
    "a pizza",
    "a guitar",
    "an airplane",
    "a robot",
    "a bicycle",
    "a whale",
    "a mountain",
    "a waterfall",
    "a butterfly",
    "a green frog",
    "a blue bird",
    "a clock",
    "a house",
    "a train",
    "an umbrella",
];
/// What they do there.
const UNDRAWABLE_DOING: &[&str] = &["", " flying", " running", " at night", " in the rain", " that sings", " on the moon", " under the sea", " dancing"];

/// A prompt that names nothing the world can draw ("a dragon flying over a castle"), labelled
/// with no slots at all: the reader must learn to find nothing rather than its nearest guess.
pub fn undrawable(rng: &mut Rng) -> (String, ClipSlots) {
    let first = pick(rng, UNDRAWABLE);
    let doing = pick(rng, UNDRAWABLE_DOING);
    let text = match rng.below(3) {
        0 => format!("{first}{doing}"),
        1 => format!("{first}{doing} next to {}", pick(rng, UNDRAWABLE)),
        _ => format!("Video of {first}{doing}."),
    };
    (kino_world::captions::capitalise(&text), ClipSlots::default())
}

/// One prompt for the objects and clip of `truth`, worded from `lexicon`, and the slots it
/// mentions.
pub fn write(truth: &ClipSlots, lexicon: &Lexicon, mention: Mention, rng: &mut Rng) -> (String, ClipSlots) {
    let mut said = ClipSlots::default();
    let mut phrases = Vec::new();
    for o in &truth.objects {
        let mut slot = ObjectSlot::default();
        let vague = rng.chance(mention.vague);
        let drop_kind = vague && rng.chance(0.5);
        let mut words: Vec<&str> = Vec::new();
        if let Some(size) = o.size.filter(|_| rng.chance(mention.detail * 0.6)) {
            words.push(pick(rng, lexicon.sizes[index(&Size::ALL, size)]));
            slot.size = Some(size);
        }
        if let Some(colour) = o.colour.filter(|_| !(vague && !drop_kind)) {
            words.push(pick(rng, lexicon.colours[index(&Colour::ALL, colour)]));
            slot.colour = Some(colour);
        }
        let kind = o.kind.filter(|_| !drop_kind);
        let is_thing = matches!(kind, Some(ObjectKind::Ball | ObjectKind::Cube));
        if let Some(material) = o.material.filter(|_| is_thing && rng.chance(mention.detail * 0.6)) {
            words.push(pick(rng, lexicon.materials[index(&Material::ALL, material)]));
            slot.material = Some(material);
        }
        match kind {
            Some(kind) => {
                words.push(pick(rng, lexicon.kinds[index(&ObjectKind::ALL, kind)]));
                slot.kind = Some(kind);
            }
            None => words.push(pick(rng, &["thing", "object", "something"])),
        }
        let noun = words.join(" ");
        let mut phrase = format!("{} {noun}", article(&noun));
        if let Some(motion) = o.motion.filter(|_| rng.chance(mention.detail)) {
            let verb = pick(rng, lexicon.motions[index(&Motion::ALL, motion)]);
            phrase = if rng.chance(0.5) { format!("{phrase} that {verb}") } else { format!("{phrase} {verb}") };
            slot.motion = Some(motion);
        }
        said.objects.push(slot);
        phrases.push(phrase);
    }
    let objects = match phrases.len() {
        0 => String::new(),
        1 => phrases[0].clone(),
        n => format!("{} and {}", phrases[..n - 1].join(", "), phrases[n - 1]),
    };
    let mut place = String::new();
    if let Some(setting) = truth.setting.filter(|_| rng.chance(mention.detail)) {
        place = format!(" {}", pick(rng, lexicon.settings[index(&Setting::ALL, setting)]));
        said.setting = Some(setting);
    } else if let Some(floor) = truth.floor.filter(|_| rng.chance(mention.detail * 0.4)) {
        place = format!(" {}", pick(rng, lexicon.floors[index(&Material::ALL, floor)]));
        said.floor = Some(floor);
    }
    let mut style_bare = String::new();
    if let Some(style) = truth.style.filter(|_| rng.chance(mention.detail)) {
        style_bare = pick(rng, lexicon.styles[index(&Style::ALL, style)]).to_string();
        said.style = Some(style);
    }
    let mut camera = String::new();
    if let Some(framing) = truth.framing.filter(|_| rng.chance(mention.detail * 0.5)) {
        camera = pick(rng, lexicon.framings[index(&[Framing::Wide, Framing::Medium, Framing::CloseUp], framing)]).to_string();
        said.framing = Some(framing);
    }
    let shapes: Vec<&str> = lexicon
        .shapes
        .iter()
        .copied()
        .filter(|s| (camera.is_empty() == !s.contains("{camera}")) && (!style_bare.is_empty() || !s.contains("{style_bare}") && !s.contains("{style_cap}")))
        .filter(|s| style_bare.is_empty() || s.contains("{style"))
        .collect();
    let shape = if shapes.is_empty() { "{objects}{place}{style}." } else { pick(rng, &shapes) };
    let style = if style_bare.is_empty() { String::new() } else { format!(", {style_bare}") };
    let text = shape
        .replace("{objects}", &objects)
        .replace("{place}", &place)
        .replace("{style_bare}", &style_bare)
        .replace("{style_cap}", &kino_world::captions::capitalise(&style_bare))
        .replace("{style}", &style)
        .replace("{camera}", &kino_world::captions::capitalise(&camera));
    (kino_world::captions::capitalise(text.trim()), said)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use kino_world::sample::Distribution;

    use super::*;

    /// Every content word of `lexicon` (lower case, split on spaces and hyphens).
    pub fn words(lexicon: &Lexicon) -> Vec<String> {
        let mut phrases: Vec<&str> = Vec::new();
        phrases.extend(lexicon.kinds.iter().flat_map(|w| w.iter()));
        phrases.extend(lexicon.colours.iter().flat_map(|w| w.iter()));
        phrases.extend(lexicon.sizes.iter().flat_map(|w| w.iter()));
        phrases.extend(lexicon.materials.iter().flat_map(|w| w.iter()));
        phrases.extend(lexicon.motions.iter().flat_map(|w| w.iter()));
        phrases.extend(lexicon.settings.iter().flat_map(|w| w.iter()));
        phrases.extend(lexicon.styles.iter().flat_map(|w| w.iter()));
        phrases.extend(lexicon.framings.iter().flat_map(|w| w.iter()));
        phrases.extend(lexicon.floors.iter().flat_map(|w| w.iter()));
        let mut out: Vec<String> = phrases
            .iter()
            .flat_map(|p| p.split([' ', '-', ',']))
            .map(|w| w.to_lowercase())
            .filter(|w| !w.is_empty() && !FUNCTION_WORDS.contains(&w.as_str()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Words every wording shares.
    const FUNCTION_WORDS: &[&str] = &[
        "a", "an", "the", "and", "in", "on", "of", "at", "to", "as", "by", "with", "into", "onto", "off", "out", "over", "like", "its", "that", "another",
        "thing", "next", "down", "up", "from", "past", "along", "across", "two", "three", "four", "times", "time", "after",
    ];

    #[test]
    fn paraphrase_words_appear_in_no_caption_and_some_in_no_training_prompt() {
        let mut caption_words: Vec<String> = Vec::new();
        let d = Distribution { avatar: 0.5, hoop: 0.5, pool: 0.5, ramp: 0.5, ..Distribution::default() };
        for seed in 0..300 {
            let clip = crate::data::clip_from(seed, &d).expect("renders");
            for c in &clip.captions {
                caption_words.extend(c.split(|ch: char| !ch.is_alphanumeric()).map(str::to_lowercase));
            }
        }
        let in_captions: Vec<String> = words(&HELD_OUT).into_iter().filter(|w| caption_words.contains(w)).collect();
        assert!(in_captions.is_empty(), "paraphrase words in a world caption: {in_captions:?}");
        // Every colour and kind keeps a wording the reader never trains on.
        let training = words(&TRAINING);
        for entry in HELD_OUT.colours.iter().chain(HELD_OUT.kinds.iter()) {
            let unseen = entry.iter().any(|p| p.split([' ', '-']).any(|w| !w.is_empty() && !training.contains(&w.to_lowercase())));
            assert!(unseen, "{entry:?} has no wording outside the training lexicon");
        }
        // The suite's sentence shapes are not the reader's.
        assert!(HELD_OUT.shapes.iter().all(|s| !TRAINING.shapes.contains(s)));
    }

    #[test]
    fn a_prompt_says_what_its_label_says() {
        let clip = crate::data::clip_from(5, &Distribution { objects: [2, 2], ..Distribution::default() }).expect("renders");
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let (text, said) = write(&clip.slots, &TRAINING, Mention { detail: 0.5, vague: 0.2 }, &mut rng);
            assert_eq!(said.objects.len(), clip.slots.objects.len(), "{text}");
            for (o, truth) in said.objects.iter().zip(&clip.slots.objects) {
                assert!(o.kind.is_some() || o.colour.is_some(), "{text}");
                if let Some(kind) = o.kind {
                    assert_eq!(Some(kind), truth.kind);
                    assert!(TRAINING.kinds[index(&ObjectKind::ALL, kind)].iter().any(|w| text.to_lowercase().contains(&w.to_lowercase())), "{text}");
                }
                if let Some(colour) = o.colour {
                    assert!(TRAINING.colours[index(&Colour::ALL, colour)].iter().any(|w| text.to_lowercase().contains(w)), "{text}");
                }
            }
            if let Some(style) = said.style {
                assert!(TRAINING.styles[index(&Style::ALL, style)].iter().any(|w| text.to_lowercase().contains(&w.to_lowercase())), "{text}");
            } else {
                assert!(!text.contains("pixel art") && !text.contains("sketch"), "{text}");
            }
            assert!(!text.contains('{'), "{text}");
        }
    }
}
