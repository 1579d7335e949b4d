//! Email's long-running send on a loopback server: `begin_send` returns azure_core's `Poller`,
//! which polls the status monitor the first answer names (`Operation-Location`) until the
//! status is terminal, waits as long as each `Retry-After` says, and ends in the final
//! `EmailSendResult`, a typed failure, or an error for a status monitor it must not poll.
//! `resume_send` picks an operation up by id. The recorded .NET session that polls through five
//! `Running` answers replays to the same end.

#![cfg(feature = "email")]

#[path = "replay_support/mod.rs"]
mod replay_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use azure_communication::email::{
    EmailClient, EmailClientOptions, EmailMessage, EmailSendResult, EmailSendStatus,
    ResumeSendOptions, SendOptions,
};
use azure_communication_runtime::lro::OperationFailed;
use azure_communication_test_support as support;
use azure_core::http::poller::{PollerOptions, PollerStatus, StatusMonitor};
use azure_core::http::{ClientOptions, FixedRetryOptions, RetryOptions};
use futures::TryStreamExt as _;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const API_VERSION: &str = "2023-03-31";

/// Answers requests with `answers` in order (the last one again once they run out) and keeps
/// when each request arrived.
#[derive(Clone)]
struct Sequence {
    answers: Arc<Vec<ResponseTemplate>>,
    seen: Arc<Mutex<Vec<Instant>>>,
}

impl Sequence {
    fn new(answers: Vec<ResponseTemplate>) -> Self {
        Self { answers: Arc::new(answers), seen: Arc::default() }
    }

    fn arrivals(&self) -> Vec<Instant> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

impl Respond for Sequence {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().expect("not poisoned");
        seen.push(Instant::now());
        let i = (seen.len() - 1).min(self.answers.len() - 1);
        self.answers[i].clone()
    }
}

fn status_body(status: &str) -> Value {
    json!({ "id": "op-1", "status": status })
}

fn answer(http_status: u16, body: Value, retry_after: Option<&str>) -> ResponseTemplate {
    let template = ResponseTemplate::new(http_status).set_body_json(body);
    match retry_after {
        Some(seconds) => template.insert_header("retry-after", seconds),
        None => template,
    }
}

fn status_url(server: &MockServer) -> String {
    format!("{}/emails/operations/op-1?api-version={API_VERSION}", server.uri())
}

/// The 202 answer to the send, naming the status monitor.
fn accepted(server: &MockServer, retry_after: &str) -> ResponseTemplate {
    answer(202, status_body("Running"), Some(retry_after))
        .insert_header("operation-location", status_url(server).as_str())
}

fn client(server: &MockServer, client_options: ClientOptions) -> EmailClient {
    let options = EmailClientOptions { client_options, ..Default::default() };
    EmailClient::new(&server.uri(), support::wire::access_key(), Some(options))
        .expect("the client builds")
}

fn message() -> EmailMessage {
    serde_json::from_value(json!({
        "senderAddress": "sender@contoso.example",
        "content": { "subject": "Hello", "plainText": "Hi there" },
        "recipients": { "to": [{ "address": "to@contoso.example" }] }
    }))
    .expect("a valid message")
}

/// Mounts the send (answered by `send`) and the status monitor (answered by `polls`), both
/// requiring a valid HMAC signature.
async fn mount(server: &MockServer, send: ResponseTemplate, polls: &Sequence) {
    Mock::given(method("POST"))
        .and(path("/emails:send"))
        .and(support::wire::ValidHmacSignature)
        .respond_with(send)
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/emails/operations/op-1"))
        .and(wiremock::matchers::query_param("api-version", API_VERSION))
        .and(support::wire::ValidHmacSignature)
        .respond_with(polls.clone())
        .mount(server)
        .await;
}

/// Sends `message()` with `begin_send` and awaits the poller.
async fn send_to_the_end(
    server: &MockServer,
    client_options: ClientOptions,
) -> azure_core::Result<azure_core::http::Response<EmailSendResult>> {
    client(server, client_options).begin_send(&message(), None).expect("the poller builds").await
}

#[tokio::test]
async fn polls_through_running_answers_to_the_final_result() {
    let server = MockServer::start().await;
    let polls = Sequence::new(vec![
        answer(200, status_body("NotStarted"), Some("0")),
        answer(200, status_body("Running"), Some("0")),
        answer(200, status_body("Succeeded"), None),
    ]);
    mount(&server, accepted(&server, "0"), &polls).await;

    let result = send_to_the_end(&server, support::wire::no_retries())
        .await
        .expect("the send succeeds")
        .into_model()
        .expect("a result");

    assert_eq!(result.status, EmailSendStatus::Succeeded);
    assert_eq!(result.id, "op-1");
    assert_eq!(polls.arrivals().len(), 3, "one poll per answer until the terminal one");
}

