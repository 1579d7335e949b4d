//! Replays the recorded live sessions of the other Azure SDKs (`shared/conformance/recordings/`,
//! see `shared/conformance/SOURCES.md`) against our clients.
//!
//! For every recorded entry that is one of our operations, a loopback server answers with the
//! recorded response, our client is driven with the recorded request body, path parameter and
//! api-version, and then:
//!
//! * our request must match the recorded one: method, path exactly as on the wire
//!   (percent-encoded), query, the headers that matter (every recorded request header is either
//!   compared or skipped for a reason stated in [`check_request`]), our authentication scheme
//!   (bearer for Chat, a verifying HMAC signature for Rooms/Call Automation) and the JSON body;
//! * the recorded response must parse: a success into the model, equal to the recorded body
//!   (timestamps compared as instants); an error into a `ServiceError` with the recorded status,
//!   code and message.
//!
//! Recording fields that cannot be compared are skipped explicitly, per file, in the table at
//! the bottom ([`Strip`]).

// With some operation features off, the helpers only their tests use go unused.
#![cfg_attr(
    not(all(feature = "chat", feature = "rooms", feature = "callautomation")),
    allow(dead_code, unused_variables, unreachable_code)
)]

mod replay_support;
use azure_communication_test_support as support;

use std::fmt::Debug;

use azure_communication_runtime::datetime::rfc1123;
use azure_communication_runtime::error::ServiceError;
use azure_core::http::headers::{HeaderName, Headers};
use replay_support::{classify, is_sanitized, Body, Classified, Entry, OpKind, Recording};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Why a request-body member of a recording is not compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// The recorder replaced the value by `Sanitized`; it no longer has the member's type
    /// (e.g. a timestamp), so it can neither be sent nor compared.
    Sanitized,
    /// The recorded SDK sent an explicit `null` for an unset optional member; our models omit
    /// unset members instead. Checked separately: the model must read the `null` as unset.
    ExplicitNull,
}

/// A request-body member (JSON pointer) of one entry that is dropped before the comparison.
#[derive(Debug, Clone, Copy)]
struct Strip {
    entry: usize,
    pointer: &'static str,
    why: Why,
}

/// The recorded request body in the two forms the replay needs.
struct RequestBodies {
    /// Every [`Strip`] applied: what our client is given and must send back exactly.
    comparable: Option<Value>,
    /// Only the [`Why::Sanitized`] strips applied: still has the explicit `null`s.
    with_nulls: Option<Value>,
}

/// Removes the listed members, checking that each is there and is what the table says.
fn strip(body: &Value, strips: &[Strip], only: Option<Why>, ctx: &str) -> Value {
    let mut body = body.clone();
    for s in strips.iter().filter(|s| only.is_none_or(|why| s.why == why)) {
        let (parent, key) = s.pointer.rsplit_once('/').expect("pointers start with '/'");
        let object = body
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{ctx}: no object at {parent:?} to strip {key:?} from"));
        let removed = object.remove(key).unwrap_or_else(|| {
            panic!("{ctx}: the table strips {}, which is not recorded", s.pointer)
        });
        let expected = match s.why {
            Why::Sanitized => removed.as_str().is_some_and(is_sanitized),
            Why::ExplicitNull => removed.is_null(),
        };
        assert!(expected, "{ctx}: {} is {removed}, not {:?} as the table says", s.pointer, s.why);
    }
    body
}

/// Our request type from the recorded body; the body with explicit `null`s must read the same.
fn typed_request<T: DeserializeOwned + PartialEq + Debug>(bodies: &RequestBodies, ctx: &str) -> T {
    let parse = |value: &Option<Value>, what: &str| -> T {
        let value =
            value.clone().unwrap_or_else(|| panic!("{ctx}: the recording has no request body"));
        serde_json::from_value(value).unwrap_or_else(|e| {
            panic!(
                "{ctx}: the recorded request body ({what}) does not deserialize into {}: {e}",
                std::any::type_name::<T>()
            )
        })
    };
    let typed = parse(&bodies.comparable, "after the listed strips");
    let lenient = parse(&bodies.with_nulls, "with its explicit nulls");
    assert_eq!(typed, lenient, "{ctx}: an explicit null must read as an unset member");
    typed
}

