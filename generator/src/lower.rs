//! Lowering: resolves every reference in the parsed specs into the owned, sorted IR with final
//! Rust names. Errors are collected, never thrown at the first one, so one run reports them all.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::mem::take;

use crate::diagnostics::{suggest, Diagnostic, Diagnostics};
use crate::ir::RUNTIME_TRAITS;
use crate::ir::{
    Body, Client, Enum, EventSet, EventVariant, Field, Ir, Literal, Module, ModuleHead, Named,
    Operation, OperationExample, Origin, Page, Paging, Parameter, PathPart, Response,
    ResponseHeader, RuntimeTrait, Struct, Type, Union, UnionVariant, Variant,
};
use crate::names;
use crate::spec::{self, LoadedSpec, ParameterLocation};

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
    /// Struct-typed fields to box, by (struct node, field index); see [`StructGraph`].
    boxed: HashSet<(usize, usize)>,
    graph: StructGraph,
    /// Resolved paging by (file, operation path): the item type and the items field.
    paging: HashMap<(String, String), (Type, String)>,
    /// Page types by module.
    pages: HashMap<String, Vec<Page>>,
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

    /// Module `i` in name order, lowered again from `specs` (the specs the plan was made from).
    pub fn module(&mut self, specs: &[LoadedSpec], i: usize) -> Option<Module> {
        let spec = &specs[*self.order.get(i)?];
        let mut cx =
            Lowering { specs, errors: Diagnostics::default(), symbols: take(&mut self.symbols) };
        let module = cx.module(spec);
        self.symbols = cx.symbols;
        let mut module = module?;
        for s in &mut module.structs {
            let Some(node) = self.graph.find(&module.name, &s.name) else { continue };
            for (index, f) in s.fields.iter_mut().enumerate() {
                f.boxed = self.boxed.contains(&(node, index));
            }
        }
        for op in module.clients.iter_mut().flat_map(|c| c.operations.iter_mut()) {
            let Some(paging) = &mut op.paging else { continue };
            let key = (op.origin.file.clone(), op.origin.path.clone());
            if let Some((item, field)) = self.paging.get(&key) {
                paging.item = item.clone();
                paging.items_field = field.clone();
            }
        }
        module.pages = self.pages.remove(&module.name).unwrap_or_default();
        Some(module)
    }
}

