//! C2PA provenance: the certificate chain ([`certs`]), signing an MP4 with a manifest that says
//! a model made it ([`sign`]), and reading that manifest back with its validity and trust
//! ([`verify`]).

pub mod certs;
pub mod sign;
pub mod verify;

pub use certs::SigningChain;
pub use sign::{Generator, sign_mp4};
pub use verify::{Trust, read_manifest};

/// IPTC digital source type for media made by a trained model.
pub const TRAINED_ALGORITHMIC_MEDIA: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

/// MIME type handed to the C2PA SDK.
pub const MP4: &str = "video/mp4";

fn c2pa_err(e: c2pa::Error) -> crate::MediaError {
    crate::MediaError::Provenance(e.to_string())
}
