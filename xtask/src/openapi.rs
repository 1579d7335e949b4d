//! Reading Swagger 2.0 (OpenAPI) files for `import` and `drift`: documents by path, `$ref`s
//! into sibling files, `allOf` chains, and the spec type each schema maps to.
//!
//! Files are read through [`Files`], so the logic runs on the disk for the commands and on a map
//! of strings in tests.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::json::{self, Map, Value};

/// Where documents come from. Paths are `/`-separated and relative to the workspace root
/// (`../shared/conformance/…/rooms.json`).
pub trait Files {
    /// The text of the file at `path`, or `None` when there is none.
    fn read(&self, path: &str) -> Option<String>;
    /// Every file under the directory `dir`, recursively (a few levels deep), as paths that
    /// [`Files::read`] takes.
    fn list(&self, dir: &str) -> Vec<String>;
}

/// The disk, below a workspace root.
pub struct DiskFiles {
    /// The workspace root.
    pub root: PathBuf,
}

impl Files for DiskFiles {
    fn read(&self, path: &str) -> Option<String> {
        fs::read_to_string(self.root.join(path)).ok()
    }

    fn list(&self, dir: &str) -> Vec<String> {
        fn walk(base: &Path, rel: &str, depth: usize, out: &mut Vec<String>) {
            let Ok(entries) = fs::read_dir(base.join(rel)) else { return };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
                match entry.file_type() {
                    Ok(t) if t.is_dir() && depth > 0 => walk(base, &child, depth - 1, out),
                    Ok(t) if t.is_file() => out.push(child),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, dir, 5, &mut out);
        out.sort();
        out
    }
}

/// Files held in memory, for tests.
impl Files for BTreeMap<String, String> {
    fn read(&self, path: &str) -> Option<String> {
        self.get(path).cloned()
    }

    fn list(&self, dir: &str) -> Vec<String> {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        self.keys().filter(|k| k.starts_with(&prefix)).cloned().collect()
    }
}

/// `a/b/../c` → `a/c`, keeping leading `..`.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// The directory of a file path (`a/b/c.json` → `a/b`).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir` joined with a relative `target`, normalized.
pub fn join(dir: &str, target: &str) -> String {
    if dir.is_empty() {
        normalize(target)
    } else {
        normalize(&format!("{dir}/{target}"))
    }
}

/// A definition: the file that holds it and its name under `definitions`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DefRef {
    /// The document's path.
    pub file: String,
    /// The key under `#/definitions`.
    pub name: String,
}

/// What a schema is, in the terms of the spec format.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A scalar spec type: `string`, `boolean`, `int32`, `int64`, `float64`, `date-time`,
    /// `date-time-rfc1123`, `uuid`, `url` or `json`.
    Scalar(&'static str),
    /// A named definition.
    Def(DefRef),
    /// An array.
    List(Box<Shape>),
    /// An object with `additionalProperties` only.
    Map(Box<Shape>),
    /// A string enum written in place, with its `x-ms-enum` name if it has one.
    InlineEnum(EnumInfo),
    /// An object with properties written in place (the schema's file and JSON).
    InlineObject(String, Value),
}

/// The values of a string enum and how extensible it is.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumInfo {
    /// `x-ms-enum.name`.
    pub name: Option<String>,
    /// The wire values.
    pub values: Vec<String>,
    /// `x-ms-enum.values[].description` by value.
    pub descriptions: BTreeMap<String, String>,
    /// `x-ms-enum.modelAsString`, when given.
    pub model_as_string: Option<bool>,
}

impl Shape {
    /// The spec type text, with definition names given by `name_of`.
    pub fn spec_type(&self, name_of: &dyn Fn(&DefRef) -> String) -> String {
        match self {
            Shape::Scalar(s) => (*s).to_owned(),
            Shape::Def(d) => name_of(d),
            Shape::List(item) => format!("list<{}>", item.spec_type(name_of)),
            Shape::Map(value) => format!("map<string, {}>", value.spec_type(name_of)),
            Shape::InlineEnum(e) => e.name.clone().unwrap_or_else(|| "string".to_owned()),
            Shape::InlineObject(..) => "json".to_owned(),
        }
    }
}

/// A property of an object schema, with the file its schema is written in.
#[derive(Clone, Debug)]
pub struct PropertyView {
    /// JSON name.
    pub name: String,
    /// The property's schema.
    pub schema: Value,
    /// The document holding the schema (for its `$ref`s).
    pub file: String,
    /// Listed in a `required` of the object or one of its bases.
    pub required: bool,
}

