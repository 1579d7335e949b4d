//! The part of every generated client that does not depend on the operation: endpoint, API
//! version, URL building and the azure_core pipeline (retries, authentication, user agent,
//! client request ID, logging) plus error decoding.
//!
//! A generated operation does, in order:
//!
//! 1. `let url = core.url(&[PathPart::Literal("/rooms/"), PathPart::Param(room_id)])?;` then
//!    appends its other query pairs with `url.query_pairs_mut().append_pair(..)`;
//! 2. `let mut request = Request::new(url, Method::Post);` plus headers
//!    (`request.insert_header("content-type", "application/json")`) and the body
//!    (`request.set_json(&body)?`);
//! 3. [`repeatability::apply`](crate::repeatability::apply) if the operation is
//!    repeatable;
//! 4. `let raw = core.send(&options.method_options.context, &mut request).await?;`
//! 5. `Ok(raw.into())` to get an `azure_core::http::Response<T>` (JSON body, read with
//!    `into_model()`) or `Response<(), NoFormat>` (no body).
//!
//! Authentication is a per-try policy so every retry is signed (or authorized) anew:
//! [`HmacAuthenticationPolicy`] for access keys, [`BearerTokenPolicy`] for token credentials.
//!
//! Every call is bounded (response body size, `Retry-After` waits, optionally a timeout) and a
//! `POST`/`PATCH` without a repeatability request ID is never resent once it may have reached
//! the service: see [`limits`](crate::limits).

use crate::{
    connection_string::validate_endpoint,
    credential::{
        AccessKeyCredential, BearerCredential, CommunicationCredential, COMMUNICATION_SCOPE,
    },
    error::{ServiceError, MAX_ERROR_BODY_BYTES},
    hmac::HmacAuthenticationPolicy,
    limits::{
        content_length, header_str, read_body, unwrap_not_retried, within, BodyEnd, CallLimits,
        Deadline, LimitError, LimitsSlot, RetryGuard,
    },
};
use azure_core::{
    credentials::{AccessToken, TokenCredential, TokenRequestOptions},
    error::ErrorKind,
    http::{
        headers::{Header as _, HeaderValue, AUTHORIZATION, CLIENT_REQUEST_ID},
        policies::{Policy, PolicyResult},
        request::options::ClientRequestId,
        AsyncRawResponse, ClientMethodOptions, ClientOptions, Context, Pipeline,
        PipelineStreamOptions, RawResponse, Request, StatusCode, Url,
    },
    time::{Duration, OffsetDateTime},
    Bytes,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::{
    fmt,
    net::IpAddr,
    sync::{Arc, OnceLock},
    time::Instant,
};

/// Everything except the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How a client authenticates.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub enum Auth {
    /// Sign every try with the access key (HMAC-SHA256).
    AccessKey(AccessKeyCredential),
    /// Send `Authorization: Bearer <token>` obtained from the credential for the
    /// `https://communication.azure.com//.default` scope.
    Bearer(Arc<dyn TokenCredential>),
}

impl From<CommunicationCredential> for Auth {
    fn from(credential: CommunicationCredential) -> Self {
        match credential {
            CommunicationCredential::AccessKey(key) => Self::AccessKey(key),
            CommunicationCredential::TokenCredential(token) => Self::Bearer(token),
        }
    }
}

impl From<AccessKeyCredential> for Auth {
    fn from(credential: AccessKeyCredential) -> Self {
        Self::AccessKey(credential)
    }
}

impl From<Arc<dyn TokenCredential>> for Auth {
    fn from(credential: Arc<dyn TokenCredential>) -> Self {
        Self::Bearer(credential)
    }
}

impl From<BearerCredential> for Auth {
    fn from(credential: BearerCredential) -> Self {
        Self::Bearer(credential.0)
    }
}

