//! Bounds on one call of a generated client: how long it may take, how much of a response body
//! is read, how long a server may ask the client to wait before a retry; and which requests are
//! never sent twice.
//!
//! Every call is bounded by the [`CallLimits`] defaults: success bodies of at most
//! [`DEFAULT_MAX_RESPONSE_BODY_BYTES`] (error bodies: [`MAX_ERROR_BODY_BYTES`]), and a
//! `Retry-After` of at most [`DEFAULT_MAX_RETRY_AFTER`] is honoured (a longer one ends the call
//! with that response instead of sleeping). There is no overall timeout by default; the default
//! transport gives up on a connection after 20 s and on a read that stalls for 60 s, and a
//! `reqwest::Client` with its own `timeout` can be the [`Transport`](azure_core::http::Transport)
//! too. Set a timeout (or other limits) for every call of a client by adding [`CallLimits`] to
//! its per-call policies, or for one call through its context:
//!
//! ```
//! use std::{sync::Arc, time::Duration};
//! use azure_communication_runtime::limits::CallLimits;
//! use azure_core::http::{ClientOptions, Context};
//!
//! let limits = CallLimits::new().with_timeout(Duration::from_secs(30));
//! // Every call of a client built with these options:
//! let client_options =
//!     ClientOptions { per_call_policies: vec![Arc::new(limits.clone())], ..Default::default() };
//! // One call (as `options.method_options.context`); it wins over the client's:
//! let context = Context::new().with_value(limits.with_max_response_body_bytes(64 << 20));
//! ```
//!
//! The timeout covers the whole call: every try, the waits between them and reading the body.
//! A call that exceeds a limit fails with an error of kind [`ErrorKind::Io`] whose inner error is
//! a [`LimitError`].
//!
//! # Requests that are never sent twice
//!
//! azure_core's retry policy retries transport errors and 408/429/500/502/503/504 whatever the
//! method. A `POST` or `PATCH` without a `repeatability-request-id` header is not idempotent:
//! the service cannot tell a retry from a second request. Such a request is retried only after a
//! connection error (nothing was sent); after any other transport error, or a retryable status,
//! the call ends with that error or response. Requests with repeatability headers, JSON
//! merge-patch `PATCH`es (idempotent by definition) and `GET`, `PUT`, `DELETE` keep the normal
//! retries.
//!
//! [`MAX_ERROR_BODY_BYTES`]: crate::error::MAX_ERROR_BODY_BYTES

use crate::repeatability::REPEATABILITY_REQUEST_ID;
use azure_core::{
    error::ErrorKind,
    http::{
        headers::{HeaderName, Headers, RETRY_AFTER, RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS},
        policies::{Policy, PolicyResult},
        AsyncRawResponse, AsyncResponseBody, Context, Method, Request, StatusCode,
    },
};
use futures::{
    future::{select, Either},
    StreamExt as _,
};
use std::{
    fmt,
    future::Future,
    pin::pin,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// Default for [`CallLimits::max_response_body_bytes`]: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Default for [`CallLimits::max_retry_after`]: 60 s, the default retry policies' total time.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Limits of a call; see the [module documentation](self).
///
/// As a per-call policy of a client (`ClientOptions::per_call_policies`) it applies to every call
/// of that client; as a value in a call's [`Context`] it applies to that call and wins over the
/// client's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallLimits {
    max_response_body_bytes: usize,
    timeout: Option<Duration>,
    max_retry_after: Duration,
}

impl Default for CallLimits {
    fn default() -> Self {
        Self {
            max_response_body_bytes: DEFAULT_MAX_RESPONSE_BODY_BYTES,
            timeout: None,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
        }
    }
}

impl CallLimits {
    /// The defaults: 16 MiB of success body, no timeout, `Retry-After` up to 60 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the most bytes of a success response body that are read; a longer body fails the
    /// call (without reading the rest) with [`LimitError::BodyTooLarge`].
    #[must_use]
    pub fn with_max_response_body_bytes(mut self, bytes: usize) -> Self {
        self.max_response_body_bytes = bytes;
        self
    }

