//! Testing code that uses the clients without the service (feature `test-util`).
//!
//! A [`ScriptedTransport`] takes the place of the HTTP client at the end of the azure_core
//! pipeline: everything before it still runs (client request ID, user agent, retries, signing
//! or bearer authorization, logging, tracing), and it answers each request with the next
//! response scripted for the request's operation, and records the request.
//!
//! An operation is named by its key in the service's spec (`"getRoom"`, as in the method's
//! span name), or by its full API name with the client type (`"RoomsClient.getRoom"`), which
//! wins when both are scripted. Each scripted response answers one request (one try: a retried
//! call takes one response per try); a request whose operation has no response left fails with
//! an error that names the operation, so a test never reaches the network. The polls of a
//! long-running operation's status monitor belong to that operation (`"send"` answers
//! `begin_send`'s first request, then its polls, in order).
//!
//! ```
//! use azure_communication_runtime::test_util::{ScriptedResponse, ScriptedTransport};
//!
//! let transport = ScriptedTransport::new();
//! transport
//!     .respond("getRoom", ScriptedResponse::json(200, &serde_json::json!({ "id": "r1" })))
//!     .respond("deleteRoom", ScriptedResponse::new(204));
//! // Build the client with `transport.client_options()` (or `transport.install(options)`),
//! // run the code under test, then look at `transport.requests()`.
//! let options = transport.client_options();
//! assert!(options.transport.is_some());
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use azure_core::error::ErrorKind;
use azure_core::http::headers::{HeaderName, HeaderValue, Headers};
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::request::Body;
use azure_core::http::{AsyncRawResponse, ClientOptions, Context, Method, Request, StatusCode};
use azure_core::http::{Transport, Url};
use azure_core::Bytes;
use serde::de::DeserializeOwned;

use crate::instrumentation::ApiName;

/// What a request's `Authorization` value is replaced with after its scheme.
pub const REDACTED: &str = "REDACTED";

/// A transport that answers requests from a script, per operation, and records them.
///
/// Cloning gives another handle on the same script and record, so a test keeps one while the
/// client owns the options.
#[derive(Clone, Default)]
pub struct ScriptedTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// The responses still to give, by operation name as scripted.
    scripts: BTreeMap<String, VecDeque<ScriptedResponse>>,
    requests: Vec<SentRequest>,
}

impl ScriptedTransport {
    /// An empty script: every request fails until a response is scripted for its operation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `response` to those `operation` answers with, in order. `operation` is the spec's
    /// operation key (`"getRoom"`) or the full API name (`"RoomsClient.getRoom"`).
    pub fn respond(&self, operation: &str, response: ScriptedResponse) -> &Self {
        self.lock().scripts.entry(operation.to_owned()).or_default().push_back(response);
        self
    }

    /// Client options whose transport is this script (and azure_core's defaults otherwise).
    pub fn client_options(&self) -> ClientOptions {
        self.install(ClientOptions::default())
    }

    /// `options` with this script as their transport; retries, policies and instrumentation
    /// stay as they are.
    pub fn install(&self, options: ClientOptions) -> ClientOptions {
        let policy: Arc<dyn Policy> = Arc::new(ScriptedPolicy { state: self.state.clone() });
        ClientOptions { transport: Some(Transport::with_policy(policy)), ..options }
    }

    /// Every request received so far, in order (one per try).
    pub fn requests(&self) -> Vec<SentRequest> {
        self.lock().requests.clone()
    }

    /// The requests received so far for `operation` (key or full API name).
    pub fn requests_for(&self, operation: &str) -> Vec<SentRequest> {
        self.lock().requests.iter().filter(|r| r.is_operation(operation)).cloned().collect()
    }

    /// The scripted responses not used yet, by operation as scripted (operations with none
    /// left are omitted): a test can assert that its code made every call it expected.
    pub fn unused(&self) -> BTreeMap<String, usize> {
        self.lock()
            .scripts
            .iter()
            .filter(|(_, left)| !left.is_empty())
            .map(|(operation, left)| (operation.clone(), left.len()))
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not hide what was recorded from the others.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for ScriptedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ScriptedTransport")
            .field("scripted", &state.scripts.iter().map(|(k, v)| (k, v.len())).collect::<Vec<_>>())
            .field("requests", &state.requests.len())
            .finish()
    }
}

/// One scripted answer: a status, headers and a body.
#[derive(Clone)]
pub struct ScriptedResponse {
    status: StatusCode,
    headers: Headers,
    body: Bytes,
}

