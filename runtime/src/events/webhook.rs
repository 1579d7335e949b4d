//! Delivery and handshakes: what an Event Grid schema webhook receives ([`Delivery`], with the
//! subscription validation event and its answer), the CloudEvents webhook abuse-protection
//! handshake ([`AbuseProtection`]), and the event type and header names both use.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::attributes::{event_grid_from_element, find_validation, subscription_validation};
use super::raw::read_body;
use super::{one_pass, DeliveryError, EventData, EventGridEvent};

/// The event type of the Event Grid subscription validation event.
pub const SUBSCRIPTION_VALIDATION_EVENT_TYPE: &str =
    "Microsoft.EventGrid.SubscriptionValidationEvent";

/// Request header of the CloudEvents webhook handshake: the DNS name of the sender
/// (`eventgrid.azure.net` for Event Grid).
pub const WEBHOOK_REQUEST_ORIGIN: &str = "WebHook-Request-Origin";
/// Request header of the CloudEvents webhook handshake: the rate (requests per minute) the
/// sender would like to deliver at.
pub const WEBHOOK_REQUEST_RATE: &str = "WebHook-Request-Rate";
/// Request header of the CloudEvents webhook handshake: a URL to `GET` to approve the
/// subscription later instead of answering the `OPTIONS` request now.
pub const WEBHOOK_REQUEST_CALLBACK: &str = "WebHook-Request-Callback";
/// Response header of the CloudEvents webhook handshake: the origin allowed to deliver.
pub const WEBHOOK_ALLOWED_ORIGIN: &str = "WebHook-Allowed-Origin";
/// Response header of the CloudEvents webhook handshake: the allowed rate, or `*`.
pub const WEBHOOK_ALLOWED_RATE: &str = "WebHook-Allowed-Rate";

/// What an Event Grid schema webhook received in one `POST`.
#[derive(Debug)]
pub enum Delivery<T> {
    /// Event Grid asks the endpoint to confirm the subscription: answer `200 OK` with the JSON of
    /// [`SubscriptionValidation::response`].
    SubscriptionValidation(SubscriptionValidation),
    /// Events, each read on its own so that one bad event does not hide the others. Answer
    /// `200 OK` once they are handled; any other status makes Event Grid retry the whole batch.
    Events(Vec<Result<EventGridEvent<T>, DeliveryError>>),
}

impl<T: EventData> Delivery<T> {
    /// Reads the body of an Event Grid schema webhook `POST`.
    ///
    /// # Errors
    ///
    /// When the body is not JSON, is neither an array nor an object, or is a validation event
    /// without a string `validationCode`.
    pub fn from_event_grid(body: &[u8]) -> Result<Self, DeliveryError> {
        // A validation event is rare and has its own rules: the general path handles it.
        let validation = |event: &Result<EventGridEvent<T>, DeliveryError>| match event {
            Ok(event) => event.event_type == SUBSCRIPTION_VALIDATION_EVENT_TYPE,
            Err(error) => error.event_type.as_deref() == Some(SUBSCRIPTION_VALIDATION_EVENT_TYPE),
        };
        match one_pass::event_grid(body) {
            Some(events) if !events.iter().any(validation) => Ok(Self::Events(events)),
            _ => Self::from_event_grid_general(body),
        }
    }

    /// [`Delivery::from_event_grid`] without the fast path.
    pub(super) fn from_event_grid_general(body: &[u8]) -> Result<Self, DeliveryError> {
        let elements = read_body::<&RawValue>(body)?;
        if let Some((index, fields)) = find_validation(&elements) {
            return subscription_validation(index, fields).map(Self::SubscriptionValidation);
        }
        Ok(Self::Events(
            elements
                .into_iter()
                .enumerate()
                .map(|(index, element)| event_grid_from_element(Some(index), element))
                .collect(),
        ))
    }
}

/// The `data` of a `Microsoft.EventGrid.SubscriptionValidationEvent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionValidation {
    /// `validationCode`: the code to echo back in the response.
    pub validation_code: String,
    /// `validationUrl`: a URL that also validates the subscription with a `GET` (for endpoints
    /// that cannot answer the validation request itself); valid for a few minutes.
    pub validation_url: Option<String>,
}

