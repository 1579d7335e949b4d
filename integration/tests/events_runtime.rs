//! Tests of the event envelope runtime (`runtime::events`, `runtime::number_or_string`), with a
//! small hand-written event set standing in for the generated ones.

mod events_support;

use azure_communication_runtime::events::{
    parse_cloud_events, parse_cloud_events_each, parse_event_grid, parse_event_grid_each,
    validation_response, webhook_allowed_origin, AbuseProtection, CloudEvent, Delivery, EventData,
    EventGridEvent, ValidationResponse, SUBSCRIPTION_VALIDATION_EVENT_TYPE, WEBHOOK_ALLOWED_ORIGIN,
    WEBHOOK_ALLOWED_RATE,
};
use azure_communication_runtime::number_or_string::NumberOrString;
use events_support::{all_samples, Schema, VALIDATION_BODY};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use time::macros::datetime;

// ---------------------------------------------------------------------------------------------
// A hand-written event set: two typed variants and the fallback, as the generator emits them.
// ---------------------------------------------------------------------------------------------

const MESSAGE_RECEIVED: &str = "Microsoft.Communication.ChatMessageReceived";
const MESSAGE_RECEIVED_IN_THREAD: &str = "Microsoft.Communication.ChatMessageReceivedInThread";
const THREAD_DELETED: &str = "Microsoft.Communication.ChatThreadDeleted";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct MessageData {
    #[serde(rename = "messageId")]
    message_id: String,
    #[serde(rename = "messageBody", default, skip_serializing_if = "Option::is_none")]
    message_body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<NumberOrString>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ThreadDeletedData {
    #[serde(rename = "threadId")]
    thread_id: String,
}

#[derive(Debug, Clone)]
enum TestEvent {
    MessageReceived(MessageData),
    MessageReceivedInThread(MessageData),
    ThreadDeleted(ThreadDeletedData),
    Other { event_type: String, data: Box<RawValue> },
}

impl EventData for TestEvent {
    fn decode(event_type: &str, data: &RawValue) -> Result<Self, serde_json::Error> {
        Ok(match event_type {
            MESSAGE_RECEIVED => Self::MessageReceived(serde_json::from_str(data.get())?),
            MESSAGE_RECEIVED_IN_THREAD => {
                Self::MessageReceivedInThread(serde_json::from_str(data.get())?)
            }
            THREAD_DELETED => Self::ThreadDeleted(serde_json::from_str(data.get())?),
            other => Self::Other { event_type: other.to_owned(), data: data.to_owned() },
        })
    }

    fn event_type(&self) -> &str {
        match self {
            Self::MessageReceived(_) => MESSAGE_RECEIVED,
            Self::MessageReceivedInThread(_) => MESSAGE_RECEIVED_IN_THREAD,
            Self::ThreadDeleted(_) => THREAD_DELETED,
            Self::Other { event_type, .. } => event_type,
        }
    }
}

impl Serialize for TestEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::MessageReceived(data) | Self::MessageReceivedInThread(data) => {
                data.serialize(serializer)
            }
            Self::ThreadDeleted(data) => data.serialize(serializer),
            Self::Other { data, .. } => data.serialize(serializer),
        }
    }
}

/// An event set that types nothing: everything is kept raw, so serializing gives back the input.
#[derive(Debug, Clone)]
struct RawEvent {
    event_type: String,
    data: Box<RawValue>,
}

impl EventData for RawEvent {
    fn decode(event_type: &str, data: &RawValue) -> Result<Self, serde_json::Error> {
        Ok(Self { event_type: event_type.to_owned(), data: data.to_owned() })
    }

    fn event_type(&self) -> &str {
        &self.event_type
    }
}

impl Serialize for RawEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(serializer)
    }
}

fn value(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON")
}

/// An Event Grid event with the given type, data and time, as JSON text.
fn event_grid_json(event_type: &str, data: &Value, event_time: &str) -> String {
    json!({
        "id": "02272459-badb-4e2e-b538-4cb8a2f71da6",
        "topic": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Communication/communicationServices/c",
        "subject": "thread/19:a@thread.v2/sender/8:acs:x/recipient/8:acs:y",
        "data": data,
        "eventType": event_type,
        "dataVersion": "1.0",
        "metadataVersion": "1",
        "eventTime": event_time,
    })
    .to_string()
}

fn message_data() -> Value {
    json!({"messageId": "1613694358927", "messageBody": "Hello", "version": 1613694358927_u64})
}

// ---------------------------------------------------------------------------------------------
// Real samples
// ---------------------------------------------------------------------------------------------

