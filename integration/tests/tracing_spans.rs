//! Distributed tracing through azure_core's instrumentation: with a tracer provider in
//! `ClientOptions::instrumentation`, every public client method makes one `Internal` span named
//! `<ClientTypeName>.<operation key of the spec>` with `az.namespace = Microsoft.Communication`
//! (one per listing for a pager), with the per-try `Client` HTTP spans under it; errors mark the
//! span as azure_core does; and no attribute carries the access key, the request signature, the
//! user token or the message content. Calls run against a loopback server.

#![cfg(all(feature = "rooms", feature = "chat", feature = "email"))]

use azure_communication_test_support as support;

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use azure_communication::chat::{ChatClient, ChatClientOptions, SendChatMessageRequest};
use azure_communication::email::{EmailClient, EmailClientOptions, EmailMessage};
use azure_communication::rooms::{RoomsClient, RoomsClientOptions};
use azure_core::http::{ClientOptions, Context, InstrumentationOptions, Request};
use azure_core::tracing::{
    AsAny, Attribute, AttributeValue, Span, SpanGuard, SpanKind, SpanStatus, Tracer, TracerProvider,
};
use base64::Engine as _;
use futures::TryStreamExt as _;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::wire;

/// One span as the tracer saw it.
#[derive(Debug, Clone, Default)]
struct Recorded {
    name: String,
    kind: String,
    /// The namespace of the tracer that started it.
    namespace: Option<&'static str>,
    /// The name of the parent span, for spans started under one.
    parent: Option<String>,
    attributes: Vec<(String, String)>,
    status: String,
    ended: bool,
}

impl Recorded {
    fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

type Spans = Arc<Mutex<Vec<Arc<MemSpan>>>>;

#[derive(Debug, Default)]
struct MemProvider {
    spans: Spans,
    /// `(namespace, crate name)` of every tracer handed out.
    tracers: Mutex<Vec<(Option<&'static str>, &'static str)>>,
}

impl MemProvider {
    fn spans(&self) -> Vec<Recorded> {
        self.spans.lock().unwrap().iter().map(|s| s.rec.lock().unwrap().clone()).collect()
    }

    fn named(&self, name: &str) -> Vec<Recorded> {
        self.spans().into_iter().filter(|s| s.name == name).collect()
    }
}

impl TracerProvider for MemProvider {
    fn get_tracer(
        &self,
        namespace: Option<&'static str>,
        crate_name: &'static str,
        _crate_version: Option<&'static str>,
    ) -> Arc<dyn Tracer> {
        self.tracers.lock().unwrap().push((namespace, crate_name));
        Arc::new(MemTracer { namespace, spans: self.spans.clone() })
    }
}

#[derive(Debug)]
struct MemTracer {
    namespace: Option<&'static str>,
    spans: Spans,
}

impl MemTracer {
    fn start(
        &self,
        name: Cow<'static, str>,
        kind: SpanKind,
        attributes: Vec<Attribute>,
        parent: Option<String>,
    ) -> Arc<dyn Span> {
        let span = Arc::new(MemSpan {
            rec: Mutex::new(Recorded {
                name: name.into_owned(),
                kind: format!("{kind:?}"),
                namespace: self.namespace,
                parent,
                attributes: attributes
                    .into_iter()
                    .map(|a| (a.key.into_owned(), text(&a.value)))
                    .collect(),
                status: "Unset".to_owned(),
                ended: false,
            }),
        });
        self.spans.lock().unwrap().push(span.clone());
        span
    }
}

impl Tracer for MemTracer {
    fn start_span(
        &self,
        name: Cow<'static, str>,
        kind: SpanKind,
        attributes: Vec<Attribute>,
    ) -> Arc<dyn Span> {
        self.start(name, kind, attributes, None)
    }

