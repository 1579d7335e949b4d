//! Helpers for the generated tests. Hand-written: shared by every generated test.

#![allow(dead_code)]

pub mod openapi;
pub mod wire;

/// The first status response of a long-running operation's poller (the answer to its first
/// request), or the error that answer was. The poller is dropped after it: no status monitor is
/// polled.
pub async fn first_status<M>(
    poller: azure_core::Result<azure_core::http::Poller<M>>,
) -> azure_core::Result<azure_core::http::Response<M>>
where
    M: azure_core::http::poller::StatusMonitor,
{
    use futures::TryStreamExt as _;
    let mut poller = poller?;
    poller.try_next().await?.ok_or_else(|| {
        azure_core::Error::with_message(
            azure_core::error::ErrorKind::Other,
            "the poller ended without a status",
        )
    })
}

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Deserializes `json` into `T`, serializes it back and asserts that the two JSON values are
/// equal. Timestamps are compared as instants: `2023-06-30T00:00:00+00:00` and
/// `2023-06-30T00:00:00Z` are the same value written two ways, and the models always write the
/// shorter one.
pub fn assert_round_trip<T: DeserializeOwned + Serialize>(json: &str) {
    let original: Value = serde_json::from_str(json).expect("the example is valid JSON");
    let typed: T = match serde_json::from_str(json) {
        Ok(typed) => typed,
        Err(e) => panic!(
            "the example does not deserialize into {}: {e}\n{json}",
            std::any::type_name::<T>()
        ),
    };
    let written = serde_json::to_value(&typed).expect("the model serializes");
    assert_same_json(&original, &written, "$");
}

/// Decodes `json`, a whole event delivery (an array of events or a single event, in the Event
/// Grid or the CloudEvents schema, told apart by `specversion`), with the event set `E`; asserts
/// that every event decoded into a typed variant of its event type rather than `E`'s `Other`
/// fallback, and that the events serialize back to the same JSON value (timestamps compared as
/// instants, as in [`assert_round_trip`]). The tests generated from an event set's `examples`
/// call it.
pub fn assert_delivery_round_trip<E>(json: &str)
where
    E: azure_communication_runtime::events::EventData + std::fmt::Debug,
{
    use azure_communication_runtime::events::{
        parse_cloud_events, parse_event_grid, DeliveryError,
    };

    fn fail<T>(type_name: &str, json: &str, e: DeliveryError) -> T {
        panic!("the example does not decode as a delivery of {type_name}: {e}\n{json}")
    }

    let original: Value = serde_json::from_str(json).expect("the example is valid JSON");
    let first = match &original {
        Value::Array(events) => events.first(),
        single => Some(single),
    };
    let cloud_events =
        first.is_some_and(|event| event.get("specversion").or(event.get("specVersion")).is_some());
    let type_name = std::any::type_name::<E>();
    // (envelope event type, decoded data, the event written back)
    let events: Vec<(String, E, Value)> = if cloud_events {
        parse_cloud_events::<E>(json.as_bytes())
            .unwrap_or_else(|e| fail(type_name, json, e))
            .into_iter()
            .map(|event| {
                let written = serde_json::to_value(&event).expect("the event serializes");
                (event.event_type, event.data, written)
            })
            .collect()
    } else {
        parse_event_grid::<E>(json.as_bytes())
            .unwrap_or_else(|e| fail(type_name, json, e))
            .into_iter()
            .map(|event| {
                let written = serde_json::to_value(&event).expect("the event serializes");
                (event.event_type, event.data, written)
            })
            .collect()
    };
    let mut written = Vec::new();
    for (index, (event_type, data, value)) in events.into_iter().enumerate() {
        assert_eq!(data.event_type(), event_type, "event {index}");
        // Generated event sets derive `Debug`, which names the variant first.
        assert!(
            !format!("{data:?}").starts_with("Other"),
            "event {index} ({event_type}) is not a type of {type_name}: it decoded to `Other`"
        );
        written.push(value);
    }
    let written = match original {
        Value::Array(_) => Value::Array(written),
        _ => written.pop().expect("one event"),
    };
    assert_same_json(&original, &written, "$");
}

/// Asserts that two JSON values are the same (see [`first_difference`]).
pub fn assert_same_json(expected: &Value, actual: &Value, path: &str) {
    if let Some(difference) = first_difference(expected, actual, path) {
        panic!("{difference}\nexpected: {expected}\nactual:   {actual}");
    }
}