/// The documents read so far, by path.
pub struct Documents<'f> {
    files: &'f dyn Files,
    docs: RefCell<BTreeMap<String, Rc<Value>>>,
}

impl<'f> Documents<'f> {
    /// Reads through `files`.
    pub fn new(files: &'f dyn Files) -> Self {
        Documents { files, docs: RefCell::new(BTreeMap::new()) }
    }

    /// The files this reads from.
    pub fn files(&self) -> &'f dyn Files {
        self.files
    }

    /// The parsed document at `path`.
    pub fn get(&self, path: &str) -> Result<Rc<Value>, String> {
        if let Some(doc) = self.docs.borrow().get(path) {
            return Ok(doc.clone());
        }
        let text = self.files.read(path).ok_or_else(|| format!("{path}: no such file"))?;
        let value = json::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text))
            .map_err(|e| format!("{path}: not a JSON document: {e}"))?;
        if !value.is_object() {
            return Err(format!(
                "{path}: not an OpenAPI document (the top level is not an object)"
            ));
        }
        let doc = Rc::new(value);
        self.docs.borrow_mut().insert(path.to_owned(), doc.clone());
        Ok(doc)
    }

    /// The path of the file `target` names, relative to the file `from`. OpenAPI files refer to
    /// each other by their paths in the azure-rest-api-specs repository
    /// (`../../../Common/stable/2022-07-13/common.json`); when that path does not exist here,
    /// the file with the same name whose path shares the most words with it is taken (the
    /// conformance copy `common/2022-07-13/common.json`), searched for next to the service's
    /// folder.
    pub fn resolve_file(&self, from: &str, target: &str) -> Result<String, String> {
        if target.is_empty() {
            return Ok(from.to_owned());
        }
        let direct = join(parent(from), target);
        if self.files.read(&direct).is_some() {
            return Ok(direct);
        }
        let file_name = target.rsplit('/').next().unwrap_or(target).to_ascii_lowercase();
        // file → version folder → service folder → the folder of all services.
        let root = parent(parent(parent(from)));
        let words = |p: &str| -> Vec<String> {
            p.to_ascii_lowercase()
                .split(['/', '-', '_', '.'])
                .filter(|w| !w.is_empty() && *w != "..")
                .map(str::to_owned)
                .collect()
        };
        let wanted = words(target);
        let mut best: Option<(usize, String)> = None;
        let mut tie = false;
        for candidate in self.files.list(root) {
            let name = candidate.rsplit('/').next().unwrap_or(&candidate).to_ascii_lowercase();
            if name != file_name {
                continue;
            }
            let have = words(&candidate);
            let score = wanted.iter().filter(|w| have.contains(w)).count();
            match &best {
                Some((s, _)) if *s > score => {}
                Some((s, _)) if *s == score => tie = true,
                _ => {
                    best = Some((score, candidate.clone()));
                    tie = false;
                }
            }
        }
        match best {
            Some((_, path)) if !tie => Ok(path),
            Some(_) => Err(format!("{from}: '{target}' matches several files under {root}")),
            None => Err(format!(
                "{from}: '{target}' does not exist (nor a file of that name under {root})"
            )),
        }
    }

    /// Splits a `$ref` written in `from` into (file, JSON pointer).
    pub fn resolve_ref(&self, from: &str, reference: &str) -> Result<(String, String), String> {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        Ok((self.resolve_file(from, file)?, pointer.to_owned()))
    }

    /// The value a `$ref` written in `from` points at, with its file.
    pub fn follow(&self, from: &str, reference: &str) -> Result<(String, Value), String> {
        let (file, pointer) = self.resolve_ref(from, reference)?;
        let doc = self.get(&file)?;
        let value = doc
            .pointer(&pointer)
            .cloned()
            .ok_or_else(|| format!("{from}: '$ref: {reference}' points at nothing"))?;
        Ok((file, value))
    }

    /// The definition a `$ref` names, with aliases (a definition that is only a `$ref`, as
    /// `CommunicationError` in the Rooms file) followed to the definition they stand for.
    pub fn def_ref(&self, from: &str, reference: &str) -> Result<Option<DefRef>, String> {
        let (file, pointer) = self.resolve_ref(from, reference)?;
        let Some(name) = pointer.strip_prefix("/definitions/") else { return Ok(None) };
        if name.contains('/') {
            return Ok(None);
        }
        let def = DefRef { file, name: unescape_pointer(name) };
        self.canonical(&def).map(Some)
    }

    /// Follows a definition that is only a `$ref` to the one it stands for (at most 16 hops).
    pub fn canonical(&self, def: &DefRef) -> Result<DefRef, String> {
        let mut current = def.clone();
        for _ in 0..16 {
            let schema = self.definition(&current)?;
            let only_ref =
                schema.as_object().is_some_and(|o| o.len() == 1) && schema.get("$ref").is_some();
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) if only_ref => match self.def_ref(&current.file, r)? {
                    Some(next) => current = next,
                    None => return Ok(current),
                },
                _ => return Ok(current),
            }
        }
        Err(format!("{}: definition '{}' refers to itself", def.file, def.name))
    }

    /// The schema of a definition.
    pub fn definition(&self, def: &DefRef) -> Result<Value, String> {
        let doc = self.get(&def.file)?;
        doc.get("definitions")
            .and_then(|d| d.get(&def.name))
            .cloned()
            .ok_or_else(|| format!("{}: no definition '{}'", def.file, def.name))
    }

    /// The names of the definitions of a document, in document order.
    pub fn definition_names(&self, file: &str) -> Result<Vec<String>, String> {
        let doc = self.get(file)?;
        Ok(doc
            .get("definitions")
            .and_then(Value::as_object)
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default())
    }

    /// What `schema` (written in `file`) is in spec terms, with notes on what the spec type
    /// does not say (a format it has no type for).
    pub fn shape(&self, file: &str, schema: &Value) -> Result<(Shape, Vec<String>), String> {
        let mut notes = Vec::new();
        let shape = self.shape_inner(file, schema, &mut notes, 0)?;
        Ok((shape, notes))
    }

    fn shape_inner(
        &self,
        file: &str,
        schema: &Value,
        notes: &mut Vec<String>,
        depth: usize,
    ) -> Result<Shape, String> {
        if depth > 16 {
            return Err(format!("{file}: schemas nest more than 16 levels"));
        }
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            return match self.def_ref(file, r)? {
                Some(def) => Ok(Shape::Def(def)),
                None => {
                    let (f, target) = self.follow(file, r)?;
                    self.shape_inner(&f, &target, notes, depth + 1)
                }
            };
        }
        // `allOf: [{ $ref }]` alone, as a way to give a reference its own description.
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            if all.len() == 1 && schema.get("properties").is_none() {
                return self.shape_inner(file, &all[0], notes, depth + 1);
            }
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let format = schema.get("format").and_then(Value::as_str);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            if ty.is_none_or(|t| t == "string") {
                return Ok(Shape::InlineEnum(enum_info(schema, values)));
            }
            notes.push(format!(
                "an enum of {} values; only string enums are expressed",
                ty.unwrap_or("untyped")
            ));
        }
        let shape = match ty {
            Some("string") => Shape::Scalar(match format {
                Some("date-time") => "date-time",
                Some("date-time-rfc1123") => "date-time-rfc1123",
                Some("uuid") => "uuid",
                Some("uri" | "url") => "url",
                None => "string",
                Some(other) => {
                    notes.push(format!("format '{other}' has no spec type; read as a string"));
                    "string"
                }
            }),
            Some("boolean") => Shape::Scalar("boolean"),
            Some("integer") => match format {
                Some("int64") => Shape::Scalar("int64"),
                Some("int32") | None => Shape::Scalar("int32"),
                Some(other) => {
                    notes.push(format!("integer format '{other}' read as int64"));
                    Shape::Scalar("int64")
                }
            },
            Some("number") => {
                if let Some(f) = format.filter(|f| !matches!(*f, "double" | "float")) {
                    notes.push(format!("number format '{f}' read as float64"));
                }
                Shape::Scalar("float64")
            }
            Some("array") => match schema.get("items") {
                Some(items) => {
                    Shape::List(Box::new(self.shape_inner(file, items, notes, depth + 1)?))
                }
                None => {
                    notes.push("an array without `items`: a list of any JSON".to_owned());
                    Shape::List(Box::new(Shape::Scalar("json")))
                }
            },
            Some("object") | None => {
                let has_properties = schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| !p.is_empty())
                    || schema.get("allOf").is_some();
                match schema.get("additionalProperties") {
                    Some(Value::Object(a)) if !has_properties && !a.is_empty() => {
                        let value = Value::Object(a.clone());
                        Shape::Map(Box::new(self.shape_inner(file, &value, notes, depth + 1)?))
                    }
                    Some(Value::Bool(true)) | Some(Value::Object(_)) if !has_properties => {
                        Shape::Map(Box::new(Shape::Scalar("json")))
                    }
                    _ if has_properties => Shape::InlineObject(file.to_owned(), schema.clone()),
                    _ => Shape::Scalar("json"),
                }
            }
            Some("file") => {
                notes.push("a file (binary) value; read as JSON".to_owned());
                Shape::Scalar("json")
            }
            Some(other) => {
                notes.push(format!("type '{other}' is unknown; read as JSON"));
                Shape::Scalar("json")
            }
        };
        Ok(shape)
    }

    /// The properties of an object schema, its `allOf` bases' first, with required-ness from
    /// every `required` list on the way.
    pub fn flatten(&self, file: &str, schema: &Value) -> Result<Vec<PropertyView>, String> {
        let mut out: Vec<PropertyView> = Vec::new();
        let mut required = BTreeSet::new();
        self.flatten_into(file, schema, &mut out, &mut required, 0)?;
        for p in &mut out {
            p.required = required.contains(&p.name);
        }
        Ok(out)
    }

    fn flatten_into(
        &self,
        file: &str,
        schema: &Value,
        out: &mut Vec<PropertyView>,
        required: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 16 {
            return Err(format!("{file}: allOf chains more than 16 levels deep"));
        }
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let (f, target) = self.follow(file, r)?;
            return self.flatten_into(&f, &target, out, required, depth + 1);
        }
        for base in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.flatten_into(file, base, out, required, depth + 1)?;
        }
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(n) = name.as_str() {
                required.insert(n.to_owned());
            }
        }
        for (name, p) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            let view = PropertyView {
                name: name.clone(),
                schema: p.clone(),
                file: file.to_owned(),
                required: false,
            };
            match out.iter_mut().find(|q| q.name == *name) {
                Some(existing) => *existing = view,
                None => out.push(view),
            }
        }
        Ok(())
    }

    /// The string enum a schema is (written in place or behind a `$ref`), if it is one.
    pub fn enum_of(&self, file: &str, schema: &Value) -> Result<Option<EnumInfo>, String> {
        match self.shape(file, schema)?.0 {
            Shape::InlineEnum(e) => Ok(Some(e)),
            Shape::Def(d) => {
                let s = self.definition(&d)?;
                Ok(s.get("enum").and_then(Value::as_array).map(|values| enum_info(&s, values)))
            }
            _ => Ok(None),
        }
    }
}

