//! Event delivery envelopes shared by every event set: the Event Grid and CloudEvents 1.0
//! schemas, and the two webhook handshakes.
//!
//! A generated event set (such as `events::ChatEvent`) implements [`EventData`]; it only knows how
//! to turn an event type and its raw `data` JSON into a typed value. Everything around that is
//! here:
//!
//! * [`parse_event_grid`] / [`parse_cloud_events`] read a delivery body (a JSON array of events or
//!   a single event object) into [`EventGridEvent`]s / [`CloudEvent`]s. The `…_each` variants
//!   return one result per event, so one malformed event does not hide the others.
//! * [`Delivery::from_event_grid`] does the same for a webhook, and also recognises the Event Grid
//!   subscription validation event ([`SubscriptionValidation`]), which must be answered with
//!   `{"validationResponse": "<code>"}` ([`validation_response`] does both steps at once).
//! * [`AbuseProtection`] answers the CloudEvents webhook `OPTIONS` handshake
//!   (`WebHook-Request-Origin` → `WebHook-Allowed-Origin`).
//!
//! The body is read in one pass: each event's attributes are captured as borrowed slices of the
//! body ([`RawValue`]), never as a `serde_json::Value`, and `data` is then decoded once, straight
//! into its type, by [`EventData::decode`]. Nothing here panics on bad input; every problem is a
//! [`DeliveryError`] that names the event's index, its type when known and the field.
//!
//! ```
//! use azure_communication_runtime::events::{parse_event_grid, EventData};
//! # use serde_json::value::RawValue;
//! # struct AnyEvent { event_type: String, data: Box<RawValue> }
//! # impl serde::Serialize for AnyEvent {
//! #     fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { self.data.serialize(s) }
//! # }
//! # impl EventData for AnyEvent {
//! #     fn decode(event_type: &str, data: &RawValue) -> Result<Self, serde_json::Error> {
//! #         Ok(Self { event_type: event_type.to_owned(), data: data.to_owned() })
//! #     }
//! #     fn event_type(&self) -> &str { &self.event_type }
//! # }
//! // `AnyEvent` stands for a generated event set such as `events::ChatEvent`.
//! let body = br#"[{"id": "1", "topic": "/t", "subject": "s", "data": {"threadId": "19:a@thread.v2"},
//!                  "eventType": "Microsoft.Communication.ChatThreadDeleted", "dataVersion": "1.0",
//!                  "metadataVersion": "1", "eventTime": "2021-02-20T00:00:42.5428002Z"}]"#;
//! let events = parse_event_grid::<AnyEvent>(body).unwrap();
//! assert_eq!(events[0].data.event_type(), "Microsoft.Communication.ChatThreadDeleted");
//! ```
#![deny(missing_docs)]

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use time::OffsetDateTime;

use crate::datetime::rfc3339;

/// The `data` of one event set: a type per event type string, and a fallback for the rest.
///
/// Generated event sets implement this; the envelopes in this module call it. `Serialize` must
/// write the `data` JSON only (the event type lives in the envelope).
pub trait EventData: Sized + serde::Serialize {
    /// Decodes the `data` JSON of an event of type `event_type`; types the set does not know go to its fallback variant (which keeps the type and the raw JSON).
    fn decode(
        event_type: &str,
        data: &serde_json::value::RawValue,
    ) -> Result<Self, serde_json::Error>;
    /// Decodes the `data` of an event of type `event_type` straight from the deserializer of
    /// the delivery, in the same pass as the envelope. The provided method reads the raw JSON
    /// and calls [`EventData::decode`]; generated sets decode each type directly.
    ///
    /// # Errors
    ///
    /// The deserializer's error, when `data` is not what the event type needs.
    fn decode_from<'de, D: Deserializer<'de>>(event_type: &str, data: D) -> Result<Self, D::Error> {
        let raw = <&RawValue>::deserialize(data)?;
        Self::decode(event_type, raw).map_err(de::Error::custom)
    }

    /// The event type string.
    fn event_type(&self) -> &str;
}

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

// ---------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------

/// An event in the Event Grid schema.
///
/// Serializes to the same JSON field names it is read from (`eventType`, `dataVersion`, …);
/// `eventTime` is written in UTC with a `Z` suffix.
#[derive(Debug, Clone, PartialEq)]
pub struct EventGridEvent<T> {
    /// `id`: unique identifier of the event.
    pub id: String,
    /// `topic`: full resource path of the event source. Event Grid sets it on delivery.
    pub topic: Option<String>,
    /// `subject`: publisher-defined path to the event subject (for chat events
    /// `thread/{thread-id}/…`).
    pub subject: String,
    /// `data`: the event payload, typed by the event set.
    pub data: T,
    /// `eventType`: one of the registered event types of the source.
    pub event_type: String,
    /// `dataVersion`: the schema version of `data`, defined by the publisher.
    pub data_version: String,
    /// `metadataVersion`: the schema version of the envelope. Event Grid sets it on delivery.
    pub metadata_version: Option<String>,
    /// `eventTime`: when the publisher generated the event.
    pub event_time: OffsetDateTime,
}

/// An event in the CloudEvents 1.0 schema (JSON structured mode).
///
/// Serializes with the CloudEvents attribute names; the spec version is always written as
/// `specversion`, even when it was read from the non-standard `specVersion` some Azure samples
/// use. Extension attributes are kept as raw JSON and written back unchanged.
#[derive(Debug, Clone)]
pub struct CloudEvent<T> {
    /// `id`: identifies the event; unique per `source`.
    pub id: String,
    /// `source`: the context in which the event happened (for Azure, the resource path).
    pub source: String,
    /// `specversion` (also read from `specVersion`): the CloudEvents version, `1.0`.
    pub spec_version: String,
    /// `type`: the event type.
    pub event_type: String,
    /// `data`: the event payload, typed by the event set.
    pub data: T,
    /// `subject`: the subject of the event within `source`.
    pub subject: Option<String>,
    /// `time`: when the occurrence happened.
    pub time: Option<OffsetDateTime>,
    /// `datacontenttype`: the content type of `data` (`application/json` when absent).
    pub data_content_type: Option<String>,
    /// `dataschema`: a URI of the schema `data` adheres to.
    pub data_schema: Option<String>,
    /// Every other attribute (CloudEvents extensions such as `traceparent`), as raw JSON.
    pub extensions: BTreeMap<String, Box<RawValue>>,
}

