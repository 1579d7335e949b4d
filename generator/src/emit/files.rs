//! [`Files`]: the generated files, made as they are asked for, and [`Incremental`]: the same
//! files, skipping the modules whose files on disk are already what would be written.

use std::collections::{BTreeMap, HashMap, VecDeque};

use super::example_call::ExampleContext;
use super::{crate_files, emit_module, examples, lib_rs, runnable_examples, wire_tests};
use crate::digest::{self, Digest};
use crate::ir::{Module, ModuleHead};
use crate::lower::Plan;
use crate::spec::LoadedSpec;

/// Every file the generator writes, as (path relative to the generated crate, contents), made
/// as they are asked for: modules are lowered again from the specs a few at a time, as many as
/// there are threads, and their files formatted in parallel, so that only those modules' IR and
/// output are held at once. The files come out in the same order, byte for byte, whatever the
/// number of threads.
///
/// Each file's header line carries its input and output digests (see [`crate::digest`]).
pub struct Files<'a> {
    specs: Vec<LoadedSpec<'a>>,
    plan: Plan,
    /// What the first lowering learnt of each module, in module order.
    modules: Vec<ModuleFacts>,
    /// What the README says of each module, in module order.
    readmes: Vec<crate_files::ReadmeModule>,
    /// How many modules are formatted at once.
    threads: usize,
    /// Existing files that need not be made again.
    previous: Previous,
    /// The next step: first the manifest and `src/lib.rs`, then the modules from `next_module`
    /// on, and after the last module the README and the test mains.
    step: Step,
    next_module: usize,
    ready: VecDeque<GeneratedFile>,
    /// The contents of the OpenAPI example files the specs name, by path as written.
    example_files: BTreeMap<String, String>,
    /// Each module's input digest, in module order, once the first module is made.
    inputs: Vec<Digest>,
}

/// One file of the output. `contents` is `None` when the existing file (see [`Previous`]) is
/// already what the generator would write, which it did not make again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the generated crate.
    pub path: String,
    /// The contents, or `None` for an existing file that is up to date.
    pub contents: Option<String>,
}

/// The existing generated files whose contents still match the output digest in their header,
/// each with the input digest of that header. A module whose every file is here with the
/// module's current input digest is neither lowered again, nor emitted nor formatted.
#[derive(Clone, Debug, Default)]
pub struct Previous {
    intact: HashMap<String, Digest>,
}

impl Previous {
    /// Records that the file at `path` (relative to the generated crate) is as the generator
    /// wrote it from input `input` (see [`digest::inspect`]).
    pub fn insert(&mut self, path: String, input: Digest) {
        self.intact.insert(path, input);
    }

    fn covers(&self, paths: &[String], input: Digest) -> bool {
        paths.iter().all(|p| self.intact.get(p) == Some(&input))
    }
}

/// [`Files`] that reuses [`Previous`] files: yields every file of the output, in the same order,
/// with `contents: None` for those it did not make.
pub struct Incremental<'a>(Files<'a>);

impl Iterator for Incremental<'_> {
    type Item = GeneratedFile;

    fn next(&mut self) -> Option<GeneratedFile> {
        self.0.next_file()
    }
}

/// What the first lowering of a module tells the later steps, so that an unchanged module need
/// not be lowered again: its input digest, the files it gives and what the files listing every
/// module say of it.
pub(crate) struct PlannedModule {
    /// The digest of the module's IR without its page types.
    ir_digest: Digest,
    /// What the doc examples are made from besides the IR: see [`DocInputs`].
    doc_inputs: DocInputs,
    paths: Vec<String>,
    example_tests: bool,
    wire_tests: bool,
    readme: crate_files::ReadmeModule,
}

/// What a module's doc examples are made from besides its own IR: the definitions, of any
/// module, that its operations' bodies and parameters are built from, and the example files its
/// operations name. Their digest is part of the module's input digest.
#[derive(Clone, Default)]
struct DocInputs {
    roots: Vec<crate::ir::Type>,
    example_files: Vec<String>,
}

/// What [`Files`] knows of each module before making any file.
struct ModuleFacts {
    /// Its place in the plan's module order.
    index: usize,
    head: ModuleHead,
    /// The digest of the module's IR: the input digest of its files, with the digest of what
    /// the doc examples are made from (see [`Files::docs_digest`]).
    ir_input: Digest,
    doc_inputs: DocInputs,
    paths: Vec<String>,
    example_tests: bool,
    wire_tests: bool,
}

