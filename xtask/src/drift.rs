//! `cargo xtask drift`: every difference between a spec and the OpenAPI file it transcribes.
//!
//! Operations are paired by method and path (parameter names aside) and compared on their
//! parameters (name, where they go, required-ness, type), repeatability headers, body (type,
//! required-ness, content type), success statuses and their bodies, error body and paging.
//! Definitions are paired through the operations (the body of `createRoom` with the body of
//! `Rooms_Create`, a property's type with the property's `$ref`), so a definition the spec
//! renamed is still compared, and otherwise by name; each pair is compared on its properties
//! (names and aliases, types, required-ness; `allOf`/`extends` flattened), enum values and
//! extensibility. A `union` stands for its discriminator property and its payload properties.
//!
//! A spec names its OpenAPI file with `source:` and marks differences it makes on purpose in
//! `deliberate:`, each with a reason; marked differences are listed apart and do not fail. A
//! marker that covers no difference is reported, so the list stays true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use api_codegen::diagnostics::Position;
use api_codegen::spec::{self, LoadedSpec};

use crate::json::Value;
use crate::openapi::{self, DefRef, DiskFiles, Documents, Files, Shape};

/// One difference, where the spec writes the item (or its nearest parent).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The spec file.
    pub file: String,
    /// Line and column there.
    pub position: Position,
    /// The spec path the difference is at (what a `deliberate` marker names).
    pub path: String,
    /// What differs.
    pub message: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.position.line, self.position.column, self.path, self.message
        )
    }
}

/// The drift of one spec.
#[derive(Debug, Default)]
pub struct Report {
    /// The spec file.
    pub spec: String,
    /// The OpenAPI file.
    pub source: String,
    /// Differences no marker covers.
    pub unmarked: Vec<Difference>,
    /// Differences a `deliberate` marker covers, with its reason.
    pub marked: Vec<(Difference, String)>,
    /// Marker paths that cover no difference, with where they are written.
    pub stale: Vec<(String, Position)>,
}

impl Report {
    /// Whether the spec passes: nothing unmarked, no stale marker.
    pub fn passes(&self) -> bool {
        self.unmarked.is_empty() && self.stale.is_empty()
    }

    /// The report as text: unmarked differences, stale markers, then the marked ones by reason.
    pub fn text(&self) -> String {
        let mut out = Vec::new();
        for d in &self.unmarked {
            out.push(d.to_string());
        }
        for (at, p) in &self.stale {
            out.push(format!(
                "{}:{}:{}: deliberate: '{at}' marks no difference (remove it, or fix the path)",
                self.spec, p.line, p.column
            ));
        }
        let mut by_reason: BTreeMap<&str, Vec<&Difference>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for (d, r) in &self.marked {
            if !by_reason.contains_key(r.as_str()) {
                order.push(r);
            }
            by_reason.entry(r).or_default().push(d);
        }
        if !order.is_empty() {
            out.push(format!("marked as deliberate in {}:", self.spec));
            for r in order {
                out.push(format!("  - {}", one_line(r)));
                for d in &by_reason[r] {
                    out.push(format!("    {d}"));
                }
            }
        }
        out.push(format!(
            "drift {} against {}: {} unmarked difference{}, {} marked{}",
            self.spec,
            self.source,
            self.unmarked.len(),
            if self.unmarked.len() == 1 { "" } else { "s" },
            self.marked.len(),
            if self.stale.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} stale marker{}",
                    self.stale.len(),
                    if self.stale.len() == 1 { "" } else { "s" }
                )
            }
        ));
        out.join("\n")
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Usage of `cargo xtask drift`.
pub const USAGE: &str =
    "usage: cargo xtask drift <spec.yaml> [<openapi.json>] | cargo xtask drift --all

Lists every difference between a spec and the OpenAPI file it transcribes (its `source:`, or the
file given), with the spec's file:line. Differences the spec marks in `deliberate:` are listed
apart; any other difference, or a marker that covers none, fails.

  --all   every spec in specs/ that has a `source:` (what CI runs)";

