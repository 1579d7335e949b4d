//! Errors shared by the generated enums.

use std::fmt;

/// A value that a closed enum does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEnumValue {
    type_name: &'static str,
    value: String,
    expected: &'static str,
}

impl UnknownEnumValue {
    /// Records that `value` is not one of the values of `type_name`.
    pub fn new(type_name: &'static str, value: &str, expected: &'static str) -> Self {
        Self { type_name, value: value.to_owned(), expected }
    }

    /// The rejected value.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} value '{}', expected {}", self.type_name, self.value, self.expected)
    }
}

impl std::error::Error for UnknownEnumValue {}
