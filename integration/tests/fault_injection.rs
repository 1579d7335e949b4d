//! Faults of a real network, injected by real servers on loopback (wiremock, or a raw tokio
//! `TcpListener` where HTTP itself has to break), against every kind of operation: the bearer
//! chat client and the HMAC rooms and call automation clients; `GET`, `DELETE`, `POST` and
//! `PATCH`, with and without repeatability headers.
//!
//! Every fault must end in a clear error, within a bounded time, never a hang or a panic; and a
//! request that cannot safely be sent twice must not be resent once it may have reached the
//! server.

#![cfg(all(feature = "rooms", feature = "chat", feature = "callautomation"))]

use azure_communication_test_support as support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use azure_communication::callautomation::{
    self, CallAutomationClient, CallAutomationClientOptions,
};
use azure_communication::chat::{self, ChatClient, ChatClientOptions};
use azure_communication::rooms::{self, RoomsClient, RoomsClientOptions};
use azure_communication_runtime::error::ServiceError;
use azure_communication_runtime::limits::{
    CallLimits, LimitError, DEFAULT_MAX_RESPONSE_BODY_BYTES,
};
use azure_core::error::ErrorKind;
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{
    ClientMethodOptions, ClientOptions, Context, FixedRetryOptions, Request, RetryOptions,
    Transport,
};
use futures::future::join_all;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::wire;

// ---------------------------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------------------------

/// One operation of each kind that matters here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// Bearer, `POST` with `repeatability-request-id`.
    ChatCreateThread,
    /// Bearer, `POST` without repeatability headers.
    ChatSendReadReceipt,
    /// Bearer, `GET`.
    ChatGetThread,
    /// Bearer, `PATCH` without repeatability headers.
    ChatUpdateThread,
    /// HMAC, `POST` with the standard repeatability headers.
    RoomsCreate,
    /// HMAC, `GET`.
    RoomsGet,
    /// HMAC, merge-patch `PATCH` without repeatability headers.
    RoomsUpdate,
    /// HMAC, `DELETE`.
    RoomsDelete,
    /// HMAC, `POST` with the standard repeatability headers.
    CallCreate,
    /// HMAC, `GET`.
    CallGet,
    /// HMAC, `DELETE`.
    CallHangup,
    /// HMAC, `POST` without repeatability headers.
    CallCancelMedia,
}

const OPS: [Op; 12] = [
    Op::ChatCreateThread,
    Op::ChatSendReadReceipt,
    Op::ChatGetThread,
    Op::ChatUpdateThread,
    Op::RoomsCreate,
    Op::RoomsGet,
    Op::RoomsUpdate,
    Op::RoomsDelete,
    Op::CallCreate,
    Op::CallGet,
    Op::CallHangup,
    Op::CallCancelMedia,
];

fn from_json<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the request body is valid")
}

impl Op {
    /// Whether the operation may be sent again once it may have reached the service: every
    /// one but a `POST` without a repeatability request ID.
    fn resendable(self) -> bool {
        // POSTs without a repeatability request ID; the PATCHes (chat thread and room updates)
        // are JSON merge-patches, which are idempotent and so retried.
        !matches!(self, Op::ChatSendReadReceipt | Op::CallCancelMedia)
    }