impl<T: PartialEq> PartialEq for CloudEvent<T> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.source == other.source
            && self.spec_version == other.spec_version
            && self.event_type == other.event_type
            && self.data == other.data
            && self.subject == other.subject
            && self.time == other.time
            && self.data_content_type == other.data_content_type
            && self.data_schema == other.data_schema
            && self.extensions.len() == other.extensions.len()
            && self
                .extensions
                .iter()
                .zip(&other.extensions)
                .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.get() == v2.get())
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a delivery, or one event of it, could not be read.
///
/// Names the index of the event in the delivery (`None` when the body as a whole is unreadable),
/// its event type when that much could be read, and the field at fault.
#[derive(Debug)]
pub struct DeliveryError {
    index: Option<usize>,
    event_type: Option<String>,
    field: Option<String>,
    kind: ErrorKind,
}

#[derive(Debug)]
enum ErrorKind {
    Json(serde_json::Error),
    Invalid(String),
}

impl DeliveryError {
    /// The index of the bad event in the delivery (0 for a single-event body); `None` when the
    /// body itself is not JSON, or neither an array nor an object.
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// The event type of the bad event, when it could be read.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// The JSON name of the envelope field at fault (`data` for any problem inside the payload).
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// Whether the body is not even well-formed JSON (as opposed to JSON of the wrong shape).
    pub fn is_syntax(&self) -> bool {
        matches!(&self.kind, ErrorKind::Json(error) if error.is_syntax() || error.is_eof())
    }

    fn body(kind: ErrorKind) -> Self {
        Self { index: None, event_type: None, field: None, kind }
    }
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut context = false;
        match (self.index, &self.event_type) {
            (Some(index), Some(event_type)) => write!(f, "event {index} ({event_type})")?,
            (Some(index), None) => write!(f, "event {index}")?,
            (None, Some(event_type)) => write!(f, "event ({event_type})")?,
            (None, None) => {}
        }
        if self.index.is_some() || self.event_type.is_some() {
            context = true;
        }
        if let Some(field) = &self.field {
            if context {
                f.write_str(", ")?;
            }
            write!(f, "field `{field}`")?;
            context = true;
        }
        if context {
            f.write_str(": ")?;
        } else {
            f.write_str("invalid delivery: ")?;
        }
        match &self.kind {
            ErrorKind::Json(error) => fmt::Display::fmt(error, f),
            ErrorKind::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DeliveryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Json(error) => Some(error),
            ErrorKind::Invalid(_) => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing a delivery
// ---------------------------------------------------------------------------------------------

/// Parses an Event Grid schema delivery: a JSON array of events, or a single event object.
///
/// # Errors
///
/// The first problem found, with the index of its event; see [`parse_event_grid_each`] to keep
/// the good events of a delivery that has a bad one.
pub fn parse_event_grid<T: EventData>(
    body: &[u8],
) -> Result<Vec<EventGridEvent<T>>, DeliveryError> {
    parse_event_grid_each(body)?.into_iter().collect()
}

/// Parses an Event Grid schema delivery with one result per event, in delivery order.
///
/// # Errors
///
/// The outer error is for a body that is not JSON, or neither an array nor an object; problems
/// of single events are the inner errors.
pub fn parse_event_grid_each<T: EventData>(
    body: &[u8],
) -> Result<Vec<Result<EventGridEvent<T>, DeliveryError>>, DeliveryError> {
    match one_pass::event_grid(body) {
        Some(events) => Ok(events),
        None => event_grid_each_general(body),
    }
}

/// [`parse_event_grid_each`] without the fast path.
fn event_grid_each_general<T: EventData>(
    body: &[u8],
) -> Result<Vec<Result<EventGridEvent<T>, DeliveryError>>, DeliveryError> {
    let elements = read_body::<&RawValue>(body)?;
    Ok(elements
        .into_iter()
        .enumerate()
        .map(|(index, element)| event_grid_from_element(Some(index), element))
        .collect())
}

/// Parses a CloudEvents delivery: a batch (`application/cloudevents-batch+json`, a JSON array) or
/// a single event (`application/cloudevents+json`, an object).
///
/// # Errors
///
/// The first problem found, with the index of its event; see [`parse_cloud_events_each`].
pub fn parse_cloud_events<T: EventData>(body: &[u8]) -> Result<Vec<CloudEvent<T>>, DeliveryError> {
    parse_cloud_events_each(body)?.into_iter().collect()
}

/// Parses a CloudEvents delivery with one result per event, in delivery order.
///
/// # Errors
///
/// The outer error is for a body that is not JSON, or neither an array nor an object; problems
/// of single events are the inner errors.
pub fn parse_cloud_events_each<T: EventData>(
    body: &[u8],
) -> Result<Vec<Result<CloudEvent<T>, DeliveryError>>, DeliveryError> {
    let fast = fast::events(body, |index, envelope: fast::CloudEventEnvelope<'_>| {
        envelope.into_event(index)
    });
    match fast {
        Some(events) => Ok(events),
        None => cloud_events_each_general(body),
    }
}

/// [`parse_cloud_events_each`] without the fast path.
fn cloud_events_each_general<T: EventData>(
    body: &[u8],
) -> Result<Vec<Result<CloudEvent<T>, DeliveryError>>, DeliveryError> {
    let elements = read_body::<&RawValue>(body)?;
    Ok(elements
        .into_iter()
        .enumerate()
        .map(|(index, element)| cloud_event_from_element(Some(index), element))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

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
    fn from_event_grid_general(body: &[u8]) -> Result<Self, DeliveryError> {
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

// ---------------------------------------------------------------------------------------------
// Serialization
// ---------------------------------------------------------------------------------------------

impl<T: Serialize> Serialize for EventGridEvent<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len =
            6 + usize::from(self.topic.is_some()) + usize::from(self.metadata_version.is_some());
        let mut out = serializer.serialize_struct("EventGridEvent", len)?;
        out.serialize_field("id", &self.id)?;
        if let Some(topic) = &self.topic {
            out.serialize_field("topic", topic)?;
        }
        out.serialize_field("subject", &self.subject)?;
        out.serialize_field("data", &self.data)?;
        out.serialize_field("eventType", &self.event_type)?;
        out.serialize_field("dataVersion", &self.data_version)?;
        if let Some(metadata_version) = &self.metadata_version {
            out.serialize_field("metadataVersion", metadata_version)?;
        }
        out.serialize_field("eventTime", &format_time::<S::Error>(self.event_time)?)?;
        out.end()
    }
}

impl<T: Serialize> Serialize for CloudEvent<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("specversion", &self.spec_version)?;
        out.serialize_entry("type", &self.event_type)?;
        out.serialize_entry("source", &self.source)?;
        out.serialize_entry("id", &self.id)?;
        if let Some(time) = self.time {
            out.serialize_entry("time", &format_time::<S::Error>(time)?)?;
        }
        if let Some(subject) = &self.subject {
            out.serialize_entry("subject", subject)?;
        }
        if let Some(data_content_type) = &self.data_content_type {
            out.serialize_entry("datacontenttype", data_content_type)?;
        }
        if let Some(data_schema) = &self.data_schema {
            out.serialize_entry("dataschema", data_schema)?;
        }
        for (name, value) in &self.extensions {
            // An extension spelled like a standard attribute would make duplicate keys.
            if CLOUD_EVENT_ATTRIBUTES.contains(&name.as_str()) {
                return Err(ser::Error::custom(format!(
                    "extension `{name}` has the name of a CloudEvents attribute"
                )));
            }
            out.serialize_entry(name, value)?;
        }
        out.serialize_entry("data", &self.data)?;
        out.end()
    }
}

