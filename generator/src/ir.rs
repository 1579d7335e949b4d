//! The intermediate representation: every reference resolved, every Rust name final, every list
//! sorted. Emitters read only this; each node remembers where in the spec it came from.

use serde_json::Value;

pub use crate::spec::{AuthScheme, HttpMethod, Json, ParameterLocation, Repeatability};

/// Where an IR node came from, for errors found after lowering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Spec file.
    pub file: String,
    /// Dotted YAML path; the line and column are looked up from it only when an error needs
    /// them.
    pub path: String,
}

/// All modules of the generated crate, sorted by name.
#[derive(Debug)]
pub struct Ir {
    /// Modules by name.
    pub modules: Vec<Module>,
}

/// One module of the generated crate: the output of one spec file.
#[derive(Debug)]
pub struct Module {
    /// Rust module name.
    pub name: String,
    /// The spec file it comes from.
    pub spec_file: String,
    /// Module documentation.
    pub description: String,
    /// Whether the module sits behind a cargo feature of its own name (modules with clients or
    /// events do; modules of shared definitions are always compiled).
    pub feature_gated: bool,
    /// Object definitions.
    pub structs: Vec<Struct>,
    /// Enum definitions.
    pub enums: Vec<Enum>,
    /// Clients, parents before their scoped clients.
    pub clients: Vec<Client>,
    /// Event sets.
    pub event_sets: Vec<EventSet>,
    /// Structs of this module that a paging operation (of any module) returns, sorted by name.
    pub pages: Vec<Page>,
    /// Status monitors of long-running operations defined here (possibly polled by operations of
    /// other modules).
    pub monitors: Vec<Monitor>,
}

impl Module {
    /// The top-level client `client` belongs to: itself, or its parent.
    pub fn top_client<'m>(&'m self, client: &'m Client) -> &'m Client {
        client.parent.and_then(|p| self.clients.get(p)).unwrap_or(client)
    }

    /// The scoped clients created from `client`.
    pub fn children<'m>(&'m self, client: &'m Client) -> impl Iterator<Item = &'m Client> + 'm {
        client.children.iter().filter_map(|&c| self.clients.get(c))
    }

    /// What the crate root, the crate manifest and the test mains need to know of the module.
    pub fn head(&self) -> ModuleHead {
        ModuleHead {
            name: self.name.clone(),
            spec_file: self.spec_file.clone(),
            description: self.description.clone(),
            feature_gated: self.feature_gated,
            has_events: !self.event_sets.is_empty(),
            clients: self
                .clients
                .iter()
                .filter(|c| c.parent.is_none())
                .map(|c| (c.name.clone(), c.options_name.clone()))
                .collect(),
        }
    }
}

/// A module without its items: its name, documentation and feature, and the names the crate
/// root re-exports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleHead {
    /// Rust module name, also the name of its cargo feature when it is gated.
    pub name: String,
    /// The spec file it comes from.
    pub spec_file: String,
    /// Module documentation.
    pub description: String,
    /// Whether the module sits behind a cargo feature of its own name.
    pub feature_gated: bool,
    /// Whether it has event sets (and so needs the runtime's event envelopes).
    pub has_events: bool,
    /// Its top-level clients and their options structs, re-exported at the crate root.
    pub clients: Vec<(String, String)>,
}

/// A struct that is a page of a listing: its pager yields the items of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// Rust name of the struct.
    pub name: String,
    /// Rust field holding the items.
    pub items_field: String,
    /// Whether that field is required (else a missing list means no items).
    pub items_required: bool,
    /// Item type.
    pub item: Type,
}

/// A status monitor: a struct that long-running operations poll, which implements azure_core's
/// `StatusMonitor` in its own module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Monitor {
    /// Rust name of the struct.
    pub name: String,
    /// Rust field holding the status.
    pub status_field: String,
    /// Whether that field is required (else a missing status means "still running").
    pub status_required: bool,
    /// The statuses meaning success, failure and cancellation, as the service spells them.
    pub succeeded: Vec<String>,
    /// See `succeeded`.
    pub failed: Vec<String>,
    /// See `succeeded`.
    pub canceled: Vec<String>,
}

