//! The proof of `cargo xtask import`: importing the Chat, Rooms, Call Automation, Identity and
//! Email OpenAPI files gives specs from which `cargo xtask codegen` generates a crate that
//! compiles, its generated tests included.
//!
//! The five imports replace the hand-written specs in a scratch copy of the workspace (the
//! common and events specs stay), codegen runs there, and `cargo check --tests` builds the
//! generated crate in one go, with this workspace's target directory so that no dependency is
//! built again. A small member depending on the generator and xtask takes part so that cargo
//! picks the dependency features the workspace's own builds pick (otherwise a different feature
//! set would rebuild them all).

mod scratch;

use scratch::{copy_dir, workspace_root};

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use xtask::codegen::{read_specs, run, Mode};
use xtask::import::{import, Request};
use xtask::openapi::DiskFiles;

const APIS: [&str; 5] = [
    "chat/2024-03-07/communicationserviceschat.json",
    "rooms/2023-10-30-preview/communicationservicesrooms.json",
    "callautomation/2022-04-07-preview/communicationservicescallautomation.json",
    "identity/2023-10-01/CommunicationIdentity.json",
    "email/2023-03-31/CommunicationServicesEmail.json",
];

#[test]
fn the_five_imports_generate_a_crate_that_compiles() {
    let root = workspace_root();
    let scratch =
        std::env::temp_dir().join(format!("xtask-import-compiles-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(scratch.join("specs")).unwrap();

    // The specs: the five imports, and the hand-written specs they do not replace.
    let shipped = read_specs(&root.join("specs")).unwrap();
    let files = DiskFiles { root: root.clone() };
    let mut modules = Vec::new();
    let mut replaced = Vec::new();
    for api in APIS {
        let source = format!("../shared/conformance/azure-rest-api-specs/{api}");
        let request = Request { source: &source, operations: None, module: None, specs: &shipped };
        let imported = import(&files, &request).unwrap_or_else(|e| panic!("{api}: {e}"));
        fs::write(scratch.join(format!("specs/{}.yaml", imported.module)), &imported.text).unwrap();
        replaced.extend(imported.replaces.clone());
        modules.push(imported.module);
    }
    for spec in &shipped {
        if !replaced.contains(&spec.name) {
            fs::write(scratch.join(&spec.name), &spec.text).unwrap();
            modules
                .push(spec.name.trim_start_matches("specs/").trim_end_matches(".yaml").to_owned());
        }
    }
    modules.retain(|m| m != "common");
    modules.sort();

    // The workspace around the generated crate: its hand-written runtime and test support.
    for file in ["README.md", "Cargo.lock", "rustfmt.toml"] {
        fs::copy(root.join(file), scratch.join(file)).unwrap();
    }
    let workspace = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = workspace.lines().find(|l| l.starts_with("members")).expect("a members line");
    fs::write(
        scratch.join("Cargo.toml"),
        workspace
            .replacen(
                members,
                "members = [\"runtime\", \"generated\", \"test-support\", \"unify\"]",
                1,
            )
            .replacen("exclude = [\"fuzz\"]\n", "", 1),
    )
    .unwrap();
    // `codegen` writes the generated crate's manifest, with one feature per module.
    fs::create_dir_all(scratch.join("generated")).unwrap();
    copy_dir(&root.join("runtime"), &scratch.join("runtime"), &[]);
    copy_dir(&root.join("test-support"), &scratch.join("test-support"), &[]);
    fs::create_dir_all(scratch.join("unify/src")).unwrap();
    fs::write(scratch.join("unify/src/lib.rs"), "//! Only takes part in feature resolution.\n")
        .unwrap();
    fs::write(
        scratch.join("unify/Cargo.toml"),
        format!(
            "[package]\nname = \"unify\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nxtask = {{ path = \"{}\" }}\n",
            root.join("xtask").display()
        ),
    )
    .unwrap();

    let summary =
        run(&scratch, Mode::Write).unwrap_or_else(|e| panic!("codegen on the imports: {e}"));
    assert!(summary.starts_with("codegen: "), "{summary}");
    for m in &modules {
        assert!(scratch.join(format!("generated/src/{m}.rs")).is_file(), "no module {m}");
    }

    // One check of the crate and its generated tests, all features on.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut child = Command::new(&cargo)
        .args(["check", "--offline", "--workspace", "--tests"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", &target)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
        text
    });
    // A cargo waiting forever for a lock would hang the test run; give up well before CI does.
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(25 * 60) {
            let _ = child.kill();
            panic!("cargo check of the imported crate took more than 25 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let stderr = reader.join().unwrap_or_default();
    assert!(status.success(), "the crate generated from the imports does not compile:\n{stderr}");
    let rebuilt: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            l.trim_start().starts_with("Checking") || l.trim_start().starts_with("Compiling")
        })
        .collect();
    println!("{} units built: {}", rebuilt.len(), rebuilt.join("; "));
    let _ = fs::remove_dir_all(&scratch);
}
