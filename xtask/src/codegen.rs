//! File I/O around `api_codegen::generate`: read `specs/*.yaml`, write only the files whose
//! contents change, and never leave `generated/` half-written.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use api_codegen::digest::{self, Header};
use api_codegen::{GeneratedFile, Previous, SpecSource};

/// Hands the generator the OpenAPI example files the specs name (relative to `root`), from
/// which it builds the doc examples of client methods. A file that cannot be read is left out:
/// its operation is documented with placeholders, and its wire test reports the missing file.
pub fn with_example_files<'a>(
    root: &Path,
    files: api_codegen::Files<'a>,
) -> api_codegen::Files<'a> {
    let paths = files.example_files();
    paths.into_iter().fold(files, |files, path| match fs::read_to_string(root.join(&path)) {
        Ok(text) => files.with_example_file(path, text),
        Err(_) => files,
    })
}

/// What `codegen` does with the result.
pub enum Mode {
    /// Write changed files.
    Write,
    /// Compare only; fail when anything differs.
    Check,
}

/// What a `codegen` run did, file by file (paths relative to `generated/`).
#[derive(Debug, Default)]
pub struct Report {
    /// Files the generator made again (emitted and formatted): those of the modules whose input
    /// digest changed or whose files on disk are missing or edited.
    pub formatted: Vec<String>,
    /// Files whose contents changed (written, or in `--check` mode, found stale).
    pub changed: Vec<String>,
    /// Files removed (or in `--check` mode, found) because they are no longer generated.
    pub removed: Vec<String>,
    /// Files already as the generator would write them.
    pub unchanged: usize,
}

/// Regenerates (or checks) `generated/` under `root`. Returns the one-line summary.
pub fn run(root: &Path, mode: Mode) -> Result<String, String> {
    let check = matches!(mode, Mode::Check);
    let report = run_with_report(root, mode)?;
    let formatted = report.formatted.len();
    let total = report.unchanged + report.changed.len();
    Ok(if check {
        format!(
            "codegen --check: {} files up to date ({formatted} made again, the rest skipped by their digests)",
            report.unchanged
        )
    } else {
        format!(
            "codegen: {} files written, {} unchanged, {formatted} of {total} made again{}",
            report.changed.len(),
            report.unchanged,
            if report.removed.is_empty() {
                String::new()
            } else {
                format!(", {} removed", report.removed.len())
            }
        )
    })
}

/// [`run`], returning what it did file by file; in `--check` mode any difference is an error.
///
/// The header digests of the existing files are read first (see `api_codegen::digest`): a
/// module whose files are all intact and carry its current input digest is skipped, neither
/// lowered again nor emitted nor formatted. Every other file is compared (and changed ones
/// staged next to their targets) as the generator makes it, so only one module's output is in
/// memory at a time. The staged files replace their targets only once every file has been made;
/// if anything fails first, they are removed and `generated/` is left as it was.
pub fn run_with_report(root: &Path, mode: Mode) -> Result<Report, String> {
    let sources = read_specs(&root.join("specs"))?;
    let files = api_codegen::generate_files(&sources).map_err(|errors| {
        let mut text = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
        text.push_str(&format!(
            "\n{} error{} in specs/; generated/ was not changed",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ));
        text
    })?;
    let files = with_example_files(root, files);
    let out = root.join("generated");
    let existing = existing_generated_files(&out);
    let mut previous = Previous::default();
    let mut edited = BTreeSet::new();
    for (path, header) in &existing {
        match header {
            Header::Intact { input } => previous.insert(path.clone(), *input),
            Header::Edited => {
                edited.insert(path.clone());
            }
            Header::NoDigests | Header::NotGenerated => {}
        }
    }
    let mut produced = BTreeSet::new();
    let mut report = Report::default();
    let mut staged = Staged::default();
    let mut problems = Vec::new();
    for file in files.reusing(previous) {
        let GeneratedFile { path, contents } = file;
        let Some(contents) = contents else {
            report.unchanged += 1;
            produced.insert(path);
            continue;
        };
        report.formatted.push(path.clone());
        let target = out.join(&path);
        match fs::read_to_string(&target) {
            Ok(old) if old == contents => report.unchanged += 1,
            old => {
                if let Mode::Write = mode {
                    staged.stage(&target, &contents)?;
                }
                problems.push(if edited.contains(&path) {
                    format!(
                        "edited by hand: generated/{path} (its contents do not match the output digest in its header)"
                    )
                } else if old.is_err() {
                    format!("missing: generated/{path}")
                } else {
                    format!("stale: generated/{path}")
                });
                report.changed.push(path.clone());
            }
        }
        produced.insert(path);
    }
    report.removed = existing
        .iter()
        .filter(|(path, header)| {
            *header != Header::NotGenerated && path.ends_with(".rs") && !produced.contains(path)
        })
        .map(|(path, _)| path.clone())
        .collect();
    match mode {
        Mode::Check => {
            if report.changed.is_empty() && report.removed.is_empty() {
                Ok(report)
            } else {
                problems.extend(
                    report.removed.iter().map(|p| format!("no longer generated: generated/{p}")),
                );
                problems.push("run `cargo xtask codegen` and commit the result".to_owned());
                Err(problems.join("\n"))
            }
        }
        Mode::Write => {
            // Each staged file is renamed over its target, so an interrupted run leaves every
            // file either old or new, never cut short.
            staged.commit()?;
            for p in &report.removed {
                fs::remove_file(out.join(p))
                    .map_err(|e| format!("cannot remove generated/{p}: {e}"))?;
            }
            Ok(report)
        }
    }
}