/// How a long-running operation is polled.
#[derive(Debug, Clone)]
pub struct LongRunning {
    /// The status monitor type (the operation's success body), which may live in another module.
    pub monitor: Named,
    /// Its status field and terminal statuses.
    pub status: Monitor,
    /// The `resume_…` method.
    pub resume: Resume,
}

/// The `resume_…` method of a long-running operation.
#[derive(Debug, Clone)]
pub struct Resume {
    /// Rust method name.
    pub method_name: String,
    /// Name of its options struct.
    pub options_name: String,
    /// How it finds the status monitor: by the path of a status operation, or by URL.
    pub by: ResumeBy,
}

/// How a `resume_…` method finds the status monitor.
#[derive(Debug, Clone)]
pub enum ResumeBy {
    /// The status monitor URL, as the first response's `Operation-Location` gave it.
    Url,
    /// The path of the named `GET` operation (by spec name), with its path parameters.
    Operation {
        /// The status operation's name in the spec.
        spec_name: String,
        /// Its path template.
        path: Vec<PathPart>,
        /// Its path parameters, positional in `resume_…`.
        parameters: Vec<Parameter>,
    },
}

/// A resolved type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    Int32,
    /// `i64`.
    Int64,
    /// `f64`.
    Float64,
    /// RFC 3339 `OffsetDateTime`.
    DateTime,
    /// RFC 1123 `OffsetDateTime`.
    DateTimeRfc1123,
    /// `Uuid`.
    Uuid,
    /// `Url`.
    Url,
    /// A JSON number or string, kept as sent.
    NumberOrString,
    /// Any JSON.
    Json,
    /// `Vec<T>`.
    List(Box<Type>),
    /// `BTreeMap<String, T>`.
    Map(Box<Type>),
    /// Absent, null or a value: `Nullable<T>` as a field, `Option<T>` inside collections.
    Nullable(Box<Type>),
    /// A definition.
    Named(Named),
}

/// A reference to a definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// Rust module of the definition.
    pub module: String,
    /// Rust type name.
    pub name: String,
    /// Whether it is an enum (rather than a struct).
    pub is_enum: bool,
}

impl Type {
    /// Whether `Debug` may show values of the type without the spec saying so: numbers,
    /// booleans, dates, UUIDs, enums, and objects (whose own `Debug` decides for their fields),
    /// also in lists and maps. Strings, URLs and JSON may hold personal data or secrets.
    pub fn safe_to_log(&self) -> bool {
        match self {
            Type::Bool
            | Type::Int32
            | Type::Int64
            | Type::Float64
            | Type::DateTime
            | Type::DateTimeRfc1123
            | Type::Uuid
            | Type::Named(_) => true,
            Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) => inner.safe_to_log(),
            Type::String | Type::Url | Type::Json | Type::NumberOrString => false,
        }
    }

    /// Whether values of the type are plain scalars that can go in a path, query or header.
    pub fn is_scalar(&self) -> bool {
        match self {
            Type::List(_)
            | Type::Map(_)
            | Type::Json
            | Type::NumberOrString
            | Type::Nullable(_) => false,
            Type::Named(n) => n.is_enum,
            _ => true,
        }
    }
}

/// An object definition.
#[derive(Debug)]
pub struct Struct {
    /// Rust type name.
    pub name: String,
    /// Doc comment.
    pub description: String,
    /// Fields: those of the extended definitions first, then its own, each in the order the
    /// spec writes them.
    pub fields: Vec<Field>,
    /// Example JSON values that must round-trip.
    pub examples: Vec<Json>,
    /// The variants, when the object is kind-tagged.
    pub union: Option<Union>,
    /// Runtime traits the type implements, as paths inside the runtime crate.
    pub implements: Vec<RuntimeTrait>,
    /// Where it was defined.
    pub origin: Origin,
}

/// A trait of the runtime crate that a generated type may implement: every method has a
/// default, so the generated `impl` is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeTrait {
    /// The name a spec uses in `implements`.
    pub name: &'static str,
    /// Its path inside the runtime crate.
    pub path: &'static str,
    /// Whether it needs `Default`, which kind-tagged objects without required fields have.
    pub needs_default: bool,
}