    /// Sets the longest the whole call may take; past it the call fails with
    /// [`LimitError::TimedOut`].
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the longest `Retry-After` (or `retry-after-ms`, `x-ms-retry-after-ms`) that is
    /// waited for; a 429 or 503 asking for more ends the call with that response. A wait that
    /// would end after the timeout ends it too.
    #[must_use]
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The most bytes of a success response body that are read.
    pub fn max_response_body_bytes(&self) -> usize {
        self.max_response_body_bytes
    }

    /// The longest the whole call may take, if limited.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The longest `Retry-After` that is waited for.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }
}

#[async_trait::async_trait]
impl Policy for CallLimits {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let Some((first, rest)) = next.split_first() else {
            return Err(azure_core::Error::with_message(
                ErrorKind::Other,
                "CallLimits must not be the last policy of a pipeline",
            ));
        };
        // Limits set on the call itself win; ClientCore::send enforces them.
        if ctx.value::<CallLimits>().is_some() {
            return first.send(ctx, request, rest).await;
        }
        if let Some(slot) = ctx.value::<LimitsSlot>() {
            slot.set(self.clone());
        }
        let mut ctx = ctx.clone().with_value(self.clone());
        let deadline = self.timeout.map(Deadline::after);
        if let Some(deadline) = deadline {
            ctx.insert(deadline);
        }
        within(deadline, first.send(&ctx, request, rest)).await
    }
}

/// Why a call was cut short by its [`CallLimits`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LimitError {
    /// The call took longer than its timeout.
    TimedOut {
        /// The configured timeout.
        timeout: Duration,
    },
    /// The success response body was longer than allowed.
    BodyTooLarge {
        /// The configured limit, in bytes.
        limit: usize,
        /// The `Content-Length` the response announced, if it did.
        content_length: Option<u64>,
    },
}

impl LimitError {
    /// Finds the [`LimitError`] inside `err` (also through `with_context` wrappers).
    pub fn from_error(err: &azure_core::Error) -> Option<&LimitError> {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(error) = current {
            if let Some(limit) = error.downcast_ref::<LimitError>() {
                return Some(limit);
            }
            current = error.source();
        }
        None
    }

    fn into_error(self) -> azure_core::Error {
        azure_core::Error::new(ErrorKind::Io, self)
    }
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimedOut { timeout } => {
                write!(f, "the call did not complete within its timeout of {timeout:?}")
            }
            Self::BodyTooLarge { limit, content_length: Some(length) } => write!(
                f,
                "the response body ({length} bytes) is larger than the limit of {limit} bytes"
            ),
            Self::BodyTooLarge { limit, content_length: None } => {
                write!(f, "the response body is larger than the limit of {limit} bytes")
            }
        }
    }
}

impl std::error::Error for LimitError {}

/// When a call must be over.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    /// `None`: too far away to represent, i.e. never.
    at: Option<Instant>,
    timeout: Duration,
}

impl Deadline {
    pub(crate) fn after(timeout: Duration) -> Self {
        Self::starting_at(Instant::now(), timeout)
    }

    pub(crate) fn starting_at(start: Instant, timeout: Duration) -> Self {
        Self { at: start.checked_add(timeout), timeout }
    }

    fn remaining(&self) -> Duration {
        self.at.map_or(Duration::MAX, |at| at.saturating_duration_since(Instant::now()))
    }

    fn error(&self) -> azure_core::Error {
        LimitError::TimedOut { timeout: self.timeout }.into_error()
    }
}

fn sleep(duration: Duration) -> impl Future<Output = ()> + Send {
    azure_core::sleep::sleep(
        azure_core::time::Duration::try_from(duration).unwrap_or(azure_core::time::Duration::MAX),
    )
}

/// Runs `future` until `deadline`, if any.
pub(crate) async fn within<T>(
    deadline: Option<Deadline>,
    future: impl Future<Output = azure_core::Result<T>> + Send,
) -> azure_core::Result<T> {
    let Some(deadline) = deadline else {
        return future.await;
    };
    match select(pin!(future), pin!(sleep(deadline.remaining()))).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => Err(deadline.error()),
    }
}

