//! The fast path must give exactly what the general path gives: the same events, the same
//! errors (index, event type, field, message, position), for any body.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use super::parse::{cloud_events_each_general, event_grid_each_general};
use super::{
    parse_cloud_events_each, parse_event_grid_each, Delivery, DeliveryError, EventData,
    EventGridEvent,
};

/// Keeps the event type and the `data` text; fails (like a generated type) on `data` that is
/// not an object.
#[derive(Debug, PartialEq, Serialize)]
struct Probe {
    event_type: String,
    data: String,
}

impl EventData for Probe {
    fn decode(event_type: &str, data: &RawValue) -> Result<Self, serde_json::Error> {
        serde_json::from_str::<BTreeMap<String, serde_json::Value>>(data.get())?;
        Ok(Self { event_type: event_type.to_owned(), data: data.get().to_owned() })
    }

    fn event_type(&self) -> &str {
        &self.event_type
    }
}

fn assert_same(body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    let fast = format!("{:?}", parse_event_grid_each::<Probe>(body));
    let general = format!("{:?}", event_grid_each_general::<Probe>(body));
    assert_eq!(fast, general, "Event Grid: {text}");
    let fast = format!("{:?}", Delivery::<Probe>::from_event_grid(body));
    let general = format!("{:?}", Delivery::<Probe>::from_event_grid_general(body));
    assert_eq!(fast, general, "Event Grid webhook: {text}");
    let fast = format!("{:?}", parse_cloud_events_each::<Probe>(body));
    let general = format!("{:?}", cloud_events_each_general::<Probe>(body));
    assert_eq!(fast, general, "CloudEvents: {text}");
    // The `Display` of every error too (`Debug` shows its parts, not the sentence).
    let errors =
        |results: Result<Vec<Result<EventGridEvent<Probe>, DeliveryError>>, DeliveryError>| {
            match results {
                Ok(events) => events
                    .into_iter()
                    .map(|event| event.err().map(|e| e.to_string()))
                    .collect::<Vec<_>>(),
                Err(error) => vec![Some(error.to_string())],
            }
        };
    assert_eq!(errors(parse_event_grid_each(body)), errors(event_grid_each_general(body)));
}

