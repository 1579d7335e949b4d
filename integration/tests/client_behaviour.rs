//! What the generated clients do around a call, checked against a real HTTP server on loopback:
//! retries that keep repeatability values but sign each try anew, and errors built from the
//! service's real error bodies (and, for Email, from the shape of its own error type).

#![cfg(all(feature = "rooms", feature = "chat", feature = "callautomation"))]

use azure_communication_test_support as support;

use std::time::{Duration, Instant};

use azure_communication::callautomation::{CallAutomationClient, CallAutomationClientOptions};
use azure_communication::chat::{ChatClient, ChatClientOptions, CreateChatThreadRequest};
use azure_communication::rooms::{CreateRoomRequest, RoomsClient, RoomsClientOptions};
use azure_communication_runtime::error::ServiceError;
use azure_core::http::{ClientOptions, FixedRetryOptions, RetryOptions};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::wire::{self, ValidHmacSignature};

const CONFORMANCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance");

fn rooms_client(server: &MockServer, client_options: ClientOptions) -> RoomsClient {
    let options = RoomsClientOptions { client_options, ..Default::default() };
    RoomsClient::new(&server.uri(), wire::access_key(), Some(options)).expect("the client builds")
}

fn fixed_retries(max_retries: u32) -> ClientOptions {
    ClientOptions {
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(10),
            max_retries,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn header(request: &wiremock::Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("the request has no {name} header"))
        .to_owned()
}

/// The response body of the first entry of a recorded session whose status is `status`.
fn recorded_error_body(relative: &str, status: u16) -> Value {
    let text = std::fs::read_to_string(format!("{CONFORMANCE}/recordings/{relative}"))
        .unwrap_or_else(|e| panic!("cannot read recording {relative}: {e}"));
    let recording: Value = serde_json::from_str(&text).expect("recordings are JSON");
    recording["Entries"]
        .as_array()
        .and_then(|entries| entries.iter().find(|e| e["StatusCode"] == status))
        .map(|e| e["ResponseBody"].clone())
        .unwrap_or_else(|| panic!("{relative} has no {status} entry"))
}

/// The documented error body for `status` of the create-chat-thread example.
fn documented_error_body(status: u16) -> Value {
    let file = format!(
        "{CONFORMANCE}/azure-rest-api-specs/chat/2024-03-07/examples/Threads_CreateChatThread.json"
    );
    let text = std::fs::read_to_string(&file).expect("the chat example exists");
    let example: Value = serde_json::from_str(&text).expect("examples are JSON");
    example["responses"][status.to_string()]["body"].clone()
}

#[tokio::test]
async fn a_retried_call_keeps_its_repeatability_values_and_is_signed_anew() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/rooms"))
        .and(ValidHmacSignature)
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("Retry-After", "1")
                .set_body_json(documented_error_body(503)),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/rooms"))
        .and(ValidHmacSignature)
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "id": "99117812428622880",
            "createdAt": "2023-06-26T05:46:17.8159131+00:00",
            "validFrom": "2023-06-30T00:00:00+00:00",
            "validUntil": "2023-07-30T00:00:00+00:00"
        })))
        .mount(&server)
        .await;
    let client = rooms_client(&server, ClientOptions::default());

    let started = Instant::now();
    let room =
        client.create_room(&CreateRoomRequest::new(), None).await.expect("the retry succeeds");
    let elapsed = started.elapsed();

    assert_eq!(room.into_model().expect("the room parses").id, "99117812428622880");
    assert!(elapsed >= Duration::from_secs(1), "Retry-After: 1 was not honoured ({elapsed:?})");
    let requests = server.received_requests().await.expect("requests are recorded");
    assert_eq!(requests.len(), 2, "one failed try and one retry");
    let (first, second) = (&requests[0], &requests[1]);
    for name in ["repeatability-request-id", "repeatability-first-sent"] {
        assert_eq!(header(first, name), header(second, name), "{name} must not change on retry");
    }
    uuid::Uuid::parse_str(&header(first, "repeatability-request-id")).expect("a UUID");
    azure_communication_runtime::datetime::rfc1123::parse(&header(
        first,
        "repeatability-first-sent",
    ))
    .expect("an RFC 1123 date");
    assert_ne!(header(first, "x-ms-date"), header(second, "x-ms-date"), "each try is dated anew");
    assert_ne!(header(first, "authorization"), header(second, "authorization"), "and signed anew");
}

