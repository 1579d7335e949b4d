//! Long-running operations: an `azure_core` [`Poller`] that sends the operation's first request,
//! then polls the status monitor named by the `Operation-Location` response header until the
//! status is terminal.
//!
//! The protocol is the Azure REST API guidelines' "status monitor" one, as Communication
//! Services Email uses it:
//!
//! * the first request is answered with `2xx`, an `Operation-Location` header (the status
//!   monitor URL) and, usually, a first status body;
//! * each poll is a `GET` of that URL, answered with the status body; `Retry-After` (seconds or
//!   an HTTP date), `retry-after-ms` or `x-ms-retry-after-ms` say how long to wait before the
//!   next poll, else the poller's frequency (30 s unless changed in [`PollerOptions`]);
//! * the status is terminal at success, failure or cancellation ([`PollerStatus`]); any other
//!   value, unknown ones included, means "still running";
//! * the final result is the last status body.
//!
//! Each status is handed out as soon as it arrives; the wait before the next poll happens when
//! the next status is asked for. (azure_core's own poller loop waits first and hands the status
//! out after, so a caller stepping through would see each status only a `Retry-After` late, and
//! could not stop without waiting.)
//!
//! Awaiting the poller returns that final body on success. On failure or cancellation it returns
//! an error whose inner error is an [`OperationFailed`] holding the terminal status body (with
//! the service's reason); the stream of statuses shows the terminal status body either way.
//!
//! The status monitor must be on the client's own endpoint (same scheme, host and port): the
//! poller authenticates every poll, so a URL elsewhere would hand the credential to another
//! host. Such a URL is an error, not a request.

use std::fmt;
use std::sync::{Arc, Mutex};

use azure_core::error::ErrorKind;
use azure_core::http::headers::{
    HeaderName, Headers, RETRY_AFTER, RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS,
};
use azure_core::http::poller::{
    get_retry_after, PollerContinuation, PollerOptions, PollerResult, PollerState, PollerStatus,
    StatusMonitor,
};
use azure_core::http::{JsonFormat, Method, Poller, RawResponse, Request, Response, Url};
use azure_core::time::Duration;
use azure_core::Bytes;
use serde::de::DeserializeOwned;

use crate::client::ClientCore;
use crate::error::{code_and_message, write_code_and_message};

/// The response header naming the status monitor.
const OPERATION_LOCATION: HeaderName = HeaderName::from_static("operation-location");

/// Where a poller starts.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum Start {
    /// Send the operation's first request (a `begin_…` method).
    Request(Request),
    /// Poll this status monitor URL (a `resume_…` method).
    StatusMonitor(Url),
}

/// The terminal statuses of a status monitor, as the service spells them; compared without
/// regard to case.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    /// Statuses meaning success.
    pub succeeded: &'static [&'static str],
    /// Statuses meaning failure.
    pub failed: &'static [&'static str],
    /// Statuses meaning the operation was canceled.
    pub canceled: &'static [&'static str],
}

impl Terminal {
    /// The Azure REST API guidelines' terminal statuses: `Succeeded`, `Failed`, `Canceled`.
    pub const STANDARD: Terminal =
        Terminal { succeeded: &["Succeeded"], failed: &["Failed"], canceled: &["Canceled"] };

    /// The poller status of the service's status `value`; `None` (no status in the body yet) and
    /// every non-terminal value, unknown ones included, are [`PollerStatus::InProgress`].
    pub fn status(&self, value: Option<&str>) -> PollerStatus {
        let Some(value) = value else { return PollerStatus::InProgress };
        let is = |set: &[&str]| set.iter().any(|s| s.eq_ignore_ascii_case(value));
        if is(self.succeeded) {
            PollerStatus::Succeeded
        } else if is(self.failed) {
            PollerStatus::Failed
        } else if is(self.canceled) {
            PollerStatus::Canceled
        } else {
            PollerStatus::InProgress
        }
    }
}