    fn start_span_with_parent(
        &self,
        name: Cow<'static, str>,
        kind: SpanKind,
        attributes: Vec<Attribute>,
        parent: Arc<dyn Span>,
    ) -> Arc<dyn Span> {
        let parent =
            parent.as_any().downcast_ref::<MemSpan>().map(|p| p.rec.lock().unwrap().name.clone());
        self.start(name, kind, attributes, parent)
    }

    fn namespace(&self) -> Option<&'static str> {
        self.namespace
    }
}

fn text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::String(s) => s.clone(),
        AttributeValue::I64(i) => i.to_string(),
        AttributeValue::Bool(b) => b.to_string(),
        AttributeValue::F64(f) => f.to_string(),
        other => format!("{other:?}"),
    }
}

#[derive(Debug)]
struct MemSpan {
    rec: Mutex<Recorded>,
}

struct NoopGuard;

impl SpanGuard for NoopGuard {
    fn end(self) {}
}

impl AsAny for MemSpan {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Span for MemSpan {
    fn is_recording(&self) -> bool {
        true
    }

    fn span_id(&self) -> [u8; 8] {
        [0; 8]
    }

    fn end(&self) {
        self.rec.lock().unwrap().ended = true;
    }

    fn set_status(&self, status: SpanStatus) {
        self.rec.lock().unwrap().status = match status {
            SpanStatus::Unset => "Unset".to_owned(),
            SpanStatus::Error { description } => format!("Error({description})"),
            other => format!("{other:?}"),
        };
    }

    fn set_attribute(&self, key: &'static str, value: AttributeValue) {
        self.rec.lock().unwrap().attributes.push((key.to_owned(), text(&value)));
    }

    fn record_error(&self, _error: &dyn std::error::Error) {}

    fn set_current(&self, _context: &Context) -> Box<dyn SpanGuard> {
        Box::new(NoopGuard)
    }

    fn propagate_headers(&self, _request: &mut Request) {}
}

fn traced(provider: &Arc<MemProvider>) -> ClientOptions {
    let tracer_provider: Arc<dyn TracerProvider> = provider.clone();
    ClientOptions {
        instrumentation: InstrumentationOptions { tracer_provider: Some(tracer_provider) },
        ..wire::loopback()
    }
}

fn rooms(server: &MockServer, provider: &Arc<MemProvider>) -> RoomsClient {
    let options = RoomsClientOptions { client_options: traced(provider), ..Default::default() };
    RoomsClient::new(&server.uri(), wire::access_key(), Some(options)).unwrap()
}

fn room(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "createdAt": "2024-01-01T00:00:00Z",
        "validFrom": "2024-01-01T00:00:00Z",
        "validUntil": "2024-02-01T00:00:00Z",
        "pstnDialOutEnabled": false
    })
}

/// Every value that must never reach a span: the key (base64 and decoded), each
/// `Authorization` header the server received and its signature part, and `extra`.
async fn assert_no_secret(provider: &MemProvider, server: &MockServer, extra: &[&str]) {
    let mut secrets = vec![wire::ACCESS_KEY.to_owned(), wire::USER_TOKEN.to_owned()];
    let decoded = base64::engine::general_purpose::STANDARD.decode(wire::ACCESS_KEY).unwrap();
    secrets.push(String::from_utf8_lossy(&decoded).into_owned());
    for request in server.received_requests().await.unwrap_or_default() {
        if let Some(value) = request.headers.get("authorization") {
            let value = value.to_str().unwrap().to_owned();
            if let Some((_, signature)) = value.split_once("Signature=") {
                secrets.push(signature.to_owned());
            }
            if let Some(token) = value.strip_prefix("Bearer ") {
                secrets.push(token.to_owned());
            }
            secrets.push(value);
        }
    }
    secrets.extend(extra.iter().map(|s| (*s).to_owned()));
    let spans = provider.spans();
    assert!(!spans.is_empty());
    for span in &spans {
        for (key, value) in &span.attributes {
            for secret in &secrets {
                assert!(
                    !value.contains(secret.as_str()),
                    "span {} attribute {key} = {value:?} carries a secret",
                    span.name
                );
            }
        }
    }
}