#[tokio::test]
async fn step_by_step_shows_every_status_then_awaits_the_result() {
    let server = MockServer::start().await;
    let polls = Sequence::new(vec![
        answer(200, status_body("Running"), Some("0")),
        answer(200, status_body("Succeeded"), None),
    ]);
    mount(&server, accepted(&server, "0"), &polls).await;

    let mut poller = client(&server, support::wire::no_retries())
        .begin_send(&message(), None)
        .expect("the poller builds");
    let mut statuses = Vec::new();
    while let Some(response) = poller.try_next().await.expect("each answer is a status") {
        let status = response.into_model().expect("a status body");
        statuses.push(status.status.clone());
        if status.status() != PollerStatus::InProgress {
            break;
        }
    }
    assert_eq!(
        statuses,
        [EmailSendStatus::Running, EmailSendStatus::Running, EmailSendStatus::Succeeded]
    );
    let result = poller.await.expect("the send succeeds").into_model().expect("a result");
    assert_eq!(result.status, EmailSendStatus::Succeeded);
}

#[tokio::test]
async fn each_status_is_handed_out_before_the_wait_for_the_next_poll() {
    let server = MockServer::start().await;
    let polls = Sequence::new(vec![answer(200, status_body("Succeeded"), None)]);
    mount_send_only(&server, accepted(&server, "30")).await;

    let mut poller = client(&server, support::wire::no_retries())
        .begin_send(&message(), None)
        .expect("the poller builds");
    // The answer says to poll again in 30 s; the caller sees it now and may stop here.
    let first = tokio::time::timeout(Duration::from_secs(10), poller.try_next())
        .await
        .expect("the first status comes without waiting for its Retry-After")
        .expect("a status")
        .expect("the first answer");
    assert_eq!(first.into_model().expect("a status body").status, EmailSendStatus::Running);
    drop(poller);
    assert!(polls.arrivals().is_empty(), "nothing was polled");
}

/// Mounts only the send: a poll would find no answer.
async fn mount_send_only(server: &MockServer, send: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/emails:send"))
        .respond_with(send)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_failed_send_is_a_typed_error_with_the_final_status() {
    let server = MockServer::start().await;
    let failed = json!({
        "id": "op-1",
        "status": "Failed",
        "error": { "code": "EmailDroppedAllRecipientsSuppressed", "message": "Message dropped" }
    });
    let polls = Sequence::new(vec![answer(200, failed, None)]);
    mount(&server, accepted(&server, "0"), &polls).await;

    let error = send_to_the_end(&server, support::wire::no_retries())
        .await
        .expect_err("a failed send is an error");

    let failure =
        OperationFailed::from_error(&error).expect("the error is the operation's failure");
    assert_eq!(failure.status(), &PollerStatus::Failed);
    assert_eq!(failure.code(), Some("EmailDroppedAllRecipientsSuppressed"));
    assert_eq!(failure.message(), Some("Message dropped"));
    let last: EmailSendResult = failure.body().expect("the final status body decodes");
    assert_eq!(last.status, EmailSendStatus::Failed);
    assert_eq!(
        last.error.and_then(|e| e.code).as_deref(),
        Some("EmailDroppedAllRecipientsSuppressed")
    );
    assert!(error.to_string().contains("EmailDroppedAllRecipientsSuppressed"), "{error}");
}

#[tokio::test]
async fn a_canceled_send_is_a_typed_error_too() {
    let server = MockServer::start().await;
    let polls = Sequence::new(vec![answer(200, status_body("Canceled"), None)]);
    mount(&server, accepted(&server, "0"), &polls).await;

    let error = send_to_the_end(&server, support::wire::no_retries())
        .await
        .expect_err("a canceled send is an error");
    let failure = OperationFailed::from_error(&error).expect("the operation's failure");
    assert_eq!(failure.status(), &PollerStatus::Canceled);
}

#[tokio::test]
async fn retry_after_is_waited_before_the_next_poll() {
    let server = MockServer::start().await;
    let send = Sequence::new(vec![accepted(&server, "1")]);
    let polls = Sequence::new(vec![answer(200, status_body("Succeeded"), None)]);
    Mock::given(method("POST")).respond_with(send.clone()).mount(&server).await;
    Mock::given(method("GET")).respond_with(polls.clone()).mount(&server).await;

    send_to_the_end(&server, support::wire::no_retries()).await.expect("the send succeeds");

    let (sent, polled) = (send.arrivals()[0], polls.arrivals()[0]);
    assert!(
        polled.duration_since(sent) >= Duration::from_secs(1),
        "the poll came {:?} after the send, before its Retry-After of 1 s",
        polled.duration_since(sent)
    );
}

#[tokio::test]
async fn a_poll_answered_429_is_retried_after_its_retry_after() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429)
        .insert_header("retry-after", "1")
        .set_body_json(json!({ "error": { "code": "TooManyRequests", "message": "Slow down" } }));
    let polls = Sequence::new(vec![throttled, answer(200, status_body("Succeeded"), None)]);
    mount(&server, accepted(&server, "0"), &polls).await;
    let retries = ClientOptions {
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(10),
            max_retries: 3,
            ..Default::default()
        }),
        ..Default::default()
    };

    let result = send_to_the_end(&server, retries)
        .await
        .expect("the send succeeds after the throttled poll")
        .into_model()
        .expect("a result");

    assert_eq!(result.status, EmailSendStatus::Succeeded);
    let arrivals = polls.arrivals();
    assert_eq!(arrivals.len(), 2, "the throttled poll is sent again, once");
    let gap = arrivals[1].duration_since(arrivals[0]);
    assert!(gap >= Duration::from_secs(1), "retried after {gap:?}, before its Retry-After of 1 s");
}