#[test]
fn seed_message_received_reads_every_envelope_field() {
    let sample = events_support::seed_samples()
        .into_iter()
        .find(|s| s.event_type == MESSAGE_RECEIVED)
        .expect("seed has ChatMessageReceived");
    let events = parse_event_grid::<TestEvent>(sample.body.as_bytes()).expect("parses");
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.id, "02272459-badb-4e2e-b538-4cb8a2f71da6");
    assert_eq!(
        event.topic.as_deref(),
        Some("/subscriptions/{subscription-id}/resourceGroups/{group-name}/providers/Microsoft.Communication/communicationServices/{communication-services-resource-name}")
    );
    assert_eq!(event.subject, "thread/{thread-id}/sender/{rawId}/recipient/{rawId}");
    assert_eq!(event.event_type, MESSAGE_RECEIVED);
    assert_eq!(event.data_version, "1.0");
    assert_eq!(event.metadata_version.as_deref(), Some("1"));
    assert_eq!(event.event_time, datetime!(2021-02-19 00:25:59.9436666 UTC));
    match &event.data {
        TestEvent::MessageReceived(data) => {
            assert_eq!(data.message_id, "1613694358927");
            assert_eq!(
                data.message_body.as_deref(),
                Some("Welcome to Azure Communication Services")
            );
            assert_eq!(data.version, Some(NumberOrString::from(1613694358927_i64)));
        }
        other => panic!("expected MessageReceived, got {other:?}"),
    }
}

#[test]
fn every_real_sample_parses_in_its_schema_and_round_trips() {
    let samples = all_samples();
    assert_eq!(samples.len(), 28);
    for sample in samples {
        let original = value(&sample.body);
        let originals: Vec<Value> = match original {
            Value::Array(items) => items,
            single => vec![single],
        };
        let written: Vec<Value> = match sample.schema {
            Schema::EventGrid => {
                let typed = parse_event_grid::<TestEvent>(sample.body.as_bytes())
                    .unwrap_or_else(|e| panic!("{}: {e}", sample.name));
                assert_eq!(typed[0].data.event_type(), sample.event_type, "{}", sample.name);
                parse_event_grid::<RawEvent>(sample.body.as_bytes())
                    .unwrap_or_else(|e| panic!("{}: {e}", sample.name))
                    .iter()
                    .map(|event| serde_json::to_value(event).expect("serializes"))
                    .collect()
            }
            Schema::CloudEvents => {
                let typed = parse_cloud_events::<TestEvent>(sample.body.as_bytes())
                    .unwrap_or_else(|e| panic!("{}: {e}", sample.name));
                assert_eq!(typed[0].data.event_type(), sample.event_type, "{}", sample.name);
                assert_eq!(typed[0].spec_version, "1.0");
                parse_cloud_events::<RawEvent>(sample.body.as_bytes())
                    .unwrap_or_else(|e| panic!("{}: {e}", sample.name))
                    .iter()
                    .map(|event| serde_json::to_value(event).expect("serializes"))
                    .collect()
            }
        };
        let expected: Vec<Value> = originals
            .into_iter()
            .map(|mut event| {
                // The one envelope change on the way back: the standard spelling of specversion.
                if let Some(version) = event.as_object_mut().and_then(|o| o.remove("specVersion")) {
                    event["specversion"] = version;
                }
                event
            })
            .collect();
        assert_eq!(written, expected, "{}", sample.name);
    }
}

#[test]
fn every_real_sample_parses_per_event() {
    for sample in all_samples() {
        let results = match sample.schema {
            Schema::EventGrid => parse_event_grid_each::<TestEvent>(sample.body.as_bytes())
                .expect("readable body")
                .into_iter()
                .map(|r| r.map(|_| ()))
                .collect::<Vec<_>>(),
            Schema::CloudEvents => parse_cloud_events_each::<TestEvent>(sample.body.as_bytes())
                .expect("readable body")
                .into_iter()
                .map(|r| r.map(|_| ()))
                .collect(),
        };
        assert!(results.iter().all(Result::is_ok), "{}: {results:?}", sample.name);
    }
}