fn unescape_pointer(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

/// The enum facts of a schema with `enum` values.
pub fn enum_info(schema: &Value, values: &[Value]) -> EnumInfo {
    let x = schema.get("x-ms-enum");
    let mut descriptions = BTreeMap::new();
    for v in x.and_then(|x| x.get("values")).and_then(Value::as_array).into_iter().flatten() {
        if let (Some(value), Some(d)) =
            (v.get("value").map(value_text), v.get("description").and_then(Value::as_str))
        {
            descriptions.insert(value, d.to_owned());
        }
    }
    EnumInfo {
        name: x.and_then(|x| x.get("name")).and_then(Value::as_str).map(str::to_owned),
        values: values.iter().map(value_text).collect(),
        descriptions,
        model_as_string: x.and_then(|x| x.get("modelAsString")).and_then(Value::as_bool),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One operation of a document.
#[derive(Clone, Debug)]
pub struct OperationView {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path template.
    pub path: String,
    /// `operationId`, or `METHOD path` when there is none.
    pub id: String,
    /// The operation object.
    pub operation: Map,
    /// Its parameters (the path item's first, then its own, which override them), `$ref`s
    /// resolved, each with the file it is written in.
    pub parameters: Vec<(String, Value)>,
}

impl OperationView {
    /// The body parameter.
    pub fn body(&self) -> Option<&(String, Value)> {
        self.parameters.iter().find(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
    }

    /// The media types it consumes (its own, else the document's).
    pub fn consumes(&self, doc: &Value) -> Vec<String> {
        let list = self.operation.get("consumes").or_else(|| doc.get("consumes"));
        list.and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    }
}

/// The HTTP methods an operation may have, in the order they are read.
pub const METHODS: [&str; 7] = ["get", "put", "post", "patch", "delete", "head", "options"];

/// The operations of the document at `file`, in document order.
pub fn operations(docs: &Documents, file: &str) -> Result<Vec<OperationView>, String> {
    let doc = docs.get(file)?;
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return Ok(out) };
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        let shared = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(op) = op.as_object() else { continue };
            let mut parameters: Vec<(String, Value)> = Vec::new();
            let own = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            for p in shared.iter().chain(own.iter()) {
                let (pf, pv) = match p.get("$ref").and_then(Value::as_str) {
                    Some(r) => docs.follow(file, r)?,
                    None => (file.to_owned(), p.clone()),
                };
                let key = |v: &Value| {
                    (
                        v.get("name").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase(),
                        v.get("in").and_then(Value::as_str).unwrap_or("").to_owned(),
                    )
                };
                let k = key(&pv);
                parameters.retain(|(_, q)| key(q) != k);
                parameters.push((pf, pv));
            }
            let method = method.to_ascii_uppercase();
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{method} {path}"));
            out.push(OperationView {
                method,
                path: path.clone(),
                id,
                operation: op.clone(),
                parameters,
            });
        }
    }
    Ok(out)
}

/// A path template with its parameter names blanked (`/rooms/{roomId}` → `/rooms/{}`), for
/// pairing operations whose parameters are named differently.
pub fn path_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_brace = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_brace = true;
                out.push('{');
            }
            '}' => {
                in_brace = false;
                out.push('}');
            }
            _ if in_brace => {}
            _ => out.push(c),
        }
    }
    out.trim_end_matches('/').to_owned()
}