fn format_time<E: ser::Error>(time: OffsetDateTime) -> Result<String, E> {
    // RFC 3339 has four-digit years only.
    if !(0..=9999).contains(&time.to_offset(time::UtcOffset::UTC).year()) {
        return Err(E::custom(format!("date-time {time} is outside the RFC 3339 year range")));
    }
    Ok(rfc3339::format(time))
}

// ---------------------------------------------------------------------------------------------
// Deserialization (for events embedded in other types; delivery bodies use the parse functions)
// ---------------------------------------------------------------------------------------------

impl<'de, T: EventData> Deserialize<'de> for EventGridEvent<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let element = deserializer.deserialize_any(ElementVisitor::<Box<RawValue>>(PhantomData))?;
        event_grid_from_element(None, element).map_err(de::Error::custom)
    }
}

impl<'de, T: EventData> Deserialize<'de> for CloudEvent<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let element = deserializer.deserialize_any(ElementVisitor::<Box<RawValue>>(PhantomData))?;
        cloud_event_from_element(None, element).map_err(de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Internals: the raw pass
// ---------------------------------------------------------------------------------------------

/// The attributes of the CloudEvents envelope that are not extensions.
const CLOUD_EVENT_ATTRIBUTES: &[&str] = &[
    "id",
    "source",
    "specversion",
    "specVersion",
    "type",
    "data",
    "data_base64",
    "subject",
    "time",
    "datacontenttype",
    "dataschema",
];

/// One member of an event object: its key and its raw value.
type Member<'de, R> = (Cow<'de, str>, R);

/// One element of a delivery, with every attribute still raw JSON (`R` is `&RawValue` borrowed
/// from the body, or `Box<RawValue>` for a non-borrowing deserializer).
enum Element<'de, R> {
    /// An object: its members in order.
    Object(Vec<Member<'de, R>>),
    /// Anything else; the text names what it was (`"a string"`).
    NotObject(&'static str),
}

/// Reads a delivery body into its elements. A single object is a delivery of one.
fn read_body<'de, R: Deserialize<'de>>(
    body: &'de [u8],
) -> Result<Vec<Element<'de, R>>, DeliveryError> {
    // Which element was being read, so that a syntax error can name its event.
    let position = Cell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let result = BodySeed::<R> { position: &position, marker: PhantomData }
        .deserialize(&mut deserializer)
        .and_then(|body| deserializer.end().map(|()| body));
    match result {
        Ok(Body::Elements(elements)) => Ok(elements),
        Ok(Body::Other(found)) => Err(DeliveryError::body(ErrorKind::Invalid(format!(
            "expected a JSON array of events or a single event object, found {found}"
        )))),
        Err(error) => Err(DeliveryError {
            index: position.get(),
            ..DeliveryError::body(ErrorKind::Json(error))
        }),
    }
}

enum Body<'de, R> {
    Elements(Vec<Element<'de, R>>),
    Other(&'static str),
}

struct BodySeed<'a, R> {
    position: &'a Cell<Option<usize>>,
    marker: PhantomData<R>,
}

impl<'de, R: Deserialize<'de>> DeserializeSeed<'de> for BodySeed<'_, R> {
    type Value = Body<'de, R>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, R: Deserialize<'de>> Visitor<'de> for BodySeed<'_, R> {
    type Value = Body<'de, R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of events or a single event object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut elements = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        loop {
            self.position.set(Some(elements.len()));
            match seq.next_element_seed(ElementVisitor::<R>(PhantomData))? {
                Some(element) => elements.push(element),
                None => break,
            }
        }
        self.position.set(None);
        Ok(Body::Elements(elements))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.position.set(Some(0));
        let members = read_members(map)?;
        self.position.set(None);
        Ok(Body::Elements(vec![Element::Object(members)]))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Body::Other("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Body::Other("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Body::Other("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Body::Other("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Body::Other("a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Body::Other("null"))
    }
}

struct ElementVisitor<R>(PhantomData<R>);

impl<'de, R: Deserialize<'de>> DeserializeSeed<'de> for ElementVisitor<R> {
    type Value = Element<'de, R>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, R: Deserialize<'de>> Visitor<'de> for ElementVisitor<R> {
    type Value = Element<'de, R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        read_members(map).map(Element::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Element::NotObject("an array"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Element::NotObject("null"))
    }
}

fn read_members<'de, A: MapAccess<'de>, R: Deserialize<'de>>(
    mut map: A,
) -> Result<Vec<Member<'de, R>>, A::Error> {
    let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
    while let Some(Key(key)) = map.next_key()? {
        members.push((key, map.next_value()?));
    }
    Ok(members)
}

/// An object key (or a string value), borrowed from the body when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'a>(PhantomData<&'a str>);

        impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
            type Value = Key<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor(PhantomData))
    }
}

// ---------------------------------------------------------------------------------------------
// Internals: typing the raw attributes
// ---------------------------------------------------------------------------------------------

