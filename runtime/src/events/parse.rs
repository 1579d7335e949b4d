//! The public parse functions: a delivery body read into [`EventGridEvent`]s or [`CloudEvent`]s,
//! by the fast path when it fits and by the general path otherwise.

use serde_json::value::RawValue;

use super::attributes::{cloud_event_from_element, event_grid_from_element};
use super::raw::read_body;
use super::{fast, one_pass, CloudEvent, DeliveryError, EventData, EventGridEvent};

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
pub(super) fn event_grid_each_general<T: EventData>(
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
pub(super) fn cloud_events_each_general<T: EventData>(
    body: &[u8],
) -> Result<Vec<Result<CloudEvent<T>, DeliveryError>>, DeliveryError> {
    let elements = read_body::<&RawValue>(body)?;
    Ok(elements
        .into_iter()
        .enumerate()
        .map(|(index, element)| cloud_event_from_element(Some(index), element))
        .collect())
}
