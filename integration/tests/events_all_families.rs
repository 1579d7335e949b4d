//! One enum for every event family: `CommunicationEvent` decodes each event of a mixed delivery
//! into the variant of its family, keeps unknown types in `Other`, and writes every event back
//! as it came. The deliveries are the real samples (seed document 003 and the official example
//! files) and the examples written for every other family in `specs/events.yaml`.

mod events_support;

use azure_communication::events::{
    AdvancedMessageEvent, CallingEvent, ChatEvent, CommunicationEvent, EmailEvent, PresenceEvent,
    RecordingEvent, RouterEvent, SmsEvent,
};
use azure_communication::{parse_cloud_events, parse_event_grid, EventData as _};
use azure_communication_test_support as support;
use serde_json::Value;

/// Every Event Grid event of the examples of `specs/events.yaml`, one JSON object each.
fn spec_example_events() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/events.yaml");
    let text = std::fs::read_to_string(path).expect("specs/events.yaml");
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let mut events = Vec::new();
    for (_, set) in spec["events"].as_mapping().expect("event sets") {
        for example in set["examples"].as_sequence().into_iter().flatten() {
            let example: Value = serde_json::to_value(example).expect("JSON-compatible");
            match example {
                Value::Array(items) => events.extend(items),
                single => events.push(single),
            }
        }
    }
    events
}

/// The family variant an event type belongs to, as its sets say.
fn family(event_type: &str) -> &'static str {
    [
        (ChatEvent::knows(event_type), "Chat"),
        (CallingEvent::knows(event_type), "Calling"),
        (RecordingEvent::knows(event_type), "Recording"),
        (SmsEvent::knows(event_type), "Sms"),
        (EmailEvent::knows(event_type), "Email"),
        (RouterEvent::knows(event_type), "Router"),
        (AdvancedMessageEvent::knows(event_type), "AdvancedMessage"),
        (PresenceEvent::knows(event_type), "Presence"),
    ]
    .into_iter()
    .find_map(|(known, name)| known.then_some(name))
    .unwrap_or("Other")
}

fn variant(event: &CommunicationEvent) -> &'static str {
    match event {
        CommunicationEvent::Chat(_) => "Chat",
        CommunicationEvent::Calling(_) => "Calling",
        CommunicationEvent::Recording(_) => "Recording",
        CommunicationEvent::Sms(_) => "Sms",
        CommunicationEvent::Email(_) => "Email",
        CommunicationEvent::Router(_) => "Router",
        CommunicationEvent::AdvancedMessage(_) => "AdvancedMessage",
        CommunicationEvent::Presence(_) => "Presence",
        _ => "Other",
    }
}

#[test]
fn a_mixed_delivery_of_every_family_decodes_into_each_family_and_round_trips() {
    let mut events = spec_example_events();
    let families: std::collections::BTreeSet<&str> =
        events.iter().map(|e| family(e["eventType"].as_str().unwrap_or_default())).collect();
    assert_eq!(families.len(), 8, "an example of every family: {families:?}");
    events.push(serde_json::json!({
        "id": "x", "topic": "t", "subject": "s", "eventType": "Microsoft.Communication.SomethingNew",
        "data": {"anything": [1, 2]}, "dataVersion": "1.0", "metadataVersion": "1",
        "eventTime": "2024-03-07T10:00:00Z"
    }));
    let body = serde_json::to_string(&events).unwrap();
    let decoded = parse_event_grid::<CommunicationEvent>(body.as_bytes()).expect("a delivery");
    assert_eq!(decoded.len(), events.len());
    for (event, original) in decoded.iter().zip(&events) {
        assert_eq!(variant(&event.data), family(&event.event_type), "{}", event.event_type);
        assert_eq!(event.data.event_type(), event.event_type);
        support::assert_same_json(original, &serde_json::to_value(event).unwrap(), "$");
    }
    assert!(matches!(decoded.last().unwrap().data, CommunicationEvent::Other { .. }));
}

#[test]
fn every_real_sample_decodes_as_a_communication_event() {
    for sample in events_support::all_samples() {
        let body = sample.body.as_bytes();
        let types: Vec<(String, &'static str)> =
            if sample.body.contains("\"specversion\"") || sample.body.contains("\"specVersion\"") {
                parse_cloud_events::<CommunicationEvent>(body)
                    .unwrap_or_else(|e| panic!("{}: {e}", sample.name))
                    .iter()
                    .map(|e| (e.event_type.clone(), variant(&e.data)))
                    .collect()
            } else {
                parse_event_grid::<CommunicationEvent>(body)
                    .unwrap_or_else(|e| panic!("{}: {e}", sample.name))
                    .iter()
                    .map(|e| (e.event_type.clone(), variant(&e.data)))
                    .collect()
            };
        for (event_type, variant) in types {
            assert_eq!(variant, "Chat", "{}: {event_type}", sample.name);
        }
    }
}