/// The members of one event object, and what is known about it for error messages.
struct Members<'a, 'de, R> {
    index: Option<usize>,
    event_type: Option<String>,
    members: &'a [Member<'de, R>],
}

impl<R: Deref<Target = RawValue>> Members<'_, '_, R> {
    fn error(&self, field: &str, kind: ErrorKind) -> DeliveryError {
        DeliveryError {
            index: self.index,
            event_type: self.event_type.clone(),
            field: Some(field.to_owned()),
            kind,
        }
    }

    fn missing(&self, field: &str) -> DeliveryError {
        self.error(field, ErrorKind::Invalid(format!("missing field `{field}`")))
    }

    /// The raw value of the first of `names` present (the others are aliases).
    fn raw(&self, names: &[&str]) -> Option<&RawValue> {
        self.members
            .iter()
            .find(|(key, _)| names.contains(&key.as_ref()))
            .map(|(_, value)| &**value)
    }

    /// Fails on a repeated member (aliases count as the same member), as serde does.
    fn check_duplicates(&self, aliases: &[&[&str]]) -> Result<(), DeliveryError> {
        let mut seen = std::collections::BTreeSet::new();
        for (key, _) in self.members {
            let key: &str = key;
            let name =
                aliases.iter().find(|names| names.contains(&key)).map_or(key, |names| names[0]);
            if !seen.insert(name) {
                return Err(
                    self.error(name, ErrorKind::Invalid(format!("duplicate field `{key}`")))
                );
            }
        }
        Ok(())
    }

    fn typed<'v, V: Deserialize<'v>>(
        &self,
        field: &str,
        raw: &'v RawValue,
    ) -> Result<V, DeliveryError> {
        serde_json::from_str(raw.get()).map_err(|error| self.error(field, ErrorKind::Json(error)))
    }

    fn required_string(&self, field: &str) -> Result<String, DeliveryError> {
        let raw = self.raw(&[field]).ok_or_else(|| self.missing(field))?;
        self.typed(field, raw)
    }

    fn optional_string(&self, names: &[&str]) -> Result<Option<String>, DeliveryError> {
        match self.raw(names) {
            Some(raw) => self.typed(names[0], raw),
            None => Ok(None),
        }
    }

    fn time(&self, field: &str, raw: &RawValue) -> Result<OffsetDateTime, DeliveryError> {
        let text: String = self.typed(field, raw)?;
        rfc3339::parse(&text)
            .map_err(|error| self.error(field, ErrorKind::Invalid(error.to_string())))
    }

    fn data<T: EventData>(&self, event_type: &str) -> Result<T, DeliveryError> {
        let raw = self.raw(&["data"]).ok_or_else(|| self.missing("data"))?;
        T::decode(event_type, raw).map_err(|error| self.error("data", ErrorKind::Json(error)))
    }
}

fn members_of<'a, 'de, R>(
    index: Option<usize>,
    element: &'a Element<'de, R>,
) -> Result<Members<'a, 'de, R>, DeliveryError> {
    match element {
        Element::Object(members) => Ok(Members { index, event_type: None, members }),
        Element::NotObject(found) => Err(DeliveryError {
            index,
            ..DeliveryError::body(ErrorKind::Invalid(format!(
                "expected an event object, found {found}"
            )))
        }),
    }
}

fn event_grid_from_element<T: EventData, R: Deref<Target = RawValue>>(
    index: Option<usize>,
    element: Element<'_, R>,
) -> Result<EventGridEvent<T>, DeliveryError> {
    let mut members = members_of(index, &element)?;
    // The type first, so that every later error can name it.
    let event_type = members.required_string("eventType")?;
    members.event_type = Some(event_type.clone());
    members.check_duplicates(&[])?;
    let event_time = {
        let raw = members.raw(&["eventTime"]).ok_or_else(|| members.missing("eventTime"))?;
        members.time("eventTime", raw)?
    };
    Ok(EventGridEvent {
        id: members.required_string("id")?,
        topic: members.optional_string(&["topic"])?,
        subject: members.required_string("subject")?,
        data_version: members.required_string("dataVersion")?,
        metadata_version: members.optional_string(&["metadataVersion"])?,
        event_time,
        data: members.data(&event_type)?,
        event_type,
    })
}

fn cloud_event_from_element<T: EventData, R: Deref<Target = RawValue>>(
    index: Option<usize>,
    element: Element<'_, R>,
) -> Result<CloudEvent<T>, DeliveryError> {
    const SPEC_VERSION: &[&str] = &["specversion", "specVersion"];
    let mut members = members_of(index, &element)?;
    let event_type = members.required_string("type")?;
    members.event_type = Some(event_type.clone());
    members.check_duplicates(&[SPEC_VERSION])?;
    let spec_version =
        members.optional_string(SPEC_VERSION)?.ok_or_else(|| members.missing("specversion"))?;
    if members.raw(&["data_base64"]).is_some() {
        return Err(members.error(
            "data_base64",
            ErrorKind::Invalid("binary event data (`data_base64`) is not supported".to_owned()),
        ));
    }
    let time = match members.raw(&["time"]) {
        Some(raw) if raw.get() != "null" => Some(members.time("time", raw)?),
        _ => None,
    };
    let mut extensions = BTreeMap::new();
    for (name, value) in members.members {
        if !CLOUD_EVENT_ATTRIBUTES.contains(&name.as_ref()) {
            extensions.insert(name.clone().into_owned(), (**value).to_owned());
        }
    }
    Ok(CloudEvent {
        id: members.required_string("id")?,
        source: members.required_string("source")?,
        spec_version,
        subject: members.optional_string(&["subject"])?,
        time,
        data_content_type: members.optional_string(&["datacontenttype"])?,
        data_schema: members.optional_string(&["dataschema"])?,
        extensions,
        data: members.data(&event_type)?,
        event_type,
    })
}

fn find_validation<'a, 'de>(
    elements: &'a [Element<'de, &'de RawValue>],
) -> Option<(usize, &'a [Member<'de, &'de RawValue>])> {
    elements.iter().enumerate().find_map(|(index, element)| match element {
        Element::Object(members) => members
            .iter()
            .any(|(key, value)| {
                key.as_ref() == "eventType"
                    && serde_json::from_str::<Cow<'_, str>>(value.get())
                        .is_ok_and(|event_type| event_type == SUBSCRIPTION_VALIDATION_EVENT_TYPE)
            })
            .then_some((index, members.as_slice())),
        Element::NotObject(_) => None,
    })
}

