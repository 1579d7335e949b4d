//! Typing the raw attributes of the general path: each element of the raw pass checked and read
//! into an envelope, with the errors that name the event and the field; and the subscription
//! validation event found and read.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Deref;

use serde::Deserialize;
use serde_json::value::RawValue;
use time::OffsetDateTime;

use super::error::ErrorKind;
use super::raw::{Element, Member, CLOUD_EVENT_ATTRIBUTES};
use super::{
    CloudEvent, DeliveryError, EventData, EventGridEvent, SubscriptionValidation,
    SUBSCRIPTION_VALIDATION_EVENT_TYPE,
};
use crate::datetime::rfc3339;

/// The members of one event object, and what is known about it for error messages.
struct Members<'a, 'de, R> {
    index: Option<usize>,
    event_type: Option<String>,
    members: &'a [Member<'de, R>],
}

impl<R: Deref<Target = RawValue>> Members<'_, '_, R> {
    fn error(&self, field: &str, kind: ErrorKind) -> DeliveryError {
        DeliveryError {
            index: self.index,
            event_type: self.event_type.clone(),
            field: Some(field.to_owned()),
            kind,
        }
    }

    fn missing(&self, field: &str) -> DeliveryError {
        self.error(field, ErrorKind::Invalid(format!("missing field `{field}`")))
    }

    /// The raw value of the first of `names` present (the others are aliases).
    fn raw(&self, names: &[&str]) -> Option<&RawValue> {
        self.members
            .iter()
            .find(|(key, _)| names.contains(&key.as_ref()))
            .map(|(_, value)| &**value)
    }

    /// Fails on a repeated member (aliases count as the same member), as serde does.
    fn check_duplicates(&self, aliases: &[&[&str]]) -> Result<(), DeliveryError> {
        let mut seen = std::collections::BTreeSet::new();
        for (key, _) in self.members {
            let key: &str = key;
            let name =
                aliases.iter().find(|names| names.contains(&key)).map_or(key, |names| names[0]);
            if !seen.insert(name) {
                return Err(
                    self.error(name, ErrorKind::Invalid(format!("duplicate field `{key}`")))
                );
            }
        }
        Ok(())
    }

    fn typed<'v, V: Deserialize<'v>>(
        &self,
        field: &str,
        raw: &'v RawValue,
    ) -> Result<V, DeliveryError> {
        serde_json::from_str(raw.get()).map_err(|error| self.error(field, ErrorKind::Json(error)))
    }

    fn required_string(&self, field: &str) -> Result<String, DeliveryError> {
        let raw = self.raw(&[field]).ok_or_else(|| self.missing(field))?;
        self.typed(field, raw)
    }

    fn optional_string(&self, names: &[&str]) -> Result<Option<String>, DeliveryError> {
        match self.raw(names) {
            Some(raw) => self.typed(names[0], raw),
            None => Ok(None),
        }
    }

    fn time(&self, field: &str, raw: &RawValue) -> Result<OffsetDateTime, DeliveryError> {
        let text: String = self.typed(field, raw)?;
        rfc3339::parse(&text)
            .map_err(|error| self.error(field, ErrorKind::Invalid(error.to_string())))
    }

    fn data<T: EventData>(&self, event_type: &str) -> Result<T, DeliveryError> {
        let raw = self.raw(&["data"]).ok_or_else(|| self.missing("data"))?;
        T::decode(event_type, raw).map_err(|error| self.error("data", ErrorKind::Json(error)))
    }
}

fn members_of<'a, 'de, R>(
    index: Option<usize>,
    element: &'a Element<'de, R>,
) -> Result<Members<'a, 'de, R>, DeliveryError> {
    match element {
        Element::Object(members) => Ok(Members { index, event_type: None, members }),
        Element::NotObject(found) => Err(DeliveryError {
            index,
            ..DeliveryError::body(ErrorKind::Invalid(format!(
                "expected an event object, found {found}"
            )))
        }),
    }
}

