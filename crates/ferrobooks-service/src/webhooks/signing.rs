//! Both signature schemes a delivery carries.
//!
//! - `X-SyncBooks-Signature: sha256=<hex HMAC-SHA256(secret, body)>`, keyed
//!   with the secret string as shown (`whsec_...`).
//! - Standard Webhooks: `webhook-id`, `webhook-timestamp` and
//!   `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`,
//!   keyed with the base64-decoded part of the secret after `whsec_`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const PREFIX: &str = "whsec_";

/// A new secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{PREFIX}{}", STANDARD.encode(bytes))
}

fn mac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // new_from_slice accepts keys of any length for HMAC.
    let mut m = HmacSha256::new_from_slice(key).unwrap_or_else(|_| {
        HmacSha256::new_from_slice(&[0u8; 32]).expect("a 32-byte key is valid")
    });
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().to_vec()
}

/// `sha256=<hex>` of the body, keyed with the whole secret string.
pub fn syncbooks_signature(secret: &str, body: &str) -> String {
    format!(
        "sha256={}",
        hex::encode(mac(secret.as_bytes(), &[body.as_bytes()]))
    )
}

/// `v1,<base64>` over `{id}.{timestamp}.{body}`, per Standard Webhooks.
pub fn standard_signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let key = STANDARD
        .decode(secret.strip_prefix(PREFIX).unwrap_or(secret))
        .unwrap_or_else(|_| secret.as_bytes().to_vec());
    let ts = timestamp.to_string();
    let sig = mac(
        &key,
        &[id.as_bytes(), b".", ts.as_bytes(), b".", body.as_bytes()],
    );
    format!("v1,{}", STANDARD.encode(sig))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_webhooks_reference_vector() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let sig = standard_signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn syncbooks_signature_is_hex_hmac_of_the_body() {
        let s = syncbooks_signature("key", "The quick brown fox jumps over the lazy dog");
        assert_eq!(
            s,
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }
}