/// `cargo xtask drift …`.
pub fn run(root: &Path, args: &[&str]) -> Result<String, String> {
    let sources = crate::codegen::read_specs(&root.join("specs"))?;
    let loaded = load_all(&sources)?;
    let files = DiskFiles { root: root.to_owned() };
    let targets: Vec<(String, Option<String>)> = match args {
        ["--help"] | ["-h"] => return Ok(USAGE.to_owned()),
        ["--all"] => loaded.iter().map(|s| (s.file.clone(), None)).collect(),
        [spec] if !spec.starts_with('-') => vec![(spec_name(root, spec)?, None)],
        [spec, openapi] if !spec.starts_with('-') && !openapi.starts_with('-') => vec![(
            spec_name(root, spec)?,
            Some(crate::import::workspace_relative(root, Path::new(openapi))?),
        )],
        _ => return Err(format!("drift: unexpected arguments '{}'\n{USAGE}", args.join(" "))),
    };
    let mut texts = Vec::new();
    let mut failed = false;
    for (spec, source) in targets {
        let has_source = loaded.iter().any(|s| s.file == spec && s.spec.source.is_some());
        if source.is_none() && !has_source {
            if args == ["--all"] {
                texts.push(format!("drift {spec}: no `source:`, not compared"));
                continue;
            }
            return Err(format!(
                "drift: {spec} has no `source:`; name the OpenAPI file as the second argument"
            ));
        }
        let report = drift(&files, &loaded, &spec, source.as_deref())?;
        failed |= !report.passes();
        texts.push(report.text());
    }
    let text = texts.join("\n\n");
    if failed {
        Err(text)
    } else {
        Ok(text)
    }
}

fn spec_name(root: &Path, spec: &str) -> Result<String, String> {
    let file =
        Path::new(spec).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let name = format!("specs/{file}");
    if root.join(&name).is_file() {
        Ok(name)
    } else {
        Err(format!("drift: no spec {spec} in specs/"))
    }
}

/// Parses every spec; a spec that does not parse is an error (codegen says more).
pub fn load_all(sources: &[api_codegen::SpecSource]) -> Result<Vec<LoadedSpec<'_>>, String> {
    let mut out = Vec::new();
    for s in sources {
        match spec::load(&s.name, &s.text) {
            Ok(l) => out.push(l),
            Err(errors) => {
                return Err(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
            }
        }
    }
    Ok(out)
}

/// The drift of the spec named `target` (one of `specs`) from its `source:`, or from
/// `source` when given (relative to the workspace root).
pub fn drift(
    files: &dyn Files,
    specs: &[LoadedSpec],
    target: &str,
    source: Option<&str>,
) -> Result<Report, String> {
    let spec = specs
        .iter()
        .find(|s| s.file == target)
        .ok_or_else(|| format!("drift: no spec {target}"))?;
    let source = match source.or(spec.spec.source.as_deref()) {
        Some(s) => openapi::normalize(s),
        None => return Err(format!("drift: {target} has no `source:`")),
    };
    let docs = Documents::new(files);
    docs.get(&source)?;
    let mut cx = Cx {
        docs: &docs,
        specs,
        spec,
        source: source.clone(),
        diffs: BTreeSet::new(),
        done: BTreeSet::new(),
        queue: Vec::new(),
        paired_openapi: BTreeSet::new(),
        paired_spec: BTreeSet::new(),
        absorbed: BTreeSet::new(),
    };
    cx.operations()?;
    cx.pair_by_name()?;
    cx.drain()?;
    cx.unpaired()?;
    // Markers.
    let mut report = Report { spec: target.to_owned(), source, ..Report::default() };
    let mut used: BTreeSet<(usize, usize)> = BTreeSet::new();
    for d in std::mem::take(&mut cx.diffs) {
        // Every marker that lists the path covers the difference; their reasons are joined.
        let mut reasons = Vec::new();
        for (i, m) in spec.spec.deliberate.iter().enumerate() {
            for (j, at) in m.at.iter().enumerate() {
                if *at == d.path {
                    used.insert((i, j));
                    reasons.push(one_line(&m.reason));
                }
            }
        }
        if reasons.is_empty() {
            report.unmarked.push(d);
        } else {
            report.marked.push((d, reasons.join(" Also: ")));
        }
    }
    for (i, m) in spec.spec.deliberate.iter().enumerate() {
        for (j, at) in m.at.iter().enumerate() {
            if !used.contains(&(i, j)) {
                let position = spec.locations.value(&format!("deliberate.{i}.at.{j}"));
                report.stale.push((at.clone(), position));
            }
        }
    }
    Ok(report)
}