/// Builds the poller of a long-running operation whose status monitor body is `M` (see the
/// module docs). The final result is the last status body.
#[doc(hidden)]
pub fn poller<M>(core: ClientCore, start: Start, options: PollerOptions<'static>) -> Poller<M>
where
    M: StatusMonitor<Output = M, Format = JsonFormat> + DeserializeOwned + Send + 'static,
{
    // How long to wait before the next poll, as the last answer said.
    let wait = Arc::new(Mutex::new(Duration::ZERO));
    Poller::new(
        move |state: PollerState, options: PollerOptions<'static>| {
            let core = core.clone();
            let wait = Arc::clone(&wait);
            let (mut request, monitor) = match state {
                PollerState::Initial => match &start {
                    Start::Request(request) => (Ok(request.clone()), None),
                    Start::StatusMonitor(url) => {
                        (same_origin(&core, url.clone()).map(get), Some(url.clone()))
                    }
                },
                PollerState::More(continuation) => match continuation_url(continuation) {
                    Ok(url) => (Ok(get(url.clone())), Some(url)),
                    Err(e) => (Err(e), None),
                },
            };
            Box::pin(async move {
                let request = request.as_mut().map_err(|e| clone_error(e))?;
                let pause = std::mem::replace(&mut *lock(&wait), Duration::ZERO);
                if pause > Duration::ZERO {
                    azure_core::sleep::sleep(pause).await;
                }
                let raw = core.send(&options.context, request).await?;
                let monitor = match raw.headers().get_optional_str(&OPERATION_LOCATION) {
                    Some(location) => Some(monitor_url(&core, location)?),
                    None => monitor,
                };
                let (step, retry_after) = step::<M>(raw, monitor, &options)?;
                *lock(&wait) = retry_after;
                Ok(step)
            })
        },
        Some(options),
    )
}

fn lock(wait: &Mutex<Duration>) -> std::sync::MutexGuard<'_, Duration> {
    // A plain value: a panic while it was held cannot leave it half-written.
    wait.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One answer of the service, turned into the poller's next step (which the stream hands out at
/// once) and the time to wait before the next poll.
fn step<M>(
    raw: RawResponse,
    monitor: Option<Url>,
    options: &PollerOptions<'static>,
) -> azure_core::Result<(PollerResult<M>, Duration)>
where
    M: StatusMonitor<Output = M, Format = JsonFormat> + DeserializeOwned + Send + 'static,
{
    let status = if raw.body().as_ref().iter().all(u8::is_ascii_whitespace) {
        // An accepted operation without a first status body is running.
        PollerStatus::InProgress
    } else {
        serde_json::from_slice::<M>(raw.body().as_ref())
            .map_err(|e| {
                azure_core::Error::with_message(
                    ErrorKind::DataConversion,
                    format!(
                        "the status of the long-running operation is not the expected JSON: {e}"
                    ),
                )
            })?
            .status()
    };
    let retry_after = retry_after(raw.headers(), options);
    let (http_status, headers, body) = raw.deconstruct();
    let body = Bytes::from(body.to_vec());
    let response: Response<M> =
        RawResponse::from_bytes(http_status, headers.clone(), body.clone()).into();
    let step = match status {
        PollerStatus::Succeeded => PollerResult::Succeeded {
            response,
            target: Box::new(move || {
                Box::pin(
                    async move { Ok(RawResponse::from_bytes(http_status, headers, body).into()) },
                )
            }),
        },
        PollerStatus::Failed | PollerStatus::Canceled => {
            let failed = OperationFailed::new(status, body);
            PollerResult::Succeeded {
                response,
                target: Box::new(move || {
                    Box::pin(async move { Err(azure_core::Error::new(ErrorKind::Other, failed)) })
                }),
            }
        }
        _ => {
            let Some(next_link) = monitor else {
                return Err(azure_core::Error::with_message(
                    ErrorKind::DataConversion,
                    "the service accepted the long-running operation but sent no Operation-Location header to poll",
                ));
            };
            PollerResult::InProgress {
                response,
                retry_after: Duration::ZERO,
                continuation: PollerContinuation::Links { next_link, final_link: None },
            }
        }
    };
    Ok((step, retry_after))
}

/// How long to wait before the next poll: the service's `retry-after-ms`,
/// `x-ms-retry-after-ms` or `Retry-After`, else the poller's frequency; never negative.
fn retry_after(headers: &Headers, options: &PollerOptions<'static>) -> Duration {
    let wait =
        get_retry_after(headers, &[RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS, RETRY_AFTER], options);
    wait.max(Duration::ZERO)
}

fn get(url: Url) -> Request {
    let mut request = Request::new(url, Method::Get);
    request.insert_header("accept", "application/json");
    request
}

fn continuation_url(continuation: PollerContinuation) -> azure_core::Result<Url> {
    match continuation {
        PollerContinuation::Links { next_link, .. } => Ok(next_link),
        // `PollerContinuation` is non-exhaustive; this poller only ever makes `Links`.
        _ => Err(azure_core::Error::with_message(
            ErrorKind::Other,
            "the poller was handed a continuation it did not make",
        )),
    }
}

/// The status monitor URL of an `Operation-Location` header (absolute, or relative to the
/// endpoint), checked to be on the client's own endpoint.
///
/// # Errors
///
/// Returns an error of kind [`ErrorKind::DataConversion`] when `location` is not a URL or is
/// on another scheme, host or port than the endpoint.
#[doc(hidden)]
pub fn status_monitor_url(core: &ClientCore, location: &str) -> azure_core::Result<Url> {
    monitor_url(core, location)
}

