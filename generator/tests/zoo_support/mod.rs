//! Reading the fixtures of the spec zoo (`generator/tests/zoo/`); shared by the zoo test of the
//! generator and the compile test of xtask.

use std::fs;
use std::path::{Path, PathBuf};

use api_codegen::{generate, SpecSource};

/// The fixtures' folder.
pub fn zoo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/zoo")
}
/// The fixture's expectations and its spec files.
pub fn parse(text: &str) -> (Vec<String>, Vec<SpecSource>) {
    let mut expect = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.peek() {
        match line.strip_prefix("# expect: ") {
            Some(rest) => expect.push(rest.to_owned()),
            None => break,
        }
        lines.next();
    }
    let mut sources = vec![SpecSource { name: "specs/zoo.yaml".to_owned(), text: String::new() }];
    for line in lines {
        if let Some(name) = line.strip_prefix("# file: ") {
            if sources.len() == 1 && sources[0].text.is_empty() {
                sources[0].name = name.to_owned();
            } else {
                sources.push(SpecSource { name: name.to_owned(), text: String::new() });
            }
            continue;
        }
        let source = sources.last_mut().expect("one source at least");
        source.text.push_str(line);
        source.text.push('\n');
    }
    (expect, sources)
}

/// What the generator says of the fixture: its errors, or `compiles`.
pub fn outcome(sources: &[SpecSource]) -> Vec<String> {
    match generate(sources) {
        Ok(_) => vec!["compiles".to_owned()],
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// The fixtures, sorted, as (name, text).
pub fn fixtures() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = fs::read_dir(zoo())
        .expect("tests/zoo exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).expect("a readable fixture"))
        })
        .collect();
    all.sort();
    all
}