/// What our client returned.
enum Outcome {
    Success {
        status: u16,
        headers: Headers,
        /// The model as JSON; `None` for operations without a response body.
        model: Option<Value>,
        /// Typed response-header accessors of the operation: (header name, value read).
        typed_headers: Vec<(&'static str, Option<String>)>,
    },
    Failure(azure_core::Error),
}

/// The recorded `repeatability-request-id`, unless sanitized: sent as ours so the wire values
/// can be compared exactly.
fn recorded_request_id(entry: &Entry) -> Option<String> {
    entry.request_header("repeatability-request-id").filter(|v| !is_sanitized(v)).map(str::to_owned)
}

/// The recorded `repeatability-first-sent`, unless sanitized.
fn recorded_first_sent(entry: &Entry, ctx: &str) -> Option<time::OffsetDateTime> {
    entry.request_header("repeatability-first-sent").filter(|v| !is_sanitized(v)).map(|v| {
        rfc1123::parse(v)
            .unwrap_or_else(|e| panic!("{ctx}: recorded Repeatability-First-Sent: {e}"))
    })
}

#[cfg(feature = "chat")]
fn chat_client(uri: &str, api_version: String) -> azure_communication::chat::ChatClient {
    let options = azure_communication::chat::ChatClientOptions {
        client_options: support::wire::no_retries(),
        api_version,
    };
    azure_communication::chat::ChatClient::new(uri, support::wire::user_token(), Some(options))
        .expect("the chat client builds")
}

#[cfg(feature = "chat")]
async fn drive_create_chat_thread(
    uri: &str,
    api_version: String,
    entry: &Entry,
    bodies: &RequestBodies,
    ctx: &str,
) -> Outcome {
    use azure_communication::chat::{CreateChatThreadHeaders as _, CreateChatThreadOptions};
    let request: azure_communication::chat::CreateChatThreadRequest = typed_request(bodies, ctx);
    let options = CreateChatThreadOptions {
        repeatability_request_id: recorded_request_id(entry),
        ..Default::default()
    };
    match chat_client(uri, api_version).create_chat_thread(&request, Some(options)).await {
        Ok(response) => {
            let status = u16::from(response.status());
            let headers = response.headers().clone();
            let location = response.location().unwrap_or_else(|e| panic!("{ctx}: Location: {e}"));
            let model = response.into_model().unwrap_or_else(|e| {
                panic!(
                    "{ctx}: the recorded response does not parse into CreateChatThreadResult: {e}"
                )
            });
            Outcome::Success {
                status,
                headers,
                model: Some(serde_json::to_value(model).expect("the model serializes")),
                typed_headers: vec![("location", location)],
            }
        }
        Err(e) => Outcome::Failure(e),
    }
}

#[cfg(feature = "chat")]
async fn drive_send_chat_read_receipt(
    uri: &str,
    api_version: String,
    chat_thread_id: &str,
    bodies: &RequestBodies,
    ctx: &str,
) -> Outcome {
    let request: azure_communication::chat::SendReadReceiptRequest = typed_request(bodies, ctx);
    let result = chat_client(uri, api_version)
        .chat_thread_client(chat_thread_id)
        .send_chat_read_receipt(&request, None)
        .await;
    match result {
        Ok(response) => Outcome::Success {
            status: u16::from(response.status()),
            headers: response.headers().clone(),
            model: None,
            typed_headers: Vec::new(),
        },
        Err(e) => Outcome::Failure(e),
    }
}

#[cfg(feature = "rooms")]
async fn drive_create_room(
    uri: &str,
    api_version: String,
    entry: &Entry,
    bodies: &RequestBodies,
    ctx: &str,
) -> Outcome {
    use azure_communication::rooms::{CreateRoomOptions, RoomsClient, RoomsClientOptions};
    let request: azure_communication::rooms::CreateRoomRequest = typed_request(bodies, ctx);
    let client_options =
        RoomsClientOptions { client_options: support::wire::no_retries(), api_version };
    let client = RoomsClient::new(uri, support::wire::access_key(), Some(client_options))
        .expect("the rooms client builds");
    let options = CreateRoomOptions {
        repeatability_request_id: recorded_request_id(entry),
        repeatability_first_sent: recorded_first_sent(entry, ctx),
        ..Default::default()
    };
    match client.create_room(&request, Some(options)).await {
        Ok(response) => {
            use azure_communication::rooms::CreateRoomHeaders as _;
            let status = u16::from(response.status());
            let headers = response.headers().clone();
            let repeatability = response
                .repeatability_result()
                .unwrap_or_else(|e| panic!("{ctx}: Repeatability-Result: {e}"))
                .map(|r| r.to_string());
            let model = response.into_model().unwrap_or_else(|e| {
                panic!("{ctx}: the recorded response does not parse into RoomModel: {e}")
            });
            Outcome::Success {
                status,
                headers,
                model: Some(serde_json::to_value(model).expect("the model serializes")),
                typed_headers: vec![("repeatability-result", repeatability)],
            }
        }
        Err(e) => Outcome::Failure(e),
    }
}

/// No recording of the corpus has a create-call request (see the table); kept so that one added
/// later is replayed rather than rejected.
#[cfg(feature = "callautomation")]
async fn drive_create_call(
    uri: &str,
    api_version: String,
    entry: &Entry,
    bodies: &RequestBodies,
    ctx: &str,
) -> Outcome {
    use azure_communication::callautomation::{
        CallAutomationClient, CallAutomationClientOptions, CreateCallOptions,
    };
    let request: azure_communication::callautomation::CreateCallRequest =
        typed_request(bodies, ctx);
    let client_options =
        CallAutomationClientOptions { client_options: support::wire::no_retries(), api_version };
    let client = CallAutomationClient::new(uri, support::wire::access_key(), Some(client_options))
        .expect("the call automation client builds");
    let options = CreateCallOptions {
        repeatability_request_id: recorded_request_id(entry),
        repeatability_first_sent: recorded_first_sent(entry, ctx),
        ..Default::default()
    };
    match client.create_call(&request, Some(options)).await {
        Ok(response) => {
            let status = u16::from(response.status());
            let headers = response.headers().clone();
            let model = response.into_model().unwrap_or_else(|e| {
                panic!("{ctx}: the recorded response does not parse into CallConnectionProperties: {e}")
            });
            Outcome::Success {
                status,
                headers,
                model: Some(serde_json::to_value(model).expect("the model serializes")),
                typed_headers: Vec::new(),
            }
        }
        Err(e) => Outcome::Failure(e),
    }
}

/// Recorded response headers that are not served: framing (hyper writes its own), the date
/// (hyper writes its own; some recordings sanitized it) and the content type (set with the body).
const NOT_SERVED: &[&str] =
    &["content-length", "transfer-encoding", "connection", "date", "content-type"];

/// The recorded response: status, headers (Location, Repeatability-Result, x-ms-error-code,
/// ...) and body.
fn recorded_response(entry: &Entry) -> ResponseTemplate {
    let mut template = ResponseTemplate::new(entry.status);
    for (name, value) in &entry.response_headers {
        if !NOT_SERVED.contains(&name.to_ascii_lowercase().as_str()) {
            template = template.insert_header(name.as_str(), value.as_str());
        }
    }
    let content_type = entry.response_header("content-type");
    match &entry.response_body {
        Body::Empty => match content_type {
            Some(content_type) => template.insert_header("content-type", content_type),
            None => template,
        },
        Body::Json(json) => template.set_body_raw(
            serde_json::to_vec(json).expect("JSON serializes"),
            content_type.unwrap_or("application/json"),
        ),
        Body::Text(text) => {
            template.set_body_raw(text.as_bytes().to_vec(), content_type.unwrap_or("text/plain"))
        }
    }
}

/// How an operation authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthScheme {
    Bearer,
    Hmac,
}

