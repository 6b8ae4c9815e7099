//! Whole-clip guarantees: sound on the contact's sample, determinism, captions, scene errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kino_core::scene::{Camera, Colour, Fixture, Framing, Material, Object, ObjectKind, Scene, Setting, Shot, Size, Style};
use kino_world::audio::{AudioLayers, SAMPLE_RATE, onset_sample};
use kino_world::dataset::{DatasetOptions, ShardReader, write_dataset};
use kino_world::physics::EventKind;
use kino_world::sample::{Distribution, sample};
use kino_world::scene_file::parse_scene;
use kino_world::{RenderSettings, WorldError, render_clip};

fn drop_scene(material: Material, floor: Material) -> Scene {
    Scene {
        seed: 3,
        setting: Setting::Studio,
        style: Style::FlatCartoon,
        stage: [-2.5, 2.5],
        objects: vec![Object {
            kind: ObjectKind::Ball,
            colour: Colour::Blue,
            size: Size::Medium,
            material,
            position: [0.0, 1.6],
            velocity: [0.3, 0.0],
            spin: 0.0,
            avatar: None,
        }],
        fixtures: vec![Fixture::Floor { material: floor }],
        shots: vec![Shot {
            duration_s: 3.0,
            camera: Camera { framing: Framing::Wide, follow: None, centre: [0.0, 1.2], pan: 0.0, zoom: 1.0, subject_share: None },
        }],
    }
}

/// Onsets: the first sample above `threshold` after at least 8 ms of quiet.
fn onsets(audio: &[f32], threshold: f32) -> Vec<usize> {
    let quiet = (SAMPLE_RATE / 125) as usize;
    let mut out = Vec::new();
    let mut last_loud: Option<usize> = None;
    for (i, v) in audio.iter().enumerate() {
        if v.abs() > threshold {
            if last_loud.is_none_or(|l| i - l > quiet) {
                out.push(i);
            }
            last_loud = Some(i);
        }
    }
    out
}

#[test]
fn every_audio_onset_sits_within_1ms_of_its_contact() {
    let one_ms = (SAMPLE_RATE / 1000) as usize;
    for (m, floor) in [(Material::Wood, Material::Wood), (Material::Rubber, Material::Wood), (Material::Glass, Material::Metal)] {
        let scene = drop_scene(m, floor);
        let settings = RenderSettings {
            frames: Some(36),
            audio: AudioLayers { impacts: true, rolling: false, splashes: true, ambience: false, speech: false },
            ..RenderSettings::default()
        };
        let clip = render_clip(&scene, &settings).expect("valid scene");
        let events: Vec<_> = clip.labels.events.iter().filter(|e| e.kind == EventKind::Impact).collect();
        assert!(events.len() >= 2, "{m:?}: the ball should bounce");
        let heard = onsets(&clip.audio, 1e-4);
        // Every onset belongs to a contact...
        for &o in &heard {
            assert!(events.iter().any(|e| o.abs_diff(e.sample) <= one_ms), "{m:?}: onset at sample {o} has no contact");
        }
        // ...and every contact is heard on its sample: from silence as an onset, over the ring
        // of an earlier bounce as a jump in energy.
        let quiet = (SAMPLE_RATE / 125) as usize;
        for e in &events {
            assert_eq!(e.sample, onset_sample(e.time_s));
            let s = e.sample;
            let silent_before = clip.audio[s.saturating_sub(quiet)..s].iter().all(|v| v.abs() <= 1e-4);
            if silent_before {
                assert!(heard.iter().any(|&o| o.abs_diff(s) <= one_ms), "{m:?}: contact at {} s not heard", e.time_s);
            } else if kino_world::audio::impact_gain(e.impulse) > 0.05 {
                let energy = |a: usize, b: usize| clip.audio[a..b].iter().map(|v| v * v).sum::<f32>();
                let (before, after) = (energy(s - one_ms, s), energy(s, s + one_ms));
                assert!(after > 2.0 * before, "{m:?}: contact at {} s does not stand out ({after} vs {before})", e.time_s);
            }
        }
        // The first sample of the sound is the contact's sample.
        let first = events[0].sample;
        assert!(clip.audio[first].abs() > 1e-4 && clip.audio[first - 1] == 0.0);
    }
}

#[test]
fn louder_impacts_for_bigger_impulses() {
    let g = |j: f64| kino_world::audio::impact_gain(j);
    assert!(g(0.1) < g(1.0) && g(1.0) < g(10.0));
}

#[test]
fn same_seed_same_bytes() {
    let dist = Distribution::default();
    for seed in [1u64, 7, 42] {
        let a = render_clip(&sample(seed, &dist), &RenderSettings::default()).expect("valid");
        let b = render_clip(&sample(seed, &dist), &RenderSettings::default()).expect("valid");
        assert_eq!(a.frames, b.frames);
        assert_eq!(a.audio.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), b.audio.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
        assert_eq!(a.captions, b.captions);
        assert_eq!(serde_json::to_string(&a.labels).ok(), serde_json::to_string(&b.labels).ok());
    }
}

