//! The spec files as written: serde structs that mirror the YAML exactly and reject unknown keys.
//! Nothing here resolves references or derives names; that is the lowering step's job.

mod locate;
mod map;

use serde::Deserialize;

pub use locate::Locations;
pub use map::Map;

use crate::diagnostics::{Diagnostic, Position};

/// One parsed spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Rust module (and cargo feature) name.
    pub module: String,
    /// Module documentation.
    pub description: String,
    /// Modules whose definitions may be referenced by name.
    #[serde(default)]
    pub imports: Vec<String>,
    /// Clients by name.
    #[serde(default)]
    pub clients: Map<String, Client>,
    /// Operations by name.
    #[serde(default)]
    pub operations: Map<String, Operation>,
    /// Definitions by name.
    #[serde(default)]
    pub definitions: Map<String, Definition>,
    /// Event sets by enum name.
    #[serde(default)]
    pub events: Map<String, EventSet>,
    /// The OpenAPI file the spec is transcribed from, relative to the workspace root; read by
    /// `cargo xtask drift`, not by the generator.
    pub source: Option<String>,
    /// Differences from `source` made on purpose, each with its reason; read by `cargo xtask
    /// drift`, not by the generator.
    #[serde(default)]
    pub deliberate: Vec<Deliberate>,
}

/// Differences from the OpenAPI source that a spec makes on purpose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deliberate {
    /// Why the spec differs.
    pub reason: String,
    /// The spec paths (`definitions.RoomModel.properties.pstnDialOutEnabled`) whose differences
    /// this reason covers.
    pub at: Vec<String>,
}

/// A client.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Client {
    /// Doc comment.
    pub description: String,
    /// Default api-version (top-level clients).
    pub api_version: Option<String>,
    /// Accepted credentials (top-level clients).
    #[serde(default)]
    pub auth: Vec<AuthScheme>,
    /// The client this one is scoped under.
    pub parent: Option<String>,
    /// Path parameters fixed when a scoped client is created.
    #[serde(default)]
    pub scope: Map<String, ScopeParameter>,
}

/// A credential kind a client accepts.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum AuthScheme {
    /// ACS user access token as a bearer token.
    UserToken,
    /// HMAC-SHA256 signing with the resource access key.
    AccessKey,
    /// Microsoft Entra ID token credential.
    EntraId,
}

/// A path parameter bound by a scoped client.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeParameter {
    /// Scalar type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Doc comment.
    pub description: String,
}

/// An operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The client the operation belongs to.
    pub client: Option<String>,
    /// Doc comment.
    pub description: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template.
    pub path: String,
    /// Path, query and header parameters by wire name.
    #[serde(default)]
    pub parameters: Map<String, Parameter>,
    /// Repeatability headers the operation takes.
    #[serde(default)]
    pub repeatability: Repeatability,
    /// Request body.
    pub body: Option<Body>,
    /// How a list operation pages.
    pub paging: Option<Paging>,
    /// How a long-running operation is polled to its end.
    #[serde(rename = "long-running")]
    pub long_running: Option<LongRunning>,
    /// Success responses by status.
    pub responses: Map<u16, Response>,
    /// Body type of error responses.
    pub error: String,
    /// Examples by title.
    #[serde(default)]
    pub examples: Map<String, OperationExample>,
}

/// HTTP methods an operation may use.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

/// Which repeatability headers an operation takes.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Repeatability {
    /// None.
    #[default]
    None,
    /// `Repeatability-Request-ID` and `Repeatability-First-Sent`.
    Standard,
    /// Lower-case `repeatability-request-id` alone.
    RequestIdOnly,
}

/// A path, query or header parameter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Where the parameter goes.
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    /// Scalar type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the parameter is positional.
    #[serde(default)]
    pub required: bool,
    /// Doc comment.
    pub description: String,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

/// A request body: a type name, or a type with a description.
#[derive(Debug)]
pub enum Body {
    /// Only the type.
    Type(String),
    /// Type and description.
    Described(DescribedBody),
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // By hand rather than `untagged`, so that a mistake inside the long form is reported as
        // itself (an unknown key, a missing `type`) instead of "matches no variant".
        struct BodyVisitor;
        impl<'de> serde::de::Visitor<'de> for BodyVisitor {
            type Value = Body;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a type name, or a mapping with `type` and `description`")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Body, E> {
                Ok(Body::Type(value.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Body, A::Error> {
                DescribedBody::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Body::Described)
            }
        }
        deserializer.deserialize_any(BodyVisitor)
    }
}

