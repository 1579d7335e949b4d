//! Lowering: resolves every reference in the parsed specs into the owned, sorted IR with final
//! Rust names. Errors are collected, never thrown at the first one, so one run reports them all.
//!
//! One `Lowering` context works through the specs; its methods are split by concern:
//! [`symbols`] (the symbol table and type resolution), [`models`] (definitions), [`clients`]
//! (clients and operations), [`examples`], [`events`] (event sets), [`graph`] (recursive fields)
//! and [`paging`] (what paging operations need of other modules). Rules that span several items,
//! the name tables among them, are the check stage's (`crate::check`).

mod clients;
mod definitions;
mod events;
mod examples;
mod graph;
mod models;
mod symbols;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::mem::take;

use crate::diagnostics::{suggest, Diagnostic, Diagnostics};
use crate::ir::RUNTIME_TRAITS;
use crate::ir::{
    Body, Client, Enum, EventSet, EventVariant, Field, Ir, Literal, LongRunning, Module,
    ModuleHead, Monitor, Named, Operation, OperationExample, Origin, Page, Paging, Parameter,
    PathPart, Response, ResponseHeader, Resume, ResumeBy, RuntimeTrait, Struct, Type, Union,
    UnionVariant, Variant,
};
use crate::names;
use crate::spec::{self, LoadedSpec, ParameterLocation};

pub use definitions::{
    Definition, Definitions, EnumShape, FieldShape, ObjectShape, SetBy, UnionShape,
    UnionVariantShape,
};

/// Lowers parsed specs into the IR, or returns every error found.
pub fn lower(specs: &[LoadedSpec]) -> Result<Ir, Vec<Diagnostic>> {
    let mut plan = plan(specs, false)?;
    let modules = (0..plan.len()).filter_map(|i| plan.module(specs, i)).collect();
    Ok(Ir { modules })
}

/// What lowering every module once established, so that each module can be lowered again on
/// its own: the IR of a whole large API is several times the size of its specs, and emission
/// needs only one module's at a time.
pub struct Plan {
    symbols: BTreeMap<String, Symbol>,
    /// Index into the specs of each module, in module-name order.
    order: Vec<usize>,
    /// Each module without its items, in order.
    heads: Vec<ModuleHead>,
    /// The struct-typed fields to box, by (module, struct, field index); see `graph::StructGraph`.
    recursive: HashSet<(String, String, usize)>,
    /// Page types by module.
    pages: HashMap<String, Vec<Page>>,
    /// Status monitor types by module.
    monitors: HashMap<String, Vec<Monitor>>,
    /// Every definition of every module, for building values from examples.
    definitions: Definitions,
    /// The OpenAPI example files the operations name, sorted, without repeats.
    example_files: Vec<String>,
}

impl Plan {
    /// The number of modules.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there are no modules.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Every module, without its items (see [`Plan`]).
    pub fn heads(&self) -> &[ModuleHead] {
        &self.heads
    }

    /// Every definition of every module (see [`Definitions`]).
    pub fn definitions(&self) -> &Definitions {
        &self.definitions
    }

    /// The OpenAPI example files the operations of every module name, as written in the specs
    /// (relative to the workspace root), sorted and without repeats.
    pub fn example_files(&self) -> &[String] {
        &self.example_files
    }

    /// The page types of module `name` (see [`Module::pages`]) until it is lowered again.
    pub fn pages(&self, name: &str) -> &[Page] {
        self.pages.get(name).map(Vec::as_slice).unwrap_or_default()
    }

    /// The status monitors of module `name` (see [`Module::monitors`]) until it is lowered
    /// again.
    pub fn monitors(&self, name: &str) -> &[Monitor] {
        self.monitors.get(name).map(Vec::as_slice).unwrap_or_default()
    }

    /// Module `i` in name order, lowered again from `specs` (the specs the plan was made from).
    pub fn module(&mut self, specs: &[LoadedSpec], i: usize) -> Option<Module> {
        let spec = &specs[*self.order.get(i)?];
        let mut cx = Lowering {
            specs,
            errors: Diagnostics::default(),
            symbols: take(&mut self.symbols),
            recursive: take(&mut self.recursive),
        };
        let name = names::module_name(&spec.spec.module).unwrap_or_default();
        let pages = self.pages.remove(&name).unwrap_or_default();
        let monitors = self.monitors.remove(&name).unwrap_or_default();
        let module = cx.module(spec, pages, monitors);
        self.symbols = cx.symbols;
        self.recursive = cx.recursive;
        module
    }
}

/// Lowers every module once to find every error (with `check`, the rules of [`crate::check`]
/// too) and to learn what a module cannot know alone: which page types each module holds. The
/// modules themselves are not kept. Which fields are recursive is known before: it is read off
/// the definitions first.
pub fn plan(specs: &[LoadedSpec], check: bool) -> Result<Plan, Vec<Diagnostic>> {
    plan_with(specs, check, &mut |_| {})
}