#[tokio::test]
async fn a_successful_call_makes_a_namespaced_span_with_the_http_span_under_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rooms/room-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(room("room-1")))
        .mount(&server)
        .await;
    let provider = Arc::new(MemProvider::default());
    let client = rooms(&server, &provider);

    let room = client.get_room("room-1", None).await.unwrap().into_model().unwrap();
    assert_eq!(room.id, "room-1");

    let tracers = provider.tracers.lock().unwrap().clone();
    assert!(
        tracers.contains(&(Some("Microsoft.Communication"), "azure-communication")),
        "{tracers:?}"
    );
    let api = provider.named("RoomsClient.getRoom");
    assert_eq!(api.len(), 1, "{:?}", provider.spans());
    let api = &api[0];
    assert_eq!(api.kind, "Internal");
    assert_eq!(api.attribute("az.namespace"), Some("Microsoft.Communication"));
    assert_eq!(api.status, "Unset");
    assert_eq!(api.attribute("error.type"), None);
    assert!(api.ended);

    let http = provider.named("GET");
    assert_eq!(http.len(), 1);
    let http = &http[0];
    assert_eq!(http.kind, "Client");
    assert_eq!(http.namespace, Some("Microsoft.Communication"));
    assert_eq!(http.parent.as_deref(), Some("RoomsClient.getRoom"));
    assert_eq!(http.attribute("az.namespace"), Some("Microsoft.Communication"));
    assert_eq!(http.attribute("http.response.status_code"), Some("200"));
    let url = http.attribute("url.full").unwrap();
    assert!(url.contains("/rooms/room-1"), "{url}");
    assert_no_secret(&provider, &server, &[]).await;
}

#[tokio::test]
async fn a_server_error_marks_the_span_as_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rooms/broken"))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            json!({ "error": { "code": "InternalError", "message": "Something failed." } }),
        ))
        .mount(&server)
        .await;
    let provider = Arc::new(MemProvider::default());
    let client = rooms(&server, &provider);

    client.get_room("broken", None).await.unwrap_err();

    let api = provider.named("RoomsClient.getRoom");
    assert_eq!(api.len(), 1);
    assert_eq!(api[0].status, "Error()");
    assert_eq!(api[0].attribute("error.type"), Some("500"));
    assert_eq!(api[0].attribute("az.namespace"), Some("Microsoft.Communication"));
    assert!(api[0].ended);
    let http = provider.named("GET");
    assert_eq!(http[0].status, "Error()");
    assert_eq!(http[0].attribute("http.response.status_code"), Some("500"));
    assert_no_secret(&provider, &server, &[]).await;
}

#[tokio::test]
async fn a_client_error_sets_the_error_type_but_not_the_error_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rooms/missing"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({ "error": { "code": "NotFound", "message": "No such room." } }),
            ),
        )
        .mount(&server)
        .await;
    let provider = Arc::new(MemProvider::default());
    let client = rooms(&server, &provider);

    client.get_room("missing", None).await.unwrap_err();

    let api = provider.named("RoomsClient.getRoom");
    assert_eq!(api.len(), 1);
    // OpenTelemetry leaves 4xx unset on the caller's span; azure_core follows it.
    assert_eq!(api[0].status, "Unset");
    assert_eq!(api[0].attribute("error.type"), Some("404"));
    assert!(api[0].ended);
    assert_no_secret(&provider, &server, &[]).await;
}