/// The long form of a request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DescribedBody {
    /// Body type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Doc comment of the body argument.
    pub description: String,
    /// Media type: `application/json` (default) or `application/merge-patch+json`.
    pub content_type: Option<String>,
    /// The body's parameter name in OpenAPI example files.
    pub parameter: Option<String>,
}

/// How a list operation pages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Paging {
    /// The list property of the page holding its items.
    pub items: String,
    /// The string property holding the next page's URL.
    pub next_link: String,
}

/// How a long-running operation is polled: its success body is the status monitor, polled at
/// the `Operation-Location` the first response names until its status is terminal.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LongRunning {
    /// The property of the status monitor holding the status (`status` unless given).
    pub status: Option<String>,
    /// The statuses meaning success (`[Succeeded]` unless given).
    pub succeeded: Option<Vec<String>>,
    /// The statuses meaning failure (`[Failed]` unless given).
    pub failed: Option<Vec<String>>,
    /// The statuses meaning cancellation (`[Canceled]` unless given).
    pub canceled: Option<Vec<String>>,
    /// A `GET` operation of the same client that reads one status monitor: the generated
    /// `resume_…` method takes its path parameters (else the status monitor URL).
    pub resume_with: Option<String>,
}

/// A success response.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// What the status means.
    pub description: String,
    /// Body type, if any.
    pub body: Option<String>,
    /// Typed response headers by name.
    #[serde(default)]
    pub headers: Map<String, ResponseHeader>,
}

/// A typed response header.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseHeader {
    /// Scalar type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Doc comment.
    pub description: String,
}

/// A documented request/response pair, written out or in an OpenAPI example file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationExample {
    /// An OpenAPI example file, relative to the workspace root, read when the tests run.
    pub file: Option<String>,
    /// The request.
    #[serde(default)]
    pub request: ExampleRequest,
    /// The response.
    pub response: Option<ExampleResponse>,
}

/// The request half of an example.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleRequest {
    /// Parameter values by name.
    #[serde(default)]
    pub parameters: Map<String, serde_json::Value>,
    /// Request body JSON.
    pub body: Option<Json>,
}

/// The response half of an example.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleResponse {
    /// Status code.
    pub status: u16,
    /// Header values by name.
    #[serde(default)]
    pub headers: Map<String, String>,
    /// Response body JSON.
    pub body: Option<Json>,
}

/// A definition: exactly one of an object, an enum or a union.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Doc comment.
    pub description: String,
    /// Object: the properties by JSON name.
    pub properties: Option<Map<String, Property>>,
    /// Object: the definition whose properties come first.
    pub extends: Option<String>,
    /// Object: the discriminator and the variants of a kind-tagged object.
    pub union: Option<Union>,
    /// Enum: wire value → description.
    #[serde(rename = "enum")]
    pub values: Option<Map<String, String>>,
    /// Enum: whether the value set is closed.
    #[serde(default)]
    pub closed: bool,
    /// Object: runtime traits the generated type implements (their methods all have defaults).
    #[serde(default)]
    pub implements: Vec<String>,
    /// Example JSON values.
    #[serde(default)]
    pub examples: Vec<Json>,
}

/// The variants of a kind-tagged object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Union {
    /// The JSON property naming the variant.
    pub discriminator: String,
    /// Discriminator value → variant.
    pub variants: Map<String, UnionVariant>,
}

/// One variant of a kind-tagged object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnionVariant {
    /// The sibling property holding the variant's payload.
    pub property: String,
    /// The payload type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Doc comment.
    pub description: String,
}

/// A property of an object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    /// Type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Doc comment.
    pub description: String,
    /// Whether the property must be present.
    #[serde(default)]
    pub required: bool,
    /// Other JSON names accepted on input.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The value the service assumes when the property is absent (a string, number, boolean or
    /// enum value); the field is then never optional.
    pub default: Option<serde_json::Value>,
    /// Whether the value may appear in `Debug` output (an id). Numbers, booleans, dates, enums
    /// and objects are; strings, URLs and JSON are not unless marked.
    #[serde(default)]
    pub safe: bool,
}

/// An event set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSet {
    /// Doc comment.
    pub description: String,
    /// Event type string → data definition.
    #[serde(default)]
    pub types: Map<String, String>,
    /// Other event sets of the module this one covers, each as a variant of its own.
    #[serde(default)]
    pub includes: Vec<String>,
    /// Whole deliveries that must round-trip.
    #[serde(default)]
    pub examples: Vec<Json>,
}