fn monitor_url(core: &ClientCore, location: &str) -> azure_core::Result<Url> {
    let url = core.endpoint().join(location.trim()).map_err(|e| {
        azure_core::Error::with_message(
            ErrorKind::DataConversion,
            format!("the Operation-Location header is not a URL: {e}"),
        )
    })?;
    same_origin(core, url)
}

fn same_origin(core: &ClientCore, url: Url) -> azure_core::Result<Url> {
    if url.origin() == core.endpoint().origin() {
        Ok(url)
    } else {
        Err(azure_core::Error::with_message(
            ErrorKind::DataConversion,
            format!(
                "the status monitor of the long-running operation is on {}, not on the client's endpoint {}: it is not polled, since polling would send the credential there",
                url.origin().ascii_serialization(),
                core.endpoint().origin().ascii_serialization()
            ),
        ))
    }
}

/// `azure_core::Error` is not `Clone`; a request that could not be built is reported again with
/// the same kind and text on every attempt.
fn clone_error(error: &azure_core::Error) -> azure_core::Error {
    azure_core::Error::with_message(error.kind().clone(), error.to_string())
}

/// A long-running operation that ended in failure or was canceled: the inner error of the
/// `azure_core::Error` that awaiting its poller returns (find it with
/// [`OperationFailed::from_error`]).
#[derive(Clone, PartialEq)]
pub struct OperationFailed {
    status: PollerStatus,
    code: Option<String>,
    message: Option<String>,
    body: Bytes,
}

impl OperationFailed {
    fn new(status: PollerStatus, body: Bytes) -> Self {
        let (code, message) = code_and_message(&body);
        Self { status, code, message, body }
    }

    /// The operation failure inside `err`, if that is what `err` is.
    pub fn from_error(err: &azure_core::Error) -> Option<&OperationFailed> {
        err.downcast_ref::<OperationFailed>()
    }

    /// [`PollerStatus::Failed`] or [`PollerStatus::Canceled`].
    pub fn status(&self) -> &PollerStatus {
        &self.status
    }

    /// The error code of the status body (`error.code`), if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message of the status body (`error.message`), if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The terminal status body, decoded as `T` (the operation's status monitor type), or `None`
    /// if it does not decode.
    pub fn body<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The terminal status body as the service sent it.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }
}

/// Shows the status and the error code; the message and body are left out, as they may carry
/// personal data.
impl fmt::Debug for OperationFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationFailed")
            .field("status", &self.status)
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for OperationFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = match self.status {
            PollerStatus::Canceled => "was canceled",
            _ => "failed",
        };
        write!(f, "the long-running operation {outcome}")?;
        write_code_and_message(f, self.code.as_deref(), self.message.as_deref())
    }
}

impl std::error::Error for OperationFailed {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_statuses_match_without_case() {
        let t = Terminal::STANDARD;
        assert_eq!(t.status(Some("succeeded")), PollerStatus::Succeeded);
        assert_eq!(t.status(Some("FAILED")), PollerStatus::Failed);
        assert_eq!(t.status(Some("Canceled")), PollerStatus::Canceled);
        assert_eq!(t.status(Some("Running")), PollerStatus::InProgress);
        assert_eq!(t.status(Some("NotStarted")), PollerStatus::InProgress);
        assert_eq!(t.status(Some("SomethingNew")), PollerStatus::InProgress);
        assert_eq!(t.status(None), PollerStatus::InProgress);
    }

    #[test]
    fn failure_display_names_code_and_message_but_debug_hides_the_message() {
        let body = Bytes::from_static(
            br#"{"id":"1","status":"Failed","error":{"code":"InvalidRecipient","message":"to bob@example.com"}}"#,
        );
        let failed = OperationFailed::new(PollerStatus::Failed, body);
        assert_eq!(
            failed.to_string(),
            "the long-running operation failed (InvalidRecipient): to bob@example.com"
        );
        assert!(!format!("{failed:?}").contains("bob@"));
        let canceled = OperationFailed::new(PollerStatus::Canceled, Bytes::from_static(b"{}"));
        assert_eq!(canceled.to_string(), "the long-running operation was canceled");
        assert_eq!(canceled.code(), None);
    }

    #[test]
    fn negative_retry_after_does_not_wait_backwards() {
        let mut headers = Headers::new();
        headers.insert(RETRY_AFTER, "-30");
        assert_eq!(retry_after(&headers, &PollerOptions::default()), Duration::ZERO);
        headers.insert(RETRY_AFTER, "2");
        assert_eq!(retry_after(&headers, &PollerOptions::default()), Duration::seconds(2));
    }
}