fn auth_scheme(kind: OpKind) -> AuthScheme {
    match kind {
        OpKind::CreateChatThread | OpKind::SendChatReadReceipt => AuthScheme::Bearer,
        OpKind::CreateRoom | OpKind::CreateCall => AuthScheme::Hmac,
    }
}

/// Our request against the recorded one.
fn check_request(
    ctx: &str,
    entry: &Entry,
    kind: OpKind,
    request: &wiremock::Request,
    expected_body: Option<&Value>,
    stripped: bool,
) {
    assert_eq!(request.method.as_str(), entry.method, "{ctx}: method");
    assert_eq!(request.url.path(), entry.path, "{ctx}: path (percent-encoded, as on the wire)");
    assert_eq!(request.url.query(), entry.query.as_deref(), "{ctx}: query");
    let ours = |name: &str| {
        request.headers.get(name).map(|v| {
            v.to_str().unwrap_or_else(|_| panic!("{ctx}: our {name} header is not visible ASCII"))
        })
    };

    // Our authentication scheme, whatever the recording kept of the recorded SDK's.
    let scheme = auth_scheme(kind);
    match scheme {
        AuthScheme::Bearer => assert_eq!(
            ours("authorization"),
            Some(support::wire::USER_TOKEN_HEADER),
            "{ctx}: bearer authorization"
        ),
        AuthScheme::Hmac => {
            let date = ours("x-ms-date").unwrap_or_else(|| panic!("{ctx}: no x-ms-date"));
            rfc1123::parse(date).unwrap_or_else(|e| panic!("{ctx}: x-ms-date: {e}"));
            assert!(ours("x-ms-content-sha256").is_some(), "{ctx}: no x-ms-content-sha256");
            if let Err(why) = support::wire::verify_hmac(request, support::wire::ACCESS_KEY) {
                panic!(
                    "{ctx}: the HMAC signature does not verify ({why}): sent {:?}",
                    ours("authorization")
                );
            }
        }
    }

    // Every recorded request header is compared, or skipped for the reason given here.
    for (name, recorded) in &entry.request_headers {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "accept" | "content-type" => {
                assert_eq!(ours(&lower), Some(recorded.as_str()), "{ctx}: header {name}")
            }
            // Checked above: recordings keep only a placeholder ("Sanitized", or for .NET chat
            // a fake JWT without the "Bearer " prefix), never the real credential.
            "authorization" => {}
            // Per-call values; their presence and the signature over them are checked above.
            "x-ms-date" | "x-ms-content-sha256" => {
                assert_eq!(scheme, AuthScheme::Hmac, "{ctx}: the recording signs with HMAC")
            }
            "repeatability-request-id" => {
                let sent = ours(&lower).unwrap_or_else(|| panic!("{ctx}: we send no {name}"));
                if is_sanitized(recorded) {
                    uuid::Uuid::parse_str(sent).unwrap_or_else(|e| {
                        panic!("{ctx}: our {name} {sent:?} is not a UUID: {e}")
                    });
                } else {
                    assert_eq!(
                        sent, recorded,
                        "{ctx}: header {name} (the recorded value was passed in)"
                    );
                }
            }
            "repeatability-first-sent" => {
                let sent = ours(&lower).unwrap_or_else(|| panic!("{ctx}: we send no {name}"));
                if is_sanitized(recorded) {
                    rfc1123::parse(sent).unwrap_or_else(|e| panic!("{ctx}: our {name}: {e}"));
                } else {
                    assert_eq!(
                        sent, recorded,
                        "{ctx}: header {name} (the recorded value was passed in)"
                    );
                }
            }
            "x-ms-client-request-id" => {
                assert!(ours(&lower).is_some(), "{ctx}: we send no {name}")
            }
            // When the recorded SDK wrote compact JSON (its Content-Length is that of the recorded
            // body written compactly) and nothing was stripped, ours must be as long; otherwise
            // (Python Rooms writes `", "`/`": "` separators) the body is compared as JSON below.
            "content-length" => {
                let compact = |body: Option<&Value>| {
                    body.map_or(0, |b| serde_json::to_vec(b).expect("JSON serializes").len())
                };
                if !stripped && recorded.parse::<usize>().ok() == Some(compact(expected_body)) {
                    assert_eq!(ours(&lower), Some(recorded.as_str()), "{ctx}: header {name}");
                }
            }
            // Identify the recorded SDK or its transport, not the operation.
            "user-agent" | "accept-encoding" | "connection" | "traceparent" => {}
            // .NET/Python ask the service to echo x-ms-client-request-id; we do not need it.
            "x-ms-return-client-request-id" => {}
            _ => panic!("{ctx}: recorded request header {name} is neither compared nor skipped"),
        }
    }
    // Repeatability headers are sent exactly where the recorded SDK sent them.
    for name in ["repeatability-request-id", "repeatability-first-sent"] {
        assert_eq!(
            ours(name).is_some(),
            entry.request_header(name).is_some(),
            "{ctx}: header {name}: sent by us vs. by the recorded SDK"
        );
    }

    let sent: Option<Value> = (!request.body.is_empty()).then(|| {
        serde_json::from_slice(&request.body)
            .unwrap_or_else(|e| panic!("{ctx}: our request body is not JSON: {e}"))
    });
    match (expected_body, &sent) {
        (Some(expected), Some(sent)) => {
            if let Some(difference) = support::first_difference(expected, sent, "$") {
                panic!("{ctx}: request body: {difference}\nrecorded: {expected}\nours:     {sent}");
            }
            // Stricter than the comparison above: timestamps written exactly as recorded, not
            // just the same instant.
            assert_eq!(sent, expected, "{ctx}: request body, timestamps compared as text");
        }
        (None, None) => {}
        (expected, sent) => panic!("{ctx}: request body: recorded {expected:?}, ours {sent:?}"),
    }
}

