//! File I/O around `api_codegen::generate`: read `specs/*.yaml`, write only the files whose
//! contents change, and never leave `generated/` half-written.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use api_codegen::SpecSource;

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

/// Regenerates (or checks) `generated/` under `root`. Returns the one-line summary.
///
/// Files are compared (and changed ones staged next to their targets) as the generator makes
/// them, so only one module's output is in memory at a time. The staged files replace their
/// targets only once every file has been made; if anything fails first, they are removed and
/// `generated/` is left as it was.
pub fn run(root: &Path, mode: Mode) -> Result<String, String> {
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
    let mut produced = BTreeSet::new();
    let mut changed = Vec::new();
    let mut staged = Staged::default();
    let mut unchanged = 0;
    for (path, contents) in files {
        let target = out.join(&path);
        match fs::read_to_string(&target) {
            Ok(existing) if existing == contents => unchanged += 1,
            _ => {
                if let Mode::Write = mode {
                    staged.stage(&target, &contents)?;
                }
                changed.push(path.clone());
            }
        }
        produced.insert(path);
    }
    let stale = stale_generated_files(&out, &produced)?;
    match mode {
        Mode::Check => {
            if changed.is_empty() && stale.is_empty() {
                Ok(format!("codegen --check: {unchanged} files up to date"))
            } else {
                let mut lines: Vec<String> =
                    changed.iter().map(|p| format!("stale: generated/{p}")).collect();
                lines.extend(stale.iter().map(|p| format!("no longer generated: generated/{p}")));
                lines.push("run `cargo xtask codegen` and commit the result".to_owned());
                Err(lines.join("\n"))
            }
        }
        Mode::Write => {
            // Each staged file is renamed over its target, so an interrupted run leaves every
            // file either old or new, never cut short.
            staged.commit()?;
            for p in &stale {
                fs::remove_file(out.join(p))
                    .map_err(|e| format!("cannot remove generated/{p}: {e}"))?;
            }
            Ok(format!(
                "codegen: {} files written, {unchanged} unchanged{}",
                changed.len(),
                if stale.is_empty() { String::new() } else { format!(", {} removed", stale.len()) }
            ))
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

/// Files under `generated/` that carry the generated-file header but are no longer produced
/// (for example after a spec was deleted, or a test file that moved into a directory).
fn stale_generated_files(out: &Path, produced: &BTreeSet<String>) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    // `tests/operations/` and `tests/examples/` hold generated files one level down.
    let mut dirs: Vec<String> = vec!["src".into(), "tests".into(), "examples".into()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(out.join(&dir)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = format!("{dir}/{}", path.file_name().unwrap_or_default().to_string_lossy());
            if path.is_dir() && dir == "tests" {
                dirs.push(rel);
            } else if path.is_file()
                && path.extension().is_some_and(|e| e == "rs")
                && !produced.contains(&rel)
            {
                let head = fs::read_to_string(&path).unwrap_or_default();
                if head.starts_with("// @generated by `cargo xtask codegen`") {
                    stale.push(rel);
                }
            }
        }
    }
    stale.sort();
    Ok(stale)
}
