//! Signing: embeds a C2PA manifest in an MP4. A new video gets a `c2pa.created` action with
//! digital source type trainedAlgorithmicMedia; a remix gets `c2pa.opened` on its parent (added
//! as a `parentOf` ingredient, manifest and all) and `c2pa.edited` with the same source type.
//! The manifest names the software and the model, never the person who asked.

use std::io::Cursor;

use c2pa::{Builder, Context, SigningAlg, create_signer};
use serde_json::json;

use super::{MP4, TRAINED_ALGORITHMIC_MEDIA, c2pa_err, certs::SigningChain};
use crate::MediaError;

/// What made the video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    /// Kino's version.
    pub version: String,
    /// The model that generated the content ("kino-v1").
    pub model: String,
}

impl Default for Generator {
    fn default() -> Self {
        Generator { version: env!("CARGO_PKG_VERSION").into(), model: "kino-v1".into() }
    }
}

/// Signs `mp4` (bytes of a whole file) and returns the signed file. `parent` is the signed MP4
/// this one remixes, if any.
pub fn sign_mp4(mp4: &[u8], chain: &SigningChain, generator: &Generator, title: &str, parent: Option<&[u8]>) -> Result<Vec<u8>, MediaError> {
    let agent = json!({"name": "Kino", "version": generator.version});
    let params = json!({"model": generator.model});
    let actions = if parent.is_some() {
        json!([
            {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}},
            {"action": "c2pa.edited", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA, "softwareAgent": agent, "description": "remixed by a generative model", "parameters": params},
        ])
    } else {
        json!([{"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA, "softwareAgent": agent, "parameters": params}])
    };
    let definition = json!({
        "claim_generator_info": [{"name": "Kino", "version": generator.version}],
        "title": title,
        "format": MP4,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}],
    });
    let context = Context::new().with_settings(json!({"builder": {"thumbnail": {"enabled": false}}}).to_string().as_str()).map_err(c2pa_err)?;
    let mut builder = Builder::from_context(context).with_definition(definition.to_string().as_str()).map_err(c2pa_err)?;
    if let Some(parent) = parent {
        let ingredient = json!({"title": "parent.mp4", "relationship": "parentOf", "label": "parent"});
        builder.add_ingredient_from_stream(ingredient.to_string(), MP4, &mut Cursor::new(parent)).map_err(c2pa_err)?;
    }
    let signer = create_signer::from_keys(chain.chain_pem.as_bytes(), chain.key_pem.as_bytes(), SigningAlg::Es256, None).map_err(c2pa_err)?;
    let mut source = Cursor::new(mp4);
    let mut dest = Cursor::new(Vec::with_capacity(mp4.len() + 32 * 1024));
    builder.sign(signer.as_ref(), MP4, &mut source, &mut dest).map_err(c2pa_err)?;
    Ok(dest.into_inner())
}
