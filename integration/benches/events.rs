//! Event decoding throughput on a ~1 MB Event Grid delivery made of the real chat event samples
//! (seed document 003 and the Event Grid examples folder, loaded by the same code the `events_*`
//! tests use; CloudEvents samples are rewritten into the Event Grid envelope so that every chat
//! event type with a sample is in the delivery).
//!
//! `cargo bench -p azure-communication --bench events` compares, on the same bytes:
//!
//! * `typed`: `runtime::events::parse_event_grid::<events::ChatEvent>`, the generated path;
//! * `value`: `serde_json::from_slice::<serde_json::Value>`;
//! * `hand_flat`: a minimal hand-written `#[derive(Deserialize)]` envelope whose `data` is one
//!   flat struct with every chat data field (one pass over the bytes: the practical limit);
//! * `hand_raw_data`: a derived envelope that keeps `data` as a borrowed `RawValue` and then
//!   decodes it with `ChatEvent`'s `EventData::decode`, i.e. the generated data types behind a
//!   derived envelope (tells the envelope's cost apart from the data types').
//!
//! Criterion measures the CPU time of the benchmarking thread (all four decoders are
//! single-threaded), so other processes on the machine do not inflate the numbers. After
//! criterion, the same functions run interleaved (one call each per round, starting with a
//! different one each round, 60 rounds) and the
//! medians (CPU and wall) and ratios are printed, so the comparison comes from one run.

#[path = "../../generator/benches/support/cpu_time.rs"]
mod cpu_time;
#[path = "../tests/events_support/mod.rs"]
mod events_support;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use azure_communication::events::ChatEvent;
use azure_communication_runtime::datetime::rfc3339;
use azure_communication_runtime::events::{parse_event_grid, EventData, EventGridEvent};
use azure_communication_runtime::number_or_string::NumberOrString;
use cpu_time::{thread_cpu_ns, CpuTime};
use criterion::{Criterion, SamplingMode, Throughput};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use time::OffsetDateTime;

use events_support::Schema;

/// The delivery body: every sample event once, in turn, until the body reaches 1 MB.
fn delivery_body() -> (Vec<u8>, usize, usize) {
    let mut events: Vec<String> = Vec::new();
    for sample in events_support::all_samples() {
        let value: Value = serde_json::from_str(&sample.body).expect("samples are JSON");
        let elements = match value {
            Value::Array(elements) => elements,
            single => vec![single],
        };
        for event in elements {
            let event = match sample.schema {
                Schema::EventGrid => event,
                Schema::CloudEvents => event_grid_from_cloud_event(&event),
            };
            events.push(serde_json::to_string(&event).expect("serializes"));
        }
    }
    let kinds = events.len();
    let mut body = b"[".to_vec();
    let mut count = 0;
    while body.len() < 1_000_000 {
        if count > 0 {
            body.push(b',');
        }
        body.extend_from_slice(events[count % kinds].as_bytes());
        count += 1;
    }
    body.push(b']');
    (body, count, kinds)
}

/// The same event in the Event Grid envelope.
fn event_grid_from_cloud_event(event: &Value) -> Value {
    json!({
        "id": event["id"],
        "topic": event["source"],
        "subject": event["subject"],
        "data": event["data"],
        "eventType": event["type"],
        "dataVersion": "1.0",
        "metadataVersion": "1",
        "eventTime": event["time"],
    })
}

// ---- The hand-written, one-pass decoder -------------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandEvent {
    id: String,
    #[serde(default)]
    topic: Option<String>,
    subject: String,
    #[serde(rename = "eventType")]
    event_type: String,
    #[serde(rename = "dataVersion")]
    data_version: String,
    #[serde(rename = "metadataVersion", default)]
    metadata_version: Option<String>,
    #[serde(rename = "eventTime", with = "rfc3339")]
    event_time: OffsetDateTime,
    data: HandData,
}