/// One piece of a request path.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPart<'a> {
    /// Spec text, used as is (e.g. `"/chat/threads/"`). The first part should start with `/`.
    Literal(&'static str),
    /// A caller-supplied path parameter; every character except the RFC 3986 unreserved ones is
    /// percent-encoded (`19:a@thread.v2` → `19%3Aa%40thread.v2`).
    Param(&'a str),
}

/// The crate a client belongs to, named in the user agent as
/// `azsdk-rust-<name>/<version> (<platform>)`. Generated clients pass their own crate's
/// `CARGO_PKG_NAME` and `CARGO_PKG_VERSION`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Package {
    /// The crate name.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

/// The shared core of a generated client: endpoint, API version and pipeline.
///
/// Cloning is cheap (one `Arc`).
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    endpoint: Url,
    api_version: String,
    pipeline: Pipeline,
    /// The `Microsoft.Communication` tracer, when the options name a tracer provider.
    tracer: Option<Arc<dyn azure_core::tracing::Tracer>>,
}

impl ClientCore {
    /// Creates the core for `endpoint` (an absolute `http`/`https` URL; a trailing slash and a
    /// base path are fine, a query or fragment is not).
    ///
    /// The pipeline is azure_core's standard one (client request ID, user agent
    /// `azsdk-rust-<package>/<version> (<platform>)`, retry per `client_options.retry`, logging)
    /// with the authentication policy for `auth` installed per try, after the guard that keeps
    /// non-repeatable requests from being resent (see [`limits`](crate::limits)).
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::DataConversion`] for an invalid endpoint, and of
    /// kind [`ErrorKind::Credential`] for bearer authentication over plain `http` (allowed only
    /// to a loopback address, with options from [`plain_http_for_tests`]).
    pub fn new(
        package: Package,
        endpoint: &str,
        auth: Auth,
        client_options: ClientOptions,
        api_version: String,
    ) -> azure_core::Result<Self> {
        let endpoint = validate_endpoint(endpoint.trim()).map_err(|what| {
            azure_core::Error::with_message(
                ErrorKind::DataConversion,
                format!("invalid Communication Services endpoint: it {what}"),
            )
        })?;
        let auth_policy: Arc<dyn Policy> = match auth {
            Auth::AccessKey(key) => Arc::new(HmacAuthenticationPolicy::new(key)),
            Auth::Bearer(credential) => {
                let plain_http_for_tests = allows_plain_http(&client_options);
                check_bearer_transport(&endpoint, plain_http_for_tests)?;
                Arc::new(
                    BearerTokenPolicy::new(credential, [COMMUNICATION_SCOPE])
                        .with_plain_http_for_tests(plain_http_for_tests),
                )
            }
        };
        let tracer = crate::instrumentation::client_tracer(package, &client_options);
        let pipeline = Pipeline::new(
            Some(package.name),
            Some(package.version),
            client_options,
            Vec::new(),
            vec![Arc::new(RetryGuard), auth_policy],
            None,
        );
        Ok(Self { inner: Arc::new(Inner { endpoint, api_version, pipeline, tracer }) })
    }

    /// The service endpoint.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The API version sent as `api-version` on every request.
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
    }

    /// The client's `Microsoft.Communication` tracer; see [`instrument`](Self::instrument).
    pub(crate) fn tracer(&self) -> Option<&Arc<dyn azure_core::tracing::Tracer>> {
        self.inner.tracer.as_ref()
    }

    /// The pipeline, for operations that need more than [`send`](Self::send).
    pub fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// Builds `endpoint + path + ?api-version=<api_version>`.
    ///
    /// The path is the concatenation of `parts` (see [`PathPart`]) after the endpoint's own path
    /// (without its trailing slash). Any query on the endpoint is dropped; `api-version` is the
    /// first query pair, so callers append theirs with `url.query_pairs_mut()`.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::DataConversion`] when a parameter is empty, `.`
    /// or `..` (URLs cannot carry those as a path segment: they would address another
    /// resource).
    pub fn url(&self, parts: &[PathPart<'_>]) -> azure_core::Result<Url> {
        let mut path = self.inner.endpoint.path().trim_end_matches('/').to_owned();
        let starts_with_slash =
            matches!(parts.first(), Some(PathPart::Literal(l)) if l.starts_with('/'));
        if !parts.is_empty() && !starts_with_slash {
            path.push('/');
        }
        for part in parts {
            match part {
                PathPart::Literal(literal) => path.push_str(literal),
                PathPart::Param(param) => {
                    if param.is_empty() || *param == "." || *param == ".." {
                        return Err(azure_core::Error::with_message(
                            ErrorKind::DataConversion,
                            format!("invalid path parameter {param:?}: it must not be empty, \".\" or \"..\""),
                        ));
                    }
                    path.extend(utf8_percent_encode(param, PATH_PARAM));
                }
            }
        }
        let mut url = self.inner.endpoint.clone();
        url.set_path(&path);
        url.set_query(None);
        url.set_fragment(None);
        url.query_pairs_mut().append_pair("api-version", &self.inner.api_version);
        Ok(url)
    }

    /// Sends `request` through the pipeline and reads the whole response.
    ///
    /// * 2xx: `Ok` with the buffered response (status, headers, body of at most
    ///   [`CallLimits::max_response_body_bytes`], 16 MiB unless changed).
    /// * anything else: `Err` of kind [`ErrorKind::HttpResponse`] (status, error code, raw
    ///   response with at most [`MAX_ERROR_BODY_BYTES`] of body) whose inner error is a
    ///   [`ServiceError`]; see [`ServiceError::from_error`].
    /// * a success body over the limit, or a call over its timeout: `Err` of kind
    ///   [`ErrorKind::Io`] whose inner error is a [`LimitError`].
    /// * transport failures (after retries) and authentication failures: their own errors.
    ///
    /// Retries (per the client options) happen inside; a request must therefore already carry
    /// everything that must be identical on every try (e.g. repeatability headers). A `POST` or
    /// `PATCH` without a `repeatability-request-id` header is retried only after a connection
    /// error, when nothing was sent.
    ///
    /// The [`CallLimits`] in `ctx`, else the client's [`CallLimits`] policy, else the defaults,
    /// bound the call.
    ///
    /// `x-ms-client-request-id` is set once per call, before the pipeline (so every retry sends
    /// the same value): a value already on the request wins, then a [`ClientRequestId`] in `ctx`,
    /// else a fresh UUID v4 — what azure_core's `ClientRequestIdPolicy` would choose.
    pub async fn send(
        &self,
        ctx: &Context<'_>,
        request: &mut Request,
    ) -> azure_core::Result<RawResponse> {
        let started = Instant::now();
        set_client_request_id(ctx, request);
        let per_call = ctx.value::<CallLimits>().cloned();
        let per_call_deadline = per_call
            .as_ref()
            .and_then(CallLimits::timeout)
            .map(|t| Deadline::starting_at(started, t));
        let mut ctx = ctx.clone().with_value(LimitsSlot::default());
        if let Some(deadline) = per_call_deadline {
            ctx.insert(deadline);
        }
        let response = within(per_call_deadline, self.stream(&ctx, request)).await?;
        let limits = per_call
            .or_else(|| ctx.value::<LimitsSlot>().and_then(LimitsSlot::get))
            .unwrap_or_default();
        let deadline = limits.timeout().map(|timeout| Deadline::starting_at(started, timeout));
        let (status, headers, body) = response.deconstruct();
        if !status.is_success() {
            let (bytes, end) = read_body(body, MAX_ERROR_BODY_BYTES, deadline).await;
            let complete = matches!(end, BodyEnd::Complete);
            return Err(ServiceError::error_for_response(status, headers, bytes, complete));
        }
        let limit = limits.max_response_body_bytes();
        let announced = content_length(&headers);
        if announced.is_some_and(|length| length > limit as u64) {
            return Err(body_too_large(limit, announced));
        }
        let (bytes, end) = read_body(body, limit, deadline).await;
        match end {
            BodyEnd::Complete => Ok(RawResponse::from_bytes(status, headers, Bytes::from(bytes))),
            BodyEnd::TooLarge => Err(body_too_large(limit, announced)),
            BodyEnd::Failed(error) | BodyEnd::TimedOut(error) => Err(error),
        }
    }

    /// Runs the pipeline; a response the retry guard kept from being retried is a response.
    async fn stream(
        &self,
        ctx: &Context<'_>,
        request: &mut Request,
    ) -> azure_core::Result<AsyncRawResponse> {
        let options = PipelineStreamOptions { skip_checks: true, ..Default::default() };
        match self.inner.pipeline.stream(ctx, request, Some(options)).await {
            Ok(response) => Ok(response),
            Err(error) => unwrap_not_retried(error),
        }
    }
}