fn subscription_validation(
    index: usize,
    members: &[Member<'_, &RawValue>],
) -> Result<SubscriptionValidation, DeliveryError> {
    #[derive(Deserialize)]
    struct Data {
        #[serde(rename = "validationCode")]
        validation_code: String,
        #[serde(rename = "validationUrl", default)]
        validation_url: Option<String>,
    }
    let members = Members {
        index: Some(index),
        event_type: Some(SUBSCRIPTION_VALIDATION_EVENT_TYPE.to_owned()),
        members,
    };
    let raw = members.raw(&["data"]).ok_or_else(|| members.missing("data"))?;
    let data: Data = members.typed("data", raw)?;
    Ok(SubscriptionValidation {
        validation_code: data.validation_code,
        validation_url: data.validation_url,
    })
}

// ---------------------------------------------------------------------------------------------
// Internals: the fast path
// ---------------------------------------------------------------------------------------------

/// The common case of a CloudEvents delivery: every event an object with the envelope's
/// attributes only, each once and of the right JSON type, read by a derived `Deserialize`
/// straight into the owned strings of the result, with `data` kept as a slice of the body for
/// [`EventData::decode`]. (Event Grid deliveries take [`one_pass`], which follows the same rules
/// and decodes `data` in the same pass.)
///
/// Anything else — a body that is not well-formed, an element that is not an object, an unknown
/// (for CloudEvents: extension) or repeated attribute, a missing or mistyped one, `data_base64`
/// — makes [`events`](fast::events) return `None`, and the general path above reads the
/// whole body again: it gives the same events for everything the fast path accepts (the same
/// JSON values are read by the same `serde_json` types) and the detailed error for the rest. The
/// only errors the fast path reports itself are the ones that come after every envelope check has
/// passed (`eventTime`/`time` not a valid date-time, `data` not decodable), built exactly as the
/// general path builds them.
mod fast {
    use super::*;

    /// Reads every event of `body` with `E` and hands it to `convert` with its index, as soon as
    /// it is read (its `data` is still in the cache); `None` if the body or any event does not
    /// fit.
    pub(super) fn events<'a, E: Deserialize<'a>, R>(
        body: &'a [u8],
        mut convert: impl FnMut(usize, E) -> R,
    ) -> Option<Vec<R>> {
        // One UTF-8 check of the whole body instead of one per string and per raw `data`; a body
        // that is not UTF-8 is the general path's to report.
        let text = std::str::from_utf8(body).ok()?;
        match text.bytes().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))? {
            b'[' => {
                let mut deserializer = serde_json::Deserializer::from_str(text);
                let events = deserializer
                    .deserialize_seq(Events {
                        convert,
                        capacity: expected_events(text.len()),
                        marker: PhantomData,
                    })
                    .ok()?;
                deserializer.end().ok()?;
                Some(events)
            }
            b'{' => {
                serde_json::from_str::<Object<E>>(text).ok().map(|Object(e)| vec![convert(0, e)])
            }
            _ => None,
        }
    }

    /// How many events a body of `len` bytes is likely to hold: real events take 0.5–2 KB each,
    /// so one per KiB rarely needs a second allocation and never reserves more than a small
    /// fraction of the body's own size.
    pub(super) fn expected_events(len: usize) -> usize {
        len / 1024
    }

    /// The array of events: each read as an [`Object`] and converted at once.
    struct Events<E, F> {
        convert: F,
        /// Room reserved up front, so that the vector is not regrown (and its events moved)
        /// again and again while a large delivery is read.
        capacity: usize,
        marker: PhantomData<fn() -> E>,
    }

    impl<'de, E: Deserialize<'de>, R, F: FnMut(usize, E) -> R> Visitor<'de> for Events<E, F> {
        type Value = Vec<R>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON array of events")
        }

        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut events = Vec::with_capacity(self.capacity);
            while let Some(Object(event)) = seq.next_element()? {
                events.push((self.convert)(events.len(), event));
            }
            Ok(events)
        }
    }

    /// `E` read from a JSON object only (a derived struct also accepts an array of its fields).
    #[repr(transparent)]
    struct Object<E>(E);

    impl<'de, E: Deserialize<'de>> Deserialize<'de> for Object<E> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_map(ObjectVisitor(PhantomData))
        }
    }

    struct ObjectVisitor<E>(PhantomData<E>);

    impl<'de, E: Deserialize<'de>> Visitor<'de> for ObjectVisitor<E> {
        type Value = Object<E>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an event object")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            E::deserialize(de::value::MapAccessDeserializer::new(map)).map(Object)
        }
    }

    pub(super) fn error(
        index: usize,
        event_type: &str,
        field: &str,
        kind: ErrorKind,
    ) -> DeliveryError {
        DeliveryError {
            index: Some(index),
            event_type: Some(event_type.to_owned()),
            field: Some(field.to_owned()),
            kind,
        }
    }

    pub(super) fn time(
        index: usize,
        event_type: &str,
        field: &str,
        text: &str,
    ) -> Result<OffsetDateTime, DeliveryError> {
        rfc3339::parse(text)
            .map_err(|e| error(index, event_type, field, ErrorKind::Invalid(e.to_string())))
    }

    fn data<T: EventData>(
        index: usize,
        event_type: &str,
        data: &RawValue,
    ) -> Result<T, DeliveryError> {
        T::decode(event_type, data)
            .map_err(|e| error(index, event_type, "data", ErrorKind::Json(e)))
    }

    /// A CloudEvent without extension attributes and with JSON `data`.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct CloudEventEnvelope<'a> {
        id: String,
        source: String,
        // Both spellings at once are a duplicate field, as in the general path.
        #[serde(alias = "specVersion")]
        specversion: String,
        #[serde(rename = "type")]
        event_type: String,
        #[serde(borrow)]
        data: &'a RawValue,
        subject: Option<String>,
        #[serde(borrow)]
        time: Option<Key<'a>>,
        datacontenttype: Option<String>,
        dataschema: Option<String>,
    }

    impl CloudEventEnvelope<'_> {
        /// The event; the general path checks `time` before `data`, and so does this.
        pub(super) fn into_event<T: EventData>(
            self,
            index: usize,
        ) -> Result<CloudEvent<T>, DeliveryError> {
            let time = match &self.time {
                Some(text) => Some(time(index, &self.event_type, "time", &text.0)?),
                None => None,
            };
            Ok(CloudEvent {
                data: data(index, &self.event_type, self.data)?,
                id: self.id,
                source: self.source,
                spec_version: self.specversion,
                event_type: self.event_type,
                subject: self.subject,
                time,
                data_content_type: self.datacontenttype,
                data_schema: self.dataschema,
                extensions: BTreeMap::new(),
            })
        }
    }
}

