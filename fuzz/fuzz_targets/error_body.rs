//! Error responses with an arbitrary status, `x-ms-error-code` header and body: decoding and
//! displaying them never panics, the status is kept and the message stays bounded.
#![no_main]

use azure_communication_runtime::error::ServiceError;
use azure_core::http::{headers::Headers, StatusCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // [status hi, status lo, flags, code length, code…, body…]
    let [hi, lo, flags, code_len, rest @ ..] = data else { return };
    let status = StatusCode::from(u16::from_be_bytes([*hi, *lo]));
    let (code, body) = rest.split_at(usize::from(*code_len).min(rest.len()));
    let mut headers = Headers::new();
    if flags & 1 == 1 {
        headers.insert("x-ms-error-code", String::from_utf8_lossy(code).into_owned());
    }
    let complete = flags & 2 == 0;
    let error = ServiceError::from_response(status, &headers, body, complete);
    assert_eq!(error.status(), status);
    let shown = error.to_string();
    assert!(shown.chars().count() < 24 * 1024, "Display is bounded: {} chars", shown.len());
    assert!(!shown.chars().any(|c| c.is_control()), "Display escapes control characters");
    let _ = (error.code(), error.message(), error.raw_body());
    let _ = error.body::<azure_communication::common::CommunicationErrorResponse>();
});
