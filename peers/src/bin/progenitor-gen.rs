//! The progenitor side of `vs-progenitor`: reads OpenAPI 3 JSON files and writes, for each, the
//! formatted Rust client progenitor 0.15.1 generates, the way progenitor's README does it in a
//! `build.rs` (`generate_tokens`, `syn::parse2`, `prettyplease::unparse`).
//!
//! `progenitor-gen OUTDIR SPEC.json [SPEC.json …]` writes `OUTDIR/<spec file stem>.rs` and prints
//! one line per file with its line count. Errors are one line on stderr and exit code 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use progenitor_impl::{GenerationSettings, Generator};

fn generate(spec: &Path, out_dir: &Path) -> Result<(PathBuf, usize), String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let openapi: openapiv3::OpenAPI = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not an OpenAPI 3 document: {e}", spec.display()))?;
    // progenitor asserts on some inputs (e.g. a `default` response next to a bodiless `204`):
    // report those as errors too.
    let tokens = std::panic::catch_unwind(|| {
        Generator::new(&GenerationSettings::default()).generate_tokens(&openapi)
    })
    .map_err(|_| format!("{}: progenitor panicked (message above)", spec.display()))?
    .map_err(|e| format!("{}: progenitor: {e}", spec.display()))?;
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("{}: generated tokens do not parse: {e}", spec.display()))?;
    let content = prettyplease::unparse(&file);
    let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
    let target = out_dir.join(format!("{stem}.rs"));
    std::fs::write(&target, &content)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok((target, content.lines().count()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out_dir, specs @ ..] = args.as_slice() else {
        eprintln!("usage: progenitor-gen OUTDIR SPEC.json [SPEC.json …]");
        return ExitCode::FAILURE;
    };
    if specs.is_empty() {
        eprintln!("usage: progenitor-gen OUTDIR SPEC.json [SPEC.json …]");
        return ExitCode::FAILURE;
    }
    let out_dir = Path::new(out_dir);
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        eprintln!("cannot create {}: {e}", out_dir.display());
        return ExitCode::FAILURE;
    }
    for spec in specs {
        match generate(Path::new(spec), out_dir) {
            Ok((target, lines)) => println!("{} {lines} lines", target.display()),
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