/// Sets `x-ms-client-request-id` as azure_core's `ClientRequestIdPolicy` would, unless the
/// request has it already.
///
/// The policy runs anyway; with the header present its lookup (`Headers::get_optional_str`)
/// succeeds. When the header is missing that lookup builds an `azure_core::Error` and drops it,
/// capturing a backtrace first whenever `RUST_BACKTRACE` is set: the most expensive step of a
/// call on a fast network. Presence is tested here without building an error (see
/// [`header_str`]).
fn set_client_request_id(ctx: &Context<'_>, request: &mut Request) {
    if header_str(request.headers(), &CLIENT_REQUEST_ID).is_some() {
        return;
    }
    let value = match ctx.value::<ClientRequestId>() {
        Some(id) => id.value(),
        None => HeaderValue::from(uuid::Uuid::new_v4().hyphenated().to_string()),
    };
    request.insert_header(CLIENT_REQUEST_ID, value);
}

fn body_too_large(limit: usize, content_length: Option<u64>) -> azure_core::Error {
    azure_core::Error::new(ErrorKind::Io, LimitError::BodyTooLarge { limit, content_length })
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Bearer tokens travel only over TLS; over plain HTTP only to the local machine, and only for
/// a client built with [`plain_http_for_tests`].
fn check_bearer_transport(url: &Url, plain_http_for_tests: bool) -> azure_core::Result<()> {
    if url.scheme() == "https" || (plain_http_for_tests && is_loopback(url)) {
        return Ok(());
    }
    let message = if plain_http_for_tests {
        format!(
            "bearer tokens are only sent over https, or over plain http to a loopback address; \
             refusing to send one to {}://{}",
            url.scheme(),
            url.host_str().unwrap_or_default()
        )
    } else {
        format!(
            "bearer tokens are only sent over https; refusing to send one to {}://{} \
             (a test against a loopback server can allow plain http with \
             `azure_communication_runtime::client::plain_http_for_tests`)",
            url.scheme(),
            url.host_str().unwrap_or_default()
        )
    };
    Err(azure_core::Error::with_message(ErrorKind::Credential, message))
}

/// The per-call policy that marks [`ClientOptions`] as made by [`plain_http_for_tests`]. It
/// does nothing but pass the request on; [`ClientCore::new`] recognises this very instance.
#[derive(Debug)]
struct PlainHttpForTests;

#[async_trait::async_trait]
impl Policy for PlainHttpForTests {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        match next.split_first() {
            Some((first, rest)) => first.send(ctx, request, rest).await,
            None => Err(last_policy_error("PlainHttpForTests")),
        }
    }
}

