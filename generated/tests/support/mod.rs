//! Helpers for the generated example tests. Hand-written: shared by every generated test.

#![allow(dead_code)]

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
        Err(e) => panic!("the example does not deserialize into {}: {e}\n{json}", std::any::type_name::<T>()),
    };
    let written = serde_json::to_value(&typed).expect("the model serializes");
    assert_same_json(&original, &written, "$");
}

/// Compares two JSON values, treating RFC 3339 strings that denote the same instant as equal.
pub fn assert_same_json(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            let keys_a: Vec<&String> = a.keys().collect();
            let keys_b: Vec<&String> = b.keys().collect();
            assert_eq!(keys_a, keys_b, "different keys at {path}");
            for (k, v) in a {
                assert_same_json(v, &b[k], &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "different lengths at {path}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_same_json(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let same_instant = match (OffsetDateTime::parse(a, &Rfc3339), OffsetDateTime::parse(b, &Rfc3339)) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            };
            assert!(same_instant, "different values at {path}: {a:?} vs {b:?}");
        }
        (Value::Number(a), Value::Number(b)) => {
            assert_eq!(a.as_f64(), b.as_f64(), "different numbers at {path}");
        }
        (a, b) => assert_eq!(a, b, "different values at {path}"),
    }
}
