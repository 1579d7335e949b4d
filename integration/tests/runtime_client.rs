//! `ClientCore` against real HTTP servers on loopback: HMAC signing checked by an independent
//! verifier, retries, repeatability, error decoding, plus connection strings, identifiers and
//! redaction of secrets.

use azure_communication_test_support as support;

use azure_communication::common::{
    CommunicationCloudEnvironmentModel as Cloud, CommunicationIdentifierModel,
    CommunicationIdentifierModelKind as Kind,
};
use azure_communication::{CommunicationCloud, CommunicationIdentifier as _};
use azure_communication_runtime::{
    client::{plain_http_for_tests, Auth, ClientCore, Package, PathPart},
    connection_string::ConnectionString,
    credential::{AccessKeyCredential, CommunicationCredential, UserTokenCredential},
    error::ServiceError,
    repeatability::{self, RepeatabilityStyle},
};
use azure_core::{
    credentials::TokenCredential,
    error::ErrorKind,
    http::{
        headers::HeaderName, request::options::ClientRequestId, ClientOptions, Context,
        FixedRetryOptions, Method, NoFormat, Request, Response, RetryOptions, StatusCode,
    },
    time::Duration,
};
use base64::{engine::general_purpose::STANDARD as B64, Engine as _};
use serde_json::{json, Value};
use std::{
    io::{Read as _, Write as _},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
};
use wiremock::{matchers, Mock, MockServer, Respond, ResponseTemplate};

/// The package these tests speak for in the user agent.
const PACKAGE: Package = Package { name: "azure-communication", version: "0.1.0" };

/// base64("secret-key-for-tests-only-123456")
const KEY_B64: &str = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY=";
const API_VERSION: &str = "2023-06-14";

fn key_bytes() -> Vec<u8> {
    B64.decode(KEY_B64).unwrap()
}

fn no_retry() -> ClientOptions {
    ClientOptions { retry: RetryOptions::none(), ..Default::default() }
}

fn access_key_core(endpoint: &str, options: ClientOptions) -> ClientCore {
    let key = AccessKeyCredential::new(KEY_B64).unwrap();
    ClientCore::new(PACKAGE, endpoint, Auth::AccessKey(key), options, API_VERSION.to_owned())
        .unwrap()
}

/// Verifies every request's signature (401 when wrong) and then answers with `responses` in
/// turn (the last one repeats).
struct HmacService {
    responses: Vec<ResponseTemplate>,
    served: AtomicUsize,
}

impl HmacService {
    fn new(responses: Vec<ResponseTemplate>) -> Self {
        Self { responses, served: AtomicUsize::new(0) }
    }
}

impl Respond for HmacService {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        match support::wire::verify_hmac(request, KEY_B64) {
            Err(why) => ResponseTemplate::new(401)
                .insert_header("x-ms-error-code", "Denied")
                .set_body_json(json!({"error": {"code": "Denied", "message": why}})),
            Ok(()) => {
                let n = self.served.fetch_add(1, Ordering::SeqCst);
                self.responses[n.min(self.responses.len() - 1)].clone()
            }
        }
    }
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn signed_post_is_accepted_by_an_independent_verifier() {
    let server = MockServer::start().await;
    Mock::given(matchers::method("POST"))
        .and(matchers::path("/chat/threads/19%3Aa%40thread.v2/messages"))
        .respond_with(HmacService::new(vec![ResponseTemplate::new(201)
            .insert_header("x-ms-request-id", "req-1")
            .set_body_json(json!({"id": "1700000000000"}))]))
        .mount(&server)
        .await;

    let core = access_key_core(&format!("{}/", server.uri()), no_retry());
    let mut url = core
        .url(&[
            PathPart::Literal("/chat/threads/"),
            PathPart::Param("19:a@thread.v2"),
            PathPart::Literal("/messages"),
        ])
        .unwrap();
    url.query_pairs_mut().append_pair("maxPageSize", "5");
    assert_eq!(
        url.as_str(),
        format!(
            "{}/chat/threads/19%3Aa%40thread.v2/messages?api-version={API_VERSION}&maxPageSize=5",
            server.uri()
        )
    );
    let mut request = Request::new(url, Method::Post);
    request.insert_header("content-type", "application/json");
    request.set_json(&json!({"content": "héllo 😀", "type": "text"})).unwrap();
    repeatability::apply(&mut request, RepeatabilityStyle::RequestIdOnly, None, None);

    let raw = core.send(&Context::new(), &mut request).await.unwrap();
    assert_eq!(raw.status(), StatusCode::Created);
    let request_id = raw
        .headers()
        .get_optional_str(&HeaderName::from_static("x-ms-request-id"))
        .map(str::to_owned);
    assert_eq!(request_id.as_deref(), Some("req-1"));
    let response: Response<Value> = raw.into();
    assert_eq!(response.into_model().unwrap(), json!({"id": "1700000000000"}));

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(header(&received[0], "repeatability-request-id").is_some());
    assert!(header(&received[0], "repeatability-first-sent").is_none());
    assert!(header(&received[0], "user-agent")
        .unwrap()
        .starts_with("azsdk-rust-azure-communication/"));
}

