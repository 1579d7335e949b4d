//! The common case of a CloudEvents delivery: every event an object with the envelope's
//! attributes only, each once and of the right JSON type, read by a derived `Deserialize`
//! straight into the owned strings of the result, with `data` kept as a slice of the body for
//! [`EventData::decode`]. (Event Grid deliveries take [`one_pass`](super::one_pass), which
//! follows the same rules and decodes `data` in the same pass.)
//!
//! Anything else — a body that is not well-formed, an element that is not an object, an unknown
//! (for CloudEvents: extension) or repeated attribute, a missing or mistyped one, `data_base64` —
//! makes [`events`] return `None`, and the general path reads the whole body again: it gives the
//! same events for everything the fast path accepts (the same JSON values are read by the same
//! `serde_json` types) and the detailed error for the rest. The only errors the fast path reports
//! itself are the ones that come after every envelope check has passed (`eventTime`/`time` not a
//! valid date-time, `data` not decodable), built exactly as the general path builds them.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use time::OffsetDateTime;

use super::error::ErrorKind;
use super::raw::Key;
use super::{CloudEvent, DeliveryError, EventData};
use crate::datetime::rfc3339;

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
        b'{' => serde_json::from_str::<Object<E>>(text).ok().map(|Object(e)| vec![convert(0, e)]),
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

pub(super) fn error(index: usize, event_type: &str, field: &str, kind: ErrorKind) -> DeliveryError {
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

fn data<T: EventData>(index: usize, event_type: &str, data: &RawValue) -> Result<T, DeliveryError> {
    T::decode(event_type, data).map_err(|e| error(index, event_type, "data", ErrorKind::Json(e)))
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