#[test]
fn clips_have_the_asked_shape() {
    let settings = RenderSettings { width: 40, height: 24, fps: 10.0, frames: Some(7), ..RenderSettings::default() };
    let clip = render_clip(&sample(9, &Distribution::default()), &settings).expect("valid");
    assert_eq!(clip.frames.len(), 7);
    assert!(clip.frames.iter().all(|f| f.width == 40 && f.height == 24 && f.rgb.len() == 40 * 24 * 3));
    assert_eq!(clip.audio.len(), 7 * SAMPLE_RATE as usize / 10);
    assert_eq!(clip.labels.frames.len(), 7);
}

#[test]
fn every_caption_names_every_object() {
    let mut lone_balls = 0;
    for seed in 0..60 {
        let scene = sample(seed, &Distribution { objects: [1, 4], ..Distribution::default() });
        let settings = RenderSettings { width: 8, height: 8, ..RenderSettings::default() };
        let clip = render_clip(&scene, &settings).expect("valid");
        assert!(clip.captions.len() >= 4);
        for c in &clip.captions {
            assert!(!c.contains("bounces two times"), "seed {seed}: two bounces are told as \"twice\": {c:?}");
            for o in &scene.objects {
                assert!(c.contains(o.kind.noun()), "seed {seed}: caption {c:?} does not name the {}", o.kind.noun());
                if o.kind != ObjectKind::Avatar {
                    assert!(c.contains(o.colour.name()), "seed {seed}: caption {c:?} does not say the {} is {}", o.kind.noun(), o.colour.name());
                }
            }
        }
        let distinct: std::collections::BTreeSet<_> = clip.captions.iter().collect();
        assert_eq!(distinct.len(), clip.captions.len(), "seed {seed}: repeated captions");
        if scene.setting == Setting::Gym && !scene.objects.is_empty() {
            assert!(clip.captions.iter().any(|c| c.contains("on the wooden floor of a gym")), "seed {seed}: {:?}", clip.captions);
        }
        // A lone ball is also told in one short line, as prompts are written.
        if let [o] = scene.objects.as_slice()
            && o.kind == ObjectKind::Ball
        {
            lone_balls += 1;
            let ball = format!("{} {} ball ", o.colour.name(), o.material.adjective());
            let one_line = |c: &&String| (c.starts_with(&format!("A {ball}")) || c.starts_with(&format!("An {ball}"))) && c.matches('.').count() == 1;
            assert!(clip.captions.iter().any(|c| one_line(&c)), "seed {seed}: no one-line caption: {:?}", clip.captions);
        }
    }
    assert!(lone_balls > 0, "no scene of one ball among the seeds");
}

#[test]
fn captions_tell_a_missed_shot_off_the_backboard() {
    let mut found = false;
    for seed in 0..200 {
        let scene = sample(seed, &Distribution { hoop: 1.0, shot_outcomes: [0.0, 1.0, 0.0], ..Distribution::default() });
        let clip = render_clip(&scene, &RenderSettings { width: 8, height: 8, ..RenderSettings::default() }).expect("valid");
        if clip.labels.outcomes.contains(&Some(kino_world::physics::ShotOutcome::MissedBackboard)) {
            assert!(clip.captions[0].contains("misses and bounces off the backboard"), "{:?}", clip.captions[0]);
            found = true;
            break;
        }
    }
    assert!(found, "no sampled shot missed off the backboard");
}

#[test]
fn bad_scene_file_error_names_the_field() {
    let good = serde_json::to_string(&sample(4, &Distribution::default())).expect("serialises");
    assert!(parse_scene(&good).is_ok());
    let bad = good.replacen("\"colour\":\"", "\"colour\":\"mauve", 1);
    let err = parse_scene(&bad).expect_err("mauve is not a colour");
    match &err {
        WorldError::SceneField { field, .. } => assert!(field.ends_with(".colour") && field.starts_with("objects["), "{field}"),
        other => panic!("wrong error {other}"),
    }
    assert!(err.to_string().contains("colour"));
    let bad = good.replacen("\"duration_s\":", "\"duration_s\":-", 1);
    let err = parse_scene(&bad).expect_err("negative duration");
    assert!(err.to_string().contains("shots[0].duration_s"), "{err}");
    let err = parse_scene("{\"seed\": 1, \"setting\": \"moon\"}").expect_err("no moon");
    assert!(err.to_string().contains("setting"), "{err}");
}

#[test]
fn dataset_round_trips_through_shards() {
    let dir = std::env::temp_dir().join(format!("kino-world-test-{}", std::process::id()));
    let settings = RenderSettings { width: 16, height: 16, frames: Some(4), ..RenderSettings::default() };
    let opts = DatasetOptions { count: 5, first_seed: 10, clips_per_shard: 2, settings, distribution: Distribution::default(), progress: false };
    let index = write_dataset(&dir, &opts).expect("written");
    assert_eq!(index.shards.len(), 3);
    let mut seeds = Vec::new();
    for s in &index.shards {
        let mut r = ShardReader::open(&dir.join(&s.file)).expect("opens");
        while let Some((meta, clip)) = r.next_clip().expect("reads") {
            let fresh = render_clip(&sample(meta.seed, &Distribution::default()), &settings).expect("valid");
            assert_eq!(clip.frames, fresh.frames);
            assert_eq!(clip.captions, fresh.captions);
            seeds.push(meta.seed);
        }
    }
    assert_eq!(seeds, vec![10, 11, 12, 13, 14]);
    let _ = std::fs::remove_dir_all(&dir);
}