/// Recorded response headers whose value our response must expose unchanged.
const CHECKED_RESPONSE_HEADERS: &[&str] =
    &["location", "repeatability-result", "content-type", "x-ms-error-code"];

/// What our client made of the recorded response.
fn check_outcome(ctx: &str, entry: &Entry, outcome: Outcome) {
    let recorded_success = (200..300).contains(&entry.status);
    match outcome {
        Outcome::Success { status, headers, model, typed_headers } => {
            assert!(
                recorded_success,
                "{ctx}: recorded status {} but our client returned Ok",
                entry.status
            );
            assert_eq!(status, entry.status, "{ctx}: status");
            for &name in CHECKED_RESPONSE_HEADERS {
                if let Some(recorded) = entry.response_header(name) {
                    assert_eq!(
                        headers.get_optional_str(&HeaderName::from(name)),
                        Some(recorded),
                        "{ctx}: response header {name}"
                    );
                }
            }
            for (name, typed) in typed_headers {
                assert_eq!(
                    typed.as_deref(),
                    entry.response_header(name),
                    "{ctx}: typed response header {name}"
                );
            }
            match (model, entry.response_body.json(ctx)) {
                (Some(model), Some(recorded)) => {
                    if let Some(difference) = support::first_difference(recorded, &model, "$") {
                        panic!("{ctx}: response model: {difference}\nrecorded: {recorded}\nmodel:    {model}");
                    }
                }
                (None, None) => {}
                (model, recorded) => {
                    panic!("{ctx}: response body: recorded {recorded:?}, model {model:?}")
                }
            }
        }
        Outcome::Failure(error) => {
            assert!(
                !recorded_success,
                "{ctx}: recorded status {} but our client failed: {error:?}",
                entry.status
            );
            let service = ServiceError::from_error(&error)
                .unwrap_or_else(|| panic!("{ctx}: the error carries no ServiceError: {error:?}"));
            assert_eq!(u16::from(service.status()), entry.status, "{ctx}: error status");
            let body = entry.response_body.json(ctx);
            let body_text =
                |pointer: &str| body.and_then(|b| b.pointer(pointer)).and_then(Value::as_str);
            let expected_code =
                entry.response_header("x-ms-error-code").or(body_text("/error/code"));
            assert!(expected_code.is_some(), "{ctx}: the recording has no error code to compare");
            assert_eq!(service.code(), expected_code, "{ctx}: error code");
            assert_eq!(service.message(), body_text("/error/message"), "{ctx}: error message");
            if let Some(body) = body {
                let parsed = service
                    .body::<azure_communication::common::CommunicationErrorResponse>()
                    .unwrap_or_else(|| panic!("{ctx}: the recorded error body did not parse"));
                let parsed = serde_json::to_value(parsed).expect("the error serializes");
                if let Some(difference) = support::first_difference(body, &parsed, "$") {
                    panic!("{ctx}: error body: {difference}\nrecorded: {body}\nparsed:   {parsed}");
                }
            }
        }
    }
}

