//! The signing chain for C2PA manifests: a root, an intermediate and a leaf certificate
//! (ECDSA P-256), the leaf meeting C2PA's certificate profile: not self-signed, `digitalSignature`
//! key usage, the `emailProtection` and `documentSigning` extended key usages, authority and
//! subject key identifiers.
//!
//! A server creates its own chain in its data folder on first start
//! ([`SigningChain::load_or_create`]); a production deployment points at a chain bought from a
//! C2PA-recognised authority instead ([`SigningChain::from_files`]). Either way the root
//! certificate ([`SigningChain::root_pem`]) is public: verifiers add it to their trust list.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
};

use crate::MediaError;

/// File names inside the chain folder.
pub const ROOT_CERT: &str = "root.pem";
pub const ROOT_KEY: &str = "root.key.pem";
pub const INTERMEDIATE_CERT: &str = "intermediate.pem";
pub const INTERMEDIATE_KEY: &str = "intermediate.key.pem";
/// Leaf then intermediate, as the signer sends them.
pub const CHAIN: &str = "chain.pem";
pub const SIGNER_KEY: &str = "signer.key.pem";

/// OID of id-kp-documentSigning (RFC 9336).
const DOCUMENT_SIGNING: [u64; 9] = [1, 3, 6, 1, 5, 5, 7, 3, 36];

/// A chain ready to sign with.
#[derive(Clone)]
pub struct SigningChain {
    /// Leaf certificate first, then the intermediates (PEM).
    pub chain_pem: String,
    /// The leaf's private key (PKCS#8 PEM).
    pub key_pem: String,
    /// The root certificate (PEM), for verifiers' trust lists.
    pub root_pem: String,
}

impl std::fmt::Debug for SigningChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningChain").field("chain_pem", &self.chain_pem).field("key_pem", &"..").finish()
    }
}

fn cert_err(e: rcgen::Error) -> MediaError {
    MediaError::Certificates(e.to_string())
}

fn read(path: &Path) -> Result<String, MediaError> {
    std::fs::read_to_string(path).map_err(|e| MediaError::io(path, e))
}

fn write(path: &Path, text: &str, secret: bool) -> Result<(), MediaError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    // Write beside, then rename: a crash never leaves half a key behind.
    let tmp = path.with_extension("tmp");
    let mut f = options.open(&tmp).map_err(|e| MediaError::io(&tmp, e))?;
    f.write_all(text.as_bytes()).and_then(|()| f.sync_all()).map_err(|e| MediaError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| MediaError::io(path, e))
}

fn name(common: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common);
    dn.push(DnType::OrganizationName, "Kino");
    dn
}

fn validity(params: &mut CertificateParams, years: i64) {
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(365 * years);
}

impl SigningChain {
    /// Where an instance keeps its own chain inside its data folder.
    pub fn dir_in(data: &Path) -> PathBuf {
        data.join("c2pa")
    }

    /// Loads the chain in `dir`, creating the missing parts first (all of it on first use; a
    /// new leaf if only the leaf is missing). `name` goes into the certificates' common names
    /// ("Kino at example.org"); it should name the service, never a person.
    pub fn load_or_create(dir: &Path, name: &str) -> Result<SigningChain, MediaError> {
        std::fs::create_dir_all(dir).map_err(|e| MediaError::io(dir, e))?;
        let p = |f: &str| -> PathBuf { dir.join(f) };
        if !p(ROOT_CERT).exists() || !p(INTERMEDIATE_CERT).exists() || !p(INTERMEDIATE_KEY).exists() {
            Self::create_cas(dir, name)?;
        }
        if !p(CHAIN).exists() || !p(SIGNER_KEY).exists() {
            Self::create_leaf(dir, name)?;
        }
        Self::from_files(&p(CHAIN), &p(SIGNER_KEY), &p(ROOT_CERT))
    }

    /// Loads a configured chain: `chain` (leaf first, then intermediates), the leaf's key, and
    /// the root to publish.
    pub fn from_files(chain: &Path, key: &Path, root: &Path) -> Result<SigningChain, MediaError> {
        let chain = SigningChain { chain_pem: read(chain)?, key_pem: read(key)?, root_pem: read(root)? };
        if !chain.chain_pem.contains("BEGIN CERTIFICATE") || !chain.root_pem.contains("BEGIN CERTIFICATE") {
            return Err(MediaError::Certificates("the chain and the root must be PEM certificates".into()));
        }
        if !chain.key_pem.contains("PRIVATE KEY") {
            return Err(MediaError::Certificates("the signing key must be a PEM private key".into()));
        }
        Ok(chain)
    }

    /// The root certificate (PEM) that verifiers should trust.
    pub fn root_pem(&self) -> &str {
        &self.root_pem
    }

    fn create_cas(dir: &Path, service: &str) -> Result<(), MediaError> {
        let root_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(cert_err)?;
        let mut root = CertificateParams::new(Vec::<String>::new()).map_err(cert_err)?;
        root.distinguished_name = name(&format!("{service} root"));
        root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        root.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        validity(&mut root, 30);
        let root_cert = root.self_signed(&root_key).map_err(cert_err)?;
        let root_issuer = Issuer::new(root, &root_key);

        let inter_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(cert_err)?;
        let mut inter = CertificateParams::new(Vec::<String>::new()).map_err(cert_err)?;
        inter.distinguished_name = name(&format!("{service} intermediate"));
        inter.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        inter.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        inter.use_authority_key_identifier_extension = true;
        validity(&mut inter, 20);
        let inter_cert = inter.signed_by(&inter_key, &root_issuer).map_err(cert_err)?;

        write(&dir.join(ROOT_KEY), &root_key.serialize_pem(), true)?;
        write(&dir.join(INTERMEDIATE_KEY), &inter_key.serialize_pem(), true)?;
        write(&dir.join(INTERMEDIATE_CERT), &inter_cert.pem(), false)?;
        // The root goes last: its presence says the CA pair is complete.
        write(&dir.join(ROOT_CERT), &root_cert.pem(), false)?;
        Ok(())
    }

    fn create_leaf(dir: &Path, service: &str) -> Result<(), MediaError> {
        let inter_pem = read(&dir.join(INTERMEDIATE_CERT))?;
        let inter_key = KeyPair::from_pem(&read(&dir.join(INTERMEDIATE_KEY))?).map_err(cert_err)?;
        let issuer = Issuer::from_ca_cert_pem(&inter_pem, &inter_key).map_err(cert_err)?;
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(cert_err)?;
        let mut leaf = CertificateParams::new(Vec::<String>::new()).map_err(cert_err)?;
        leaf.distinguished_name = name(&format!("{service} signer"));
        leaf.is_ca = IsCa::ExplicitNoCa;
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection, ExtendedKeyUsagePurpose::Other(DOCUMENT_SIGNING.to_vec())];
        leaf.use_authority_key_identifier_extension = true;
        validity(&mut leaf, 10);
        let cert = leaf.signed_by(&key, &issuer).map_err(cert_err)?;
        write(&dir.join(SIGNER_KEY), &key.serialize_pem(), true)?;
        write(&dir.join(CHAIN), &format!("{}{}", cert.pem(), inter_pem), false)?;
        Ok(())
    }
}
