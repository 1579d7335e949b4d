//! Loads the real chat event samples for the `events_*` tests.
//!
//! Two sources, both copies of public documents (see `shared/conformance/SOURCES.md`):
//!
//! * seed document 003 (`shared/seeds/003_79d218e64226ef84.txt`): 16 Event Grid deliveries, one
//!   per chat event type, each after a line `Evento <event type>`;
//! * `shared/conformance/azure-rest-api-specs/eventgrid-communication/2018-01-01/examples/**`:
//!   one event object per file, in the Event Grid or the CloudEvents schema. The schema is read
//!   from the event itself, not from the folder name: `event-grid-schema/
//!   chat_typing_indicator_received_in_thread.json` is a CloudEvent.
//!
//! The `shared/` folder is found through `ACS_SHARED_DIR`, else next to the repository
//! (`generated/../../shared`). A missing folder fails the test rather than skipping it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The envelope schema of a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// Event Grid schema (`eventType`, `eventTime`, …).
    EventGrid,
    /// CloudEvents 1.0 (`type`, `specversion`, …).
    CloudEvents,
}

/// One real delivery body.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Where it comes from, for failure messages.
    pub name: String,
    /// Its envelope schema.
    pub schema: Schema,
    /// The event type of its (first) event.
    pub event_type: String,
    /// The delivery body exactly as written in the source (an array or a single object).
    pub body: String,
}

/// The `shared/` folder with the seeds and the conformance corpus.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("ACS_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    assert!(
        dir.join("seeds").is_dir() && dir.join("conformance").is_dir(),
        "the shared sample folder {} is missing; set ACS_SHARED_DIR to the folder holding seeds/ and conformance/",
        dir.display()
    );
    dir
}

/// The 16 deliveries of seed document 003, in document order.
pub fn seed_samples() -> Vec<Sample> {
    let path = shared_dir().join("seeds/003_79d218e64226ef84.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut samples = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(event_type) = line.trim().strip_prefix("Evento ") {
            samples.extend(current.take().map(|(t, b)| seed_sample(t, b)));
            current = Some((event_type.trim().to_owned(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    samples.extend(current.take().map(|(t, b)| seed_sample(t, b)));
    assert_eq!(samples.len(), 16, "seed 003 should hold 16 deliveries");
    samples
}

fn seed_sample(event_type: String, body: String) -> Sample {
    let body = body.trim().to_owned();
    let value: serde_json::Value = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("seed 003 sample {event_type} is not JSON: {e}"));
    assert_eq!(
        value[0]["eventType"],
        event_type.as_str(),
        "seed 003 sample heading and body disagree"
    );
    Sample { name: format!("seed 003: {event_type}"), schema: Schema::EventGrid, event_type, body }
}

/// The sample files of the Event Grid OpenAPI examples folder, sorted by path.
pub fn example_samples() -> Vec<Sample> {
    let root = shared_dir()
        .join("conformance/azure-rest-api-specs/eventgrid-communication/2018-01-01/examples");
    let mut files = Vec::new();
    collect_json_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 12, "expected at least 12 example files under {}", root.display());
    files
        .into_iter()
        .map(|path| {
            let body = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let value: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let first = if value.is_array() { &value[0] } else { &value };
            let (schema, event_type) = match (first.get("eventType"), first.get("type")) {
                (Some(t), _) => (Schema::EventGrid, t),
                (None, Some(t)) => (Schema::CloudEvents, t),
                (None, None) => panic!("{}: neither `eventType` nor `type`", path.display()),
            };
            let name = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
            Sample {
                name: format!("example {name}"),
                schema,
                event_type: event_type.as_str().unwrap_or_default().to_owned(),
                body,
            }
        })
        .collect()
}

/// Every real sample: the seed deliveries, then the example files.
pub fn all_samples() -> Vec<Sample> {
    let mut samples = seed_samples();
    samples.extend(example_samples());
    samples
}

fn collect_json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("readable directory entry").path();
        if path.is_dir() {
            collect_json_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            out.push(path);
        }
    }
}

/// The Event Grid subscription validation delivery, as the Event Grid documentation shows it.
pub const VALIDATION_BODY: &str = r#"[{
  "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
  "topic": "/subscriptions/xx/resourceGroups/xx/providers/Microsoft.Storage/storageAccounts/xx",
  "subject": "",
  "data": {
    "validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
    "validationUrl": "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/myeventsub/validate?id=0000000000-0000-0000-0000-00000000000000&t=2022-10-28T04:23:35.1981776Z&apiVersion=2018-05-01-preview&token=1A1A1A1A"
  },
  "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
  "eventTime": "2022-10-28T04:23:35.1981776Z",
  "metadataVersion": "1",
  "dataVersion": "1"
}]"#;