impl PlannedModule {
    /// Learns what later steps need of `module`, lowered without its page types.
    pub(crate) fn of(module: &Module) -> Self {
        let name = &module.name;
        let example_tests = examples::has_tests(module);
        let wire_tests = wire_tests::has_tests(module);
        let mut paths = vec![format!("src/{name}.rs")];
        if example_tests {
            paths.push(format!("tests/examples/{name}.rs"));
        }
        if wire_tests {
            paths.push(format!("tests/operations/{name}.rs"));
        }
        paths.extend(runnable_examples::paths(module));
        let ops = module.clients.iter().flat_map(|c| &c.operations);
        let mut doc_inputs = DocInputs::default();
        for op in ops {
            doc_inputs.roots.extend(op.body.iter().map(|b| b.ty.clone()));
            doc_inputs.roots.extend(op.parameters.iter().map(|p| p.ty.clone()));
            doc_inputs.example_files.extend(op.examples.iter().filter_map(|e| match &e.source {
                crate::ir::ExampleSource::File(path) => Some(path.clone()),
                crate::ir::ExampleSource::Inline(_) => None,
            }));
        }
        PlannedModule {
            ir_digest: Digest::of_debug(module),
            doc_inputs,
            paths,
            example_tests,
            wire_tests,
            readme: crate_files::ReadmeModule::of(module),
        }
    }
}

/// A module's input digest: the generator, and the module's IR (its page types and status
/// monitors apart, since they are known only once every module has been lowered).
fn module_digest(
    without_pages: Digest,
    pages: &[crate::ir::Page],
    monitors: &[crate::ir::Monitor],
) -> Digest {
    Digest::input(&[without_pages, Digest::of_debug(&pages), Digest::of_debug(&monitors)])
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    CrateRoot,
    Modules,
    Closing,
    Done,
}

impl<'a> Files<'a> {
    pub(crate) fn new(
        specs: Vec<LoadedSpec<'a>>,
        plan: Plan,
        mut planned: HashMap<String, PlannedModule>,
    ) -> Self {
        let threads = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
        let mut modules = Vec::new();
        let mut readmes = Vec::new();
        for (index, head) in plan.heads().iter().enumerate() {
            let Some(module) = planned.remove(&head.name) else { continue };
            modules.push(ModuleFacts {
                index,
                head: head.clone(),
                doc_inputs: module.doc_inputs,
                ir_input: module_digest(
                    module.ir_digest,
                    plan.pages(&head.name),
                    plan.monitors(&head.name),
                ),
                paths: module.paths,
                example_tests: module.example_tests,
                wire_tests: module.wire_tests,
            });
            readmes.push(module.readme);
        }
        Files {
            specs,
            plan,
            modules,
            readmes,
            threads,
            previous: Previous::default(),
            step: Step::CrateRoot,
            next_module: 0,
            ready: VecDeque::new(),
            example_files: BTreeMap::new(),
            inputs: Vec::new(),
        }
    }

    /// The OpenAPI example files the specs name, as written (relative to the workspace root),
    /// sorted and without repeats. Their requests become the doc examples of client methods.
    pub fn example_files(&self) -> Vec<String> {
        self.plan.example_files().to_vec()
    }

    /// Hands the generator the contents of an example file named by a spec (see
    /// [`Files::example_files`]). Operations whose example files are not given are documented
    /// with examples built from placeholders.
    pub fn with_example_file(mut self, path: String, contents: String) -> Self {
        self.example_files.insert(path, contents);
        self
    }

    /// The digest of what module `facts`'s doc examples are made from besides its IR (see
    /// [`DocInputs`]), taken once every example file has been handed in.
    fn docs_digest(&self, facts: &ModuleFacts) -> Digest {
        let definitions = self.plan.definitions().reachable(&facts.doc_inputs.roots);
        let files: Vec<(&String, Option<&String>)> = facts
            .doc_inputs
            .example_files
            .iter()
            .map(|path| (path, self.example_files.get(path)))
            .collect();
        Digest::of_debug(&(definitions, files))
    }

