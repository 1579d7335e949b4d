//! Event Grid deliveries in one pass, `data` included: every event's type is guessed before the
//! body is parsed, from where `"eventType"` keys stand in the text, so that `data` (which comes
//! before `eventType` in every real event) can be decoded as that type the moment it is read
//! instead of being skipped and read again. Each guess is checked against the event's actual
//! type; a wrong one (a `data` that itself has an `"eventType"` key, say) sends the body to the
//! general path, as does anything else the fast path does not take.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::error::ErrorKind;
use super::fast::{error, expected_events, time};
use super::raw::Key;
use super::{DeliveryError, EventData, EventGridEvent};

/// Every Event Grid event of `body`, or `None` for the general path.
pub(super) fn event_grid<T: EventData>(
    body: &[u8],
) -> Option<Vec<Result<EventGridEvent<T>, DeliveryError>>> {
    let text = std::str::from_utf8(body).ok()?;
    let guesses = guesses(text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let events = match text.bytes().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))? {
        b'[' => deserializer
            .deserialize_seq(Events::<T> {
                guesses: &guesses,
                capacity: expected_events(text.len()),
                marker: PhantomData,
            })
            .ok()?,
        b'{' => {
            let seed = EnvelopeSeed::<T> {
                guess: guesses.first().copied().flatten(),
                marker: PhantomData,
            };
            vec![seed.deserialize(&mut deserializer).ok()?.into_event(0)]
        }
        _ => return None,
    };
    deserializer.end().ok()?;
    Some(events)
}

/// The value of every `"eventType": "…"` member in the text, in order (`None` where the value
/// is not a plain string without escapes). Most come from the envelopes; others (a member of
/// that name inside `data`, a key ending in an escaped quote and `eventType`) make later
/// guesses wrong, which the reader notices.
fn guesses(text: &str) -> Vec<Option<&str>> {
    const KEY: &[u8] = b"\"eventType\"";
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, KEY)
        .map(|at| {
            let rest = text.get(at + KEY.len()..)?.trim_start();
            let value = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
            let end = value.find(['"', '\\'])?;
            (value.as_bytes()[end] == b'"').then(|| &value[..end])
        })
        .collect()
}

struct Events<'g, T> {
    guesses: &'g [Option<&'g str>],
    capacity: usize,
    marker: PhantomData<fn() -> T>,
}

impl<'de, T: EventData> Visitor<'de> for Events<'_, T> {
    type Value = Vec<Result<EventGridEvent<T>, DeliveryError>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut events = Vec::with_capacity(self.capacity);
        loop {
            let guess = self.guesses.get(events.len()).copied().flatten();
            let seed = EnvelopeSeed::<T> { guess, marker: PhantomData };
            match seq.next_element_seed(seed)? {
                Some(envelope) => events.push(envelope.into_event(events.len())),
                None => return Ok(events),
            }
        }
    }
}

/// `data` as decoded in the pass, or kept raw when there was no guess.
enum Data<'a, T> {
    Decoded(T),
    Raw(&'a RawValue),
}

/// The eight attributes of an Event Grid event: each at most once, no others, `topic` and
/// `metadataVersion` optional, as the general path requires them.
struct Envelope<'a, T> {
    id: String,
    topic: Option<String>,
    subject: String,
    data: Data<'a, T>,
    event_type: String,
    data_version: String,
    metadata_version: Option<String>,
    event_time: Key<'a>,
}

impl<T: EventData> Envelope<'_, T> {
    /// The event; `eventTime` is checked before `data`, as the general path does.
    fn into_event(self, index: usize) -> Result<EventGridEvent<T>, DeliveryError> {
        let event_time = time(index, &self.event_type, "eventTime", &self.event_time.0)?;
        let data = match self.data {
            Data::Decoded(data) => data,
            Data::Raw(raw) => T::decode(&self.event_type, raw)
                .map_err(|e| error(index, &self.event_type, "data", ErrorKind::Json(e)))?,
        };
        Ok(EventGridEvent {
            data,
            id: self.id,
            topic: self.topic,
            subject: self.subject,
            event_type: self.event_type,
            data_version: self.data_version,
            metadata_version: self.metadata_version,
            event_time,
        })
    }
}

struct EnvelopeSeed<'g, T> {
    guess: Option<&'g str>,
    marker: PhantomData<fn() -> T>,
}

impl<'de, T: EventData> DeserializeSeed<'de> for EnvelopeSeed<'_, T> {
    type Value = Envelope<'de, T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// Stores `value` in `slot`, which must be empty.
fn once<V, E: de::Error>(slot: &mut Option<V>, value: V, name: &'static str) -> Result<(), E> {
    match slot.replace(value) {
        None => Ok(()),
        Some(_) => Err(E::duplicate_field(name)),
    }
}

impl<'de, T: EventData> Visitor<'de> for EnvelopeSeed<'_, T> {
    type Value = Envelope<'de, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an Event Grid event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut id, mut topic, mut subject, mut data) = (None, None, None, None);
        let (mut event_type, mut data_version, mut metadata_version, mut event_time) =
            (None, None, None, None);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.0.as_ref() {
                "id" => once(&mut id, map.next_value::<String>()?, "id")?,
                "topic" => once(&mut topic, map.next_value::<Option<String>>()?, "topic")?,
                "subject" => once(&mut subject, map.next_value::<String>()?, "subject")?,
                "data" => {
                    let value = match self.guess {
                        Some(guess) => Data::Decoded(map.next_value_seed(DataSeed::<T> {
                            event_type: guess,
                            marker: PhantomData,
                        })?),
                        None => Data::Raw(map.next_value::<&'de RawValue>()?),
                    };
                    once(&mut data, value, "data")?;
                }
                "eventType" => once(&mut event_type, map.next_value::<String>()?, "eventType")?,
                "dataVersion" => {
                    once(&mut data_version, map.next_value::<String>()?, "dataVersion")?
                }
                "metadataVersion" => once(
                    &mut metadata_version,
                    map.next_value::<Option<String>>()?,
                    "metadataVersion",
                )?,
                "eventTime" => once(&mut event_time, map.next_value::<Key<'de>>()?, "eventTime")?,
                _ => return Err(de::Error::custom("not an Event Grid attribute")),
            }
        }
        let missing = de::Error::missing_field;
        let event_type = event_type.ok_or_else(|| missing("eventType"))?;
        let data = data.ok_or_else(|| missing("data"))?;
        // `data` was decoded as the guessed type: only right if that is the event's type.
        if matches!(data, Data::Decoded(_)) && self.guess != Some(event_type.as_str()) {
            return Err(de::Error::custom("the event type was guessed wrong"));
        }
        Ok(Envelope {
            id: id.ok_or_else(|| missing("id"))?,
            topic: topic.flatten(),
            subject: subject.ok_or_else(|| missing("subject"))?,
            data,
            event_type,
            data_version: data_version.ok_or_else(|| missing("dataVersion"))?,
            metadata_version: metadata_version.flatten(),
            event_time: event_time.ok_or_else(|| missing("eventTime"))?,
        })
    }
}

struct DataSeed<'g, T> {
    event_type: &'g str,
    marker: PhantomData<fn() -> T>,
}

impl<'de, T: EventData> DeserializeSeed<'de> for DataSeed<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode_from(self.event_type, deserializer)
    }
}
