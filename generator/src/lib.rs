//! Reads hand-written YAML API specs and generates Rust models and async clients.
//!
//! The pipeline has four stages, each in its own module: [`spec`] parses the YAML into structs
//! that mirror it, [`lower`] resolves references into the [`ir`], [`check`] applies rules that
//! span several items, and `emit` turns the IR into formatted Rust. The library never touches
//! the disk: callers hand it file contents and get file contents back.

pub mod check;
pub mod diagnostics;
pub mod digest;
mod emit;
pub mod ir;
pub mod lower;
pub mod names;
pub mod spec;

use std::collections::{BTreeMap, HashMap};

pub use diagnostics::Diagnostic;
pub use emit::{Files, GeneratedFile, Incremental, Previous};

/// One spec file handed to the generator.
#[derive(Clone, Debug)]
pub struct SpecSource {
    /// The name used in messages, for example `specs/rooms.yaml`.
    pub name: String,
    /// The YAML text.
    pub text: String,
}

/// Generates every output file from the specs: paths relative to the generated crate mapped to
/// their contents. On any error nothing is returned but the errors, all of them, sorted.
pub fn generate(sources: &[SpecSource]) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    Ok(generate_files(sources)?.collect())
}

/// Checks the specs like [`generate`] and, when they are valid, returns the output files as an
/// iterator of (path relative to the generated crate, contents) that lowers and formats them as
/// they are asked for, one module at a time. A caller that writes each file before asking for
/// the next holds the parsed specs and one module's IR and output, not the whole crate's. Every
/// error is found before the first file is made.
pub fn generate_files(sources: &[SpecSource]) -> Result<Files<'_>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut loaded = Vec::new();
    for result in load_all(sources) {
        match result {
            Ok(spec) => loaded.push(spec),
            Err(e) => errors.extend(e),
        }
    }
    // Lowering still runs on the files that parsed so that one broken file does not hide the
    // errors in the others; references into a broken file are not reported as unknown. The
    // rules across modules are checked only when every file parsed.
    let mut planned = HashMap::new();
    let plan = lower::plan_with(&loaded, errors.is_empty(), &mut |module| {
        planned.insert(module.name.clone(), emit::PlannedModule::of(module));
    });
    let plan = match plan {
        Ok(plan) if errors.is_empty() => plan,
        Ok(_) => {
            errors.sort();
            return Err(errors);
        }
        Err(mut more) => {
            if errors.is_empty() {
                return Err(more);
            }
            // A module that failed to parse is unknown to the others; that is not news.
            let broken: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
            more.retain(|d| {
                !broken.contains(&d.file.as_str()) && !d.message.starts_with("unknown module")
            });
            errors.extend(more);
            errors.sort();
            return Err(errors);
        }
    };
    Ok(Files::new(loaded, plan, planned))
}

/// Every spec loaded, in order; files are parsed on as many threads as there are cores, each
/// taking a contiguous share, so the result does not depend on the number of threads.
fn load_all(sources: &[SpecSource]) -> Vec<Result<spec::LoadedSpec<'_>, Vec<Diagnostic>>> {
    let threads = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    if threads < 2 || sources.len() < 2 {
        return load(sources);
    }
    let chunk = sources.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = sources.chunks(chunk).map(|c| scope.spawn(move || load(c))).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

fn load(chunk: &[SpecSource]) -> Vec<Result<spec::LoadedSpec<'_>, Vec<Diagnostic>>> {
    chunk.iter().map(|s| spec::load(&s.name, &s.text)).collect()
}