#[test]
fn cloud_event_samples_accept_both_spec_version_spellings() {
    let samples = events_support::example_samples();
    let cloud: Vec<_> = samples.iter().filter(|s| s.schema == Schema::CloudEvents).collect();
    assert!(cloud.iter().any(|s| s.body.contains("\"specVersion\"")));
    assert!(cloud.iter().any(|s| s.body.contains("\"specversion\"")));
    for sample in cloud {
        let events = parse_cloud_events::<TestEvent>(sample.body.as_bytes()).expect("parses");
        assert_eq!(events[0].spec_version, "1.0", "{}", sample.name);
        let written = serde_json::to_value(&events[0]).expect("serializes");
        assert_eq!(written["specversion"], "1.0");
        assert!(written.get("specVersion").is_none());
    }
}

#[test]
fn received_in_thread_cloud_event_reads_every_attribute() {
    let sample = events_support::example_samples()
        .into_iter()
        .find(|s| s.name.ends_with("chat_message_received_in_thread.json"))
        .expect("example exists");
    let event = parse_cloud_events::<TestEvent>(sample.body.as_bytes()).expect("parses").remove(0);
    assert_eq!(event.id, "4f614f97-c451-4b82-a8c9-1e30c3bfcda1");
    assert!(event.source.starts_with("/subscriptions/"));
    assert_eq!(event.event_type, MESSAGE_RECEIVED_IN_THREAD);
    assert_eq!(event.time, Some(datetime!(2021-02-20 01:07:10.5704596 UTC)));
    assert_eq!(
        event.subject.as_deref(),
        Some("thread/{thread-id}/sender/8:acs:109f0644-b956-4cd9-87b1-71024f6e2f44_00000008-5cdb-4916-07fd-084822002624")
    );
    assert!(event.extensions.is_empty());
    match event.data {
        TestEvent::MessageReceivedInThread(data) => {
            assert_eq!(data.version, Some(NumberOrString::from("1613783230064")));
        }
        other => panic!("expected MessageReceivedInThread, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------

#[test]
fn a_single_event_object_is_a_delivery_of_one() {
    let body = event_grid_json(MESSAGE_RECEIVED, &message_data(), "2021-02-19T00:25:59Z");
    let events = parse_event_grid::<TestEvent>(body.as_bytes()).expect("parses");
    assert_eq!(events.len(), 1);
    assert!(parse_event_grid::<TestEvent>(b"[]").expect("empty batch").is_empty());
    assert!(parse_cloud_events::<TestEvent>(b" [ ] ").expect("empty batch").is_empty());
}

#[test]
fn unknown_event_types_keep_their_raw_data() {
    let data = json!({"anything": [1, 2.5, "x"], "nested": {"deep": null}});
    let body =
        format!("[{}]", event_grid_json("Contoso.Items.ItemSold", &data, "2021-02-19T00:25:59Z"));
    let event = parse_event_grid::<TestEvent>(body.as_bytes()).expect("parses").remove(0);
    match &event.data {
        TestEvent::Other { event_type, data: raw } => {
            assert_eq!(event_type, "Contoso.Items.ItemSold");
            assert_eq!(value(raw.get()), data);
        }
        other => panic!("expected Other, got {other:?}"),
    }
    assert_eq!(serde_json::to_value(&event).expect("serializes")["data"], data);
}

#[test]
fn event_grid_optional_envelope_fields_may_be_absent() {
    let body = json!({
        "id": "1", "subject": "s", "data": {"threadId": "19:a@thread.v2"},
        "eventType": THREAD_DELETED, "dataVersion": "", "eventTime": "2021-02-20T00:00:42Z",
        "extra": {"ignored": true}
    })
    .to_string();
    let event = parse_event_grid::<TestEvent>(body.as_bytes()).expect("parses").remove(0);
    assert_eq!(event.topic, None);
    assert_eq!(event.metadata_version, None);
    let written = serde_json::to_value(&event).expect("serializes");
    assert!(written.get("topic").is_none() && written.get("metadataVersion").is_none());
    assert!(written.get("extra").is_none(), "unknown Event Grid fields are not kept");
}

#[test]
fn cloud_event_keeps_extensions_and_optional_attributes() {
    let body = json!({
        "specversion": "1.0", "type": THREAD_DELETED, "source": "/s", "id": "A234-1234-1234",
        "time": "2018-04-05T17:31:00Z", "subject": "thread/x", "datacontenttype": "application/json",
        "dataschema": "https://example.com/schema.json",
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "comexampleothervalue": 5,
        "data": {"threadId": "19:a@thread.v2"}
    });
    let events = parse_cloud_events::<TestEvent>(body.to_string().as_bytes()).expect("parses");
    let event = &events[0];
    assert_eq!(event.data_content_type.as_deref(), Some("application/json"));
    assert_eq!(event.data_schema.as_deref(), Some("https://example.com/schema.json"));
    assert_eq!(event.time, Some(datetime!(2018-04-05 17:31:00 UTC)));
    assert_eq!(event.extensions.len(), 2);
    assert_eq!(event.extensions["comexampleothervalue"].get(), "5");
    assert_eq!(serde_json::to_value(event).expect("serializes"), body);
}

#[test]
fn cloud_event_minimal_attributes() {
    let body = br#"{"specversion":"1.0","type":"t","source":"/s","id":"1","time":null,"data":{}}"#;
    let event = parse_cloud_events::<RawEvent>(body).expect("parses").remove(0);
    assert_eq!(event.time, None);
    assert_eq!(event.subject, None);
    assert_eq!(
        serde_json::to_value(&event).expect("serializes"),
        json!({"specversion":"1.0","type":"t","source":"/s","id":"1","data":{}})
    );
}

#[test]
fn envelopes_implement_deserialize_for_embedding() {
    let sample = events_support::seed_samples().remove(0);
    let from_str: Vec<EventGridEvent<TestEvent>> =
        serde_json::from_str(&sample.body).expect("from_str");
    let from_value: Vec<EventGridEvent<TestEvent>> =
        serde_json::from_value(value(&sample.body)).expect("from_value");
    let from_reader: Vec<EventGridEvent<TestEvent>> =
        serde_json::from_reader(sample.body.as_bytes()).expect("from_reader");
    assert_eq!(from_str.len(), 1);
    assert_eq!(from_str[0].event_time, from_value[0].event_time);
    assert_eq!(from_reader[0].id, from_value[0].id);

    let cloud = r#"{"specVersion":"1.0","type":"t","source":"/s","id":"1","data":{"a":1}}"#;
    let event: CloudEvent<RawEvent> = serde_json::from_str(cloud).expect("cloud event");
    assert_eq!(event.data.data.get(), r#"{"a":1}"#);

    let error =
        serde_json::from_str::<EventGridEvent<TestEvent>>(r#"{"eventType": 5}"#).unwrap_err();
    assert!(error.to_string().contains("field `eventType`"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Timestamps and version
// ---------------------------------------------------------------------------------------------

#[test]
fn timestamps_with_0_to_9_fractional_digits_and_any_offset() {
    let cases = [
        ("2021-02-19T00:25:59Z", datetime!(2021-02-19 00:25:59 UTC)),
        ("2021-02-19T00:43:10.14Z", datetime!(2021-02-19 00:43:10.14 UTC)),
        ("2021-02-19T00:25:58.927Z", datetime!(2021-02-19 00:25:58.927 UTC)),
        ("2021-02-20T00:00:42.109802+00:00", datetime!(2021-02-20 00:00:42.109802 UTC)),
        ("2021-02-19T00:25:59.9436666Z", datetime!(2021-02-19 00:25:59.9436666 UTC)),
        ("2021-02-20T00:04:07.7152073+00:00", datetime!(2021-02-20 00:04:07.7152073 UTC)),
        ("2021-02-19T17:07:10.064-08:00", datetime!(2021-02-20 01:07:10.064 UTC)),
        ("2021-02-19T00:25:59.123456789Z", datetime!(2021-02-19 00:25:59.123456789 UTC)),
        ("2021-02-19T00:25:59.5+05:30", datetime!(2021-02-18 18:55:59.5 UTC)),
    ];
    for (text, expected) in cases {
        let body = event_grid_json(THREAD_DELETED, &json!({"threadId": "t"}), text);
        let event = parse_event_grid::<TestEvent>(body.as_bytes())
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .remove(0);
        assert_eq!(event.event_time, expected, "{text}");
        // Written back in UTC, and reads back to the same instant.
        let written = serde_json::to_value(&event).expect("serializes");
        let again =
            parse_event_grid::<TestEvent>(written.to_string().as_bytes()).expect("re-parses");
        assert_eq!(again[0].event_time, expected, "{text}");

        let cloud = json!({"specversion": "1.0", "type": "t", "source": "/s", "id": "1", "time": text, "data": {}});
        let event = parse_cloud_events::<RawEvent>(cloud.to_string().as_bytes()).expect("parses");
        assert_eq!(event[0].time, Some(expected), "{text}");
    }
}

#[test]
fn version_number_and_string_round_trip_as_sent() {
    for (version, expected) in [
        (json!(1613694358927_u64), NumberOrString::from(1613694358927_u64)),
        (json!("1613783230064"), NumberOrString::from("1613783230064")),
    ] {
        let data = json!({"messageId": "1", "version": version});
        let body = event_grid_json(MESSAGE_RECEIVED, &data, "2021-02-19T00:25:59Z");
        let event = parse_event_grid::<TestEvent>(body.as_bytes()).expect("parses").remove(0);
        let TestEvent::MessageReceived(parsed) = &event.data else {
            panic!("expected MessageReceived, got {:?}", event.data)
        };
        assert_eq!(parsed.version.as_ref(), Some(&expected));
        assert_eq!(parsed.version.as_ref().and_then(NumberOrString::as_i64), expected.as_i64());
        assert_eq!(serde_json::to_value(&event).expect("serializes")["data"]["version"], version);
    }
}

#[test]
fn number_or_string_keeps_what_was_sent() {
    let cases = ["0", "-5", "18446744073709551615", "2.5", "\"\"", "\"1613783230064\"", "\"v1\""];
    for text in cases {
        let parsed: NumberOrString = serde_json::from_str(text).expect(text);
        assert_eq!(serde_json::to_string(&parsed).expect("serializes"), text);
    }
    let number: NumberOrString = serde_json::from_str("1613694358927").expect("number");
    let string: NumberOrString = serde_json::from_str("\"1613694358927\"").expect("string");
    assert_ne!(number, string);
    assert_eq!(number.as_i64(), Some(1613694358927));
    assert_eq!(string.as_i64(), Some(1613694358927));
    assert_eq!(number.to_string(), "1613694358927");
    assert_eq!(string.to_string(), "1613694358927");
    assert_eq!(string.as_str(), Some("1613694358927"));
    assert!(number.as_number().is_some() && number.as_str().is_none());
    assert_eq!(NumberOrString::from("x").as_i64(), None);
    for bad in ["true", "null", "[1]", "{\"a\":1}"] {
        let error = serde_json::from_str::<NumberOrString>(bad).unwrap_err();
        assert!(error.to_string().contains("a number or a string"), "{bad}: {error}");
    }
}

// ---------------------------------------------------------------------------------------------
// Webhook handshakes
// ---------------------------------------------------------------------------------------------

#[test]
fn event_grid_validation_handshake() {
    let expected = ValidationResponse {
        validation_response: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6".to_owned(),
    };
    assert_eq!(validation_response(VALIDATION_BODY.as_bytes()), Some(expected.clone()));
    assert_eq!(
        serde_json::to_string(&expected).expect("serializes"),
        r#"{"validationResponse":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}"#
    );
    match Delivery::<TestEvent>::from_event_grid(VALIDATION_BODY.as_bytes()).expect("reads") {
        Delivery::SubscriptionValidation(validation) => {
            assert_eq!(validation.response(), expected);
            assert!(validation
                .validation_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://")));
        }
        other => panic!("expected a validation, got {other:?}"),
    }
    // The validation event is an ordinary event for the plain parser.
    let events = parse_event_grid::<TestEvent>(VALIDATION_BODY.as_bytes()).expect("parses");
    assert_eq!(events[0].data.event_type(), SUBSCRIPTION_VALIDATION_EVENT_TYPE);
}

#[test]
fn event_grid_events_are_not_a_validation() {
    for sample in all_samples().into_iter().filter(|s| s.schema == Schema::EventGrid) {
        assert_eq!(validation_response(sample.body.as_bytes()), None, "{}", sample.name);
        match Delivery::<TestEvent>::from_event_grid(sample.body.as_bytes()).expect("reads") {
            Delivery::Events(events) => {
                assert!(events.iter().all(Result::is_ok), "{}", sample.name)
            }
            other => panic!("{}: expected events, got {other:?}", sample.name),
        }
    }
    assert_eq!(validation_response(b"not json"), None);
    assert_eq!(validation_response(b"[]"), None);
}

#[test]
fn malformed_validation_event_is_an_error() {
    let body = VALIDATION_BODY.replace(
        r#""validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6""#,
        r#""validationCode": 512"#,
    );
    assert_eq!(validation_response(body.as_bytes()), None);
    let error = Delivery::<TestEvent>::from_event_grid(body.as_bytes()).unwrap_err();
    assert_eq!(error.index(), Some(0));
    assert_eq!(error.event_type(), Some(SUBSCRIPTION_VALIDATION_EVENT_TYPE));
    assert_eq!(error.field(), Some("data"));
}

#[test]
fn cloud_events_abuse_protection_handshake() {
    let any = AbuseProtection::default();
    let answer = any.respond(Some("eventgrid.azure.net")).expect("allowed");
    assert_eq!(answer.allowed_origin, "eventgrid.azure.net");
    assert_eq!(answer.allowed_rate, "*");
    assert_eq!(
        answer.headers(),
        [
            ("Allow", "POST"),
            (WEBHOOK_ALLOWED_ORIGIN, "eventgrid.azure.net"),
            (WEBHOOK_ALLOWED_RATE, "*")
        ]
    );
    assert_eq!(
        webhook_allowed_origin(" eventgrid.azure.net "),
        Some("eventgrid.azure.net".to_owned())
    );

    let strict =
        AbuseProtection::default().allow_origin("eventgrid.azure.net").with_allowed_rate(120);
    let answer = strict.respond(Some("EventGrid.Azure.NET")).expect("case-insensitive");
    assert_eq!(answer.allowed_origin, "EventGrid.Azure.NET");
    assert_eq!(answer.allowed_rate, "120");
    assert_eq!(strict.respond(Some("evil.example.com")), None);

    for bad in [None, Some(""), Some("   "), Some("a b"), Some("a\r\nX-Injected: 1"), Some("a,b")] {
        assert_eq!(any.respond(bad), None, "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Malformed deliveries
// ---------------------------------------------------------------------------------------------

fn good_event(event_type: &str) -> String {
    event_grid_json(event_type, &message_data(), "2021-02-19T00:25:59.9436666Z")
}

#[test]
fn body_level_errors_have_no_event() {
    for (body, needle) in [
        (&b"\"just a string\""[..], "found a string"),
        (b"42", "found a number"),
        (b"null", "found null"),
        (b"", "EOF"),
        (b"[] trailing", "trailing characters"),
        (b"\xff\xfe", "expected value"),
    ] {
        let error = parse_event_grid_each::<TestEvent>(body).unwrap_err();
        assert_eq!(error.index(), None, "{error}");
        assert_eq!(error.event_type(), None);
        assert!(error.to_string().contains(needle), "{:?}: {error}", String::from_utf8_lossy(body));
        assert!(parse_cloud_events_each::<TestEvent>(body).is_err());
    }
    let error = parse_event_grid_each::<TestEvent>(b"").unwrap_err();
    assert!(error.is_syntax());
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn a_syntax_error_names_the_event_it_is_in() {
    let body = format!("[{}, {{\"id\": \"x\", ]", good_event(MESSAGE_RECEIVED));
    let error = parse_event_grid_each::<TestEvent>(body.as_bytes()).unwrap_err();
    assert_eq!(error.index(), Some(1));
    assert!(error.is_syntax());
    assert!(error.to_string().starts_with("event 1: "), "{error}");
}

#[test]
fn one_bad_event_does_not_hide_the_others() {
    let missing_message_id =
        event_grid_json(MESSAGE_RECEIVED, &json!({"messageBody": "x"}), "2021-02-19T00:25:59Z");
    let bad_time = event_grid_json(THREAD_DELETED, &json!({"threadId": "t"}), "2021-02-19 nope");
    let body = format!(
        "[{}, {}, 7, {}, {}]",
        good_event(MESSAGE_RECEIVED),
        missing_message_id,
        bad_time,
        good_event("Some.Other.Type")
    );
    let results = parse_event_grid_each::<TestEvent>(body.as_bytes()).expect("readable body");
    assert_eq!(results.len(), 5);
    assert!(results[0].is_ok() && results[4].is_ok());

    let error = results[1].as_ref().unwrap_err();
    assert_eq!(
        (error.index(), error.event_type(), error.field()),
        (Some(1), Some(MESSAGE_RECEIVED), Some("data"))
    );
    assert!(
        error.to_string().starts_with(&format!(
            "event 1 ({MESSAGE_RECEIVED}), field `data`: missing field `messageId`"
        )),
        "{error}"
    );

    let error = results[2].as_ref().unwrap_err();
    assert_eq!((error.index(), error.event_type(), error.field()), (Some(2), None, None));
    assert_eq!(error.to_string(), "event 2: expected an event object, found a number");

    let error = results[3].as_ref().unwrap_err();
    assert_eq!(
        (error.index(), error.event_type(), error.field()),
        (Some(3), Some(THREAD_DELETED), Some("eventTime"))
    );
    assert!(error.to_string().contains("2021-02-19 nope"), "{error}");

    // The all-or-nothing parser reports the first of them.
    let error = parse_event_grid::<TestEvent>(body.as_bytes()).unwrap_err();
    assert_eq!(error.index(), Some(1));
    match Delivery::<TestEvent>::from_event_grid(body.as_bytes()).expect("readable body") {
        Delivery::Events(events) => assert_eq!(events.iter().filter(|e| e.is_ok()).count(), 2),
        other => panic!("expected events, got {other:?}"),
    }
}

#[test]
fn envelope_field_errors_name_the_field() {
    let base = value(&good_event(MESSAGE_RECEIVED));
    let cases: Vec<(&str, Value, Option<&str>)> = vec![
        ("eventType", Value::Null, None),
        ("eventType", json!(5), None),
        ("id", json!(5), Some(MESSAGE_RECEIVED)),
        ("subject", json!(null), Some(MESSAGE_RECEIVED)),
        ("topic", json!(["x"]), Some(MESSAGE_RECEIVED)),
        ("dataVersion", json!(1.0), Some(MESSAGE_RECEIVED)),
        ("metadataVersion", json!(true), Some(MESSAGE_RECEIVED)),
        ("eventTime", json!("2021-13-19T00:25:59Z"), Some(MESSAGE_RECEIVED)),
        ("eventTime", json!(1613694358), Some(MESSAGE_RECEIVED)),
        ("data", json!("text"), Some(MESSAGE_RECEIVED)),
    ];
    for (field, bad, event_type) in cases {
        let mut event = base.clone();
        event[field] = bad.clone();
        let error = parse_event_grid::<TestEvent>(event.to_string().as_bytes()).unwrap_err();
        assert_eq!(error.index(), Some(0), "{field} = {bad}: {error}");
        assert_eq!(error.field(), Some(field), "{field} = {bad}: {error}");
        assert_eq!(error.event_type(), event_type, "{field} = {bad}: {error}");
    }
    for field in ["id", "subject", "data", "eventType", "dataVersion", "eventTime"] {
        let mut event = base.clone();
        event.as_object_mut().expect("object").remove(field);
        let error = parse_event_grid::<TestEvent>(event.to_string().as_bytes()).unwrap_err();
        assert_eq!(error.field(), Some(field));
        assert!(error.to_string().contains(&format!("missing field `{field}`")), "{error}");
    }
    let duplicated =
        good_event(MESSAGE_RECEIVED).replacen("\"id\":", "\"id\": \"again\", \"id\":", 1);
    let error = parse_event_grid::<TestEvent>(duplicated.as_bytes()).unwrap_err();
    assert_eq!(error.field(), Some("id"));
    assert!(error.to_string().contains("duplicate field `id`"), "{error}");
}

#[test]
fn cloud_event_errors_name_the_field() {
    let base = json!({"specversion": "1.0", "type": THREAD_DELETED, "source": "/s", "id": "1", "data": {"threadId": "t"}});
    let check = |event: &Value, field: &str| {
        let error = parse_cloud_events::<TestEvent>(event.to_string().as_bytes()).unwrap_err();
        assert_eq!(error.field(), Some(field), "{event}: {error}");
        assert_eq!(error.index(), Some(0));
        error
    };
    for field in ["specversion", "type", "source", "id", "data"] {
        let mut event = base.clone();
        event.as_object_mut().expect("object").remove(field);
        check(&event, field);
    }
    let mut event = base.clone();
    event["specVersion"] = json!("1.0");
    let error = check(&event, "specversion");
    assert!(error.to_string().contains("duplicate field `spec"), "{error}");

    let mut event = base.clone();
    event["time"] = json!("yesterday");
    check(&event, "time");

    let mut event = base.clone();
    event["data"] = json!({"thread": 1});
    let error = check(&event, "data");
    assert_eq!(error.event_type(), Some(THREAD_DELETED));

    let mut event = base.clone();
    event.as_object_mut().expect("object").remove("data");
    event["data_base64"] = json!("AAEC");
    check(&event, "data_base64");

    let batch = format!("[{base}, {{\"type\": 1}}, {base}]");
    let results = parse_cloud_events_each::<TestEvent>(batch.as_bytes()).expect("readable");
    assert!(results[0].is_ok() && results[2].is_ok());
    assert_eq!(results[1].as_ref().unwrap_err().index(), Some(1));
}

#[test]
fn serializing_an_out_of_range_time_is_an_error_not_a_panic() {
    let body = event_grid_json(THREAD_DELETED, &json!({"threadId": "t"}), "2021-02-19T00:25:59Z");
    let mut event = parse_event_grid::<TestEvent>(body.as_bytes()).expect("parses").remove(0);
    let year_minus_one =
        time::Date::from_calendar_date(-1, time::Month::January, 1).expect("valid date");
    event.event_time = time::OffsetDateTime::new_utc(year_minus_one, time::Time::MIDNIGHT);
    assert!(serde_json::to_string(&event).is_err());
}

// ---------------------------------------------------------------------------------------------
// Properties: nothing panics, and what is written reads back
// ---------------------------------------------------------------------------------------------

fn exercise(body: &[u8]) {
    for result in [
        parse_event_grid_each::<TestEvent>(body)
            .map(|r| r.into_iter().map(|e| e.map(|_| ())).collect::<Vec<_>>()),
        parse_cloud_events_each::<TestEvent>(body)
            .map(|r| r.into_iter().map(|e| e.map(|_| ())).collect()),
    ] {
        match result {
            Ok(events) => {
                for error in events.iter().filter_map(|e| e.as_ref().err()) {
                    assert!(!error.to_string().is_empty());
                }
            }
            Err(error) => assert!(!error.to_string().is_empty()),
        }
    }
    let _ = validation_response(body);
    let _ = Delivery::<TestEvent>::from_event_grid(body);
    if let Ok(events) = parse_event_grid::<RawEvent>(body) {
        let _ = serde_json::to_string(&events);
    }
    if let Ok(events) = parse_cloud_events::<RawEvent>(body) {
        let _ = serde_json::to_string(&events);
    }
}

fn sample_bodies() -> Vec<Vec<u8>> {
    all_samples().into_iter().map(|s| s.body.into_bytes()).collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let token = prop::sample::select(vec![
        &b"\""[..],
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b"null",
        b"1e999",
        b"-",
        b"\\u0000",
        b"\\",
        b"\xff",
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (any::<usize>(), 1..16usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), token).prop_map(|(at, bytes)| Mutation::Insert(at, bytes.to_vec())),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(body: &mut Vec<u8>, mutation: &Mutation) {
    let len = body.len().max(1);
    match mutation {
        Mutation::Flip(at, byte) => {
            if let Some(b) = body.get_mut(at % len) {
                *b = *byte;
            }
        }
        Mutation::Delete(at, count) => {
            let start = (at % len).min(body.len());
            let end = (start + count).min(body.len());
            body.drain(start..end);
        }
        Mutation::Insert(at, bytes) => {
            let at = (at % len).min(body.len());
            body.splice(at..at, bytes.iter().copied());
        }
        Mutation::Truncate(at) => body.truncate(at % len),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed_0013), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..256)) {
        exercise(&body);
    }

    #[test]
    fn mutated_real_deliveries_never_panic(
        index in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let bodies = sample_bodies();
        let mut body = bodies[index.index(bodies.len())].clone();
        for mutation in &mutations {
            apply(&mut body, mutation);
        }
        exercise(&body);
    }

    #[test]
    fn written_events_read_back(
        id in "\\PC{0,20}",
        subject in "\\PC{0,30}",
        seconds in 0i64..253_402_300_799,
        nanos in 0u32..1_000_000_000,
        offset_minutes in -(23 * 60 + 59)..=(23 * 60 + 59i32),
        version in prop_oneof![any::<u64>().prop_map(NumberOrString::from), "[0-9]{1,19}".prop_map(NumberOrString::from)],
    ) {
        let offset = time::UtcOffset::from_whole_seconds(offset_minutes * 60).expect("in range");
        let event_time = time::OffsetDateTime::from_unix_timestamp(seconds).expect("in range")
            .replace_nanosecond(nanos).expect("in range")
            .to_offset(offset);
        prop_assume!((0..=9999).contains(&event_time.year()));
        let event = EventGridEvent {
            id,
            topic: None,
            subject,
            data: TestEvent::MessageReceived(MessageData { message_id: "m".into(), message_body: None, version: Some(version) }),
            event_type: MESSAGE_RECEIVED.to_owned(),
            data_version: "1.0".to_owned(),
            metadata_version: Some("1".to_owned()),
            event_time,
        };
        let body = serde_json::to_vec(&[&event]).expect("serializes");
        let back = parse_event_grid::<TestEvent>(&body).expect("reads back").remove(0);
        prop_assert_eq!(&back.id, &event.id);
        prop_assert_eq!(&back.subject, &event.subject);
        prop_assert_eq!(back.event_time, event.event_time);
        match (&back.data, &event.data) {
            (TestEvent::MessageReceived(a), TestEvent::MessageReceived(b)) => prop_assert_eq!(a, b),
            (a, _) => prop_assert!(false, "decoded as {:?}", a),
        }
    }
}
