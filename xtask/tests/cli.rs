//! `cargo xtask import` and `cargo xtask drift` as commands: usage, exit codes, one-line errors.

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("the xtask binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_prints_usage_and_succeeds() {
    for command in ["import", "drift"] {
        let out = xtask(&[command, "--help"]);
        assert!(out.status.success(), "{command} --help: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with(&format!("usage: cargo xtask {command}")),
            "{}",
            text(&out.stdout)
        );
    }
}

#[test]
fn help_of_every_other_command_prints_usage_and_succeeds() {
    for args in [
        &["--help"][..],
        &["codegen", "--help"],
        &["bench-specs", "--help"],
        &["compile-time", "--help"],
    ] {
        let out = xtask(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(stdout.starts_with("usage: cargo xtask <command>"), "{args:?}: {stdout}");
        assert!(stdout.contains("bench-specs N OUTDIR"), "{stdout}");
    }
    // Without a command it is still an error, with the usage.
    let out = xtask(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("usage: cargo xtask <command>"));
}

#[test]
fn bad_arguments_and_missing_files_are_one_line_errors() {
    for (args, expected) in [
        (&["import"][..], "import: which OpenAPI file?"),
        (&["import", "--bogus"][..], "import: unknown option '--bogus'"),
        (&["import", "no/such/file.json"][..], "import: cannot read no/such/file.json"),
        (
            &["import", "Cargo.toml", "--operations"][..],
            "import: --operations needs a list of operationIds",
        ),
        (&["import", "Cargo.toml"][..], "xtask/Cargo.toml: not a JSON document"),
        (&["drift", "specs/nope.yaml"][..], "drift: no spec specs/nope.yaml in specs/"),
        (&["drift", "--all", "extra"][..], "drift: unexpected arguments '--all extra'"),
    ] {
        let out = xtask(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn drift_all_passes_on_the_shipped_specs() {
    let out = xtask(&["drift", "--all"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let specs = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "yaml"))
        .count();
    // Every shipped spec names its source and is compared.
    assert_eq!(stdout.matches(": 0 unmarked differences,").count(), specs, "{stdout}");
}

#[test]
fn codegen_root_writes_the_generated_tree_of_another_directory() {
    let root = std::env::temp_dir().join(format!("xtask-cli-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("specs")).unwrap();
    let specs = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");
    for name in ["common.yaml", "rooms.yaml"] {
        std::fs::copy(format!("{specs}/{name}"), root.join("specs").join(name)).unwrap();
    }
    let dir = root.to_str().unwrap();
    let out = xtask(&["codegen", "--root", dir]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("codegen: "), "{}", text(&out.stdout));
    assert!(root.join("generated/src/rooms.rs").is_file());
    assert!(!root.join("generated/src/chat.rs").exists());
    // The tree written is the one --check then accepts.
    let out = xtask(&["codegen", "--check", "--root", dir]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::remove_dir_all(&root).unwrap();
}