fn plain_http_marker() -> &'static Arc<dyn Policy> {
    static MARKER: OnceLock<Arc<dyn Policy>> = OnceLock::new();
    MARKER.get_or_init(|| Arc::new(PlainHttpForTests))
}

/// **For tests only.** Returns `options` marked so that a client built with them sends bearer
/// tokens over plain `http` to a loopback address (`127.0.0.0/8`, `::1`, `localhost`), such as
/// a mock server in a test.
///
/// Without this, a client with a token credential refuses any endpoint that is not `https`
/// (at construction, and again before every try, for example for a next-page link), as
/// azure_core's own `BearerTokenAuthorizationPolicy` does. Even with it, plain http to any other
/// host is refused. Access-key (HMAC) clients are not affected.
///
/// ```
/// # use azure_core::http::ClientOptions;
/// let options = azure_communication_runtime::client::plain_http_for_tests(ClientOptions::default());
/// ```
pub fn plain_http_for_tests(mut options: ClientOptions) -> ClientOptions {
    if !allows_plain_http(&options) {
        options.per_call_policies.push(plain_http_marker().clone());
    }
    options
}

fn allows_plain_http(options: &ClientOptions) -> bool {
    options.per_call_policies.iter().any(|policy| Arc::ptr_eq(policy, plain_http_marker()))
}

fn last_policy_error(policy: &str) -> azure_core::Error {
    azure_core::Error::with_message(
        ErrorKind::Other,
        format!("{policy} must not be the last policy of a pipeline"),
    )
}

/// Refresh a cached token when it expires within this margin (azure_core's margin).
const REFRESH_MARGIN: Duration = Duration::minutes(5);

