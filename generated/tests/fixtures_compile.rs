//! Compiles the generator's snapshot outputs (`generator/tests/snapshots/`) against the real
//! runtime under `#![deny(warnings)]`, and checks the behaviour each fixture is about.

#![deny(warnings)]
// The fixtures' items are the subject here, not this test's use of them.
#![allow(dead_code)]

/// Generated code reaches the runtime as `crate::runtime`.
mod runtime {
    pub use azure_communication::runtime::*;
}

#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/clients/src/clients.rs"]
pub mod clients;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/enums/src/enums.rs"]
pub mod enums;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/events/src/events.rs"]
pub mod events;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/extends/src/extends.rs"]
pub mod extends;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/objects/src/objects.rs"]
pub mod objects;

use azure_communication::runtime::events::{parse_event_grid, EventData};

#[test]
fn extensible_enums_keep_unknown_values_and_closed_ones_reject_them() {
    let known: enums::CallState = serde_json::from_str(r#""transferAccepted""#).unwrap();
    assert_eq!(known, enums::CallState::TransferAccepted);
    let unknown: enums::CallState = serde_json::from_str(r#""onHold""#).unwrap();
    assert_eq!(unknown, enums::CallState::UnknownValue("onHold".into()));
    assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""onHold""#);
    assert_eq!("connected".parse::<enums::CallState>().unwrap().to_string(), "connected");
    assert_eq!(enums::Channel::Mixed.as_ref(), "mixed");
    let error = serde_json::from_str::<enums::Channel>(r#""stereo""#).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("unknown Channel value 'stereo', expected one of: mixed, unmixed"),
        "{error}"
    );
}

#[test]
fn objects_build_in_one_expression_and_skip_unset_fields() {
    // Required fields are the constructor's arguments, in the order of their JSON names.
    let room = objects::Room::new(time::macros::datetime!(2023-06-26 05:46:17 UTC), "1")
        .with_pstn_dial_out_enabled(true)
        .with_type("meeting");
    assert_eq!(
        serde_json::to_value(&room).unwrap(),
        serde_json::json!({ "id": "1", "createdAt": "2023-06-26T05:46:17Z", "pstnDialOutEnabled": true, "type": "meeting" })
    );
    let old_name: objects::Room = serde_json::from_str(
        r#"{"id":"1","createdAt":"2023-06-26T05:46:17Z","enablePstnDialout":false,"unknownField":1}"#,
    )
    .unwrap();
    assert_eq!(old_name.pstn_dial_out_enabled, Some(false));
    let nested = objects::Error::new("outer").with_innererror(objects::Error::new("inner"));
    assert_eq!(nested.innererror.as_deref().map(|e| e.code.as_str()), Some("inner"));
}

#[test]
fn extended_definitions_have_their_base_properties() {
    let event: extends::MessageEvent =
        serde_json::from_str(r#"{"threadId":"t","messageId":"m","version":"17"}"#).unwrap();
    assert_eq!(event.thread_id, "t");
    assert_eq!(serde_json::to_value(&event).unwrap()["version"], "17");
}

#[test]
fn event_sets_dispatch_by_type_and_keep_unknown_types() {
    let body = r#"[
        {"id":"1","topic":"t","subject":"s","eventType":"Contoso.Things.Created","data":{"id":"x"},"dataVersion":"1.0","metadataVersion":"1","eventTime":"2021-02-18T20:18:12.9870054Z"},
        {"id":"2","topic":"t","subject":"s","eventType":"Contoso.Things.Melted","data":{"how":"fast"},"dataVersion":"1.0","metadataVersion":"1","eventTime":"2021-02-18T20:18:12Z"}
    ]"#;
    let events = parse_event_grid::<events::ThingEvent>(body.as_bytes()).unwrap();
    assert!(matches!(&events[0].data, events::ThingEvent::Created(c) if c.id == "x"));
    assert_eq!(events[1].data.event_type(), "Contoso.Things.Melted");
    assert_eq!(serde_json::to_string(&events[1].data).unwrap(), r#"{"how":"fast"}"#);
}

#[test]
fn clients_expose_scoped_clients_and_typed_options() {
    let key =
        azure_communication::runtime::credential::AccessKeyCredential::new("cGFzc3dvcmQ=").unwrap();
    let client =
        clients::ThingsClient::new("https://contoso.communication.azure.com", key, None).unwrap();
    let thing = client.thing_client("a:b@c");
    assert_eq!(thing.thing_id(), "a:b@c");
    let options = clients::CreateThingOptions { max_page_size: Some(5), ..Default::default() };
    assert_eq!(options.max_page_size, Some(5));
    assert_eq!(clients::ThingsClientOptions::default().api_version, "2024-01-01");
}
