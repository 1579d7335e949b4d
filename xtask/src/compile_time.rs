//! `cargo xtask compile-time`: how long the generated crate takes to build (dev profile), with
//! its dependencies already built.
//!
//! For each feature set (all seed services, the default features; then `rooms` alone):
//!
//! 1. build `azure-communication` once so that every dependency is built (not timed);
//! 2. **clean**: `cargo clean -p azure-communication`, then time `cargo build -p
//!    azure-communication`;
//! 3. **incremental**: append a sentence to the module description of `specs/rooms.yaml`, run
//!    codegen, time the build; then restore the spec, run codegen again and time that build too
//!    (a second incremental sample that also leaves the tree as it was).
//!
//! The spec is restored whatever happens: by a guard when this function returns, fails or
//! panics, and, should the process be killed in between, at the start of the next run. Restoring
//! takes out only the sentence added here, so an edit someone else made to the file meanwhile
//! is kept; then codegen runs again.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::codegen;

/// The sentence added to the module description of `specs/rooms.yaml` for the incremental build.
const MARKER: &str = " Edited by cargo xtask compile-time.";

/// The spec that is edited.
const SPEC: &str = "specs/rooms.yaml";

/// Runs the measurement; `args` are the words after `compile-time`.
pub fn run(root: &Path, args: &[&str]) -> Result<String, String> {
    let mut incremental = true;
    let mut sets: Vec<(String, Vec<String>)> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--skip-incremental" => incremental = false,
            "--features" => {
                let features = rest.next().ok_or("--features needs a value")?;
                sets.push((
                    format!("features {features}"),
                    vec![
                        "--no-default-features".to_owned(),
                        "--features".to_owned(),
                        (*features).to_owned(),
                    ],
                ));
            }
            "--default-features" => sets.push(("default features".to_owned(), Vec::new())),
            other => return Err(format!("compile-time: unknown argument '{other}'")),
        }
    }
    if sets.is_empty() {
        sets.push(("all seed services (default features)".to_owned(), Vec::new()));
        sets.push((
            "rooms alone (--no-default-features --features rooms)".to_owned(),
            vec!["--no-default-features".to_owned(), "--features".to_owned(), "rooms".to_owned()],
        ));
    }
    recover_leftover_edit(root)?;
    let mut report = format!(
        "compile-time: dev profile, {} cores; dependencies built before each measurement\n",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    for (name, flags) in &sets {
        let _ = writeln!(report, "{name}:");
        eprintln!("compile-time: {name}: building dependencies");
        cargo_build(root, flags, false)?;
        cargo(root, &["clean", "-p", "azure-communication"])?;
        eprintln!("compile-time: {name}: clean build");
        let clean = cargo_build(root, flags, true)?;
        let fresh = cargo_build(root, flags, false)?;
        let _ = writeln!(report, "  clean build of azure-communication   {:>7.2} s", secs(clean));
        let _ = writeln!(report, "  no-op build (nothing changed)        {:>7.2} s", secs(fresh));
        if incremental {
            let (edit, codegen_time, restore) = edit_and_build(root, flags)?;
            let _ = writeln!(
                report,
                "  after editing specs/rooms.yaml       {:>7.2} s  (+ codegen {:.2} s)",
                secs(edit),
                secs(codegen_time)
            );
            let _ =
                writeln!(report, "  after restoring it                   {:>7.2} s", secs(restore));
        }
    }
    Ok(report.trim_end().to_owned())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Edits the spec, regenerates and times the build; then restores, regenerates and times again.
/// Returns (build after edit, codegen time, build after restore).
fn edit_and_build(root: &Path, flags: &[String]) -> Result<(Duration, Duration, Duration), String> {
    let guard = SpecEdit::apply(root)?;
    let start = Instant::now();
    codegen::run(root, codegen::Mode::Write)?;
    let codegen_time = start.elapsed();
    eprintln!("compile-time: build after the spec edit");
    let edited = cargo_build(root, flags, true)?;
    guard.restore()?;
    eprintln!("compile-time: build after restoring the spec");
    let restored = cargo_build(root, flags, true)?;
    Ok((edited, codegen_time, restored))
}

/// The edit of `specs/rooms.yaml`; restores the file and regenerates when dropped.
struct SpecEdit {
    root: PathBuf,
    done: bool,
}

impl SpecEdit {
    fn apply(root: &Path) -> Result<Self, String> {
        let path = root.join(SPEC);
        let original = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let edited = add_marker(&original)
            .ok_or_else(|| format!("{SPEC} has no top-level `description:` to edit"))?;
        // From here on the guard exists, so a failed write is undone too.
        let guard = Self { root: root.to_owned(), done: false };
        fs::write(&path, &edited).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(guard)
    }

    /// Puts the spec back and regenerates.
    fn restore(mut self) -> Result<(), String> {
        self.done = true;
        restore_spec(&self.root)
    }
}

impl Drop for SpecEdit {
    fn drop(&mut self) {
        if !self.done {
            if let Err(e) = restore_spec(&self.root) {
                eprintln!("compile-time: {e}");
            }
        }
    }
}

/// The spec with [`MARKER`] appended to the module description: to its line, or to the last line
/// of a folded (`>-`) or literal (`|`) block.
fn add_marker(spec: &str) -> Option<String> {
    let lines: Vec<&str> = spec.split_inclusive('\n').collect();
    let start = lines.iter().position(|l| l.starts_with("description:"))?;
    let head = lines[start].trim_end();
    let block = [">", ">-", "|", "|-"].iter().any(|b| head.ends_with(&format!(": {b}")));
    let mut target = start;
    if block {
        while lines.get(target + 1).is_some_and(|l| l.starts_with(' ') && !l.trim().is_empty()) {
            target += 1;
        }
        if target == start {
            return None;
        }
    }
    let mut out = String::with_capacity(spec.len() + MARKER.len());
    for (i, line) in lines.iter().enumerate() {
        if i == target {
            let body = line.trim_end_matches(['\n', '\r']);
            out.push_str(body);
            out.push_str(MARKER);
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}

/// Takes the added sentence out of the spec again (and nothing else, so an edit someone made
/// meanwhile stays) and regenerates.
fn restore_spec(root: &Path) -> Result<(), String> {
    let path = root.join(SPEC);
    let current =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if current.contains(MARKER) {
        fs::write(&path, current.replacen(MARKER, "", 1)).map_err(|e| {
            format!("cannot restore {}: {e}; remove '{MARKER}' from it by hand", path.display())
        })?;
    }
    codegen::run(root, codegen::Mode::Write)
        .map(drop)
        .map_err(|e| format!("{SPEC} restored, but codegen failed: {e}"))
}

/// A run that was killed between edit and restore leaves the sentence behind.
fn recover_leftover_edit(root: &Path) -> Result<(), String> {
    let current = fs::read_to_string(root.join(SPEC)).unwrap_or_default();
    if current.contains(MARKER) {
        eprintln!("compile-time: restoring {SPEC}, left edited by an interrupted run");
        restore_spec(root)?;
    }
    Ok(())
}

/// Builds the generated crate; with `expect_compile`, fails unless cargo really compiled it.
fn cargo_build(root: &Path, flags: &[String], expect_compile: bool) -> Result<Duration, String> {
    let mut args = vec!["build", "-p", "azure-communication"];
    args.extend(flags.iter().map(String::as_str));
    let (elapsed, stderr) = cargo(root, &args)?;
    if expect_compile && !stderr.contains("Compiling azure-communication") {
        return Err(format!(
            "`cargo {}` did not compile azure-communication:\n{stderr}",
            args.join(" ")
        ));
    }
    Ok(elapsed)
}

/// Runs cargo in `root`; returns how long it took and its stderr (shown only on failure).
fn cargo(root: &Path, args: &[&str]) -> Result<(Duration, String), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let start = Instant::now();
    let output = Command::new(&cargo)
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        Ok((elapsed, stderr))
    } else {
        Err(format!("`cargo {}` failed ({}):\n{stderr}", args.join(" "), output.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_a_one_line_description_and_restores_it() {
        let spec = "module: rooms\ndescription: Rooms.\nimports: [common]\n";
        let edited = add_marker(spec).unwrap();
        assert_eq!(
            edited,
            format!("module: rooms\ndescription: Rooms.{MARKER}\nimports: [common]\n")
        );
        assert_eq!(edited.replacen(MARKER, "", 1), spec);
    }

    #[test]
    fn marks_the_last_line_of_a_folded_description() {
        let spec = "module: rooms\ndescription: >-\n  Rooms, for\n  meetings.\nimports: [common]\n";
        let edited = add_marker(spec).unwrap();
        assert!(edited.contains(&format!("  meetings.{MARKER}\nimports")));
        assert_eq!(edited.replacen(MARKER, "", 1), spec);
    }
}
