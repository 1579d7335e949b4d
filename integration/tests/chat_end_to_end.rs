//! The example `examples/chat_end_to_end.rs` run against one loopback server that plays both
//! services: Identity, which checks every request's access-key signature with the independent
//! verifier, and Chat, which accepts only the user's current token. Identity hands out tokens
//! that expire within the credential's refresh margin, so the credential must go back to
//! Identity (`issueAccessToken`) before each chat call; the server sees the order of the calls
//! and the token each chat call carried. Response bodies are those of the official examples,
//! with the tokens, expiries and ids of this session.

#![cfg(all(feature = "chat", feature = "identity"))]

#[allow(dead_code)]
#[path = "../examples/chat_end_to_end.rs"]
mod example;

use std::sync::atomic::{AtomicUsize, Ordering};

use azure_communication_test_support::openapi::Example;
use azure_communication_test_support::wire::{
    self, expected_path, JsonBody, PathPiece, ValidHmacSignature, ACCESS_KEY,
};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const IDENTITY_EXAMPLES: &str =
    "../shared/conformance/azure-rest-api-specs/identity/2023-10-01/examples";
const CHAT_EXAMPLES: &str = "../shared/conformance/azure-rest-api-specs/chat/2024-03-07/examples";

/// The success response of an official example file.
fn documented(file: &str) -> (Value, Vec<(String, String)>) {
    let example = Example::load(file);
    let response = example
        .responses()
        .iter()
        .find(|r| r.is_success())
        .unwrap_or_else(|| panic!("{file} documents a success"));
    (response.body.clone().unwrap_or(Value::Null), response.headers.clone())
}

/// An RFC 3339 time `from_now` from now, as the service writes `expiresOn`.
fn expires_in(from_now: Duration) -> String {
    (OffsetDateTime::now_utc() + from_now).format(&Rfc3339).unwrap()
}

/// The `issueAccessToken` responses in turn: `token-2` expiring in 5 minutes (still within the
/// 10-minute refresh margin, so the next chat call refreshes again), then `token-3` valid for
/// a day.
struct IssuedTokens {
    body: Value,
    calls: AtomicUsize,
}

impl Respond for IssuedTokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 2;
        let lifetime = if n == 2 { Duration::minutes(5) } else { Duration::hours(24) };
        let mut body = self.body.clone();
        body["token"] = json!(format!("token-{n}"));
        body["expiresOn"] = json!(expires_in(lifetime));
        ResponseTemplate::new(200).set_body_json(body)
    }
}

