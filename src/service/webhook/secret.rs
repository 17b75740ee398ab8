//! Endpoint secrets: made, sealed for storage, and used to sign deliveries as the Standard Webhooks
//! specification says. A secret is `whsec_` and the base64 of 32 random bytes; the signing key is those
//! bytes. Stored secrets are sealed with ChaCha20-Poly1305 under the instance's webhook key (given by the
//! operator, or for SQLite kept in a file beside the database), with the endpoint's ID as associated data,
//! so a copy of the database alone reveals no secret and a sealed secret moved to another endpoint does not
//! open.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use uuid::Uuid;

/// The prefix of a secret as shown to its owner.
const PREFIX: &str = "whsec_";

/// The prefix of a sealed secret in the database, naming the sealing scheme.
const SEALED_PREFIX: &str = "c20p1305:";

/// The key that seals endpoint secrets: 32 bytes.
#[derive(Clone)]
pub struct WebhookKey([u8; 32]);

impl std::fmt::Debug for WebhookKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookKey(..)")
    }
}

impl WebhookKey {
    /// A key from its base64 text (32 bytes), or why not.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "the webhook key is not base64".to_owned())?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the webhook key must be 32 bytes (44 characters of base64)".to_owned())?;
        Ok(WebhookKey(bytes))
    }

    /// A new random key.
    pub fn generate() -> Self {
        WebhookKey(random())
    }

    /// The key as base64, to store it.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    fn aead(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &self.0).expect("a 32-byte ChaCha20 key"))
    }

    /// `secret` sealed for endpoint `endpoint`.
    pub fn seal(&self, endpoint: Uuid, secret: &Secret) -> String {
        let nonce: [u8; NONCE_LEN] = random();
        let mut data = secret.0.to_vec();
        self.aead()
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(endpoint.as_bytes()),
                &mut data,
            )
            .expect("sealing 32 bytes");
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&data);
        format!("{SEALED_PREFIX}{}", STANDARD.encode(sealed))
    }

    /// The secret `sealed` for endpoint `endpoint`; `None` when it was sealed with another key, for another
    /// endpoint, or is damaged.
    pub fn open(&self, endpoint: Uuid, sealed: &str) -> Option<Secret> {
        let bytes = STANDARD.decode(sealed.strip_prefix(SEALED_PREFIX)?).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let mut data = data.to_vec();
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let plain = self
            .aead()
            .open_in_place(nonce, Aad::from(endpoint.as_bytes()), &mut data)
            .ok()?;
        Some(Secret(plain.try_into().ok()?))
    }
}

/// The webhook key to use: `given`, or for an SQLite file database without one, the key in the file beside
/// it (`<file>.webhook-key`), made on first use with only its owner allowed to read it. `None` when there
/// is none to be had; endpoints then cannot be created.
pub fn key_for(database_url: &str, given: Option<WebhookKey>) -> Option<WebhookKey> {
    if given.is_some() {
        return given;
    }
    let path = database_url.strip_prefix("sqlite://")?.split('?').next()?;
    if path.is_empty() || path.contains(":memory:") || database_url.contains("mode=memory") {
        return None;
    }
    let file = std::path::PathBuf::from(format!("{path}.webhook-key"));
    match read_or_make(&file) {
        Ok(key) => Some(key),
        Err(error) => {
            tracing::warn!(file = %file.display(), %error, "cannot read or make the webhook key; webhooks are off");
            None
        }
    }
}

fn read_or_make(file: &std::path::Path) -> Result<WebhookKey, String> {
    use std::io::Write;
    if let Ok(text) = std::fs::read_to_string(file) {
        return WebhookKey::parse(&text);
    }
    let key = WebhookKey::generate();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(file) {
        Ok(mut out) => {
            out.write_all(key.to_base64().as_bytes()).map_err(|e| e.to_string())?;
            Ok(key)
        }
        // Another process made it first: use theirs.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            WebhookKey::parse(&std::fs::read_to_string(file).map_err(|e| e.to_string())?)
        }
        Err(error) => Err(error.to_string()),
    }
}

/// An endpoint's signing secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// A new random secret.
    pub fn generate() -> Self {
        Secret(random())
    }

    /// The secret as its owner sees it once: `whsec_<base64>`.
    pub fn reveal(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(self.0))
    }

    /// The signature of one delivery: base64 of HMAC-SHA256 over `id.timestamp.body`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &self.0);
        let mut context = ring::hmac::Context::with_key(&key);
        context.update(id.as_bytes());
        context.update(b".");
        context.update(timestamp.to_string().as_bytes());
        context.update(b".");
        context.update(body);
        STANDARD.encode(context.sign().as_ref())
    }
}

/// The `webhook-signature` header: `v1,<signature>` for each secret that signs, space-separated.
pub fn signature_header(secrets: &[Secret], id: &str, timestamp: i64, body: &[u8]) -> String {
    let signatures: Vec<String> = secrets
        .iter()
        .map(|secret| format!("v1,{}", secret.sign(id, timestamp, body)))
        .collect();
    signatures.join(" ")
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).expect("the operating system's random numbers");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks reference libraries' tests: this secret, message ID,
    /// timestamp and body give this signature.
    #[test]
    fn signs_as_the_specification_s_examples() {
        // The example's secret is 24 bytes; a Kartla secret is 32, so the signing is checked on the bytes.
        let bytes = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("base64");
        let signing = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &bytes);
        let signed = ring::hmac::sign(
            &signing,
            b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}",
        );
        assert_eq!(
            STANDARD.encode(signed.as_ref()),
            "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        let secret = Secret::generate();
        let header = signature_header(&[secret.clone(), Secret::generate()], "msg_1", 1, b"{}");
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], format!("v1,{}", secret.sign("msg_1", 1, b"{}")));
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_endpoint_and_key() {
        let key = WebhookKey::generate();
        let (endpoint, other) = (Uuid::new_v4(), Uuid::new_v4());
        let secret = Secret::generate();
        let sealed = key.seal(endpoint, &secret);
        assert!(!sealed.contains(&secret.reveal()[PREFIX.len()..]));
        assert_eq!(key.open(endpoint, &sealed), Some(secret));
        assert_eq!(key.open(other, &sealed), None);
        assert_eq!(WebhookKey::generate().open(endpoint, &sealed), None);
        assert_eq!(key.open(endpoint, "c20p1305:AAAA"), None);
        assert!(WebhookKey::parse(&key.to_base64()).is_ok());
        assert!(WebhookKey::parse("short").is_err());
    }
}