const EVENT_GRID: &[(&str, &str)] = &[
    ("id", r#""1""#),
    ("topic", r#""/t""#),
    ("subject", r#""s""#),
    ("data", r#"{"threadId": "19:a@thread.v2"}"#),
    ("eventType", r#""T""#),
    ("dataVersion", r#""1.0""#),
    ("metadataVersion", r#""1""#),
    ("eventTime", r#""2021-02-20T00:00:42.5428002Z""#),
];

const CLOUD_EVENT: &[(&str, &str)] = &[
    ("id", r#""1""#),
    ("source", r#""/s""#),
    ("specversion", r#""1.0""#),
    ("type", r#""T""#),
    ("data", r#"{"threadId": "19:a@thread.v2"}"#),
    ("subject", r#""thread/1""#),
    ("time", r#""2021-02-20T00:00:42Z""#),
    ("datacontenttype", r#""application/json""#),
    ("dataschema", r#""https://example.com/schema""#),
];

fn object(members: &[(&str, &str)]) -> String {
    let members: Vec<String> =
        members.iter().map(|(key, value)| format!("\"{key}\": {value}")).collect();
    format!("{{{}}}", members.join(", "))
}

/// Every envelope with one member removed, replaced, repeated, respelled, or one added.
fn variants(base: &[(&'static str, &'static str)]) -> Vec<String> {
    const VALUES: &[&str] = &[
        "null",
        "1",
        "true",
        "[]",
        "{}",
        r#""""#,
        r#""x""#,
        r#""\u0041\n""#,
        r#""\ud800""#,
        r#""2021-02-20T00:00:42.5Z""#,
        r#""2021-02-30T00:00:42Z""#,
        r#""Microsoft.EventGrid.SubscriptionValidationEvent""#,
        r#"{"validationCode": "c"}"#,
        r#"["1", "2"]"#,
    ];
    const EXTRA_KEYS: &[&str] = &[
        "extra",
        "specVersion",
        "specversion",
        "data_base64",
        "event\\u0054ype",
        "Id",
        "traceparent",
    ];
    let mut out = vec![object(base)];
    for i in 0..base.len() {
        let mut removed = base.to_vec();
        removed.remove(i);
        out.push(object(&removed));
        for value in VALUES {
            let mut replaced = base.to_vec();
            replaced[i].1 = value;
            out.push(object(&replaced));
        }
        let mut repeated = base.to_vec();
        repeated.push(base[i]);
        out.push(object(&repeated));
    }
    for key in EXTRA_KEYS {
        for value in [r#""1.0""#, "null", "{}"] {
            let mut added = base.to_vec();
            added.push((key, value));
            out.push(object(&added));
            added.insert(0, (key, value));
            out.push(object(&added));
        }
    }
    let mut reversed = base.to_vec();
    reversed.reverse();
    out.push(object(&reversed));
    out
}

#[test]
fn fast_and_general_paths_agree_on_envelope_variants() {
    let good_grid = object(EVENT_GRID);
    let good_cloud = object(CLOUD_EVENT);
    for event in variants(EVENT_GRID).iter().chain(&variants(CLOUD_EVENT)) {
        assert_same(event.as_bytes());
        assert_same(format!("[{event}]").as_bytes());
        assert_same(format!(" [ {good_grid}, {event} ] \n").as_bytes());
        assert_same(format!("[{event},{good_cloud}]").as_bytes());
    }
}

/// The one-pass reader guesses each event's type from the `"eventType"` keys in the text; a
/// guess that is wrong or missing must never change the result.
#[test]
fn fast_and_general_paths_agree_when_event_type_guesses_mislead() {
    let with = |key: &str, value: &str| {
        let members: Vec<(&str, &str)> =
            EVENT_GRID.iter().map(|&(k, v)| if k == key { (k, value) } else { (k, v) }).collect();
        object(&members)
    };
    let grid = object(EVENT_GRID);
    let bodies = [
        // `data` with an `eventType` key of its own: every later guess is shifted by one.
        format!("[{}, {grid}, {grid}]", with("data", r#"{"eventType": "U"}"#)),
        format!("[{}, {}]", with("data", r#"{"eventType": "T"}"#), with("eventType", r#""U""#)),
        format!("[{}, {grid}]", with("data", r#"[{"eventType": "T"}, {"eventType": "T"}]"#)),
        // An `eventType` that is not a plain string, or not a string: no guess for it.
        format!("[{}, {grid}]", with("eventType", r#""T\u0041""#)),
        format!("[{}, {grid}]", with("eventType", "1")),
        format!("[{}, {grid}]", with("eventType", "null")),
        // A key that ends in `\"eventType`, and a value that mentions it.
        format!("[{}, {grid}]", with("data", r#"{"a\"eventType": "U"}"#)),
        format!("[{}, {grid}]", with("subject", r#""\"eventType\": \"U\"""#)),
        // More events than guesses, and an event with its `eventType` first.
        format!("[{grid}, {}]", with("eventType", r#""\u0054""#)),
        format!(
            r#"[{{"eventType": "T", "data": {{}}, "id": "1", "subject": "s", "dataVersion": "1", "eventTime": "2021-02-20T00:00:42Z"}}, {grid}]"#
        ),
    ];
    for body in bodies {
        assert_same(body.as_bytes());
    }
}

#[test]
fn fast_and_general_paths_agree_on_odd_bodies() {
    let grid = object(EVENT_GRID);
    let cloud = object(CLOUD_EVENT);
    let bodies = [
        String::new(),
        " ".to_owned(),
        "[]".to_owned(),
        "{}".to_owned(),
        "null".to_owned(),
        "1".to_owned(),
        r#""x""#.to_owned(),
        "[1]".to_owned(),
        "[[]]".to_owned(),
        "[null]".to_owned(),
        // A derived struct would accept its fields as an array; an event must be an object.
        r#"[["1", "/t", "s", {}, "T", "1.0", "1", "2021-02-20T00:00:42Z"]]"#.to_owned(),
        r#"[["1", "/s", "1.0", "T", {}]]"#.to_owned(),
        format!("[{grid},]"),
        format!("[{grid}] x"),
        format!("[{grid}"),
        format!("{grid}{grid}"),
        format!("[{grid} {grid}]"),
        format!("[{grid}, {grid}, 1, {cloud}]"),
        format!("\u{feff}[{grid}]"),
        format!("[{}]", &grid[..grid.len() - 1]),
        grid.replace("\"s\"", "\"s\u{1}\""),
        grid.replace("\"id\"", "\"i\\d\""),
    ];
    for body in &bodies {
        assert_same(body.as_bytes());
    }
    let mut invalid_utf8 = grid.into_bytes();
    let at = invalid_utf8.iter().position(|&b| b == b's').unwrap();
    invalid_utf8[at] = 0xff;
    assert_same(&invalid_utf8);
}

fn member() -> impl Strategy<Value = (String, String)> {
    let keys: Vec<&str> = EVENT_GRID
        .iter()
        .chain(CLOUD_EVENT)
        .map(|(key, _)| *key)
        .chain(["specVersion", "data_base64", "x"])
        .collect();
    let values: Vec<&str> = EVENT_GRID
        .iter()
        .chain(CLOUD_EVENT)
        .map(|(_, value)| *value)
        .chain([
            "null",
            "1",
            "[]",
            r#""bad""#,
            r#""Microsoft.EventGrid.SubscriptionValidationEvent""#,
        ])
        .collect();
    (prop::sample::select(keys), prop::sample::select(values))
        .prop_map(|(key, value)| (key.to_owned(), value.to_owned()))
}

fn envelope() -> impl Strategy<Value = String> {
    let base = prop_oneof![Just(EVENT_GRID), Just(CLOUD_EVENT)];
    (base, prop::collection::vec((any::<prop::sample::Index>(), member()), 0..4), 0..3usize)
        .prop_map(|(base, edits, removals)| {
            let mut members: Vec<(String, String)> =
                base.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
            for (at, (key, value)) in edits {
                // Replace a member's value, or add a member.
                match members.iter_mut().find(|(k, _)| *k == key) {
                    Some(found) if at.index(2) == 0 => found.1 = value,
                    _ => members.insert(at.index(members.len() + 1), (key, value)),
                }
            }
            for _ in 0..removals.min(members.len()) {
                members.remove(removals % members.len());
            }
            let members: Vec<(&str, &str)> =
                members.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            object(&members)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed_0012), ..ProptestConfig::default() })]

    #[test]
    fn fast_and_general_paths_agree_on_random_envelopes(
        events in prop::collection::vec(envelope(), 1..4),
        single in any::<bool>(),
    ) {
        let body = if single { events[0].clone() } else { format!("[{}]", events.join(",")) };
        assert_same(body.as_bytes());
    }
}