/// Lowers every module once to find every error (with `check`, the rules of [`crate::check`]
/// too) and to learn what a module cannot know alone: which fields are recursive and what type
/// each paging operation yields. The modules themselves are not kept.
pub fn plan(specs: &[LoadedSpec], check: bool) -> Result<Plan, Vec<Diagnostic>> {
    let mut cx = Lowering { specs, errors: Diagnostics::default(), symbols: BTreeMap::new() };
    cx.collect_symbols();
    let gated: HashSet<String> = specs
        .iter()
        .filter(|s| !s.spec.clients.is_empty() || !s.spec.events.is_empty())
        .filter_map(|s| names::module_name(&s.spec.module).ok())
        .collect();
    let mut check_errors = Diagnostics::default();
    let mut graph = StructGraph::default();
    let mut paged = Vec::new();
    let mut order = Vec::new();
    let mut crate_names = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let Some(module) = cx.module(spec) else { continue };
        graph.add(&module);
        for op in module.clients.iter().flat_map(|c| &c.operations) {
            if let Some(paging) = &op.paging {
                paged.push((op.origin.clone(), op.ok_body.clone(), paging.clone()));
            }
        }
        if check {
            crate::check::check_module(&module, &|m| gated.contains(m), specs, &mut check_errors);
            crate_names.push(crate::check::names::CrateNames::of(&module));
        }
        order.push((module.head(), i));
    }
    order.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    crate::check::names::check_crate(&crate_names, specs, &mut check_errors);
    let boxed = graph.recursive_fields();
    let (paging, pages) = resolve_paging(&mut cx, &paged);
    cx.errors.finish()?;
    check_errors.finish()?;
    let (heads, order) = order.into_iter().unzip();
    Ok(Plan { symbols: cx.symbols, order, heads, boxed, graph, paging, pages })
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

    fn collect_symbols(&mut self) {
        let mut modules: HashMap<String, (String, String)> = HashMap::new();
        for spec in self.specs {
            match names::module_name(&spec.spec.module) {
                Ok(name) if name == spec.spec.module => {
                    if let Some((other, _)) = modules.get(&name) {
                        let at = self.where_is(other, "module");
                        self.error(
                            spec,
                            "module",
                            format!("duplicate module '{name}' (also at {at})"),
                        );
                    }
                    modules.insert(name, (spec.file.clone(), spec.spec.module.clone()));
                }
                Ok(name) if name.starts_with("r#") => self.error(
                    spec,
                    "module",
                    format!(
                        "module name '{}' is a Rust keyword; a module and its cargo feature need a plain name",
                        spec.spec.module
                    ),
                ),
                Ok(name) => self.error(
                    spec,
                    "module",
                    format!(
                        "module name '{}' must be snake_case (did you mean '{name}'?)",
                        spec.spec.module
                    ),
                ),
                Err(e) => self.error(spec, "module", e.to_string()),
            }
            for (name, def) in &spec.spec.definitions {
                let path = format!("definitions.{name}");
                let kind = match (&def.properties, &def.values) {
                    (Some(_), None) => SymbolKind::Object,
                    (None, Some(_)) => SymbolKind::Enum,
                    (Some(_), Some(_)) => {
                        self.error_at_key(
                            spec,
                            &path,
                            "a definition has either 'properties' or 'enum', not both",
                        );
                        continue;
                    }
                    (None, None) => {
                        self.error_at_key(
                            spec,
                            &path,
                            "a definition needs 'properties' (an object) or 'enum'",
                        );
                        continue;
                    }
                };
                let rust_name = match names::type_name(name) {
                    Ok(n) => n,
                    Err(e) => {
                        self.error_at_key(spec, &path, e.to_string());
                        continue;
                    }
                };
                if let Some(existing) = self.symbols.get(name) {
                    let at = self.where_is(&existing.file, &existing.path);
                    self.error_at_key(
                        spec,
                        &path,
                        format!("duplicate definition '{name}' (first defined at {at})"),
                    );
                    continue;
                }
                let module = names::module_name(&spec.spec.module).unwrap_or_default();
                self.symbols.insert(
                    name.clone(),
                    Symbol {
                        module,
                        spec_module: spec.spec.module.clone(),
                        rust_name,
                        kind,
                        file: spec.file.clone(),
                        path,
                    },
                );
            }
        }
        for spec in self.specs {
            for (i, import) in spec.spec.imports.iter().enumerate() {
                if !modules.contains_key(import) {
                    let known = modules.keys().map(String::as_str).collect::<Vec<_>>();
                    let hint = did_you_mean(suggest(import, known));
                    self.error(
                        spec,
                        &format!("imports.{i}"),
                        format!("unknown module '{import}'{hint}"),
                    );
                } else if *import == spec.spec.module {
                    self.error(spec, &format!("imports.{i}"), "a module cannot import itself");
                }
            }
        }
    }

    /// Names a spec may reference: its own definitions and those of its imports.
    fn visible(&self, spec: &LoadedSpec, name: &str) -> bool {
        self.symbols.get(name).is_some_and(|s| {
            s.spec_module == spec.spec.module || spec.spec.imports.contains(&s.spec_module)
        })
    }

    /// Resolves a type expression (`list<map<string, Role>>`).
    fn resolve(&mut self, spec: &LoadedSpec, path: &str, text: &str) -> Option<Type> {
        self.resolve_nested(spec, path, text, 0)
    }

    fn resolve_nested(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        text: &str,
        depth: usize,
    ) -> Option<Type> {
        // Real APIs nest a few levels; a bound keeps every later stage (and the Rust compiler)
        // far from its recursion limits whatever a spec says.
        if depth > MAX_TYPE_NESTING {
            let message = format!("types can nest at most {MAX_TYPE_NESTING} levels deep");
            self.error(spec, path, message);
            return None;
        }
        let text = text.trim();
        if let Some(inner) = strip_generic(text, "list") {
            return self
                .resolve_nested(spec, path, inner, depth + 1)
                .map(|t| Type::List(Box::new(t)));
        }
        if let Some(inner) = strip_generic(text, "nullable") {
            return self
                .resolve_nested(spec, path, inner, depth + 1)
                .map(|t| Type::Nullable(Box::new(t)));
        }
        if let Some(inner) = strip_generic(text, "map") {
            return match inner.split_once(',') {
                Some((key, value)) if key.trim() == "string" => self
                    .resolve_nested(spec, path, value, depth + 1)
                    .map(|t| Type::Map(Box::new(t))),
                _ => {
                    self.error(
                        spec,
                        path,
                        format!("map keys must be strings: write 'map<string, T>', not '{text}'"),
                    );
                    None
                }
            };
        }
        let scalar = match text {
            "string" => Some(Type::String),
            "boolean" => Some(Type::Bool),
            "int32" => Some(Type::Int32),
            "int64" => Some(Type::Int64),
            "float64" => Some(Type::Float64),
            "date-time" => Some(Type::DateTime),
            "date-time-rfc1123" => Some(Type::DateTimeRfc1123),
            "uuid" => Some(Type::Uuid),
            "url" => Some(Type::Url),
            "number-or-string" => Some(Type::NumberOrString),
            "json" => Some(Type::Json),
            _ => None,
        };
        if scalar.is_some() {
            return scalar;
        }
        if self.visible(spec, text) {
            let s = &self.symbols[text];
            return Some(Type::Named(Named {
                module: s.module.clone(),
                name: s.rust_name.clone(),
                is_enum: s.kind == SymbolKind::Enum,
            }));
        }
        if let Some(s) = self.symbols.get(text) {
            let message = format!(
                "'{text}' is defined in module '{}', which this spec does not import (add it to 'imports')",
                s.spec_module
            );
            self.error(spec, path, message);
            return None;
        }
        let candidates: Vec<&str> = self
            .symbols
            .keys()
            .filter(|n| self.visible(spec, n))
            .map(String::as_str)
            .chain(SCALARS.iter().copied())
            .collect();
        let hint = did_you_mean(suggest(text, candidates));
        self.error(spec, path, format!("unknown type '{text}'{hint}"));
        None
    }

    fn module(&mut self, spec: &'a LoadedSpec) -> Option<Module> {
        let name = names::module_name(&spec.spec.module).ok()?;
        let mut structs = Vec::new();
        let mut enums = Vec::new();
        for (def_name, def) in &spec.spec.definitions {
            let path = format!("definitions.{def_name}");
            let Some(symbol) = self.symbols.get(def_name) else { continue };
            if symbol.file != spec.file {
                continue;
            }
            let rust_name = symbol.rust_name.clone();
            let origin = Origin { file: spec.file.clone(), path: path.clone() };
            if let Some(values) = &def.values {
                if def.extends.is_some() {
                    self.error(
                        spec,
                        &format!("{path}.extends"),
                        "an enum cannot extend a definition",
                    );
                }
                if !def.examples.is_empty() {
                    self.error(
                        spec,
                        &format!("{path}.examples"),
                        "examples go on objects, not enums",
                    );
                }
                enums.push(self.enumeration(spec, &path, rust_name, def, values));
            } else {
                if def.closed {
                    self.error(spec, &format!("{path}.closed"), "'closed' applies to enums only");
                }
                let fields = self.fields(spec, def_name);
                let union =
                    def.union.as_ref().and_then(|u| self.union(spec, &path, def_name, u, &fields));
                let implements = self.implements(spec, &path, def, union.is_some(), &fields);
                structs.push(Struct {
                    name: rust_name,
                    description: def.description.clone(),
                    fields,
                    examples: def.examples.clone(),
                    union,
                    implements,
                    origin,
                });
            }
        }
        let clients = self.clients(spec);
        let event_sets = self.event_sets(spec);
        Some(Module {
            name,
            spec_file: spec.file.clone(),
            description: spec.spec.description.clone(),
            feature_gated: !clients.is_empty() || !event_sets.is_empty(),
            structs,
            enums,
            clients,
            event_sets,
            pages: Vec::new(),
        })
    }

    /// The runtime traits of `implements`, each known and satisfiable by the definition.
    fn implements(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        def: &spec::Definition,
        is_union: bool,
        fields: &[Field],
    ) -> Vec<RuntimeTrait> {
        let mut traits = Vec::new();
        for (i, name) in def.implements.iter().enumerate() {
            let ipath = format!("{path}.implements.{i}");
            let Some(known) = RUNTIME_TRAITS.iter().find(|t| t.name == name) else {
                let all = RUNTIME_TRAITS.iter().map(|t| t.name).collect::<Vec<_>>();
                let message = format!("unknown runtime trait '{name}' (known: {})", all.join(", "));
                self.error(spec, &ipath, message);
                continue;
            };
            if known.needs_default && !(is_union && fields.iter().all(|f| !f.required)) {
                let message = format!(
                    "'{name}' needs a kind-tagged object ('union') without required properties"
                );
                self.error(spec, &ipath, message);
                continue;
            }
            traits.push(*known);
        }
        traits
    }

    fn union(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        def_name: &str,
        union: &spec::Union,
        fields: &[Field],
    ) -> Option<Union> {
        let upath = format!("{path}.union");
        let kind_enum = names::derived_type_name(def_name, "Kind").ok()?;
        if fields.iter().any(|f| f.json_name == union.discriminator) {
            let message = format!("the discriminator '{}' is also a property", union.discriminator);
            self.error(spec, &format!("{upath}.discriminator"), message);
        }
        if union.variants.is_empty() {
            self.error(spec, &format!("{upath}.variants"), "a union needs at least one variant");
        }
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (value, v) in &union.variants {
            let vpath = format!("{upath}.variants.{value}");
            let Ok(name) = names::variant_name(value)
                .map_err(|e| self.error_at_key(spec, &vpath, e.to_string()))
            else {
                continue;
            };
            if name == "Unknown" {
                self.error_at_key(
                    spec,
                    &vpath,
                    "'Unknown' is the variant that keeps discriminators the crate does not know",
                );
                continue;
            }
            if let Some(other) = variants.iter().find(|o| o.name == name) {
                let message = format!(
                    "discriminators '{}' and '{value}' both become variant '{name}'",
                    other.value
                );
                self.error_at_key(spec, &vpath, message);
                continue;
            }
            if fields.iter().any(|f| f.json_name == v.property)
                || variants.iter().any(|o| o.property == v.property)
            {
                let message = format!("the payload property '{}' is already used", v.property);
                self.error(spec, &format!("{vpath}.property"), message);
                continue;
            }
            let Some(ty) = self.resolve(spec, &format!("{vpath}.type"), &v.ty) else { continue };
            let Ok(field) = names::value_name(&v.property)
                .map_err(|e| self.error(spec, &format!("{vpath}.property"), e.to_string()))
            else {
                continue;
            };
            variants.push(UnionVariant {
                value: value.clone(),
                name,
                wire_field: format!("payload_{}", names::unraw(&field)),
                property: v.property.clone(),
                ty,
                description: v.description.clone(),
            });
        }
        Some(Union { discriminator: union.discriminator.clone(), kind_enum, variants })
    }

    fn enumeration(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        name: String,
        def: &spec::Definition,
        values: &spec::Map<String, String>,
    ) -> Enum {
        let mut variants: Vec<Variant> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        if values.is_empty() {
            self.error(spec, &format!("{path}.enum"), "an enum needs at least one value");
        }
        for (wire, description) in values {
            let vpath = format!("{path}.enum.{wire}");
            match names::variant_name(wire) {
                Ok(v) if !def.closed && v == "UnknownValue" => self.error_at_key(
                    spec,
                    &vpath,
                    "'UnknownValue' is the variant that keeps unknown values of an extensible enum",
                ),
                Ok(v) => {
                    if let Some(other) = seen.get(&v) {
                        let message =
                            format!("enum values '{other}' and '{wire}' both become variant '{v}'");
                        self.error_at_key(spec, &vpath, message);
                        continue;
                    }
                    seen.insert(v.clone(), wire.clone());
                    variants.push(Variant {
                        name: v,
                        wire: wire.clone(),
                        description: description.clone(),
                    });
                }
                Err(e) => self.error_at_key(spec, &vpath, e.to_string()),
            }
        }
        let origin = Origin { file: spec.file.clone(), path: path.to_owned() };
        Enum { name, description: def.description.clone(), closed: def.closed, variants, origin }
    }

    /// The fields of an object: inherited ones first, then its own.
    fn fields(&mut self, spec: &LoadedSpec, def_name: &str) -> Vec<Field> {
        // The chain of extended definitions, nearest last; stops at cycles and unknown names.
        let mut chain: Vec<(&LoadedSpec, &str)> = vec![(spec, def_name)];
        let mut current = (spec, def_name);
        loop {
            let def = &current.0.spec.definitions[current.1];
            let Some(base) = def.extends.as_deref() else { break };
            let path = format!("definitions.{}.extends", current.1);
            if !self.visible(current.0, base) {
                // Reported once, from the spec that declares the extends.
                if current.0.file == spec.file && current.1 == def_name {
                    self.resolve(current.0, &path, base);
                }
                break;
            }
            let symbol = &self.symbols[base];
            if symbol.kind != SymbolKind::Object {
                if current.1 == def_name {
                    self.error(
                        current.0,
                        &path,
                        format!("'{base}' is an enum; only objects can be extended"),
                    );
                }
                break;
            }
            let Some(base_spec) = self.specs.iter().find(|s| s.file == symbol.file) else { break };
            if let Some(start) =
                chain.iter().position(|(s, n)| s.file == base_spec.file && *n == base)
            {
                // Reported by every definition on the cycle, each naming the whole cycle.
                if start == 0 {
                    let cycle: Vec<&str> =
                        chain.iter().map(|(_, n)| *n).chain([def_name]).collect();
                    self.error(
                        spec,
                        &format!("definitions.{def_name}.extends"),
                        format!("'{def_name}' extends itself: {}", cycle.join(" → ")),
                    );
                }
                break;
            }
            // The chain holds the definition itself and its bases.
            if chain.len() > MAX_EXTENDS_DEPTH {
                self.error(
                    spec,
                    &format!("definitions.{def_name}.extends"),
                    format!(
                        "'{def_name}' inherits through more than {MAX_EXTENDS_DEPTH} levels of extends"
                    ),
                );
                break;
            }
            let Some((base_name, _)) = base_spec.spec.definitions.get_key_value(base) else {
                break;
            };
            chain.push((base_spec, base_name.as_str()));
            current = (base_spec, base_name.as_str());
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut json_names: HashMap<String, String> = HashMap::new();
        let mut rust_names: HashMap<String, String> = HashMap::new();
        for (owner_spec, owner) in chain.iter().rev() {
            let Some(properties) = &owner_spec.spec.definitions[*owner].properties else {
                continue;
            };
            let own = owner_spec.file == spec.file && *owner == def_name;
            for (json_name, property) in properties {
                let path = format!("definitions.{owner}.properties.{json_name}");
                // Errors inside an inherited definition are reported when that one is lowered.
                let report = |cx: &mut Self, p: &str, key: bool, m: String| {
                    if own {
                        cx.error_at(owner_spec, p, key, m);
                    }
                };
                if let Some(first) = json_names.get(json_name) {
                    let message = format!("property '{json_name}' is already defined by '{first}'");
                    report(self, &path, true, message);
                    continue;
                }
                let ty = if own {
                    self.resolve(owner_spec, &format!("{path}.type"), &property.ty)
                } else {
                    let mut quiet = Lowering {
                        specs: self.specs,
                        errors: Diagnostics::default(),
                        symbols: BTreeMap::new(),
                    };
                    std::mem::swap(&mut quiet.symbols, &mut self.symbols);
                    let t = quiet.resolve(owner_spec, &path, &property.ty);
                    std::mem::swap(&mut quiet.symbols, &mut self.symbols);
                    t
                };
                let name = match names::value_name(json_name) {
                    Ok(n) => n,
                    Err(e) => {
                        report(self, &path, true, e.to_string());
                        continue;
                    }
                };
                if let Some(other) = rust_names.get(&name) {
                    let message = format!(
                        "properties '{other}' and '{json_name}' both become field '{name}'"
                    );
                    report(self, &path, true, message);
                    continue;
                }
                for (i, alias) in property.aliases.iter().enumerate() {
                    if properties.contains_key(alias) || json_names.contains_key(alias) {
                        let message = format!("alias '{alias}' is the name of another property");
                        report(self, &format!("{path}.aliases.{i}"), false, message);
                    }
                }
                json_names.insert(json_name.clone(), owner.to_string());
                rust_names.insert(name.clone(), json_name.clone());
                if ty.as_ref().is_some_and(nested_date) {
                    let message =
                        "dates inside lists or maps are not supported; wrap the date in an object"
                            .to_owned();
                    report(self, &format!("{path}.type"), false, message);
                    continue;
                }
                if let Some(ty) = ty {
                    let default = match &property.default {
                        Some(value) => {
                            let dpath = format!("{path}.default");
                            match self.default_literal(property, &ty, value) {
                                Ok(literal) => Some(literal),
                                Err(message) => {
                                    report(self, &dpath, false, message);
                                    continue;
                                }
                            }
                        }
                        None => None,
                    };
                    fields.push(Field {
                        name,
                        json_name: json_name.clone(),
                        aliases: property.aliases.clone(),
                        description: property.description.clone(),
                        ty,
                        required: property.required || default.is_some(),
                        boxed: false,
                        default,
                    });
                }
            }
        }
        fields
    }

    /// The literal of a property's `default`, checked against its type.
    fn default_literal(
        &self,
        property: &spec::Property,
        ty: &Type,
        value: &serde_json::Value,
    ) -> Result<Literal, String> {
        use serde_json::Value;
        if property.required {
            return Err("a property with a default may be absent, so it is not 'required'".into());
        }
        let wrong = || format!("the default {value} is not a value of type '{}'", property.ty);
        match (ty, value) {
            (Type::String, Value::String(s)) => Ok(Literal::String(s.clone())),
            (Type::Bool, Value::Bool(b)) => Ok(Literal::Bool(*b)),
            (Type::Int32, Value::Number(n)) => {
                n.as_i64().filter(|i| i32::try_from(*i).is_ok()).map(Literal::Int).ok_or_else(wrong)
            }
            (Type::Int64, Value::Number(n)) => n.as_i64().map(Literal::Int).ok_or_else(wrong),
            (Type::Float64, Value::Number(n)) => n.as_f64().map(Literal::Float).ok_or_else(wrong),
            (Type::Named(named), Value::String(s)) if named.is_enum => {
                let values = self
                    .symbols
                    .get(property.ty.trim())
                    .and_then(|symbol| self.specs.iter().find(|sp| sp.file == symbol.file))
                    .and_then(|sp| sp.spec.definitions.get(property.ty.trim()))
                    .and_then(|def| def.values.as_ref());
                match values {
                    Some(values) if values.contains_key(s) => {
                        names::variant_name(s).map(Literal::Variant).map_err(|e| e.to_string())
                    }
                    Some(values) => {
                        let known: Vec<&str> = values.keys().map(String::as_str).collect();
                        Err(format!(
                            "the default '{s}' is not a value of '{}' ({})",
                            property.ty,
                            known.join(", ")
                        ))
                    }
                    None => Err(wrong()),
                }
            }
            (Type::String | Type::Bool | Type::Int32 | Type::Int64 | Type::Float64, _) => {
                Err(wrong())
            }
            (Type::Named(n), _) if n.is_enum => Err(wrong()),
            _ => Err(format!(
                "a default is supported for strings, numbers, booleans and enums, not '{}'",
                property.ty
            )),
        }
    }

    fn clients(&mut self, spec: &LoadedSpec) -> Vec<Client> {
        let mut clients: Vec<Client> = Vec::new();
        for (client_name, client) in &spec.spec.clients {
            let path = format!("clients.{client_name}");
            let name = match names::type_name(client_name) {
                Ok(n) => n,
                Err(e) => {
                    self.error_at_key(spec, &path, e.to_string());
                    continue;
                }
            };
            match &client.parent {
                None => {
                    if client.api_version.is_none() {
                        self.error_at_key(spec, &path, "a top-level client needs 'api-version'");
                    }
                    if client.auth.is_empty() {
                        self.error_at_key(spec, &path, "a top-level client needs 'auth'");
                    }
                    if !client.scope.is_empty() {
                        self.error(
                            spec,
                            &format!("{path}.scope"),
                            "'scope' applies to scoped clients (with 'parent') only",
                        );
                    }
                }
                Some(parent) => {
                    if !spec.spec.clients.contains_key(parent) {
                        let hint = did_you_mean(suggest(
                            parent,
                            spec.spec.clients.keys().map(String::as_str),
                        ));
                        self.error(
                            spec,
                            &format!("{path}.parent"),
                            format!("unknown client '{parent}'{hint}"),
                        );
                    } else if spec.spec.clients[parent].parent.is_some() {
                        self.error(
                            spec,
                            &format!("{path}.parent"),
                            "a scoped client's parent must be a top-level client",
                        );
                    }
                    if client.api_version.is_some() || !client.auth.is_empty() {
                        self.error_at_key(
                            spec,
                            &path,
                            "a scoped client shares its parent's 'api-version' and 'auth'",
                        );
                    }
                }
            }
            let mut scope = Vec::new();
            for (wire, p) in &client.scope {
                let ppath = format!("{path}.scope.{wire}");
                let ty = self.resolve(spec, &format!("{ppath}.type"), &p.ty);
                match names::value_name(wire) {
                    Ok(n) => {
                        if let Some(ty) = ty {
                            scope.push(Parameter {
                                wire_name: wire.clone(),
                                name: n,
                                location: ParameterLocation::Path,
                                ty,
                                required: true,
                                description: p.description.clone(),
                            });
                        }
                    }
                    Err(e) => self.error_at_key(spec, &ppath, e.to_string()),
                }
            }
            clients.push(Client {
                options_name: format!("{name}Options"),
                accessor: names::accessor_name(&name),
                name,
                description: client.description.clone(),
                api_version: client.api_version.clone(),
                auth: client.auth.clone(),
                parent: client.parent.as_ref().and_then(|p| names::type_name(p).ok()),
                scope,
                children: Vec::new(),
                operations: Vec::new(),
                origin: Origin { file: spec.file.clone(), path: path.clone() },
            });
        }
        let mut operations: Vec<(String, Operation)> = Vec::new();
        for (op_name, op) in &spec.spec.operations {
            let path = format!("operations.{op_name}");
            let client_name = match (&op.client, spec.spec.clients.len()) {
                (Some(c), _) if spec.spec.clients.contains_key(c) => c.clone(),
                (Some(c), _) => {
                    let hint =
                        did_you_mean(suggest(c, spec.spec.clients.keys().map(String::as_str)));
                    self.error(
                        spec,
                        &format!("{path}.client"),
                        format!("unknown client '{c}'{hint}"),
                    );
                    continue;
                }
                (None, 1) => spec.spec.clients.keys().next().cloned().unwrap_or_default(),
                (None, 0) => {
                    self.error_at_key(
                        spec,
                        &path,
                        "operations need a client: this spec declares none",
                    );
                    continue;
                }
                (None, _) => {
                    self.error_at_key(
                        spec,
                        &path,
                        "this spec has several clients: say which one with 'client'",
                    );
                    continue;
                }
            };
            let scope = &spec.spec.clients[&client_name].scope;
            if let Some(lowered) = self.operation(spec, &path, op_name, op, scope) {
                operations.push((client_name, lowered));
            }
        }
        for (client_name, op) in operations {
            let rust = names::type_name(&client_name).unwrap_or_default();
            if let Some(c) = clients.iter_mut().find(|c| c.name == rust) {
                c.operations.push(op);
            }
        }
        let children: Vec<(String, String)> =
            clients.iter().filter_map(|c| c.parent.clone().map(|p| (p, c.name.clone()))).collect();
        for (parent, child) in children {
            if let Some(p) = clients.iter_mut().find(|c| c.name == parent) {
                p.children.push(child);
            }
        }
        // Parents first, so emitters can rely on a parent's items existing.
        clients.sort_by(|a, b| (a.parent.is_some(), &a.name).cmp(&(b.parent.is_some(), &b.name)));
        clients
    }

    fn operation(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        op_name: &str,
        op: &spec::Operation,
        scope: &spec::Map<String, spec::ScopeParameter>,
    ) -> Option<Operation> {
        let method_name = names::value_name(op_name)
            .map_err(|e| self.error_at_key(spec, path, e.to_string()))
            .ok()?;
        let options_name = names::derived_type_name(op_name, "Options").ok()?;
        let mut parameters = Vec::new();
        let mut param_names: HashMap<String, String> = HashMap::new();
        for (wire, p) in &op.parameters {
            let ppath = format!("{path}.parameters.{wire}");
            if wire.eq_ignore_ascii_case("api-version") {
                self.error_at_key(
                    spec,
                    &ppath,
                    "'api-version' comes from the client; do not list it",
                );
                continue;
            }
            if op.repeatability != spec::Repeatability::None
                && wire.to_ascii_lowercase().starts_with("repeatability-")
            {
                self.error_at_key(
                    spec,
                    &ppath,
                    "repeatability headers come from 'repeatability'; do not list them",
                );
                continue;
            }
            if scope.contains_key(wire) {
                self.error_at_key(
                    spec,
                    &ppath,
                    format!("'{wire}' is already bound by the client's scope"),
                );
                continue;
            }
            let ty = self.resolve(spec, &format!("{ppath}.type"), &p.ty);
            let name = match names::value_name(wire) {
                Ok(n) => n,
                Err(e) => {
                    self.error_at_key(spec, &ppath, e.to_string());
                    continue;
                }
            };
            if let Some(other) = param_names.get(&name) {
                self.error_at_key(
                    spec,
                    &ppath,
                    format!("parameters '{other}' and '{wire}' both become '{name}'"),
                );
                continue;
            }
            param_names.insert(name.clone(), wire.clone());
            let Some(ty) = ty else { continue };
            if !ty.is_scalar() {
                self.error(spec, &format!("{ppath}.type"), "parameters must have a scalar type (string, number, boolean, date, uuid, url or enum)");
                continue;
            }
            let required = p.required || p.location == ParameterLocation::Path;
            parameters.push(Parameter {
                wire_name: wire.clone(),
                name,
                location: p.location,
                ty,
                required,
                description: p.description.clone(),
            });
        }
        let template = self.path_template(spec, path, &op.path, &op.parameters, scope)?;
        let body = op.body.as_ref().and_then(|b| {
            let (ty, description, content_type, parameter) = match b {
                spec::Body::Type(t) => (t.as_str(), "The request body.".to_owned(), None, None),
                spec::Body::Described(d) => (
                    d.ty.as_str(),
                    d.description.clone(),
                    d.content_type.as_deref(),
                    d.parameter.clone(),
                ),
            };
            let merge_patch = match content_type {
                None | Some("application/json") => false,
                Some("application/merge-patch+json") => true,
                Some(other) => {
                    let message = format!("content type '{other}' is not supported; use application/json or application/merge-patch+json");
                    self.error(spec, &format!("{path}.body.content-type"), message);
                    false
                }
            };
            let example_parameter = parameter.unwrap_or_else(|| names::lower_camel(ty));
            let resolved = self.resolve(spec, &format!("{path}.body"), ty)?;
            let name = match &resolved {
                Type::Named(n) => names::value_name(&n.name).unwrap_or_else(|_| "body".to_owned()),
                _ => "body".to_owned(),
            };
            if param_names.contains_key(&name) {
                self.error(
                    spec,
                    &format!("{path}.body"),
                    format!("the body argument '{name}' clashes with a parameter"),
                );
            }
            Some(Body { name, ty: resolved, description, merge_patch, example_parameter })
        });
        if op.responses.is_empty() {
            self.error_at_key(
                spec,
                &format!("{path}.responses"),
                "an operation needs at least one success response",
            );
        }
        let mut responses = Vec::new();
        let mut bodies: BTreeSet<Option<String>> = BTreeSet::new();
        let mut ok_body: Option<Type> = None;
        let mut header_names: BTreeMap<String, ResponseHeader> = BTreeMap::new();
        for (status, r) in &op.responses {
            let rpath = format!("{path}.responses.{status}");
            if !(200..300).contains(status) {
                self.error_at_key(spec, &rpath, format!("status {status} is not a success; error responses are described by 'error'"));
                continue;
            }
            bodies.insert(r.body.clone());
            if let Some(b) = &r.body {
                ok_body = self.resolve(spec, &format!("{rpath}.body"), b);
            }
            let mut headers = Vec::new();
            for (wire, h) in &r.headers {
                let hpath = format!("{rpath}.headers.{wire}");
                let Some(ty) = self.resolve(spec, &format!("{hpath}.type"), &h.ty) else {
                    continue;
                };
                if !ty.is_scalar() {
                    self.error(spec, &format!("{hpath}.type"), "headers must have a scalar type");
                    continue;
                }
                let Ok(name) = names::value_name(wire)
                    .map_err(|e| self.error_at_key(spec, &hpath, e.to_string()))
                else {
                    continue;
                };
                let header = ResponseHeader {
                    wire_name: wire.clone(),
                    name,
                    ty,
                    description: h.description.clone(),
                };
                header_names.entry(wire.to_ascii_lowercase()).or_insert_with(|| header.clone());
                headers.push(header);
            }
            responses.push(Response {
                status: *status,
                description: r.description.clone(),
                headers,
            });
        }
        if bodies.len() > 1 {
            self.error_at_key(
                spec,
                &format!("{path}.responses"),
                "all success responses of an operation must have the same body type",
            );
        }
        let error = self.resolve(spec, &format!("{path}.error"), &op.error)?;
        let headers_trait = (!header_names.is_empty())
            .then(|| names::derived_type_name(op_name, "Headers").unwrap_or_default());
        let examples = self.operation_examples(spec, path, op, ok_body.as_ref(), &error);
        let paging = op.paging.as_ref().map(|p| {
            if op.method != spec::HttpMethod::Get {
                self.error(spec, &format!("{path}.paging"), "only GET operations can page");
            }
            // The item type is filled in once every module is lowered (see `resolve_paging`).
            Paging {
                items_field: p.items.clone(),
                item: Type::Json,
                next_link: p.next_link.clone(),
            }
        });
        Some(Operation {
            spec_name: op_name.to_owned(),
            method_name,
            options_name,
            headers_trait,
            description: op.description.clone(),
            method: op.method,
            path: template,
            parameters,
            repeatability: op.repeatability,
            body,
            paging,
            responses,
            ok_body,
            error,
            examples,
            origin: Origin { file: spec.file.clone(), path: path.to_owned() },
        })
    }

    fn path_template(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        template: &str,
        params: &spec::Map<String, spec::Parameter>,
        scope: &spec::Map<String, spec::ScopeParameter>,
    ) -> Option<Vec<PathPart>> {
        let ppath = format!("{path}.path");
        if !template.starts_with('/') {
            self.error(spec, &ppath, "the path must start with '/'");
            return None;
        }
        let mut parts = Vec::new();
        let mut used = BTreeSet::new();
        let mut rest = template;
        let mut ok = true;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.error(spec, &ppath, "unclosed '{' in the path");
                return None;
            };
            let name = &rest[open + 1..open + close];
            let rust = names::value_name(name).unwrap_or_default();
            if params.get(name).is_some_and(|p| p.location == ParameterLocation::Path) {
                parts.push(PathPart::Parameter(rust));
            } else if scope.contains_key(name) {
                parts.push(PathPart::Scope(rust));
            } else {
                let candidates = params
                    .iter()
                    .filter(|(_, p)| p.location == ParameterLocation::Path)
                    .map(|(n, _)| n.as_str())
                    .chain(scope.keys().map(String::as_str));
                let hint = did_you_mean(suggest(name, candidates));
                self.error(spec, &ppath, format!("path parameter '{{{name}}}' is not declared by the operation or its client's scope{hint}"));
                ok = false;
            }
            if !used.insert(name.to_owned()) {
                self.error(spec, &ppath, format!("path parameter '{{{name}}}' appears twice"));
                ok = false;
            }
            rest = &rest[open + close + 1..];
        }
        if rest.contains('}') {
            self.error(spec, &ppath, "unmatched '}' in the path");
            return None;
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for (wire, p) in params {
            if p.location == ParameterLocation::Path && !used.contains(wire) {
                self.error_at_key(
                    spec,
                    &format!("{path}.parameters.{wire}"),
                    format!("path parameter '{wire}' does not appear in the path '{template}'"),
                );
                ok = false;
            }
        }
        for wire in scope.keys() {
            if !used.contains(wire) {
                self.error(
                    spec,
                    &ppath,
                    format!(
                        "the client's scope parameter '{{{wire}}}' does not appear in the path"
                    ),
                );
                ok = false;
            }
        }
        ok.then_some(parts)
    }

    fn operation_examples(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        op: &spec::Operation,
        ok_body: Option<&Type>,
        error: &Type,
    ) -> Vec<OperationExample> {
        let mut out = Vec::new();
        let mut test_names = BTreeSet::new();
        for (title, ex) in &op.examples {
            let epath = format!("{path}.examples.{title}");
            let test_name =
                names::value_name(&sanitize(title)).unwrap_or_else(|_| "example".to_owned());
            let test_name = names::unraw(&test_name).to_owned();
            if !test_names.insert(test_name.clone()) {
                self.error_at_key(
                    spec,
                    &epath,
                    format!("example titles must differ after conversion to '{test_name}'"),
                );
                continue;
            }
            let response = match (&ex.file, &ex.response) {
                (Some(file), None)
                    if ex.request.body.is_none() && ex.request.parameters.is_empty() =>
                {
                    out.push(OperationExample {
                        title: title.clone(),
                        file: Some(file.clone()),
                        test_name,
                        parameters: Vec::new(),
                        request_body: None,
                        status: 0,
                        response_headers: Vec::new(),
                        response_body: None,
                        response_type: None,
                    });
                    continue;
                }
                (Some(_), _) => {
                    self.error_at_key(
                        spec,
                        &format!("{epath}.file"),
                        "an example is either a 'file' or a 'request' and 'response', not both",
                    );
                    continue;
                }
                (None, Some(response)) => response,
                (None, None) => {
                    self.error_at_key(spec, &epath, "an example needs a 'response' (or a 'file')");
                    continue;
                }
            };
            let status = response.status;
            let success = op.responses.contains_key(&status);
            if (200..300).contains(&status) && !success {
                self.error(
                    spec,
                    &format!("{epath}.response.status"),
                    format!("status {status} is not one of the operation's responses"),
                );
                continue;
            }
            if op.body.is_some() != ex.request.body.is_some() && success {
                let message = if op.body.is_some() {
                    "the example needs a request body"
                } else {
                    "the operation takes no request body"
                };
                self.error_at_key(spec, &format!("{epath}.request"), message);
                continue;
            }
            for name in ex.request.parameters.keys() {
                if !op.parameters.contains_key(name)
                    && !name.to_ascii_lowercase().starts_with("repeatability-")
                    && !spec_scope_has(spec, op, name)
                {
                    self.error_at_key(
                        spec,
                        &format!("{epath}.request.parameters.{name}"),
                        format!("'{name}' is not a parameter of the operation"),
                    );
                }
            }
            let needed = op
                .parameters
                .iter()
                .filter(|(_, p)| p.required || p.location == ParameterLocation::Path)
                .map(|(n, _)| n.as_str())
                .chain(scope_of(spec, op).into_iter().flat_map(|s| s.keys().map(String::as_str)));
            let missing: Vec<&str> =
                needed.filter(|n| !ex.request.parameters.contains_key(*n)).collect();
            if !missing.is_empty() {
                let message = format!(
                    "the example needs a value for each required parameter; missing: {}",
                    missing.join(", ")
                );
                self.error_at_key(spec, &format!("{epath}.request"), message);
                continue;
            }
            let response_type = if success { ok_body.cloned() } else { Some(error.clone()) };
            // When the declared body type did not resolve, that error is already reported.
            let declared = op.responses.get(&status).is_some_and(|r| r.body.is_some());
            if response_type.is_none() && response.body.is_some() && !declared {
                self.error_at_key(
                    spec,
                    &format!("{epath}.response.body"),
                    "the response has no body type",
                );
                continue;
            }
            out.push(OperationExample {
                title: title.clone(),
                file: None,
                test_name,
                parameters: ex
                    .request
                    .parameters
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                request_body: ex.request.body.clone(),
                status,
                response_headers: response
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                response_body: response.body.clone(),
                response_type,
            });
        }
        out
    }

    fn event_sets(&mut self, spec: &LoadedSpec) -> Vec<EventSet> {
        let mut sets = Vec::new();
        for (set_name, set) in &spec.spec.events {
            let path = format!("events.{set_name}");
            let Ok(name) = names::type_name(set_name)
                .map_err(|e| self.error_at_key(spec, &path, e.to_string()))
            else {
                continue;
            };
            let mut variants: Vec<EventVariant> = Vec::new();
            let mut seen: HashMap<String, String> = HashMap::new();
            for (event_type, data) in &set.types {
                let vpath = format!("{path}.types.{event_type}");
                let Some(ty) = self.resolve(spec, &vpath, data) else { continue };
                let Type::Named(named) = ty else {
                    self.error(spec, &vpath, "event data must be an object definition");
                    continue;
                };
                if named.is_enum {
                    self.error(
                        spec,
                        &vpath,
                        "event data must be an object definition, not an enum",
                    );
                    continue;
                }
                let Ok(variant) = names::event_variant_name(event_type)
                    .map_err(|e| self.error_at_key(spec, &vpath, e.to_string()))
                else {
                    continue;
                };
                if variant == "Other" {
                    self.error_at_key(
                        spec,
                        &vpath,
                        "'Other' is the variant that keeps unknown event types",
                    );
                    continue;
                }
                if let Some(other) = seen.get(&variant) {
                    self.error_at_key(spec, &vpath, format!("event types '{other}' and '{event_type}' both become variant '{variant}'"));
                    continue;
                }
                seen.insert(variant.clone(), event_type.clone());
                variants.push(EventVariant {
                    name: variant,
                    event_type: event_type.clone(),
                    data: named,
                });
            }
            if set.types.is_empty() {
                self.error(spec, &format!("{path}.types"), "an event set needs at least one type");
            }
            sets.push(EventSet {
                name,
                description: set.description.clone(),
                variants,
                examples: set.examples.clone(),
                origin: Origin { file: spec.file.clone(), path: path.clone() },
            });
        }
        sets
    }
}

