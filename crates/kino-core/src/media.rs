//! What `kino verify FILE --json` prints and the studio's `/verify` page shows: the three
//! independent provenance checks of a video file (C2PA manifest, invisible watermark, visible
//! mark). kino-media fills it in; the server and the studio only carry and display it.

use serde::{Deserialize, Serialize};

/// The result of checking one file.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub c2pa: C2paReport,
    pub watermark: WatermarkReport,
    /// Whether Kino's visible mark is where it should be in most frames.
    pub visible_mark: bool,
}

/// How far the C2PA manifest can be believed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum C2paState {
    /// Intact, and signed by a certificate that chains to a trusted root.
    Trusted,
    /// Intact and correctly signed, but by a certificate no trusted root vouches for.
    Valid,
    /// Present but broken: the file or the manifest changed after signing, or the signature
    /// or certificate is bad.
    Invalid,
    /// No manifest in the file.
    Missing,
}

/// The C2PA part of a [`VerifyReport`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct C2paReport {
    pub state: C2paState,
    /// True when the content or the manifest was changed after signing (hash or signature
    /// mismatch), as opposed to, say, an untrusted or expired certificate.
    pub tampered: bool,
    /// Common name of the signing certificate's issuer chain's leaf (who signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The tool that made the file ("Kino 0.1.0").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    /// The model that generated the content, when the manifest names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Actions in the active manifest (`c2pa.created`, `c2pa.edited`, ...).
    #[serde(default)]
    pub actions: Vec<String>,
    /// The IPTC digital source type of the creating or editing action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digital_source_type: Option<String>,
    /// Title of the parent ingredient, for remixes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Validation failure codes (`assertion.bmffHash.mismatch`, ...), empty when all is well.
    #[serde(default)]
    pub issues: Vec<String>,
}

/// The invisible watermark part of a [`VerifyReport`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatermarkReport {
    /// The 64-bit video id as 16 lowercase hex digits, when the mark was found.
    pub video_id: Option<String>,
    /// Strength of the synchronisation peak (about 4 on unmarked video; 5 and up counts).
    pub score: f32,
    /// Frames that were examined.
    pub frames: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_stable() {
        let r = VerifyReport {
            c2pa: C2paReport {
                state: C2paState::Trusted,
                tampered: false,
                signer: None,
                generator: Some("Kino 0.1.0".into()),
                model: None,
                actions: vec!["c2pa.created".into()],
                digital_source_type: None,
                parent: None,
                issues: vec![],
            },
            watermark: WatermarkReport { video_id: Some("00000000000000ff".into()), score: 9.5, frames: 24 },
            visible_mark: true,
        };
        let v = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(v["c2pa"]["state"], "trusted");
        assert_eq!(v["watermark"]["video_id"], "00000000000000ff");
        assert_eq!(v["visible_mark"], true);
        let back: VerifyReport = serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, r);
    }
}
