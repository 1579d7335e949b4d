//! Access-key (HMAC-SHA256) request signing.
//!
//! Every request authenticated with an [`AccessKeyCredential`] carries:
//!
//! * `x-ms-date`: the RFC 1123 time of this attempt;
//! * `x-ms-content-sha256`: `base64(SHA-256(body))` (the empty body hashes to
//!   `47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=`);
//! * `Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<sig>`
//!   where `<sig>` is `base64(HMAC-SHA256(key, string_to_sign))` and
//!   `string_to_sign = VERB + "\n" + path_and_query + "\n" + date + ";" + host + ";" + hash`.
//!
//! [`sign`] is the pure computation (checked against the SDK vectors in
//! `shared/conformance/hmac-vectors.json`); [`HmacAuthenticationPolicy`] applies it in the
//! pipeline. The policy is installed per try, after the retry policy, so each attempt gets a fresh
//! date and signature (the service rejects dates more than a few minutes off).

use crate::{credential::AccessKeyCredential, datetime::rfc1123};
use azure_core::{
    error::ErrorKind,
    http::{
        headers::{HeaderName, AUTHORIZATION},
        policies::{Policy, PolicyResult},
        Body, Context, Method, Request, Url,
    },
};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::{fmt, sync::Arc};
use time::OffsetDateTime;

/// `x-ms-date`: the time the request was signed.
pub const X_MS_DATE: HeaderName = HeaderName::from_static("x-ms-date");
/// `x-ms-content-sha256`: the base64 SHA-256 of the request body.
pub const X_MS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-ms-content-sha256");

/// The names of the signed headers, in signing order, as they appear in `Authorization`.
const SIGNED_HEADER_NAMES: &str = "x-ms-date;host;x-ms-content-sha256";

/// The header values produced by signing one request attempt.
///
/// `Debug` shows everything except the signature (and so the `Authorization` value).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    date: String,
    content_sha256: String,
    string_to_sign: String,
    signature: String,
}

impl SignedHeaders {
    /// The `x-ms-date` value that was signed.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// The `x-ms-content-sha256` value.
    pub fn content_sha256(&self) -> &str {
        &self.content_sha256
    }

    /// The exact string that was signed.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The base64 HMAC-SHA256 signature. Treat it as a secret: it authorizes the request.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The full `Authorization` header value. Treat it as a secret.
    pub fn authorization(&self) -> String {
        format!("HMAC-SHA256 SignedHeaders={SIGNED_HEADER_NAMES}&Signature={}", self.signature)
    }
}

impl fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedHeaders")
            .field("date", &self.date)
            .field("content_sha256", &self.content_sha256)
            .field("string_to_sign", &self.string_to_sign)
            .finish_non_exhaustive()
    }
}

/// `base64(SHA-256(body))`, the `x-ms-content-sha256` value.
pub fn content_sha256(body: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(body))
}

/// `base64(HMAC-SHA256(key, message))`, the signature of an already-built string to sign.
pub fn sign_string(key: &AccessKeyCredential, message: &str) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    match Hmac::<Sha256>::new_from_slice(key.key()) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            STANDARD.encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The `host` value that is signed: the URL's host, plus `:port` only when the port is not the
/// scheme's default (exactly what the HTTP client puts in the `Host` header).
pub fn signed_host(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// The path and query that are signed: the percent-encoded path, plus `?` and the query when the
/// URL has one, exactly as sent on the request line.
pub fn signed_path_and_query(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// Signs from already-extracted parts (method, path and query, host as they are signed).
pub fn sign_parts(
    key: &AccessKeyCredential,
    method: &str,
    path_and_query: &str,
    host: &str,
    date: &str,
    body: &[u8],
) -> SignedHeaders {
    let content_sha256 = content_sha256(body);
    let string_to_sign = format!(
        "{}\n{path_and_query}\n{date};{host};{content_sha256}",
        method.to_ascii_uppercase()
    );
    let signature = sign_string(key, &string_to_sign);
    SignedHeaders { date: date.to_owned(), content_sha256, string_to_sign, signature }
}

/// Signs a request to `url` with `date` (an RFC 1123 string, the `x-ms-date` value) and `body`.
pub fn sign(
    key: &AccessKeyCredential,
    method: Method,
    url: &Url,
    date: &str,
    body: &[u8],
) -> SignedHeaders {
    sign_parts(key, method.as_ref(), &signed_path_and_query(url), &signed_host(url), date, body)
}

/// Pipeline policy that signs every attempt with an access key. Install it per try.
#[derive(Clone)]
pub struct HmacAuthenticationPolicy {
    credential: AccessKeyCredential,
}

impl HmacAuthenticationPolicy {
    /// Creates the policy for `credential`.
    pub fn new(credential: AccessKeyCredential) -> Self {
        Self { credential }
    }
}

impl fmt::Debug for HmacAuthenticationPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacAuthenticationPolicy { .. }")
    }
}

#[async_trait::async_trait]
impl Policy for HmacAuthenticationPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let body = match request.body() {
            Body::Bytes(bytes) => bytes.clone(),
            Body::SeekableStream(_) => {
                return Err(azure_core::Error::with_message(
                    ErrorKind::Other,
                    "access-key signing needs the whole request body up front; streamed bodies are not supported",
                ))
            }
        };
        let date = rfc1123::format(OffsetDateTime::now_utc());
        let signed = sign(&self.credential, request.method(), request.url(), &date, &body);
        request.insert_header(X_MS_DATE, signed.date().to_owned());
        request.insert_header(X_MS_CONTENT_SHA256, signed.content_sha256().to_owned());
        request.insert_header(AUTHORIZATION, signed.authorization());
        let Some((first, rest)) = next.split_first() else {
            return Err(azure_core::Error::with_message(
                ErrorKind::Other,
                "HmacAuthenticationPolicy must not be the last policy of a pipeline",
            ));
        };
        first.send(ctx, request, rest).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_keeps_only_non_default_ports() {
        let url = |s| Url::parse(s).unwrap();
        assert_eq!(
            signed_host(&url("https://x.communication.azure.com/a")),
            "x.communication.azure.com"
        );
        assert_eq!(signed_host(&url("https://x.com:443/a")), "x.com");
        assert_eq!(signed_host(&url("http://127.0.0.1:8080/a")), "127.0.0.1:8080");
        assert_eq!(signed_host(&url("https://x.com:8443/")), "x.com:8443");
    }

    #[test]
    fn debug_hides_the_signature() {
        let key = AccessKeyCredential::new("pw==").unwrap();
        let url = Url::parse("https://example.com/testPath?testQuery=test").unwrap();
        let signed = sign(&key, Method::Get, &url, "Wed, 13 Apr 2022 18:09:12 GMT", b"");
        assert_eq!(signed.signature(), "DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU=");
        let debug = format!("{signed:?} {:?}", HmacAuthenticationPolicy::new(key));
        assert!(!debug.contains(signed.signature()), "{debug}");
    }
}
