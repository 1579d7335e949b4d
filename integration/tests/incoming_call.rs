//! The incoming call example (`examples/incoming_call.rs`) served on loopback: Event Grid's
//! validation handshake, an `IncomingCall` event answered through a loopback Call Automation
//! service that checks the request as the service would, and the answered call's callbacks.

#![cfg(all(feature = "callautomation", feature = "events"))]

mod events_support;
#[allow(dead_code)]
#[path = "../examples/incoming_call.rs"]
mod incoming_call;

use azure_communication_test_support as support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use azure_communication::callautomation::{
    CallAutomationClient, CallAutomationClientOptions, CallAutomationEvent,
};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use support::wire::{self, ValidHmacSignature};

const EXAMPLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/conformance/azure-rest-api-specs/callautomation/2022-04-07-preview/examples"
);

const INCOMING_CALL_CONTEXT: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJjYyI6Ikg0c0lBQUFBQUFBRUFNMVhXMGx6QkZ0Q1lIbVFKOFhHR0VhVUIifQ.";
const CALLER_NUMBER: &str = "+14255550123";
const CALLER_NAME: &str = "Contoso Support Line";
const CORRELATION_ID: &str = "8d4b2f6a-1c3e-4a5b-9f7d-0e2c4a6b8d1f";

/// Collects everything the app logs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The `CallConnectionProperties` of the official examples (there is no answer call example
/// file; the get call example has the same response definition), for the given callback URI.
fn call_connection_properties(callback_uri: &str) -> Value {
    let text = std::fs::read_to_string(format!("{EXAMPLES}/CallConnections_GetCall.json"))
        .expect("the official get call example");
    let example: Value = serde_json::from_str(&text).expect("examples are JSON");
    let mut body = example["responses"]["200"]["body"].clone();
    assert!(body["callConnectionId"].is_string(), "the example has CallConnectionProperties");
    body["callbackUri"] = json!(callback_uri);
    body
}

/// The IncomingCall event of the `CallingEvent` examples in specs/events.yaml (hand-written from
/// the `AcsIncomingCallEventData` definition), followed by a `CallStarted` event, which is not
/// answered.
fn incoming_call_delivery() -> Value {
    json!([
        {
            "id": "3b5d7f9a-1c2e-4a4b-8d6f-0a2c4e6b8d9f",
            "topic": "/subscriptions/4b5c7d2e-8f91-4a3b-9c6d-2e7f8a9b0c1d/resourceGroups/contoso-rg/providers/Microsoft.Communication/communicationServices/contoso-acs",
            "subject": "/caller/4:+14255550123/recipient/8:acs:1e5e3f47-8c0f-4d6e-9a2b-7c3d5e6f8a90_00000021-5c3e-7a4b-85f4-343a0d00a1b2",
            "data": {
                "to": {
                    "kind": "communicationUser",
                    "rawId": "8:acs:1e5e3f47-8c0f-4d6e-9a2b-7c3d5e6f8a90_00000021-5c3e-7a4b-85f4-343a0d00a1b2",
                    "communicationUser": {
                        "id": "8:acs:1e5e3f47-8c0f-4d6e-9a2b-7c3d5e6f8a90_00000021-5c3e-7a4b-85f4-343a0d00a1b2"
                    }
                },
                "from": {
                    "kind": "phoneNumber",
                    "rawId": "4:+14255550123",
                    "phoneNumber": { "value": CALLER_NUMBER }
                },
                "serverCallId": "aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252LXVzZWEtMDcuY29udi5za3lwZS5jb20vY29udi9qQjN2MWtxNlhrMllGMFo3Z0EzeFNRP2k9MTAmZT02Mzg0ODA0MTIzNDU2Nzg5MDE",
                "callerDisplayName": CALLER_NAME,
                "customContext": {
                    "sipHeaders": { "X-MS-Custom-ticket": "INC-20417" },
                    "voipHeaders": { "priority": "high" }
                },
                "incomingCallContext": INCOMING_CALL_CONTEXT,
                "onBehalfOfCallee": {
                    "kind": "microsoftTeamsUser",
                    "rawId": "8:orgid:6f8a2c1d-3b4e-4f5a-8c7d-9e0f1a2b3c4d",
                    "microsoftTeamsUser": {
                        "userId": "6f8a2c1d-3b4e-4f5a-8c7d-9e0f1a2b3c4d",
                        "isAnonymous": false,
                        "cloud": "public"
                    }
                },
                "correlationId": CORRELATION_ID
            },
            "eventType": "Microsoft.Communication.IncomingCall",
            "dataVersion": "1.0",
            "metadataVersion": "1",
            "eventTime": "2024-04-02T16:20:14.9102835Z"
        },
        {
            "id": "4c6e8a0b-2d3f-4b5c-9e7a-1b3d5f7c9e0a",
            "topic": "/subscriptions/4b5c7d2e-8f91-4a3b-9c6d-2e7f8a9b0c1d/resourceGroups/contoso-rg/providers/Microsoft.Communication/communicationServices/contoso-acs",
            "subject": "call/aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252LXVzZWEtMDcuY29udi5za3lwZS5jb20vY29udi9qQjN2MWtxNlhrMllGMFo3Z0EzeFNRP2k9MTAmZT02Mzg0ODA0MTIzNDU2Nzg5MDE/startedBy/8:acs:1e5e3f47-8c0f-4d6e-9a2b-7c3d5e6f8a90_00000021-5c3e-7a4b-85f4-343a0d00a1b2",
            "data": {
                "serverCallId": "aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252LXVzZWEtMDcuY29udi5za3lwZS5jb20vY29udi9qQjN2MWtxNlhrMllGMFo3Z0EzeFNRP2k9MTAmZT02Mzg0ODA0MTIzNDU2Nzg5MDE",
                "isTwoParty": true,
                "correlationId": CORRELATION_ID
            },
            "eventType": "Microsoft.Communication.CallStarted",
            "dataVersion": "1.0",
            "metadataVersion": "1",
            "eventTime": "2024-04-02T16:20:16.1022835Z"
        }
    ])
}

