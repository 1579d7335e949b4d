//! Project automation. `cargo xtask codegen` regenerates `generated/` from `specs/`;
//! `cargo xtask codegen --check` fails when the checked-in files are stale.
//!
//! All generation logic lives in the `api-codegen` library; this binary only finds files,
//! reads them and writes the results.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::codegen;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["codegen"] => codegen::run(&root, codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(&root, codegen::Mode::Check),
        _ => Err(format!(
            "usage: cargo xtask codegen [--check]\n\n  codegen          regenerate generated/ from specs/\n  codegen --check  fail if generated/ is not what codegen would write\n(got: {})",
            if args.is_empty() { "no arguments".to_owned() } else { args.join(" ") }
        )),
    };
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}
