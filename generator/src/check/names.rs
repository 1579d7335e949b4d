//! The name tables: every Rust name the emitters will produce, derived names included, is
//! claimed in the table of its scope before anything is emitted, so that two things that would
//! get one name are a located spec error naming both, never a compile error in the output.
//!
//! Scopes and what they hold:
//! - a module: definitions, the `…Kind` enum and private `…Wire` struct of a kind-tagged object,
//!   clients, client and operation `…Options`, `…Headers` traits, event sets;
//! - a client: `new`, `from_connection_string`, `endpoint`, the scope getters, the accessors of
//!   its scoped clients and one method per operation;
//! - an operation method: `self`, `options`, the locals of the generated body, the positional
//!   parameters and the body argument;
//! - a kind-tagged object: its fields, `kind` and the payload fields of its wire struct;
//! - a module's wire tests and its round-trip tests: the test functions;
//! - the crate: its modules and their cargo features, the runtime alias, the names re-exported at
//!   the root (the runtime's and every top-level client's), the test mains' `support` module and
//!   the runnable example files.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::ir::{Module, ModuleHead, Origin};
use crate::names;
use crate::spec::{self, LoadedSpec};

/// Names the generated crate root holds whatever the specs say.
pub const CRATE_ROOT_RESERVED: &[&str] = &[
    "runtime",
    "azure_communication_runtime",
    "support",
    "test_util",
    "AccessKeyCredential",
    "CallLimits",
    "CommunicationCloud",
    "CommunicationIdentifier",
    "CommunicationTokenCredential",
    "CommunicationTokenRefreshOptions",
    "ConnectionString",
    "LimitError",
    "Nullable",
    "NumberOrString",
    "OperationFailed",
    "ServiceError",
    "UserTokenCredential",
    "parse_cloud_events",
    "parse_cloud_events_each",
    "parse_event_grid",
    "parse_event_grid_each",
    "AbuseProtection",
    "CloudEvent",
    "Delivery",
    "DeliveryError",
    "EventData",
    "EventGridEvent",
    "SubscriptionValidation",
];

/// Cargo feature names with a meaning of their own.
const RESERVED_FEATURES: &[&str] = &["default", "test-util"];

/// Locals and arguments of every generated operation method.
const METHOD_RESERVED: &[&str] =
    &["self", "options", "url", "request", "response", "headers", "ctx"];

/// Who claimed a name, for the message of a clash.
struct Claim {
    what: String,
    at: Option<(String, String)>,
}

/// One scope's names.
struct Table<'s> {
    scope: String,
    names: HashMap<String, Claim>,
    specs: &'s [LoadedSpec<'s>],
}

impl<'s> Table<'s> {
    fn new(scope: impl Into<String>, specs: &'s [LoadedSpec<'s>]) -> Self {
        Table { scope: scope.into(), names: HashMap::new(), specs }
    }

    fn reserve(&mut self, names: &[&str], what: &str) {
        for name in names {
            self.names
                .insert((*name).to_owned(), Claim { what: format!("{what} '{name}'"), at: None });
        }
    }

    /// Claims `name` for `what`, defined at `path` of `file`; a clash is reported there.
    fn claim(
        &mut self,
        name: &str,
        what: String,
        file: &str,
        path: &str,
        errors: &mut Diagnostics,
    ) {
        let key = names::unraw(name).to_owned();
        if let Some(first) = self.names.get(&key) {
            let first_at = match &first.at {
                Some((f, p)) => {
                    let position = spec::key_position(self.specs, f, p);
                    format!(" (at {f}:{}:{})", position.line, position.column)
                }
                None => String::new(),
            };
            errors.push(Diagnostic {
                file: file.to_owned(),
                position: self.position(file, path),
                path: path.to_owned(),
                message: format!(
                    "{what} and {}{first_at} both become '{key}' in {}",
                    first.what, self.scope
                ),
            });
        } else {
            self.names.insert(key, Claim { what, at: Some((file.to_owned(), path.to_owned())) });
        }
    }

    fn claim_at(&mut self, name: &str, what: String, origin: &Origin, errors: &mut Diagnostics) {
        self.claim(name, what, &origin.file, &origin.path, errors);
    }

    fn position(&self, file: &str, path: &str) -> Position {
        spec::key_position(self.specs, file, path)
    }
}