/// What Call Automation posts to the callback URI of the answered call: its connection, its
/// end, and an event type this crate does not know.
fn callback_delivery(call_connection_id: &str, server_call_id: &str) -> Value {
    let source = format!("calling/callConnections/{call_connection_id}");
    let event = |id: &str, event_type: &str, data: Value| {
        json!({
            "id": id,
            "source": source,
            "type": event_type,
            "data": data,
            "time": "2024-04-02T16:20:15.3185262+00:00",
            "specversion": "1.0",
            "datacontenttype": "application/json",
            "subject": source
        })
    };
    json!([
        event(
            "8bc3a8e9-62ea-4ae6-9c81-a1a3b6a5ab01",
            "Microsoft.Communication.CallConnected",
            json!({
                "callConnectionId": call_connection_id,
                "serverCallId": server_call_id,
                "correlationId": CORRELATION_ID
            })
        ),
        event(
            "0f2d7c51-5a1e-4c3b-8e1f-6b9a2d4c8e73",
            "Microsoft.Communication.SomethingNew",
            json!({ "callConnectionId": call_connection_id, "anything": [1, 2] })
        ),
        event(
            "c7a04f3e-9b2d-4e61-a8f5-3d1b6e9c2a40",
            "Microsoft.Communication.CallDisconnected",
            json!({
                "callConnectionId": call_connection_id,
                "serverCallId": server_call_id,
                "correlationId": CORRELATION_ID
            })
        ),
    ])
}

/// The answer call request carries the event's context and the app's callback URI.
struct AnswerBody {
    callback_uri: String,
}

impl wiremock::Match for AnswerBody {
    fn matches(&self, request: &Request) -> bool {
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else { return false };
        body["incomingCallContext"] == INCOMING_CALL_CONTEXT
            && body["callbackUri"] == self.callback_uri.as_str()
    }
}