fn nested_date(ty: &Type) -> bool {
    match ty {
        Type::List(inner) | Type::Map(inner) => {
            matches!(**inner, Type::DateTime | Type::DateTimeRfc1123) || nested_date(inner)
        }
        _ => false,
    }
}

fn scope_of<'s>(
    spec: &'s LoadedSpec,
    op: &spec::Operation,
) -> Option<&'s spec::Map<String, spec::ScopeParameter>> {
    let client =
        op.client.clone().or_else(|| spec.spec.clients.keys().next().cloned()).unwrap_or_default();
    spec.spec.clients.get(&client).map(|c| &c.scope)
}

fn spec_scope_has(spec: &LoadedSpec, op: &spec::Operation, name: &str) -> bool {
    scope_of(spec, op).is_some_and(|s| s.contains_key(name))
}

/// How deeply `list<…>`, `map<string, …>` and `nullable<…>` may nest.
const MAX_TYPE_NESTING: usize = 16;

/// How many levels of `extends` a definition may inherit through. Each
/// definition repeats every inherited field, so output grows with the square of the depth; real
/// specs use two or three levels.
const MAX_EXTENDS_DEPTH: usize = 16;

const SCALARS: &[&str] = &[
    "string",
    "boolean",
    "int32",
    "int64",
    "float64",
    "date-time",
    "date-time-rfc1123",
    "uuid",
    "url",
    "number-or-string",
    "json",
];