impl SubscriptionValidation {
    /// The body to answer with.
    pub fn response(&self) -> ValidationResponse {
        ValidationResponse { validation_response: self.validation_code.clone() }
    }
}

/// The answer to a subscription validation event: `{"validationResponse": "<code>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationResponse {
    /// `validationResponse`: the `validationCode` of the validation event.
    #[serde(rename = "validationResponse")]
    pub validation_response: String,
}

/// If `body` is an Event Grid subscription validation delivery, the response to send back.
///
/// `None` for anything else, including a malformed validation event; use
/// [`Delivery::from_event_grid`] to learn why.
pub fn validation_response(body: &[u8]) -> Option<ValidationResponse> {
    let elements = read_body::<&RawValue>(body).ok()?;
    let (index, fields) = find_validation(&elements)?;
    subscription_validation(index, fields).ok().map(|validation| validation.response())
}

/// The CloudEvents webhook abuse-protection handshake (the `OPTIONS` request Event Grid sends
/// before delivering CloudEvents to a webhook).
///
/// By default any origin is allowed at any rate. Restrict it with [`AbuseProtection::allow_origin`]
/// and [`AbuseProtection::with_allowed_rate`].
///
/// ```
/// use azure_communication_runtime::events::AbuseProtection;
///
/// let handshake = AbuseProtection::default().allow_origin("eventgrid.azure.net");
/// let answer = handshake.respond(Some("eventgrid.azure.net")).unwrap();
/// assert_eq!(answer.allowed_origin, "eventgrid.azure.net");
/// assert!(handshake.respond(Some("attacker.example")).is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AbuseProtection {
    allowed_origins: Vec<String>,
    allowed_rate: Option<u32>,
}

impl AbuseProtection {
    /// Allows `origin` (a DNS name such as `eventgrid.azure.net`, compared case-insensitively).
    /// Once any origin is added, only the added origins are allowed.
    #[must_use]
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        self.allowed_origins.push(origin.into());
        self
    }

    /// Answers with this many requests per minute instead of `*` (any rate).
    #[must_use]
    pub fn with_allowed_rate(mut self, requests_per_minute: u32) -> Self {
        self.allowed_rate = Some(requests_per_minute);
        self
    }

    /// The answer to an `OPTIONS` request whose `WebHook-Request-Origin` header is
    /// `request_origin`: `Some` means respond `200 OK` with [`HandshakeResponse::headers`];
    /// `None` (header missing, not a valid host name, or not allowed) means refuse, for example
    /// with `400 Bad Request`.
    pub fn respond(&self, request_origin: Option<&str>) -> Option<HandshakeResponse> {
        let origin = request_origin?.trim();
        let valid = !origin.is_empty() && origin.bytes().all(|b| b.is_ascii_graphic() && b != b',');
        if !valid {
            return None;
        }
        if !self.allowed_origins.is_empty()
            && !self.allowed_origins.iter().any(|allowed| allowed.eq_ignore_ascii_case(origin))
        {
            return None;
        }
        Some(HandshakeResponse {
            allowed_origin: origin.to_owned(),
            allowed_rate: self.allowed_rate.map_or_else(|| "*".to_owned(), |rate| rate.to_string()),
        })
    }
}

/// A positive answer to the CloudEvents webhook handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeResponse {
    /// The value of `WebHook-Allowed-Origin`: the requesting origin.
    pub allowed_origin: String,
    /// The value of `WebHook-Allowed-Rate`: requests per minute, or `*`.
    pub allowed_rate: String,
}

impl HandshakeResponse {
    /// The response headers: `Allow: POST`, `WebHook-Allowed-Origin` and `WebHook-Allowed-Rate`.
    pub fn headers(&self) -> [(&'static str, &str); 3] {
        [
            ("Allow", "POST"),
            (WEBHOOK_ALLOWED_ORIGIN, &self.allowed_origin),
            (WEBHOOK_ALLOWED_RATE, &self.allowed_rate),
        ]
    }
}

/// The `WebHook-Allowed-Origin` value to answer a handshake whose `WebHook-Request-Origin` is
/// `request_origin`, allowing any origin; `None` if the header value is not a valid host name.
pub fn webhook_allowed_origin(request_origin: &str) -> Option<String> {
    AbuseProtection::default().respond(Some(request_origin)).map(|answer| answer.allowed_origin)
}
