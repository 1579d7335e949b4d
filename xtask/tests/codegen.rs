//! `cargo xtask codegen` end to end: the checked-in output is fresh, and a broken spec changes
//! nothing on disk.

mod scratch;

use scratch::{copy_dir, workspace_root};

use std::fs;
use std::path::{Path, PathBuf};

use xtask::codegen::{run, Mode};

/// The same check as `cargo xtask codegen --check`, as a test: fails naming every stale file
/// and the command that fixes it.
#[test]
fn generated_files_are_fresh() {
    if let Err(message) = run(&workspace_root(), Mode::Check) {
        panic!("{message}");
    }
}

/// A copy of the real specs and the generated crate in a temporary directory, with the
/// conformance files beside it as a clone has them (the specs' example files, from which the
/// doc examples are built, are found there).
fn scratch_copy(name: &str) -> PathBuf {
    let scratch = std::env::temp_dir().join(format!("xtask-codegen-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let root = scratch.join("workspace");
    copy_dir(&workspace_root().join("specs"), &root.join("specs"), &[]);
    copy_dir(&workspace_root().join("generated"), &root.join("generated"), &[]);
    std::os::unix::fs::symlink(workspace_root().join("../shared"), scratch.join("shared")).unwrap();
    root
}

/// Removes a scratch copy made by [`scratch_copy`].
fn remove_scratch(root: &Path) {
    fs::remove_dir_all(root.parent().expect("the scratch directory")).unwrap();
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(snapshot(&path));
        } else {
            let meta = fs::metadata(&path).unwrap();
            files.push((path.clone(), fs::read(&path).unwrap(), meta.modified().unwrap()));
        }
    }
    files.sort();
    files
}

#[test]
fn a_broken_spec_leaves_generated_untouched_and_reports_every_error() {
    let root = scratch_copy("broken");
    // Two independent mistakes in two files: both must be reported in one run.
    let rooms = root.join("specs/rooms.yaml");
    let text =
        fs::read_to_string(&rooms).unwrap().replacen("body: RoomModel", "body: RoomModle", 1);
    fs::write(&rooms, text).unwrap();
    let chat = root.join("specs/chat.yaml");
    let text = fs::read_to_string(&chat).unwrap().replacen(
        "type: CommunicationIdentifierModel",
        "type: CommunicationIdentifier",
        1,
    );
    fs::write(&chat, text).unwrap();
    let before = snapshot(&root.join("generated"));

    let error = run(&root, Mode::Write).expect_err("a broken spec must fail");

    assert!(
        error.contains("specs/rooms.yaml:")
            && error.contains("unknown type 'RoomModle' (did you mean 'RoomModel'?)"),
        "{error}"
    );
    assert!(error.contains("specs/chat.yaml:") && error.contains("unknown type 'CommunicationIdentifier' (did you mean 'CommunicationIdentifierModel'?)"), "{error}");
    assert!(error.ends_with("2 errors in specs/; generated/ was not changed"), "{error}");
    assert_eq!(before, snapshot(&root.join("generated")), "generated/ changed");
    remove_scratch(&root);
}

#[test]
fn only_changed_files_are_rewritten() {
    let root = scratch_copy("incremental");
    let summary = run(&root, Mode::Write).expect("the real specs generate");
    assert!(summary.starts_with("codegen: 0 files written"), "{summary}");

    let rooms = root.join("specs/rooms.yaml");
    let text = fs::read_to_string(&rooms).unwrap().replacen(
        "description: The meeting room.",
        "description: A meeting room.",
        1,
    );
    assert_ne!(text, fs::read_to_string(&rooms).unwrap(), "the edit applies");
    fs::write(&rooms, text).unwrap();
    let before = snapshot(&root.join("generated"));
    let summary = run(&root, Mode::Write).expect("the edited specs generate");
    // The module's other files change only in the input digest of their header line.
    assert!(summary.starts_with("codegen: 4 files written"), "{summary}");
    let after = snapshot(&root.join("generated"));
    let changed: Vec<_> =
        before.iter().zip(&after).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0.clone()).collect();
    let generated = root.join("generated");
    assert_eq!(
        changed,
        [
            "examples/rooms_create_room.rs",
            "src/rooms.rs",
            "tests/examples/rooms.rs",
            "tests/operations/rooms.rs"
        ]
        .map(|p| generated.join(p))
    );
    let body = |(_, text, _): &(PathBuf, Vec<u8>, std::time::SystemTime)| {
        let text = String::from_utf8_lossy(text).into_owned();
        text.split_once('\n').map(|(_, rest)| rest.to_owned()).unwrap_or_default()
    };
    let changed_bodies: Vec<_> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| body(a) != body(b))
        .map(|(a, _)| a.0.clone())
        .collect();
    assert_eq!(changed_bodies, [generated.join("src/rooms.rs")]);
    assert!(run(&root, Mode::Check).is_ok());
    remove_scratch(&root);
}

#[test]
fn files_no_longer_generated_are_removed_also_from_test_directories_but_hand_written_ones_stay() {
    let root = scratch_copy("stale");
    let header =
        "// @generated by `cargo xtask codegen` from specs/old.yaml. Do not edit by hand.\n";
    let old_flat = root.join("generated/tests/operations.rs");
    let old_module = root.join("generated/tests/operations/old.rs");
    let hand_written = root.join("generated/tests/operations/helpers.rs");
    fs::write(&old_flat, header).unwrap();
    fs::write(&old_module, header).unwrap();
    fs::write(&hand_written, "//! Written by hand.\n").unwrap();

    let error = run(&root, Mode::Check).expect_err("stale files fail the check");
    assert!(error.contains("no longer generated: generated/tests/operations.rs"), "{error}");
    assert!(error.contains("no longer generated: generated/tests/operations/old.rs"), "{error}");
    assert!(!error.contains("helpers.rs"), "{error}");

    let summary = run(&root, Mode::Write).expect("the real specs generate");
    assert!(summary.ends_with(", 2 removed"), "{summary}");
    assert!(!old_flat.exists() && !old_module.exists());
    assert!(hand_written.exists());
    // No staged `.rs.tmp` file is left behind.
    let leftovers: Vec<_> = snapshot(&root.join("generated"))
        .into_iter()
        .filter(|(p, ..)| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    remove_scratch(&root);
}