/// Replays one entry of ours on its own loopback server.
async fn replay_entry(file: &str, entry: &Entry, op: &Classified, strips: &[Strip]) {
    let ctx = entry.label(file);
    let recorded_body = entry.request_body.json(&ctx);
    let bodies = RequestBodies {
        comparable: recorded_body.map(|b| strip(b, strips, None, &ctx)),
        with_nulls: recorded_body.map(|b| strip(b, strips, Some(Why::Sanitized), &ctx)),
    };
    let api_versions = entry.query_values("api-version");
    let [api_version] = api_versions.as_slice() else {
        panic!("{ctx}: expected one api-version in the recorded query, found {api_versions:?}")
    };
    let api_version = api_version.clone();

    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(recorded_response(entry))
        .mount(&server)
        .await;
    let uri = server.uri();
    let outcome = match op.kind {
        #[cfg(feature = "chat")]
        OpKind::CreateChatThread => {
            drive_create_chat_thread(&uri, api_version, entry, &bodies, &ctx).await
        }
        #[cfg(feature = "chat")]
        OpKind::SendChatReadReceipt => {
            let [thread_id] = op.path_params.as_slice() else {
                panic!("{ctx}: one path parameter")
            };
            drive_send_chat_read_receipt(&uri, api_version, thread_id, &bodies, &ctx).await
        }
        #[cfg(feature = "rooms")]
        OpKind::CreateRoom => drive_create_room(&uri, api_version, entry, &bodies, &ctx).await,
        #[cfg(feature = "callautomation")]
        OpKind::CreateCall => drive_create_call(&uri, api_version, entry, &bodies, &ctx).await,
        #[allow(unreachable_patterns)]
        other => panic!("{ctx}: {other:?} needs a feature that is disabled"),
    };

    let requests = server.received_requests().await.expect("request recording is on");
    let [request] = requests.as_slice() else {
        panic!(
            "{ctx}: expected exactly one request (no retries), the server got {}",
            requests.len()
        )
    };
    let stripped = !strips.is_empty();
    check_request(&ctx, entry, op.kind, request, bodies.comparable.as_ref(), stripped);
    check_outcome(&ctx, entry, outcome);
}