fn strip_generic<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    text.strip_prefix(name)?.trim_start().strip_prefix('<')?.strip_suffix('>')
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default()
}

/// Turns an example title into words a test name can be made of.
fn sanitize(title: &str) -> String {
    let words: String = title.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let joined = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("example {joined}")
    } else {
        joined
    }
}

/// The graph of struct-typed fields of every module, with structs numbered in the order they
/// are first seen (as a struct or as a field's type).
#[derive(Default)]
struct StructGraph {
    ids: HashMap<(String, String), usize>,
    /// Per node: (field index, node of the field's type).
    fields: Vec<Vec<(usize, usize)>>,
    /// Whether a struct of that name was added (a name two structs share, an error reported
    /// elsewhere, keeps the first).
    defined: Vec<bool>,
}

impl StructGraph {
    fn id(&mut self, module: &str, name: &str) -> usize {
        if let Some(&id) = self.ids.get(&(module.to_owned(), name.to_owned())) {
            return id;
        }
        let id = self.fields.len();
        self.ids.insert((module.to_owned(), name.to_owned()), id);
        self.fields.push(Vec::new());
        self.defined.push(false);
        id
    }

    fn find(&self, module: &str, name: &str) -> Option<usize> {
        self.ids.get(&(module.to_owned(), name.to_owned())).copied()
    }