/// The runtime traits a spec may name in `implements`.
pub const RUNTIME_TRAITS: &[RuntimeTrait] = &[RuntimeTrait {
    name: "CommunicationIdentifier",
    path: "identifier::CommunicationIdentifier",
    needs_default: true,
}];

/// The kind-tagged part of an object.
#[derive(Debug)]
pub struct Union {
    /// The JSON property naming the variant.
    pub discriminator: String,
    /// Name of the generated enum of variants (`PlaySourceKind`).
    pub kind_enum: String,
    /// Variants in discriminator order.
    pub variants: Vec<UnionVariant>,
}

/// One variant of a kind-tagged object.
#[derive(Debug)]
pub struct UnionVariant {
    /// Discriminator value.
    pub value: String,
    /// Rust variant name.
    pub name: String,
    /// JSON property holding the payload.
    pub property: String,
    /// Name of the payload's field in the private wire struct.
    pub wire_field: String,
    /// Payload type.
    pub ty: Type,
    /// Doc comment.
    pub description: String,
}

/// A struct field.
#[derive(Debug)]
pub struct Field {
    /// Rust field name (may be a raw identifier).
    pub name: String,
    /// JSON name.
    pub json_name: String,
    /// Other JSON names accepted on input.
    pub aliases: Vec<String>,
    /// Doc comment.
    pub description: String,
    /// Type.
    pub ty: Type,
    /// Whether the field must be present.
    pub required: bool,
    /// Whether the value is boxed because the type contains itself.
    pub boxed: bool,
    /// The value an absent property stands for; the field is then required in Rust.
    pub default: Option<Literal>,
    /// Whether `Debug` shows the value (see [`Type::safe_to_log`]).
    pub safe: bool,
}

/// A constant of a scalar or enum type.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number.
    Float(f64),
    /// A variant of the field's enum type, by Rust name.
    Variant(String),
}

/// An enum definition.
#[derive(Debug)]
pub struct Enum {
    /// Rust type name.
    pub name: String,
    /// Doc comment.
    pub description: String,
    /// Whether unknown values are rejected instead of kept.
    pub closed: bool,
    /// Variants in wire-value order.
    pub variants: Vec<Variant>,
    /// Where it was defined.
    pub origin: Origin,
}

/// An enum variant.
#[derive(Debug)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// Wire value.
    pub wire: String,
    /// Doc comment.
    pub description: String,
}

/// A client.
#[derive(Debug)]
pub struct Client {
    /// Rust type name.
    pub name: String,
    /// Doc comment.
    pub description: String,
    /// Name of its options struct (top-level clients).
    pub options_name: String,
    /// Default api-version (top-level clients).
    pub api_version: Option<String>,
    /// Accepted credentials (top-level clients).
    pub auth: Vec<AuthScheme>,
    /// The parent of a scoped client, as its index in the module's clients.
    pub parent: Option<usize>,
    /// Method on the parent that creates this client.
    pub accessor: String,
    /// Path parameters bound at creation.
    pub scope: Vec<Parameter>,
    /// Scoped clients created from this one, as indices in the module's clients.
    pub children: Vec<usize>,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Where it was defined.
    pub origin: Origin,
}

/// An operation.
#[derive(Debug)]
pub struct Operation {
    /// Name as written in the spec.
    pub spec_name: String,
    /// Rust method name.
    pub method_name: String,
    /// Name of the options struct.
    pub options_name: String,
    /// Name of the typed response headers trait, when the responses declare headers.
    pub headers_trait: Option<String>,
    /// The response format marker of an operation with typed headers (`CreateRoomFormat`): the
    /// `F` of its `Response<T, F>`, so that its headers trait applies to its responses only.
    pub response_format: Option<String>,
    /// Doc comment.
    pub description: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// The path template, split.
    pub path: Vec<PathPart>,
    /// Query and header parameters, and path parameters not bound by the client.
    pub parameters: Vec<Parameter>,
    /// Repeatability headers.
    pub repeatability: Repeatability,
    /// Request body.
    pub body: Option<Body>,
    /// How a list operation pages.
    pub paging: Option<Paging>,
    /// How a long-running operation is polled (its method is then `begin_…`).
    pub long_running: Option<LongRunning>,
    /// Success responses by status.
    pub responses: Vec<Response>,
    /// The body type shared by every success response, if any.
    pub ok_body: Option<Type>,
    /// Error body type.
    pub error: Type,
    /// Examples.
    pub examples: Vec<OperationExample>,
    /// Where it was defined.
    pub origin: Origin,
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// A parameter of the operation (by Rust name).
    Parameter(String),
    /// A parameter bound by the client (by Rust name).
    Scope(String),
}