#[tokio::test]
async fn a_pager_makes_one_span_for_the_whole_listing() {
    let server = MockServer::start().await;
    let next = format!("{}/rooms?api-version=2024-04-15&skipToken=page2", server.uri());
    Mock::given(method("GET"))
        .and(path("/rooms"))
        .and(query_param("skipToken", "page2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [room("b")] })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/rooms"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "value": [room("a")], "nextLink": next })),
        )
        .mount(&server)
        .await;
    let provider = Arc::new(MemProvider::default());
    let client = rooms(&server, &provider);

    let all: Vec<_> = client.list_rooms(None).unwrap().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);

    let api = provider.named("RoomsClient.listRooms");
    assert_eq!(api.len(), 1, "{:?}", provider.spans());
    assert_eq!(api[0].kind, "Internal");
    assert_eq!(api[0].attribute("az.namespace"), Some("Microsoft.Communication"));
    assert!(api[0].ended);
    let pages = provider.named("GET");
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(|p| p.parent.as_deref() == Some("RoomsClient.listRooms")));
    // The continuation token is not on azure_core's allow list of query parameters.
    assert!(pages.iter().all(|p| !p.attribute("url.full").unwrap().contains("page2")));
    assert_no_secret(&provider, &server, &["page2"]).await;
}

#[tokio::test]
async fn a_scoped_client_method_is_named_after_its_own_client() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/threads/19%3Athread%40thread.v2/messages"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": "1700000000000" })))
        .mount(&server)
        .await;
    let provider = Arc::new(MemProvider::default());
    let options = ChatClientOptions { client_options: traced(&provider), ..Default::default() };
    let chat = ChatClient::new(&server.uri(), wire::user_token(), Some(options)).unwrap();
    let thread = chat.chat_thread_client("19:thread@thread.v2");
    let content = "the secret plans for Tuesday";
    let message: SendChatMessageRequest =
        serde_json::from_value(json!({ "content": content })).unwrap();

    thread.send_chat_message(&message, None).await.unwrap();

    let api = provider.named("ChatThreadClient.sendChatMessage");
    assert_eq!(api.len(), 1, "{:?}", provider.spans());
    assert_eq!(api[0].attribute("az.namespace"), Some("Microsoft.Communication"));
    assert!(api[0].ended);
    let http = provider.named("POST");
    assert_eq!(http.len(), 1);
    assert_eq!(http[0].parent.as_deref(), Some("ChatThreadClient.sendChatMessage"));
    assert_no_secret(&provider, &server, &[content]).await;
}

#[tokio::test]
async fn a_long_running_operation_makes_one_span_for_the_whole_poller() {
    let server = MockServer::start().await;
    let monitor = format!("{}/emails/operations/op-1?api-version=2023-03-31", server.uri());
    Mock::given(method("POST"))
        .and(path("/emails:send"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({ "id": "op-1", "status": "Running" }))
                .insert_header("operation-location", monitor.as_str())
                .insert_header("retry-after", "0"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/emails/operations/op-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "id": "op-1", "status": "Succeeded" })),
        )
        .mount(&server)
        .await;
    let provider = Arc::new(MemProvider::default());
    let options = EmailClientOptions { client_options: traced(&provider), ..Default::default() };
    let client = EmailClient::new(&server.uri(), wire::access_key(), Some(options)).unwrap();
    let message: EmailMessage = serde_json::from_value(json!({
        "senderAddress": "sender@contoso.example",
        "content": { "subject": "Hello", "plainText": "the secret plans for Tuesday" },
        "recipients": { "to": [{ "address": "to@contoso.example" }] }
    }))
    .unwrap();

    client.begin_send(&message, None).unwrap().await.unwrap();

    let api = provider.named("EmailClient.send");
    assert_eq!(api.len(), 1, "{:?}", provider.spans());
    assert_eq!(api[0].kind, "Internal");
    assert_eq!(api[0].attribute("az.namespace"), Some("Microsoft.Communication"));
    assert!(api[0].ended);
    let http: Vec<_> = provider.spans().into_iter().filter(|s| s.kind == "Client").collect();
    assert_eq!(
        http.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["POST", "GET"],
        "the send and one poll"
    );
    assert!(http.iter().all(|s| s.parent.as_deref() == Some("EmailClient.send")));
    assert_no_secret(&provider, &server, &["the secret plans", "to@contoso.example"]).await;
}
