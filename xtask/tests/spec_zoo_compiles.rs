//! Every fixture of the spec zoo that the generator accepts (`# expect: compiles`) gives a crate
//! that compiles under `-D warnings`: each is generated into a crate of its own in one scratch
//! workspace beside the real runtime, and the workspace is built once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)]
#[path = "../../generator/tests/zoo_support/mod.rs"]
mod zoo_support;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").into()
}

#[test]
fn accepted_fixtures_compile_without_warnings() {
    let real = workspace_root();
    let scratch = std::env::temp_dir().join(format!("xtask-spec-zoo-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).unwrap();
    for shared in ["runtime", "test-support"] {
        std::os::unix::fs::symlink(real.join(shared), scratch.join(shared)).unwrap();
    }
    let mut members = Vec::new();
    for (name, text) in zoo_support::fixtures() {
        let (expect, sources) = zoo_support::parse(&text);
        if expect != ["compiles"] {
            continue;
        }
        let files = api_codegen::generate(&sources).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let package = format!("zoo-{}", name.replace('_', "-"));
        let dir = scratch.join(&package);
        for (path, contents) in files {
            // The library is what is compiled; the tests need the conformance files.
            if !(path.starts_with("src/") || path == "Cargo.toml" || path == "README.md") {
                continue;
            }
            let contents = if path == "Cargo.toml" {
                contents.replace("name = \"azure-communication\"", &format!("name = \"{package}\""))
            } else {
                contents
            };
            let target = dir.join(&path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, contents).unwrap();
        }
        members.push(package);
    }
    assert!(members.len() >= 5, "{members:?}");
    let manifest = fs::read_to_string(real.join("Cargo.toml")).unwrap();
    let start = manifest.find("members = [").unwrap();
    let end = start + manifest[start..].find(']').unwrap() + 1;
    let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest =
        format!("{}members = [{}]{}", &manifest[..start], list.join(", "), &manifest[end..]);
    fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    fs::copy(real.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    let output = Command::new(env!("CARGO"))
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", real.join("target/scratch"))
        .env("RUSTFLAGS", "-D warnings")
        .args(["build", "--quiet", "--workspace", "--lib"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "accepted zoo fixtures do not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = fs::remove_dir_all(&scratch);
}
