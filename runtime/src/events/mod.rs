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

mod attributes;
mod deserialize;
mod envelope;
mod error;
mod fast;
mod one_pass;
mod parse;
mod raw;
mod serialize;
#[cfg(test)]
mod tests;
mod webhook;

pub use envelope::{CloudEvent, EventGridEvent};
pub use error::DeliveryError;
pub use parse::{
    parse_cloud_events, parse_cloud_events_each, parse_event_grid, parse_event_grid_each,
};
pub use webhook::{
    validation_response, webhook_allowed_origin, AbuseProtection, Delivery, HandshakeResponse,
    SubscriptionValidation, ValidationResponse, SUBSCRIPTION_VALIDATION_EVENT_TYPE,
    WEBHOOK_ALLOWED_ORIGIN, WEBHOOK_ALLOWED_RATE, WEBHOOK_REQUEST_CALLBACK, WEBHOOK_REQUEST_ORIGIN,
    WEBHOOK_REQUEST_RATE,
};

use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::value::RawValue;

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