/// Event Grid deliveries in one pass, `data` included: every event's type is guessed before the
/// body is parsed, from where `"eventType"` keys stand in the text, so that `data` (which comes
/// before `eventType` in every real event) can be decoded as that type the moment it is read
/// instead of being skipped and read again. Each guess is checked against the event's actual
/// type; a wrong one (a `data` that itself has an `"eventType"` key, say) sends the body to the
/// general path, as does anything else the fast path does not take.
mod one_pass {
    use super::fast::{error, expected_events, time};
    use super::*;

    /// Every Event Grid event of `body`, or `None` for the general path.
    pub(super) fn event_grid<T: EventData>(
        body: &[u8],
    ) -> Option<Vec<Result<EventGridEvent<T>, DeliveryError>>> {
        let text = std::str::from_utf8(body).ok()?;
        let guesses = guesses(text);
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let events = match text.bytes().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))? {
            b'[' => deserializer
                .deserialize_seq(Events::<T> {
                    guesses: &guesses,
                    capacity: expected_events(text.len()),
                    marker: PhantomData,
                })
                .ok()?,
            b'{' => {
                let seed = EnvelopeSeed::<T> {
                    guess: guesses.first().copied().flatten(),
                    marker: PhantomData,
                };
                vec![seed.deserialize(&mut deserializer).ok()?.into_event(0)]
            }
            _ => return None,
        };
        deserializer.end().ok()?;
        Some(events)
    }

    /// The value of every `"eventType": "…"` member in the text, in order (`None` where the value
    /// is not a plain string without escapes). Most come from the envelopes; others (a member of
    /// that name inside `data`, a key ending in an escaped quote and `eventType`) make later
    /// guesses wrong, which the reader notices.
    fn guesses(text: &str) -> Vec<Option<&str>> {
        const KEY: &[u8] = b"\"eventType\"";
        let bytes = text.as_bytes();
        memchr::memmem::find_iter(bytes, KEY)
            .map(|at| {
                let rest = text.get(at + KEY.len()..)?.trim_start();
                let value = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
                let end = value.find(['"', '\\'])?;
                (value.as_bytes()[end] == b'"').then(|| &value[..end])
            })
            .collect()
    }

    struct Events<'g, T> {
        guesses: &'g [Option<&'g str>],
        capacity: usize,
        marker: PhantomData<fn() -> T>,
    }

    impl<'de, T: EventData> Visitor<'de> for Events<'_, T> {
        type Value = Vec<Result<EventGridEvent<T>, DeliveryError>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON array of events")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut events = Vec::with_capacity(self.capacity);
            loop {
                let guess = self.guesses.get(events.len()).copied().flatten();
                let seed = EnvelopeSeed::<T> { guess, marker: PhantomData };
                match seq.next_element_seed(seed)? {
                    Some(envelope) => events.push(envelope.into_event(events.len())),
                    None => return Ok(events),
                }
            }
        }
    }

    /// `data` as decoded in the pass, or kept raw when there was no guess.
    enum Data<'a, T> {
        Decoded(T),
        Raw(&'a RawValue),
    }

    /// The eight attributes of an Event Grid event: each at most once, no others, `topic` and
    /// `metadataVersion` optional, as the general path requires them.
    struct Envelope<'a, T> {
        id: String,
        topic: Option<String>,
        subject: String,
        data: Data<'a, T>,
        event_type: String,
        data_version: String,
        metadata_version: Option<String>,
        event_time: Key<'a>,
    }

    impl<T: EventData> Envelope<'_, T> {
        /// The event; `eventTime` is checked before `data`, as the general path does.
        fn into_event(self, index: usize) -> Result<EventGridEvent<T>, DeliveryError> {
            let event_time = time(index, &self.event_type, "eventTime", &self.event_time.0)?;
            let data = match self.data {
                Data::Decoded(data) => data,
                Data::Raw(raw) => T::decode(&self.event_type, raw)
                    .map_err(|e| error(index, &self.event_type, "data", ErrorKind::Json(e)))?,
            };
            Ok(EventGridEvent {
                data,
                id: self.id,
                topic: self.topic,
                subject: self.subject,
                event_type: self.event_type,
                data_version: self.data_version,
                metadata_version: self.metadata_version,
                event_time,
            })
        }
    }

    struct EnvelopeSeed<'g, T> {
        guess: Option<&'g str>,
        marker: PhantomData<fn() -> T>,
    }

    impl<'de, T: EventData> DeserializeSeed<'de> for EnvelopeSeed<'_, T> {
        type Value = Envelope<'de, T>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_map(self)
        }
    }

    /// Stores `value` in `slot`, which must be empty.
    fn once<V, E: de::Error>(slot: &mut Option<V>, value: V, name: &'static str) -> Result<(), E> {
        match slot.replace(value) {
            None => Ok(()),
            Some(_) => Err(E::duplicate_field(name)),
        }
    }

    impl<'de, T: EventData> Visitor<'de> for EnvelopeSeed<'_, T> {
        type Value = Envelope<'de, T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an Event Grid event object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let (mut id, mut topic, mut subject, mut data) = (None, None, None, None);
            let (mut event_type, mut data_version, mut metadata_version, mut event_time) =
                (None, None, None, None);
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.0.as_ref() {
                    "id" => once(&mut id, map.next_value::<String>()?, "id")?,
                    "topic" => once(&mut topic, map.next_value::<Option<String>>()?, "topic")?,
                    "subject" => once(&mut subject, map.next_value::<String>()?, "subject")?,
                    "data" => {
                        let value = match self.guess {
                            Some(guess) => Data::Decoded(map.next_value_seed(DataSeed::<T> {
                                event_type: guess,
                                marker: PhantomData,
                            })?),
                            None => Data::Raw(map.next_value::<&'de RawValue>()?),
                        };
                        once(&mut data, value, "data")?;
                    }
                    "eventType" => once(&mut event_type, map.next_value::<String>()?, "eventType")?,
                    "dataVersion" => {
                        once(&mut data_version, map.next_value::<String>()?, "dataVersion")?
                    }
                    "metadataVersion" => once(
                        &mut metadata_version,
                        map.next_value::<Option<String>>()?,
                        "metadataVersion",
                    )?,
                    "eventTime" => {
                        once(&mut event_time, map.next_value::<Key<'de>>()?, "eventTime")?
                    }
                    _ => return Err(de::Error::custom("not an Event Grid attribute")),
                }
            }
            let missing = de::Error::missing_field;
            let event_type = event_type.ok_or_else(|| missing("eventType"))?;
            let data = data.ok_or_else(|| missing("data"))?;
            // `data` was decoded as the guessed type: only right if that is the event's type.
            if matches!(data, Data::Decoded(_)) && self.guess != Some(event_type.as_str()) {
                return Err(de::Error::custom("the event type was guessed wrong"));
            }
            Ok(Envelope {
                id: id.ok_or_else(|| missing("id"))?,
                topic: topic.flatten(),
                subject: subject.ok_or_else(|| missing("subject"))?,
                data,
                event_type,
                data_version: data_version.ok_or_else(|| missing("dataVersion"))?,
                metadata_version: metadata_version.flatten(),
                event_time: event_time.ok_or_else(|| missing("eventTime"))?,
            })
        }
    }

    struct DataSeed<'g, T> {
        event_type: &'g str,
        marker: PhantomData<fn() -> T>,
    }

    impl<'de, T: EventData> DeserializeSeed<'de> for DataSeed<'_, T> {
        type Value = T;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
            T::decode_from(self.event_type, deserializer)
        }
    }
}

