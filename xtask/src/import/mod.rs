//! `cargo xtask import`: a starting spec, in the format of `docs/spec-format.md`, from a
//! Swagger 2.0 (OpenAPI) file.
//!
//! [`import`] reads the OpenAPI file and the files its `$ref`s name through [`Files`], builds
//! the spec as a small model ([`model`]) and writes it as text ([`write`]), in the style of the
//! hand-written specs. What the format cannot say becomes a comment at that point:
//! `# TODO(import): …` where someone has to decide something, `# import: …` where the
//! OpenAPI says something the spec has no key for. When a spec in `specs/` already transcribes
//! the same file (its `source:`, or the same module), the import says at each point where that
//! spec differs: `# specs/rooms.yaml:26: …`.

pub mod compare;
pub mod handedit;
pub mod model;
pub mod names;
pub mod write;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fs;
use std::path::Path;

use crate::json::Value;
use api_codegen::spec::{self, LoadedSpec};
use api_codegen::SpecSource;

use crate::openapi::{self, DefRef, DiskFiles, Documents, EnumInfo, Files, OperationView, Shape};
use model::{
    Body, Client, DefKind, Definition, Example, Operation, Parameter, Property, Response,
    ResponseHeader, Spec, Union, Variant,
};

/// What to import.
pub struct Request<'a> {
    /// The OpenAPI file, relative to the workspace root.
    pub source: &'a str,
    /// Only these operationIds (and the definitions they reach); all when `None`.
    pub operations: Option<Vec<String>>,
    /// The module name; by default the service folder's name (`rooms`).
    pub module: Option<String>,
    /// The specs in `specs/`: definitions they hold are referenced, not repeated, and a spec of
    /// the same source or module is compared with the import.
    pub specs: &'a [SpecSource],
}

/// An imported spec.
#[derive(Debug)]
pub struct Imported {
    /// The module name.
    pub module: String,
    /// The spec text.
    pub text: String,
    /// The spec in `specs/` this import would replace (same source or module), if any.
    pub replaces: Option<String>,
    /// The `TODO(import)` comments, with their lines.
    pub todos: Vec<(usize, String)>,
}

/// Comment prefix of what someone has to decide.
pub const TODO: &str = "TODO(import): ";
/// Comment prefix of what the OpenAPI says and the spec format has no key for.
pub const NOTE: &str = "import: ";

/// Imports one OpenAPI file.
pub fn import(files: &dyn Files, request: &Request) -> Result<Imported, String> {
    let source = openapi::normalize(request.source);
    let docs = Documents::new(files);
    let doc = docs.get(&source)?;
    match (doc.get("swagger").and_then(Value::as_str), doc.get("openapi")) {
        (Some("2.0"), _) => {}
        (_, Some(v)) => {
            return Err(format!(
                "{source}: OpenAPI {} documents are not supported; only Swagger 2.0",
                v.as_str().unwrap_or("3")
            ))
        }
        _ => return Err(format!("{source}: not a Swagger 2.0 document (no \"swagger\": \"2.0\")")),
    }
    let module = match &request.module {
        Some(m) => m.clone(),
        None => names::module_from_path(&source),
    };
    if module.is_empty()
        || !module.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || module.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!(
            "'{module}' is not a module name (lower-case letters, digits and _); give one with --module"
        ));
    }
    let loaded: Vec<LoadedSpec> =
        request.specs.iter().filter_map(|s| spec::load(&s.name, &s.text).ok()).collect();
    let previous = loaded.iter().position(|s| {
        s.spec.source.as_deref().map(openapi::normalize).as_deref() == Some(source.as_str())
            || s.spec.module == module
    });
    let mut elsewhere: HashMap<String, (String, String)> = HashMap::new();
    for (i, s) in loaded.iter().enumerate() {
        if Some(i) == previous {
            continue;
        }
        for name in s.spec.definitions.keys() {
            elsewhere.insert(name.clone(), (s.spec.module.clone(), s.file.clone()));
        }
    }
    let mut importer = Importer {
        docs: &docs,
        source: source.clone(),
        elsewhere,
        names: BTreeMap::new(),
        taken: BTreeSet::new(),
        queue: VecDeque::new(),
        definitions: Vec::new(),
        imports: BTreeSet::new(),
        reused: BTreeMap::new(),
        absorbed: BTreeSet::new(),
        reserved: BTreeMap::new(),
        deliberate: Vec::new(),
    };
    let mut spec = importer.build(&doc, &module, request.operations.as_deref())?;
    let previous = previous.map(|i| &loaded[i]);
    if let Some(prev) = previous {
        compare::annotate(&mut spec, prev);
    }
    let text = write::spec(&spec);
    let todos = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            l.trim_start()
                .strip_prefix("# ")
                .filter(|c| c.starts_with(TODO))
                .map(|c| (i + 1, c.to_owned()))
        })
        .collect();
    Ok(Imported { module, text, replaces: previous.map(|p| p.file.clone()), todos })
}

/// Usage of `cargo xtask import`.
pub const USAGE: &str = "usage: cargo xtask import <openapi.json> [--operations ID,ID…] [--module NAME] [--out FILE [--force]]