#[tokio::test]
async fn signed_get_without_body_and_wrong_key_is_rejected() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(HmacService::new(vec![ResponseTemplate::new(204)]))
        .mount(&server)
        .await;

    // Right key, no body: 204 turned into a no-body response.
    let core = access_key_core(&server.uri(), no_retry());
    let mut request = Request::new(
        core.url(&[PathPart::Literal("/rooms/"), PathPart::Param("room 1")]).unwrap(),
        Method::Delete,
    );
    let raw = core.send(&Context::new(), &mut request).await.unwrap();
    let response: Response<(), NoFormat> = raw.into();
    assert_eq!(response.status(), StatusCode::NoContent);

    // Wrong key: the verifier answers 401, which becomes a ServiceError.
    let wrong = AccessKeyCredential::new("d3Jvbmcta2V5").unwrap();
    let core = ClientCore::new(
        PACKAGE,
        &server.uri(),
        Auth::AccessKey(wrong),
        no_retry(),
        API_VERSION.to_owned(),
    )
    .unwrap();
    let mut request = Request::new(core.url(&[PathPart::Literal("/rooms")]).unwrap(), Method::Get);
    let err = core.send(&Context::new(), &mut request).await.unwrap_err();
    let service = ServiceError::from_error(&err).expect("service error");
    assert_eq!(service.status(), StatusCode::Unauthorized);
    assert_eq!(service.code(), Some("Denied"));
    assert_eq!(service.message(), Some("signature mismatch"));
    assert_eq!(err.http_status(), Some(StatusCode::Unauthorized));
}

#[tokio::test]
async fn retry_resends_same_repeatability_headers_with_a_fresh_signature() {
    let server = MockServer::start().await;
    Mock::given(matchers::method("POST"))
        .respond_with(HmacService::new(vec![
            ResponseTemplate::new(503).insert_header("Retry-After", "1"),
            ResponseTemplate::new(201).set_body_json(json!({"id": "room"})),
        ]))
        .mount(&server)
        .await;
    let core = access_key_core(&server.uri(), two_quick_retries());
    let mut request = Request::new(core.url(&[PathPart::Literal("/rooms")]).unwrap(), Method::Post);
    request.set_json(&json!({"participants": {}})).unwrap();
    repeatability::apply(&mut request, RepeatabilityStyle::Standard, None, None);

    let raw = core.send(&Context::new(), &mut request).await.unwrap();
    assert_eq!(raw.status(), StatusCode::Created);

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2, "one 503, then one retry");
    for name in ["repeatability-request-id", "repeatability-first-sent"] {
        let first = header(&received[0], name).expect(name);
        assert_eq!(Some(first), header(&received[1], name), "{name}");
    }
    assert_ne!(
        header(&received[0], "x-ms-date"),
        header(&received[1], "x-ms-date"),
        "each try is signed anew"
    );
    assert_ne!(header(&received[0], "authorization"), header(&received[1], "authorization"));
    assert_eq!(
        header(&received[0], "x-ms-client-request-id"),
        header(&received[1], "x-ms-client-request-id")
    );
}

/// Options that retry twice after 10 ms.
fn two_quick_retries() -> ClientOptions {
    ClientOptions {
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: Duration::milliseconds(10),
            max_retries: 2,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Fails every first try (`503`), answers every retry (`200`).
struct FirstTryFails(AtomicUsize);

impl Respond for FirstTryFails {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        if self.0.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
            ResponseTemplate::new(503)
        } else {
            ResponseTemplate::new(200).set_body_json(json!({"id": "room"}))
        }
    }
}

