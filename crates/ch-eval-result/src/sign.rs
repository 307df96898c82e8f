//! ed25519 keys (PKCS#8 / SPKI PEM, as `openssl genpkey -algorithm ed25519` writes
//! them) and signatures over a result file's digest.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::ResultError;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A key that signs result files.
pub struct Key(SigningKey);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", key_id(&self.0.verifying_key()))
    }
}

/// `sha256:` and the first 16 hex digits of SHA-256 of the public key's 32 bytes.
pub fn key_id(public: &VerifyingKey) -> String {
    format!("sha256:{}", &hex(&Sha256::digest(public.as_bytes()))[..16])
}

pub fn public_hex(public: &VerifyingKey) -> String {
    hex(public.as_bytes())
}

fn bad_key(path: &Path, what: &str) -> ResultError {
    ResultError::Key {
        path: path.display().to_string(),
        message: what.to_owned(),
    }
}

impl Key {
    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`).
    pub fn load(path: &Path) -> Result<Key, ResultError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| bad_key(path, &format!("cannot read: {e}")))?;
        SigningKey::from_pkcs8_pem(&text).map(Key).map_err(|e| {
            bad_key(
                path,
                &format!("not an ed25519 private key in PKCS#8 PEM ({e})"),
            )
        })
    }

    /// Makes a new key from the kernel's generator and writes it to `path` (mode 0600;
    /// never over an existing file).
    pub fn generate(path: &Path) -> Result<Key, ResultError> {
        use std::io::Read;
        let mut seed = [0u8; 32];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut seed))
            .map_err(|e| bad_key(path, &format!("no randomness: {e}")))?;
        let key = SigningKey::from_bytes(&seed);
        let pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| bad_key(path, &format!("cannot encode: {e}")))?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| bad_key(path, &format!("cannot create its folder: {e}")))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| bad_key(path, &format!("cannot create: {e}")))?;
        f.write_all(pem.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| bad_key(path, &format!("cannot write: {e}")))?;
        Ok(Key(key))
    }

    pub fn public(&self) -> VerifyingKey {
        self.0.verifying_key()
    }

    /// SPKI PEM of the public key, to hand to whoever verifies.
    pub fn public_pem(&self) -> String {
        self.public()
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_default()
    }

    pub(crate) fn sign_digest(&self, digest: &[u8; 32]) -> String {
        hex(&self.0.sign(digest).to_bytes())
    }
}

/// Reads a public key to trust: SPKI PEM (`-----BEGIN PUBLIC KEY-----`), a private
/// key PEM (its public half), or 64 hex digits.
pub fn load_public(path: &Path) -> Result<VerifyingKey, ResultError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| bad_key(path, &format!("cannot read: {e}")))?;
    if let Ok(k) = VerifyingKey::from_public_key_pem(&text) {
        return Ok(k);
    }
    if let Ok(k) = SigningKey::from_pkcs8_pem(&text) {
        return Ok(k.verifying_key());
    }
    unhex(text.trim())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| {
            bad_key(
                path,
                "not an ed25519 public key (SPKI PEM, private key PEM or 64 hex digits)",
            )
        })
}

pub(crate) fn verify_digest(
    public_hex: &str,
    digest: &[u8; 32],
    signature_hex: &str,
) -> Result<VerifyingKey, String> {
    let key = unhex(public_hex)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or("`public_key` is not an ed25519 public key")?;
    let sig = unhex(signature_hex)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| ed25519_dalek::Signature::from_bytes(&b))
        .ok_or("`signature` is not 64 bytes of hex")?;
    key.verify_strict(digest, &sig)
        .map_err(|_| "the signature does not match the file's digest and key".to_owned())?;
    Ok(key)
}

pub(crate) fn digest_hex(d: &[u8; 32]) -> String {
    format!("sha256:{}", hex(d))
}
