//! Event deliveries of arbitrary bytes: every entry point returns a value or an error, never
//! panics; what decodes serializes, and decodes again to the same value.
#![no_main]

use azure_communication::events::ChatEvent;
use azure_communication_runtime::events::{
    parse_cloud_events, parse_cloud_events_each, parse_event_grid, parse_event_grid_each,
    validation_response, Delivery,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(events) = parse_event_grid::<ChatEvent>(data) {
        let json = serde_json::to_vec(&events).expect("decoded events serialize");
        let again = parse_event_grid::<ChatEvent>(&json).expect("serialized events decode");
        assert_eq!(events, again, "Event Grid round trip");
    }
    if let Ok(events) = parse_cloud_events::<ChatEvent>(data) {
        let json = serde_json::to_vec(&events).expect("decoded events serialize");
        let again = parse_cloud_events::<ChatEvent>(&json).expect("serialized events decode");
        assert_eq!(events, again, "CloudEvents round trip");
    }
    if let Ok(each) = parse_event_grid_each::<ChatEvent>(data) {
        for result in each {
            if let Err(error) = result {
                let _ = (error.to_string(), error.index(), error.field(), error.is_syntax());
            }
        }
    }
    if let Ok(each) = parse_cloud_events_each::<ChatEvent>(data) {
        for error in each.into_iter().filter_map(Result::err) {
            let _ = error.to_string();
        }
    }
    match Delivery::<ChatEvent>::from_event_grid(data) {
        Ok(Delivery::SubscriptionValidation(validation)) => {
            let _ = serde_json::to_string(&validation.response());
        }
        Ok(Delivery::Events(events)) => {
            for event in events.into_iter().flatten() {
                let _ = serde_json::to_string(&event).expect("decoded events serialize");
            }
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
    let _ = validation_response(data);
});