/// New contents written beside their targets (`x.rs.tmp`), not yet renamed over them. Dropped
/// before [`Staged::commit`], on an error or a panic, it removes what it wrote.
#[derive(Default)]
struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    fn stage(&mut self, target: &Path, contents: &str) -> Result<(), String> {
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let mut tmp = target.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        // Recorded first, so that a partly written file is removed too.
        self.files.push((tmp.clone(), target.to_path_buf()));
        fs::write(&tmp, contents).map_err(|e| format!("cannot write {}: {e}", tmp.display()))
    }

    fn commit(mut self) -> Result<(), String> {
        for (tmp, target) in std::mem::take(&mut self.files) {
            fs::rename(&tmp, &target)
                .map_err(|e| format!("cannot replace {}: {e}", target.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// The specs in `dir` (`specs/`), named `specs/<file>`, sorted.
pub fn read_specs(dir: &Path) -> Result<Vec<SpecSource>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut sources = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = format!("specs/{}", path.file_name().unwrap_or_default().to_string_lossy());
            sources.push(SpecSource { name, text });
        }
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sources)
}

/// The files under `generated/` the generator may have written, by path relative to it, with
/// what their header lines say: the manifest, the README, and the Rust files of `src/`,
/// `examples/`, `tests/` and the directories one level down in `tests/` (`tests/operations/`
/// and `tests/examples/`). The files are read and hashed on as many threads as there are cores,
/// each file dropped once hashed.
fn existing_generated_files(out: &Path) -> Vec<(String, Header)> {
    let mut paths: Vec<String> = ["Cargo.toml", "README.md"]
        .into_iter()
        .filter(|top| out.join(top).is_file())
        .map(str::to_owned)
        .collect();
    let mut dirs: Vec<String> = vec!["src".into(), "tests".into(), "examples".into()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(out.join(&dir)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = format!("{dir}/{}", path.file_name().unwrap_or_default().to_string_lossy());
            if path.is_dir() && dir == "tests" {
                dirs.push(rel);
            } else if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
                paths.push(rel);
            }
        }
    }
    paths.sort();
    // An unreadable file (not UTF-8, say) is not one the generator wrote.
    let inspect = |rel: &String| {
        let header = fs::read_to_string(out.join(rel))
            .map(|text| digest::inspect(&text))
            .unwrap_or(Header::NotGenerated);
        (rel.clone(), header)
    };
    let threads = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    if threads < 2 || paths.len() < 2 {
        return paths.iter().map(inspect).collect();
    }
    let chunk = paths.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let inspect = &inspect;
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|c| scope.spawn(move || c.iter().map(inspect).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}
