//! Event decoding of a mixed delivery of every Communication Services event family: about 1 MB
//! made of the real chat samples and the examples of every other family in `specs/events.yaml`,
//! decoded as `events::CommunicationEvent` (the enum over every family) and as
//! `serde_json::Value`, on the same bytes.
//!
//! `cargo bench -p azure-communication-integration --bench events_mixed` runs both decoders
//! interleaved (one call each per round, the first alternating, 80 rounds) and prints the median
//! CPU and wall time of each and the throughput ratio, so the comparison comes from one run.

// Only its CPU clock is used here.
#[allow(dead_code)]
#[path = "../../generator/benches/support/cpu_time.rs"]
mod cpu_time;
#[path = "../tests/events_support/mod.rs"]
mod events_support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use azure_communication::events::CommunicationEvent;
use azure_communication_runtime::events::{parse_event_grid, EventGridEvent};
use cpu_time::thread_cpu_ns;
use serde_json::Value;

use events_support::Schema;

/// Every Event Grid event of the examples of `specs/events.yaml` and of the real chat samples.
fn sample_events() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/events.yaml");
    let spec: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).expect("specs/events.yaml"))
            .expect("the spec is YAML");
    let mut events = Vec::new();
    let mut add = |value: Value| match value {
        Value::Array(items) => events.extend(items),
        single => events.push(single),
    };
    for (_, set) in spec["events"].as_mapping().expect("event sets") {
        for example in set["examples"].as_sequence().into_iter().flatten() {
            add(serde_json::to_value(example).expect("JSON-compatible"));
        }
    }
    for sample in events_support::all_samples() {
        if matches!(sample.schema, Schema::EventGrid) {
            add(serde_json::from_str(&sample.body).expect("samples are JSON"));
        }
    }
    events.iter().map(|e| serde_json::to_string(e).expect("serializes")).collect()
}

/// The samples in turn until the body reaches 1 MB.
fn delivery_body() -> (Vec<u8>, usize, usize) {
    let events = sample_events();
    let mut body = b"[".to_vec();
    let mut count = 0;
    while body.len() < 1_000_000 {
        if count > 0 {
            body.push(b',');
        }
        body.extend_from_slice(events[count % events.len()].as_bytes());
        count += 1;
    }
    body.push(b']');
    (body, count, events.len())
}

fn typed(body: &[u8]) -> Vec<EventGridEvent<CommunicationEvent>> {
    parse_event_grid::<CommunicationEvent>(body).expect("the delivery decodes")
}

fn value(body: &[u8]) -> Value {
    serde_json::from_slice::<Value>(body).expect("the delivery is JSON")
}

type Decoder = (&'static str, fn(&[u8]));

const DECODERS: [Decoder; 2] =
    [("typed", |b| drop(black_box(typed(b)))), ("value", |b| drop(black_box(value(b))))];

fn main() {
    let (body, count, kinds) = delivery_body();
    let events = typed(&body);
    assert_eq!(events.len(), count);
    // Every event is read into its family, none left raw.
    assert!(events.iter().all(|e| !matches!(e.data, CommunicationEvent::Other { .. })));
    let types: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e.event_type.as_str()).collect();
    println!(
        "mixed delivery: {} bytes, {count} events, {kinds} distinct samples, {} event types",
        body.len(),
        types.len()
    );
    if std::env::args().any(|a| matches!(a.as_str(), "--list" | "--test")) {
        return;
    }
    let rounds = 80;
    let mut cpu = vec![Vec::with_capacity(rounds); DECODERS.len()];
    let mut wall = vec![Vec::with_capacity(rounds); DECODERS.len()];
    for round in 0..rounds {
        for k in 0..DECODERS.len() {
            let i = (round + k) % DECODERS.len();
            let (start_cpu, start) = (thread_cpu_ns(), Instant::now());
            (DECODERS[i].1)(&body);
            wall[i].push(start.elapsed());
            cpu[i].push(Duration::from_nanos(thread_cpu_ns() - start_cpu));
        }
    }
    let median = |mut t: Vec<Duration>| {
        t.sort();
        t[t.len() / 2]
    };
    let cpu: Vec<Duration> = cpu.into_iter().map(median).collect();
    let wall: Vec<Duration> = wall.into_iter().map(median).collect();
    for (i, (name, _)) in DECODERS.iter().enumerate() {
        println!(
            "  {name:<6} CPU {:>7.3} ms   wall {:>7.3} ms",
            cpu[i].as_secs_f64() * 1e3,
            wall[i].as_secs_f64() * 1e3
        );
    }
    for (what, t) in [("CPU", &cpu), ("wall", &wall)] {
        println!(
            "RATIO ({what}) typed throughput / value throughput = {:.2} (target >= 1.5)",
            t[1].as_secs_f64() / t[0].as_secs_f64()
        );
    }
}