/// A property of a spec object, flattened through `extends`.
struct SpecProperty {
    name: String,
    aliases: Vec<String>,
    ty: String,
    required: bool,
    file: String,
    path: String,
    role: Role,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Role {
    Plain,
    Discriminator,
    Payload,
}

struct Cx<'a, 'd, 'f> {
    docs: &'d Documents<'f>,
    specs: &'a [LoadedSpec<'a>],
    spec: &'a LoadedSpec<'a>,
    source: String,
    diffs: BTreeSet<Difference>,
    done: BTreeSet<(String, DefRef)>,
    queue: Vec<(String, DefRef)>,
    paired_openapi: BTreeSet<DefRef>,
    paired_spec: BTreeSet<String>,
    absorbed: BTreeSet<DefRef>,
}

impl<'a> Cx<'a, '_, '_> {
    fn diff(&mut self, file: &str, path: &str, message: String) {
        let position = self
            .specs
            .iter()
            .find(|s| s.file == file)
            .map(|s| s.locations.key(path))
            .unwrap_or_default();
        self.diffs.insert(Difference {
            file: file.to_owned(),
            position,
            path: path.to_owned(),
            message,
        });
    }

    /// The definition `name` and the file that defines it: this spec or one it imports.
    fn find_def(&self, name: &str) -> Option<(&'a LoadedSpec<'a>, &'a spec::Definition)> {
        let (specs, spec): (&'a [LoadedSpec<'a>], &'a LoadedSpec<'a>) = (self.specs, self.spec);
        let visible =
            |s: &LoadedSpec| s.file == spec.file || spec.spec.imports.contains(&s.spec.module);
        specs
            .iter()
            .filter(|s| visible(s))
            .find_map(|s| s.spec.definitions.get(name).map(|d| (s, d)))
    }

    fn operations(&mut self) -> Result<(), String> {
        let doc = self.docs.get(&self.source)?;
        let ops = openapi::operations(self.docs, &self.source)?;
        let file = self.spec.file.clone();
        let mut matched = BTreeSet::new();
        for op in &ops {
            let found = self.spec.spec.operations.iter().find(|(_, o)| {
                format!("{:?}", o.method).eq_ignore_ascii_case(&op.method)
                    && openapi::path_key(&o.path) == openapi::path_key(&op.path)
            });
            let Some((name, sop)) = found else {
                self.diff(
                    &file,
                    &format!("operations.{}", op.id),
                    format!(
                        "the OpenAPI operation {} {} ({}) is not in the spec",
                        op.method, op.path, op.id
                    ),
                );
                continue;
            };
            matched.insert(name.clone());
            self.operation(&doc, op, name, sop)?;
        }
        for name in self.spec.spec.operations.keys() {
            if !matched.contains(name) {
                let o = &self.spec.spec.operations[name];
                self.diff(
                    &file,
                    &format!("operations.{name}"),
                    format!("{:?} {} is not an operation of the OpenAPI", o.method, o.path)
                        .to_uppercase_method(),
                );
            }
        }
        Ok(())
    }

    fn operation(
        &mut self,
        doc: &Value,
        op: &openapi::OperationView,
        name: &str,
        sop: &spec::Operation,
    ) -> Result<(), String> {
        let file = self.spec.file.clone();
        let path = format!("operations.{name}");
        // The client's scope parameters are this operation's path parameters too.
        let client = sop.client.clone().or_else(|| self.spec.spec.clients.keys().next().cloned());
        let scope: Vec<(String, String)> = client
            .and_then(|c| self.spec.spec.clients.get(&c))
            .map(|c| c.scope.iter().map(|(k, p)| (k.clone(), p.ty.clone())).collect())
            .unwrap_or_default();
        let mut seen = BTreeSet::new();
        for (pfile, p) in &op.parameters {
            let wire = p.get("name").and_then(Value::as_str).unwrap_or("").to_owned();
            let location = p.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
            if openapi::is_api_version(p) || location == "body" || openapi::is_runtime_header(p) {
                continue;
            }
            if p.get("x-ms-parameter-location").and_then(Value::as_str) == Some("client")
                && location == "path"
                && !op.path.contains(&format!("{{{wire}}}"))
            {
                continue;
            }
            let ppath = format!("{path}.parameters.{wire}");
            let found = sop.parameters.iter().find(|(k, _)| k.eq_ignore_ascii_case(&wire));
            let (spec_location, spec_ty, spec_required) = match found {
                Some((k, sp)) => {
                    seen.insert(k.clone());
                    (
                        format!("{:?}", sp.location).to_ascii_lowercase(),
                        sp.ty.clone(),
                        sp.required || format!("{:?}", sp.location) == "Path",
                    )
                }
                None => match scope.iter().find(|(k, _)| k.eq_ignore_ascii_case(&wire)) {
                    Some((_, ty)) if location == "path" => ("path".to_owned(), ty.clone(), true),
                    _ => {
                        self.diff(
                            &file,
                            &ppath,
                            format!("the OpenAPI {location} parameter '{wire}' is not in the spec"),
                        );
                        continue;
                    }
                },
            };
            if spec_location != location {
                self.diff(
                    &file,
                    &ppath,
                    format!("in {spec_location} here, in {location} in the OpenAPI"),
                );
            }
            let required =
                location == "path" || p.get("required").and_then(Value::as_bool) == Some(true);
            if required != spec_required {
                self.diff(&file, &ppath, required_message(spec_required, required));
            }
            let (shape, _) = self.docs.shape(pfile, p)?;
            self.compare_type(&file, &ppath, &spec_ty, &shape)?;
        }
        for (k, sp) in &sop.parameters {
            if !seen.contains(k) {
                self.diff(
                    &file,
                    &format!("{path}.parameters.{k}"),
                    format!("the {:?} parameter '{k}' is not in the OpenAPI", sp.location)
                        .to_lowercase_location(),
                );
            }
        }
        let repeatability = openapi::repeatability(&op.parameters);
        let spec_rep = match sop.repeatability {
            spec::Repeatability::None => "none",
            spec::Repeatability::Standard => "standard",
            spec::Repeatability::RequestIdOnly => "request-id-only",
        };
        if repeatability != spec_rep {
            self.diff(&file, &format!("{path}.repeatability"), format!("repeatability {spec_rep} here, {repeatability} in the OpenAPI (its header parameters)"));
        }
        // Body.
        let bpath = format!("{path}.body");
        match (op.body(), &sop.body) {
            (None, None) => {}
            (Some((_, p)), None) => {
                let n = p.get("name").and_then(Value::as_str).unwrap_or("body");
                self.diff(
                    &file,
                    &path,
                    format!("the OpenAPI body parameter '{n}' is not in the spec"),
                );
            }
            (None, Some(_)) => {
                self.diff(&file, &bpath, "the OpenAPI operation has no body".to_owned())
            }
            (Some((bfile, p)), Some(body)) => {
                let (ty, content_type) = match body {
                    spec::Body::Type(t) => (t.clone(), None),
                    spec::Body::Described(d) => (d.ty.clone(), d.content_type.clone()),
                };
                if p.get("required").and_then(Value::as_bool) != Some(true) {
                    self.diff(
                        &file,
                        &bpath,
                        "the OpenAPI body is optional; a spec body is always sent".to_owned(),
                    );
                }
                let consumes = op.consumes(doc);
                let sent = content_type.unwrap_or_else(|| "application/json".to_owned());
                if !consumes.is_empty() && !consumes.contains(&sent) {
                    self.diff(
                        &file,
                        &bpath,
                        format!("sent as {sent}; the OpenAPI consumes {}", consumes.join(", ")),
                    );
                }
                let schema = p.get("schema").cloned().unwrap_or_default();
                let (shape, _) = self.docs.shape(bfile, &schema)?;
                self.compare_type(&file, &bpath, &ty, &shape)?;
            }
        }
        // Responses.
        let responses =
            op.operation.get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut statuses = BTreeSet::new();
        for (status, r) in &responses {
            let (rfile, r) = match r.get("$ref").and_then(Value::as_str) {
                Some(reference) => self.docs.follow(&self.source, reference)?,
                None => (self.source.clone(), r.clone()),
            };
            let code: Option<u16> = status.parse().ok();
            if code.is_some_and(|c| (200..300).contains(&c)) {
                let code = code.unwrap_or_default();
                statuses.insert(code);
                let rpath = format!("{path}.responses.{code}");
                let Some(sr) = sop.responses.get(&code) else {
                    self.diff(
                        &file,
                        &format!("{path}.responses"),
                        format!("the OpenAPI success status {code} is not in the spec"),
                    );
                    continue;
                };
                match (r.get("schema"), &sr.body) {
                    (None, None) => {}
                    (Some(_), None) => self.diff(
                        &file,
                        &rpath,
                        format!("the OpenAPI {code} response has a body; the spec's has none"),
                    ),
                    (None, Some(_)) => self.diff(
                        &file,
                        &format!("{rpath}.body"),
                        format!("the OpenAPI {code} response has no body"),
                    ),
                    (Some(schema), Some(b)) => {
                        let (shape, _) = self.docs.shape(&rfile, schema)?;
                        self.compare_type(&file, &format!("{rpath}.body"), b, &shape)?;
                    }
                }
            } else if let Some(schema) = r.get("schema") {
                let (shape, _) = self.docs.shape(&rfile, schema)?;
                self.compare_type(&file, &format!("{path}.error"), &sop.error, &shape)?;
            }
        }
        for code in sop.responses.keys() {
            if !statuses.contains(code) {
                self.diff(
                    &file,
                    &format!("{path}.responses.{code}"),
                    format!("status {code} is not a success status of the OpenAPI operation"),
                );
            }
        }
        // Paging.
        let pageable = op
            .operation
            .get("x-ms-pageable")
            .filter(|p| p.get("nextLinkName").and_then(Value::as_str).is_some());
        match (pageable, &sop.paging) {
            (None, None) => {}
            (Some(_), None) => {
                self.diff(&file, &path, "x-ms-pageable in the OpenAPI; no paging here".to_owned())
            }
            (None, Some(_)) => self.diff(
                &file,
                &format!("{path}.paging"),
                "the OpenAPI operation is not x-ms-pageable".to_owned(),
            ),
            (Some(p), Some(sp)) => {
                let items = p.get("itemName").and_then(Value::as_str).unwrap_or("value");
                let next = p.get("nextLinkName").and_then(Value::as_str).unwrap_or("");
                if sp.items != items || sp.next_link != next {
                    self.diff(
                        &file,
                        &format!("{path}.paging"),
                        format!(
                            "items {}, next link {} here; {items}, {next} in the OpenAPI",
                            sp.items, sp.next_link
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// Compares a spec type with an OpenAPI schema's shape; queues definition pairs.
    fn compare_type(
        &mut self,
        file: &str,
        path: &str,
        spec_ty: &str,
        shape: &Shape,
    ) -> Result<(), String> {
        let t = strip_nullable(spec_ty.trim());
        let mismatch = |cx: &mut Self, shape: &Shape| {
            let theirs = shape.spec_type(&|d| d.name.clone());
            cx.diff(file, path, format!("type {spec_ty} here, {theirs} in the OpenAPI"));
        };
        match shape {
            Shape::Def(d) => {
                let schema = self.docs.definition(d)?;
                let nameable = schema.get("enum").is_some()
                    || schema.get("properties").is_some()
                    || schema.get("allOf").is_some()
                    || !matches!(
                        schema.get("type").and_then(Value::as_str),
                        Some("array" | "string" | "integer" | "number" | "boolean")
                    ) && schema.get("additionalProperties").is_none();
                if !nameable {
                    let (inner, _) = self.docs.shape(&d.file, &schema)?;
                    if inner != *shape {
                        return self.compare_type(file, path, spec_ty, &inner);
                    }
                }
                if self.find_def(t).is_some() {
                    self.queue.push((t.to_owned(), d.clone()));
                } else if t == "json" && schema.get("enum").is_none() {
                    // Any JSON covers an object.
                } else {
                    mismatch(self, shape);
                }
            }
            Shape::List(item) => match t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
                Some(inner) => self.compare_type(file, path, inner, item)?,
                None if t == "json" => {}
                None => mismatch(self, shape),
            },
            Shape::Map(value) => match t
                .strip_prefix("map<")
                .and_then(|r| r.strip_suffix('>'))
                .and_then(|r| r.split_once(','))
            {
                Some((_, inner)) => self.compare_type(file, path, inner.trim(), value)?,
                None if t == "json" => {}
                None => mismatch(self, shape),
            },
            Shape::Scalar(s) => {
                if t != *s {
                    mismatch(self, shape);
                }
            }
            Shape::InlineEnum(e) => match self.find_def(t).map(|(s, d)| {
                (
                    s.file.clone(),
                    d.values.as_ref().map(|v| v.keys().cloned().collect::<Vec<_>>()),
                    d.closed,
                )
            }) {
                Some((dfile, Some(values), closed)) => {
                    let dpath = format!("definitions.{t}");
                    self.compare_values(
                        &dfile,
                        &dpath,
                        &values,
                        &e.values,
                        closed,
                        e.model_as_string,
                    );
                    self.paired_spec.insert(t.to_owned());
                }
                _ if t == "string" => {}
                _ => mismatch(self, shape),
            },
            Shape::InlineObject(ofile, schema) => match self.find_def(t) {
                Some(_) => {
                    let (ofile, schema) = (ofile.clone(), schema.clone());
                    self.compare_object(t, &ofile, &schema)?;
                    self.paired_spec.insert(t.to_owned());
                }
                None if t == "json" => {}
                None => mismatch(self, shape),
            },
        }
        Ok(())
    }

    fn compare_values(
        &mut self,
        file: &str,
        path: &str,
        ours: &[String],
        theirs: &[String],
        closed: bool,
        model_as_string: Option<bool>,
    ) {
        for v in theirs {
            if !ours.contains(v) {
                self.diff(
                    file,
                    &format!("{path}.enum"),
                    format!("the OpenAPI value '{v}' is not in the spec"),
                );
            }
        }
        for v in ours {
            if !theirs.contains(v) {
                self.diff(
                    file,
                    &format!("{path}.enum.{v}"),
                    format!("the value '{v}' is not in the OpenAPI"),
                );
            }
        }
        match model_as_string {
            Some(false) if !closed => self.diff(
                file,
                path,
                "extensible here, closed in the OpenAPI (modelAsString: false)".to_owned(),
            ),
            Some(true) if closed => self.diff(
                file,
                path,
                "closed here, extensible in the OpenAPI (modelAsString: true)".to_owned(),
            ),
            _ => {}
        }
    }

    fn drain(&mut self) -> Result<(), String> {
        while let Some((name, def)) = self.queue.pop() {
            let def = self.docs.canonical(&def)?;
            if !self.done.insert((name.clone(), def.clone())) {
                continue;
            }
            self.paired_openapi.insert(def.clone());
            self.paired_spec.insert(name.clone());
            self.compare_def(&name, &def)?;
        }
        Ok(())
    }

    /// Definitions no operation reaches (callback events; a definitions-only spec's all) are
    /// paired by name.
    fn pair_by_name(&mut self) -> Result<(), String> {
        let names = self.docs.definition_names(&self.source)?;
        let file = self.source.clone();
        for name in self.spec.spec.definitions.keys() {
            if names.contains(name) {
                self.queue.push((name.clone(), DefRef { file: file.clone(), name: name.clone() }));
            }
        }
        Ok(())
    }

    /// What is left unpaired: the OpenAPI file's own definitions (for a spec with operations;
    /// a definitions-only spec may transcribe part of a file) and the spec's definitions.
    fn unpaired(&mut self) -> Result<(), String> {
        let file = self.spec.file.clone();
        if !self.spec.spec.operations.is_empty() {
            for name in self.docs.definition_names(&self.source)? {
                let def = self
                    .docs
                    .canonical(&DefRef { file: self.source.clone(), name: name.clone() })?;
                if self.paired_openapi.contains(&def) || self.absorbed.contains(&def) {
                    continue;
                }
                // A copy of a type another spec defines, used by nothing compared here.
                if self.find_def(&name).is_some_and(|(s, _)| s.file != file) {
                    continue;
                }
                self.diff(
                    &file,
                    &format!("definitions.{name}"),
                    format!("the OpenAPI definition '{name}' is not in the spec"),
                );
            }
        }
        let names: Vec<String> = self.spec.spec.definitions.keys().cloned().collect();
        for name in names {
            if !self.paired_spec.contains(&name) {
                self.diff(
                    &file,
                    &format!("definitions.{name}"),
                    "not a definition of the OpenAPI (nor reached from one)".to_owned(),
                );
            }
        }
        Ok(())
    }

    fn compare_def(&mut self, name: &str, def: &DefRef) -> Result<(), String> {
        let Some((s, d)) = self.find_def(name) else { return Ok(()) };
        let sfile = s.file.clone();
        let dpath = format!("definitions.{name}");
        let schema = self.docs.definition(def)?;
        if name != def.name {
            self.diff(&sfile, &dpath, format!("named {name} here, {} in the OpenAPI", def.name));
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let info = openapi::enum_info(&schema, values);
            match &d.values {
                Some(ours) => {
                    let ours: Vec<String> = ours.keys().cloned().collect();
                    let closed = d.closed;
                    self.compare_values(
                        &sfile,
                        &dpath,
                        &ours,
                        &info.values,
                        closed,
                        info.model_as_string,
                    );
                }
                None => {
                    self.diff(&sfile, &dpath, "an object here, an enum in the OpenAPI".to_owned())
                }
            }
            return Ok(());
        }
        if d.values.is_some() {
            self.diff(&sfile, &dpath, "an enum here, an object in the OpenAPI".to_owned());
            return Ok(());
        }
        let (ofile, schema) = (def.file.clone(), schema);
        self.compare_object(name, &ofile, &schema)
    }

    fn compare_object(&mut self, name: &str, ofile: &str, schema: &Value) -> Result<(), String> {
        let theirs = self.docs.flatten(ofile, schema)?;
        let ours = self.flatten_spec(name);
        let Some((s, _)) = self.find_def(name) else { return Ok(()) };
        let sfile = s.file.clone();
        let mut seen = BTreeSet::new();
        for p in &theirs {
            let found = ours
                .iter()
                .position(|q| q.name == p.name)
                .or_else(|| ours.iter().position(|q| q.aliases.contains(&p.name)));
            let Some(i) = found else {
                let (shape, _) = self.docs.shape(&p.file, &p.schema)?;
                let ty = shape.spec_type(&|d| d.name.clone());
                self.diff(
                    &sfile,
                    &format!("definitions.{name}.properties.{}", p.name),
                    format!(
                        "the OpenAPI property '{}' ({ty}{}) is not in the spec",
                        p.name,
                        if p.required { ", required" } else { "" }
                    ),
                );
                continue;
            };
            seen.insert(i);
            let q = &ours[i];
            let (qfile, qpath, qty, qreq, role, qname) =
                (q.file.clone(), q.path.clone(), q.ty.clone(), q.required, q.role, q.name.clone());
            if qname != p.name {
                self.diff(
                    &qfile,
                    &qpath,
                    format!(
                        "named {qname} here (with the alias {}), {} in the OpenAPI",
                        p.name, p.name
                    ),
                );
            }
            match role {
                Role::Discriminator => {
                    if p.required {
                        self.diff(&qfile, &qpath, "required in the OpenAPI; a union reads its discriminator as optional (inferred from the payload)".to_owned());
                    }
                    match self.docs.enum_of(&p.file, &p.schema)? {
                        Some(e) => {
                            if let (Shape::Def(enum_def), _) =
                                self.docs.shape(&p.file, &p.schema)?
                            {
                                self.absorbed.insert(self.docs.canonical(&enum_def)?);
                            }
                            let values: Vec<String> = self.union_values(name);
                            let theirs: Vec<String> = e
                                .values
                                .iter()
                                .filter(|v| v.as_str() != "unknown")
                                .cloned()
                                .collect();
                            for v in &theirs {
                                if !values.contains(v) {
                                    self.diff(
                                        &qfile,
                                        &qpath,
                                        format!(
                                            "the OpenAPI value '{v}' of '{}' is not a variant here",
                                            p.name
                                        ),
                                    );
                                }
                            }
                            for v in &values {
                                if !theirs.contains(v) {
                                    let vpath =
                                        qpath.replace(".discriminator", &format!(".variants.{v}"));
                                    self.diff(&qfile, &vpath, format!("the variant '{v}' is not a value of the OpenAPI's '{}'", p.name));
                                }
                            }
                        }
                        None => self.diff(
                            &qfile,
                            &qpath,
                            format!("the OpenAPI's '{}' is not an enum", p.name),
                        ),
                    }
                }
                Role::Payload | Role::Plain => {
                    if role == Role::Payload && p.required {
                        self.diff(
                            &qfile,
                            &qpath,
                            "required in the OpenAPI; a union's payload properties are optional"
                                .to_owned(),
                        );
                    } else if role == Role::Plain && p.required != qreq {
                        self.diff(&qfile, &qpath, required_message(qreq, p.required));
                    }
                    let (shape, _) = self.docs.shape(&p.file, &p.schema)?;
                    self.compare_type(&qfile, &qpath, &qty, &shape)?;
                }
            }
        }
        for (i, q) in ours.iter().enumerate() {
            if seen.contains(&i) {
                continue;
            }
            let what = if q.role == Role::Discriminator { "discriminator" } else { "property" };
            let owner = q.path.split('.').nth(1).unwrap_or(name);
            if owner == name {
                self.diff(
                    &q.file,
                    &q.path,
                    format!("the {what} '{}' is not in the OpenAPI", q.name),
                );
            } else if self.openapi_has(owner, &q.name)? {
                // The base has it in both, but this one does not extend that base in the
                // OpenAPI: the difference is in what it extends. (A property the OpenAPI's base
                // lacks too is reported at the base.)
                let message = format!(
                    "inherits '{}' from {owner}; the OpenAPI's {name} has no such property",
                    q.name
                );
                self.diff(&sfile, &format!("definitions.{name}.extends"), message);
            }
        }
        Ok(())
    }

    /// Whether the OpenAPI file defines `def` with the property `property`.
    fn openapi_has(&self, def: &str, property: &str) -> Result<bool, String> {
        let d = DefRef { file: self.source.clone(), name: def.to_owned() };
        let Ok(schema) = self.docs.definition(&d) else { return Ok(false) };
        Ok(self.docs.flatten(&d.file, &schema)?.iter().any(|p| p.name == property))
    }

    fn union_values(&self, name: &str) -> Vec<String> {
        self.find_def(name)
            .and_then(|(_, d)| d.union.as_ref())
            .map(|u| u.variants.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A spec object's properties, its bases' first, with a union's discriminator and payloads.
    fn flatten_spec(&self, name: &str) -> Vec<SpecProperty> {
        let mut chain = Vec::new();
        let mut current = Some(name.to_owned());
        while let Some(n) = current.take() {
            if chain.contains(&n) || chain.len() > 16 {
                break;
            }
            current = self.find_def(&n).and_then(|(_, d)| d.extends.clone());
            chain.push(n);
        }
        let mut out: Vec<SpecProperty> = Vec::new();
        for n in chain.iter().rev() {
            let Some((s, d)) = self.find_def(n) else { continue };
            for (pname, p) in d.properties.iter().flatten() {
                out.retain(|q| q.name != *pname);
                out.push(SpecProperty {
                    name: pname.clone(),
                    aliases: p.aliases.clone(),
                    ty: p.ty.clone(),
                    required: p.required,
                    file: s.file.clone(),
                    path: format!("definitions.{n}.properties.{pname}"),
                    role: Role::Plain,
                });
            }
            if let Some(u) = &d.union {
                out.push(SpecProperty {
                    name: u.discriminator.clone(),
                    aliases: Vec::new(),
                    ty: String::new(),
                    required: false,
                    file: s.file.clone(),
                    path: format!("definitions.{n}.union.discriminator"),
                    role: Role::Discriminator,
                });
                for (value, v) in &u.variants {
                    out.push(SpecProperty {
                        name: v.property.clone(),
                        aliases: Vec::new(),
                        ty: v.ty.clone(),
                        required: false,
                        file: s.file.clone(),
                        path: format!("definitions.{n}.union.variants.{value}"),
                        role: Role::Payload,
                    });
                }
            }
        }
        out
    }
}

fn strip_nullable(t: &str) -> &str {
    t.strip_prefix("nullable<").and_then(|r| r.strip_suffix('>')).map(str::trim).unwrap_or(t)
}

fn required_message(ours: bool, theirs: bool) -> String {
    match (ours, theirs) {
        (true, false) => "required here, optional in the OpenAPI".to_owned(),
        _ => "optional here, required in the OpenAPI".to_owned(),
    }
}

trait Casing {
    fn to_uppercase_method(self) -> String;
    fn to_lowercase_location(self) -> String;
}

impl Casing for String {
    /// `Get /rooms …` → `GET /rooms …`.
    fn to_uppercase_method(self) -> String {
        match self.split_once(' ') {
            Some((m, rest)) => format!("{} {rest}", m.to_ascii_uppercase()),
            None => self,
        }
    }

    /// `the Query parameter` → `the query parameter`.
    fn to_lowercase_location(self) -> String {
        self.replacen("Query", "query", 1)
            .replacen("Header", "header", 1)
            .replacen("Path", "path", 1)
    }
}