Writes a starting spec (docs/spec-format.md) from a Swagger 2.0 file: to FILE with --out, else
to standard output. $refs into sibling files are followed; definitions that another spec in
specs/ defines are referenced, not repeated. What the format cannot say is left as a
`# TODO(import): …` comment. The result is checked with the specs in specs/ (replacing the
spec of the same module) as `cargo xtask codegen` would check it.

  --operations ID,…  only these operationIds and the definitions they reach
  --module NAME      the module name (default: the service folder's name, e.g. rooms)
  --out FILE         write the spec to FILE (relative to the current directory)
  --force            overwrite FILE if it exists";

/// `cargo xtask import …`: reads the files, imports, checks, writes. Returns what to print on
/// standard output.
pub fn run(root: &Path, args: &[&str]) -> Result<String, String> {
    let mut input = None;
    let mut operations = None;
    let mut module = None;
    let mut out = None;
    let mut force = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--help" | "-h" => return Ok(USAGE.to_owned()),
            "--operations" => {
                let list =
                    rest.next().ok_or("import: --operations needs a list of operationIds")?;
                let ids: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                if ids.is_empty() {
                    return Err("import: --operations needs at least one operationId".to_owned());
                }
                operations = Some(ids);
            }
            "--module" => {
                module = Some(rest.next().ok_or("import: --module needs a name")?.to_string())
            }
            "--out" => out = Some(rest.next().ok_or("import: --out needs a file")?.to_string()),
            "--force" => force = true,
            flag if flag.starts_with('-') => {
                return Err(format!(
                    "import: unknown option '{flag}' (see cargo xtask import --help)"
                ))
            }
            path if input.is_none() => input = Some(path.to_owned()),
            extra => {
                return Err(format!(
                    "import: unexpected argument '{extra}' (one OpenAPI file at a time)"
                ))
            }
        }
    }
    let input = input.ok_or("import: which OpenAPI file? (see cargo xtask import --help)")?;
    let source = workspace_relative(root, Path::new(&input))?;
    let specs = crate::codegen::read_specs(&root.join("specs"))?;
    let files = DiskFiles { root: root.to_owned() };
    let request = Request { source: &source, operations, module, specs: &specs };
    let imported = import(&files, &request)?;
    let mut report = Vec::new();
    let target_name = format!("specs/{}.yaml", imported.module);
    let mut sources: Vec<SpecSource> = specs
        .into_iter()
        .filter(|s| Some(&s.name) != imported.replaces.as_ref() && s.name != target_name)
        .collect();
    sources.push(SpecSource { name: target_name.clone(), text: imported.text.clone() });
    let check = match api_codegen::generate_files(&sources) {
        Ok(_) => Ok(()),
        Err(errors) => Err(errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n")),
    };
    report.push(format!(
        "import: {} from {source}: {} TODO(import) comment{}",
        imported.module,
        imported.todos.len(),
        if imported.todos.len() == 1 { "" } else { "s" }
    ));
    if let Some(replaced) = &imported.replaces {
        report.push(format!("  compared with {replaced}, which it would replace"));
    }
    match &check {
        Ok(()) => {
            report.push(format!("  passes codegen's checks as {target_name} with the other specs"))
        }
        Err(errors) => report
            .push(format!("  does not pass codegen's checks yet, as {target_name}:\n{errors}")),
    }
    let text = match out {
        Some(out) => {
            let path = Path::new(&out);
            if path.exists() && !force {
                return Err(format!("import: {out} exists; add --force to overwrite it"));
            }
            fs::write(path, &imported.text)
                .map_err(|e| format!("import: cannot write {out}: {e}"))?;
            report.push(format!("  written to {out}"));
            report.join("\n")
        }
        None => {
            eprintln!("{}", report.join("\n"));
            print!("{}", imported.text);
            String::new()
        }
    };
    match check {
        Ok(()) => Ok(text),
        Err(_) => Err(text),
    }
}