    fn add(&mut self, module: &Module) {
        for s in &module.structs {
            let from = self.id(&module.name, &s.name);
            if std::mem::replace(&mut self.defined[from], true) {
                continue;
            }
            for (index, f) in s.fields.iter().enumerate() {
                if let Type::Named(n) = &f.ty {
                    if !n.is_enum {
                        let to = self.id(&n.module, &n.name);
                        self.fields[from].push((index, to));
                    }
                }
            }
        }
    }

    /// The fields to box: those whose struct type can reach back to the struct that holds
    /// them, i.e. both lie in one strongly connected component (not through `Vec` or maps,
    /// which already allocate). Components are found once, in time linear in the specs.
    fn recursive_fields(&self) -> HashSet<(usize, usize)> {
        let edges: Vec<Vec<usize>> =
            self.fields.iter().map(|fs| fs.iter().map(|&(_, to)| to).collect()).collect();
        let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
        for (from, tos) in edges.iter().enumerate() {
            for &to in tos {
                reverse[to].push(from);
            }
        }
        let component = strongly_connected_components(&edges, &reverse);
        let mut boxed = HashSet::new();
        for (from, fields) in self.fields.iter().enumerate() {
            for &(index, to) in fields {
                if component[to] == component[from] {
                    boxed.insert((from, index));
                }
            }
        }
        boxed
    }
}