impl ScriptedResponse {
    /// A response with `status` (e.g. `204`) and no body.
    pub fn new(status: u16) -> Self {
        Self { status: StatusCode::from(status), headers: Headers::new(), body: Bytes::new() }
    }

    /// A response with `status` and `body` as JSON (`content-type: application/json`); a
    /// model is `serde_json::to_value(&model)?`.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        // A `Value` always serializes.
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        Self::new(status).with_header("content-type", "application/json").with_body(bytes)
    }

    /// A Communication Services error response: `status` with the body
    /// `{"error":{"code":…,"message":…}}` and the `x-ms-error-code` header.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let body = serde_json::json!({ "error": { "code": code, "message": message } });
        Self::json(status, &body).with_header("x-ms-error-code", code.to_owned())
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.insert(HeaderName::from_static(name), HeaderValue::from(value.into()));
        self
    }

    /// Replaces the body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl fmt::Debug for ScriptedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptedResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// A request as the transport received it, after every policy of the pipeline.
#[derive(Clone)]
pub struct SentRequest {
    /// The full API name (`RoomsClient.getRoom`) of the call, if the request carried one.
    pub api_name: Option<&'static str>,
    /// The HTTP method.
    pub method: Method,
    /// The URL, with the query (`api-version` included).
    pub url: Url,
    /// The headers, lower-case names sorted, with the credential of `authorization` replaced
    /// by [`REDACTED`] after its scheme (`HMAC-SHA256 REDACTED`, `Bearer REDACTED`).
    pub headers: Vec<(String, String)>,
    /// The body (empty when there is none).
    pub body: Bytes,
}

impl SentRequest {
    /// The operation key of the spec (`getRoom`), if the request carried an API name.
    pub fn operation(&self) -> Option<&'static str> {
        self.api_name.map(|name| ApiName::new(name).operation())
    }

    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The body read as JSON.
    ///
    /// # Errors
    ///
    /// An error of kind [`ErrorKind::DataConversion`] when the body is not that JSON.
    pub fn json<T: DeserializeOwned>(&self) -> azure_core::Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| azure_core::Error::new(ErrorKind::DataConversion, e))
    }

    fn is_operation(&self, operation: &str) -> bool {
        self.api_name == Some(operation) || self.operation() == Some(operation)
    }
}

impl fmt::Debug for SentRequest {
    // The URL and body may carry personal data (user ids, message content): not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SentRequest")
            .field("api_name", &self.api_name)
            .field("method", &self.method)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// The error of a request that no scripted response answers.
///
/// azure_core's retry policy wraps it ("non-transport error occurred which will not be
/// retried"): it is the error's source, and `{:?}` of the error (as `unwrap()` prints it) shows
/// it. [`NotScripted::find`] looks for it in an error's chain.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotScripted {
    /// The full API name of the request (`RoomsClient.getRoom`), if it carried one.
    pub api_name: Option<&'static str>,
    /// The HTTP method.
    pub method: Method,
}

impl NotScripted {
    /// The `NotScripted` error in `error` or its sources.
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a NotScripted> {
        let mut current = Some(error);
        while let Some(error) = current {
            if let Some(found) = error.downcast_ref::<NotScripted>() {
                return Some(found);
            }
            current = error.source();
        }
        None
    }
}

impl fmt::Display for NotScripted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.api_name.map(ApiName::new) {
            Some(name) => write!(
                f,
                "ScriptedTransport: no scripted response left for operation `{}` ({name}, {}); \
                 script one with `respond(\"{}\", ScriptedResponse::…)`",
                name.operation(),
                self.method,
                name.operation()
            ),
            None => write!(
                f,
                "ScriptedTransport: a {} request without an operation name; only the methods \
                 of the generated clients name their operation",
                self.method
            ),
        }
    }
}

// What `unwrap()` prints: the message, which says what to script.
impl fmt::Debug for NotScripted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NotScripted").field(&format_args!("{self}")).finish()
    }
}

impl std::error::Error for NotScripted {}

/// The pipeline's last policy for a [`ScriptedTransport`].
struct ScriptedPolicy {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for ScriptedPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptedPolicy").finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl Policy for ScriptedPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        _next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let api_name = ctx.value::<ApiName>().copied();
        let sent = record(api_name, request);
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.requests.push(sent);
        let response = api_name.and_then(|api_name| {
            [api_name.as_str(), api_name.operation()]
                .into_iter()
                .find_map(|key| state.scripts.get_mut(key).and_then(VecDeque::pop_front))
        });
        match response {
            Some(response) => {
                Ok(AsyncRawResponse::from_bytes(response.status, response.headers, response.body))
            }
            None => Err(azure_core::Error::new(
                ErrorKind::Other,
                NotScripted { api_name: api_name.map(|n| n.as_str()), method: request.method() },
            )),
        }
    }
}

