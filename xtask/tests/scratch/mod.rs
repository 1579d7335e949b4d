//! What the tests that work on scratch copies of the workspace share.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// The workspace these tests belong to.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").into()
}

/// Copies the folder `from` to `to`, leaving out every entry whose name is in `skip`.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(name);
        if path.is_dir() {
            copy_dir(&path, &target, skip);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}
