//! Whatever bytes arrive, the decoders return a value or an error, never panic: the generated
//! models from JSON, error bodies (`ServiceError::from_response`) and event deliveries (Event
//! Grid, CloudEvents, the webhook handshake). Inputs are arbitrary bytes, JSON built from the
//! models' own vocabulary (every wire name and string literal of the generated code), and random
//! mutations of the real payloads in `../shared/conformance`. What decodes must serialize, and
//! decode again to the same value.

#![cfg(all(feature = "rooms", feature = "chat", feature = "callautomation", feature = "events"))]

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use azure_communication::callautomation::{self, CallAutomationEvent};
use azure_communication::chat;
use azure_communication::common;
use azure_communication::events::{self, ChatEvent};
use azure_communication::rooms;
use azure_communication_runtime::error::ServiceError;
use azure_communication_runtime::events::{
    parse_cloud_events, parse_cloud_events_each, parse_event_grid, parse_event_grid_each,
    validation_response, Delivery, EventData,
};
use azure_core::http::{headers::Headers, StatusCode};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

const CONFORMANCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance");

/// A fixed seed, so CI runs the same cases every time; `PROPTEST_RNG_SEED` searches elsewhere.
fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default();
    let rng_seed = match default.rng_seed {
        proptest::test_runner::RngSeed::Random => {
            proptest::test_runner::RngSeed::Fixed(0x5eed_0011)
        }
        chosen => chosen,
    };
    ProptestConfig { cases, rng_seed, ..default }
}

fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        TestCaseError::fail(format!("{what} panicked: {message}"))
    })
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: the string literals of the generated code and the real payloads
// ---------------------------------------------------------------------------------------------

const GENERATED: [&str; 5] = [
    include_str!("../../generated/src/common.rs"),
    include_str!("../../generated/src/rooms.rs"),
    include_str!("../../generated/src/chat.rs"),
    include_str!("../../generated/src/callautomation.rs"),
    include_str!("../../generated/src/events.rs"),
];

/// Short string literals of the generated modules: wire names, enum values, discriminators,
/// event types.
fn vocabulary() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = BTreeSet::new();
        for source in GENERATED {
            for (i, piece) in source.split('"').enumerate() {
                let literal = i % 2 == 1;
                if literal
                    && (1..48).contains(&piece.len())
                    && !piece.contains(['\\', ' ', '{', '}', ':'])
                    && !piece.starts_with("::")
                {
                    words.insert(piece.to_owned());
                }
            }
        }
        words.into_iter().collect()
    })
}

/// Every JSON object found in the conformance files (request and response bodies, events,
/// error bodies, recorded payloads), as values to mutate.
fn real_objects() -> &'static [Value] {
    static OBJECTS: OnceLock<Vec<Value>> = OnceLock::new();
    OBJECTS.get_or_init(|| {
        let mut objects = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(CONFORMANCE)];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let Ok(text) = std::fs::read_to_string(&path) else { continue };
                    let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
                    collect_objects(&value, &mut objects);
                }
            }
        }
        objects.sort_by_key(|v| v.to_string());
        objects.dedup();
        assert!(objects.len() > 100, "the conformance files are missing ({CONFORMANCE})");
        objects
    })
}

fn collect_objects(value: &Value, into: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            into.push(value.clone());
            map.values().for_each(|v| collect_objects(v, into));
        }
        Value::Array(items) => {
            if items.iter().any(Value::is_object) {
                into.push(value.clone());
            }
            items.iter().for_each(|v| collect_objects(v, into));
        }
        Value::String(text) if text.starts_with(['{', '[']) => {
            // Recorded bodies are stored as JSON strings.
            if let Ok(inner) = serde_json::from_str::<Value>(text) {
                collect_objects(&inner, into);
            }
        }
        _ => {}
    }
}

/// The real event deliveries.
fn real_deliveries() -> Vec<Value> {
    let root =
        format!("{CONFORMANCE}/azure-rest-api-specs/eventgrid-communication/2018-01-01/examples");
    let mut deliveries = Vec::new();
    for dir in
        [root.clone(), format!("{root}/event-grid-schema"), format!("{root}/cloud-events-schema")]
    {
        for entry in std::fs::read_dir(&dir).expect("the event examples exist").flatten() {
            if entry.path().extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                deliveries.push(serde_json::from_str(&text).expect("examples are JSON"));
            }
        }
    }
    assert!(deliveries.len() >= 10);
    deliveries
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0..vocabulary().len()).prop_map(|i| vocabulary()[i].clone()),
        1 => "\\PC{0,12}",
    ]
}