/// Where a client-wide [`CallLimits`] policy tells [`ClientCore::send`] which limits it applies
/// (the body is read after the pipeline has returned).
///
/// [`ClientCore::send`]: crate::client::ClientCore::send
#[derive(Debug, Default)]
pub(crate) struct LimitsSlot(Mutex<Option<CallLimits>>);

impl LimitsSlot {
    fn set(&self, limits: CallLimits) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(limits);
        }
    }

    pub(crate) fn get(&self) -> Option<CallLimits> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }
}

/// How reading a body ended.
pub(crate) enum BodyEnd {
    /// The whole body was read.
    Complete,
    /// The body is longer than the cap; the rest was not read.
    TooLarge,
    /// Reading failed.
    Failed(azure_core::Error),
    /// The deadline passed.
    TimedOut(azure_core::Error),
}

/// Reads at most `cap` bytes of `body` before `deadline`; the bytes read and how it ended.
/// The rest is not read: dropping the body drops the connection.
pub(crate) async fn read_body(
    mut body: AsyncResponseBody,
    cap: usize,
    deadline: Option<Deadline>,
) -> (Vec<u8>, BodyEnd) {
    let mut bytes = Vec::new();
    let mut timer = deadline.map(|deadline| (Box::pin(sleep(deadline.remaining())), deadline));
    loop {
        let chunk = match &mut timer {
            None => body.next().await,
            Some((sleeping, deadline)) => match select(body.next(), sleeping.as_mut()).await {
                Either::Left((chunk, _)) => chunk,
                Either::Right(((), _)) => return (bytes, BodyEnd::TimedOut(deadline.error())),
            },
        };
        match chunk {
            None => return (bytes, BodyEnd::Complete),
            Some(Err(error)) => return (bytes, BodyEnd::Failed(error)),
            Some(Ok(chunk)) => {
                let room = cap.saturating_sub(bytes.len());
                if chunk.len() > room {
                    bytes.extend_from_slice(&chunk[..room]);
                    return (bytes, BodyEnd::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
        }
    }
}

/// The value of header `name`, if present.
///
/// Not `Headers::get_optional_str`: in typespec 1.1 that formats a "unable to parse header"
/// message for every header it finds (`with_context_fn` calls its closure eagerly) and builds an
/// error, with a backtrace under `RUST_BACKTRACE`, for every header it does not find.
pub(crate) fn header_str<'a>(headers: &'a Headers, name: &HeaderName) -> Option<&'a str> {
    headers.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
}

/// The `Content-Length` of a response, if it has a valid one.
pub(crate) fn content_length(headers: &Headers) -> Option<u64> {
    header_str(headers, &HeaderName::from_static("content-length"))
        .and_then(|value| value.trim().parse().ok())
}

// ---------------------------------------------------------------------------------------------
// Retries that must not happen
// ---------------------------------------------------------------------------------------------

/// The statuses azure_core's retry policies retry by default.
const RETRIED_STATUSES: [StatusCode; 6] = [
    StatusCode::RequestTimeout,
    StatusCode::TooManyRequests,
    StatusCode::InternalServerError,
    StatusCode::BadGateway,
    StatusCode::ServiceUnavailable,
    StatusCode::GatewayTimeout,
];

/// Whether `request` may be processed twice if it is sent twice: `POST` and `PATCH` are not,
/// unless they carry a repeatability request ID or the `PATCH` is a JSON merge-patch (applying
/// the same merge-patch twice leaves the same state).
#[doc(hidden)]
pub fn is_repeatable(request: &Request) -> bool {
    // Headers are looked at through `iter`: `get_optional_str` builds (and drops) an error,
    // with a backtrace under RUST_BACKTRACE, whenever the header is missing.
    let header = |name: &str| {
        request.headers().iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v.as_str())
    };
    match request.method() {
        Method::Post => header(REPEATABILITY_REQUEST_ID.as_str()).is_some(),
        Method::Patch => {
            header(REPEATABILITY_REQUEST_ID.as_str()).is_some()
                || header("content-type")
                    .is_some_and(|t| t.starts_with("application/merge-patch+json"))
        }
        _ => true,
    }
}