fn header_text(request: &Request, name: &str) -> String {
    request.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_connection_string_leads_to_a_user_a_refreshed_token_a_thread_and_a_message() {
    let server = MockServer::start().await;

    // Identity: the user, with a first `chat` token that expires in 2 minutes.
    let (mut created, _) = documented(&format!("{IDENTITY_EXAMPLES}/CreateIdentity.json"));
    let user_id = created["identity"]["id"].as_str().unwrap().to_owned();
    created["accessToken"]["token"] = json!("token-1");
    created["accessToken"]["expiresOn"] = json!(expires_in(Duration::minutes(2)));
    Mock::given(method("POST"))
        .and(path("/identities"))
        .and(query_param("api-version", "2023-10-01"))
        .and(ValidHmacSignature)
        .and(JsonBody::value(json!({ "createTokenWithScopes": ["chat"] })))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .expect(1)
        .mount(&server)
        .await;

    // Identity: new `chat` tokens for that user.
    let (issued, _) = documented(&format!("{IDENTITY_EXAMPLES}/IssueAccessToken.json"));
    let issue_path = expected_path(&[
        PathPiece::Literal("/identities/"),
        PathPiece::Param(&user_id),
        PathPiece::Literal("/:issueAccessToken"),
    ]);
    Mock::given(method("POST"))
        .and(path(issue_path.as_str()))
        .and(query_param("api-version", "2023-10-01"))
        .and(ValidHmacSignature)
        .and(JsonBody::value(json!({ "scopes": ["chat"] })))
        .respond_with(IssuedTokens { body: issued, calls: AtomicUsize::new(0) })
        .expect(2)
        .mount(&server)
        .await;

    // Chat: the thread, created by the user with the user as its participant, only with the
    // first refreshed token.
    let (mut thread, thread_headers) =
        documented(&format!("{CHAT_EXAMPLES}/Threads_CreateChatThread.json"));
    let thread_id = thread["chatThread"]["id"].as_str().unwrap().to_owned();
    let user = json!({ "rawId": user_id, "communicationUser": { "id": user_id } });
    thread["chatThread"]["topic"] = json!(example::TOPIC);
    thread["chatThread"]["createdByCommunicationIdentifier"] = user;
    thread.as_object_mut().unwrap().remove("invalidParticipants");
    let mut thread_response = ResponseTemplate::new(201).set_body_json(thread);
    for (name, value) in &thread_headers {
        thread_response = thread_response.insert_header(name.as_str(), value.as_str());
    }
    Mock::given(method("POST"))
        .and(path("/chat/threads"))
        .and(query_param("api-version", "2024-03-07"))
        .and(header("authorization", "Bearer token-2"))
        .and(JsonBody::value(json!({
            "topic": example::TOPIC,
            "participants": [{
                "communicationIdentifier": {
                    "kind": "communicationUser",
                    "rawId": user_id,
                    "communicationUser": { "id": user_id },
                },
                "displayName": example::DISPLAY_NAME,
            }],
        })))
        .respond_with(thread_response)
        .expect(1)
        .mount(&server)
        .await;

    // Chat: the message, only with the second refreshed token.
    let (message, message_headers) =
        documented(&format!("{CHAT_EXAMPLES}/Messages_SendChatMessage.json"));
    let message_id = message["id"].as_str().unwrap().to_owned();
    let mut message_response = ResponseTemplate::new(201).set_body_json(message);
    for (name, value) in &message_headers {
        message_response = message_response.insert_header(name.as_str(), value.as_str());
    }
    let messages_path = expected_path(&[
        PathPiece::Literal("/chat/threads/"),
        PathPiece::Param(&thread_id),
        PathPiece::Literal("/messages"),
    ]);
    Mock::given(method("POST"))
        .and(path(messages_path.as_str()))
        .and(query_param("api-version", "2024-03-07"))
        .and(header("authorization", "Bearer token-3"))
        .and(JsonBody::value(json!({
            "content": example::MESSAGE,
            "senderDisplayName": example::DISPLAY_NAME,
        })))
        .respond_with(message_response)
        .expect(1)
        .mount(&server)
        .await;

    let connection_string = format!("endpoint={}/;accesskey={ACCESS_KEY}", server.uri());
    let outcome = match example::run(&connection_string, wire::loopback()).await {
        Ok(outcome) => outcome,
        Err(error) => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            let received = server.received_requests().await.unwrap_or_default();
            let seen: Vec<String> = received
                .iter()
                .map(|r| format!("{} {} {}", r.method, r.url, String::from_utf8_lossy(&r.body)))
                .collect();
            panic!("the example failed: {text}\nrequests: {seen:#?}");
        }
    };

    assert_eq!(
        outcome,
        example::Outcome {
            user_id: user_id.clone(),
            thread_id: thread_id.clone(),
            message_id: message_id.clone(),
        }
    );
    let printed = outcome.to_string();
    assert_eq!(
        printed,
        format!("user: {user_id}\nthread: {thread_id}\nmessage: {message_id}"),
        "what the example prints"
    );

    // The order the server saw: each chat call comes right after the refresh that gave it its
    // token, and carries that token; Identity is only ever called with the access key.
    let received = server.received_requests().await.expect("requests are recorded");
    let calls: Vec<(String, String)> = received
        .iter()
        .map(|r| (format!("{} {}", r.method, r.url.path()), header_text(r, "authorization")))
        .collect();
    let expected = [
        ("POST /identities".to_owned(), None),
        (format!("POST {issue_path}"), None),
        ("POST /chat/threads".to_owned(), Some("Bearer token-2")),
        (format!("POST {issue_path}"), None),
        (format!("POST {messages_path}"), Some("Bearer token-3")),
    ];
    assert_eq!(calls.len(), expected.len(), "{calls:#?}");
    for ((call, authorization), (expected_call, bearer)) in calls.iter().zip(&expected) {
        assert_eq!(call, expected_call, "{calls:#?}");
        match bearer {
            Some(bearer) => assert_eq!(authorization, bearer, "{call}"),
            None => assert!(authorization.starts_with("HMAC-SHA256 "), "{call}: {authorization}"),
        }
    }
    for request in received.iter().filter(|r| r.url.path().starts_with("/identities")) {
        wire::verify_hmac(request, ACCESS_KEY).expect("every Identity call is signed");
    }
    assert!(
        received.iter().all(|r| header_text(r, "authorization") != "Bearer token-1"),
        "the expiring first token is never sent"
    );
}