fn string_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => word(),
        2 => proptest::sample::select(&[
            "2023-06-26T05:46:17.8159131+00:00", "2023-06-30T00:00:00Z", "2023-06-30T00:00:00",
            "2023-02-30T00:00:00Z", "9999-12-31T23:59:60Z", "-0001-01-01T00:00:00Z",
            "2023-06-30T00:00:00.1234567891234Z", "2023-06-30T24:00:00+25:00",
            "Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
            "8:acs:resource_user", "4:+14250123456", "8:orgid:00000000-0000-0000-0000-000000000000",
            "28:00000000-0000-0000-0000-000000000000", "https://app.contoso.com/callback",
            "not a url", "b4b1c1a4-0000-4000-8000-000000000001", "not-a-uuid", "", " ",
            "99117812428622880", "1e999", "NaN", "\u{0}", "\u{202e}",
        ][..])
        .prop_map(str::to_owned),
        1 => "\\PC{0,24}",
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        1 => (-3i64..300).prop_map(Value::from),
        4 => string_value().prop_map(Value::String),
    ]
}

/// JSON built from the vocabulary: objects have the models' own field names.
fn vocabulary_json() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            1 => prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            3 => prop::collection::vec((word(), inner), 0..7)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// One change at a node chosen by `path` (indices taken modulo the children).
#[derive(Clone, Debug)]
enum Mutation {
    Replace(Vec<usize>, Value),
    Remove(Vec<usize>),
    Insert(Vec<usize>, String, Value),
    Duplicate(Vec<usize>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let path = prop::collection::vec(any::<usize>(), 0..5);
    prop_oneof![
        3 => (path.clone(), prop_oneof![3 => json_leaf(), 1 => vocabulary_json()]).prop_map(|(p, v)| Mutation::Replace(p, v)),
        2 => path.clone().prop_map(Mutation::Remove),
        2 => (path.clone(), word(), json_leaf()).prop_map(|(p, k, v)| Mutation::Insert(p, k, v)),
        1 => path.prop_map(Mutation::Duplicate),
    ]
}

/// Walks `path` down from `value` as far as it goes; returns the node and, when it is the child
/// of a container, that container and the child's key or index.
fn apply(value: &mut Value, mutation: &Mutation) {
    let path = match mutation {
        Mutation::Replace(p, _)
        | Mutation::Remove(p)
        | Mutation::Insert(p, _, _)
        | Mutation::Duplicate(p) => p,
    };
    let mut node = value;
    for (depth, step) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        let len = match &*node {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if len == 0 {
            break;
        }
        let index = step % len;
        if last {
            match (mutation, &mut *node) {
                (Mutation::Remove(_), Value::Object(map)) => {
                    let key = map.keys().nth(index).cloned().unwrap();
                    map.remove(&key);
                    return;
                }
                (Mutation::Remove(_), Value::Array(items)) => {
                    items.remove(index);
                    return;
                }
                (Mutation::Duplicate(_), Value::Array(items)) => {
                    let item = items[index].clone();
                    items.push(item);
                    return;
                }
                _ => {}
            }
        }
        node = match node {
            Value::Object(map) => map.values_mut().nth(index).unwrap(),
            Value::Array(items) => &mut items[index],
            _ => unreachable!(),
        };
    }
    match mutation {
        Mutation::Replace(_, with) => *node = with.clone(),
        Mutation::Insert(_, key, with) => match node {
            Value::Object(map) => {
                map.insert(key.clone(), with.clone());
            }
            Value::Array(items) => items.push(with.clone()),
            other => *other = with.clone(),
        },
        Mutation::Remove(_) => *node = Value::Null,
        Mutation::Duplicate(_) => {
            let copy = node.clone();
            *node = Value::Array(vec![copy.clone(), copy]);
        }
    }
}

/// A real JSON object from the conformance files, mutated.
fn mutated_real_json() -> impl Strategy<Value = Value> {
    (0..real_objects().len(), prop::collection::vec(mutation(), 0..4)).prop_map(|(i, mutations)| {
        let mut value = real_objects()[i].clone();
        for m in &mutations {
            apply(&mut value, m);
        }
        value
    })
}

fn bytes_of(value: &Value, pretty: bool) -> Vec<u8> {
    if pretty {
        serde_json::to_vec_pretty(value).unwrap()
    } else {
        serde_json::to_vec(value).unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/// Decodes `bytes` as `T`; what decodes must serialize and decode again to the same value.
fn check_model<T>(bytes: &[u8]) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let name = std::any::type_name::<T>();
    let Ok(decoded) = no_panic(name, || serde_json::from_slice::<T>(bytes))? else {
        return Ok(());
    };
    let written = no_panic(name, || serde_json::to_vec(&decoded))?;
    let written =
        written.map_err(|e| TestCaseError::fail(format!("{name} does not serialize: {e}")))?;
    let again = serde_json::from_slice::<T>(&written).map_err(|e| {
        TestCaseError::fail(format!(
            "{name}: what it wrote does not decode: {e}\nread:  {}\nwrote: {}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&written)
        ))
    })?;
    prop_assert_eq!(
        &again,
        &decoded,
        "{} does not round-trip\nread:  {}\nwrote: {}",
        name,
        String::from_utf8_lossy(bytes),
        String::from_utf8_lossy(&written)
    );
    Ok(())
}

macro_rules! check_models {
    ($bytes:expr; $($t:ty),* $(,)?) => {{
        let bytes: &[u8] = $bytes;
        $( check_model::<$t>(bytes)?; )*
    }};
}

fn check_all_models(bytes: &[u8]) -> Result<(), TestCaseError> {
    check_models!(bytes;
        common::CommunicationErrorResponse, common::CommunicationError,
        common::CommunicationIdentifierModel, common::PhoneNumberIdentifierModel,
        common::MicrosoftTeamsUserIdentifierModel, common::MicrosoftTeamsAppIdentifierModel,
        common::CommunicationUserIdentifierModel,
        rooms::RoomModel, rooms::CreateRoomRequest, rooms::UpdateRoomRequest,
        rooms::RoomsCollection, rooms::ParticipantsCollection, rooms::UpdateParticipantsRequest,
        rooms::RoomParticipant, rooms::ParticipantProperties,
        chat::ChatMessage, chat::ChatMessagesCollection, chat::ChatThreadProperties,
        chat::ChatThreadsItemCollection, chat::CreateChatThreadRequest,
        chat::CreateChatThreadResult, chat::ChatParticipantsCollection,
        chat::AddChatParticipantsResult, chat::ChatMessageReadReceiptsCollection,
        chat::SendChatMessageRequest, chat::UpdateChatMessageRequest,
        chat::UpdateChatThreadRequest, chat::ChatMessageContent, chat::ChatAttachment,
        callautomation::CallConnectionProperties, callautomation::CreateCallRequest,
        callautomation::AnswerCallRequest, callautomation::GetParticipantsResponse,
        callautomation::PlayRequest, callautomation::PlaySource, callautomation::RecognizeRequest,
        callautomation::CallLocator, callautomation::StartCallRecordingRequest,
        callautomation::RecordingStateResponse, callautomation::AddParticipantsRequest,
        callautomation::TransferToParticipantRequest, callautomation::ResultInformation,
        callautomation::MediaStreamingConfiguration,
        events::AcsChatMessageReceivedEventData, events::AcsChatThreadCreatedWithUserEventData,
        events::AcsChatThreadPropertiesUpdatedEventData,
        events::AcsChatParticipantAddedToThreadWithUserEventData,
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn models_decode_arbitrary_bytes_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..192)) {
        check_all_models(&bytes)?;
    }

    #[test]
    fn models_decode_vocabulary_json_and_round_trip(value in vocabulary_json(), pretty in any::<bool>()) {
        check_all_models(&bytes_of(&value, pretty))?;
    }

    #[test]
    fn models_decode_mutated_real_json_and_round_trip(value in mutated_real_json()) {
        check_all_models(&bytes_of(&value, false))?;
    }

    #[test]
    fn models_decode_truncated_real_json(value in mutated_real_json(), cut in any::<usize>()) {
        let bytes = bytes_of(&value, true);
        check_all_models(&bytes[..cut % (bytes.len() + 1)])?;
    }
}

// ---------------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------------

fn error_body() -> impl Strategy<Value = Vec<u8>> {
    let shaped =
        (prop::option::of(string_value()), prop::option::of(string_value()), vocabulary_json())
            .prop_map(|(code, message, extra)| {
                let mut error = Map::new();
                if let Some(code) = code {
                    error.insert("code".into(), Value::String(code));
                }
                if let Some(message) = message {
                    error.insert("message".into(), Value::String(message));
                }
                error.insert("details".into(), extra);
                serde_json::to_vec(&serde_json::json!({ "error": error })).unwrap()
            });
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..256),
        2 => shaped,
        2 => mutated_real_json().prop_map(|v| bytes_of(&v, false)),
        1 => vocabulary_json().prop_map(|v| bytes_of(&v, false)),
    ]
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn error_bodies_never_panic_and_keep_the_status(
        status in any::<u16>(),
        header_code in prop::option::of(string_value()),
        body in error_body(),
        complete in any::<bool>(),
    ) {
        let status = StatusCode::from(status);
        let mut headers = Headers::new();
        if let Some(code) = &header_code {
            headers.insert("x-ms-error-code", code.clone());
        }
        let error = no_panic("ServiceError::from_response", || {
            ServiceError::from_response(status, &headers, &body, complete)
        })?;
        prop_assert_eq!(error.status(), status);
        let shown = no_panic("ServiceError's Display", || error.to_string())?;
        let prefix = format!("HTTP {}", u16::from(status));
        prop_assert!(shown.starts_with(&prefix), "{}", shown);
        prop_assert!(!shown.chars().any(char::is_control), "control characters in {:?}", shown);
        if let Some(code) = header_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            prop_assert_eq!(error.code(), Some(code), "the header code wins");
        }
        if !complete {
            prop_assert!(error.raw_body().is_none());
        }
        if let Some(parsed) = error.body::<azure_communication::common::CommunicationErrorResponse>() {
            prop_assert!(complete);
            let message = &parsed.error.message;
            let expected = if message.trim().is_empty() { None } else { Some(message.as_str()) };
            prop_assert_eq!(error.message(), expected);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Event deliveries
// ---------------------------------------------------------------------------------------------

/// Decodes `body` with every entry point; what decodes must serialize and decode again to the
/// same events.
fn check_delivery<T>(body: &[u8]) -> Result<(), TestCaseError>
where
    T: EventData + PartialEq + Debug,
{
    let name = std::any::type_name::<T>();
    if let Ok(events) = no_panic("parse_event_grid", || parse_event_grid::<T>(body))? {
        let written = serde_json::to_vec(&events).map_err(|e| {
            TestCaseError::fail(format!("{name}: Event Grid events do not serialize: {e}"))
        })?;
        let again = parse_event_grid::<T>(&written).map_err(|e| {
            TestCaseError::fail(format!(
                "{name}: written Event Grid events do not decode: {e}\n{}",
                String::from_utf8_lossy(&written)
            ))
        })?;
        prop_assert_eq!(
            &again,
            &events,
            "{}: Event Grid round trip of {}",
            name,
            String::from_utf8_lossy(body)
        );
    }
    if let Ok(events) = no_panic("parse_cloud_events", || parse_cloud_events::<T>(body))? {
        let written = serde_json::to_vec(&events).map_err(|e| {
            TestCaseError::fail(format!("{name}: CloudEvents do not serialize: {e}"))
        })?;
        let again = parse_cloud_events::<T>(&written).map_err(|e| {
            TestCaseError::fail(format!(
                "{name}: written CloudEvents do not decode: {e}\n{}",
                String::from_utf8_lossy(&written)
            ))
        })?;
        prop_assert_eq!(
            &again,
            &events,
            "{}: CloudEvents round trip of {}",
            name,
            String::from_utf8_lossy(body)
        );
    }
    if let Ok(each) = no_panic("parse_event_grid_each", || parse_event_grid_each::<T>(body))? {
        for error in each.into_iter().filter_map(Result::err) {
            no_panic("DeliveryError's Display", || error.to_string())?;
        }
    }
    if let Ok(each) = no_panic("parse_cloud_events_each", || parse_cloud_events_each::<T>(body))? {
        for error in each.into_iter().filter_map(Result::err) {
            no_panic("DeliveryError's Display", || error.to_string())?;
        }
    }
    match no_panic("Delivery::from_event_grid", || Delivery::<T>::from_event_grid(body))? {
        Ok(Delivery::SubscriptionValidation(validation)) => {
            prop_assert!(serde_json::to_string(&validation.response()).is_ok());
        }
        Ok(Delivery::Events(events)) => {
            for event in events.into_iter().flatten() {
                prop_assert!(serde_json::to_vec(&event).is_ok());
            }
        }
        Err(error) => {
            no_panic("DeliveryError's Display", || error.to_string())?;
        }
    }
    no_panic("validation_response", || validation_response(body))?;
    Ok(())
}

fn check_deliveries(body: &[u8]) -> Result<(), TestCaseError> {
    check_delivery::<ChatEvent>(body)?;
    check_delivery::<CallAutomationEvent>(body)
}

fn event_type() -> impl Strategy<Value = String> {
    let types: Vec<String> =
        vocabulary().iter().filter(|w| w.starts_with("Microsoft.")).cloned().collect();
    assert!(!types.is_empty());
    prop_oneof![
        6 => proptest::sample::select(types),
        1 => Just("Microsoft.EventGrid.SubscriptionValidationEvent".to_owned()),
        1 => word(),
    ]
}

/// Event Grid or CloudEvents envelopes around vocabulary data, fields sometimes missing or
/// of the wrong type.
fn envelope() -> impl Strategy<Value = Value> {
    let field = |name: &'static str, good: BoxedStrategy<Value>| {
        prop::option::weighted(0.9, prop_oneof![8 => good, 1 => json_leaf().boxed()])
            .prop_map(move |v| v.map(|v| (name.to_owned(), v)))
    };
    let text = || string_value().prop_map(Value::String).boxed();
    let time = || {
        proptest::sample::select(
            &["2021-02-19T00:28:21.7456718Z", "2021-02-19T00:28:21Z", "yesterday"][..],
        )
        .prop_map(|s| Value::String(s.to_owned()))
        .boxed()
    };
    let data = prop_oneof![
        4 => vocabulary_json(),
        1 => Just(serde_json::json!({ "validationCode": "512d38b6", "validationUrl": "https://rp.eventgrid.azure.net/x" })),
    ]
    .boxed();
    (
        any::<bool>(),
        event_type(),
        (field("id", text()), field("subject", text()), field("topic", text())),
        (field("eventTime", time()), field("time", time()), field("dataVersion", text())),
        (
            field("specversion", Just(Value::String("1.0".into())).boxed()),
            field("source", text()),
            field("data", data),
        ),
        prop::option::weighted(0.2, (word(), json_leaf())),
    )
        .prop_map(
            |(
                cloud,
                event_type,
                (id, subject, topic),
                (event_time, time, data_version),
                (spec, source, data),
                extra,
            )| {
                let mut map = Map::new();
                map.insert(
                    if cloud { "type" } else { "eventType" }.to_owned(),
                    Value::String(event_type),
                );
                let fields = if cloud {
                    vec![id, subject, time, spec, source, data, extra]
                } else {
                    vec![id, subject, topic, event_time, data_version, data, extra]
                };
                for (k, v) in fields.into_iter().flatten() {
                    map.insert(k, v);
                }
                Value::Object(map)
            },
        )
}