/// Whether a parameter is the api-version, which specs never list.
pub fn is_api_version(p: &Value) -> bool {
    p.get("name").and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case("api-version"))
}

/// The repeatability the header parameters of an operation ask for: `standard`
/// (`Repeatability-Request-ID` and `Repeatability-First-Sent`), `request-id-only` or `none`.
pub fn repeatability(parameters: &[(String, Value)]) -> &'static str {
    let headers: Vec<String> = parameters
        .iter()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("header"))
        .filter_map(|(_, p)| p.get("name").and_then(Value::as_str).map(str::to_ascii_lowercase))
        .collect();
    let id = headers.iter().any(|h| h == "repeatability-request-id");
    let first = headers.iter().any(|h| h == "repeatability-first-sent");
    match (id, first) {
        (true, true) => "standard",
        (true, false) => "request-id-only",
        _ => "none",
    }
}

/// Whether a header parameter is one the spec's `repeatability` or the client's runtime fills.
pub fn is_runtime_header(p: &Value) -> bool {
    p.get("in").and_then(Value::as_str) == Some("header")
        && p.get("name").and_then(Value::as_str).is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.starts_with("repeatability-") || n == "x-ms-client-request-id"
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_and_join() {
        assert_eq!(normalize("a/b/../c/./d"), "a/c/d");
        assert_eq!(normalize("../x/../../y"), "../../y");
        assert_eq!(join("../shared/a/b", "../../c/d.json"), "../shared/c/d.json");
        assert_eq!(path_key("/rooms/{roomId}/participants/"), "/rooms/{}/participants");
    }

    #[test]
    fn a_reference_in_the_upstream_layout_finds_the_local_copy() {
        let mut files = BTreeMap::new();
        files.insert("specs/rooms/2023-10-30/rooms.json".to_owned(), "{}".to_owned());
        files.insert("specs/common/2022-07-13/common.json".to_owned(), "{}".to_owned());
        files.insert("specs/common/2023-11-15/common.json".to_owned(), "{}".to_owned());
        files.insert("specs/common-types/data-plane-v1/types.json".to_owned(), "{}".to_owned());
        let docs = Documents::new(&files);
        let from = "specs/rooms/2023-10-30/rooms.json";
        assert_eq!(
            docs.resolve_file(from, "../../../Common/stable/2022-07-13/common.json").unwrap(),
            "specs/common/2022-07-13/common.json"
        );
        assert_eq!(
            docs.resolve_file(from, "../../../../../common-types/data-plane/v1/types.json")
                .unwrap(),
            "specs/common-types/data-plane-v1/types.json"
        );
        assert!(docs.resolve_file(from, "../other.json").is_err());
    }
}