/// [`plan`], showing each module to `visit` as it is lowered (without its page types, which are
/// known only at the end: [`Plan::pages`]), so that a caller learns what it needs of every
/// module without lowering it again.
pub fn plan_with(
    specs: &[LoadedSpec],
    check: bool,
    visit: &mut dyn FnMut(&Module),
) -> Result<Plan, Vec<Diagnostic>> {
    let mut cx = Lowering {
        specs,
        errors: Diagnostics::default(),
        symbols: BTreeMap::new(),
        recursive: HashSet::new(),
    };
    cx.collect_symbols();
    cx.recursive = cx.recursive_fields();
    let gated: HashSet<String> = specs
        .iter()
        .filter(|s| !s.spec.clients.is_empty() || !s.spec.events.is_empty())
        .filter_map(|s| names::module_name(&s.spec.module).ok())
        .collect();
    let mut check_errors = Diagnostics::default();
    let mut pages: BTreeMap<(String, String), Page> = BTreeMap::new();
    let mut monitors: BTreeMap<(String, String), (Monitor, Origin)> = BTreeMap::new();
    let mut order = Vec::new();
    let mut crate_names = Vec::new();
    let mut definitions = Definitions::default();
    let mut example_files = std::collections::BTreeSet::new();
    for (i, spec) in specs.iter().enumerate() {
        let Some(module) = cx.module(spec, Vec::new(), Vec::new()) else { continue };
        visit(&module);
        for paging in
            module.clients.iter().flat_map(|c| &c.operations).filter_map(|o| o.paging.as_ref())
        {
            let key = (paging.page.module.clone(), paging.page.name.clone());
            pages.entry(key).or_insert_with(|| Page {
                name: paging.page.name.clone(),
                items_field: paging.items_field.clone(),
                items_required: paging.items_required,
                item: paging.item.clone(),
            });
        }
        for op in module.clients.iter().flat_map(|c| &c.operations) {
            let Some(lro) = &op.long_running else { continue };
            let key = (lro.monitor.module.clone(), lro.monitor.name.clone());
            let path = format!("{}.long-running", op.origin.path);
            match monitors.get(&key) {
                Some((known, first)) if known != &lro.status => check_errors.push(Diagnostic {
                    file: op.origin.file.clone(),
                    position: spec::key_position(specs, &op.origin.file, &path),
                    path: path.clone(),
                    message: format!(
                        "'{}' is polled by another long-running operation ({}) with another status property or other terminal statuses; a status monitor has one of each",
                        lro.monitor.name,
                        cx.where_is(&first.file, &first.path)
                    ),
                }),
                Some(_) => {}
                None => {
                    let origin = Origin { file: op.origin.file.clone(), path };
                    monitors.insert(key, (lro.status.clone(), origin));
                }
            }
        }
        if check {
            crate::check::check_module(&module, &|m| gated.contains(m), specs, &mut check_errors);
            crate_names.push(crate::check::names::CrateNames::of(&module));
        }
        definitions.add_module(&module);
        example_files.extend(
            module.clients.iter().flat_map(|c| &c.operations).flat_map(|o| &o.examples).filter_map(
                |e| match &e.source {
                    crate::ir::ExampleSource::File(path) => Some(path.clone()),
                    crate::ir::ExampleSource::Inline(_) => None,
                },
            ),
        );
        order.push((module.head(), i));
    }
    order.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    crate::check::names::check_crate(&crate_names, specs, &mut check_errors);
    cx.errors.finish()?;
    check_errors.finish()?;
    let (heads, order) = order.into_iter().unzip();
    let mut by_module: HashMap<String, Vec<Page>> = HashMap::new();
    for ((module, _), page) in pages {
        by_module.entry(module).or_default().push(page);
    }
    let mut monitors_by_module: HashMap<String, Vec<Monitor>> = HashMap::new();
    for ((module, _), (monitor, _)) in monitors {
        monitors_by_module.entry(module).or_default().push(monitor);
    }
    Ok(Plan {
        symbols: cx.symbols,
        order,
        heads,
        recursive: cx.recursive,
        pages: by_module,
        monitors: monitors_by_module,
        definitions,
        example_files: example_files.into_iter().collect(),
    })
}

/// A definition visible to references.
struct Symbol {
    module: String,
    spec_module: String,
    rust_name: String,
    kind: SymbolKind,
    file: String,
    path: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SymbolKind {
    Object,
    Enum,
}

struct Lowering<'a> {
    specs: &'a [LoadedSpec<'a>],
    errors: Diagnostics,
    /// Every definition of every spec, by spec name; names are one namespace across specs so
    /// that a bare reference always means one thing.
    symbols: BTreeMap<String, Symbol>,
    /// The struct-typed fields to box, by (module, struct, field index).
    recursive: HashSet<(String, String, usize)>,
}

impl<'a> Lowering<'a> {
    fn error(&mut self, spec: &LoadedSpec, path: &str, message: impl Into<String>) {
        self.error_at(spec, path, false, message);
    }

    fn error_at_key(&mut self, spec: &LoadedSpec, path: &str, message: impl Into<String>) {
        self.error_at(spec, path, true, message);
    }

    fn error_at(&mut self, spec: &LoadedSpec, path: &str, key: bool, message: impl Into<String>) {
        let position = if key { spec.locations.key(path) } else { spec.locations.value(path) };
        self.errors.push(Diagnostic {
            file: spec.file.clone(),
            position,
            path: path.to_owned(),
            message: message.into(),
        });
    }

    fn where_is(&self, file: &str, path: &str) -> String {
        let p = spec::key_position(self.specs, file, path);
        format!("{file}:{}:{}", p.line, p.column)
    }
}

/// How deeply `list<…>`, `map<string, …>` and `nullable<…>` may nest.
const MAX_TYPE_NESTING: usize = 16;

/// How many levels of `extends` a definition may inherit through. Each
/// definition repeats every inherited field, so output grows with the square of the depth; real
/// specs use two or three levels.
const MAX_EXTENDS_DEPTH: usize = 16;

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default()
}
