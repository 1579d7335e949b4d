//! A JSON value that the service sends as a number in some payloads and as a string in others.
//!
//! Azure Communication Services chat events carry a `version` that is `1613694358927` in the
//! user-level events and `"1613783230064"` in the thread-level ones. [`NumberOrString`] accepts
//! both and remembers which one arrived, so serializing writes back exactly what was read.
#![deny(missing_docs)]

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A value sent as either a JSON number or a JSON string; which one is kept.
///
/// Numbers are stored as [`serde_json::Number`], so integers up to `u64::MAX` and down to
/// `i64::MIN` round-trip exactly. Use [`NumberOrString::as_i64`] to read an integer whichever way
/// it was sent.
///
/// ```
/// use azure_communication_runtime::number_or_string::NumberOrString;
///
/// let number: NumberOrString = serde_json::from_str("1613694358927").unwrap();
/// let string: NumberOrString = serde_json::from_str("\"1613694358927\"").unwrap();
/// assert_eq!(number.as_i64(), string.as_i64());
/// assert_eq!(serde_json::to_string(&string).unwrap(), "\"1613694358927\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NumberOrString {
    /// The value was a JSON number.
    Number(serde_json::Number),
    /// The value was a JSON string.
    String(String),
}

impl NumberOrString {
    /// The value as an `i64`: the number if it is an integer in range, or the string parsed as a
    /// decimal integer. `None` for fractions, out-of-range values and non-numeric strings.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(number) => number.as_i64(),
            Self::String(string) => string.parse().ok(),
        }
    }

    /// The string, if the value was sent as a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Number(_) => None,
            Self::String(string) => Some(string),
        }
    }

    /// The number, if the value was sent as a number.
    pub fn as_number(&self) -> Option<&serde_json::Number> {
        match self {
            Self::Number(number) => Some(number),
            Self::String(_) => None,
        }
    }
}

/// Writes the number, or the string without quotes.
impl fmt::Display for NumberOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(number) => fmt::Display::fmt(number, f),
            Self::String(string) => f.write_str(string),
        }
    }
}

impl From<i64> for NumberOrString {
    fn from(value: i64) -> Self {
        Self::Number(value.into())
    }
}

impl From<u64> for NumberOrString {
    fn from(value: u64) -> Self {
        Self::Number(value.into())
    }
}

impl From<serde_json::Number> for NumberOrString {
    fn from(value: serde_json::Number) -> Self {
        Self::Number(value)
    }
}

impl From<String> for NumberOrString {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<&str> for NumberOrString {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl Serialize for NumberOrString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(number) => number.serialize(serializer),
            Self::String(string) => serializer.serialize_str(string),
        }
    }
}

impl<'de> Deserialize<'de> for NumberOrString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumberOrStringVisitor)
    }
}

struct NumberOrStringVisitor;

impl Visitor<'_> for NumberOrStringVisitor {
    type Value = NumberOrString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(NumberOrString::Number(value.into()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(NumberOrString::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(value)
            .map(NumberOrString::Number)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(value), &"a finite number"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(NumberOrString::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(NumberOrString::String(value))
    }
}