/// A path, query or header parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name.
    pub name: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Type (a scalar).
    pub ty: Type,
    /// Positional (true) or in the options struct.
    pub required: bool,
    /// Doc comment.
    pub description: String,
}

/// A request body.
#[derive(Debug)]
pub struct Body {
    /// Rust argument name.
    pub name: String,
    /// Type.
    pub ty: Type,
    /// Doc comment.
    pub description: String,
    /// Whether it is sent as `application/merge-patch+json` rather than `application/json`.
    pub merge_patch: bool,
    /// Its parameter name in OpenAPI example files.
    pub example_parameter: String,
}

/// How a list operation pages.
#[derive(Clone, Debug)]
pub struct Paging {
    /// The page type (the operation's success body), which may live in another module.
    pub page: Named,
    /// Rust field of the page holding the items.
    pub items_field: String,
    /// Whether that field is required (else a missing list means no items).
    pub items_required: bool,
    /// Item type.
    pub item: Type,
    /// JSON property holding the next link.
    pub next_link: String,
}

/// A success response.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Description.
    pub description: String,
    /// Typed headers.
    pub headers: Vec<ResponseHeader>,
}

/// A typed response header.
#[derive(Debug, Clone)]
pub struct ResponseHeader {
    /// Header name as written in the spec.
    pub wire_name: String,
    /// Accessor method name.
    pub name: String,
    /// Type.
    pub ty: Type,
    /// Doc comment.
    pub description: String,
}

/// An operation example.
#[derive(Debug)]
pub struct OperationExample {
    /// Title.
    pub title: String,
    /// Rust-safe name for a test function.
    pub test_name: String,
    /// What the example is.
    pub source: ExampleSource,
}

/// Where an operation example's request and response are.
#[derive(Debug)]
pub enum ExampleSource {
    /// An OpenAPI example file, read when the tests run (path relative to the workspace root).
    File(String),
    /// Written out in the spec.
    Inline(InlineExample),
}

/// An example written out in the spec.
#[derive(Debug)]
pub struct InlineExample {
    /// Parameter values by wire name.
    pub parameters: Vec<(String, Value)>,
    /// Request body.
    pub request_body: Option<Json>,
    /// Response status.
    pub status: u16,
    /// Response headers.
    pub response_headers: Vec<(String, String)>,
    /// Response body.
    pub response_body: Option<Json>,
    /// The type the response body decodes into (success body or error type).
    pub response_type: Option<Type>,
}

impl OperationExample {
    /// The example, when it is written out in the spec.
    pub fn inline(&self) -> Option<&InlineExample> {
        match &self.source {
            ExampleSource::Inline(inline) => Some(inline),
            ExampleSource::File(_) => None,
        }
    }
}

/// An event set.
#[derive(Debug)]
pub struct EventSet {
    /// Rust enum name.
    pub name: String,
    /// Doc comment.
    pub description: String,
    /// Variants, sorted by event type.
    pub variants: Vec<EventVariant>,
    /// The event sets of the module this one covers, each one variant, in the order written.
    pub includes: Vec<IncludedSet>,
    /// Whole deliveries that must round-trip.
    pub examples: Vec<Json>,
    /// Where it was defined.
    pub origin: Origin,
}

/// An event set covered by another: every type it knows decodes into its own variant.
#[derive(Debug)]
pub struct IncludedSet {
    /// Rust variant name (the set's name without `Event`: `Chat` for `ChatEvent`).
    pub name: String,
    /// Rust name of the included set.
    pub set: String,
    /// Its event type strings, so the covering set knows which member decodes a type.
    pub event_types: Vec<String>,
}

/// One event type of a set.
#[derive(Debug)]
pub struct EventVariant {
    /// Rust variant name.
    pub name: String,
    /// Event type string.
    pub event_type: String,
    /// Data payload type.
    pub data: Named,
}