#[cfg(test)]
mod tests {
    //! The fast path must give exactly what the general path gives: the same events, the same
    //! errors (index, event type, field, message, position), for any body.
    use super::*;
    use proptest::prelude::*;

    /// Keeps the event type and the `data` text; fails (like a generated type) on `data` that is
    /// not an object.
    #[derive(Debug, PartialEq, Serialize)]
    struct Probe {
        event_type: String,
        data: String,
    }

    impl EventData for Probe {
        fn decode(event_type: &str, data: &RawValue) -> Result<Self, serde_json::Error> {
            serde_json::from_str::<BTreeMap<String, serde_json::Value>>(data.get())?;
            Ok(Self { event_type: event_type.to_owned(), data: data.get().to_owned() })
        }

        fn event_type(&self) -> &str {
            &self.event_type
        }
    }

    fn assert_same(body: &[u8]) {
        let text = String::from_utf8_lossy(body);
        let fast = format!("{:?}", parse_event_grid_each::<Probe>(body));
        let general = format!("{:?}", event_grid_each_general::<Probe>(body));
        assert_eq!(fast, general, "Event Grid: {text}");
        let fast = format!("{:?}", Delivery::<Probe>::from_event_grid(body));
        let general = format!("{:?}", Delivery::<Probe>::from_event_grid_general(body));
        assert_eq!(fast, general, "Event Grid webhook: {text}");
        let fast = format!("{:?}", parse_cloud_events_each::<Probe>(body));
        let general = format!("{:?}", cloud_events_each_general::<Probe>(body));
        assert_eq!(fast, general, "CloudEvents: {text}");
        // The `Display` of every error too (`Debug` shows its parts, not the sentence).
        let errors =
            |results: Result<Vec<Result<EventGridEvent<Probe>, DeliveryError>>, DeliveryError>| {
                match results {
                    Ok(events) => events
                        .into_iter()
                        .map(|event| event.err().map(|e| e.to_string()))
                        .collect::<Vec<_>>(),
                    Err(error) => vec![Some(error.to_string())],
                }
            };
        assert_eq!(errors(parse_event_grid_each(body)), errors(event_grid_each_general(body)));
    }

