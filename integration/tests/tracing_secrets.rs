//! No secret reaches the logs: the generated clients run under a `tracing` subscriber at TRACE
//! level (the `log` records of the HTTP stack included) through success, retry, error, transport
//! failure and limit paths, and the captured output, together with the `Display` and `Debug` of
//! every error and client, must not contain the access key (base64 or decoded), a request
//! signature (the `Authorization` value or its signature part) or the user token.

#![cfg(all(feature = "rooms", feature = "chat", feature = "callautomation"))]

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use azure_communication::callautomation::{CallAutomationClient, CallAutomationClientOptions};
use azure_communication::chat::{ChatClient, ChatClientOptions};
use azure_communication::rooms::{RoomsClient, RoomsClientOptions};
use azure_communication_runtime::credential::{AccessKeyCredential, UserTokenCredential};
use azure_communication_runtime::limits::CallLimits;
use azure_core::http::{ClientOptions, FixedRetryOptions, RetryOptions};
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The access key, chosen printable so that its decoded form is searchable as text.
const KEY: &[u8] = b"tracing-secret-access-key:Qz7/Wm2+Lp";
/// The user token.
const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.tracing-secret-user-token.c2lnbmF0dXJl";

/// Everything the subscriber writes.
fn captured() -> &'static Arc<Mutex<Vec<u8>>> {
    static CAPTURE: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_writer(move || Sink(sink.clone()))
            .try_init()
            .expect("the only subscriber of this test binary");
        buffer
    })
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn retries() -> ClientOptions {
    ClientOptions {
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(10),
            max_retries: 2,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn from_json<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("valid request body")
}

fn error_body(code: &str) -> Value {
    json!({ "error": { "code": code, "message": format!("{code} happened.") } })
}

/// 503 once, then `status` with `body`, for `verb` on `route` (a regex).
async fn flaky(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path_regex(route))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_body("ServiceUnavailable")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path_regex(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_trace_output() {
    let capture = captured();
    let key_base64 = base64::engine::general_purpose::STANDARD.encode(KEY);
    let server = MockServer::start().await;
    let room = json!({
        "id": "99117812428622880",
        "createdAt": "2023-06-26T05:46:17.8159131+00:00",
        "validFrom": "2023-06-30T00:00:00+00:00",
        "validUntil": "2023-07-30T00:00:00+00:00"
    });
    // Success after a retry.
    flaky(&server, "POST", "^/rooms$", 201, room.clone()).await;
    flaky(
        &server,
        "POST",
        "^/chat/threads$",
        201,
        json!({ "chatThread": {
        "id": "19:a@thread.v2", "topic": "Lunch", "createdOn": "2020-10-30T10:50:50Z",
        "createdByCommunicationIdentifier": { "rawId": "8:acs:u" } } }),
    )
    .await;
    flaky(
        &server,
        "POST",
        "^/calling/callConnections$",
        201,
        json!({
        "callConnectionId": "421f0b00", "callConnectionState": "connecting" }),
    )
    .await;
    // Errors, retried ones included.
    Mock::given(method("GET"))
        .and(path_regex("^/rooms/.+"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("NotFound")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/chat/threads/.+"))
        .respond_with(ResponseTemplate::new(401).set_body_json(error_body("InvalidAccessToken")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/calling/callConnections/.+"))
        .respond_with(ResponseTemplate::new(500).set_body_json(error_body("InternalError")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("/readReceipts$"))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_body("ServiceUnavailable")))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/rooms/99117812428622880"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(4096)))
        .mount(&server)
        .await;

    let endpoint = server.uri();
    let connection_string = format!("endpoint={endpoint}/;accesskey={key_base64}");
    let rooms = RoomsClient::from_connection_string(
        &connection_string,
        Some(RoomsClientOptions { client_options: retries(), ..Default::default() }),
    )
    .expect("the rooms client builds");
    let chat = ChatClient::new(
        &endpoint,
        Arc::new(UserTokenCredential::new(TOKEN)),
        Some(ChatClientOptions {
            client_options: azure_communication_test_support::wire::plain_http(retries()),
            ..Default::default()
        }),
    )
    .expect("the chat client builds");
    let calls = CallAutomationClient::new(
        &endpoint,
        AccessKeyCredential::new(&key_base64).expect("valid base64"),
        Some(CallAutomationClientOptions { client_options: retries(), ..Default::default() }),
    )
    .expect("the call automation client builds");
    // A client whose calls fail in the transport (nothing listens), and one with a tiny body
    // limit.
    let nowhere = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let unreachable = CallAutomationClient::new(
        &nowhere,
        AccessKeyCredential::new(&key_base64).unwrap(),
        Some(CallAutomationClientOptions { client_options: retries(), ..Default::default() }),
    )
    .unwrap();
    let limited = {
        let mut options = retries();
        options
            .per_call_policies
            .push(Arc::new(CallLimits::new().with_max_response_body_bytes(16)));
        RoomsClient::from_connection_string(
            &connection_string,
            Some(RoomsClientOptions { client_options: options, ..Default::default() }),
        )
        .unwrap()
    };

    let mut shown = Vec::new();
    let mut record = |result: azure_core::Result<()>, expect_ok: bool| match result {
        Ok(()) => assert!(expect_ok, "an error was expected"),
        Err(error) => {
            assert!(!expect_ok, "{error:?}");
            shown.push(format!("{error}\n{error:?}"));
        }
    };
    record(rooms.create_room(&from_json(json!({})), None).await.map(drop), true);
    record(rooms.get_room("99117812428622880", None).await.map(drop), false);
    record(limited.delete_room("99117812428622880", None).await.map(drop), false);
    record(
        chat.create_chat_thread(&from_json(json!({ "topic": "Lunch" })), None).await.map(drop),
        true,
    );
    let thread = chat.chat_thread_client("19:a@thread.v2");
    record(thread.get_chat_thread_properties(None).await.map(drop), false);
    record(
        thread
            .send_chat_read_receipt(&from_json(json!({ "chatMessageId": "1" })), None)
            .await
            .map(drop),
        false,
    );
    let create_call = json!({
        "source": { "identifier": { "rawId": "8:acs:resource_source" } },
        "targets": [{ "rawId": "4:+14250123456" }],
        "callbackUri": "https://app.contoso.com/callback"
    });
    record(calls.create_call(&from_json(create_call.clone()), None).await.map(drop), true);
    record(calls.call_connection_client("421f0b00").get_call(None).await.map(drop), false);
    record(unreachable.create_call(&from_json(create_call), None).await.map(drop), false);
    for client in [format!("{rooms:?}"), format!("{chat:?}"), format!("{calls:?}")] {
        shown.push(client);
    }
    let parsed = azure_communication_runtime::ConnectionString::parse(&connection_string).unwrap();
    shown.push(format!("{parsed:?} {:?}", parsed.credential()));

    // What was sent: the secrets were really on the wire.
    let requests = server.received_requests().await.expect("requests are recorded");
    let authorizations: Vec<String> = requests
        .iter()
        .filter_map(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok()))
        .map(str::to_owned)
        .collect();
    assert!(authorizations.iter().any(|a| a == &format!("Bearer {TOKEN}")));
    let signatures: Vec<String> = authorizations
        .iter()
        .filter_map(|a| a.split_once("Signature=").map(|(_, s)| s.to_owned()))
        .collect();
    assert!(signatures.len() >= 6, "HMAC-signed tries: {}", signatures.len());

    let log = String::from_utf8_lossy(&capture.lock().unwrap()).into_owned();
    // The capture works: TRACE lines and the requests are in it.
    assert!(log.contains("TRACE"), "no TRACE output captured:\n{log}");
    assert!(log.contains("/rooms") && log.contains("/chat/threads"), "{log}");
    assert!(log.contains("503"), "the retries are logged:\n{log}");
    if let Ok(dump) = std::env::var("TRACING_SECRETS_DUMP") {
        std::fs::write(dump, &log).unwrap();
    }

    let decoded = String::from_utf8(KEY.to_vec()).unwrap();
    let key_bytes_debug = format!("{KEY:?}");
    let key_hex: String = KEY.iter().map(|b| format!("{b:02x}")).collect();
    let mut secrets: Vec<(&str, String)> = vec![
        ("the access key (base64)", key_base64.clone()),
        ("the access key (decoded)", decoded),
        ("the access key (bytes)", key_bytes_debug[1..key_bytes_debug.len() - 1].to_owned()),
        ("the access key (hex)", key_hex),
        ("the user token", TOKEN.to_owned()),
    ];
    for a in &authorizations {
        secrets.push(("an Authorization header", a.clone()));
    }
    for s in &signatures {
        secrets.push(("a signature", s.clone()));
    }
    let everything = format!("{log}\n{}", shown.join("\n"));
    for (what, secret) in &secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "{what} ({secret}) leaked:\n{}",
            everything
                .lines()
                .filter(|l| l.contains(secret.as_str()))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
