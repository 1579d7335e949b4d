//! Deserialization of the envelopes, for events embedded in other types; delivery bodies use the
//! parse functions.

use std::marker::PhantomData;

use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::attributes::{cloud_event_from_element, event_grid_from_element};
use super::raw::ElementVisitor;
use super::{CloudEvent, EventData, EventGridEvent};

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
