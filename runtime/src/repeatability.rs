//! Repeatable-request headers (the OASIS "Repeatable Requests" convention used by ACS).
//!
//! The service de-duplicates a create/send call by its `Repeatability-Request-ID` (and, for Rooms
//! and Call Automation, its `Repeatability-First-Sent`). The values therefore have to be chosen
//! **once per call** and resent unchanged on every retry: generated operations call [`apply`]
//! before handing the request to the pipeline, whose retry policy then resends the same request.
//!
//! azure_core stores header names in lower case and HTTP/1.1 header names are case-insensitive,
//! so both styles go on the wire as `repeatability-request-id` (and
//! `repeatability-first-sent`); the styles differ in which headers are sent.

use crate::datetime::rfc1123;
use azure_core::http::{headers::HeaderName, Request};
use time::OffsetDateTime;

/// `Repeatability-Request-ID`: a client-chosen UUID identifying the call.
pub const REPEATABILITY_REQUEST_ID: HeaderName =
    HeaderName::from_static("repeatability-request-id");
/// `Repeatability-First-Sent`: when the call was first attempted, as an RFC 1123 date.
pub const REPEATABILITY_FIRST_SENT: HeaderName =
    HeaderName::from_static("repeatability-first-sent");

/// Which repeatability headers an operation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatabilityStyle {
    /// `Repeatability-Request-ID` and `Repeatability-First-Sent` (Rooms, Call Automation).
    Standard,
    /// `repeatability-request-id` only (Chat).
    RequestIdOnly,
}

/// Sets the repeatability headers on `request` for one call.
///
/// For each header: a value passed here (`request_id`, `first_sent`, typically from the
/// operation's options) wins; otherwise a value already on the request is kept; otherwise a fresh
/// one is generated (a random UUID v4, or the current time). `first_sent` is ignored for
/// [`RepeatabilityStyle::RequestIdOnly`].
///
/// Call this once per call, **before** [`ClientCore::send`](crate::client::ClientCore::send),
/// so that every retry carries the same values.
pub fn apply(
    request: &mut Request,
    style: RepeatabilityStyle,
    request_id: Option<&str>,
    first_sent: Option<OffsetDateTime>,
) {
    let has =
        // Not `get_optional_str`: in azure_core a missing header builds an error (with a
        // backtrace when RUST_BACKTRACE is set) before `.ok()` drops it, on every call.
        |request: &Request, name: &HeaderName| request.headers().iter().any(|(k, _)| k == name);
    match request_id {
        Some(id) => request.insert_header(REPEATABILITY_REQUEST_ID, id.to_owned()),
        None if has(request, &REPEATABILITY_REQUEST_ID) => {}
        None => request
            .insert_header(REPEATABILITY_REQUEST_ID, uuid::Uuid::new_v4().hyphenated().to_string()),
    }
    if style == RepeatabilityStyle::Standard {
        match first_sent {
            Some(when) => request.insert_header(REPEATABILITY_FIRST_SENT, rfc1123::format(when)),
            None if has(request, &REPEATABILITY_FIRST_SENT) => {}
            None => request.insert_header(
                REPEATABILITY_FIRST_SENT,
                rfc1123::format(OffsetDateTime::now_utc()),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::http::{Method, Url};
    use time::macros::datetime;

    fn request() -> Request {
        Request::new(Url::parse("https://example.com/rooms").unwrap(), Method::Post)
    }

    #[test]
    fn standard_generates_both() {
        let mut r = request();
        apply(&mut r, RepeatabilityStyle::Standard, None, None);
        let id = r.headers().get_str(&REPEATABILITY_REQUEST_ID).unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok());
        let sent = r.headers().get_str(&REPEATABILITY_FIRST_SENT).unwrap();
        assert!(rfc1123::parse(sent).is_ok());
    }

    #[test]
    fn request_id_only_sets_one_header() {
        let mut r = request();
        apply(&mut r, RepeatabilityStyle::RequestIdOnly, None, None);
        assert!(r.headers().get_optional_str(&REPEATABILITY_REQUEST_ID).is_some());
        assert!(r.headers().get_optional_str(&REPEATABILITY_FIRST_SENT).is_none());
    }

    #[test]
    fn caller_values_win_and_existing_values_are_kept() {
        let mut r = request();
        apply(
            &mut r,
            RepeatabilityStyle::Standard,
            Some("my-id"),
            Some(datetime!(2022-04-13 18:09:12 UTC)),
        );
        apply(&mut r, RepeatabilityStyle::Standard, None, None);
        assert_eq!(r.headers().get_str(&REPEATABILITY_REQUEST_ID).unwrap(), "my-id");
        assert_eq!(
            r.headers().get_str(&REPEATABILITY_FIRST_SENT).unwrap(),
            "Wed, 13 Apr 2022 18:09:12 GMT"
        );
    }
}
