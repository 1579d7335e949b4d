//! The raw pass of the general path: a delivery body read into its elements, each event's
//! attributes kept as raw JSON (borrowed from the body where possible) for the `attributes` module
//! to type.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::error::ErrorKind;
use super::DeliveryError;

/// The attributes of the CloudEvents envelope that are not extensions.
pub(super) const CLOUD_EVENT_ATTRIBUTES: &[&str] = &[
    "id",
    "source",
    "specversion",
    "specVersion",
    "type",
    "data",
    "data_base64",
    "subject",
    "time",
    "datacontenttype",
    "dataschema",
];

/// One member of an event object: its key and its raw value.
pub(super) type Member<'de, R> = (Cow<'de, str>, R);

/// One element of a delivery, with every attribute still raw JSON (`R` is `&RawValue` borrowed
/// from the body, or `Box<RawValue>` for a non-borrowing deserializer).
pub(super) enum Element<'de, R> {
    /// An object: its members in order.
    Object(Vec<Member<'de, R>>),
    /// Anything else; the text names what it was (`"a string"`).
    NotObject(&'static str),
}

/// Reads a delivery body into its elements. A single object is a delivery of one.
pub(super) fn read_body<'de, R: Deserialize<'de>>(
    body: &'de [u8],
) -> Result<Vec<Element<'de, R>>, DeliveryError> {
    // Which element was being read, so that a syntax error can name its event.
    let position = Cell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let result = BodySeed::<R> { position: &position, marker: PhantomData }
        .deserialize(&mut deserializer)
        .and_then(|body| deserializer.end().map(|()| body));
    match result {
        Ok(Body::Elements(elements)) => Ok(elements),
        Ok(Body::Other(found)) => Err(DeliveryError::body(ErrorKind::Invalid(format!(
            "expected a JSON array of events or a single event object, found {found}"
        )))),
        Err(error) => Err(DeliveryError {
            index: position.get(),
            ..DeliveryError::body(ErrorKind::Json(error))
        }),
    }
}

enum Body<'de, R> {
    Elements(Vec<Element<'de, R>>),
    Other(&'static str),
}

struct BodySeed<'a, R> {
    position: &'a Cell<Option<usize>>,
    marker: PhantomData<R>,
}

impl<'de, R: Deserialize<'de>> DeserializeSeed<'de> for BodySeed<'_, R> {
    type Value = Body<'de, R>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, R: Deserialize<'de>> Visitor<'de> for BodySeed<'_, R> {
    type Value = Body<'de, R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of events or a single event object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut elements = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        loop {
            self.position.set(Some(elements.len()));
            match seq.next_element_seed(ElementVisitor::<R>(PhantomData))? {
                Some(element) => elements.push(element),
                None => break,
            }
        }
        self.position.set(None);
        Ok(Body::Elements(elements))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.position.set(Some(0));
        let members = read_members(map)?;
        self.position.set(None);
        Ok(Body::Elements(vec![Element::Object(members)]))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Body::Other("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Body::Other("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Body::Other("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Body::Other("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Body::Other("a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Body::Other("null"))
    }
}

pub(super) struct ElementVisitor<R>(pub(super) PhantomData<R>);

impl<'de, R: Deserialize<'de>> DeserializeSeed<'de> for ElementVisitor<R> {
    type Value = Element<'de, R>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, R: Deserialize<'de>> Visitor<'de> for ElementVisitor<R> {
    type Value = Element<'de, R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        read_members(map).map(Element::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Element::NotObject("an array"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Element::NotObject("a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Element::NotObject("null"))
    }
}

fn read_members<'de, A: MapAccess<'de>, R: Deserialize<'de>>(
    mut map: A,
) -> Result<Vec<Member<'de, R>>, A::Error> {
    let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
    while let Some(Key(key)) = map.next_key()? {
        members.push((key, map.next_value()?));
    }
    Ok(members)
}

/// An object key (or a string value), borrowed from the body when it has no escapes.
pub(super) struct Key<'de>(pub(super) Cow<'de, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'a>(PhantomData<&'a str>);

        impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
            type Value = Key<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor(PhantomData))
    }
}
