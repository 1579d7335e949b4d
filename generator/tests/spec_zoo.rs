//! The spec zoo: fixtures with adversarial names under `tests/zoo/`, each either rejected with
//! its exact errors or accepted (and then compiled under `#![deny(warnings)]` by
//! `xtask/tests/spec_zoo_compiles.rs`).
//!
//! A fixture starts with its expectations, one `# expect: <error line>` per error, or the one
//! line `# expect: compiles`; positions in the error lines count from the first line after
//! them. A fixture of several spec files separates them with `# file: specs/<name>.yaml` lines
//! (the first file is `specs/zoo.yaml` unless one is named). `UPDATE_ZOO=1` rewrites the
//! expectations with what the generator says now.

use std::fs;

#[path = "zoo_support/mod.rs"]
mod zoo_support;

use zoo_support::{fixtures, outcome, parse, zoo};

/// Words of serde's own that a spec author should never see.
const SERDE_WORDING: &[&str] = &["untagged enum", "variant of", "invalid type:", "unknown variant"];

#[test]
fn every_fixture_gets_exactly_its_expected_outcome() {
    let update = std::env::var_os("UPDATE_ZOO").is_some();
    let fixtures = fixtures();
    assert!(fixtures.len() >= 40, "the zoo has {} fixtures", fixtures.len());
    let mut failures = Vec::new();
    for (name, text) in &fixtures {
        let (expect, sources) = parse(text);
        let actual = outcome(&sources);
        if update && actual != expect {
            let body = text.lines().skip(expect.len()).collect::<Vec<_>>().join("\n");
            let header: String = actual.iter().map(|l| format!("# expect: {l}\n")).collect();
            fs::write(zoo().join(format!("{name}.yaml")), format!("{header}{body}\n")).unwrap();
        } else if actual != expect {
            failures.push(format!("{name}:\n  expected {expect:#?}\n  got {actual:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_error_uses_serde_wording() {
    for (name, text) in fixtures() {
        let (_, sources) = parse(&text);
        for line in outcome(&sources) {
            for words in SERDE_WORDING {
                assert!(!line.contains(words), "{name}: '{words}' in: {line}");
            }
        }
    }
}

#[test]
fn the_zoo_rejects_and_accepts() {
    let outcomes: Vec<bool> =
        fixtures().iter().map(|(_, text)| parse(text).0 == ["compiles"]).collect();
    let accepted = outcomes.iter().filter(|a| **a).count();
    assert!(accepted >= 5, "{accepted} fixtures compile");
    assert!(outcomes.len() - accepted >= 35, "{} fixtures are rejected", outcomes.len() - accepted);
}