#[tokio::test]
async fn a_caller_supplied_repeatability_id_is_sent_as_given() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calling/callConnections"))
        .and(wiremock::matchers::header(
            "repeatability-request-id",
            "b4b1c1a4-0000-4000-8000-000000000001",
        ))
        // wiremock's header matcher splits values at commas, which dates contain.
        .and(|r: &wiremock::Request| {
            r.headers.get("repeatability-first-sent").and_then(|v| v.to_str().ok())
                == Some("Sun, 06 Nov 1994 08:49:37 GMT")
        })
        .respond_with(ResponseTemplate::new(429).set_body_json(documented_error_body(429)))
        .expect(1)
        .mount(&server)
        .await;
    let options =
        CallAutomationClientOptions { client_options: wire::no_retries(), ..Default::default() };
    let client =
        CallAutomationClient::new(&server.uri(), wire::access_key(), Some(options)).unwrap();
    let request = serde_json::from_value(serde_json::json!({
        "source": { "identifier": { "rawId": "8:acs:resource_source" } },
        "targets": [{ "rawId": "4:+14250123456" }],
        "callbackUri": "https://app.contoso.com/callback"
    }))
    .unwrap();
    let options = azure_communication::callautomation::CreateCallOptions {
        repeatability_request_id: Some("b4b1c1a4-0000-4000-8000-000000000001".to_owned()),
        repeatability_first_sent: Some(time::macros::datetime!(1994-11-06 08:49:37 UTC)),
        ..Default::default()
    };
    let error = client.create_call(&request, Some(options)).await.expect_err("429");
    assert_eq!(u16::from(ServiceError::from_error(&error).unwrap().status()), 429);
}

#[tokio::test]
async fn a_429_storm_stops_after_the_configured_retries_with_the_service_error() {
    let server = MockServer::start().await;
    let body = documented_error_body(429);
    Mock::given(method("POST"))
        .and(path("/rooms"))
        .respond_with(ResponseTemplate::new(429).set_body_json(&body))
        .expect(3)
        .mount(&server)
        .await;
    let client = rooms_client(&server, fixed_retries(2));

    let error = client.create_room(&CreateRoomRequest::new(), None).await.expect_err("429 forever");

    let service = ServiceError::from_error(&error).expect("a service error");
    assert_eq!(u16::from(service.status()), 429);
    assert_eq!(service.code(), body["error"]["code"].as_str());
    assert_eq!(service.message(), body["error"]["message"].as_str());
    let requests = server.received_requests().await.unwrap();
    let ids: Vec<String> = requests.iter().map(|r| header(r, "repeatability-request-id")).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "every try repeats the same request id: {ids:?}");
}