/// What [`RetryGuard`] hands back through the retry policy, which passes on any error that is
/// not a transport error without retrying.
#[derive(Debug)]
pub(crate) enum NotRetried {
    /// A transport error after which the request may have reached the service.
    Error(azure_core::Error),
    /// A response the retry policy would have retried.
    Response(Mutex<Option<AsyncRawResponse>>),
}

impl fmt::Display for NotRetried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Error(error) => write!(f, "not retried: {error}"),
            Self::Response(_) => f.write_str("a response that is not retried"),
        }
    }
}

impl std::error::Error for NotRetried {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Error(error) => Some(error),
            Self::Response(_) => None,
        }
    }
}

/// Undoes [`RetryGuard`]'s wrapping: the response it kept, or the original transport error.
/// Any other error is returned as it is.
pub(crate) fn unwrap_not_retried(
    error: azure_core::Error,
) -> Result<AsyncRawResponse, azure_core::Error> {
    let mut current: &(dyn std::error::Error + 'static) = &error;
    let found = loop {
        if current.downcast_ref::<NotRetried>().is_some() {
            break true;
        }
        match current.source() {
            Some(source) => current = source,
            None => break false,
        }
    };
    if !found {
        return Err(error);
    }
    let mut error = error;
    loop {
        error = match error.into_downcast::<NotRetried>() {
            Ok(NotRetried::Response(response)) => {
                let response = response.into_inner().ok().flatten();
                return response.ok_or_else(|| {
                    azure_core::Error::with_message(ErrorKind::Other, "the response was lost")
                });
            }
            Ok(NotRetried::Error(original)) => return Err(original),
            Err(error) => error.into_downcast::<azure_core::Error>()?,
        };
    }
}

/// The first per-try policy of every client: keeps the retry policy from resending a request
/// that must not be sent twice, and from sleeping longer than [`CallLimits::max_retry_after`]
/// or past the call's timeout.
#[derive(Debug, Default)]
pub(crate) struct RetryGuard;

impl RetryGuard {
    fn retry_after(headers: &Headers) -> Option<Duration> {
        [X_MS_RETRY_AFTER_MS, RETRY_AFTER_MS, RETRY_AFTER].iter().find_map(|name| {
            let value = header_str(headers, name)?.trim();
            if *name == RETRY_AFTER {
                match value.parse::<u64>() {
                    Ok(seconds) => Some(Duration::from_secs(seconds)),
                    Err(_) => {
                        let when = crate::datetime::rfc1123::parse(value).ok()?;
                        let wait = when - azure_core::time::OffsetDateTime::now_utc();
                        Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
                    }
                }
            } else {
                value.parse::<u64>().ok().map(Duration::from_millis)
            }
        })
    }

    fn stop(response: AsyncRawResponse) -> PolicyResult {
        Err(azure_core::Error::new(
            ErrorKind::Other,
            NotRetried::Response(Mutex::new(Some(response))),
        ))
    }
}

#[async_trait::async_trait]
impl Policy for RetryGuard {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let Some((first, rest)) = next.split_first() else {
            return Err(azure_core::Error::with_message(
                ErrorKind::Other,
                "RetryGuard must not be the last policy of a pipeline",
            ));
        };
        let repeatable = is_repeatable(request);
        let response = match first.send(ctx, request, rest).await {
            Ok(response) => response,
            // Io: the request may have been (partly) sent. Connection: nothing was sent.
            Err(error) if !repeatable && matches!(error.kind(), ErrorKind::Io) => {
                tracing::debug!("not retrying a {} that may have been sent", request.method());
                return Err(azure_core::Error::new(ErrorKind::Other, NotRetried::Error(error)));
            }
            Err(error) => return Err(error),
        };
        let status = response.status();
        if !RETRIED_STATUSES.contains(&status) {
            return Ok(response);
        }
        if !repeatable {
            tracing::debug!("not retrying a {} answered with {status}", request.method());
            return Self::stop(response);
        }
        if matches!(status, StatusCode::TooManyRequests | StatusCode::ServiceUnavailable) {
            if let Some(wait) = Self::retry_after(response.headers()) {
                let limits = ctx.value::<CallLimits>();
                let max = limits.map_or(DEFAULT_MAX_RETRY_AFTER, CallLimits::max_retry_after);
                let past_deadline =
                    ctx.value::<Deadline>().is_some_and(|deadline| wait >= deadline.remaining());
                if wait > max || past_deadline {
                    tracing::debug!("not waiting {wait:?} to retry (at most {max:?})");
                    return Self::stop(response);
                }
            }
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::http::Url;

    #[test]
    fn repeatable_requests() {
        let url = Url::parse("https://x.communication.azure.com/a").unwrap();
        for (method, repeatable) in [
            (Method::Get, true),
            (Method::Put, true),
            (Method::Delete, true),
            (Method::Post, false),
            (Method::Patch, false),
        ] {
            let mut request = Request::new(url.clone(), method);
            assert_eq!(is_repeatable(&request), repeatable, "{method:?}");
            request.insert_header("repeatability-request-id", "0f9c1a2e");
            assert!(is_repeatable(&request), "{method:?} with a request id");
        }
        let mut patch = Request::new(url.clone(), Method::Patch);
        patch.insert_header("content-type", "application/merge-patch+json");
        assert!(is_repeatable(&patch), "a merge-patch can be applied twice");
        let mut post = Request::new(url, Method::Post);
        post.insert_header("content-type", "application/merge-patch+json");
        assert!(!is_repeatable(&post), "only a PATCH is a merge-patch");
    }

    #[test]
    fn retry_after_headers() {
        let mut headers = Headers::new();
        assert_eq!(RetryGuard::retry_after(&headers), None);
        headers.insert(RETRY_AFTER, "120");
        assert_eq!(RetryGuard::retry_after(&headers), Some(Duration::from_secs(120)));
        headers.insert(RETRY_AFTER_MS, "1500");
        assert_eq!(RetryGuard::retry_after(&headers), Some(Duration::from_millis(1500)));
        let mut past = Headers::new();
        past.insert(RETRY_AFTER, "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(RetryGuard::retry_after(&past), Some(Duration::ZERO));
        let mut junk = Headers::new();
        junk.insert(RETRY_AFTER, "soon");
        assert_eq!(RetryGuard::retry_after(&junk), None);
    }

    #[test]
    fn not_retried_unwraps_through_context() {
        let original = azure_core::Error::with_message(ErrorKind::Io, "reset");
        let wrapped = azure_core::Error::new(ErrorKind::Other, NotRetried::Error(original))
            .with_context("non-transport error occurred which will not be retried");
        let back = unwrap_not_retried(wrapped).err().unwrap();
        assert_eq!(back.kind(), &ErrorKind::Io);
        assert_eq!(back.to_string(), "reset");

        let other = azure_core::Error::with_message(ErrorKind::Credential, "no token");
        let back = unwrap_not_retried(other).err().unwrap();
        assert_eq!(back.kind(), &ErrorKind::Credential);
    }

    #[test]
    fn absurd_timeouts_are_no_timeouts() {
        let deadline = Deadline::after(Duration::MAX);
        assert!(deadline.remaining() > Duration::from_secs(1 << 40));
        let deadline = Deadline::after(Duration::ZERO);
        assert_eq!(deadline.remaining(), Duration::ZERO);
    }

    #[test]
    fn limit_errors_say_what_happened() {
        let e = LimitError::TimedOut { timeout: Duration::from_millis(1500) }.into_error();
        assert_eq!(e.kind(), &ErrorKind::Io);
        assert!(e.to_string().contains("1.5s"), "{e}");
        assert!(LimitError::from_error(&e.with_context("ctx")).is_some());
        let e = LimitError::BodyTooLarge { limit: 10, content_length: Some(20) };
        assert_eq!(
            e.to_string(),
            "the response body (20 bytes) is larger than the limit of 10 bytes"
        );
    }
}
