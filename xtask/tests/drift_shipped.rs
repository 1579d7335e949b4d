//! `cargo xtask drift` and `cargo xtask import` on the shipped specs and the OpenAPI files in
//! `../shared/conformance`.

use std::path::{Path, PathBuf};

use api_codegen::SpecSource;
use xtask::codegen::read_specs;
use xtask::drift::{drift, load_all};
use xtask::import::{import, Request};
use xtask::openapi::DiskFiles;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

const CORPUS: &str = "../shared/conformance/azure-rest-api-specs";

/// The five APIs the import is proven on: module, OpenAPI file under the corpus.
const APIS: [(&str, &str); 5] = [
    ("chat", "chat/2024-03-07/communicationserviceschat.json"),
    ("rooms", "rooms/2023-10-30-preview/communicationservicesrooms.json"),
    (
        "callautomation",
        "callautomation/2022-04-07-preview/communicationservicescallautomation.json",
    ),
    ("identity", "identity/2023-10-01/CommunicationIdentity.json"),
    ("email", "email/2023-03-31/CommunicationServicesEmail.json"),
];

fn shipped() -> Vec<SpecSource> {
    read_specs(&root().join("specs")).expect("specs/ reads")
}

#[test]
fn every_shipped_spec_names_its_source_and_has_no_unmarked_difference() {
    let sources = shipped();
    let loaded = load_all(&sources).expect("the specs parse");
    let files = DiskFiles { root: root() };
    let mut failures = Vec::new();
    let mut marked = 0;
    for spec in &loaded {
        assert!(spec.spec.source.is_some(), "{} has no `source:`", spec.file);
        let report = drift(&files, &loaded, &spec.file, None).expect("drift runs");
        marked += report.marked.len();
        if !report.passes() {
            failures.push(report.text());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(marked > 0, "the shipped specs differ on purpose in places, and say so");
}

#[test]
fn a_difference_introduced_in_a_spec_is_reported_at_its_file_and_line() {
    let mut sources = shipped();
    let rooms = sources.iter_mut().find(|s| s.name == "specs/rooms.yaml").expect("rooms spec");
    // RoomsCollection.value becomes optional; the OpenAPI requires it.
    let needle = "      value: { type: list<RoomModel>, required: true, description: A collection of rooms. }";
    let line = rooms.text.lines().position(|l| l == needle).expect("the line is there") + 1;
    rooms.text = rooms.text.replacen(needle, &needle.replace("required: true, ", ""), 1);
    // And a marker that covers nothing.
    rooms.text = rooms.text.replacen(
        "    at: [definitions.RoomModel.properties.pstnDialOutEnabled]",
        "    at: [definitions.RoomModel.properties.pstnDialOutEnabled, definitions.RoomModel.properties.id]",
        1,
    );
    let loaded = load_all(&sources).expect("the specs parse");
    let report = drift(&DiskFiles { root: root() }, &loaded, "specs/rooms.yaml", None).unwrap();
    assert!(!report.passes());
    let texts: Vec<String> = report.unmarked.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        texts,
        [format!(
            "specs/rooms.yaml:{line}:7: definitions.RoomsCollection.properties.value: optional here, required in the OpenAPI"
        )]
    );
    assert_eq!(report.stale.len(), 1, "{}", report.text());
    assert_eq!(report.stale[0].0, "definitions.RoomModel.properties.id");
    assert!(report
        .text()
        .contains("deliberate: 'definitions.RoomModel.properties.id' marks no difference"));
}

#[test]
fn drift_against_another_api_version_lists_what_changed() {
    // Rooms 2024-04-15 renamed the flag the spec already calls pstnDialOutEnabled, so the
    // naming differences are gone and the markers that explain them are stale.
    let sources = shipped();
    let loaded = load_all(&sources).unwrap();
    let newer = format!("{CORPUS}/rooms/2024-04-15/communicationservicesrooms.json");
    let report =
        drift(&DiskFiles { root: root() }, &loaded, "specs/rooms.yaml", Some(&newer)).unwrap();
    assert!(
        report.unmarked.is_empty()
            || report.unmarked.iter().all(|d| !d.message.contains("enablePstnDialout")),
        "{}",
        report.text()
    );
    assert!(
        report
            .stale
            .iter()
            .any(|(at, _)| at == "definitions.CreateRoomRequest.properties.pstnDialOutEnabled"),
        "{}",
        report.text()
    );
}

/// Imports one API with the shipped specs beside it; returns the import and the specs with the
/// import in place of the hand-written spec of its module.
fn imported(module: &str, file: &str) -> (xtask::import::Imported, Vec<SpecSource>) {
    let specs = shipped();
    let source = format!("{CORPUS}/{file}");
    let request = Request { source: &source, operations: None, module: None, specs: &specs };
    let result =
        import(&DiskFiles { root: root() }, &request).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(result.module, module);
    let mut with_import: Vec<SpecSource> =
        specs.into_iter().filter(|s| s.name != format!("specs/{module}.yaml")).collect();
    with_import
        .push(SpecSource { name: format!("specs/{module}.yaml"), text: result.text.clone() });
    (result, with_import)
}

#[test]
fn every_import_passes_codegen_and_drifts_no_more_than_the_hand_written_spec() {
    let files = DiskFiles { root: root() };
    let hand = shipped();
    let hand_loaded = load_all(&hand).unwrap();
    for (module, file) in APIS {
        let (result, with_import) = imported(module, file);
        if let Err(errors) = api_codegen::generate_files(&with_import) {
            let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            panic!(
                "the import of {file} does not pass codegen:\n{}\n\n{}",
                text.join("\n"),
                result.text
            );
        }
        let loaded = load_all(&with_import).unwrap();
        let name = format!("specs/{module}.yaml");
        let report = drift(&files, &loaded, &name, None).unwrap();
        // The hand-written spec's differences, marked or not, are the bar.
        let bar = hand_loaded
            .iter()
            .find(|s| s.file == name)
            .map(|_| {
                let r = drift(&files, &hand_loaded, &name, None).unwrap();
                r.marked.len() + r.unmarked.len()
            })
            .unwrap_or(usize::MAX);
        let own: Vec<String> =
            report.unmarked.iter().filter(|d| d.file == name).map(|d| d.to_string()).collect();
        assert!(
            own.len() <= bar,
            "{file}: {} differences, the hand-written spec has {bar}:\n{}",
            own.len(),
            own.join("\n")
        );
        // What the import cannot express is a difference, and it says so where it is.
        let lines: Vec<&str> = result.text.lines().collect();
        for d in report.unmarked.iter().filter(|d| d.file == name) {
            let above = lines[..d.position.line - 1]
                .iter()
                .rev()
                .take_while(|l| l.trim_start().starts_with('#'))
                .any(|l| l.contains("TODO(import)"));
            assert!(
                above,
                "{file}: the import differs from its OpenAPI file without a TODO there:\n{d}"
            );
        }
    }
}

#[test]
fn imports_say_where_the_hand_written_spec_is_better() {
    let (rooms, _) = imported("rooms", APIS[1].1);
    let text = &rooms.text;
    // The deliberate renaming, with its reason, at the property.
    let at = text.find("      enablePstnDialout:").expect("the OpenAPI name is imported");
    let before = &text[..at];
    let comment_block: Vec<&str> =
        before.lines().rev().take_while(|l| l.trim_start().starts_with('#')).collect();
    let block = comment_block.join("\n");
    assert!(
        block.contains("specs/rooms.yaml:") && block.contains("named `pstnDialOutEnabled`"),
        "{block}"
    );
    assert!(block.contains("marked deliberate there: The PSTN dial-out flag"), "{block}");
    // A client name the rule does not reach.
    let (ca, _) = imported("callautomation", APIS[2].1);
    assert!(ca.text.contains("named `startRecording`"), "{}", ca.text);
    assert!(ca.text.contains("on `CallMediaClient`"), "{}", ca.text);
    // PlayOptions clashes with the options struct of `play` and is renamed, as by hand.
    assert!(ca.text.contains("  PlayOptionsInternal:"), "{}", ca.text);
    // Email's send is long-running, with a status monitor body: imported as such, with no TODO.
    let (email, _) = imported("email", APIS[4].1);
    let send = &email.text[email.text.find("\n  sendEmail:\n").expect("send is imported")..];
    let send = &send[..send.find("\n  getSendResult:").unwrap_or(send.len())];
    assert!(send.contains("    long-running: {}\n"), "{send}");
    let notes = &email.text[..email.text.find("\n  sendEmail:\n").unwrap_or(0)];
    assert!(
        notes.contains("long-running operation (final state via azure-async-operation)"),
        "{notes}"
    );
    assert!(!email.todos.iter().any(|(_, t)| t.contains("long-running")), "{:?}", email.todos);
}

/// How many lines of each hand-written spec are not in its import (what a person wrote or
/// changed), the measure `docs/spec-format.md` reports. Bounded so that a worse import fails.
#[test]
fn hand_edits_between_imports_and_the_hand_written_specs() {
    let mut report = Vec::new();
    for (module, file) in APIS {
        let (result, _) = imported(module, file);
        let Some(hand) = shipped().into_iter().find(|s| s.name == format!("specs/{module}.yaml"))
        else {
            report.push(format!("{module}: no hand-written spec"));
            continue;
        };
        let edits = xtask::import::handedit::hand_edits(&result.text, &hand.text).unwrap();
        report.push(format!(
            "{module}: {} of {} lines edited by hand ({} in inline examples, {} outside them); {} imported lines dropped",
            edits.edited,
            edits.total,
            edits.in_examples,
            edits.edited - edits.in_examples,
            edits.dropped
        ));
        assert!(edits.edited - edits.in_examples <= edits.total / 2, "{}", report.join("\n"));
    }
    println!("{}", report.join("\n"));
}