/// Each status with a real body: recorded from the live service where a recording has it,
/// otherwise the service's documented example body.
#[tokio::test]
async fn error_statuses_carry_status_code_message_and_body() {
    let cases = [
        (400, recorded_error_body("azure-sdk-for-python/rooms/test_rooms_client.pyTestRoomsClienttest_create_room_incorrectMri.json", 400)),
        (401, recorded_error_body("azure-sdk-for-python/identity/test_communication_identity_client.pyTestClienttest_get_token_for_teams_user_with_invalid_token[invalid_token-invalid].json", 401)),
        (403, documented_error_body(403)),
        (404, recorded_error_body("azure-sdk-for-net/rooms/DeleteRoomDoesNotExist_Fail.json", 404)),
        (503, documented_error_body(503)),
    ];
    for (status, body) in cases {
        let server = MockServer::start().await;
        let code = body["error"]["code"].as_str().expect("real bodies have a code").to_owned();
        Mock::given(method("POST"))
            .and(path("/rooms"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(&body)
                    .insert_header("x-ms-error-code", code.as_str()),
            )
            .mount(&server)
            .await;
        let client = rooms_client(&server, wire::no_retries());

        let error =
            client.create_room(&CreateRoomRequest::new(), None).await.expect_err("an error status");

        let service = ServiceError::from_error(&error).expect("a service error");
        assert_eq!(u16::from(service.status()), status);
        assert_eq!(service.code(), Some(code.as_str()), "status {status}");
        assert_eq!(service.message(), body["error"]["message"].as_str(), "status {status}");
        let parsed = serde_json::to_value(
            service
                .body::<azure_communication::common::CommunicationErrorResponse>()
                .expect("the body parses"),
        )
        .unwrap();
        support::assert_same_json(&body, &parsed, "$");
        let shown = error.to_string();
        assert!(shown.contains(&status.to_string()) || shown.contains(&code), "{shown}");
    }
}

#[tokio::test]
async fn a_chat_call_with_a_rejected_token_is_a_401_service_error() {
    let server = MockServer::start().await;
    let body = recorded_error_body("azure-sdk-for-python/identity/test_communication_identity_client.pyTestClienttest_get_token_for_teams_user_with_invalid_token[invalid_token-invalid].json", 401);
    Mock::given(method("POST"))
        .and(path("/chat/threads"))
        .and(wiremock::matchers::header("authorization", wire::USER_TOKEN_HEADER))
        .respond_with(ResponseTemplate::new(401).set_body_json(&body))
        .mount(&server)
        .await;
    let options = ChatClientOptions { client_options: wire::loopback(), ..Default::default() };
    let client = ChatClient::new(&server.uri(), wire::user_token(), Some(options)).unwrap();

    let error = client
        .create_chat_thread(&CreateChatThreadRequest::new("Lunch"), None)
        .await
        .expect_err("401");

    let service = ServiceError::from_error(&error).expect("a service error");
    assert_eq!(u16::from(service.status()), 401);
    assert_eq!(service.code(), Some("InvalidAccessToken"));
    assert!(!error.to_string().contains(wire::USER_TOKEN), "the token leaked into {error}");
}

#[tokio::test]
async fn malformed_error_bodies_still_give_the_status() {
    let bodies: [(&str, &[u8]); 4] = [
        ("empty", b""),
        ("html", b"<html><body>Bad Gateway</body></html>"),
        ("truncated json", br#"{"error":{"code":"Internal","mess"#),
        ("json of another shape", br#"[1,2,3]"#),
    ];
    for (what, body) in bodies {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(502).set_body_bytes(body.to_vec()))
            .mount(&server)
            .await;
        let client = rooms_client(&server, wire::no_retries());
        let error = client.create_room(&CreateRoomRequest::new(), None).await.expect_err(what);
        let service = ServiceError::from_error(&error).expect(what);
        assert_eq!(u16::from(service.status()), 502, "{what}");
        assert!(
            service.body::<azure_communication::common::CommunicationErrorResponse>().is_none(),
            "{what}"
        );
    }
}

#[tokio::test]
async fn a_success_with_a_malformed_body_is_an_error_not_a_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(r#"{"id": 5, "createdAt": "yesterday"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = rooms_client(&server, wire::no_retries());
    let response = client.create_room(&CreateRoomRequest::new(), None).await.expect("a 201");
    assert!(response.into_model().is_err());
}

/// Email answers errors with the `ErrorResponse` of common-types/data-plane/v1/types.json, not
/// with the Communication Services error. No recording or example has an Email error, so the
/// bodies here are built from types.json: status, code and message come out as for every other
/// service, and the body decodes into the operation's own error type, nothing dropped.
#[cfg(feature = "email")]
#[tokio::test]
async fn an_email_error_gives_status_code_message_and_its_typed_body() {
    use azure_communication::email::{
        EmailAddress, EmailClient, EmailClientOptions, EmailContent, EmailMessage, EmailRecipients,
        ErrorResponse,
    };
    let full = serde_json::json!({"error": {
        "code": "BadRequest",
        "message": "Invalid email address.",
        "target": "recipients.to[0].address",
        "details": [{"code": "InvalidAddress", "message": "Not an address."}],
        "additionalInfo": [{"type": "Trace", "info": {"id": "0f9c1a2e"}}]
    }});
    // Every ErrorDetail member is optional in types.json.
    let without_message = serde_json::json!({"error": {"code": "Unauthorized"}});
    for (body, code, message) in [
        (&full, "BadRequest", Some("Invalid email address.")),
        (&without_message, "Unauthorized", None),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/emails:send"))
            .respond_with(
                ResponseTemplate::new(400)
                    .set_body_json(body)
                    .insert_header("x-ms-error-code", code),
            )
            .mount(&server)
            .await;
        let options =
            EmailClientOptions { client_options: wire::no_retries(), ..Default::default() };
        let client = EmailClient::new(&server.uri(), wire::access_key(), Some(options)).unwrap();
        let message_to_send = EmailMessage::new(
            "sender@contoso.com",
            EmailContent::new("Subject"),
            EmailRecipients::new(vec![EmailAddress::new("to@contoso.com")]),
        );

        let error = client
            .begin_send(&message_to_send, None)
            .expect("the poller builds")
            .await
            .expect_err("a 400");

        // Status, code and message: as for every other service.
        let service = ServiceError::from_error(&error).expect("a service error");
        assert_eq!(u16::from(service.status()), 400);
        assert_eq!(service.code(), Some(code));
        assert_eq!(service.message(), message);
        // The body decodes into the operation's error type, keeping what the Communication
        // Services error lacks (`additionalInfo`).
        let typed: ErrorResponse = service.body().expect("the Email error type");
        support::assert_same_json(body, &serde_json::to_value(&typed).unwrap(), "$");
    }
}