/// Per-try bearer authentication: sets `Authorization: Bearer <token>` from a
/// [`TokenCredential`] for the given scopes.
///
/// It has the semantics of azure_core's `BearerTokenAuthorizationPolicy` (1.1), statement for
/// statement:
///
/// * one cached token per policy; concurrent calls that find no token (or one to refresh)
///   queue on an async write lock and re-check, so they share a single `get_token` call;
/// * a token is refreshed once it expires within five minutes;
/// * if that refresh fails while the cached token has not expired yet, the cached token is
///   used (and the refresh is tried again on the next call); once it has expired, the error is
///   returned;
/// * a 401 response empties the cache (the response is returned as is);
/// * a token is never sent over plain http.
///
/// It is not azure_core's policy itself because that policy refuses every non-`https` URL with
/// no way around it, and this crate's tests run bearer clients against loopback servers over
/// plain http. Here plain http is allowed only to a loopback address, and only when the client
/// was built with [`plain_http_for_tests`]. Its refusal is also an error of kind
/// [`ErrorKind::Credential`] that says what to do, where azure_core's reaches the caller as
/// "non-transport error occurred which will not be retried".
#[doc(hidden)]
pub struct BearerTokenPolicy {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
    plain_http_for_tests: bool,
    access_token: async_lock::RwLock<Option<AccessToken>>,
}

impl BearerTokenPolicy {
    /// Creates the policy for `credential` and `scopes`; it sends tokens over https only.
    pub fn new<S: Into<String>>(
        credential: Arc<dyn TokenCredential>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            credential,
            scopes: scopes.into_iter().map(Into::into).collect(),
            plain_http_for_tests: false,
            access_token: async_lock::RwLock::new(None),
        }
    }

    /// **For tests only**: also send tokens over plain http to a loopback address. See
    /// [`plain_http_for_tests`].
    pub fn with_plain_http_for_tests(mut self, allow: bool) -> Self {
        self.plain_http_for_tests = allow;
        self
    }

    /// Sets the `Authorization` header, fetching or refreshing the token first if needed.
    async fn authorize(&self, ctx: &Context<'_>, request: &mut Request) -> azure_core::Result<()> {
        let fetch = || {
            let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
            let options = TokenRequestOptions {
                method_options: ClientMethodOptions { context: ctx.clone() },
            };
            async move { self.credential.get_token(&scopes, Some(options)).await }
        };
        let access_token = self.access_token.read().await;
        match access_token.as_ref() {
            None => {
                // Nothing cached: take the write lock and fetch, unless a call that held it
                // first already did.
                drop(access_token);
                let mut access_token = self.access_token.write().await;
                if access_token.is_none() {
                    *access_token = Some(fetch().await?);
                }
            }
            Some(token) if should_refresh(token.expires_on) => {
                let expires_on = token.expires_on;
                drop(access_token);
                let mut access_token = self.access_token.write().await;
                // Refresh unless a call that held the lock first already did.
                if access_token.as_ref().is_none_or(|token| token.expires_on == expires_on) {
                    match fetch().await {
                        Ok(token) => *access_token = Some(token),
                        Err(error)
                            if access_token.is_none()
                                || expires_on <= OffsetDateTime::now_utc() =>
                        {
                            return Err(error);
                        }
                        // The cached token is still valid: use it.
                        Err(_) => {}
                    }
                }
            }
            Some(_) => drop(access_token),
        }
        let access_token = self.access_token.read().await;
        let token = access_token.as_ref().ok_or_else(|| {
            azure_core::Error::with_message(
                ErrorKind::Credential,
                "the request failed due to an error while fetching the access token",
            )
        })?;
        request.insert_header(AUTHORIZATION, format!("Bearer {}", token.token.secret()));
        Ok(())
    }
}

fn should_refresh(expires_on: OffsetDateTime) -> bool {
    expires_on <= OffsetDateTime::now_utc() + REFRESH_MARGIN
}

impl fmt::Debug for BearerTokenPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerTokenPolicy")
            .field("credential", &self.credential)
            .field("scopes", &self.scopes)
            .field("plain_http_for_tests", &self.plain_http_for_tests)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl Policy for BearerTokenPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        check_bearer_transport(request.url(), self.plain_http_for_tests)?;
        let Some((first, rest)) = next.split_first() else {
            return Err(last_policy_error("BearerTokenPolicy"));
        };
        self.authorize(ctx, request).await?;
        let response = first.send(ctx, request, rest).await?;
        if response.status() == StatusCode::Unauthorized {
            *self.access_token.write().await = None;
        }
        Ok(response)
    }
}