/// Replays every entry of `recording` that is one of our operations, after checking that these
/// are exactly `expected` (entry index, operation); returns how many were replayed.
async fn replay_recording(
    recording: &Recording,
    expected: &[(usize, OpKind)],
    strips: &[Strip],
) -> usize {
    let file = &recording.file;
    let ours: Vec<(&Entry, Classified)> = recording
        .entries
        .iter()
        .filter_map(|entry| classify(&entry.method, &entry.path).map(|op| (entry, op)))
        .collect();
    let found: Vec<(usize, OpKind)> =
        ours.iter().map(|(entry, op)| (entry.index, op.kind)).collect();
    assert_eq!(found, expected, "{file}: the entries that are one of our operations");
    for s in strips {
        assert!(
            expected.iter().any(|(index, _)| *index == s.entry),
            "{file}: a strip names entry #{}, which is not one of ours",
            s.entry
        );
    }
    let mut replayed = 0;
    for (entry, op) in &ours {
        let entry_strips: Vec<Strip> =
            strips.iter().filter(|s| s.entry == entry.index).copied().collect();
        replay_entry(file, entry, op, &entry_strips).await;
        replayed += 1;
    }
    replayed
}

/// Loads a recording file and replays it (see [`replay_recording`]).
async fn replay_file(file: &str, expected: &[(usize, OpKind)], strips: &[Strip]) {
    let recording = replay_support::load(file);
    let replayed = replay_recording(&recording, expected, strips).await;
    if !expected.is_empty() {
        assert!(replayed > 0, "{file}: contains our operations but none was replayed");
    }
    assert_eq!(replayed, expected.len(), "{file}: replayed entries");
}

