//! What the generated wire tests need from a loopback server: credentials to build clients
//! with, and matchers that check a request the way the service would.

use std::sync::Arc;

use azure_communication_runtime::credential::{AccessKeyCredential, UserTokenCredential};
use azure_core::credentials::TokenCredential;
use azure_core::http::{ClientOptions, RetryOptions};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wiremock::{Match, Request};

/// The base64 access key every test client signs with.
pub const ACCESS_KEY: &str = "dGVzdC1rZXktZm9yLWxvb3BiYWNrLXNlcnZlcnMtb25seQ==";

/// The user access token every chat test client sends.
pub const USER_TOKEN: &str = "test-user-access-token";

/// The `Authorization` header a chat test client must send.
pub const USER_TOKEN_HEADER: &str = "Bearer test-user-access-token";

/// The access key credential for [`ACCESS_KEY`].
pub fn access_key() -> AccessKeyCredential {
    AccessKeyCredential::new(ACCESS_KEY).expect("the test key is valid base64")
}

/// A fixed user access token credential for [`USER_TOKEN`].
pub fn user_token() -> Arc<dyn TokenCredential> {
    Arc::new(UserTokenCredential::new(USER_TOKEN))
}

/// Client options that never retry, so an error status is returned at once.
pub fn no_retries() -> ClientOptions {
    ClientOptions { retry: RetryOptions::none(), ..Default::default() }
}

/// Client options for a loopback test server: [`no_retries`], and bearer tokens allowed over
/// plain http to the loopback address (the runtime's test-only
/// [`plain_http_for_tests`](azure_communication_runtime::client::plain_http_for_tests)).
pub fn loopback() -> ClientOptions {
    plain_http(no_retries())
}

/// `options` with bearer tokens allowed over plain http to the loopback address; see
/// [`plain_http_for_tests`](azure_communication_runtime::client::plain_http_for_tests).
pub fn plain_http(options: ClientOptions) -> ClientOptions {
    azure_communication_runtime::client::plain_http_for_tests(options)
}

/// Accepts a request only when its HMAC-SHA256 signature is right for [`ACCESS_KEY`], checked
/// by [`verify_hmac`].
pub struct ValidHmacSignature;

impl Match for ValidHmacSignature {
    fn matches(&self, request: &Request) -> bool {
        verify_hmac(request, ACCESS_KEY).is_ok()
    }
}

/// The service side of access-key authentication, written independently of the crate: the
/// date is an RFC 1123 time within five minutes of now, the content hash is that of the body
/// received, and the signature covers the method, path and query as received, the date, the
/// host and the hash. `Err` says what is wrong.
pub fn verify_hmac(request: &Request, key_base64: &str) -> Result<(), String> {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| format!("missing {name}"))
    };
    let date = header("x-ms-date")?;
    let sent = time::PrimitiveDateTime::parse(
        date,
        time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ),
    )
    .map_err(|e| format!("bad x-ms-date {date:?}: {e}"))?
    .assume_utc();
    if (time::OffsetDateTime::now_utc() - sent).abs() > time::Duration::minutes(5) {
        return Err("x-ms-date too far off".into());
    }
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&request.body));
    if header("x-ms-content-sha256")? != hash {
        return Err("content hash mismatch".into());
    }
    let host = header("host")?;
    let path_and_query = match request.url.query() {
        Some(q) => format!("{}?{q}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    let string_to_sign =
        format!("{}\n{path_and_query}\n{date};{host};{hash}", request.method.as_str());
    let key = base64::engine::general_purpose::STANDARD
        .decode(key_base64)
        .map_err(|e| format!("the test key is not base64: {e}"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let expected = format!(
        "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"
    );
    if header("authorization")? != expected {
        return Err("signature mismatch".into());
    }
    Ok(())
}

/// Accepts a request whose JSON body is the expected value (timestamps compared as instants).
///
/// Unless the request is a JSON merge patch (`application/merge-patch+json`, where `null` removes
/// a stored value), an object member that is `null` in the expected value may be left out of the
/// request: in a plain JSON body `null` and a missing member both mean "not given", and the
/// models leave out what is not given (see [`super::without_absent_nulls`]).
pub struct JsonBody(Value);

impl JsonBody {
    /// Expects `json`.
    pub fn new(json: &str) -> Self {
        Self(serde_json::from_str(json).expect("the expected body is valid JSON"))
    }
}

impl Match for JsonBody {
    fn matches(&self, request: &Request) -> bool {
        let Ok(actual) = serde_json::from_slice::<Value>(&request.body) else { return false };
        let merge_patch = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/merge-patch+json"));
        if merge_patch {
            super::same_json(&self.0, &actual)
        } else {
            super::same_json(&super::without_absent_nulls(&self.0, &actual), &actual)
        }
    }
}

/// A piece of an expected request path.
pub enum PathPiece<'a> {
    /// Text from the path template.
    Literal(&'static str),
    /// A parameter value, percent-encoded on the wire.
    Param(&'a str),
}

/// The path a request must carry: parameter values percent-encoded except for the RFC 3986
/// unreserved characters. Written independently of the runtime's encoder on purpose.
pub fn expected_path(pieces: &[PathPiece<'_>]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            PathPiece::Literal(text) => out.push_str(text),
            PathPiece::Param(value) => {
                for byte in value.bytes() {
                    if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                        out.push(byte as char);
                    } else {
                        out.push_str(&format!("%{byte:02X}"));
                    }
                }
            }
        }
    }
    out
}

impl JsonBody {
    /// Expects `value`.
    pub fn value(value: Value) -> Self {
        Self(value)
    }
}
