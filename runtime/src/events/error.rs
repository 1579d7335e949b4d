//! [`DeliveryError`]: why a delivery, or one event of it, could not be read.

use std::fmt;

/// Why a delivery, or one event of it, could not be read.
///
/// Names the index of the event in the delivery (`None` when the body as a whole is unreadable),
/// its event type when that much could be read, and the field at fault.
#[derive(Debug)]
pub struct DeliveryError {
    pub(super) index: Option<usize>,
    pub(super) event_type: Option<String>,
    pub(super) field: Option<String>,
    pub(super) kind: ErrorKind,
}

#[derive(Debug)]
pub(super) enum ErrorKind {
    Json(serde_json::Error),
    Invalid(String),
}

impl DeliveryError {
    /// The index of the bad event in the delivery (0 for a single-event body); `None` when the
    /// body itself is not JSON, or neither an array nor an object.
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// The event type of the bad event, when it could be read.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// The JSON name of the envelope field at fault (`data` for any problem inside the payload).
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// Whether the body is not even well-formed JSON (as opposed to JSON of the wrong shape).
    pub fn is_syntax(&self) -> bool {
        matches!(&self.kind, ErrorKind::Json(error) if error.is_syntax() || error.is_eof())
    }

    pub(super) fn body(kind: ErrorKind) -> Self {
        Self { index: None, event_type: None, field: None, kind }
    }
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut context = false;
        match (self.index, &self.event_type) {
            (Some(index), Some(event_type)) => write!(f, "event {index} ({event_type})")?,
            (Some(index), None) => write!(f, "event {index}")?,
            (None, Some(event_type)) => write!(f, "event ({event_type})")?,
            (None, None) => {}
        }
        if self.index.is_some() || self.event_type.is_some() {
            context = true;
        }
        if let Some(field) = &self.field {
            if context {
                f.write_str(", ")?;
            }
            write!(f, "field `{field}`")?;
            context = true;
        }
        if context {
            f.write_str(": ")?;
        } else {
            f.write_str("invalid delivery: ")?;
        }
        match &self.kind {
            ErrorKind::Json(error) => fmt::Display::fmt(error, f),
            ErrorKind::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DeliveryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Json(error) => Some(error),
            ErrorKind::Invalid(_) => None,
        }
    }
}