    /// Calls the operation on a fresh client for `endpoint`; `Ok` when the call succeeded
    /// (whatever the body).
    async fn call(
        self,
        endpoint: String,
        client_options: ClientOptions,
        context: Context<'static>,
    ) -> azure_core::Result<()> {
        let method_options = ClientMethodOptions { context };
        let endpoint = endpoint.as_str();
        let chat = || {
            let options = ChatClientOptions {
                client_options: wire::plain_http(client_options.clone()),
                ..Default::default()
            };
            ChatClient::new(endpoint, wire::user_token(), Some(options))
                .expect("the chat client builds")
        };
        let rooms = || {
            let options =
                RoomsClientOptions { client_options: client_options.clone(), ..Default::default() };
            RoomsClient::new(endpoint, wire::access_key(), Some(options))
                .expect("the rooms client builds")
        };
        let calls = || {
            let options = CallAutomationClientOptions {
                client_options: client_options.clone(),
                ..Default::default()
            };
            CallAutomationClient::new(endpoint, wire::access_key(), Some(options))
                .expect("the call automation client builds")
        };
        const THREAD: &str = "19:meeting_thread@thread.v2";
        const ROOM: &str = "99117812428622880";
        const CALL: &str = "421f0b00-0000-4000-8000-000000000001";
        match self {
            Op::ChatCreateThread => chat()
                .create_chat_thread(
                    &from_json(json!({ "topic": "Lunch" })),
                    Some(chat::CreateChatThreadOptions { method_options, ..Default::default() }),
                )
                .await
                .map(drop),
            Op::ChatSendReadReceipt => chat()
                .chat_thread_client(THREAD)
                .send_chat_read_receipt(
                    &from_json(json!({ "chatMessageId": "1592435762364" })),
                    Some(chat::SendChatReadReceiptOptions { method_options }),
                )
                .await
                .map(drop),
            Op::ChatGetThread => chat()
                .chat_thread_client(THREAD)
                .get_chat_thread_properties(Some(chat::GetChatThreadPropertiesOptions {
                    method_options,
                }))
                .await
                .map(drop),
            Op::ChatUpdateThread => chat()
                .chat_thread_client(THREAD)
                .update_chat_thread_properties(
                    &from_json(json!({ "topic": "Dinner" })),
                    Some(chat::UpdateChatThreadPropertiesOptions { method_options }),
                )
                .await
                .map(drop),
            Op::RoomsCreate => rooms()
                .create_room(
                    &from_json(json!({})),
                    Some(rooms::CreateRoomOptions { method_options, ..Default::default() }),
                )
                .await
                .map(drop),
            Op::RoomsGet => rooms()
                .get_room(ROOM, Some(rooms::GetRoomOptions { method_options }))
                .await
                .map(drop),
            Op::RoomsUpdate => rooms()
                .update_room(
                    ROOM,
                    &from_json(json!({ "pstnDialOutEnabled": true })),
                    Some(rooms::UpdateRoomOptions { method_options }),
                )
                .await
                .map(drop),
            Op::RoomsDelete => rooms()
                .delete_room(ROOM, Some(rooms::DeleteRoomOptions { method_options }))
                .await
                .map(drop),
            Op::CallCreate => calls()
                .create_call(
                    &from_json(json!({
                        "source": { "identifier": { "rawId": "8:acs:resource_source" } },
                        "targets": [{ "rawId": "4:+14250123456" }],
                        "callbackUri": "https://app.contoso.com/callback"
                    })),
                    Some(callautomation::CreateCallOptions {
                        method_options,
                        ..Default::default()
                    }),
                )
                .await
                .map(drop),
            Op::CallGet => calls()
                .call_connection_client(CALL)
                .get_call(Some(callautomation::GetCallOptions { method_options }))
                .await
                .map(drop),
            Op::CallHangup => calls()
                .call_connection_client(CALL)
                .hangup_call(Some(callautomation::HangupCallOptions { method_options }))
                .await
                .map(drop),
            Op::CallCancelMedia => calls()
                .call_media_client(CALL)
                .cancel_all_media_operations(Some(
                    callautomation::CancelAllMediaOperationsOptions { method_options },
                ))
                .await
                .map(drop),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Client options
// ---------------------------------------------------------------------------------------------

/// Counts the tries of a call (a per-try policy: it sees every retry).
#[derive(Debug, Default)]
struct CountTries(AtomicUsize);

#[async_trait::async_trait]
impl Policy for CountTries {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        self.0.fetch_add(1, Ordering::SeqCst);
        next[0].send(ctx, request, &next[1..]).await
    }
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

fn with_policy(mut options: ClientOptions, per_call: Arc<dyn Policy>) -> ClientOptions {
    options.per_call_policies.push(per_call);
    options
}

fn timeout_after(timeout: Duration) -> Arc<dyn Policy> {
    Arc::new(CallLimits::new().with_timeout(timeout))
}

/// A `reqwest` transport that gives up on a try after `timeout` (body included).
fn reqwest_transport(timeout: Duration) -> Transport {
    let client = reqwest::Client::builder().timeout(timeout).build().expect("reqwest builds");
    Transport::new(Arc::new(client))
}

/// Runs `check` for every operation at once, each against its own server from `serve`.
async fn for_every_op<S, SF, C, CF>(serve: S, check: C)
where
    S: Fn(Op) -> SF,
    SF: std::future::Future<Output = String>,
    C: Fn(Op, String) -> CF,
    CF: std::future::Future<Output = ()>,
{
    let mut endpoints = Vec::new();
    for op in OPS {
        endpoints.push(serve(op).await);
    }
    join_all(OPS.into_iter().zip(endpoints).map(|(op, endpoint)| check(op, endpoint))).await;
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 server that misbehaves
// ---------------------------------------------------------------------------------------------

/// What the raw server does once it has read a request.
#[derive(Clone, Debug)]
enum Fault {
    /// Resets the connection without answering.
    ResetAfterRequest,
    /// Sends `200` headers announcing 200 bytes, 100 of them, then resets the connection.
    ResetMidBody,
    /// Never answers (keeps the connection open).
    Silent,
    /// Sends a `200` response one byte every `every`; the headers too when `headers` is true,
    /// else the headers at once and then the body.
    Dribble { every: Duration, headers: bool },
    /// Sends `status` with a body of `length` bytes as fast as the client reads, with a
    /// `Content-Length` when `announce`, else chunked.
    Huge { status: u16, length: u64, announce: bool },
}

struct RawServer {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    written: Arc<AtomicU64>,
}

impl RawServer {
    async fn start(fault: Fault) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds a loopback port");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let written = Arc::new(AtomicU64::new(0));
        let (r, w) = (requests.clone(), written.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (fault, r, w) = (fault.clone(), r.clone(), w.clone());
                tokio::spawn(async move { serve(stream, fault, r, w).await });
            }
        });
        Self { addr, requests, written }
    }

    fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn written(&self) -> u64 {
        self.written.load(Ordering::SeqCst)
    }
}

/// Reads one request (headers and `Content-Length` body); false when the client went away.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return true;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn write_counted(stream: &mut TcpStream, bytes: &[u8], written: &AtomicU64) -> bool {
    let ok = stream.write_all(bytes).await.is_ok();
    if ok {
        written.fetch_add(bytes.len() as u64, Ordering::SeqCst);
    }
    ok
}