    /// Formats `threads` modules at once (at least one); the output does not depend on it.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Skips the files in `previous` that are up to date: see [`Incremental`].
    pub fn reusing(mut self, previous: Previous) -> Incremental<'a> {
        self.previous = previous;
        Incremental(self)
    }

    fn next_file(&mut self) -> Option<GeneratedFile> {
        while self.ready.is_empty() && self.step != Step::Done {
            self.make_step();
        }
        self.ready.pop_front()
    }

    fn make_step(&mut self) {
        match self.step {
            Step::CrateRoot => {
                let heads = Digest::of_debug(&self.plan.heads());
                let plan = &self.plan;
                let (previous, ready) = (&self.previous, &mut self.ready);
                let input = Digest::input(&[Digest::of(b"Cargo.toml"), heads]);
                queue(previous, ready, "Cargo.toml", input, || {
                    Some(crate_files::manifest(plan.heads()))
                });
                let input = Digest::input(&[Digest::of(b"src/lib.rs"), heads]);
                queue(previous, ready, "src/lib.rs", input, || Some(lib_rs(plan.heads())));
                self.step = Step::Modules;
            }
            Step::Modules => {
                self.module_batch();
                if self.next_module >= self.modules.len() {
                    self.step = Step::Closing;
                }
            }
            Step::Closing => {
                let (previous, ready) = (&self.previous, &mut self.ready);
                let readmes = &self.readmes;
                let input = Digest::input(&[Digest::of(b"README.md"), Digest::of_debug(readmes)]);
                queue(previous, ready, "README.md", input, || Some(crate_files::readme(readmes)));
                let with = |pick: fn(&ModuleFacts) -> bool| -> Vec<ModuleHead> {
                    self.modules.iter().filter(|m| pick(m)).map(|m| m.head.clone()).collect()
                };
                let example_heads = with(|m| m.example_tests);
                let wire_heads = with(|m| m.wire_tests);
                let path = "tests/examples/main.rs";
                let input =
                    Digest::input(&[Digest::of(path.as_bytes()), Digest::of_debug(&example_heads)]);
                queue(previous, ready, path, input, || examples::main_rs(&example_heads));
                let path = "tests/operations/main.rs";
                let input =
                    Digest::input(&[Digest::of(path.as_bytes()), Digest::of_debug(&wire_heads)]);
                queue(previous, ready, path, input, || wire_tests::main_rs(&wire_heads));
                self.step = Step::Done;
            }
            Step::Done => {}
        }
    }

    /// Queues the files of the next modules: up to `threads` modules that must be made again,
    /// lowered and formatted in parallel, and the up-to-date modules between them, in order.
    fn module_batch(&mut self) {
        // Every module's input digest, taken once (every example file has been handed in).
        if self.inputs.len() != self.modules.len() {
            let inputs =
                self.modules.iter().map(|m| Digest::input(&[m.ir_input, self.docs_digest(m)]));
            self.inputs = inputs.collect();
        }
        let inputs = std::mem::take(&mut self.inputs);
        let mut order: Vec<(usize, bool)> = Vec::new();
        let mut batch: Vec<(usize, Module)> = Vec::new();
        while self.next_module < self.modules.len() && batch.len() < self.threads {
            let i = self.next_module;
            self.next_module += 1;
            let planned = &self.modules[i];
            let fresh = !self.previous.covers(&planned.paths, inputs[i]);
            order.push((i, fresh));
            if fresh {
                if let Some(mut module) = self.plan.module(&self.specs, planned.index) {
                    // The input digest was taken from the first lowering; the files are made
                    // from this one, which must be the same but for the page types.
                    if cfg!(debug_assertions) {
                        let pages = std::mem::take(&mut module.pages);
                        let monitors = std::mem::take(&mut module.monitors);
                        let again = module_digest(Digest::of_debug(&module), &pages, &monitors);
                        debug_assert_eq!(
                            again, planned.ir_input,
                            "{} lowers differently",
                            module.name
                        );
                        module.pages = pages;
                        module.monitors = monitors;
                    }
                    batch.push((i, module));
                }
            }
        }
        let cx = ExampleContext {
            definitions: self.plan.definitions(),
            example_files: &self.example_files,
        };
        let input_of = &inputs;
        let emit = |(i, module): &(usize, Module)| {
            let files = emit_module(module, input_of[*i], cx);
            (*i, files)
        };
        let mut emitted: HashMap<usize, Vec<(String, String)>> = if batch.len() > 1 {
            std::thread::scope(|scope| {
                let handles: Vec<_> = batch.iter().map(|m| scope.spawn(move || emit(m))).collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                    .collect()
            })
        } else {
            batch.iter().map(emit).collect()
        };
        for (i, fresh) in order {
            if fresh {
                let files = emitted.remove(&i).unwrap_or_default();
                self.ready.extend(
                    files
                        .into_iter()
                        .map(|(path, contents)| GeneratedFile { path, contents: Some(contents) }),
                );
            } else {
                let paths = self.modules[i].paths.iter();
                self.ready
                    .extend(paths.map(|path| GeneratedFile { path: path.clone(), contents: None }));
            }
        }
        self.inputs = inputs;
    }
}

/// Queues the file at `path` whose input digest is `input`, made by `make` (which may find
/// there is no such file) unless `previous` holds it up to date.
fn queue(
    previous: &Previous,
    ready: &mut VecDeque<GeneratedFile>,
    path: &str,
    input: Digest,
    make: impl FnOnce() -> Option<String>,
) {
    let contents = if previous.covers(&[path.to_owned()], input) {
        None
    } else {
        match make() {
            Some(text) => Some(digest::stamp(&text, input)),
            None => return,
        }
    };
    ready.push_back(GeneratedFile { path: path.to_owned(), contents });
}

impl Iterator for Files<'_> {
    type Item = (String, String);

    fn next(&mut self) -> Option<Self::Item> {
        // Without `reusing`, nothing counts as up to date and every file is made.
        while let Some(file) = self.next_file() {
            if let Some(contents) = file.contents {
                return Some((file.path, contents));
            }
        }
        None
    }
}
