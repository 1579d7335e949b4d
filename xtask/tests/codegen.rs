//! `cargo xtask codegen` end to end: the checked-in output is fresh, and a broken spec changes
//! nothing on disk.

use std::fs;
use std::path::{Path, PathBuf};

use xtask::codegen::{run, Mode};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// The same check as `cargo xtask codegen --check`, as a test: fails naming every stale file
/// and the command that fixes it.
#[test]
fn generated_files_are_fresh() {
    if let Err(message) = run(&workspace_root(), Mode::Check) {
        panic!("{message}");
    }
}

/// A copy of the real specs and generated sources in a temporary directory.
fn scratch_copy(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-codegen-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    copy_dir(&workspace_root().join("specs"), &root.join("specs"));
    copy_dir(&workspace_root().join("generated/src"), &root.join("generated/src"));
    copy_dir(&workspace_root().join("generated/tests"), &root.join("generated/tests"));
    copy_dir(&workspace_root().join("generated/examples"), &root.join("generated/examples"));
    root
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
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
    fs::remove_dir_all(&root).unwrap();
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
    assert!(summary.starts_with("codegen: 1 files written"), "{summary}");
    let after = snapshot(&root.join("generated"));
    let changed: Vec<_> =
        before.iter().zip(&after).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0.clone()).collect();
    assert_eq!(changed, [root.join("generated/src/rooms.rs")]);
    assert!(run(&root, Mode::Check).is_ok());
    fs::remove_dir_all(&root).unwrap();
}