// A current-thread runtime keeps the app's tasks on the test's thread, where the log capture is
// installed.
#[tokio::test(flavor = "current_thread")]
async fn the_app_answers_an_incoming_call_and_handles_its_callbacks() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt().with_writer(logs.clone()).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let callback_uri = incoming_call::callback_uri(&base).expect("a valid base URL");
    assert_eq!(callback_uri, format!("{base}/callbacks"));

    let call_automation = MockServer::start().await;
    let properties = call_connection_properties(&callback_uri);
    Mock::given(method("POST"))
        .and(path("/calling/callConnections:answer"))
        .and(query_param("api-version", "2022-04-07-preview"))
        .and(ValidHmacSignature)
        .and(AnswerBody { callback_uri: callback_uri.clone() })
        .respond_with(ResponseTemplate::new(200).set_body_json(&properties))
        .expect(1)
        .named("answer call")
        .mount(&call_automation)
        .await;
    let options =
        CallAutomationClientOptions { client_options: wire::no_retries(), ..Default::default() };
    let client =
        CallAutomationClient::new(&call_automation.uri(), wire::access_key(), Some(options))
            .expect("the client builds");

    let (events, mut handled) = mpsc::unbounded_channel();
    let app = incoming_call::App { client, callback_uri: callback_uri.clone(), events };
    tokio::spawn(async move { axum::serve(listener, incoming_call::router(app)).await });
    let http = reqwest::Client::new();

    // Event Grid's subscription validation handshake.
    let response = http
        .post(format!("{base}/events"))
        .header("content-type", "application/json")
        .body(events_support::VALIDATION_BODY)
        .send()
        .await
        .expect("the app answers");
    assert_eq!(response.status(), 200);
    let answer: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(answer, json!({ "validationResponse": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" }));
    assert!(call_automation.received_requests().await.unwrap().is_empty());

    // The incoming call: answered once, before the delivery is acknowledged.
    let response = http
        .post(format!("{base}/events"))
        .header("content-type", "application/json")
        .body(incoming_call_delivery().to_string())
        .send()
        .await
        .expect("the app answers");
    assert_eq!(response.status(), 200);
    let requests = call_automation.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request to Call Automation: {requests:?}");
    assert_eq!(requests[0].url.path(), "/calling/callConnections:answer");
    wire::verify_hmac(&requests[0], wire::ACCESS_KEY).expect("a valid signature");
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        sent,
        json!({ "incomingCallContext": INCOMING_CALL_CONTEXT, "callbackUri": callback_uri })
    );
    call_automation.verify().await;

    // The answered call's callbacks, in delivery order, unknown types kept as Other.
    let call_connection_id = properties["callConnectionId"].as_str().unwrap();
    let server_call_id = properties["serverCallId"].as_str().unwrap();
    let response = http
        .post(format!("{base}/callbacks"))
        .header("content-type", "application/cloudevents-batch+json; charset=utf-8")
        .body(callback_delivery(call_connection_id, server_call_id).to_string())
        .send()
        .await
        .expect("the app answers");
    assert_eq!(response.status(), 200);
    match handled.try_recv().expect("CallConnected was handed on") {
        CallAutomationEvent::CallConnected(connected) => {
            assert_eq!(connected.call_connection_id.as_deref(), Some(call_connection_id));
            assert_eq!(connected.correlation_id.as_deref(), Some(CORRELATION_ID));
        }
        other => panic!("expected CallConnected, got {other:?}"),
    }
    match handled.try_recv().expect("the unknown event was handed on") {
        CallAutomationEvent::Other { event_type, data } => {
            assert_eq!(event_type, "Microsoft.Communication.SomethingNew");
            assert_eq!(
                serde_json::from_str::<Value>(data.get()).unwrap(),
                json!({ "callConnectionId": call_connection_id, "anything": [1, 2] })
            );
        }
        other => panic!("expected Other, got {other:?}"),
    }
    match handled.try_recv().expect("CallDisconnected was handed on") {
        CallAutomationEvent::CallDisconnected(disconnected) => {
            assert_eq!(disconnected.call_connection_id.as_deref(), Some(call_connection_id));
        }
        other => panic!("expected CallDisconnected, got {other:?}"),
    }
    assert!(handled.try_recv().is_err(), "nothing else was handed on");

    // Unreadable deliveries are refused on both routes, and nothing more was answered.
    for route in ["events", "callbacks"] {
        let garbage = http.post(format!("{base}/{route}")).body("{not json").send().await.unwrap();
        assert_eq!(garbage.status(), 400, "{route}");
    }
    assert_eq!(call_automation.received_requests().await.unwrap().len(), 1);

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "answering the subscription validation",
        ": answered ",
        call_connection_id,
        "not an incoming call event_type=\"Microsoft.Communication.CallStarted\"",
        "call connected",
        "call disconnected",
        "Microsoft.Communication.SomethingNew",
    ] {
        assert!(text.contains(expected), "the log has {expected:?}:\n{text}");
    }
    assert!(!text.contains("cannot answer"), "{text}");
    for private in [CALLER_NUMBER, "14255550123", CALLER_NAME, INCOMING_CALL_CONTEXT, "INC-20417"] {
        assert!(!text.contains(private), "the log has no {private:?}:\n{text}");
    }
}

#[test]
fn the_callback_uri_is_the_callbacks_route_under_the_base_url() {
    for (base, expected) in [
        ("https://contoso.example", "https://contoso.example/callbacks"),
        ("https://contoso.example/", "https://contoso.example/callbacks"),
        ("https://contoso.example/calls", "https://contoso.example/calls/callbacks"),
        ("https://contoso.example/calls/", "https://contoso.example/calls/callbacks"),
    ] {
        assert_eq!(incoming_call::callback_uri(base).unwrap(), expected, "{base}");
    }
    assert!(incoming_call::callback_uri("contoso.example").is_err());
    assert!(incoming_call::callback_uri("mailto:calls@contoso.example").is_err());
}

#[tokio::test(flavor = "current_thread")]
async fn a_call_that_cannot_be_answered_is_logged_and_the_delivery_still_acknowledged() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt().with_writer(logs.clone()).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let call_automation = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/calling/callConnections:answer"))
        .and(ValidHmacSignature)
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": { "code": "8523", "message": "Invalid request." }
        })))
        .expect(1)
        .mount(&call_automation)
        .await;
    let options =
        CallAutomationClientOptions { client_options: wire::no_retries(), ..Default::default() };
    let client =
        CallAutomationClient::new(&call_automation.uri(), wire::access_key(), Some(options))
            .expect("the client builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let callback_uri = incoming_call::callback_uri(&base).unwrap();
    let (events, mut handled) = mpsc::unbounded_channel();
    let app = incoming_call::App { client, callback_uri, events };
    tokio::spawn(async move { axum::serve(listener, incoming_call::router(app)).await });

    let response = reqwest::Client::new()
        .post(format!("{base}/events"))
        .header("content-type", "application/json")
        .body(incoming_call_delivery().to_string())
        .send()
        .await
        .expect("the app answers");
    assert_eq!(response.status(), 200);
    call_automation.verify().await;
    assert!(handled.try_recv().is_err());

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("cannot answer") && text.contains("8523"), "{text}");
    assert!(!text.contains(INCOMING_CALL_CONTEXT) && !text.contains(CALLER_NUMBER), "{text}");
}
