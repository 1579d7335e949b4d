//! A field of a JSON merge-patch body: left out, `null`, or a value.
//!
//! In a merge-patch (`application/merge-patch+json`) request, leaving a field out keeps what the
//! service stores, `null` removes it and a value replaces it. `Option<T>` can only say two of
//! the three, so update models use [`Nullable<T>`] for every field that can be cleared.

/// A field that is absent, explicitly `null`, or a value.
///
/// Generated structs mark these fields `#[serde(default, skip_serializing_if =
/// "Nullable::is_absent")]`, so `Absent` is left out of the JSON, `Null` is written as `null`
/// and `Value` as the value; reading does the reverse.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent: the service keeps the stored value.
    #[default]
    Absent,
    /// Sent as `null`: the service removes the stored value.
    Null,
    /// Sent as this value: the service replaces the stored value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out of the JSON.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

/// So a string field can be set from a literal: `.with_topic("Lunch")`.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached when a container does not skip absent fields; `null` is the closest.
            Self::Absent | Self::Null => serializer.serialize_none(),
            Self::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A missing field never reaches here (`#[serde(default)]` makes it `Absent`).
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        topic: Nullable<String>,
    }

    #[test]
    fn absent_null_and_value_are_three_different_bodies() {
        let cases = [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"topic":null}"#),
            (Nullable::Value("Lunch".to_owned()), r#"{"topic":"Lunch"}"#),
        ];
        for (topic, json) in cases {
            let patch = Patch { topic };
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
        }
    }
}