/// Whether two JSON values are the same (see [`first_difference`]).
pub fn same_json(expected: &Value, actual: &Value) -> bool {
    first_difference(expected, actual, "$").is_none()
}

/// Where two JSON values first differ, treating RFC 3339 strings that denote the same instant
/// as equal and numbers by value.
pub fn first_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            let keys_a: Vec<&String> = a.keys().collect();
            let keys_b: Vec<&String> = b.keys().collect();
            if keys_a != keys_b {
                return Some(format!("different keys at {path}: {keys_a:?} vs {keys_b:?}"));
            }
            a.iter().find_map(|(k, v)| first_difference(v, &b[k], &format!("{path}.{k}")))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("different lengths at {path}: {} vs {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]")))
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let same_instant =
                match (OffsetDateTime::parse(a, &Rfc3339), OffsetDateTime::parse(b, &Rfc3339)) {
                    (Ok(x), Ok(y)) => x == y,
                    _ => false,
                };
            (!same_instant).then(|| format!("different values at {path}: {a:?} vs {b:?}"))
        }
        (Value::Number(a), Value::Number(b)) => {
            (a.as_f64() != b.as_f64()).then(|| format!("different numbers at {path}: {a} vs {b}"))
        }
        (a, b) => (a != b).then(|| format!("different values at {path}: {a} vs {b}")),
    }
}

/// `json` with the top-level keys renamed from each `(old, new)` pair: a documented body that
/// uses a property's older name, compared with what the model writes.
pub fn rename_keys(json: Value, renames: &[(&str, &str)]) -> Value {
    match json {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match renames.iter().find(|(old, _)| *old == k) {
                    Some((_, new)) => ((*new).to_owned(), v),
                    None => (k, v),
                })
                .collect(),
        ),
        other => other,
    }
}

/// `expected` without the object members, at any depth, that are `null` there and missing from
/// `actual`. A documented plain JSON request may write an unset optional property as `null`
/// (the Call Automation example `Content_Recording.json` does), where the models leave it out;
/// [`wire::JsonBody`] compares such bodies (not merge patches, where `null` means "remove") with
/// the nulls the request left out removed. A `null` the request does send is still compared.
pub fn without_absent_nulls(expected: &Value, actual: &Value) -> Value {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => Value::Object(
            e.iter()
                .filter(|(k, v)| !v.is_null() || a.contains_key(*k))
                .map(|(k, v)| {
                    let v = match a.get(k) {
                        Some(actual) => without_absent_nulls(v, actual),
                        None => v.clone(),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            Value::Array(e.iter().zip(a).map(|(x, y)| without_absent_nulls(x, y)).collect())
        }
        _ => expected.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_the_request_left_out_are_removed_at_any_depth() {
        let expected = json!({
            "a": null,
            "b": { "c": null, "d": 1 },
            "e": [{ "f": null, "g": "x" }]
        });
        let actual = json!({ "b": { "d": 1 }, "e": [{ "g": "x" }] });
        assert!(!same_json(&expected, &actual));
        let trimmed = without_absent_nulls(&expected, &actual);
        assert_eq!(trimmed, json!({ "b": { "d": 1 }, "e": [{ "g": "x" }] }));
        assert!(same_json(&trimmed, &actual));
    }

    #[test]
    fn nulls_the_request_sends_and_other_differences_are_kept() {
        // A null the request sends stays, and still has to match.
        let expected = json!({ "a": null, "b": 1 });
        assert_eq!(without_absent_nulls(&expected, &json!({ "a": null, "b": 1 })), expected);
        assert!(!same_json(
            &without_absent_nulls(&expected, &json!({ "a": 2, "b": 1 })),
            &json!({ "a": 2, "b": 1 })
        ));
        // A missing member that is not null in the expected value is still a difference.
        let expected = json!({ "a": 1, "b": 1 });
        let actual = json!({ "b": 1 });
        assert!(!same_json(&without_absent_nulls(&expected, &actual), &actual));
        // A null array element is not a member: arrays keep their length.
        let expected = json!([null, 1]);
        let actual = json!([1]);
        assert!(!same_json(&without_absent_nulls(&expected, &actual), &actual));
    }
}