fn record(api_name: Option<ApiName>, request: &Request) -> SentRequest {
    let mut headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_ascii_lowercase();
            let value = if name == "authorization" {
                redact_credential(value.as_str())
            } else {
                value.as_str().to_owned()
            };
            (name, value)
        })
        .collect();
    headers.sort();
    let body = match request.body() {
        Body::Bytes(bytes) => bytes.clone(),
        // Generated clients send buffered JSON only.
        Body::SeekableStream(_) => Bytes::new(),
    };
    SentRequest {
        api_name: api_name.map(|name| name.as_str()),
        method: request.method(),
        url: request.url().clone(),
        headers,
        body,
    }
}

/// `HMAC-SHA256 Credential=…&Signature=…` → `HMAC-SHA256 REDACTED`.
fn redact_credential(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} {REDACTED}"),
        None => REDACTED.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::http::{Pipeline, RetryOptions};

    fn pipeline(transport: &ScriptedTransport) -> Pipeline {
        let options = ClientOptions { retry: RetryOptions::none(), ..transport.client_options() };
        Pipeline::new(Some("test"), Some("0"), options, Vec::new(), Vec::new(), None)
    }

    fn get(path: &str) -> Request {
        let mut request =
            Request::new(Url::parse(&format!("https://x.example{path}")).unwrap(), Method::Get);
        request.insert_header("authorization", "Bearer secret-token");
        request
    }

    #[tokio::test]
    async fn answers_by_operation_key_then_fails_naming_the_operation() {
        let transport = ScriptedTransport::new();
        transport.respond("getRoom", ScriptedResponse::json(200, &serde_json::json!({"id": 1})));
        let pipeline = pipeline(&transport);
        let ctx = Context::new().with_value(ApiName::new("RoomsClient.getRoom"));

        let response = pipeline.send(&ctx, &mut get("/rooms/1"), None).await.unwrap();
        assert_eq!(response.status(), StatusCode::Ok);
        let error = pipeline.send(&ctx, &mut get("/rooms/1"), None).await.unwrap_err();
        let not_scripted = NotScripted::find(&error).unwrap();
        assert_eq!(not_scripted.api_name, Some("RoomsClient.getRoom"));
        let message = not_scripted.to_string();
        assert!(message.contains("`getRoom`"), "{message}");
        assert!(!message.contains("/rooms/1"), "{message}");

        let requests = transport.requests_for("getRoom");
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].header("Authorization"), Some("Bearer REDACTED"));
        assert_eq!(requests[0].operation(), Some("getRoom"));
        assert!(transport.unused().is_empty());
    }

    #[tokio::test]
    async fn the_full_api_name_wins_over_the_operation_key() {
        let transport = ScriptedTransport::new();
        transport
            .respond("list", ScriptedResponse::new(200))
            .respond("ChatThreadClient.list", ScriptedResponse::new(204));
        let pipeline = pipeline(&transport);
        let ctx = Context::new().with_value(ApiName::new("ChatThreadClient.list"));
        let response = pipeline.send(&ctx, &mut get("/"), None).await.unwrap();
        assert_eq!(response.status(), StatusCode::NoContent);
        assert_eq!(transport.unused(), BTreeMap::from([("list".to_owned(), 1)]));
    }

    #[tokio::test]
    async fn a_request_without_an_operation_is_an_error() {
        let transport = ScriptedTransport::new();
        transport.respond("getRoom", ScriptedResponse::new(200));
        let error =
            pipeline(&transport).send(&Context::new(), &mut get("/"), None).await.unwrap_err();
        let not_scripted = NotScripted::find(&error).unwrap();
        assert!(not_scripted.to_string().contains("without an operation name"));
        assert_eq!(transport.requests().len(), 1);
    }

    #[test]
    fn debug_shows_no_body_or_url() {
        let response = ScriptedResponse::json(200, &serde_json::json!({"content": "hello there"}));
        assert!(!format!("{response:?}").contains("hello there"));
        let sent = record(Some(ApiName::new("A.b")), &get("/users/8:acs:someone"));
        let debug = format!("{sent:?}");
        assert!(!debug.contains("someone") && !debug.contains("secret-token"), "{debug}");
    }
}