#[tokio::test]
async fn resume_send_polls_by_operation_id_without_sending_again() {
    let server = MockServer::start().await;
    let polls = Sequence::new(vec![
        answer(200, status_body("Running"), Some("0")),
        answer(200, status_body("Succeeded"), None),
    ]);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/emails/operations/op-1"))
        .and(wiremock::matchers::query_param("api-version", API_VERSION))
        .and(support::wire::ValidHmacSignature)
        .respond_with(polls.clone())
        .mount(&server)
        .await;

    let options = ResumeSendOptions {
        method_options: PollerOptions {
            frequency: azure_core::time::Duration::seconds(1),
            ..Default::default()
        },
    };
    let result = client(&server, support::wire::no_retries())
        .resume_send("op-1", Some(options))
        .expect("the poller builds")
        .await
        .expect("the send succeeds")
        .into_model()
        .expect("a result");
    assert_eq!(result.status, EmailSendStatus::Succeeded);
    assert_eq!(polls.arrivals().len(), 2);
}

#[tokio::test]
async fn a_status_monitor_on_another_host_is_never_polled() {
    let server = MockServer::start().await;
    // A listener that must receive nothing: polling it would hand it the signed request.
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let send = answer(202, status_body("Running"), Some("0")).insert_header(
        "operation-location",
        format!("{}/emails/operations/op-1", elsewhere.uri()).as_str(),
    );
    mount(&server, send, &Sequence::new(vec![ResponseTemplate::new(500)])).await;

    let error = send_to_the_end(&server, support::wire::no_retries())
        .await
        .expect_err("the foreign status monitor is an error");
    assert!(error.to_string().contains("not on the client's endpoint"), "{error}");
}

#[tokio::test]
async fn a_malformed_status_is_an_error_not_a_panic() {
    for body in [json!({ "id": "op-1", "status": 7 }), json!(["not", "an", "object"])] {
        let server = MockServer::start().await;
        mount(&server, accepted(&server, "0"), &Sequence::new(vec![answer(200, body, None)])).await;
        let error = send_to_the_end(&server, support::wire::no_retries())
            .await
            .expect_err("a malformed status is an error");
        assert!(error.to_string().contains("status of the long-running operation"), "{error}");
    }
}

#[tokio::test]
async fn the_recorded_send_polls_five_running_answers_to_success() {
    let file = "azure-sdk-for-net/email/SendSimpleEmailWithManualPollingForStatus.json";
    let recording = replay_support::load(file);
    let (first, polls) = recording.entries.split_first().expect("a recorded send");
    assert_eq!(first.method, "POST");
    let server = MockServer::start().await;
    // The recorded answers, with the status monitor moved onto the loopback server and the
    // recorded `Retry-After: 30` cut to 0 so that the test does not wait minutes.
    let served = |entry: &replay_support::Entry| {
        let body = entry.response_body.json("response").cloned().unwrap_or(Value::Null);
        let mut template = ResponseTemplate::new(entry.status).set_body_json(body);
        for (name, value) in &entry.response_headers {
            match name.to_ascii_lowercase().as_str() {
                "operation-location" => {
                    let moved = support::openapi::on_origin(value, &server.uri());
                    template = template.insert_header("operation-location", moved.as_str());
                }
                "retry-after" => template = template.insert_header("retry-after", "0"),
                _ => {}
            }
        }
        template
    };
    let status_path = polls[0].path.clone();
    let poll_answers = Sequence::new(polls.iter().map(served).collect());
    Mock::given(method("POST"))
        .and(path("/emails:send"))
        .respond_with(served(first))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(status_path.as_str()))
        .respond_with(poll_answers.clone())
        .mount(&server)
        .await;
    let message: EmailMessage =
        serde_json::from_value(first.request_body.json("request").cloned().expect("a body"))
            .expect("the recorded message is an EmailMessage");
    let options = SendOptions { operation_id: Some(uuid::Uuid::new_v4()), ..Default::default() };

    let result = client(&server, support::wire::no_retries())
        .begin_send(&message, Some(options))
        .expect("the poller builds")
        .await
        .expect("the recorded send succeeds")
        .into_model()
        .expect("a result");

    assert_eq!(result.status, EmailSendStatus::Succeeded);
    assert_eq!(poll_answers.arrivals().len(), polls.len(), "every recorded poll, no more");
    assert_eq!(polls.len(), 6, "five Running answers, then Succeeded");
}
