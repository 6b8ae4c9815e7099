//! Reading and checking scene JSON: errors name the exact field at fault.

use kino_core::scene::{FaceTexture, ObjectKind, Scene};

use crate::error::WorldError;

/// Parse a scene from JSON text, then [`validate`] it.
pub fn parse_scene(json: &str) -> Result<Scene, WorldError> {
    let scene: Scene = from_json(json).map_err(|(field, message)| WorldError::SceneField { field, message })?;
    validate(&scene)?;
    Ok(scene)
}

/// Parses `json`; on failure, the JSON path of the offending value (`.` for the whole
/// document) and what is wrong with it.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, (String, String)> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        (if path.is_empty() { ".".into() } else { path }, e.into_inner().to_string())
    })
}

fn finite(field: String, v: &[f32]) -> Result<(), WorldError> {
    if v.iter().all(|x| x.is_finite()) { Ok(()) } else { Err(WorldError::invalid(field, "must be a finite number")) }
}

/// Check values that parse but cannot be simulated.
pub fn validate(scene: &Scene) -> Result<(), WorldError> {
    if scene.shots.is_empty() {
        return Err(WorldError::invalid("shots", "needs at least one shot"));
    }
    if scene.stage[0].partial_cmp(&scene.stage[1]) != Some(std::cmp::Ordering::Less) {
        return Err(WorldError::invalid("stage", "must be [left, right] with left < right"));
    }
    for (i, s) in scene.shots.iter().enumerate() {
        if !(s.duration_s.is_finite() && s.duration_s > 0.0 && s.duration_s <= 600.0) {
            return Err(WorldError::invalid(format!("shots[{i}].duration_s"), "must be between 0 and 600 seconds"));
        }
        if let Some(f) = s.camera.follow
            && f >= scene.objects.len()
        {
            return Err(WorldError::invalid(format!("shots[{i}].camera.follow"), format!("is {f} but there are {} objects", scene.objects.len())));
        }
        if !(s.camera.zoom.is_finite() && s.camera.zoom > 0.0) {
            return Err(WorldError::invalid(format!("shots[{i}].camera.zoom"), "must be above zero"));
        }
        finite(format!("shots[{i}].camera.pan"), &[s.camera.pan])?;
        finite(format!("shots[{i}].camera.centre"), &s.camera.centre)?;
    }
    if scene.objects.len() > 64 {
        return Err(WorldError::invalid("objects", "at most 64 objects"));
    }
    for (i, o) in scene.objects.iter().enumerate() {
        finite(format!("objects[{i}].position"), &o.position)?;
        finite(format!("objects[{i}].velocity"), &o.velocity)?;
        finite(format!("objects[{i}].spin"), &[o.spin])?;
        if o.velocity.iter().any(|v| v.abs() > 60.0) || o.spin.abs() > 200.0 {
            return Err(WorldError::invalid(format!("objects[{i}].velocity"), "is faster than the world allows (60 m/s, 200 rad/s)"));
        }
        if let Some(a) = &o.avatar {
            if o.kind != ObjectKind::Avatar {
                return Err(WorldError::invalid(format!("objects[{i}].avatar"), "is only for objects of kind \"avatar\""));
            }
            if !(a.voice_pitch_hz.is_finite() && (40.0..=800.0).contains(&a.voice_pitch_hz)) {
                return Err(WorldError::invalid(format!("objects[{i}].avatar.voice_pitch_hz"), "must be between 40 and 800 Hz"));
            }
            if let FaceTexture::Image { width, height, rgb } = &a.face
                && (*width == 0 || *height == 0 || rgb.len() != (*width as usize) * (*height as usize) * 3)
            {
                return Err(WorldError::invalid(format!("objects[{i}].avatar.face.image.rgb"), "must hold width * height * 3 bytes"));
            }
        }
    }
    for (i, f) in scene.fixtures.iter().enumerate() {
        use kino_core::scene::Fixture;
        match *f {
            Fixture::Ramp { x0, x1, height, .. } => {
                finite(format!("fixtures[{i}].ramp"), &[x0, x1, height])?;
                if (x1 - x0).abs() < 0.2 || !(0.0..=5.0).contains(&height) {
                    return Err(WorldError::invalid(format!("fixtures[{i}].ramp"), "needs |x1 - x0| >= 0.2 and 0 <= height <= 5"));
                }
            }
            Fixture::Pool { x0, x1, depth } => {
                finite(format!("fixtures[{i}].pool"), &[x0, x1, depth])?;
                if (x1 - x0).abs() < 0.3 || !(0.1..=5.0).contains(&depth) {
                    return Err(WorldError::invalid(format!("fixtures[{i}].pool"), "needs |x1 - x0| >= 0.3 and 0.1 <= depth <= 5"));
                }
            }
            Fixture::Hoop { x, rim_height, .. } => {
                finite(format!("fixtures[{i}].hoop"), &[x, rim_height])?;
                if !(0.5..=6.0).contains(&rim_height) {
                    return Err(WorldError::invalid(format!("fixtures[{i}].hoop.rim_height"), "must be between 0.5 and 6 m"));
                }
            }
            Fixture::Floor { .. } | Fixture::Wall { .. } => {}
        }
    }
    Ok(())
}