#[tokio::test]
async fn client_request_id_is_on_every_try_the_same_per_call_and_the_callers_wins() {
    let server = MockServer::start().await;
    Mock::given(matchers::method("GET"))
        .respond_with(FirstTryFails(AtomicUsize::new(0)))
        .mount(&server)
        .await;
    let core = access_key_core(&server.uri(), two_quick_retries());
    let url = core.url(&[PathPart::Literal("/rooms/1")]).unwrap();
    let mut from_context = Context::new();
    from_context.insert(ClientRequestId::new("id-from-the-context"));
    // Two calls with generated ids, one with the id from the context, one where the caller set
    // the header itself (which also beats the context).
    for (ctx, preset) in [
        (Context::new(), None),
        (Context::new(), None),
        (from_context.clone(), None),
        (from_context, Some("id-on-the-request")),
    ] {
        let mut request = Request::new(url.clone(), Method::Get);
        if let Some(preset) = preset {
            request.insert_header("x-ms-client-request-id", preset);
        }
        let raw = core.send(&ctx, &mut request).await.unwrap();
        assert_eq!(raw.status(), StatusCode::Ok);
    }

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 8, "each call: one 503, then one retry");
    let ids: Vec<&str> = received
        .iter()
        .map(|request| {
            let values = request.headers.get_all("x-ms-client-request-id");
            assert_eq!(values.iter().count(), 1, "exactly one x-ms-client-request-id");
            header(request, "x-ms-client-request-id").expect("x-ms-client-request-id")
        })
        .collect();
    for call in ids.chunks(2) {
        assert_eq!(call[0], call[1], "the retry resends the id of its call");
    }
    for generated in [ids[0], ids[2]] {
        let uuid = uuid::Uuid::parse_str(generated).expect("a UUID");
        assert_eq!(uuid.get_version_num(), 4, "{generated}");
        assert_eq!(generated, uuid.hyphenated().to_string(), "lowercase, hyphenated");
    }
    assert_ne!(ids[0], ids[2], "a new id per call");
    assert_eq!(ids[4], "id-from-the-context");
    assert_eq!(ids[6], "id-on-the-request");
}