/// Checks every scope inside one module.
pub fn check_module(module: &Module, specs: &[LoadedSpec], errors: &mut Diagnostics) {
    let mut items = Table::new(format!("module '{}'", module.name), specs);
    for s in &module.structs {
        let definition = s.origin.path.trim_start_matches("definitions.");
        items.claim_at(&s.name, format!("definition '{definition}'"), &s.origin, errors);
        if let Some(union) = &s.union {
            let kind = format!("the kind enum of '{definition}'");
            items.claim_at(&union.kind_enum, kind, &s.origin, errors);
            let wire = format!("the wire struct of '{definition}'");
            items.claim_at(&format!("{}Wire", s.name), wire, &s.origin, errors);
            let mut fields = Table::new(format!("the fields of '{}'", s.name), specs);
            fields.reserve(&["kind", "write_discriminator"], "the field the generator adds");
            for f in &s.fields {
                let path = format!("{}.properties.{}", s.origin.path, f.json_name);
                fields.claim(
                    &f.name,
                    format!("property '{}'", f.json_name),
                    &s.origin.file,
                    &path,
                    errors,
                );
            }
            for v in &union.variants {
                let path = format!("{}.union.variants.{}", s.origin.path, v.value);
                let what = format!("the payload of variant '{}'", v.value);
                fields.claim(&v.wire_field, what, &s.origin.file, &path, errors);
            }
        }
    }
    for e in &module.enums {
        let definition = e.origin.path.trim_start_matches("definitions.");
        items.claim_at(&e.name, format!("definition '{definition}'"), &e.origin, errors);
    }
    for set in &module.event_sets {
        let name = set.origin.path.trim_start_matches("events.");
        items.claim_at(&set.name, format!("event set '{name}'"), &set.origin, errors);
    }
    for client in &module.clients {
        let name = client.origin.path.trim_start_matches("clients.");
        items.claim_at(&client.name, format!("client '{name}'"), &client.origin, errors);
        if client.parent.is_none() {
            let what = format!("the options of client '{name}'");
            items.claim_at(&client.options_name, what, &client.origin, errors);
        }
        for op in &client.operations {
            let what = format!("the options of operation '{}'", op.spec_name);
            items.claim_at(&op.options_name, what, &op.origin, errors);
            if let Some(lro) = &op.long_running {
                let what = format!("the options of resuming operation '{}'", op.spec_name);
                items.claim_at(&lro.resume.options_name, what, &op.origin, errors);
            }
            if let Some(t) = &op.headers_trait {
                let what = format!("the response headers of operation '{}'", op.spec_name);
                items.claim_at(t, what, &op.origin, errors);
            }
            if let Some(f) = &op.response_format {
                let what = format!("the response format of operation '{}'", op.spec_name);
                items.claim_at(f, what, &op.origin, errors);
            }
        }
        check_client(module, client, specs, errors);
    }
    check_tests(module, specs, errors);
}

fn check_client(
    module: &Module,
    client: &crate::ir::Client,
    specs: &[LoadedSpec],
    errors: &mut Diagnostics,
) {
    let mut methods = Table::new(format!("the methods of {}", client.name), specs);
    let mut own = vec!["endpoint"];
    if client.parent.is_none() {
        own.extend(["new", "from_connection_string"]);
    }
    methods.reserve(&own, "the client method");
    for p in &client.scope {
        let path = format!("{}.scope.{}", client.origin.path, p.wire_name);
        let what = format!("the getter of scope parameter '{}'", p.wire_name);
        methods.claim(&p.name, what, &client.origin.file, &path, errors);
    }
    for child in module.children(client) {
        let what = format!("the accessor of scoped client '{}'", child.name);
        methods.claim_at(&child.accessor, what, &child.origin, errors);
    }
    for op in &client.operations {
        let what = match op.long_running {
            Some(_) => format!("the begin method of long-running operation '{}'", op.spec_name),
            None => format!("operation '{}'", op.spec_name),
        };
        methods.claim_at(&op.method_name, what, &op.origin, errors);
        if let Some(lro) = &op.long_running {
            let what = format!("the resume method of operation '{}'", op.spec_name);
            methods.claim_at(&lro.resume.method_name, what, &op.origin, errors);
            if let crate::ir::ResumeBy::Operation { parameters, .. } = &lro.resume.by {
                let mut arguments = Table::new(
                    format!(
                        "the arguments of {}::{}",
                        client.name,
                        names::unraw(&lro.resume.method_name)
                    ),
                    specs,
                );
                arguments.reserve(METHOD_RESERVED, "the argument or local the generator uses");
                for p in parameters {
                    let what = format!("path parameter '{}'", p.wire_name);
                    arguments.claim_at(&p.name, what, &op.origin, errors);
                }
            }
        }
        let mut arguments = Table::new(
            format!("the arguments of {}::{}", client.name, names::unraw(&op.method_name)),
            specs,
        );
        arguments.reserve(METHOD_RESERVED, "the argument or local the generator uses");
        for p in op.parameters.iter().filter(|p| p.required) {
            let path = format!("{}.parameters.{}", op.origin.path, p.wire_name);
            let what = format!("parameter '{}'", p.wire_name);
            arguments.claim(&p.name, what, &op.origin.file, &path, errors);
        }
        if let Some(body) = &op.body {
            let path = format!("{}.body", op.origin.path);
            arguments.claim(
                &body.name,
                "the body argument".to_owned(),
                &op.origin.file,
                &path,
                errors,
            );
        }
    }
}