#[cfg(test)]
mod bearer_tests {
    use super::*;
    use azure_core::http::{headers::Headers, Method};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    /// Hands out the scripted results in order (the last one again when they run out), each
    /// after `delay`, and counts the calls.
    #[derive(Debug)]
    struct ScriptedCredential {
        script: Mutex<Vec<Result<(&'static str, Duration), ()>>>,
        delay: std::time::Duration,
        calls: AtomicUsize,
    }

    impl ScriptedCredential {
        fn new(script: Vec<Result<(&'static str, Duration), ()>>) -> Arc<Self> {
            Arc::new(Self {
                script: Mutex::new(script),
                delay: std::time::Duration::ZERO,
                calls: AtomicUsize::new(0),
            })
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    #[async_trait::async_trait]
    impl TokenCredential for ScriptedCredential {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            let next = {
                let mut script = self.script.lock().unwrap();
                if script.len() > 1 {
                    script.remove(0)
                } else {
                    script[0]
                }
            };
            match next {
                Ok((token, lifetime)) => {
                    Ok(AccessToken::new(token, OffsetDateTime::now_utc() + lifetime))
                }
                Err(()) => Err(azure_core::Error::with_message(
                    ErrorKind::Credential,
                    "the token service is down",
                )),
            }
        }
    }

    /// The end of the pipeline: answers 200 (or `status`) and keeps the `Authorization`
    /// headers it saw.
    #[derive(Debug, Default)]
    struct Terminal {
        seen: Mutex<Vec<String>>,
    }

    #[async_trait::async_trait]
    impl Policy for Terminal {
        async fn send(
            &self,
            _ctx: &Context,
            request: &mut Request,
            _next: &[Arc<dyn Policy>],
        ) -> PolicyResult {
            let authorization =
                request.headers().get_optional_str(&AUTHORIZATION).unwrap_or_default().to_owned();
            self.seen.lock().unwrap().push(authorization);
            Ok(AsyncRawResponse::from_bytes(StatusCode::Ok, Headers::new(), Bytes::new()))
        }
    }

    fn request(url: &str) -> Request {
        Request::new(Url::parse(url).unwrap(), Method::Get)
    }

    async fn call(
        policy: &BearerTokenPolicy,
        terminal: &Arc<Terminal>,
    ) -> azure_core::Result<String> {
        let next: [Arc<dyn Policy>; 1] = [terminal.clone()];
        policy
            .send(&Context::new(), &mut request("https://x.communication.azure.com/"), &next)
            .await?;
        Ok(terminal.seen.lock().unwrap().last().cloned().unwrap_or_default())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_calls_share_one_token_fetch() {
        let credential = Arc::new(ScriptedCredential {
            script: Mutex::new(vec![Ok(("t1", Duration::hours(1)))]),
            delay: std::time::Duration::from_millis(100),
            calls: AtomicUsize::new(0),
        });
        let policy = Arc::new(BearerTokenPolicy::new(credential.clone(), [COMMUNICATION_SCOPE]));
        let terminal = Arc::new(Terminal::default());
        let calls = (0..32).map(|_| {
            let (policy, terminal) = (policy.clone(), terminal.clone());
            tokio::spawn(async move { call(&policy, &terminal).await })
        });
        for result in futures::future::join_all(calls).await {
            assert_eq!(result.unwrap().unwrap(), "Bearer t1");
        }
        assert_eq!(credential.calls(), 1);
        assert_eq!(terminal.seen.lock().unwrap().len(), 32);
    }

    #[tokio::test]
    async fn a_token_expiring_within_the_margin_is_refreshed_on_the_next_call() {
        let credential = ScriptedCredential::new(vec![
            Ok(("short", Duration::minutes(4))),
            Ok(("long", Duration::hours(1))),
        ]);
        let policy = BearerTokenPolicy::new(credential.clone(), [COMMUNICATION_SCOPE]);
        let terminal = Arc::new(Terminal::default());
        assert_eq!(call(&policy, &terminal).await.unwrap(), "Bearer short");
        assert_eq!(call(&policy, &terminal).await.unwrap(), "Bearer long");
        assert_eq!(call(&policy, &terminal).await.unwrap(), "Bearer long");
        assert_eq!(credential.calls(), 2);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_the_still_valid_token() {
        let credential = ScriptedCredential::new(vec![Ok(("old", Duration::minutes(2))), Err(())]);
        let policy = BearerTokenPolicy::new(credential.clone(), [COMMUNICATION_SCOPE]);
        let terminal = Arc::new(Terminal::default());
        assert_eq!(call(&policy, &terminal).await.unwrap(), "Bearer old");
        assert_eq!(call(&policy, &terminal).await.unwrap(), "Bearer old");
        // As in azure_core, the refresh is tried again on the next call.
        assert_eq!(call(&policy, &terminal).await.unwrap(), "Bearer old");
        assert_eq!(credential.calls(), 3);
    }

    #[tokio::test]
    async fn a_failed_refresh_of_an_expired_token_is_an_error() {
        let credential = ScriptedCredential::new(vec![Ok(("old", Duration::seconds(-1))), Err(())]);
        let policy = BearerTokenPolicy::new(credential.clone(), [COMMUNICATION_SCOPE]);
        let terminal = Arc::new(Terminal::default());
        assert_eq!(call(&policy, &terminal).await.unwrap(), "Bearer old");
        let error = call(&policy, &terminal).await.unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Credential);
        assert_eq!(terminal.seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn plain_http_is_refused_without_the_test_switch() {
        let credential = ScriptedCredential::new(vec![Ok(("t", Duration::hours(1)))]);
        let terminal = Arc::new(Terminal::default());
        let next: [Arc<dyn Policy>; 1] = [terminal.clone()];

        let policy = BearerTokenPolicy::new(credential.clone(), [COMMUNICATION_SCOPE]);
        let error = policy
            .send(&Context::new(), &mut request("http://127.0.0.1:8080/chat"), &next)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Credential);
        let message = error.to_string();
        assert!(message.contains("only sent over https"), "{message}");
        assert!(message.contains("plain_http_for_tests"), "{message}");
        assert_eq!(credential.calls(), 0, "no token is fetched for a refused request");
        assert!(terminal.seen.lock().unwrap().is_empty());

        // The switch allows loopback only.
        let policy = BearerTokenPolicy::new(credential.clone(), [COMMUNICATION_SCOPE])
            .with_plain_http_for_tests(true);
        policy
            .send(&Context::new(), &mut request("http://127.0.0.1:8080/chat"), &next)
            .await
            .unwrap();
        policy
            .send(&Context::new(), &mut request("http://localhost:8080/chat"), &next)
            .await
            .unwrap();
        let error = policy
            .send(&Context::new(), &mut request("http://example.com/chat"), &next)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Credential);
    }

    #[test]
    fn clients_refuse_plain_http_endpoints_unless_built_for_tests() {
        let credential: Arc<dyn TokenCredential> =
            ScriptedCredential::new(vec![Ok(("t", Duration::hours(1)))]);
        let package = Package { name: "test", version: "0" };
        let build = |endpoint: &str, options: ClientOptions| {
            ClientCore::new(
                package,
                endpoint,
                Auth::Bearer(credential.clone()),
                options,
                "2024-01-01".to_owned(),
            )
        };
        let error = build("http://127.0.0.1:1234", ClientOptions::default()).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Credential);
        assert!(error.to_string().contains("plain_http_for_tests"), "{error}");
        build("http://127.0.0.1:1234", plain_http_for_tests(ClientOptions::default())).unwrap();
        build("http://[::1]:1234", plain_http_for_tests(ClientOptions::default())).unwrap();
        build("http://example.com", plain_http_for_tests(ClientOptions::default())).unwrap_err();
        build("https://example.com", ClientOptions::default()).unwrap();
        // Applying the switch twice adds one marker.
        let twice = plain_http_for_tests(plain_http_for_tests(ClientOptions::default()));
        assert_eq!(twice.per_call_policies.len(), 1);
        // Access-key clients are not affected by the switch: plain http was never about them.
        let key = AccessKeyCredential::new("pw==").unwrap();
        ClientCore::new(
            package,
            "http://127.0.0.1:1234",
            Auth::AccessKey(key),
            ClientOptions::default(),
            "2024-01-01".to_owned(),
        )
        .unwrap();
    }
}