/// One test per recording file: `name: "path under recordings/" => ours [entry: operation, ...],
/// strip [(entry, "/json/pointer", Why), ...];`. Also lists every file in [`LISTED`].
macro_rules! recordings {
    ($(
        $(#[doc = $doc:literal])*
        $(#[cfg($cfg:meta)])?
        $name:ident: $file:literal
            => ours [$($index:literal: $kind:ident),* $(,)?],
            strip [$(($s_index:literal, $pointer:literal, $why:ident)),* $(,)?];
    )*) => {
        /// Every recording file that has a test below.
        const LISTED: &[&str] = &[$($file),*];
        $(
            $(#[doc = $doc])*
            $(#[cfg($cfg)])?
            #[tokio::test]
            async fn $name() {
                replay_file(
                    $file,
                    &[$(($index, OpKind::$kind)),*],
                    &[$(Strip { entry: $s_index, pointer: $pointer, why: Why::$why }),*],
                )
                .await;
            }
        )*
    };
}

recordings! {
    /// Two identity calls (not ours), then createChatThread with a repeatability-request-id.
    #[cfg(feature = "chat")]
    js_chat_creates_a_thread: "azure-sdk-for-js/chat/recording_successfully_creates_a_thread.json"
        => ours [2: CreateChatThread], strip [];
    /// sendChatReadReceipt to a real `19:…@thread.v2` thread, empty 200 response.
    #[cfg(feature = "chat")]
    js_chat_sends_read_receipt: "azure-sdk-for-js/chat/recording_successfully_sends_read_receipt.json"
        => ours [0: SendChatReadReceipt], strip [];
    /// Identity calls, createChatThread, two messages (not ours), two read receipts, then
    /// list/delete calls (not ours).
    #[cfg(feature = "chat")]
    net_chat_read_receipt_gs: "azure-sdk-for-net/chat/ReadReceipt_GS.json"
        => ours [4: CreateChatThread, 7: SendChatReadReceipt, 8: SendChatReadReceipt], strip [];
    /// An identity call, then createRoom with both repeatability headers recorded unsanitized.
    #[cfg(feature = "rooms")]
    net_rooms_create_with_all_optional_parameters:
        "azure-sdk-for-net/rooms/CreateRoom_WithAllOptionalParameters_Succeed.json"
        => ours [1: CreateRoom],
        strip [(1, "/validFrom", Sanitized), (1, "/validUntil", Sanitized)];
    /// None of ours: a single DELETE /rooms/{roomId} (404).
    net_rooms_delete_room_does_not_exist: "azure-sdk-for-net/rooms/DeleteRoomDoesNotExist_Fail.json"
        => ours [], strip [];
    /// None of ours: a single GET /rooms/{roomId} (400).
    net_rooms_get_room_with_invalid_id: "azure-sdk-for-net/rooms/GetRoom_WithInvalidFormatRoomId_Fail.json"
        => ours [], strip [];
    /// createChatThread with displayName and shareHistoryTime; ids sanitized to "sanitized"
    /// (still valid strings, so compared as recorded).
    #[cfg(feature = "chat")]
    python_chat_create_chat_thread:
        "azure-sdk-for-python/chat/test_chat_client_e2e.pyTestChatClienttest_create_chat_thread.json"
        => ours [0: CreateChatThread], strip [];
    /// createChatThread, a message (not ours), then sendChatReadReceipt.
    #[cfg(feature = "chat")]
    python_chat_send_read_receipt:
        "azure-sdk-for-python/chat/test_chat_thread_client_e2e.pyTestChatThreadClienttest_send_read_receipt.json"
        => ours [0: CreateChatThread, 2: SendChatReadReceipt], strip [];
    /// None of ours: the identity service's teamsUser/:exchangeAccessToken (401).
    python_identity_teams_user_invalid_token:
        "azure-sdk-for-python/identity/test_communication_identity_client.pyTestClienttest_get_token_for_teams_user_with_invalid_token[invalid_token-invalid].json"
        => ours [], strip [];
    /// createRoom with validFrom/validUntil and a Presenter, then a DELETE (not ours).
    #[cfg(feature = "rooms")]
    python_rooms_create_room_all_attributes:
        "azure-sdk-for-python/rooms/test_rooms_client.pyTestRoomsClienttest_create_room_all_attributes.json"
        => ours [0: CreateRoom], strip [];
    /// createRoom with an invalid participant MRI: 400 BadRequest (x-ms-error-code and body).
    #[cfg(feature = "rooms")]
    python_rooms_create_room_incorrect_mri:
        "azure-sdk-for-python/rooms/test_rooms_client.pyTestRoomsClienttest_create_room_incorrectMri.json"
        => ours [0: CreateRoom],
        strip [(0, "/validFrom", ExplicitNull), (0, "/validUntil", ExplicitNull)];
    /// createRoom with no attributes, then DELETE/GET/DELETE (not ours).
    #[cfg(feature = "rooms")]
    python_rooms_get_invalid_room:
        "azure-sdk-for-python/rooms/test_rooms_client.pyTestRoomsClienttest_get_invalid_room.json"
        => ours [0: CreateRoom],
        strip [(0, "/validFrom", ExplicitNull), (0, "/validUntil", ExplicitNull)];
    /// createRoom with no attributes, then PATCH (400) and DELETE (not ours).
    #[cfg(feature = "rooms")]
    python_rooms_update_room_exceed_max_timerange:
        "azure-sdk-for-python/rooms/test_rooms_client.pyTestRoomsClienttest_update_room_exceed_max_timerange.json"
        => ours [0: CreateRoom],
        strip [(0, "/validFrom", ExplicitNull), (0, "/validUntil", ExplicitNull)];
}

/// No recording may sit in the corpus without a test that says what it contains.
#[test]
fn every_recording_file_is_listed() {
    let on_disk = replay_support::all_recording_files();
    assert!(!on_disk.is_empty(), "no recordings under {}", replay_support::RECORDINGS_DIR);
    let mut listed: Vec<String> = LISTED.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "recordings on disk vs. recordings with a test");
}

/// Every file loads in a known format, and all of them together exercise each operation that
/// has recordings (Call Automation has none: no SDK recording of createCall is in the corpus).
#[test]
fn the_corpus_covers_chat_and_rooms() {
    let mut kinds = Vec::new();
    for file in LISTED {
        let recording = replay_support::load(file);
        assert!(!recording.entries.is_empty(), "{file}: no entries");
        for entry in &recording.entries {
            if let Some(op) = classify(&entry.method, &entry.path) {
                kinds.push(op.kind);
            }
        }
    }
    for kind in [OpKind::CreateChatThread, OpKind::SendChatReadReceipt, OpKind::CreateRoom] {
        assert!(kinds.contains(&kind), "no recording exercises {kind:?}");
    }
    assert!(
        !kinds.contains(&OpKind::CreateCall),
        "a createCall recording appeared: replay it and drop this assertion"
    );
}

/// The JS recorder v1 format (`recordings`, separate `query` object, bodies as JSON text) is
/// normalized like the test-proxy one. No file of the corpus uses it, so a synthetic document
/// in that shape is replayed end to end.
#[cfg(feature = "chat")]
#[tokio::test]
async fn js_recorder_v1_format_replays() {
    let document = serde_json::json!({
        "recordings": [
            {
                "method": "POST",
                "url": "https://endpoint/identities",
                "query": {"api-version": "2021-03-07"},
                "requestBody": "{}",
                "status": 201,
                "response": "{\"id\":\"8:acs:x\"}",
                "responseHeaders": {"content-type": "application/json"}
            },
            {
                "method": "POST",
                "url": "https://endpoint/chat/threads/19%3Aabc-_.~test%40thread.v2/readReceipts",
                "query": {"api-version": "2021-09-07"},
                "requestBody": "{\"chatMessageId\":\"1648676192118\"}",
                "status": 200,
                "response": "",
                "responseHeaders": {"content-length": "0"},
                "requestHeaders": {"content-type": "application/json", "accept": "application/json"}
            }
        ],
        "uniqueTestInfo": {"uniqueName": {}, "newDate": {}}
    });
    let recording = replay_support::parse("synthetic-js-v1.json", &document);
    assert_eq!(recording.format, replay_support::Format::JsRecorderV1);
    let entry = &recording.entries[1];
    assert_eq!(entry.path, "/chat/threads/19%3Aabc-_.~test%40thread.v2/readReceipts");
    assert_eq!(entry.query.as_deref(), Some("api-version=2021-09-07"));
    assert_eq!(
        entry.request_body,
        Body::Json(serde_json::json!({"chatMessageId": "1648676192118"}))
    );
    assert_eq!(entry.response_body, Body::Empty);
    let op = classify(&entry.method, &entry.path).expect("a read receipt");
    assert_eq!(op.path_params, ["19:abc-_.~test@thread.v2"]);
    let replayed = replay_recording(&recording, &[(1, OpKind::SendChatReadReceipt)], &[]).await;
    assert_eq!(replayed, 1);
}
