//! Helpers for the generated tests. Hand-written: shared by every generated test.

#![allow(dead_code)]

pub mod openapi;
pub mod wire;

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

/// Decodes a whole Event Grid delivery (an array of events or a single event) with the event
/// set `T`, serializes it back and asserts that the JSON is the same (see [`first_difference`]).
pub fn assert_delivery_round_trip<T: azure_communication_runtime::events::EventData>(json: &str) {
    let original: Value = serde_json::from_str(json).expect("the example is valid JSON");
    let events = match azure_communication_runtime::events::parse_event_grid::<T>(json.as_bytes()) {
        Ok(events) => events,
        Err(e) => panic!("the delivery does not decode: {e}\n{json}"),
    };
    let written = if original.is_array() {
        serde_json::to_value(&events).expect("the events serialize")
    } else {
        serde_json::to_value(&events[0]).expect("the event serializes")
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
