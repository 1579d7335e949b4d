//! The two envelopes: [`EventGridEvent`] (the Event Grid schema) and [`CloudEvent`] (CloudEvents
//! 1.0, JSON structured mode). Their `Serialize` and `Deserialize` impls are in the `serialize`
//! and `deserialize` modules.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use time::OffsetDateTime;

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
