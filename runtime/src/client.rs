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
    sync::{Arc, Mutex},
    time::Instant,
};

/// Everything except the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How a client authenticates.
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
#[derive(Clone, Debug)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    endpoint: Url,
    api_version: String,
    pipeline: Pipeline,
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
    /// kind [`ErrorKind::Credential`] for bearer authentication over plain `http` to anything
    /// but a loopback address.
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
                check_bearer_transport(&endpoint)?;
                Arc::new(BearerTokenPolicy::new(credential, [COMMUNICATION_SCOPE]))
            }
        };
        let pipeline = Pipeline::new(
            Some(package.name),
            Some(package.version),
            client_options,
            Vec::new(),
            vec![Arc::new(RetryGuard), auth_policy],
            None,
        );
        Ok(Self { inner: Arc::new(Inner { endpoint, api_version, pipeline }) })
    }

    /// The service endpoint.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The API version sent as `api-version` on every request.
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
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

/// Bearer tokens travel only over TLS, or over plain HTTP to the local machine (tests).
fn check_bearer_transport(url: &Url) -> azure_core::Result<()> {
    if url.scheme() == "https" || is_loopback(url) {
        Ok(())
    } else {
        Err(azure_core::Error::with_message(
            ErrorKind::Credential,
            "bearer tokens are only sent over https (or plain http to a loopback address)",
        ))
    }
}

/// Refresh a cached token this long before it expires.
const REFRESH_MARGIN: Duration = Duration::minutes(5);

/// Per-try bearer authentication: sets `Authorization: Bearer <token>` from a
/// [`TokenCredential`], caching the token until five minutes before it expires and dropping it
/// after a 401.
///
/// Unlike azure_core's `BearerTokenAuthorizationPolicy` it also works over plain http to a
/// loopback address (for tests); any other plain-http URL is refused.
pub struct BearerTokenPolicy {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
    cache: Mutex<Option<AccessToken>>,
}

impl BearerTokenPolicy {
    /// Creates the policy for `credential` and `scopes`.
    pub fn new<S: Into<String>>(
        credential: Arc<dyn TokenCredential>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            credential,
            scopes: scopes.into_iter().map(Into::into).collect(),
            cache: Mutex::new(None),
        }
    }

    fn cached(&self) -> Option<AccessToken> {
        let cache = self.cache.lock().ok()?;
        cache
            .as_ref()
            .filter(|token| token.expires_on > OffsetDateTime::now_utc() + REFRESH_MARGIN)
            .cloned()
    }

    fn store(&self, token: Option<AccessToken>) {
        if let Ok(mut cache) = self.cache.lock() {
            *cache = token;
        }
    }
}

impl fmt::Debug for BearerTokenPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerTokenPolicy")
            .field("credential", &self.credential)
            .field("scopes", &self.scopes)
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
        check_bearer_transport(request.url())?;
        let token = match self.cached() {
            Some(token) => token,
            None => {
                let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
                let options = TokenRequestOptions {
                    method_options: ClientMethodOptions { context: ctx.clone() },
                };
                let token = self.credential.get_token(&scopes, Some(options)).await?;
                self.store(Some(token.clone()));
                token
            }
        };
        request.insert_header(AUTHORIZATION, format!("Bearer {}", token.token.secret()));
        let Some((first, rest)) = next.split_first() else {
            return Err(azure_core::Error::with_message(
                ErrorKind::Other,
                "BearerTokenPolicy must not be the last policy of a pipeline",
            ));
        };
        let response = first.send(ctx, request, rest).await?;
        if response.status() == StatusCode::Unauthorized {
            self.store(None);
        }
        Ok(response)
    }
}
