//! Errors returned by the Communication Services REST APIs.
//!
//! A non-2xx response becomes an [`azure_core::Error`] of kind
//! [`ErrorKind::HttpResponse`] (carrying the status, the error code and the raw response) whose
//! inner error is a [`ServiceError`]. Use [`ServiceError::from_error`] to get at it:
//!
//! ```
//! # fn handle(err: azure_core::Error) {
//! use azure_communication_runtime::error::ServiceError;
//! if let Some(service) = ServiceError::from_error(&err) {
//!     eprintln!("{} {:?}: {:?}", service.status(), service.code(), service.message());
//! }
//! # }
//! ```
//!
//! The error code comes from the `x-ms-error-code` header, else from `error.code` in the body;
//! the message from `error.message`. Bodies that are empty, not JSON, truncated or larger than
//! [`MAX_ERROR_BODY_BYTES`] still give an error with the status, never a panic.

use azure_core::{
    error::ErrorKind,
    http::{
        headers::{Headers, ERROR_CODE},
        RawResponse, StatusCode,
    },
    Bytes,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::fmt;

/// The most bytes of an error response body that are read and parsed.
pub const MAX_ERROR_BODY_BYTES: usize = 1024 * 1024;

/// Longest message (in characters) that [`ServiceError`]'s `Display` prints.
const MAX_DISPLAYED_MESSAGE_CHARS: usize = 1024;

/// What could be made of the error response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyState {
    /// A Communication Services error object (possibly read leniently).
    Parsed,
    /// No body.
    Empty,
    /// Not a JSON error object.
    Unrecognized,
    /// Longer than [`MAX_ERROR_BODY_BYTES`] or cut short by a read error.
    Incomplete,
}

/// A non-success response from a Communication Services API.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    status: StatusCode,
    code: Option<String>,
    message: Option<String>,
    /// The whole body, when it was read to the end and is a JSON object.
    body: Option<Bytes>,
    body_state: BodyState,
}

/// The two strings every Azure error body carries, either under `error` (the Azure REST
/// guidelines' shape, used by every Communication Services API) or at the top level.
#[derive(Deserialize)]
struct ErrorEnvelope {
    #[serde(default, deserialize_with = "lenient_object")]
    error: Option<CodeAndMessage>,
    #[serde(flatten)]
    top: CodeAndMessage,
}

#[derive(Deserialize)]
struct CodeAndMessage {
    #[serde(default, deserialize_with = "lenient_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    message: Option<String>,
}

/// A string, or nothing for any other JSON value: one odd value does not hide the others.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

/// An object with code and message, or nothing for any other JSON value.
fn lenient_object<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<CodeAndMessage>, D::Error> {
    Ok(serde_json::from_value(serde_json::Value::deserialize(d)?).ok())
}

/// The code and message of a JSON object body, under `error` or at the top level; `None` when
/// the body is not a JSON object.
fn parse_code_and_message(body: &[u8]) -> Option<(Option<String>, Option<String>)> {
    let envelope = serde_json::from_slice::<ErrorEnvelope>(body).ok()?;
    Some(match envelope.error {
        Some(inner) if inner.code.is_some() || inner.message.is_some() => {
            (inner.code, inner.message)
        }
        _ => (envelope.top.code, envelope.top.message),
    })
}

/// The non-blank code and message of an error (or status) body, if it has them.
pub(crate) fn code_and_message(body: &[u8]) -> (Option<String>, Option<String>) {
    let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let (code, message) = parse_code_and_message(body).unwrap_or_default();
    (non_empty(code), non_empty(message))
}

impl ServiceError {
    /// Builds the error for a response with `status`, `headers` and (the first bytes of) its
    /// body. `complete` is false when the body was cut short.
    pub fn from_response(
        status: StatusCode,
        headers: &Headers,
        body: &[u8],
        complete: bool,
    ) -> Self {
        let header_code = headers
            .get_optional_str(&ERROR_CODE)
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(str::to_owned);
        let (body_state, body_code, body_message, kept) = if !complete {
            (BodyState::Incomplete, None, None, None)
        } else if body.iter().all(u8::is_ascii_whitespace) {
            (BodyState::Empty, None, None, None)
        } else if let Some((code, message)) = parse_code_and_message(body) {
            (BodyState::Parsed, code, message, Some(Bytes::copy_from_slice(body)))
        } else {
            (BodyState::Unrecognized, None, None, None)
        };
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Self {
            status,
            code: header_code.or_else(|| non_empty(body_code)),
            message: non_empty(body_message),
            body: kept,
            body_state,
        }
    }

    /// Wraps this error into an [`azure_core::Error`] of kind [`ErrorKind::HttpResponse`],
    /// keeping `raw` (status, headers and the body bytes that were read) in the kind.
    pub fn into_azure_error(self, raw: RawResponse) -> azure_core::Error {
        let kind = ErrorKind::HttpResponse {
            status: self.status,
            error_code: self.code.clone(),
            raw_response: Some(Box::new(raw)),
        };
        azure_core::Error::new(kind, self)
    }

