//! Serialization of the envelopes: the JSON they are read from, `eventTime` and `time` in UTC.

use serde::ser::{self, SerializeMap, SerializeStruct, Serializer};
use serde::Serialize;
use time::OffsetDateTime;

use super::raw::CLOUD_EVENT_ATTRIBUTES;
use super::{CloudEvent, EventGridEvent};
use crate::datetime::rfc3339;

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