fn delivery() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => envelope(),
        3 => prop::collection::vec(envelope(), 0..4).prop_map(Value::Array),
    ]
}

fn mutated_real_delivery() -> impl Strategy<Value = Value> {
    let deliveries = real_deliveries();
    (0..deliveries.len(), prop::collection::vec(mutation(), 0..4), any::<bool>()).prop_map(
        move |(i, mutations, batch)| {
            let mut value = deliveries[i].clone();
            for m in &mutations {
                apply(&mut value, m);
            }
            if batch && !value.is_array() {
                value = Value::Array(vec![value]);
            }
            value
        },
    )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn deliveries_of_arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..256)) {
        check_deliveries(&body)?;
    }

    #[test]
    fn vocabulary_deliveries_decode_and_round_trip(value in delivery(), pretty in any::<bool>()) {
        check_deliveries(&bytes_of(&value, pretty))?;
    }

    #[test]
    fn mutated_real_deliveries_decode_and_round_trip(value in mutated_real_delivery()) {
        check_deliveries(&bytes_of(&value, false))?;
    }

    #[test]
    fn truncated_real_deliveries_never_panic(value in mutated_real_delivery(), cut in any::<usize>()) {
        let bytes = bytes_of(&value, true);
        check_deliveries(&bytes[..cut % (bytes.len() + 1)])?;
    }
}

#[test]
fn the_real_deliveries_decode() {
    for delivery in real_deliveries() {
        let bytes = bytes_of(&delivery, true);
        let grid = parse_event_grid::<ChatEvent>(&bytes);
        let cloud = parse_cloud_events::<ChatEvent>(&bytes);
        assert!(grid.is_ok() || cloud.is_ok(), "{delivery}");
    }
}