    const EVENT_GRID: &[(&str, &str)] = &[
        ("id", r#""1""#),
        ("topic", r#""/t""#),
        ("subject", r#""s""#),
        ("data", r#"{"threadId": "19:a@thread.v2"}"#),
        ("eventType", r#""T""#),
        ("dataVersion", r#""1.0""#),
        ("metadataVersion", r#""1""#),
        ("eventTime", r#""2021-02-20T00:00:42.5428002Z""#),
    ];

    const CLOUD_EVENT: &[(&str, &str)] = &[
        ("id", r#""1""#),
        ("source", r#""/s""#),
        ("specversion", r#""1.0""#),
        ("type", r#""T""#),
        ("data", r#"{"threadId": "19:a@thread.v2"}"#),
        ("subject", r#""thread/1""#),
        ("time", r#""2021-02-20T00:00:42Z""#),
        ("datacontenttype", r#""application/json""#),
        ("dataschema", r#""https://example.com/schema""#),
    ];

    fn object(members: &[(&str, &str)]) -> String {
        let members: Vec<String> =
            members.iter().map(|(key, value)| format!("\"{key}\": {value}")).collect();
        format!("{{{}}}", members.join(", "))
    }

    /// Every envelope with one member removed, replaced, repeated, respelled, or one added.
    fn variants(base: &[(&'static str, &'static str)]) -> Vec<String> {
        const VALUES: &[&str] = &[
            "null",
            "1",
            "true",
            "[]",
            "{}",
            r#""""#,
            r#""x""#,
            r#""\u0041\n""#,
            r#""\ud800""#,
            r#""2021-02-20T00:00:42.5Z""#,
            r#""2021-02-30T00:00:42Z""#,
            r#""Microsoft.EventGrid.SubscriptionValidationEvent""#,
            r#"{"validationCode": "c"}"#,
            r#"["1", "2"]"#,
        ];
        const EXTRA_KEYS: &[&str] = &[
            "extra",
            "specVersion",
            "specversion",
            "data_base64",
            "event\\u0054ype",
            "Id",
            "traceparent",
        ];
        let mut out = vec![object(base)];
        for i in 0..base.len() {
            let mut removed = base.to_vec();
            removed.remove(i);
            out.push(object(&removed));
            for value in VALUES {
                let mut replaced = base.to_vec();
                replaced[i].1 = value;
                out.push(object(&replaced));
            }
            let mut repeated = base.to_vec();
            repeated.push(base[i]);
            out.push(object(&repeated));
        }
        for key in EXTRA_KEYS {
            for value in [r#""1.0""#, "null", "{}"] {
                let mut added = base.to_vec();
                added.push((key, value));
                out.push(object(&added));
                added.insert(0, (key, value));
                out.push(object(&added));
            }
        }
        let mut reversed = base.to_vec();
        reversed.reverse();
        out.push(object(&reversed));
        out
    }

    #[test]
    fn fast_and_general_paths_agree_on_envelope_variants() {
        let good_grid = object(EVENT_GRID);
        let good_cloud = object(CLOUD_EVENT);
        for event in variants(EVENT_GRID).iter().chain(&variants(CLOUD_EVENT)) {
            assert_same(event.as_bytes());
            assert_same(format!("[{event}]").as_bytes());
            assert_same(format!(" [ {good_grid}, {event} ] \n").as_bytes());
            assert_same(format!("[{event},{good_cloud}]").as_bytes());
        }
    }

    /// The one-pass reader guesses each event's type from the `"eventType"` keys in the text; a
    /// guess that is wrong or missing must never change the result.
    #[test]
    fn fast_and_general_paths_agree_when_event_type_guesses_mislead() {
        let with = |key: &str, value: &str| {
            let members: Vec<(&str, &str)> = EVENT_GRID
                .iter()
                .map(|&(k, v)| if k == key { (k, value) } else { (k, v) })
                .collect();
            object(&members)
        };
        let grid = object(EVENT_GRID);
        let bodies = [
            // `data` with an `eventType` key of its own: every later guess is shifted by one.
            format!("[{}, {grid}, {grid}]", with("data", r#"{"eventType": "U"}"#)),
            format!("[{}, {}]", with("data", r#"{"eventType": "T"}"#), with("eventType", r#""U""#)),
            format!("[{}, {grid}]", with("data", r#"[{"eventType": "T"}, {"eventType": "T"}]"#)),
            // An `eventType` that is not a plain string, or not a string: no guess for it.
            format!("[{}, {grid}]", with("eventType", r#""T\u0041""#)),
            format!("[{}, {grid}]", with("eventType", "1")),
            format!("[{}, {grid}]", with("eventType", "null")),
            // A key that ends in `\"eventType`, and a value that mentions it.
            format!("[{}, {grid}]", with("data", r#"{"a\"eventType": "U"}"#)),
            format!("[{}, {grid}]", with("subject", r#""\"eventType\": \"U\"""#)),
            // More events than guesses, and an event with its `eventType` first.
            format!("[{grid}, {}]", with("eventType", r#""\u0054""#)),
            format!(
                r#"[{{"eventType": "T", "data": {{}}, "id": "1", "subject": "s", "dataVersion": "1", "eventTime": "2021-02-20T00:00:42Z"}}, {grid}]"#
            ),
        ];
        for body in bodies {
            assert_same(body.as_bytes());
        }
    }

    #[test]
    fn fast_and_general_paths_agree_on_odd_bodies() {
        let grid = object(EVENT_GRID);
        let cloud = object(CLOUD_EVENT);
        let bodies = [
            String::new(),
            " ".to_owned(),
            "[]".to_owned(),
            "{}".to_owned(),
            "null".to_owned(),
            "1".to_owned(),
            r#""x""#.to_owned(),
            "[1]".to_owned(),
            "[[]]".to_owned(),
            "[null]".to_owned(),
            // A derived struct would accept its fields as an array; an event must be an object.
            r#"[["1", "/t", "s", {}, "T", "1.0", "1", "2021-02-20T00:00:42Z"]]"#.to_owned(),
            r#"[["1", "/s", "1.0", "T", {}]]"#.to_owned(),
            format!("[{grid},]"),
            format!("[{grid}] x"),
            format!("[{grid}"),
            format!("{grid}{grid}"),
            format!("[{grid} {grid}]"),
            format!("[{grid}, {grid}, 1, {cloud}]"),
            format!("\u{feff}[{grid}]"),
            format!("[{}]", &grid[..grid.len() - 1]),
            grid.replace("\"s\"", "\"s\u{1}\""),
            grid.replace("\"id\"", "\"i\\d\""),
        ];
        for body in &bodies {
            assert_same(body.as_bytes());
        }
        let mut invalid_utf8 = grid.into_bytes();
        let at = invalid_utf8.iter().position(|&b| b == b's').unwrap();
        invalid_utf8[at] = 0xff;
        assert_same(&invalid_utf8);
    }

    fn member() -> impl Strategy<Value = (String, String)> {
        let keys: Vec<&str> = EVENT_GRID
            .iter()
            .chain(CLOUD_EVENT)
            .map(|(key, _)| *key)
            .chain(["specVersion", "data_base64", "x"])
            .collect();
        let values: Vec<&str> = EVENT_GRID
            .iter()
            .chain(CLOUD_EVENT)
            .map(|(_, value)| *value)
            .chain([
                "null",
                "1",
                "[]",
                r#""bad""#,
                r#""Microsoft.EventGrid.SubscriptionValidationEvent""#,
            ])
            .collect();
        (prop::sample::select(keys), prop::sample::select(values))
            .prop_map(|(key, value)| (key.to_owned(), value.to_owned()))
    }

    fn envelope() -> impl Strategy<Value = String> {
        let base = prop_oneof![Just(EVENT_GRID), Just(CLOUD_EVENT)];
        (base, prop::collection::vec((any::<prop::sample::Index>(), member()), 0..4), 0..3usize)
            .prop_map(|(base, edits, removals)| {
                let mut members: Vec<(String, String)> =
                    base.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
                for (at, (key, value)) in edits {
                    // Replace a member's value, or add a member.
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(found) if at.index(2) == 0 => found.1 = value,
                        _ => members.insert(at.index(members.len() + 1), (key, value)),
                    }
                }
                for _ in 0..removals.min(members.len()) {
                    members.remove(removals % members.len());
                }
                let members: Vec<(&str, &str)> =
                    members.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                object(&members)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed_0012), ..ProptestConfig::default() })]

        #[test]
        fn fast_and_general_paths_agree_on_random_envelopes(
            events in prop::collection::vec(envelope(), 1..4),
            single in any::<bool>(),
        ) {
            let body = if single { events[0].clone() } else { format!("[{}]", events.join(",")) };
            assert_same(body.as_bytes());
        }
    }
}
