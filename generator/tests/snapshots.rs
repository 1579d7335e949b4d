//! Snapshot tests: each fixture spec in `tests/fixtures/` exercises one feature, and the files
//! generated from it are kept beside it in `tests/snapshots/<fixture>/`. A change to the
//! generator that changes output shows up here as a diff to review.
//!
//! To accept new output: `UPDATE_SNAPSHOTS=1 cargo test -p api-codegen --test snapshots`.
//!
//! The digests at the end of each header line are left out of the snapshots: the input digest
//! covers the generator's own sources, so it changes with every edit to the generator, even one
//! that changes no output. `xtask/tests/incremental.rs` tests the digests.

use std::fs;
use std::path::{Path, PathBuf};

use api_codegen::{generate, SpecSource};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn check(fixture: &str) {
    let spec = fixtures().join(format!("{fixture}.yaml"));
    let text = fs::read_to_string(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let files = generate(&[SpecSource { name: format!("tests/fixtures/{fixture}.yaml"), text }])
        .unwrap_or_else(|errors| {
            panic!("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        });
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(fixture);
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for (path, contents) in &files {
        let contents = &without_digests(contents);
        let target = dir.join(path);
        if update {
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(&target, contents).unwrap();
        } else if fs::read_to_string(&target).ok().as_deref() != Some(contents.as_str()) {
            stale.push(target.display().to_string());
        }
    }
    // A snapshot file the generator no longer writes is stale too.
    for file in files_under(&dir) {
        let rel = file.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
        if !files.contains_key(&rel) {
            if update {
                fs::remove_file(&file).unwrap();
            } else {
                stale.push(format!("{} (no longer generated)", file.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "output differs from the snapshot (review, then UPDATE_SNAPSHOTS=1 cargo test -p api-codegen --test snapshots):\n{}",
        stale.join("\n")
    );
}

/// `contents` without the ` input:… output:…` digests of its header line.
fn without_digests(contents: &str) -> String {
    let (first, rest) = contents.split_once('\n').unwrap_or((contents, ""));
    match first.find(" input:") {
        Some(at) => {
            let close = if first.ends_with(" -->") { " -->" } else { "" };
            format!("{}{close}\n{rest}", &first[..at])
        }
        None => contents.to_owned(),
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn enums() {
    check("enums");
}

#[test]
fn objects() {
    check("objects");
}

#[test]
fn extends() {
    check("extends");
}

#[test]
fn clients() {
    check("clients");
}

#[test]
fn events() {
    check("events");
}

#[test]
fn paging() {
    check("paging");
}

#[test]
fn unions() {
    check("unions");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let sources: Vec<SpecSource> =
        ["enums", "objects", "extends", "clients", "events", "paging", "unions"]
            .iter()
            .map(|f| SpecSource {
                name: format!("tests/fixtures/{f}.yaml"),
                text: fs::read_to_string(fixtures().join(format!("{f}.yaml"))).unwrap(),
            })
            .collect();
    let first = generate(&sources).unwrap();
    let mut reversed = sources.clone();
    reversed.reverse();
    assert_eq!(first, generate(&reversed).unwrap(), "input order must not matter");
    assert_eq!(first, generate(&sources).unwrap());
}