/// `path` (absolute, or relative to the current directory) relative to the workspace root,
/// `/`-separated, with `..` where it lies outside it.
pub fn workspace_relative(root: &Path, path: &Path) -> Result<String, String> {
    let absolute = fs::canonicalize(path)
        .map_err(|e| format!("import: cannot read {}: {e}", path.display()))?;
    if !absolute.is_file() {
        return Err(format!("import: {} is not a file", path.display()));
    }
    let root = fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let a: Vec<_> = absolute.components().collect();
    let r: Vec<_> = root.components().collect();
    let common = a.iter().zip(&r).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); r.len() - common];
    parts.extend(a[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    Ok(parts.join("/"))
}

struct Importer<'d, 'f> {
    docs: &'d Documents<'f>,
    source: String,
    /// Definitions of other specs: name → (module, file).
    elsewhere: HashMap<String, (String, String)>,
    /// Spec names given to OpenAPI definitions.
    names: BTreeMap<DefRef, String>,
    /// Spec names in use in this spec.
    taken: BTreeSet<String>,
    /// Definitions to write, in the order they were reached.
    queue: VecDeque<DefRef>,
    definitions: Vec<Definition>,
    imports: BTreeSet<String>,
    /// Definitions of other specs used here: name → file.
    reused: BTreeMap<String, String>,
    /// Enums that became the discriminator of a union.
    absorbed: BTreeSet<DefRef>,
    /// Type names the generator derives (options, headers, clients) → what derives them.
    reserved: BTreeMap<String, String>,
    /// Differences the import makes itself, with their reasons.
    deliberate: Vec<(String, Vec<String>)>,
}

impl Importer<'_, '_> {
    fn build(
        &mut self,
        doc: &Value,
        module: &str,
        only: Option<&[String]>,
    ) -> Result<Spec, String> {
        let info = doc.get("info").cloned().unwrap_or(Value::Null);
        let title = info.get("title").and_then(Value::as_str).unwrap_or(module).to_owned();
        let version = info.get("version").and_then(Value::as_str).unwrap_or("").to_owned();
        let mut all = openapi::operations(self.docs, &self.source)?;
        if let Some(only) = only {
            let unknown: Vec<&String> =
                only.iter().filter(|id| !all.iter().any(|o| &o.id == *id)).collect();
            if !unknown.is_empty() {
                let known: Vec<&str> = all.iter().map(|o| o.id.as_str()).collect();
                return Err(format!(
                    "{}: no operation {} (it has: {})",
                    self.source,
                    unknown.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", "),
                    known.join(", ")
                ));
            }
            all.retain(|o| only.contains(&o.id));
        }
        let mut spec = Spec {
            header: vec![
                format!("Imported by `cargo xtask import` from {} ({title}, api-version {version}).", self.source),
                format!("Review every `# {}` comment; `cargo xtask drift` lists what still differs from the OpenAPI file.", TODO.trim_end()),
            ],
            module: module.to_owned(),
            description: info
                .get("description")
                .and_then(Value::as_str)
                .filter(|d| !d.trim().is_empty())
                .unwrap_or(&title)
                .trim()
                .to_owned(),
            source: self.source.clone(),
            ..Spec::default()
        };
        if !all.is_empty() {
            let clients = self.clients(doc, &title, &version, module, &all);
            for (op, client) in all.iter().zip(&clients.1) {
                let op_name = names::operation_name(&op.id, &op.path);
                for suffix in ["Options", "Headers"] {
                    if let Ok(n) = api_codegen::names::derived_type_name(&op_name, suffix) {
                        self.reserved.insert(
                            n,
                            format!("the {suffix} of operation `{op_name}`")
                                .replace("the Options", "the options struct")
                                .replace("the Headers", "the response headers trait"),
                        );
                    }
                }
                let _ = client;
            }
            for c in &clients.0 {
                self.reserved.insert(c.name.clone(), format!("client `{}`", c.name));
                self.reserved.insert(
                    format!("{}Options", c.name),
                    format!("the options of client `{}`", c.name),
                );
            }
            let several = clients.0.len() > 1;
            for (op, client) in all.iter().zip(&clients.1) {
                let scope = clients
                    .0
                    .iter()
                    .find(|c| &c.name == client)
                    .map(|c| c.scope.clone())
                    .unwrap_or_default();
                let built = self.operation(doc, op, several.then(|| client.clone()), &scope)?;
                spec.operations.push(built);
            }
            spec.clients = clients.0;
        }
        // Reached from operations first, in order; then, importing everything, the rest of
        // the file's definitions (callback events, say).
        self.drain()?;
        if only.is_none() {
            let from_reused = self.reached_from_reused()?;
            let mut rest = Vec::new();
            for name in self.docs.definition_names(&self.source)? {
                let def = self.docs.canonical(&DefRef { file: self.source.clone(), name })?;
                if !self.names.contains_key(&def)
                    && !self.absorbed.contains(&def)
                    && !from_reused.contains(&def)
                    && !self.elsewhere.contains_key(&def.name)
                    && def.file == self.source
                {
                    rest.push(def);
                }
            }
            let before = self.definitions.len();
            for def in rest {
                self.name_of(&def);
            }
            self.drain()?;
            if let Some(first) = self.definitions.get_mut(before) {
                if !spec.operations.is_empty() {
                    first.comments.insert(0, "---- Not reached from any operation ----".to_owned());
                }
            }
        }
        spec.definitions = std::mem::take(&mut self.definitions);
        spec.imports = self.imports.iter().cloned().collect();
        spec.reused = self.reused.clone();
        spec.deliberate = std::mem::take(&mut self.deliberate);
        Ok(spec)
    }

    /// Clients, and the client of each operation. One top-level client; a group of operations
    /// (the `Group_` of their operationIds) whose every path starts under `{groupId}` gets a
    /// client scoped to that id, as chat's `ChatThread_*` operations under `{chatThreadId}`.
    fn clients(
        &self,
        doc: &Value,
        title: &str,
        version: &str,
        module: &str,
        ops: &[OperationView],
    ) -> (Vec<Client>, Vec<String>) {
        let top = names::client_name(title, module);
        // A title that is a client name (`EmailClient`) does not describe the service; the
        // description (`Azure Communication Email Service`) does.
        let service =
            match doc.get("info").and_then(|i| i.get("description")).and_then(Value::as_str) {
                Some(d) if title == top && !d.trim().is_empty() => d.trim(),
                _ => title,
            };
        let auth = auth(doc);
        let mut clients = vec![Client {
            comments: Vec::new(),
            name: top.clone(),
            description: format!("The client for the {}.", service.trim_end_matches('.')),
            api_version: Some(version.to_owned()),
            auth,
            parent: None,
            scope: Vec::new(),
        }];
        let mut groups: Vec<String> = Vec::new();
        for op in ops {
            if let Some((g, _)) = op.id.split_once('_') {
                if !groups.iter().any(|x| x == g) {
                    groups.push(g.to_owned());
                }
            }
        }
        let mut of_op: Vec<String> = vec![top.clone(); ops.len()];
        for group in groups {
            let wanted = names::scope_parameter(&group);
            let members: Vec<usize> = ops
                .iter()
                .enumerate()
                .filter(|(_, o)| o.id.split_once('_').is_some_and(|(g, _)| g == group))
                .map(|(i, _)| i)
                .collect();
            let scoped = members.iter().all(|&i| {
                names::first_path_parameter(&ops[i].path)
                    .is_some_and(|p| p.eq_ignore_ascii_case(&wanted))
            });
            if !scoped {
                continue;
            }
            let op = &ops[members[0]];
            let Some(wire) = names::first_path_parameter(&op.path) else { continue };
            let ty = op
                .parameters
                .iter()
                .find(|(_, p)| p.get("name").and_then(Value::as_str) == Some(wire.as_str()))
                .and_then(|(f, p)| self.docs.shape(f, p).ok())
                .map(|(s, _)| s.spec_type(&|d| d.name.clone()))
                .filter(|t| is_scalar_type(t))
                .unwrap_or_else(|| "string".to_owned());
            let name = names::scoped_client_name(&group);
            if name == top {
                continue;
            }
            let noun = names::words(&names::singular_words(&group)).join(" ").to_lowercase();
            clients.push(Client {
                comments: Vec::new(),
                name: name.clone(),
                description: format!("The client for the operations on one {noun}."),
                api_version: None,
                auth: Vec::new(),
                parent: Some(top.clone()),
                scope: vec![Parameter {
                    comments: Vec::new(),
                    name: wire.clone(),
                    location: None,
                    ty,
                    required: false,
                    description: format!("The id of the {noun}."),
                }],
            });
            for i in members {
                of_op[i] = name.clone();
            }
        }
        (clients, of_op)
    }

    fn operation(
        &mut self,
        doc: &Value,
        op: &OperationView,
        client: Option<String>,
        scope: &[Parameter],
    ) -> Result<Operation, String> {
        let name = names::operation_name(&op.id, &op.path);
        let o = &op.operation;
        let mut out = Operation {
            name,
            client,
            method: op.method.clone(),
            path: op.path.clone(),
            ..Operation::default()
        };
        out.comments.push(format!("operationId {}", op.id));
        let summary =
            o.get("summary").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let description =
            o.get("description").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        out.description = match (summary, description) {
            (Some(s), Some(d)) if s != d => format!("{} {d}", sentence(s)),
            (Some(s), _) => sentence(s),
            (None, Some(d)) => sentence(d),
            (None, None) => sentence(&names::words(&out.name).join(" ")),
        };
        for key in o.keys() {
            if !matches!(
                key.as_str(),
                "tags"
                    | "summary"
                    | "description"
                    | "operationId"
                    | "consumes"
                    | "produces"
                    | "parameters"
                    | "responses"
                    | "x-ms-examples"
                    | "x-ms-pageable"
                    | "x-ms-long-running-operation"
                    | "x-ms-long-running-operation-options"
            ) {
                out.comments.push(format!("{TODO}the OpenAPI key '{key}' is not carried over"));
            }
        }
        let long_running =
            o.get("x-ms-long-running-operation").and_then(Value::as_bool) == Some(true);
        let final_state_via = o
            .get("x-ms-long-running-operation-options")
            .and_then(|x| x.get("final-state-via"))
            .and_then(Value::as_str);
        // Whether a success body is a status monitor: a definition with a `status` property.
        let mut status_monitor = false;
        // Parameters.
        let repeatability = openapi::repeatability(&op.parameters);
        if repeatability != "none" {
            out.repeatability = Some(repeatability.to_owned());
        }
        for (file, p) in &op.parameters {
            let wire = p.get("name").and_then(Value::as_str).unwrap_or("").to_owned();
            let location = p.get("in").and_then(Value::as_str).unwrap_or("");
            if openapi::is_api_version(p) || location == "body" {
                continue;
            }
            if openapi::is_runtime_header(p) {
                if wire.eq_ignore_ascii_case("x-ms-client-request-id") {
                    out.comments.push(format!(
                        "{NOTE}the {wire} header is set by the client runtime on every call"
                    ));
                }
                continue;
            }
            if location == "path" && scope.iter().any(|s| s.name == wire) {
                continue;
            }
            if p.get("x-ms-parameter-location").and_then(Value::as_str) == Some("client")
                && location == "path"
            {
                continue;
            }
            let mut comments = Vec::new();
            if !matches!(location, "path" | "query" | "header") {
                out.comments.push(format!(
                    "{TODO}the {location} parameter '{wire}' cannot be expressed; it is left out"
                ));
                continue;
            }
            let (shape, notes) = self.docs.shape(file, p)?;
            comments.extend(notes.into_iter().map(|n| format!("{NOTE}{n}")));
            comments.extend(extra_keys(p, PARAMETER_KEYS));
            let ty = match &shape {
                Shape::InlineEnum(e) => {
                    let def_name = e
                        .name
                        .clone()
                        .unwrap_or_else(|| names::pascal(&format!("{}_{}", out.name, wire)));
                    self.inline_enum(&def_name, e, p.get("description").and_then(Value::as_str))
                }
                other => self.type_text(other, &mut comments),
            };
            if !is_scalar_type(&ty) && !self.is_enum_name(&ty) {
                out.comments.push(format!("{TODO}the {location} parameter '{wire}' has type {ty}; parameters must be scalars, so it is left out"));
                continue;
            }
            let description =
                p.get("description").and_then(Value::as_str).map(sentence).unwrap_or_else(|| {
                    format!("The {}.", names::words(&wire).join(" ").to_lowercase())
                });
            out.parameters.push(Parameter {
                comments,
                name: wire,
                location: Some(location.to_owned()),
                ty,
                required: location != "path"
                    && p.get("required").and_then(Value::as_bool) == Some(true),
                description,
            });
        }
        if let Some((file, p)) = op.body() {
            let mut comments = Vec::new();
            let schema = p.get("schema").cloned().unwrap_or(Value::Null);
            let (shape, notes) = self.docs.shape(file, &schema)?;
            comments.extend(notes.into_iter().map(|n| format!("{NOTE}{n}")));
            let ty = match &shape {
                Shape::InlineObject(f, s) => {
                    let def_name = names::pascal(&format!("{}_request", out.name));
                    comments.push(format!(
                        "{NOTE}the body schema is written in place; named {def_name} here"
                    ));
                    self.inline_object(&def_name, f, s)
                }
                other => self.type_text(other, &mut comments),
            };
            let consumes = op.consumes(doc);
            let json = consumes.is_empty() || consumes.iter().any(|c| c == "application/json");
            let merge = consumes.iter().any(|c| c == "application/merge-patch+json");
            let content_type = if merge && !json {
                Some("application/merge-patch+json".to_owned())
            } else {
                if merge {
                    comments.push(format!("{NOTE}the OpenAPI also accepts application/merge-patch+json; sent as application/json"));
                }
                for c in &consumes {
                    if c != "application/json" && c != "application/merge-patch+json" {
                        comments.push(format!(
                            "{TODO}the OpenAPI also accepts {c}, which the spec format cannot send"
                        ));
                    }
                }
                None
            };
            let wire = p.get("name").and_then(Value::as_str).unwrap_or("body").to_owned();
            let parameter = (wire != api_codegen::names::lower_camel(&ty)).then_some(wire);
            if p.get("required").and_then(Value::as_bool) != Some(true) {
                comments.push(format!(
                    "{TODO}the OpenAPI marks this body optional; a spec body is always sent"
                ));
            }
            comments.extend(extra_keys(
                p,
                &[
                    "in",
                    "name",
                    "description",
                    "required",
                    "schema",
                    "x-ms-client-name",
                    "x-ms-parameter-location",
                ],
            ));
            if let Some(n) = p.get("x-ms-client-name").and_then(Value::as_str) {
                comments.push(format!("{NOTE}x-ms-client-name {n}"));
            }
            out.body = Some(Body {
                comments,
                ty,
                description: p
                    .get("description")
                    .and_then(Value::as_str)
                    .map(sentence)
                    .unwrap_or_else(|| "The request body.".to_owned()),
                content_type,
                parameter,
            });
        }
        if let Some(pageable) = o.get("x-ms-pageable") {
            match pageable.get("nextLinkName") {
                Some(Value::String(next)) => {
                    let items = pageable.get("itemName").and_then(Value::as_str).unwrap_or("value");
                    out.paging = Some((items.to_owned(), next.clone()));
                }
                _ => out.comments.push(format!(
                    "{NOTE}x-ms-pageable without a nextLinkName: one page, so no paging"
                )),
            }
            if pageable.get("operationName").is_some() {
                out.comments.push(format!("{TODO}x-ms-pageable names an operation for the next pages; the pager follows the next link with GET"));
            }
        }
        // Responses.
        let responses = o.get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut bodies: BTreeSet<Option<String>> = BTreeSet::new();
        for (status, r) in &responses {
            let (rfile, r) = match r.get("$ref").and_then(Value::as_str) {
                Some(reference) => self.docs.follow(&self.source, reference)?,
                None => (self.source.clone(), r.clone()),
            };
            let code: Option<u16> = status.parse().ok();
            let success = code.is_some_and(|c| (200..300).contains(&c));
            if !success {
                if let Some(schema) = r.get("schema") {
                    let mut sink = Vec::new();
                    let (shape, _) = self.docs.shape(&rfile, schema)?;
                    let ty = self.type_text(&shape, &mut sink);
                    if !errors.iter().any(|(t, _)| *t == ty) {
                        errors.push((ty, status.clone()));
                    }
                }
                continue;
            }
            if let Some(reference) =
                r.get("schema").and_then(|s| s.get("$ref")).and_then(Value::as_str)
            {
                let (_, definition) = self.docs.follow(&rfile, reference)?;
                status_monitor |= definition.pointer("/properties/status").is_some();
            }
            let mut comments = Vec::new();
            let body = match r.get("schema") {
                Some(schema) => {
                    let (shape, notes) = self.docs.shape(&rfile, schema)?;
                    comments.extend(notes.into_iter().map(|n| format!("{NOTE}{n}")));
                    Some(match &shape {
                        Shape::InlineObject(f, s) => {
                            let def_name = names::pascal(&format!("{}_response", out.name));
                            comments.push(format!("{NOTE}the response schema is written in place; named {def_name} here"));
                            self.inline_object(&def_name, f, s)
                        }
                        other => self.type_text(other, &mut comments),
                    })
                }
                None => None,
            };
            bodies.insert(body.clone());
            let mut headers = Vec::new();
            for (h, hs) in r.get("headers").and_then(Value::as_object).into_iter().flatten() {
                let mut hc = Vec::new();
                let (shape, notes) = self.docs.shape(&rfile, hs)?;
                hc.extend(notes.into_iter().map(|n| format!("{NOTE}{n}")));
                let ty = match &shape {
                    Shape::InlineEnum(e) => {
                        let def_name = e.name.clone().unwrap_or_else(|| names::pascal(h));
                        self.inline_enum(
                            &def_name,
                            e,
                            hs.get("description").and_then(Value::as_str),
                        )
                    }
                    other => self.type_text(other, &mut hc),
                };
                if !is_scalar_type(&ty) && !self.is_enum_name(&ty) {
                    comments.push(format!("{TODO}the header '{h}' has type {ty}; headers must be scalars, so it is left out"));
                    continue;
                }
                headers.push(ResponseHeader {
                    comments: hc,
                    name: h.to_string(),
                    ty,
                    description: hs
                        .get("description")
                        .and_then(Value::as_str)
                        .map(sentence)
                        .unwrap_or_else(|| format!("The {h} header.")),
                });
            }
            comments.extend(extra_keys(
                &r,
                &["description", "schema", "headers", "examples", "x-ms-error-response"],
            ));
            out.responses.push(Response {
                comments,
                status: code.unwrap_or(200),
                description: r
                    .get("description")
                    .and_then(Value::as_str)
                    .map(sentence)
                    .unwrap_or_else(|| "Success.".to_owned()),
                body,
                headers,
            });
        }
        if bodies.len() > 1 {
            out.comments.push(format!("{TODO}the success responses have different bodies; a spec operation has one body type for all"));
        }
        if long_running {
            let via =
                final_state_via.map(|v| format!(" (final state via {v})")).unwrap_or_default();
            let status_monitor_protocol = matches!(
                final_state_via,
                None | Some("azure-async-operation" | "operation-location")
            );
            if status_monitor_protocol
                && status_monitor
                && bodies.len() == 1
                && out.paging.is_none()
            {
                out.long_running = true;
                out.comments.push(format!("{NOTE}long-running operation{via}: polled at Operation-Location until `status` is Succeeded, Failed or Canceled; list other terminal statuses under long-running if the service has them"));
            } else {
                out.comments.push(format!("{TODO}long-running operation{via} whose success body is not a status monitor with a `status` property; it is a plain call that returns the first response until 'long-running' describes it"));
            }
        }
        if out.responses.is_empty() {
            out.comments.push(format!(
                "{TODO}the OpenAPI documents no success response; 200 without a body is assumed"
            ));
            out.responses.push(Response {
                status: 200,
                description: "Success.".to_owned(),
                ..Response::default()
            });
        }
        match errors.as_slice() {
            [] => {
                out.comments.push(format!(
                    "{TODO}the OpenAPI documents no error body; errors are read as any JSON"
                ));
                out.error = "json".to_owned();
            }
            [(only, _)] => out.error = only.clone(),
            [(first, _), rest @ ..] => {
                out.error = first.clone();
                for (ty, status) in rest {
                    out.comments.push(format!("{TODO}the {status} response has the body {ty}; every error is read as {first}"));
                }
            }
        }
        // Examples.
        for (title, e) in o.get("x-ms-examples").and_then(Value::as_object).into_iter().flatten() {
            let Some(reference) = e.get("$ref").and_then(Value::as_str) else {
                out.comments.push(format!("{NOTE}the example '{title}' is written in place; only example files are referenced"));
                continue;
            };
            let path = openapi::join(openapi::parent(&self.source), reference);
            if self.docs.files().read(&path).is_some() {
                out.examples.push(Example {
                    comments: Vec::new(),
                    title: title.clone(),
                    file: path,
                });
            } else {
                out.comments.push(format!("{NOTE}the example file {reference} ('{title}') is not here, so it is not referenced"));
            }
        }
        Ok(out)
    }

    /// The spec type of a shape, queueing the definitions it names.
    fn type_text(&mut self, shape: &Shape, comments: &mut Vec<String>) -> String {
        match shape {
            Shape::Scalar(s) => (*s).to_owned(),
            Shape::Def(d) => match self.docs.definition(d) {
                Ok(schema) if !is_nameable(&schema) => {
                    // A definition that is an array, a map or a scalar has no spec definition;
                    // its type is written where it is used.
                    match self.docs.shape(&d.file, &schema) {
                        Ok((inner, notes)) if inner != Shape::Def(d.clone()) => {
                            comments.push(format!(
                                "{NOTE}'{}' is {} in the OpenAPI, written in place here",
                                d.name,
                                describe_schema(&schema)
                            ));
                            comments.extend(notes.into_iter().map(|n| format!("{NOTE}{n}")));
                            self.type_text(&inner, comments)
                        }
                        _ => "json".to_owned(),
                    }
                }
                _ => self.name_of(d),
            },
            Shape::List(item) => format!("list<{}>", self.type_text(item, comments)),
            Shape::Map(value) => format!("map<string, {}>", self.type_text(value, comments)),
            Shape::InlineEnum(e) => match &e.name {
                Some(n) => self.inline_enum(n, e, None),
                None => {
                    comments.push(format!(
                        "{TODO}an enum without an x-ms-enum name ({}); read as a string",
                        e.values.join(", ")
                    ));
                    "string".to_owned()
                }
            },
            Shape::InlineObject(..) => {
                comments.push(format!("{TODO}an object written in place; read as any JSON"));
                "json".to_owned()
            }
        }
    }

    fn is_enum_name(&self, ty: &str) -> bool {
        self.definitions.iter().any(|d| d.name == ty && matches!(d.kind, DefKind::Enum { .. }))
            || self.names.iter().any(|(d, n)| {
                n == ty && self.docs.definition(d).is_ok_and(|s| s.get("enum").is_some())
            })
    }

    /// The spec name of a definition; the first time, queues it to be written (or notes it as
    /// defined by another spec).
    fn name_of(&mut self, def: &DefRef) -> String {
        let def = self.docs.canonical(def).unwrap_or_else(|_| def.clone());
        if let Some(n) = self.names.get(&def) {
            return n.clone();
        }
        if let Some((module, file)) = self.elsewhere.get(&def.name) {
            if !module.is_empty() {
                self.imports.insert(module.clone());
            }
            self.reused.insert(def.name.clone(), file.clone());
            self.names.insert(def.clone(), def.name.clone());
            return def.name.clone();
        }
        let mut name = names::pascal_keep(&def.name);
        if self.reserved.contains_key(&name) || self.taken.contains(&name) {
            let mut candidate = format!("{name}Internal");
            let mut n = 2;
            while self.taken.contains(&candidate) || self.reserved.contains_key(&candidate) {
                candidate = format!("{name}Internal{n}");
                n += 1;
            }
            name = candidate;
        }
        self.taken.insert(name.clone());
        self.names.insert(def.clone(), name.clone());
        self.queue.push_back(def);
        name
    }

    fn drain(&mut self) -> Result<(), String> {
        while let Some(def) = self.queue.pop_front() {
            let name = self.names[&def].clone();
            let schema = self.docs.definition(&def)?;
            let built = self.definition(&def.file, &def.name, &name, &schema)?;
            self.definitions.push(built);
        }
        Ok(())
    }

    /// Definitions reachable only through definitions of other specs (the identifier kinds of
    /// a file's own copy of the common types); they are not imported.
    fn reached_from_reused(&self) -> Result<BTreeSet<DefRef>, String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<DefRef> = Vec::new();
        for name in self.docs.definition_names(&self.source)? {
            if self.elsewhere.contains_key(&name) {
                stack.push(self.docs.canonical(&DefRef { file: self.source.clone(), name })?);
            }
        }
        while let Some(def) = stack.pop() {
            if !seen.insert(def.clone()) {
                continue;
            }
            let schema = self.docs.definition(&def)?;
            let mut refs = Vec::new();
            collect_refs(&schema, &mut refs);
            for r in refs {
                if let Ok(Some(d)) = self.docs.def_ref(&def.file, &r) {
                    if !self.names.contains_key(&d) {
                        stack.push(d);
                    }
                }
            }
        }
        Ok(seen)
    }

    fn inline_enum(&mut self, name: &str, e: &EnumInfo, description: Option<&str>) -> String {
        let name = names::pascal_keep(name);
        if self.elsewhere.contains_key(&name) {
            let (module, file) = self.elsewhere[&name].clone();
            self.imports.insert(module);
            self.reused.insert(name.clone(), file);
            return name;
        }
        if self.definitions.iter().any(|d| d.name == name) || self.taken.contains(&name) {
            return name;
        }
        self.taken.insert(name.clone());
        let definition = enum_definition(&name, description, e, Vec::new());
        self.definitions.push(definition);
        name
    }

    fn inline_object(&mut self, name: &str, file: &str, schema: &Value) -> String {
        let mut name = names::pascal_keep(name);
        while self.taken.contains(&name) || self.reserved.contains_key(&name) {
            name.push_str("Internal");
        }
        self.taken.insert(name.clone());
        match self.definition(file, &name, &name, schema) {
            Ok(mut d) => {
                d.comments.push(format!("{NOTE}written in place in the OpenAPI; named here"));
                self.definitions.push(d);
            }
            Err(e) => {
                let mut d = Definition {
                    name: name.clone(),
                    description: format!("{}.", names::words(&name).join(" ")),
                    kind: DefKind::Object { extends: None, properties: Vec::new(), union: None },
                    comments: Vec::new(),
                };
                d.comments.push(format!("{TODO}{e}"));
                self.definitions.push(d);
            }
        }
        name
    }

    fn definition(
        &mut self,
        file: &str,
        openapi_name: &str,
        name: &str,
        schema: &Value,
    ) -> Result<Definition, String> {
        let mut comments = Vec::new();
        if name != openapi_name {
            let why = self
                .reserved
                .get(openapi_name)
                .map(|w| format!(", which is the name of {w}"))
                .unwrap_or_else(|| ", a name already taken here".to_owned());
            comments.push(format!("The OpenAPI calls this `{openapi_name}`{why}."));
            self.deliberate.push((
                format!("The OpenAPI calls this `{openapi_name}`{why}; renamed by the import."),
                vec![format!("definitions.{name}")],
            ));
        }
        let description = schema
            .get("description")
            .and_then(Value::as_str)
            .map(sentence)
            .unwrap_or_else(|| sentence(&names::words(name).join(" ")));
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let info = openapi::enum_info(schema, values);
            if schema.get("type").and_then(Value::as_str).is_some_and(|t| t != "string") {
                comments.push(format!(
                    "{TODO}an enum of {} values; the spec's enums are strings",
                    schema["type"]
                ));
            }
            comments.extend(extra_keys(
                schema,
                &["type", "description", "enum", "x-ms-enum", "title", "example"],
            ));
            let d = enum_definition(name, Some(&description), &info, comments);
            return Ok(d);
        }
        comments.extend(extra_keys(schema, DEFINITION_KEYS));
        if schema.get("discriminator").is_some() {
            comments.push(format!("{TODO}discriminator '{}' (OpenAPI polymorphism: the subtypes' properties sit beside it) cannot be a spec union, whose variants are payload properties; only the base properties are imported", schema["discriminator"].as_str().unwrap_or("?")));
        }
        if schema.get("x-ms-discriminator-value").is_some() {
            comments.push(format!(
                "{TODO}x-ms-discriminator-value {}: this is a subtype of a polymorphic base",
                schema["x-ms-discriminator-value"]
            ));
        }
        if let Some(Value::Object(a)) = schema.get("additionalProperties") {
            let _ = a;
            comments.push(format!("{TODO}additionalProperties beside properties: the other keys of the object are not kept"));
        }
        let mut extends = None;
        let mut own: Vec<(String, Value)> = Vec::new();
        for base in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            match base.get("$ref").and_then(Value::as_str) {
                Some(r) => match self.docs.def_ref(file, r)? {
                    Some(d) if extends.is_none() => extends = Some(self.name_of(&d)),
                    Some(d) => comments.push(format!(
                        "{TODO}allOf has a second base, '{}'; a spec object extends one definition",
                        d.name
                    )),
                    None => comments.push(format!("{TODO}allOf entry '{r}' is not a definition")),
                },
                None => {
                    for (k, v) in
                        base.get("properties").and_then(Value::as_object).into_iter().flatten()
                    {
                        own.push((k.clone(), v.clone()));
                    }
                }
            }
        }
        for (k, v) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            own.push((k.clone(), v.clone()));
        }
        let mut required: BTreeSet<String> = BTreeSet::new();
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(r) = r.as_str() {
                required.insert(r.to_owned());
            }
        }
        for base in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            for r in base.get("required").and_then(Value::as_array).into_iter().flatten() {
                if let Some(r) = r.as_str() {
                    required.insert(r.to_owned());
                }
            }
        }
        let union = self.union_of(file, name, &own, &required, &mut comments)?;
        let mut properties = Vec::new();
        for (pname, p) in &own {
            if union.as_ref().is_some_and(|u| {
                u.discriminator == *pname || u.variants.iter().any(|v| v.property == *pname)
            }) {
                continue;
            }
            properties.push(self.property(file, name, pname, p, required.contains(pname))?);
        }
        for r in &required {
            if !own.iter().any(|(n, _)| n == r) && extends.is_none() {
                comments.push(format!("{TODO}'{r}' is listed as required but is not a property"));
            }
        }
        Ok(Definition {
            comments,
            name: name.to_owned(),
            description,
            kind: DefKind::Object { extends, properties, union },
        })
    }

    fn property(
        &mut self,
        file: &str,
        owner: &str,
        name: &str,
        p: &Value,
        required: bool,
    ) -> Result<Property, String> {
        let mut comments = Vec::new();
        let (shape, notes) = self.docs.shape(file, p)?;
        comments.extend(notes.into_iter().map(|n| format!("{NOTE}{n}")));
        let ty = match &shape {
            Shape::InlineEnum(e) => {
                let def_name =
                    e.name.clone().unwrap_or_else(|| format!("{owner}{}", names::pascal(name)));
                self.inline_enum(&def_name, e, p.get("description").and_then(Value::as_str))
            }
            Shape::InlineObject(f, s) => {
                let def_name = format!("{owner}{}", names::pascal(name));
                self.inline_object(&def_name, f, s)
            }
            Shape::List(item) if matches!(**item, Shape::InlineObject(..)) => {
                let Shape::InlineObject(f, s) = &**item else { unreachable!() };
                let def_name = format!("{owner}{}Item", names::pascal(name));
                format!("list<{}>", self.inline_object(&def_name, f, s))
            }
            other => self.type_text(other, &mut comments),
        };
        comments.extend(property_notes(p));
        let description =
            match p.get("description").and_then(Value::as_str).filter(|d| !d.trim().is_empty()) {
                Some(d) => sentence(d),
                None => match &shape {
                    Shape::Def(d) => self
                        .docs
                        .definition(d)
                        .ok()
                        .and_then(|s| s.get("description").and_then(Value::as_str).map(sentence))
                        .unwrap_or_else(|| sentence(&names::words(name).join(" "))),
                    _ => sentence(&names::words(name).join(" ")),
                },
            };
        Ok(Property { comments, name: name.to_owned(), ty, required, description })
    }

    /// A kind-tagged object: a property whose enum values each name a sibling property
    /// (`kind: communicationUser` ↔ `communicationUser`, `sourceType: file` ↔ `fileSource`,
    /// `kind: groupCallLocator` ↔ `groupCallId`). A union reads its discriminator as optional, so
    /// an object whose discriminator is required stays as it is, with a note.
    fn union_of(
        &mut self,
        file: &str,
        owner: &str,
        own: &[(String, Value)],
        required: &BTreeSet<String>,
        comments: &mut Vec<String>,
    ) -> Result<Option<Union>, String> {
        for (d, schema) in own {
            let Some(info) = self.docs.enum_of(file, schema)? else { continue };
            let values: Vec<&String> =
                info.values.iter().filter(|v| v.as_str() != "unknown").collect();
            if values.is_empty() {
                continue;
            }
            let mut variants = Vec::new();
            let mut used = BTreeSet::new();
            for v in &values {
                let stem = names::stem(v);
                let candidates: Vec<&(String, Value)> = own
                    .iter()
                    .filter(|(n, _)| n != d && !used.contains(n))
                    .filter(|(n, _)| {
                        n == *v
                            || n.starts_with(v.as_str())
                            || (!stem.is_empty() && n.starts_with(&stem))
                    })
                    .collect();
                let [(pname, pschema)] = candidates.as_slice() else { break };
                used.insert(pname.clone());
                variants.push((v.to_string(), pname.clone(), pschema.clone()));
            }
            if variants.len() != values.len() {
                continue;
            }
            if required.contains(d) {
                comments.push(format!("{NOTE}`{d}` names which of {} is set, so this could be a `union`, but the OpenAPI requires `{d}` and a union reads its discriminator as optional", variants.iter().map(|v| format!("`{}`", v.1)).collect::<Vec<_>>().join(", ")));
                return Ok(None);
            }
            if variants.iter().any(|(_, p, _)| required.contains(p)) {
                continue;
            }
            if let Shape::Def(e) = self.docs.shape(file, schema)?.0 {
                self.absorbed.insert(e);
            }
            let mut out = Vec::new();
            for (value, property, pschema) in variants {
                let mut sink = Vec::new();
                let prop = self.property(file, owner, &property, &pschema, false)?;
                sink.extend(prop.comments);
                comments.extend(sink.into_iter().map(|c| format!("{property}: {c}")));
                out.push(Variant { value, property, ty: prop.ty, description: prop.description });
            }
            comments.push(format!("{NOTE}`{d}` (the enum {}) names which payload property is set, so this is a `union`", info.name.clone().unwrap_or_else(|| "written in place".to_owned())));
            return Ok(Some(Union { discriminator: d.clone(), variants: out }));
        }
        Ok(None)
    }
}

