//! Computes `API_CODEGEN_SOURCE_DIGEST`: the digest of everything that decides what the
//! generator writes (its sources, templates and manifest, and the locked versions of the crates
//! that build and format its output), so that generated files made by a different generator
//! never pass as up to date.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/digest/hash.rs"]
mod hash;

/// Crates whose version can change the generated text.
const FORMATTING_CRATES: &[&str] =
    &["prettyplease", "syn", "quote", "proc-macro2", "askama", "serde_json", "serde_yaml"];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    for dir in ["src", "templates"] {
        collect(&manifest_dir.join(dir), &mut files);
        println!("cargo:rerun-if-changed={dir}");
    }
    files.push(manifest_dir.join("Cargo.toml"));
    files.push(manifest_dir.join("build.rs"));
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=build.rs");
    files.sort();
    let mut h = hash::Hasher128::default();
    for file in &files {
        let rel = file.strip_prefix(&manifest_dir).unwrap_or(file);
        h.write(rel.to_string_lossy().replace('\\', "/").as_bytes());
        h.write(&[0]);
        let bytes = std::fs::read(file).unwrap_or_default();
        h.write(&(bytes.len() as u64).to_le_bytes());
        h.write(&bytes);
    }
    // The workspace's lock file, when there is one, pins the formatting crates.
    let lock = manifest_dir.join("../Cargo.lock");
    if let Ok(text) = std::fs::read_to_string(&lock) {
        println!("cargo:rerun-if-changed=../Cargo.lock");
        for package in text.split("[[package]]") {
            let name = package.lines().find_map(|l| l.strip_prefix("name = ")).unwrap_or("");
            if FORMATTING_CRATES.contains(&name.trim_matches('"')) {
                let version =
                    package.lines().find_map(|l| l.strip_prefix("version = ")).unwrap_or("");
                h.write(format!("{name}@{version}\n").as_bytes());
            }
        }
    }
    println!("cargo:rustc-env=API_CODEGEN_SOURCE_DIGEST={:032x}", h.finish());
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
