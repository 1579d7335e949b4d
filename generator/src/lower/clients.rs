//! Lowering of clients and their operations: parameters, path templates, bodies, responses and
//! paging.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::*;

impl<'a> Lowering<'a> {
    pub(super) fn clients(&mut self, spec: &LoadedSpec) -> Vec<Client> {
        let mut clients: Vec<Client> = Vec::new();
        // The Rust name of each client's parent, until every client has its index.
        let mut parents: Vec<Option<String>> = Vec::new();
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
            parents.push(client.parent.as_ref().and_then(|p| names::type_name(p).ok()));
            clients.push(Client {
                options_name: format!("{name}Options"),
                accessor: names::accessor_name(&name),
                name,
                description: client.description.clone(),
                api_version: client.api_version.clone(),
                auth: client.auth.clone(),
                parent: None,
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
        // Parents first, so emitters can rely on a parent's items existing.
        let mut order: Vec<usize> = (0..clients.len()).collect();
        order.sort_by(|&a, &b| {
            (parents[a].is_some(), &clients[a].name).cmp(&(parents[b].is_some(), &clients[b].name))
        });
        let mut slots: Vec<Option<Client>> = clients.into_iter().map(Some).collect();
        let mut clients: Vec<Client> = order.iter().filter_map(|&i| slots[i].take()).collect();
        let parents: Vec<Option<String>> = order.iter().map(|&i| parents[i].clone()).collect();
        for (child, parent) in parents.iter().enumerate() {
            let index = parent.as_ref().and_then(|p| clients.iter().position(|c| &c.name == p));
            if let Some(index) = index {
                clients[child].parent = Some(index);
                clients[index].children.push(child);
            }
        }
        clients
    }

    pub(super) fn operation(
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
        let response_format = (!header_names.is_empty())
            .then(|| names::derived_type_name(op_name, "Format").unwrap_or_default());
        let examples = self.operation_examples(spec, path, op, ok_body.as_ref(), &error);
        let paging = op.paging.as_ref().and_then(|p| {
            if op.method != spec::HttpMethod::Get {
                self.error(spec, &format!("{path}.paging"), "only GET operations can page");
            }
            self.paging(spec, &format!("{path}.paging"), ok_body.as_ref(), p)
        });
        Some(Operation {
            spec_name: op_name.to_owned(),
            method_name,
            options_name,
            headers_trait,
            response_format,
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

    pub(super) fn path_template(
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

    /// How an operation pages: its success body is the page, whose list property `items` holds
    /// the items and whose string property `next-link` the next page's link. The page may be
    /// defined in another module; its own errors are reported where it is defined.
    fn paging(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        ok_body: Option<&Type>,
        paging: &spec::Paging,
    ) -> Option<Paging> {
        let Some(Type::Named(page)) = ok_body else {
            self.error(spec, path, "a paging operation needs a success body that is an object");
            return None;
        };
        let definition = self
            .symbols
            .iter()
            .find(|(_, s)| {
                s.kind == SymbolKind::Object && s.module == page.module && s.rust_name == page.name
            })
            .map(|(name, s)| (name.clone(), s.file.clone()));
        let Some((def_name, file)) = definition else {
            self.error(spec, path, format!("'{}' is not an object", page.name));
            return None;
        };
        let specs = self.specs;
        let def_spec = specs.iter().find(|s| s.file == file)?;
        let fields = self.fields(def_spec, &def_name, false);
        if !fields.iter().any(|f| f.json_name == paging.next_link && f.ty == Type::String) {
            let message = format!("'{}' has no string property '{}'", page.name, paging.next_link);
            self.error(spec, path, message);
        }
        match fields.into_iter().find(|f| f.json_name == paging.items) {
            Some(Field { ty: Type::List(item), name, required, .. }) => Some(Paging {
                page: page.clone(),
                items_field: name,
                items_required: required,
                item: *item,
                next_link: paging.next_link.clone(),
            }),
            _ => {
                let message = format!("'{}' has no list property '{}'", page.name, paging.items);
                self.error(spec, path, message);
                None
            }
        }
    }
}

pub(super) fn scope_of<'s>(
    spec: &'s LoadedSpec,
    op: &spec::Operation,
) -> Option<&'s spec::Map<String, spec::ScopeParameter>> {
    let client =
        op.client.clone().or_else(|| spec.spec.clients.keys().next().cloned()).unwrap_or_default();
    spec.spec.clients.get(&client).map(|c| &c.scope)
}

pub(super) fn spec_scope_has(spec: &LoadedSpec, op: &spec::Operation, name: &str) -> bool {
    scope_of(spec, op).is_some_and(|s| s.contains_key(name))
}
