//! Verifying: reads the C2PA manifest of an MP4, checks hashes and signature, and says whether
//! the signer chains to a trusted root (Kino's own root, or roots a deployment adds).

use std::io::Cursor;

use c2pa::{Context, Reader, ValidationState};
use kino_core::media::{C2paReport, C2paState};
use serde_json::{Value, json};

use super::MP4;

/// Roots to trust (PEM bundle); empty trusts nobody, so intact files read as `valid`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trust {
    pub anchors_pem: String,
}

/// Validation codes that mean the bytes changed after signing.
fn is_tamper_code(code: &str) -> bool {
    code.contains("mismatch") || code.starts_with("claimSignature") || code.contains("hashedURI") || code.contains("assertion.missing")
}

fn report(state: C2paState) -> C2paReport {
    C2paReport {
        state,
        tampered: false,
        signer: None,
        generator: None,
        model: None,
        actions: Vec::new(),
        digital_source_type: None,
        parent: None,
        issues: Vec::new(),
    }
}

/// Reads and validates the manifest in `mp4`.
pub fn read_manifest(mp4: &[u8], trust: &Trust) -> C2paReport {
    let mut settings = json!({"verify": {"verify_trust": true, "ocsp_fetch": false, "remote_manifest_fetch": false}});
    if !trust.anchors_pem.trim().is_empty() {
        settings["trust"] = json!({"trust_anchors": trust.anchors_pem});
    }
    let context = match Context::new().with_settings(settings.to_string().as_str()) {
        Ok(c) => c,
        Err(e) => {
            let mut r = report(C2paState::Invalid);
            r.issues.push(format!("settings: {e}"));
            return r;
        }
    };
    let reader = match Reader::from_context(context).with_stream(MP4, Cursor::new(mp4)) {
        Ok(r) => r,
        Err(c2pa::Error::JumbfNotFound) | Err(c2pa::Error::ProvenanceMissing) => return report(C2paState::Missing),
        Err(e) => {
            // A manifest that cannot even be parsed: present but broken.
            let mut r = report(C2paState::Invalid);
            r.tampered = true;
            r.issues.push(e.to_string());
            return r;
        }
    };
    let state = match reader.validation_state() {
        ValidationState::Trusted => C2paState::Trusted,
        ValidationState::Valid => C2paState::Valid,
        _ => C2paState::Invalid,
    };
    let mut r = report(state);
    let failures: Vec<String> =
        reader.validation_results().and_then(|v| v.active_manifest()).map(|m| m.failure().iter().map(|s| s.code().to_string()).collect()).unwrap_or_default();
    r.tampered = failures.iter().any(|c| is_tamper_code(c));
    r.issues = failures;
    if let Some(m) = reader.active_manifest() {
        if let Some(info) = m.signature_info() {
            r.signer = info.common_name.clone().or_else(|| info.issuer.clone());
        }
        r.parent = m.ingredients().iter().find(|i| matches!(i.relationship(), c2pa::Relationship::ParentOf)).and_then(|i| i.title().map(str::to_string));
    }
    // Generator and actions from the JSON form, which is stable across SDK versions.
    if let Ok(v) = serde_json::from_str::<Value>(&reader.json()) {
        let active = v["active_manifest"].as_str().unwrap_or_default();
        let m = &v["manifests"][active];
        if let Some(g) = m["claim_generator_info"].as_array().and_then(|a| a.first()) {
            r.generator = Some(format!("{} {}", g["name"].as_str().unwrap_or("?"), g["version"].as_str().unwrap_or("")).trim().to_string());
        }
        for a in m["assertions"].as_array().into_iter().flatten() {
            if !a["label"].as_str().is_some_and(|l| l.starts_with("c2pa.actions")) {
                continue;
            }
            for act in a["data"]["actions"].as_array().into_iter().flatten() {
                if let Some(name) = act["action"].as_str() {
                    r.actions.push(name.to_string());
                }
                if let Some(t) = act["digitalSourceType"].as_str() {
                    r.digital_source_type = Some(t.to_string());
                }
                if let Some(model) = act["parameters"]["model"].as_str() {
                    r.model = Some(model.to_string());
                }
            }
        }
    }
    r
}