/// Replays the first error entry of a recorded session.
fn recorded_error(relative: &str) -> (u16, Option<String>, Value) {
    let path =
        format!("{}/../../shared/conformance/recordings/{relative}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).unwrap();
    let entry = doc["Entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["StatusCode"].as_u64().is_some_and(|s| s >= 400))
        .expect("an error entry");
    let code = entry["ResponseHeaders"]
        .as_object()
        .and_then(|h| h.iter().find(|(k, _)| k.eq_ignore_ascii_case("x-ms-error-code")))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned);
    let body = match &entry["ResponseBody"] {
        Value::String(text) => serde_json::from_str(text).unwrap(),
        other => other.clone(),
    };
    (entry["StatusCode"].as_u64().unwrap() as u16, code, body)
}

#[tokio::test]
async fn recorded_error_bodies_become_service_errors() {
    let recordings = [
        "azure-sdk-for-net/rooms/DeleteRoomDoesNotExist_Fail.json",
        "azure-sdk-for-net/rooms/GetRoom_WithInvalidFormatRoomId_Fail.json",
        "azure-sdk-for-python/rooms/test_rooms_client.pyTestRoomsClienttest_update_room_exceed_max_timerange.json",
        "azure-sdk-for-python/rooms/test_rooms_client.pyTestRoomsClienttest_create_room_incorrectMri.json",
        "azure-sdk-for-python/identity/test_communication_identity_client.pyTestClienttest_get_token_for_teams_user_with_invalid_token[invalid_token-invalid].json",
    ];
    for recording in recordings {
        let (status, header_code, body) = recorded_error(recording);
        let server = MockServer::start().await;
        let mut template = ResponseTemplate::new(status).set_body_json(body.clone());
        if let Some(code) = &header_code {
            template = template.insert_header("x-ms-error-code", code.as_str());
        }
        Mock::given(matchers::any())
            .respond_with(HmacService::new(vec![template]))
            .mount(&server)
            .await;
        let core = access_key_core(&server.uri(), no_retry());
        let mut request =
            Request::new(core.url(&[PathPart::Literal("/rooms/x")]).unwrap(), Method::Get);
        let err = core.send(&Context::new(), &mut request).await.unwrap_err();

        let expected_code =
            header_code.clone().or_else(|| body["error"]["code"].as_str().map(str::to_owned));
        let expected_message = body["error"]["message"].as_str().unwrap();
        match err.kind() {
            ErrorKind::HttpResponse { status: s, error_code, raw_response } => {
                assert_eq!(u16::from(*s), status, "{recording}");
                assert_eq!(error_code, &expected_code, "{recording}");
                assert!(raw_response.is_some());
            }
            other => panic!("{recording}: unexpected kind {other:?}"),
        }
        let service = ServiceError::from_error(&err).expect(recording);
        assert_eq!(u16::from(service.status()), status);
        assert_eq!(service.code(), expected_code.as_deref());
        assert_eq!(service.message(), Some(expected_message));
        let parsed: azure_communication::common::CommunicationErrorResponse =
            service.body().expect("typed error body");
        assert_eq!(
            parsed.error.details.as_ref().map(Vec::len),
            body["error"]["details"].as_array().map(Vec::len)
        );
        let text = err.to_string();
        assert!(text.contains(&status.to_string()), "{text}");
        assert!(text.contains(expected_message), "{text}");
        assert!(text.contains(expected_code.as_deref().unwrap()), "{text}");
    }
}

#[tokio::test]
async fn empty_non_json_and_huge_error_bodies_keep_the_status() {
    let huge =
        format!("{{\"error\":{{\"code\":\"Big\",\"message\":\"{}\"}}}}", "x".repeat(3 << 20));
    let cases: Vec<(u16, ResponseTemplate)> = vec![
        (400, ResponseTemplate::new(400)),
        (404, ResponseTemplate::new(404).set_body_string("   ")),
        (502, ResponseTemplate::new(502).set_body_string("<html><body>Bad gateway</body></html>")),
        (
            409,
            ResponseTemplate::new(409)
                .set_body_raw(r#"{"error":{"code":"Conf"#, "application/json"),
        ),
        (
            400,
            ResponseTemplate::new(400)
                .set_body_raw(vec![0xff, 0xfe, 0x00, 0x7b], "application/json"),
        ),
        (413, ResponseTemplate::new(413).set_body_raw(huge, "application/json")),
        (500, ResponseTemplate::new(500).set_body_json(json!(["not", "an", "object"]))),
    ];
    for (status, template) in cases {
        let server = MockServer::start().await;
        Mock::given(matchers::any()).respond_with(template).mount(&server).await;
        let core = access_key_core(&server.uri(), no_retry());
        let mut request = Request::new(core.url(&[PathPart::Literal("/x")]).unwrap(), Method::Get);
        let err = core.send(&Context::new(), &mut request).await.unwrap_err();
        assert_eq!(err.http_status().map(u16::from), Some(status));
        let service = ServiceError::from_error(&err).expect("service error");
        assert_eq!(u16::from(service.status()), status);
        assert!(service.raw_body().is_none());
        assert!(err.to_string().starts_with(&format!("HTTP {status} ")), "{err}");
        if let ErrorKind::HttpResponse { raw_response: Some(raw), .. } = err.kind() {
            assert!(raw.body().len() <= 1024 * 1024);
        }
    }
}

/// A server that promises more body than it sends, then hangs up.
#[tokio::test]
async fn truncated_error_body_keeps_the_status() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buffer = [0u8; 8192];
        let _ = stream.read(&mut buffer);
        let _ = stream.write_all(
            b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\nx-ms-error-code: Broken\r\ncontent-length: 500\r\n\r\n{\"error\":{\"code\":\"Bro",
        );
        let _ = stream.flush();
    });
    let core = access_key_core(&format!("http://{address}"), no_retry());
    let mut request = Request::new(core.url(&[PathPart::Literal("/x")]).unwrap(), Method::Get);
    let err = core.send(&Context::new(), &mut request).await.unwrap_err();
    server.join().unwrap();
    let service = ServiceError::from_error(&err).expect("service error");
    assert_eq!(service.status(), StatusCode::InternalServerError);
    assert_eq!(service.code(), Some("Broken"));
    assert!(err.to_string().contains("cut short"), "{err}");
}