const PARAMETER_KEYS: &[&str] = &[
    "in",
    "name",
    "description",
    "required",
    "type",
    "format",
    "enum",
    "x-ms-enum",
    "items",
    "x-ms-parameter-location",
    "x-ms-client-name",
    "x-ms-skip-url-encoding",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
];

const DEFINITION_KEYS: &[&str] = &[
    "type",
    "description",
    "properties",
    "required",
    "allOf",
    "title",
    "example",
    "discriminator",
    "x-ms-discriminator-value",
    "additionalProperties",
    "x-ms-client-name",
];

/// Keys of an OpenAPI object the import does not know, as TODO comments.
fn extra_keys(v: &Value, known: &[&str]) -> Vec<String> {
    v.as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, _)| format!("{TODO}the OpenAPI key '{k}' is not carried over"))
        .collect()
}

/// What a property's schema says that the spec has no key for.
fn property_notes(p: &Value) -> Vec<String> {
    let mut notes = Vec::new();
    let mut todos = Vec::new();
    for (k, v) in p.as_object().into_iter().flatten() {
        match k.as_str() {
            "type"
            | "format"
            | "description"
            | "$ref"
            | "items"
            | "enum"
            | "x-ms-enum"
            | "additionalProperties"
            | "properties"
            | "required"
            | "allOf"
            | "example"
            | "title"
            | "x-ms-identifiers" => {}
            "readOnly" if v == &Value::Bool(true) => notes.push("read-only".to_owned()),
            "readOnly" => {}
            "x-ms-client-name" => notes.push(format!("x-ms-client-name {}", value_text(v))),
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "minLength"
            | "maxLength" | "pattern" | "minItems" | "maxItems" | "uniqueItems" | "default"
            | "x-nullable" | "x-ms-mutability" | "x-ms-secret" => {
                notes.push(format!("{k} {}", value_text(v)))
            }
            other => todos.push(format!("{TODO}the OpenAPI key '{other}' is not carried over")),
        }
    }
    let mut out = Vec::new();
    if !notes.is_empty() {
        out.push(format!("{NOTE}{}", notes.join("; ")));
    }
    out.extend(todos);
    out
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                out.push(r.to_owned());
            }
            for x in o.values() {
                collect_refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

/// Whether a definition can be a spec definition (an object or a string enum).
fn is_nameable(schema: &Value) -> bool {
    if schema.get("enum").is_some() {
        return true;
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None => {
            schema.get("properties").is_some()
                || schema.get("allOf").is_some()
                || schema.get("additionalProperties").is_none()
        }
        _ => false,
    }
}

fn describe_schema(schema: &Value) -> String {
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => "an array".to_owned(),
        Some("object") => "a map".to_owned(),
        Some(t) => format!("a {t}"),
        None => "untyped".to_owned(),
    }
}