fn reset(stream: TcpStream) {
    // SO_LINGER 0: closing sends RST, not FIN.
    let _ = stream.set_zero_linger();
    drop(stream);
}

async fn serve(
    mut stream: TcpStream,
    fault: Fault,
    requests: Arc<AtomicUsize>,
    written: Arc<AtomicU64>,
) {
    if !read_request(&mut stream).await {
        return;
    }
    requests.fetch_add(1, Ordering::SeqCst);
    const JSON_200: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n";
    match fault {
        Fault::ResetAfterRequest => reset(stream),
        Fault::ResetMidBody => {
            let response = format!("{JSON_200}content-length: 200\r\n\r\n{}", "x".repeat(100));
            write_counted(&mut stream, response.as_bytes(), &written).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
            reset(stream);
        }
        Fault::Silent => {
            // Hold the connection until the test (and its runtime) ends.
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Fault::Dribble { every, headers } => {
            let head = format!("{JSON_200}content-length: 100000\r\n\r\n");
            if !headers && !write_counted(&mut stream, head.as_bytes(), &written).await {
                return;
            }
            let dribbled = if headers { head.into_bytes() } else { Vec::new() };
            for byte in dribbled.into_iter().chain(std::iter::repeat_n(b' ', 100_000)) {
                tokio::time::sleep(every).await;
                if !write_counted(&mut stream, &[byte], &written).await {
                    return;
                }
            }
        }
        Fault::Huge { status, length, announce } => {
            let framing = if announce {
                format!("content-length: {length}")
            } else {
                "transfer-encoding: chunked".to_owned()
            };
            let head = format!(
                "HTTP/1.1 {status} Whatever\r\ncontent-type: application/json\r\n{framing}\r\n\r\n"
            );
            if !write_counted(&mut stream, head.as_bytes(), &written).await {
                return;
            }
            let piece = vec![b'7'; 64 * 1024];
            let mut left = length;
            while left > 0 {
                let n = left.min(piece.len() as u64) as usize;
                let ok = if announce {
                    write_counted(&mut stream, &piece[..n], &written).await
                } else {
                    let mut framed = format!("{n:x}\r\n").into_bytes();
                    framed.extend_from_slice(&piece[..n]);
                    framed.extend_from_slice(b"\r\n");
                    write_counted(&mut stream, &framed, &written).await
                };
                if !ok {
                    return;
                }
                left -= n as u64;
            }
            if !announce {
                write_counted(&mut stream, b"0\r\n\r\n", &written).await;
            }
        }
    }
}

/// An endpoint where nothing listens.
async fn refused_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

fn limit_error(error: &azure_core::Error) -> &LimitError {
    LimitError::from_error(error).unwrap_or_else(|| panic!("not a limit error: {error:?}"))
}

// ---------------------------------------------------------------------------------------------
// Connection faults
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_is_retried_to_the_limit_then_a_connection_error() {
    for_every_op(
        |_| refused_endpoint(),
        |op, endpoint| async move {
            let tries = Arc::new(CountTries::default());
            let mut options = fixed_retries(2);
            options.per_try_policies.push(tries.clone());
            let started = Instant::now();

            let error = op.call(endpoint, options, Context::new()).await.expect_err("refused");

            // Nothing reached a server, so even a non-repeatable request is tried again.
            assert_eq!(error.kind(), &ErrorKind::Connection, "{op:?}: {error:?}");
            assert_eq!(tries.0.load(Ordering::SeqCst), 3, "{op:?}: one try and two retries");
            assert!(started.elapsed() < Duration::from_secs(5), "{op:?}");
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_reset_mid_body_is_an_io_error_and_not_retried() {
    let servers: Vec<RawServer> =
        join_all(OPS.map(|_| RawServer::start(Fault::ResetMidBody))).await;
    let results = join_all(
        OPS.iter()
            .zip(&servers)
            .map(|(op, server)| op.call(server.endpoint(), fixed_retries(3), Context::new())),
    )
    .await;
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        let error = result.expect_err("the body was cut");
        assert_eq!(error.kind(), &ErrorKind::Io, "{op:?}: {error:?}");
        // The status had arrived: the retry policy had already handed the response over.
        assert_eq!(server.requests(), 1, "{op:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_may_have_reached_the_server_is_resent_only_when_repeatable() {
    let servers: Vec<RawServer> =
        join_all(OPS.map(|_| RawServer::start(Fault::ResetAfterRequest))).await;
    let results = join_all(
        OPS.iter()
            .zip(&servers)
            .map(|(op, server)| op.call(server.endpoint(), fixed_retries(3), Context::new())),
    )
    .await;
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        let error = result.expect_err("the connection was reset");
        assert_eq!(error.kind(), &ErrorKind::Io, "{op:?}: {error:?}");
        let expected = if op.resendable() { 4 } else { 1 };
        assert_eq!(server.requests(), expected, "{op:?}: requests the server read");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_read_receipt_is_sent_exactly_once_when_the_connection_drops_after_the_request() {
    let server = RawServer::start(Fault::ResetAfterRequest).await;
    let tries = Arc::new(CountTries::default());
    let mut options = fixed_retries(5);
    options.per_try_policies.push(tries.clone());

    let error = Op::ChatSendReadReceipt
        .call(server.endpoint(), options, Context::new())
        .await
        .expect_err("reset");

    assert_eq!(server.requests(), 1, "the read receipt must not be sent twice");
    assert_eq!(tries.0.load(Ordering::SeqCst), 1);
    assert_eq!(error.kind(), &ErrorKind::Io, "{error:?}");
    assert!(!error.to_string().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retryable_status_is_resent_only_when_repeatable() {
    let body = json!({ "error": { "code": "ServiceUnavailable", "message": "Try later." } });
    let servers: Vec<MockServer> = join_all(OPS.map(|_| async {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(
                ResponseTemplate::new(503)
                    .insert_header("retry-after-ms", "5")
                    .set_body_json(&body),
            )
            .mount(&server)
            .await;
        server
    }))
    .await;
    let results = join_all(
        OPS.iter()
            .zip(&servers)
            .map(|(op, server)| op.call(server.uri(), fixed_retries(3), Context::new())),
    )
    .await;
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        let error = result.expect_err("503");
        let service = ServiceError::from_error(&error).expect("a service error");
        assert_eq!(u16::from(service.status()), 503, "{op:?}");
        assert_eq!(service.code(), Some("ServiceUnavailable"), "{op:?}");
        let received = server.received_requests().await.unwrap().len();
        assert_eq!(received, if op.resendable() { 4 } else { 1 }, "{op:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Servers that do not answer, or answer too slowly
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_ends_in_a_timeout_error_within_the_timeout() {
    let timeout = Duration::from_millis(600);
    for_every_op(
        |_| async { RawServer::start(Fault::Silent).await.endpoint() },
        |op, endpoint| async move {
            let started = Instant::now();
            let options = with_policy(fixed_retries(3), timeout_after(timeout));

            let error = op.call(endpoint, options, Context::new()).await.expect_err("silence");

            let elapsed = started.elapsed();
            assert_eq!(limit_error(&error), &LimitError::TimedOut { timeout }, "{op:?}");
            assert_eq!(error.kind(), &ErrorKind::Io, "{op:?}");
            assert!(error.to_string().contains("timeout"), "{op:?}: {error}");
            assert!(elapsed >= timeout, "{op:?}: {elapsed:?}");
            assert!(elapsed < timeout + Duration::from_secs(2), "{op:?}: {elapsed:?}");
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_in_the_call_context_wins_over_the_clients() {
    let server = RawServer::start(Fault::Silent).await;
    let client_wide = with_policy(fixed_retries(3), timeout_after(Duration::from_secs(30)));
    let per_call = CallLimits::new().with_timeout(Duration::from_millis(300));
    let started = Instant::now();

    let error = Op::RoomsGet
        .call(server.endpoint(), client_wide, Context::new().with_value(per_call))
        .await
        .expect_err("silence");

    let timeout = Duration::from_millis(300);
    assert_eq!(limit_error(&error), &LimitError::TimedOut { timeout });
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reqwest_transport_timeout_bounds_every_try() {
    let timeout = Duration::from_millis(400);
    let servers: Vec<RawServer> = join_all(OPS.map(|_| RawServer::start(Fault::Silent))).await;
    let started = Instant::now();
    let results = join_all(OPS.iter().zip(&servers).map(|(op, server)| {
        let options =
            ClientOptions { transport: Some(reqwest_transport(timeout)), ..fixed_retries(2) };
        op.call(server.endpoint(), options, Context::new())
    }))
    .await;
    let elapsed = started.elapsed();
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        let error = result.expect_err("silence");
        assert_eq!(error.kind(), &ErrorKind::Io, "{op:?}: {error:?}");
        // A timed-out try may have reached the server: only repeatable requests are resent.
        assert_eq!(server.requests(), if op.resendable() { 3 } else { 1 }, "{op:?}");
    }
    assert!(elapsed < 3 * timeout + Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowloris_responses_are_bounded_by_the_timeout() {
    let timeout = Duration::from_millis(700);
    for headers in [false, true] {
        for_every_op(
            |_| async move {
                let fault = Fault::Dribble { every: Duration::from_millis(20), headers };
                RawServer::start(fault).await.endpoint()
            },
            |op, endpoint| async move {
                let started = Instant::now();
                let options = with_policy(fixed_retries(3), timeout_after(timeout));

                let error = op.call(endpoint, options, Context::new()).await.expect_err("slow");

                let elapsed = started.elapsed();
                assert_eq!(limit_error(&error), &LimitError::TimedOut { timeout }, "{op:?}");
                assert!(elapsed < timeout + Duration::from_secs(2), "{op:?}: {elapsed:?}");
            },
        )
        .await;
    }
}

// ---------------------------------------------------------------------------------------------
// 429 storms
// ---------------------------------------------------------------------------------------------

async fn throttling_server(retry_after: (&'static str, &'static str)) -> MockServer {
    let server = MockServer::start().await;
    let body = json!({ "error": { "code": "TooManyRequests", "message": "Slow down." } });
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header(retry_after.0, retry_after.1)
                .set_body_json(body),
        )
        .mount(&server)
        .await;
    server
}

fn assert_throttled(op: Op, result: azure_core::Result<()>) {
    let error = result.expect_err("429");
    let service = ServiceError::from_error(&error)
        .unwrap_or_else(|| panic!("{op:?}: not a service error: {error:?}"));
    assert_eq!(u16::from(service.status()), 429, "{op:?}");
    assert_eq!(service.code(), Some("TooManyRequests"), "{op:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_stops_at_the_configured_retries_in_bounded_time() {
    let servers: Vec<MockServer> =
        join_all(OPS.map(|_| throttling_server(("retry-after-ms", "20")))).await;
    let started = Instant::now();
    let results = join_all(
        OPS.iter()
            .zip(&servers)
            .map(|(op, server)| op.call(server.uri(), fixed_retries(4), Context::new())),
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        assert_throttled(*op, result);
        let received = server.received_requests().await.unwrap().len();
        assert_eq!(received, if op.resendable() { 5 } else { 1 }, "{op:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_longer_than_the_limit_ends_the_call_with_the_429() {
    // A day: waiting for it would be a hang.
    let servers: Vec<MockServer> =
        join_all(OPS.map(|_| throttling_server(("Retry-After", "86400")))).await;
    let started = Instant::now();
    let results = join_all(
        OPS.iter()
            .zip(&servers)
            .map(|(op, server)| op.call(server.uri(), fixed_retries(4), Context::new())),
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        assert_throttled(*op, result);
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{op:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_ends_with_the_429_before_the_timeout() {
    let timeout = Duration::from_millis(1500);
    let servers: Vec<MockServer> =
        join_all(OPS.map(|_| throttling_server(("Retry-After", "1")))).await;
    let started = Instant::now();
    let results = join_all(OPS.iter().zip(&servers).map(|(op, server)| {
        op.call(
            server.uri(),
            with_policy(fixed_retries(50), timeout_after(timeout)),
            Context::new(),
        )
    }))
    .await;
    let elapsed = started.elapsed();
    assert!(elapsed < timeout + Duration::from_secs(1), "{elapsed:?}");
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        // A wait that would end past the timeout is not started: the 429 is the answer. How
        // many tries fit before that depends on how fast this machine answers (two on an idle
        // one), so only the bounds are fixed: one try at least, and no wait past the timeout.
        assert_throttled(*op, result);
        let received = server.received_requests().await.unwrap().len();
        let most = if op.resendable() { 2 } else { 1 };
        assert!((1..=most).contains(&received), "{op:?}: {received} tries");
    }
}

// ---------------------------------------------------------------------------------------------
// Huge bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_success_body_is_cut_at_the_default_limit() {
    const LENGTH: u64 = 256 * 1024 * 1024;
    let servers: Vec<RawServer> =
        join_all(OPS.map(|_| {
            RawServer::start(Fault::Huge { status: 200, length: LENGTH, announce: false })
        }))
        .await;
    let results = join_all(
        OPS.iter()
            .zip(&servers)
            .map(|(op, server)| op.call(server.endpoint(), wire::no_retries(), Context::new())),
    )
    .await;
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        let error = result.expect_err("too large");
        assert_eq!(
            limit_error(&error),
            &LimitError::BodyTooLarge {
                limit: DEFAULT_MAX_RESPONSE_BODY_BYTES,
                content_length: None
            },
            "{op:?}"
        );
        assert_eq!(error.kind(), &ErrorKind::Io);
        // The client stopped reading: the rest was never sent (socket buffers aside).
        let written = server.written();
        assert!(written < 64 * 1024 * 1024, "{op:?}: the server wrote {written} bytes");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_body_limit_is_configurable_and_an_announced_length_fails_at_once() {
    let limit = 64 * 1024;
    for announce in [false, true] {
        for_every_op(
            |_| async move {
                let fault = Fault::Huge { status: 200, length: 1 << 30, announce };
                RawServer::start(fault).await.endpoint()
            },
            |op, endpoint| async move {
                let limits = CallLimits::new().with_max_response_body_bytes(limit);
                let options = with_policy(wire::no_retries(), Arc::new(limits));
                let started = Instant::now();

                let error = op.call(endpoint, options, Context::new()).await.expect_err("large");

                let expected =
                    LimitError::BodyTooLarge { limit, content_length: announce.then_some(1 << 30) };
                assert_eq!(limit_error(&error), &expected, "{op:?}");
                assert!(error.to_string().contains("larger than the limit"), "{error}");
                assert!(started.elapsed() < Duration::from_secs(5), "{op:?}");
            },
        )
        .await;
    }
    // A larger limit than the default is honoured too.
    let server =
        RawServer::start(Fault::Huge { status: 200, length: 20 << 20, announce: true }).await;
    let limits = CallLimits::new().with_max_response_body_bytes(32 << 20);
    let result = Op::RoomsGet
        .call(server.endpoint(), wire::no_retries(), Context::new().with_value(limits))
        .await;
    // 20 MiB of '7' is read in full, then fails to parse as a room: not a limit error.
    if let Err(error) = result {
        assert!(LimitError::from_error(&error).is_none(), "{error:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_error_body_keeps_the_status_and_is_not_read_to_the_end() {
    const LENGTH: u64 = 256 * 1024 * 1024;
    let servers: Vec<RawServer> =
        join_all(OPS.map(|_| {
            RawServer::start(Fault::Huge { status: 400, length: LENGTH, announce: false })
        }))
        .await;
    let results = join_all(
        OPS.iter()
            .zip(&servers)
            .map(|(op, server)| op.call(server.endpoint(), wire::no_retries(), Context::new())),
    )
    .await;
    for ((op, server), result) in OPS.iter().zip(&servers).zip(results) {
        let error = result.expect_err("400");
        let service = ServiceError::from_error(&error).expect("a service error");
        assert_eq!(u16::from(service.status()), 400, "{op:?}");
        assert!(service.to_string().contains("too large or cut short"), "{service}");
        let written = server.written();
        assert!(written < 64 * 1024 * 1024, "{op:?}: the server wrote {written} bytes");
    }
}
