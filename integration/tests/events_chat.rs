//! The generated `events::ChatEvent` against every real chat event sample: each decodes into its
//! typed variant (never the `Other` fallback) and serializes back to the same `data`.

mod events_support;

use azure_communication::events::ChatEvent;
use azure_communication_runtime::datetime::rfc3339;
use azure_communication_runtime::events::{
    parse_cloud_events, parse_event_grid, parse_event_grid_each, EventData,
};
use events_support::{all_samples, Schema};
use serde_json::{json, Value};

/// The typed `data` of every event of a sample, with its event type and the original `data`.
fn decode(sample: &events_support::Sample) -> Vec<(ChatEvent, Value)> {
    let original: Value = serde_json::from_str(&sample.body).expect("sample JSON");
    let originals: Vec<Value> = match original {
        Value::Array(items) => items,
        single => vec![single],
    };
    let typed: Vec<ChatEvent> = match sample.schema {
        Schema::EventGrid => parse_event_grid::<ChatEvent>(sample.body.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", sample.name))
            .into_iter()
            .map(|event| event.data)
            .collect(),
        Schema::CloudEvents => parse_cloud_events::<ChatEvent>(sample.body.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", sample.name))
            .into_iter()
            .map(|event| event.data)
            .collect(),
    };
    assert_eq!(typed.len(), originals.len());
    typed.into_iter().zip(originals.into_iter().map(|event| event["data"].clone())).collect()
}

/// `expected` with every RFC 3339 string normalized the way the crate writes date-times (UTC,
/// `Z`, no trailing zeros), so it can be compared with the output.
fn normalize(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(key, value)| (key, normalize(value))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::String(text) => match rfc3339::parse(&text) {
            Ok(time) => Value::String(rfc3339::format(time)),
            Err(_) => Value::String(text),
        },
        other => other,
    }
}

#[test]
fn every_sample_decodes_to_its_typed_variant_and_round_trips() {
    let mut seen = std::collections::BTreeSet::new();
    for sample in all_samples() {
        for (event, original) in decode(&sample) {
            assert!(!matches!(event, ChatEvent::Other { .. }), "{}: decoded as Other", sample.name);
            assert_eq!(event.event_type(), sample.event_type, "{}", sample.name);
            seen.insert(event.event_type().to_owned());
            let written = normalize(serde_json::to_value(&event).expect("serializes"));
            assert_eq!(written, normalize(original), "{}", sample.name);
        }
    }
    // Every type of the set but the bot command, which has no published sample.
    assert_eq!(seen.len(), 17, "{seen:?}");
}

#[test]
fn version_keeps_number_or_string() {
    for sample in events_support::seed_samples() {
        for (event, original) in decode(&sample) {
            let written = serde_json::to_value(&event).expect("serializes");
            assert_eq!(written["version"], original["version"], "{}", sample.name);
        }
    }
}

#[test]
fn typed_fields_of_real_samples() {
    let samples = events_support::seed_samples();
    let find = |event_type: &str| {
        let sample = samples.iter().find(|s| s.event_type == event_type).expect("seed sample");
        decode(sample).remove(0).0
    };

    let ChatEvent::ChatMessageReceived(received) =
        find("Microsoft.Communication.ChatMessageReceived")
    else {
        panic!("expected ChatMessageReceived")
    };
    assert_eq!(received.message_id, "1613694358927");
    assert_eq!(received.r#type, "Text");
    assert_eq!(received.message_body.as_deref(), Some("Welcome to Azure Communication Services"));
    assert_eq!(
        received.thread_id.as_deref(),
        Some("19:6e5d6ca1d75044a49a36a7965ec4a906@thread.v2")
    );
    assert_eq!(
        received.sender_communication_identifier.raw_id.as_deref(),
        Some("8:acs:109f0644-b956-4cd9-87b1-71024f6e2f44_00000008-578d-7caf-07fd-084822001724")
    );
    assert_eq!(received.version.as_ref().and_then(|v| v.as_i64()), Some(1613694358927));
    assert_eq!(
        received.metadata.as_ref().and_then(|m| m.get("key")).map(String::as_str),
        Some("value")
    );

    let ChatEvent::ChatMessageReceivedInThread(in_thread) =
        find("Microsoft.Communication.ChatMessageReceivedInThread")
    else {
        panic!("expected ChatMessageReceivedInThread")
    };
    assert_eq!(in_thread.version.as_ref().and_then(|v| v.as_str()), Some("1613783230064"));
    assert_eq!(in_thread.message_body, "Talk about new Thread Events in communication services");

    let ChatEvent::ChatThreadCreated(created) = find("Microsoft.Communication.ChatThreadCreated")
    else {
        panic!("expected ChatThreadCreated")
    };
    assert_eq!(created.participants.len(), 4);
    assert_eq!(
        created.properties["topic"],
        "Talk about new Thread Events in communication services"
    );
    assert_eq!(
        created.create_time.map(rfc3339::format).as_deref(),
        Some("2021-02-20T00:31:54.365Z")
    );
}

#[test]
fn typing_indicator_and_bot_command_decode() {
    let typing = events_support::example_samples()
        .into_iter()
        .find(|s| s.event_type == "Microsoft.Communication.ChatTypingIndicatorReceivedInThread")
        .expect("typing indicator example");
    let (event, _) = decode(&typing).remove(0);
    let ChatEvent::ChatTypingIndicatorReceivedInThread(data) = event else {
        panic!("expected ChatTypingIndicatorReceivedInThread, got {event:?}")
    };
    assert_eq!(data.sender_display_name.as_deref(), Some("Jhon"));
    assert_eq!(data.message_id, None);

    let body = json!([{
        "id": "1", "topic": "/t", "subject": "thread/x/sender/y",
        "data": {"messageBody": "/help", "messageId": "1", "type": "Text", "version": "1",
                 "senderCommunicationIdentifier": {"rawId": "28:bot", "kind": "unknown"},
                 "threadId": "19:a@thread.v2", "transactionId": "t"},
        "eventType": "Microsoft.Communication.ChatAzureBotCommandReceivedInThread",
        "dataVersion": "1.0", "metadataVersion": "1", "eventTime": "2024-01-01T00:00:00Z"
    }]);
    let events = parse_event_grid::<ChatEvent>(body.to_string().as_bytes()).expect("parses");
    let ChatEvent::ChatAzureBotCommandReceivedInThread(data) = &events[0].data else {
        panic!("expected ChatAzureBotCommandReceivedInThread, got {:?}", events[0].data)
    };
    assert_eq!(data.message_body.as_deref(), Some("/help"));
}

#[test]
fn a_chat_event_missing_a_required_field_names_it() {
    let sample = events_support::seed_samples().remove(0);
    let body = sample.body.replace("\"messageId\"", "\"messageIdentifier\"");
    let results = parse_event_grid_each::<ChatEvent>(body.as_bytes()).expect("readable");
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.field(), Some("data"));
    assert_eq!(error.event_type(), Some("Microsoft.Communication.ChatMessageReceived"));
    assert!(error.to_string().contains("missing field `messageId`"), "{error}");
}

/// Event Grid batches are read in one pass, each event's `data` decoded as the type guessed from
/// the text before it is parsed. A batch of every sample must decode exactly as each event does
/// alone, also when a `data` member named `eventType` throws every later guess off by one.
#[test]
fn a_batch_decodes_as_its_events_do_alone_even_when_guesses_mislead() {
    let mut events: Vec<Value> = Vec::new();
    for sample in all_samples().iter().filter(|s| matches!(s.schema, Schema::EventGrid)) {
        match serde_json::from_str(&sample.body).expect("sample JSON") {
            Value::Array(items) => events.extend(items),
            single => events.push(single),
        }
    }
    assert!(events.len() >= 10, "only {} Event Grid sample events", events.len());
    let alone: Vec<String> = events
        .iter()
        .map(|event| {
            let body = serde_json::to_vec(event).unwrap();
            format!("{:?}", parse_event_grid_each::<ChatEvent>(&body).unwrap().remove(0))
        })
        .collect();
    let batch = |events: &[Value]| -> Vec<String> {
        let body = serde_json::to_vec(events).unwrap();
        parse_event_grid_each::<ChatEvent>(&body)
            .unwrap()
            .into_iter()
            .map(|event| format!("{event:?}"))
            .collect()
    };
    assert_eq!(batch(&events), alone);

    let mut misleading = events.clone();
    misleading[0]["data"]["note"] =
        json!({ "eventType": "Microsoft.Communication.ChatThreadDeleted" });
    let mut expected = alone.clone();
    let body = serde_json::to_vec(&misleading[0]).unwrap();
    expected[0] = format!("{:?}", parse_event_grid_each::<ChatEvent>(&body).unwrap().remove(0));
    assert_eq!(batch(&misleading), expected);
    assert!(batch(&misleading).iter().all(|event| event.starts_with("Ok(")));
}