    /// Builds the [`azure_core::Error`] for a non-success response (see [`from_response`](Self::from_response)).
    pub(crate) fn error_for_response(
        status: StatusCode,
        headers: Headers,
        body: Vec<u8>,
        complete: bool,
    ) -> azure_core::Error {
        let service = Self::from_response(status, &headers, &body, complete);
        service.into_azure_error(RawResponse::from_bytes(status, headers, Bytes::from(body)))
    }

    /// Finds the [`ServiceError`] inside `err` (also through `with_context` wrappers).
    pub fn from_error(err: &azure_core::Error) -> Option<&ServiceError> {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(error) = current {
            if let Some(service) = error.downcast_ref::<ServiceError>() {
                return Some(service);
            }
            current = error.source();
        }
        None
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The error code: the `x-ms-error-code` header, else `error.code` from the body.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable `error.message` from the body, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The error body decoded as `T` (the `error` type the operation's spec declares, such as
    /// `common::CommunicationErrorResponse`), when the whole body was read, is a JSON object and
    /// has that shape.
    pub fn body<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(self.body.as_ref()?).ok()
    }

    /// The raw error body, when the whole body was read and is a JSON object.
    pub fn raw_body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}

/// Writes `text` with control characters escaped and at most `max` characters.
fn write_sanitized(f: &mut fmt::Formatter<'_>, text: &str, max: usize) -> fmt::Result {
    for (index, c) in text.chars().enumerate() {
        if index == max {
            return f.write_str("…");
        }
        if c.is_control() {
            write!(f, "{}", c.escape_default())?;
        } else {
            fmt::Write::write_char(f, c)?;
        }
    }
    Ok(())
}

/// Writes ` (code)` and `: message` for those present, each sanitized and cut short.
pub(crate) fn write_code_and_message(
    f: &mut fmt::Formatter<'_>,
    code: Option<&str>,
    message: Option<&str>,
) -> fmt::Result {
    if let Some(code) = code {
        f.write_str(" (")?;
        write_sanitized(f, code, MAX_DISPLAYED_MESSAGE_CHARS)?;
        f.write_str(")")?;
    }
    if let Some(message) = message {
        f.write_str(": ")?;
        write_sanitized(f, message, MAX_DISPLAYED_MESSAGE_CHARS)?;
    }
    Ok(())
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} {}", self.status, self.status.canonical_reason())?;
        write_code_and_message(f, self.code.as_deref(), self.message.as_deref())?;
        if self.message.is_none() {
            let note = match self.body_state {
                BodyState::Parsed => "no error message in the response body",
                BodyState::Empty => "empty response body",
                BodyState::Unrecognized => "the response body is not a JSON error object",
                BodyState::Incomplete => "the response body was too large or cut short",
            };
            write!(f, " [{note}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(code: Option<&'static str>) -> Headers {
        let mut headers = Headers::new();
        if let Some(code) = code {
            headers.insert(ERROR_CODE, code);
        }
        headers
    }

    #[test]
    fn header_code_wins_over_body_code() {
        let body = br#"{"error":{"code":"BodyCode","message":"Nope."}}"#;
        let e = ServiceError::from_response(
            StatusCode::BadRequest,
            &headers(Some("HeaderCode")),
            body,
            true,
        );
        assert_eq!(e.code(), Some("HeaderCode"));
        assert_eq!(e.message(), Some("Nope."));
        assert!(e.raw_body().is_some());
        assert_eq!(e.to_string(), "HTTP 400 Bad Request (HeaderCode): Nope.");
    }

    #[test]
    fn lenient_bodies() {
        let e = ServiceError::from_response(
            StatusCode::Conflict,
            &headers(None),
            br#"{"error":{"code":"X"}}"#,
            true,
        );
        assert_eq!((e.code(), e.message()), (Some("X"), None));
        let e = ServiceError::from_response(
            StatusCode::Conflict,
            &headers(None),
            br#"{"code":"Y","message":"m"}"#,
            true,
        );
        assert_eq!((e.code(), e.message()), (Some("Y"), Some("m")));
    }

    #[test]
    fn odd_bodies_keep_the_status() {
        for (body, complete) in [
            (&b""[..], true),
            (b"<html>bad gateway</html>", true),
            (br#"{"error":{"code":"Trunc"#, true),
            (b"\xff\xfe\x00", true),
            (br#"{"error":{"code":"A","message":"B"}}"#, false),
            (b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", true),
        ] {
            let e = ServiceError::from_response(StatusCode::BadGateway, &headers(None), body, complete);
            assert_eq!(e.status(), StatusCode::BadGateway);
            assert!(e.to_string().starts_with("HTTP 502 Bad Gateway"), "{e}");
        }
    }

    #[test]
    fn display_escapes_and_truncates() {
        let long = "x".repeat(5000);
        let body = serde_json::json!({"error": {"code": "C\n", "message": long}}).to_string();
        let e = ServiceError::from_response(
            StatusCode::BadRequest,
            &headers(None),
            body.as_bytes(),
            true,
        );
        let text = e.to_string();
        assert!(text.contains("(C\\n)"));
        assert!(text.len() < 1200);
    }
}
