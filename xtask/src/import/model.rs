//! The imported spec before it is written: the keys of `docs/spec-format.md`, in the order they
//! are written, each item with the comments that go above it.

use std::collections::BTreeMap;

/// A whole spec.
#[derive(Debug, Default)]
pub struct Spec {
    /// Comment lines at the top of the file.
    pub header: Vec<String>,
    /// `module`.
    pub module: String,
    /// `description`.
    pub description: String,
    /// `imports`.
    pub imports: Vec<String>,
    /// `source`.
    pub source: String,
    /// `deliberate`: (reason, paths), for differences the import makes itself.
    pub deliberate: Vec<(String, Vec<String>)>,
    /// `clients`.
    pub clients: Vec<Client>,
    /// `operations`, in the OpenAPI file's order.
    pub operations: Vec<Operation>,
    /// `definitions`, in the order they are first reached.
    pub definitions: Vec<Definition>,
    /// Definitions used here but defined by other specs: name → file.
    pub reused: BTreeMap<String, String>,
}

/// A client.
#[derive(Debug, Default, Clone)]
pub struct Client {
    /// Comments above it.
    pub comments: Vec<String>,
    /// Its name.
    pub name: String,
    /// `description`.
    pub description: String,
    /// `api-version` (top-level clients).
    pub api_version: Option<String>,
    /// `auth` (top-level clients).
    pub auth: Vec<String>,
    /// `parent`.
    pub parent: Option<String>,
    /// `scope`.
    pub scope: Vec<Parameter>,
}

/// An operation.
#[derive(Debug, Default)]
pub struct Operation {
    /// Comments above it.
    pub comments: Vec<String>,
    /// Its name.
    pub name: String,
    /// `client`, when the spec has several.
    pub client: Option<String>,
    /// `description`.
    pub description: String,
    /// `method`.
    pub method: String,
    /// `path`.
    pub path: String,
    /// `parameters`.
    pub parameters: Vec<Parameter>,
    /// `repeatability`, unless none.
    pub repeatability: Option<String>,
    /// `body`.
    pub body: Option<Body>,
    /// `paging`: (items, next-link).
    pub paging: Option<(String, String)>,
    /// `long-running: {}`: the OpenAPI's long-running operation, polled with the defaults.
    pub long_running: bool,
    /// `responses`.
    pub responses: Vec<Response>,
    /// `error`.
    pub error: String,
    /// `examples`.
    pub examples: Vec<Example>,
}

/// A parameter (or a scope parameter, without `in`).
#[derive(Debug, Default, Clone)]
pub struct Parameter {
    /// Comments above it.
    pub comments: Vec<String>,
    /// Wire name.
    pub name: String,
    /// `in`; `None` for a scope parameter.
    pub location: Option<String>,
    /// `type`.
    pub ty: String,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: String,
}

/// A request body.
#[derive(Debug, Default)]
pub struct Body {
    /// Comments above it.
    pub comments: Vec<String>,
    /// `type`.
    pub ty: String,
    /// `description`.
    pub description: String,
    /// `content-type`, unless JSON.
    pub content_type: Option<String>,
    /// `parameter`, when not the type name in camelCase.
    pub parameter: Option<String>,
}

/// A success response.
#[derive(Debug, Default)]
pub struct Response {
    /// Comments above it.
    pub comments: Vec<String>,
    /// Status.
    pub status: u16,
    /// `description`.
    pub description: String,
    /// `body`.
    pub body: Option<String>,
    /// `headers`.
    pub headers: Vec<ResponseHeader>,
}

/// A response header.
#[derive(Debug, Default)]
pub struct ResponseHeader {
    /// Comments above it.
    pub comments: Vec<String>,
    /// Header name.
    pub name: String,
    /// `type`.
    pub ty: String,
    /// `description`.
    pub description: String,
}

/// An example file.
#[derive(Debug, Default)]
pub struct Example {
    /// Comments above it.
    pub comments: Vec<String>,
    /// Title.
    pub title: String,
    /// `file`, relative to the workspace root.
    pub file: String,
}

/// A definition.
#[derive(Debug)]
pub struct Definition {
    /// Comments above it.
    pub comments: Vec<String>,
    /// Its name.
    pub name: String,
    /// `description`.
    pub description: String,
    /// Object or enum.
    pub kind: DefKind,
}

/// What a definition is.
#[derive(Debug)]
pub enum DefKind {
    /// An object.
    Object {
        /// `extends`.
        extends: Option<String>,
        /// `properties`.
        properties: Vec<Property>,
        /// `union`.
        union: Option<Union>,
    },
    /// An enum.
    Enum {
        /// Wire value → description.
        values: Vec<(String, String)>,
        /// `closed`.
        closed: bool,
    },
}

/// A property.
#[derive(Debug, Default)]
pub struct Property {
    /// Comments above it.
    pub comments: Vec<String>,
    /// JSON name.
    pub name: String,
    /// `type`.
    pub ty: String,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: String,
}

/// A union.
#[derive(Debug)]
pub struct Union {
    /// `discriminator`.
    pub discriminator: String,
    /// `variants`.
    pub variants: Vec<Variant>,
}

/// A union variant.
#[derive(Debug)]
pub struct Variant {
    /// Discriminator value.
    pub value: String,
    /// `property`.
    pub property: String,
    /// `type`.
    pub ty: String,
    /// `description`.
    pub description: String,
}