pub(super) fn event_grid_from_element<T: EventData, R: Deref<Target = RawValue>>(
    index: Option<usize>,
    element: Element<'_, R>,
) -> Result<EventGridEvent<T>, DeliveryError> {
    let mut members = members_of(index, &element)?;
    // The type first, so that every later error can name it.
    let event_type = members.required_string("eventType")?;
    members.event_type = Some(event_type.clone());
    members.check_duplicates(&[])?;
    let event_time = {
        let raw = members.raw(&["eventTime"]).ok_or_else(|| members.missing("eventTime"))?;
        members.time("eventTime", raw)?
    };
    Ok(EventGridEvent {
        id: members.required_string("id")?,
        topic: members.optional_string(&["topic"])?,
        subject: members.required_string("subject")?,
        data_version: members.required_string("dataVersion")?,
        metadata_version: members.optional_string(&["metadataVersion"])?,
        event_time,
        data: members.data(&event_type)?,
        event_type,
    })
}

pub(super) fn cloud_event_from_element<T: EventData, R: Deref<Target = RawValue>>(
    index: Option<usize>,
    element: Element<'_, R>,
) -> Result<CloudEvent<T>, DeliveryError> {
    const SPEC_VERSION: &[&str] = &["specversion", "specVersion"];
    let mut members = members_of(index, &element)?;
    let event_type = members.required_string("type")?;
    members.event_type = Some(event_type.clone());
    members.check_duplicates(&[SPEC_VERSION])?;
    let spec_version =
        members.optional_string(SPEC_VERSION)?.ok_or_else(|| members.missing("specversion"))?;
    if members.raw(&["data_base64"]).is_some() {
        return Err(members.error(
            "data_base64",
            ErrorKind::Invalid("binary event data (`data_base64`) is not supported".to_owned()),
        ));
    }
    let time = match members.raw(&["time"]) {
        Some(raw) if raw.get() != "null" => Some(members.time("time", raw)?),
        _ => None,
    };
    let mut extensions = BTreeMap::new();
    for (name, value) in members.members {
        if !CLOUD_EVENT_ATTRIBUTES.contains(&name.as_ref()) {
            extensions.insert(name.clone().into_owned(), (**value).to_owned());
        }
    }
    Ok(CloudEvent {
        id: members.required_string("id")?,
        source: members.required_string("source")?,
        spec_version,
        subject: members.optional_string(&["subject"])?,
        time,
        data_content_type: members.optional_string(&["datacontenttype"])?,
        data_schema: members.optional_string(&["dataschema"])?,
        extensions,
        data: members.data(&event_type)?,
        event_type,
    })
}

pub(super) fn find_validation<'a, 'de>(
    elements: &'a [Element<'de, &'de RawValue>],
) -> Option<(usize, &'a [Member<'de, &'de RawValue>])> {
    elements.iter().enumerate().find_map(|(index, element)| match element {
        Element::Object(members) => members
            .iter()
            .any(|(key, value)| {
                key.as_ref() == "eventType"
                    && serde_json::from_str::<Cow<'_, str>>(value.get())
                        .is_ok_and(|event_type| event_type == SUBSCRIPTION_VALIDATION_EVENT_TYPE)
            })
            .then_some((index, members.as_slice())),
        Element::NotObject(_) => None,
    })
}

pub(super) fn subscription_validation(
    index: usize,
    members: &[Member<'_, &RawValue>],
) -> Result<SubscriptionValidation, DeliveryError> {
    #[derive(Deserialize)]
    struct Data {
        #[serde(rename = "validationCode")]
        validation_code: String,
        #[serde(rename = "validationUrl", default)]
        validation_url: Option<String>,
    }
    let members = Members {
        index: Some(index),
        event_type: Some(SUBSCRIPTION_VALIDATION_EVENT_TYPE.to_owned()),
        members,
    };
    let raw = members.raw(&["data"]).ok_or_else(|| members.missing("data"))?;
    let data: Data = members.typed("data", raw)?;
    Ok(SubscriptionValidation {
        validation_code: data.validation_code,
        validation_url: data.validation_url,
    })
}
