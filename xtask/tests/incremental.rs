//! `cargo xtask codegen` on a scratch copy of the workspace reads the digests in the headers of
//! the existing files: it makes again only the modules that changed, writes only what differs,
//! and `--check` catches a file edited by hand although no spec changed.

mod scratch;

use scratch::{remove_workspace_copy, workspace_copy};

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use xtask::codegen::{run, run_with_report, Mode};

fn scratch_copy(name: &str) -> PathBuf {
    workspace_copy(&format!("incremental-{name}"))
}

fn modified(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(modified(&path));
        } else {
            let time = fs::metadata(&path).unwrap().modified().unwrap();
            files.push((path, time));
        }
    }
    files.sort();
    files
}

#[test]
fn a_run_with_nothing_changed_formats_nothing() {
    let root = scratch_copy("nothing");
    let before = modified(&root.join("generated"));
    let report = run_with_report(&root, Mode::Write).expect("the real specs generate");
    assert_eq!(report.formatted, Vec::<String>::new());
    assert_eq!(report.changed, Vec::<String>::new());
    assert!(report.unchanged > 20, "{report:?}");
    let report = run_with_report(&root, Mode::Check).expect("the checked-in files are fresh");
    assert_eq!(report.formatted, Vec::<String>::new());
    assert_eq!(before, modified(&root.join("generated")), "a file was touched");
    remove_workspace_copy(&root);
}

#[test]
fn one_changed_spec_formats_only_its_module_and_writes_only_what_differs() {
    let root = scratch_copy("one");
    let rooms = root.join("specs/rooms.yaml");
    let text = fs::read_to_string(&rooms).unwrap();
    let edited = text.replacen("description: The meeting room.", "description: A room.", 1);
    assert_ne!(edited, text, "the edit applies");
    fs::write(&rooms, edited).unwrap();
    let before = modified(&root.join("generated"));

    let report = run_with_report(&root, Mode::Write).expect("the edited specs generate");

    let mut formatted = report.formatted.clone();
    formatted.sort();
    assert_eq!(
        formatted,
        [
            "examples/rooms_create_room.rs",
            "src/rooms.rs",
            "tests/examples/rooms.rs",
            "tests/operations/rooms.rs"
        ]
    );
    // The other files of the module came out the same but for the input digest in their header.
    assert_eq!(report.changed.len(), formatted.len(), "{report:?}");
    let after = modified(&root.join("generated"));
    let touched: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0.strip_prefix(root.join("generated")).unwrap().display().to_string())
        .collect();
    let mut changed = report.changed.clone();
    changed.sort();
    assert_eq!(touched, changed);
    let text = fs::read_to_string(root.join("generated/src/rooms.rs")).unwrap();
    assert!(text.contains("/// A room."));
    assert_eq!(run_with_report(&root, Mode::Check).expect("fresh again").formatted.len(), 0);
    remove_workspace_copy(&root);
}

#[test]
fn check_catches_a_file_edited_by_hand_though_no_spec_changed() {
    let root = scratch_copy("edited");
    let target = root.join("generated/src/rooms.rs");
    let original = fs::read_to_string(&target).unwrap();
    // The header, with its digests, is left as it was.
    let edited = original.replacen("pub struct", "pub(crate) struct", 1);
    assert_ne!(edited, original);
    fs::write(&target, &edited).unwrap();

    let error = run(&root, Mode::Check).expect_err("an edited file fails the check");
    assert!(
        error.contains("edited by hand: generated/src/rooms.rs (its contents do not match the output digest in its header)"),
        "{error}"
    );
    assert_eq!(error.lines().count(), 2, "only the edited file is named: {error}");

    let report = run_with_report(&root, Mode::Write).expect("codegen repairs it");
    assert_eq!(report.changed, ["src/rooms.rs"]);
    assert_eq!(fs::read_to_string(&target).unwrap(), original);
    run(&root, Mode::Check).expect("fresh again");
    remove_workspace_copy(&root);
}

#[test]
fn check_catches_missing_and_extra_files() {
    let root = scratch_copy("missing");
    let gone = root.join("generated/examples/rooms_create_room.rs");
    fs::remove_file(&gone).unwrap();
    // A copy of a generated file, header and all, that the specs do not produce.
    let extra = root.join("generated/src/extra.rs");
    fs::copy(root.join("generated/src/email.rs"), &extra).unwrap();

    let error = run(&root, Mode::Check).expect_err("a missing file fails the check");
    assert!(error.contains("missing: generated/examples/rooms_create_room.rs"), "{error}");
    assert!(error.contains("no longer generated: generated/src/extra.rs"), "{error}");

    run(&root, Mode::Write).expect("codegen repairs it");
    assert!(gone.exists() && !extra.exists());
    run(&root, Mode::Check).expect("fresh again");
    remove_workspace_copy(&root);
}