#[tokio::test]
async fn bearer_token_is_sent_over_loopback_only() {
    let server = MockServer::start().await;
    Mock::given(matchers::header("authorization", "Bearer user-token-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let credential: Arc<dyn TokenCredential> = Arc::new(UserTokenCredential::new("user-token-123"));
    let core = ClientCore::new(
        PACKAGE,
        &server.uri(),
        Auth::Bearer(credential.clone()),
        plain_http_for_tests(no_retry()),
        API_VERSION.to_owned(),
    )
    .unwrap();
    for _ in 0..2 {
        let mut request =
            Request::new(core.url(&[PathPart::Literal("/chat/threads")]).unwrap(), Method::Get);
        let raw = core.send(&Context::new(), &mut request).await.unwrap();
        assert_eq!(raw.status(), StatusCode::Ok);
    }

    let err = ClientCore::new(
        PACKAGE,
        "http://example.com",
        Auth::Bearer(credential),
        plain_http_for_tests(no_retry()),
        API_VERSION.to_owned(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Credential);
}

#[test]
fn url_building() {
    let core = access_key_core("https://x.communication.azure.com/", no_retry());
    let url = core
        .url(&[PathPart::Literal("/rooms/"), PathPart::Param("a/b c?d#e%f+g~h.i_j-k")])
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://x.communication.azure.com/rooms/a%2Fb%20c%3Fd%23e%25f%2Bg~h.i_j-k?api-version=2023-06-14"
    );
    let core = access_key_core("https://x.communication.azure.com/base", no_retry());
    assert_eq!(
        core.url(&[PathPart::Literal("/rooms")]).unwrap().as_str(),
        "https://x.communication.azure.com/base/rooms?api-version=2023-06-14"
    );
    assert_eq!(core.url(&[]).unwrap().path(), "/base");
    for bad in ["", ".", ".."] {
        assert!(core.url(&[PathPart::Literal("/rooms/"), PathPart::Param(bad)]).is_err());
    }
    assert_eq!(core.endpoint().host_str(), Some("x.communication.azure.com"));
    assert_eq!(core.api_version(), API_VERSION);

    for bad in ["", "x.communication.azure.com", "ftp://x", "https://x/?a=b", "https://u:p@x/"] {
        let key = AccessKeyCredential::new(KEY_B64).unwrap();
        assert!(
            ClientCore::new(PACKAGE, bad, Auth::AccessKey(key), no_retry(), API_VERSION.to_owned())
                .is_err(),
            "{bad}"
        );
    }
}

#[test]
fn connection_strings_parse() {
    let cs: ConnectionString =
        format!("endpoint=https://x.communication.azure.com/;accesskey={KEY_B64}").parse().unwrap();
    assert_eq!(cs.endpoint(), "https://x.communication.azure.com/");

    let cs = ConnectionString::parse(&format!(
        "  AccessKey = {KEY_B64} ; ENDPOINT=https://x.communication.azure.com ;; other=1;"
    ))
    .unwrap();
    assert_eq!(cs.endpoint(), "https://x.communication.azure.com");
    let (endpoint, credential) = cs.into_parts();
    assert!(ClientCore::new(
        PACKAGE,
        &endpoint,
        Auth::AccessKey(credential),
        no_retry(),
        API_VERSION.to_owned()
    )
    .is_ok());
}

#[test]
fn connection_string_errors_say_what_is_wrong_without_the_key() {
    let secret = "SuperSecretKeyMaterial";
    let cases = [
        (format!("accesskey={secret}=="), "missing `endpoint=`"),
        ("endpoint=https://x.communication.azure.com/".to_owned(), "missing `accesskey=`"),
        ("endpoint=https://x/;accesskey=".to_owned(), "missing `accesskey=`"),
        (format!("endpoint=not a url;accesskey={KEY_B64}"), "not an absolute http(s) URL"),
        (format!("endpoint=ftp://x/;accesskey={KEY_B64}"), "not an absolute http(s) URL"),
        (format!("endpoint=https://x/;accesskey={secret}*!"), "not valid base64"),
        (format!("endpoint=https://x/;accesskey={secret}-{secret}"), "not valid base64"),
        (format!("endpoint=https://x/;{secret}"), "not of the form key=value"),
        (format!("endpoint=https://x/;accesskey=pw==;accesskey={secret}"), "more than once"),
        (format!("endpoint=https://x/,accesskey={secret}"), "missing `accesskey=`"),
    ];
    for (input, expected) in cases {
        let err = ConnectionString::parse(&input).unwrap_err();
        let text = format!("{err} / {err:?}");
        assert!(text.contains(expected), "{input:?}: {text}");
        assert!(!text.contains(secret), "{input:?} leaked: {text}");
        assert_eq!(err.kind(), &ErrorKind::Credential);
    }
}

#[test]
fn identifiers_round_trip_through_raw_ids() {
    // The discriminator each raw ID must give.
    let cases: [(&str, &str); 14] = [
        ("8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-1234", "communicationUser"),
        ("8:spool:2dee53b4_0000", "communicationUser"),
        ("8:dod-acs:abc_123", "communicationUser"),
        ("8:gcch-acs:abc_123", "communicationUser"),
        ("4:+14255550123", "phoneNumber"),
        ("8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130", "microsoftTeamsUser"),
        ("8:dod:45ab2481", "microsoftTeamsUser"),
        ("8:gcch:45ab2481", "microsoftTeamsUser"),
        ("8:teamsvisitor:45ab2481", "microsoftTeamsUser"),
        ("28:orgid:01234567-89ab", "microsoftTeamsApp"),
        ("28:dod:01234567-89ab", "microsoftTeamsApp"),
        ("28:gcch:01234567-89ab", "microsoftTeamsApp"),
        ("8:acs:too:many", "unknown"),
        ("48:something", "unknown"),
    ];
    for (raw, kind) in cases {
        let model = CommunicationIdentifierModel::from_raw_id(raw);
        assert_eq!(model.kind.as_str(), kind, "{raw}");
        assert_eq!(model.raw_id.as_deref(), Some(raw));
        assert_eq!(model.raw_id(), Some(raw.to_owned()));
        let mut without_raw = model.clone();
        without_raw.raw_id = None;
        let recomputed = without_raw.raw_id();
        if kind == "unknown" {
            assert_eq!(recomputed, None, "{raw}");
        } else {
            assert_eq!(recomputed.as_deref(), Some(raw), "{raw}");
        }
        // And through JSON: the kind is written, with its payload beside it.
        let json = serde_json::to_value(&model).unwrap();
        assert_eq!(json["rawId"], raw);
        assert_eq!(json["kind"], kind);
        let back: CommunicationIdentifierModel = serde_json::from_value(json).unwrap();
        assert_eq!(back, model);
    }

    let phone = CommunicationIdentifierModel::from_raw_id("4:+14255550123");
    assert!(matches!(phone.kind, Kind::PhoneNumber(p) if p.value == "+14255550123"));
    let visitor = CommunicationIdentifierModel::from_raw_id("8:teamsvisitor:abc");
    assert!(matches!(visitor.kind, Kind::MicrosoftTeamsUser(u) if u.is_anonymous == Some(true)));
    let dod = CommunicationIdentifierModel::from_raw_id("8:dod:abc");
    assert!(matches!(dod.kind, Kind::MicrosoftTeamsUser(u) if u.cloud == Some(Cloud::Dod)));
    let app = CommunicationIdentifierModel::from_raw_id("28:gcch:app");
    assert!(matches!(app.kind, Kind::MicrosoftTeamsApp(a) if a.cloud == Some(Cloud::Gcch)));
    let user = CommunicationIdentifierModel::from_raw_id("8:acs:r_u");
    assert!(matches!(user.kind, Kind::CommunicationUser(u) if u.id == "8:acs:r_u"));

    assert_eq!(
        CommunicationIdentifierModel::communication_user("8:acs:r_u"),
        CommunicationIdentifierModel::from_raw_id("8:acs:r_u")
    );
    assert_eq!(
        CommunicationIdentifierModel::phone_number("+14255550123"),
        CommunicationIdentifierModel::from_raw_id("4:+14255550123")
    );
    assert_eq!(
        CommunicationIdentifierModel::microsoft_teams_user("abc", CommunicationCloud::Gcch),
        CommunicationIdentifierModel::from_raw_id("8:gcch:abc")
    );
    assert_eq!(
        CommunicationIdentifierModel::microsoft_teams_app("app", CommunicationCloud::Public),
        CommunicationIdentifierModel::from_raw_id("28:orgid:app")
    );
}

/// Identifiers as real payloads carry them: without `kind` (chat requests, older events), with
/// only a raw ID, or with a kind this crate does not know; each reads and writes back unchanged.
#[test]
fn identifier_payloads_round_trip_whatever_their_shape() {
    let shapes = [
        r#"{"rawId":"8:acs:r_u","communicationUser":{"id":"8:acs:r_u"}}"#,
        r#"{"kind":"communicationUser","communicationUser":{"id":"8:acs:r_u"}}"#,
        r#"{"rawId":"8:acs:r_u"}"#,
        r#"{"kind":"unknown","rawId":"99:x"}"#,
        r#"{"kind":"microsoftTeamsVisitor","rawId":"8:teamsvisitor:x"}"#,
    ];
    for shape in shapes {
        let model: CommunicationIdentifierModel = serde_json::from_str(shape).expect(shape);
        assert_eq!(serde_json::to_string(&model).unwrap(), shape);
    }
    let inferred: CommunicationIdentifierModel =
        serde_json::from_str(r#"{"phoneNumber":{"value":"+1"}}"#).unwrap();
    assert!(matches!(inferred.kind, Kind::PhoneNumber(_)));
    let contradictory = serde_json::from_str::<CommunicationIdentifierModel>(
        r#"{"kind":"phoneNumber","communicationUser":{"id":"8:acs:r_u"}}"#,
    );
    assert!(contradictory.unwrap_err().to_string().contains("missing field `phoneNumber`"));
}

#[test]
fn debug_output_never_contains_secrets() {
    let token = "eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJl";
    let key = AccessKeyCredential::new(KEY_B64).unwrap();
    let user = UserTokenCredential::new(token);
    let cs = ConnectionString::parse(&format!(
        "endpoint=https://x.communication.azure.com/;accesskey={KEY_B64}"
    ))
    .unwrap();
    let hmac_core = access_key_core("https://x.communication.azure.com", no_retry());
    let bearer_core = ClientCore::new(
        PACKAGE,
        "https://x.communication.azure.com",
        Auth::Bearer(Arc::new(user.clone())),
        no_retry(),
        API_VERSION.to_owned(),
    )
    .unwrap();
    let outputs = [
        format!("{key:?}"),
        format!("{user:?}"),
        format!("{:?}", CommunicationCredential::from(key.clone())),
        format!("{:?}", CommunicationCredential::from(user.clone())),
        format!("{:?}", Auth::AccessKey(key.clone())),
        format!("{cs:?}"),
        format!("{hmac_core:?}"),
        format!("{bearer_core:?}"),
    ];
    assert_eq!(outputs[0], "AccessKeyCredential { .. }");
    let raw_key = String::from_utf8(key_bytes()).unwrap();
    for output in outputs {
        assert!(!output.contains(KEY_B64), "{output}");
        assert!(!output.contains(&raw_key), "{output}");
        assert!(!output.contains(token), "{output}");
        assert!(!output.contains("c2lnbmF0dXJl"), "{output}");
    }
}

/// A tracing writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_logs_never_contain_signatures_or_tokens() {
    use tracing_subscriber::util::SubscriberInitExt as _;
    let captured = Captured::default();
    let writer = captured.clone();
    let _guard = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .set_default();

    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(HmacService::new(vec![ResponseTemplate::new(401)
            .set_body_json(json!({"error": {"code": "Nope", "message": "no"}}))]))
        .mount(&server)
        .await;
    let core = access_key_core(&server.uri(), no_retry());
    let mut request = Request::new(core.url(&[PathPart::Literal("/rooms")]).unwrap(), Method::Post);
    request.set_json(&json!({})).unwrap();
    let err = core.send(&Context::new(), &mut request).await.unwrap_err();
    let err_text = format!("{err} {err:?}");

    let token = "user-token-should-not-be-logged";
    let bearer = ClientCore::new(
        PACKAGE,
        &server.uri(),
        Auth::Bearer(Arc::new(UserTokenCredential::new(token))),
        plain_http_for_tests(no_retry()),
        API_VERSION.to_owned(),
    )
    .unwrap();
    let mut request =
        Request::new(bearer.url(&[PathPart::Literal("/rooms")]).unwrap(), Method::Get);
    let _ = bearer.send(&Context::new(), &mut request).await;

    let received = server.received_requests().await.unwrap();
    let authorization = header(&received[0], "authorization").unwrap().to_owned();
    let signature = authorization.split("Signature=").nth(1).unwrap().to_owned();
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("/rooms"), "logging was captured: {logs}");
    for text in [&logs, &err_text] {
        assert!(!text.contains(&signature), "{text}");
        assert!(!text.contains(KEY_B64), "{text}");
        assert!(!text.contains(token), "{text}");
    }
}