/// Whether a spec type is a scalar (what parameters and headers may be).
pub fn is_scalar_type(ty: &str) -> bool {
    matches!(
        ty,
        "string"
            | "boolean"
            | "int32"
            | "int64"
            | "float64"
            | "date-time"
            | "date-time-rfc1123"
            | "uuid"
            | "url"
    )
}

fn enum_definition(
    name: &str,
    description: Option<&str>,
    e: &EnumInfo,
    mut comments: Vec<String>,
) -> Definition {
    let mut values = Vec::new();
    let mut seen = BTreeSet::new();
    for v in &e.values {
        if !seen.insert(v.clone()) {
            comments.push(format!("{NOTE}the value '{v}' is listed twice"));
            continue;
        }
        let d = e
            .descriptions
            .get(v)
            .map(|d| sentence(d))
            .unwrap_or_else(|| sentence(&names::words(v).join(" ")));
        values.push((v.clone(), d));
    }
    if let Some(n) = &e.name {
        if n != name && !name.starts_with(n.as_str()) {
            comments.push(format!("{NOTE}x-ms-enum name {n}"));
        }
    }
    Definition {
        comments,
        name: name.to_owned(),
        description: description
            .map(sentence)
            .unwrap_or_else(|| sentence(&names::words(name).join(" "))),
        kind: DefKind::Enum { values, closed: e.model_as_string == Some(false) },
    }
}

/// The credentials a client accepts: a user token when the document's security scheme says its
/// `Authorization` header holds an ACS user access token, else the resource key and Entra ID.
fn auth(doc: &Value) -> Vec<String> {
    let used: Vec<String> = doc
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|o| o.keys().cloned())
        .collect();
    let user_token = used.iter().any(|name| {
        doc.get("securityDefinitions")
            .and_then(|d| d.get(name))
            .and_then(|d| d.get("description"))
            .and_then(Value::as_str)
            .is_some_and(|d| d.to_ascii_lowercase().contains("user access token"))
    });
    if user_token {
        vec!["user-token".to_owned()]
    } else {
        vec!["access-key".to_owned(), "entra-id".to_owned()]
    }
}

/// A description as a sentence: trimmed, with a full stop.
pub fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return String::new();
    }
    let mut s = t.to_owned();
    if let Some(first) = s.chars().next() {
        if first.is_lowercase() && s.chars().nth(1).is_some_and(|c| c.is_lowercase() || c == ' ') {
            s = first.to_uppercase().collect::<String>() + &s[first.len_utf8()..];
        }
    }
    if !s.ends_with(['.', '!', '?', ')', '`', '"', ':']) && !s.ends_with('/') {
        s.push('.');
    }
    s
}
