//! Project automation. `cargo xtask codegen` regenerates `generated/` from `specs/`;
//! `cargo xtask codegen --check` fails when the checked-in files are stale. `cargo xtask
//! bench-specs` and `cargo xtask compile-time` are the benchmarks of BENCHMARKS.md.
//!
//! All generation logic lives in the `api-codegen` library; this binary only finds files,
//! reads them and writes the results.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::{bench_incremental, bench_specs, codegen, compile_time, drift, import};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["help" | "--help" | "-h"] => Ok(USAGE.to_owned()),
        ["codegen" | "bench-specs" | "compile-time", .., "--help" | "-h"] => Ok(USAGE.to_owned()),
        ["codegen"] => codegen::run(&root, codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(&root, codegen::Mode::Check),
        ["codegen", "--root", other] => codegen::run(Path::new(other), codegen::Mode::Write),
        // Checks another tree laid out like this one (`specs/`, `generated/`), e.g. an export.
        ["codegen", "--check", "--root", other] => {
            codegen::run(Path::new(other), codegen::Mode::Check)
        }
        ["bench-specs", "--scaling", small, large] => parse_count(small)
            .and_then(|small| Ok((small, parse_count(large)?)))
            .and_then(|(small, large)| bench_specs::scaling(small, large)),
        // One timed run in a process of its own, for `--incremental`.
        ["bench-specs", "--codegen-once", other] => bench_incremental::once(Path::new(other)),
        ["bench-specs", "--incremental", n, out] => {
            parse_count(n).and_then(|n| bench_incremental::run(n, Path::new(out), 3))
        }
        ["bench-specs", "--incremental", n, out, "--rounds", r] => parse_count(n)
            .and_then(|n| Ok((n, parse_count(r)?)))
            .and_then(|(n, r)| bench_incremental::run(n, Path::new(out), r)),
        ["bench-specs", n, out] => {
            parse_count(n).and_then(|n| bench_specs::run(n, Path::new(out), 1))
        }
        ["bench-specs", n, out, "--repeat", r] => parse_count(n)
            .and_then(|n| Ok((n, parse_count(r)?)))
            .and_then(|(n, r)| bench_specs::run(n, Path::new(out), r)),
        ["compile-time", rest @ ..] => compile_time::run(&root, rest),
        ["import", rest @ ..] => import::run(&root, rest),
        ["drift", rest @ ..] => drift::run(&root, rest),
        _ => Err(format!(
            "{USAGE}\n(got: {})",
            if args.is_empty() { "no arguments".to_owned() } else { args.join(" ") }
        )),
    };
    match result {
        Ok(summary) => {
            if !summary.is_empty() {
                println!("{summary}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "\
usage: cargo xtask <command>

  codegen          regenerate generated/ from specs/
  codegen --check  fail if generated/ is not what codegen would write
  codegen [--check] --root DIR
                   the same on another tree laid out like this one (DIR/specs, DIR/generated)
  import OPENAPI [--operations ID,ID…] [--module NAME] [--out FILE [--force]]
                   write a starting spec from an OpenAPI (Swagger 2.0) file
  drift SPEC [OPENAPI] | drift --all
                   list where specs differ from the OpenAPI files they transcribe
  bench-specs N OUTDIR [--repeat R]
                   write synthetic specs with N operations to OUTDIR/specs, generate from
                   them and print the time per stage and the peak memory (use --release)
  bench-specs --incremental N OUTDIR [--rounds R]
                   codegen on synthetic specs with N operations in OUTDIR, interleaved R times
                   (default 3): cold, nothing changed, one operation changed (use --release)
  bench-specs --scaling SMALL LARGE
                   time per operation at LARGE over that at SMALL, in one process
  compile-time [--skip-incremental] [--features F]
                   build times of the generated crate: clean, and after a spec edit

`cargo xtask <command> --help` prints this and succeeds.";

fn parse_count(text: &str) -> Result<usize, String> {
    match text.replace(['_', ','], "").parse() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("expected a positive number, got '{text}'")),
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}