/// A JSON value written in a spec (an example body), kept as its pretty-printed text with keys
/// sorted. Generated tests embed exactly this text, and text takes a fraction of the memory of a
/// `serde_json::Value` tree, which matters when a spec has thousands of examples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Json(Box<str>);

impl Json {
    /// The pretty-printed JSON.
    pub fn text(&self) -> &str {
        &self.0
    }

    /// The value, parsed again from the text.
    pub fn value(&self) -> serde_json::Value {
        // The text was printed by serde_json, so it parses.
        serde_json::from_str(&self.0).unwrap_or_default()
    }
}

impl From<&serde_json::Value> for Json {
    fn from(value: &serde_json::Value) -> Self {
        Json(serde_json::to_string_pretty(value).unwrap_or_default().into())
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(|value| Json::from(&value))
    }
}

/// A spec file that parsed, with the positions of its nodes.
pub struct LoadedSpec<'a> {
    /// The file name used in messages.
    pub file: String,
    /// The content.
    pub spec: Spec,
    /// Where each YAML path starts.
    pub locations: Locations<'a>,
}

/// Where the key of `path` is written in `file`, one of `specs`.
pub fn key_position(specs: &[LoadedSpec], file: &str, path: &str) -> Position {
    let spec = specs.iter().find(|s| s.file == file);
    spec.map(|s| s.locations.key(path)).unwrap_or_default()
}

/// Parses one spec file. Syntax and structure errors come back as diagnostics with positions.
pub fn load<'a>(file: &str, text: &'a str) -> Result<LoadedSpec<'a>, Vec<Diagnostic>> {
    // Editors on some systems save a byte-order mark; it is not part of the YAML.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let locations = Locations::index(text)
        .map_err(|(position, message)| Diagnostic {
            file: file.to_owned(),
            position,
            path: String::new(),
            message: format!("invalid yaml: {message}"),
        })
        .map_err(|d| vec![d])?;
    let duplicates: Vec<Diagnostic> = locations
        .duplicate_keys()
        .iter()
        .map(|(path, position)| {
            let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
            Diagnostic {
                file: file.to_owned(),
                position: *position,
                path: parent.to_owned(),
                message: format!("duplicate key '{key}'"),
            }
        })
        .collect();
    match serde_yaml::from_str::<Spec>(text) {
        Ok(spec) if duplicates.is_empty() => {
            Ok(LoadedSpec { file: file.to_owned(), spec, locations })
        }
        Ok(_) => Err(duplicates),
        Err(error) => {
            let mut all = duplicates;
            all.push(structure_error(file, &error));
            Err(all)
        }
    }
}

/// serde's messages in the words of the spec format: what was expected at the key and what was
/// found, without serde's own terms ("invalid type: map", "unknown variant").
fn plain_words(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let found = match found {
                "map" => "a mapping".to_owned(),
                "sequence" => "a list".to_owned(),
                "unit value" => "nothing (null)".to_owned(),
                other => other
                    .replace("string ", "the string ")
                    .replace("integer ", "the number ")
                    .replace("floating point ", "the number ")
                    .replace("boolean ", "the boolean "),
            };
            let expected = expected
                .replace("struct ", "a mapping of ")
                .replace("a map", "a mapping")
                .replace("a sequence", "a list");
            return format!("expected {expected}, found {found}");
        }
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        return format!("unexpected {rest}");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return format!("unknown value {rest}");
    }
    message.to_owned()
}

fn structure_error(file: &str, error: &serde_yaml::Error) -> Diagnostic {
    let position = error
        .location()
        .map(|l| Position { line: l.line(), column: l.column() })
        .unwrap_or_default();
    // serde_yaml writes "path: message at line L column C"; the position goes in front instead.
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) if error.location().is_some() => text[..at].to_owned(),
        _ => text,
    };
    let (path, message) = match text.split_once(": ") {
        Some((path, message)) if !path.contains(' ') => (path.to_owned(), message.to_owned()),
        _ => (String::new(), text),
    };
    let message = plain_words(&message);
    let message = match message.strip_prefix("unknown field `") {
        // `{ description: Set, clear or keep }` ends the value at the comma and reads the rest
        // as a key: say so rather than leave the author puzzling over a sentence-shaped key.
        Some(rest) if rest.split('`').next().is_some_and(|key| key.contains(' ')) => format!(
            "{message} (a comma ends an unquoted value inside {{ }}: put the value in quotes)"
        ),
        _ => message,
    };
    Diagnostic { file: file.to_owned(), position, path, message }
}
