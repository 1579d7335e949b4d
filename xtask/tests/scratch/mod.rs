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

/// A copy of the real specs and the generated crate in a temporary directory
/// (`<tmp>/xtask-<name>-<pid>/workspace`), with the conformance files beside it as a clone has
/// them: the specs' example files, from which the doc examples are made, are found there, so
/// the copy generates exactly the checked-in files. Remove it with [`remove_workspace_copy`].
pub fn workspace_copy(name: &str) -> PathBuf {
    let scratch = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let root = scratch.join("workspace");
    copy_dir(&workspace_root().join("specs"), &root.join("specs"), &[]);
    copy_dir(&workspace_root().join("generated"), &root.join("generated"), &[]);
    std::os::unix::fs::symlink(workspace_root().join("../shared"), scratch.join("shared")).unwrap();
    root
}

/// Removes a copy made by [`workspace_copy`].
pub fn remove_workspace_copy(root: &Path) {
    fs::remove_dir_all(root.parent().expect("the scratch directory")).unwrap();
}