/// Every property of every chat event's `data`, flat.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HandData {
    #[serde(default)]
    recipient_id: Option<String>,
    #[serde(default)]
    recipient_communication_identifier: Option<Ident>,
    #[serde(default)]
    transaction_id: Option<String>,
    #[serde(default)]
    thread_id: Option<String>,
    #[serde(default)]
    sender_id: Option<String>,
    #[serde(default)]
    message_id: Option<String>,
    #[serde(default)]
    sender_communication_identifier: Option<Ident>,
    #[serde(default)]
    sender_display_name: Option<String>,
    #[serde(default, with = "rfc3339::option")]
    compose_time: Option<OffsetDateTime>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    version: Option<NumberOrString>,
    #[serde(default)]
    message_body: Option<String>,
    #[serde(default)]
    metadata: Option<BTreeMap<String, String>>,
    #[serde(default, with = "rfc3339::option")]
    edit_time: Option<OffsetDateTime>,
    #[serde(default, with = "rfc3339::option")]
    delete_time: Option<OffsetDateTime>,
    #[serde(default, with = "rfc3339::option")]
    create_time: Option<OffsetDateTime>,
    #[serde(default, with = "rfc3339::option")]
    time: Option<OffsetDateTime>,
    #[serde(default)]
    created_by_communication_identifier: Option<Ident>,
    #[serde(default)]
    created_by: Option<String>,
    #[serde(default)]
    members: Option<Vec<Member>>,
    #[serde(default)]
    properties: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    participants: Option<Vec<Participant>>,
    #[serde(default)]
    deleted_by_communication_identifier: Option<Ident>,
    #[serde(default)]
    edited_by_communication_identifier: Option<Ident>,
    #[serde(default)]
    added_by_communication_identifier: Option<Ident>,
    #[serde(default)]
    removed_by_communication_identifier: Option<Ident>,
    #[serde(default)]
    participant_added: Option<Participant>,
    #[serde(default)]
    participant_removed: Option<Participant>,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Ident {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    raw_id: Option<String>,
    #[serde(default)]
    communication_user: Option<UserId>,
    #[serde(default)]
    phone_number: Option<Phone>,
    #[serde(default)]
    microsoft_teams_user: Option<TeamsUser>,
    #[serde(default)]
    microsoft_teams_app: Option<TeamsApp>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct UserId {
    id: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Phone {
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct TeamsUser {
    user_id: String,
    #[serde(default)]
    is_anonymous: Option<bool>,
    #[serde(default)]
    cloud: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct TeamsApp {
    app_id: String,
    #[serde(default)]
    cloud: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Member {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    member_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Participant {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    participant_communication_identifier: Option<Ident>,
    #[serde(default)]
    metadata: Option<BTreeMap<String, String>>,
}

// ---- Derived envelope, generated data types -----------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawEnvelope<'a> {
    id: String,
    #[serde(default)]
    topic: Option<String>,
    subject: String,
    #[serde(rename = "eventType")]
    event_type: String,
    #[serde(rename = "dataVersion")]
    data_version: String,
    #[serde(rename = "metadataVersion", default)]
    metadata_version: Option<String>,
    #[serde(rename = "eventTime", with = "rfc3339")]
    event_time: OffsetDateTime,
    #[serde(borrow)]
    data: &'a RawValue,
}

fn hand_raw_data(body: &[u8]) -> Vec<(RawEnvelope<'_>, ChatEvent)> {
    let envelopes: Vec<RawEnvelope<'_>> = serde_json::from_slice(body).expect("hand envelope");
    envelopes
        .into_iter()
        .map(|e| {
            let data = ChatEvent::decode(&e.event_type, e.data).expect("data decodes");
            (e, data)
        })
        .collect()
}

// ---- The benchmark ------------------------------------------------------------------------

fn typed(body: &[u8]) -> Vec<EventGridEvent<ChatEvent>> {
    parse_event_grid::<ChatEvent>(body).expect("the delivery decodes")
}

fn value(body: &[u8]) -> Value {
    serde_json::from_slice::<Value>(body).expect("the delivery is JSON")
}

fn hand_flat(body: &[u8]) -> Vec<HandEvent> {
    serde_json::from_slice::<Vec<HandEvent>>(body).expect("the delivery decodes by hand")
}

type Decoder = (&'static str, fn(&[u8]));

const DECODERS: [Decoder; 4] = [
    ("typed", |b| drop(black_box(typed(b)))),
    ("value", |b| drop(black_box(value(b)))),
    ("hand_flat", |b| drop(black_box(hand_flat(b)))),
    ("hand_raw_data", |b| drop(black_box(hand_raw_data(b)))),
];

fn main() {
    let (body, count, kinds) = delivery_body();
    // Every decoder must read every event, or the comparison is void.
    let events = typed(&body);
    assert_eq!(events.len(), count);
    assert!(events.iter().all(|e| !matches!(e.data, ChatEvent::Other { .. })));
    assert_eq!(hand_flat(&body).len(), count);
    assert_eq!(hand_raw_data(&body).len(), count);
    let types: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e.event_type.as_str()).collect();
    eprintln!(
        "delivery: {} bytes, {count} events, {kinds} distinct samples, {} event types",
        body.len(),
        types.len()
    );

    let mut criterion = Criterion::default()
        .with_measurement(CpuTime)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .configure_from_args();
    {
        let mut group = criterion.benchmark_group("events_1mb");
        group.sampling_mode(SamplingMode::Flat).throughput(Throughput::Bytes(body.len() as u64));
        for (name, decode) in DECODERS {
            group.bench_function(name, |b| b.iter(|| decode(black_box(&body))));
        }
        group.finish();
    }
    criterion.final_summary();

    if std::env::args().any(|a| matches!(a.as_str(), "--list" | "--test" | "--profile-time")) {
        return;
    }
    let (cpu, wall) = interleaved(&body, 60);
    let mb_per_s = |d: Duration| body.len() as f64 / d.as_secs_f64() / 1e6;
    println!("\ninterleaved, 60 rounds, median per decode of {} bytes:", body.len());
    for (i, (name, _)) in DECODERS.iter().enumerate() {
        println!(
            "  {name:<14} CPU {:>7.3} ms {:>7.1} MB/s   wall {:>7.3} ms {:>7.1} MB/s",
            cpu[i].as_secs_f64() * 1e3,
            mb_per_s(cpu[i]),
            wall[i].as_secs_f64() * 1e3,
            mb_per_s(wall[i])
        );
    }
    let ratio = |t: &[Duration], a: usize, b: usize| t[a].as_secs_f64() / t[b].as_secs_f64();
    for (what, t) in [("CPU", &cpu), ("wall", &wall)] {
        println!(
            "RATIO ({what}) typed throughput / value throughput = {:.2} (target >= 1.5)",
            ratio(t, 1, 0)
        );
        println!(
            "RATIO ({what}) typed time / hand_flat time = {:.2} (target <= 1.15)",
            ratio(t, 0, 2)
        );
        println!("RATIO ({what}) typed time / hand_raw_data time = {:.2}", ratio(t, 0, 3));
    }
}

/// Runs every decoder once per round, in turn; returns the median CPU and wall time of each.
fn interleaved(body: &[u8], rounds: usize) -> (Vec<Duration>, Vec<Duration>) {
    let mut cpu = vec![Vec::with_capacity(rounds); DECODERS.len()];
    let mut wall = vec![Vec::with_capacity(rounds); DECODERS.len()];
    for round in 0..rounds {
        // Each round starts with another decoder, so that none always runs right after the
        // same one (the allocator's state after `value` frees its tree differs, for example).
        for k in 0..DECODERS.len() {
            let i = (round + k) % DECODERS.len();
            let decode = DECODERS[i].1;
            let (start_cpu, start) = (thread_cpu_ns(), Instant::now());
            decode(body);
            wall[i].push(start.elapsed());
            cpu[i].push(Duration::from_nanos(thread_cpu_ns() - start_cpu));
        }
    }
    let medians = |times: Vec<Vec<Duration>>| -> Vec<Duration> {
        times
            .into_iter()
            .map(|mut t| {
                t.sort();
                t[t.len() / 2]
            })
            .collect()
    };
    (medians(cpu), medians(wall))
}