/// The component number of every node (Kosaraju's algorithm, without recursion).
fn strongly_connected_components(edges: &[Vec<usize>], reverse: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&to) = edges[*node].get(*next) {
                *next += 1;
                if !visited[to] {
                    visited[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &root in order.iter().rev() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = count;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

/// The item type of every paging operation, from its page type (which may live in another
/// module), by (file, operation path); and the page types by module.
#[allow(clippy::type_complexity)]
fn resolve_paging(
    cx: &mut Lowering,
    paged: &[(Origin, Option<Type>, Paging)],
) -> (HashMap<(String, String), (Type, String)>, HashMap<String, Vec<Page>>) {
    // (module, Rust name) → the spec name of each object definition.
    let mut objects: HashMap<(&str, &str), &str> = HashMap::new();
    for (spec_name, symbol) in &cx.symbols {
        if symbol.kind == SymbolKind::Object {
            objects.entry((&symbol.module, &symbol.rust_name)).or_insert(spec_name);
        }
    }
    let objects: HashMap<(String, String), String> = objects
        .into_iter()
        .map(|((m, r), n)| ((m.to_owned(), r.to_owned()), n.to_owned()))
        .collect();
    let mut resolved = HashMap::new();
    let mut pages: BTreeMap<(String, String), Page> = BTreeMap::new();
    for (origin, ok_body, paging) in paged {
        let path = format!("{}.paging", origin.path);
        let spec = cx.specs.iter().find(|s| s.file == origin.file);
        let fail = |cx: &mut Lowering, message: String| {
            if let Some(spec) = spec {
                cx.errors.push(Diagnostic {
                    file: origin.file.clone(),
                    position: spec.locations.value(&path),
                    path: path.clone(),
                    message,
                });
            }
        };
        let Some(Type::Named(page)) = ok_body else {
            fail(cx, "a paging operation needs a success body that is an object".to_owned());
            continue;
        };
        let definition = objects.get(&(page.module.clone(), page.name.clone()));
        let Some((def_spec, def_name)) = definition.and_then(|name| {
            let symbol = cx.symbols.get(name)?;
            Some((cx.specs.iter().find(|s| s.file == symbol.file)?, name.as_str()))
        }) else {
            fail(cx, format!("'{}' is not an object", page.name));
            continue;
        };
        // The page's own errors are reported where it is lowered, not again here.
        let mut quiet = Lowering {
            specs: cx.specs,
            errors: Diagnostics::default(),
            symbols: take(&mut cx.symbols),
        };
        let fields = quiet.fields(def_spec, def_name);
        cx.symbols = quiet.symbols;
        match fields.iter().find(|f| f.json_name == paging.items_field) {
            Some(f @ Field { ty: Type::List(item), .. }) => {
                resolved.insert(
                    (origin.file.clone(), origin.path.clone()),
                    ((**item).clone(), f.name.clone()),
                );
                pages.entry((page.module.clone(), page.name.clone())).or_insert(Page {
                    name: page.name.clone(),
                    items_field: f.name.clone(),
                    items_required: f.required,
                    item: (**item).clone(),
                });
            }
            _ => fail(cx, format!("'{}' has no list property '{}'", page.name, paging.items_field)),
        }
        if !fields.iter().any(|f| f.json_name == paging.next_link && f.ty == Type::String) {
            fail(cx, format!("'{}' has no string property '{}'", page.name, paging.next_link));
        }
    }
    let mut by_module: HashMap<String, Vec<Page>> = HashMap::new();
    for ((module, _), page) in pages {
        by_module.entry(module).or_default().push(page);
    }
    (resolved, by_module)
}