fn check_tests(module: &Module, specs: &[LoadedSpec], errors: &mut Diagnostics) {
    let mut wire = Table::new(format!("the wire tests of module '{}'", module.name), specs);
    let mut round_trip =
        Table::new(format!("the round-trip tests of module '{}'", module.name), specs);
    for s in &module.structs {
        for i in 0..s.examples.len() {
            let name = names::example_test_name(&s.name, false, i);
            let what = format!("example {} of '{}'", i + 1, s.name);
            round_trip.claim_at(&name, what, &s.origin, errors);
        }
    }
    for set in &module.event_sets {
        for i in 0..set.examples.len() {
            let name = names::example_test_name(&set.name, true, i);
            let what = format!("example {} of event set '{}'", i + 1, set.name);
            round_trip.claim_at(&name, what, &set.origin, errors);
        }
    }
    for op in module.clients.iter().flat_map(|c| &c.operations) {
        for ex in &op.examples {
            let path = format!("{}.examples.{}", op.origin.path, ex.title);
            let inline = ex.inline();
            let status = inline.map(|i| i.status);
            let what = format!("example '{}' of operation '{}'", ex.title, op.spec_name);
            let name = names::wire_test_name(&op.method_name, &ex.test_name, status);
            wire.claim(&name, what.clone(), &op.origin.file, &path, errors);
            let Some(ex_inline) = inline else { continue };
            if ex_inline.request_body.is_some() && op.body.is_some() {
                let name = names::body_test_name(&op.method_name, &ex.test_name, None);
                round_trip.claim(
                    &name,
                    format!("the request of {what}"),
                    &op.origin.file,
                    &path,
                    errors,
                );
            }
            if ex_inline.response_body.is_some() && ex_inline.response_type.is_some() {
                let status = Some(ex_inline.status);
                let name = names::body_test_name(&op.method_name, &ex.test_name, status);
                round_trip.claim(
                    &name,
                    format!("the response of {what}"),
                    &op.origin.file,
                    &path,
                    errors,
                );
            }
        }
    }
}

/// What one module puts in the crate-wide scopes: its name and feature, the names it
/// re-exports at the crate root and its runnable example files, each with where it comes from.
pub struct CrateNames {
    head: ModuleHead,
    root: Vec<(String, String, Origin)>,
    example_files: Vec<(String, String, Origin)>,
}

impl CrateNames {
    /// The crate-wide names of `module`.
    pub fn of(module: &Module) -> Self {
        let mut root = Vec::new();
        let mut example_files = Vec::new();
        for client in module.clients.iter().filter(|c| c.parent.is_none()) {
            let name = client.origin.path.trim_start_matches("clients.");
            let what = format!("client '{name}' of module '{}'", module.name);
            root.push((client.name.clone(), what.clone(), client.origin.clone()));
            root.push((
                client.options_name.clone(),
                format!("the options of {what}"),
                client.origin.clone(),
            ));
        }
        for op in module.clients.iter().flat_map(|c| &c.operations) {
            let success = |e: &crate::ir::OperationExample| {
                e.inline().is_some_and(|i| (200..300).contains(&i.status))
            };
            if op.examples.iter().any(success) {
                let file = names::runnable_example_file(&module.name, &op.method_name);
                let what = format!(
                    "the runnable example of operation '{}' of module '{}'",
                    op.spec_name, module.name
                );
                example_files.push((file, what, op.origin.clone()));
            }
        }
        CrateNames { head: module.head(), root, example_files }
    }
}

/// Checks the crate root (modules and their features, the names re-exported there) and the
/// runnable example files.
pub fn check_crate(modules: &[CrateNames], specs: &[LoadedSpec], errors: &mut Diagnostics) {
    let mut root = Table::new("the crate root", specs);
    root.reserve(CRATE_ROOT_RESERVED, "the crate's own item");
    root.reserve(RESERVED_FEATURES, "the cargo feature");
    let mut example_files = Table::new("the runnable examples", specs);
    for module in modules {
        let head = &module.head;
        root.claim(
            &head.name,
            format!("module '{}'", head.name),
            &head.spec_file,
            "module",
            errors,
        );
        for (name, what, origin) in &module.root {
            root.claim_at(name, what.clone(), origin, errors);
        }
        for (file, what, origin) in &module.example_files {
            example_files.claim_at(file, what.clone(), origin, errors);
        }
    }
}
