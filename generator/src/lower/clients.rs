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
        let long_running = op.long_running.as_ref().and_then(|lro| {
            let lpath = format!("{path}.long-running");
            if op.paging.is_some() {
                self.error_at_key(
                    spec,
                    &lpath,
                    "an operation cannot both page and be long-running",
                );
                return None;
            }
            self.long_running(spec, &lpath, op_name, op, ok_body.as_ref(), lro, scope)
        });
        // A long-running operation's method starts it and returns a poller.
        let method_name = if long_running.is_some() {
            format!("begin_{}", names::unraw(&method_name))
        } else {
            method_name
        };
        // The poller reads a long-running operation's response headers itself.
        let (headers_trait, response_format) =
            if long_running.is_some() { (None, None) } else { (headers_trait, response_format) };
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
            long_running,
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

impl<'a> Lowering<'a> {
    /// How a long-running operation is polled: its success body is the status monitor, an
    /// object whose string or enum property `status` holds the status, and the terminal
    /// statuses are the service's spelling of success, failure and cancellation.
    #[allow(clippy::too_many_arguments)]
    fn long_running(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        op_name: &str,
        op: &spec::Operation,
        ok_body: Option<&Type>,
        lro: &spec::LongRunning,
        scope: &spec::Map<String, spec::ScopeParameter>,
    ) -> Option<LongRunning> {
        let Some(Type::Named(monitor)) = ok_body else {
            let message = "a long-running operation needs a success body that is an object: the status monitor it polls";
            self.error_at_key(spec, path, message);
            return None;
        };
        let definition = self
            .symbols
            .iter()
            .find(|(_, s)| {
                s.kind == SymbolKind::Object
                    && s.module == monitor.module
                    && s.rust_name == monitor.name
            })
            .map(|(name, s)| (name.clone(), s.file.clone()));
        let Some((def_name, file)) = definition else {
            let message =
                format!("'{}' is not an object, so it cannot be a status monitor", monitor.name);
            self.error_at_key(spec, path, message);
            return None;
        };
        let specs = self.specs;
        let def_spec = specs.iter().find(|s| s.file == file)?;
        let fields = self.fields(def_spec, &def_name, false);
        let status_name = lro.status.as_deref().unwrap_or("status");
        let status_path =
            if lro.status.is_some() { format!("{path}.status") } else { path.to_owned() };
        let Some(field) = fields.iter().find(|f| f.json_name == status_name) else {
            let candidates = fields.iter().map(|f| f.json_name.as_str());
            let hint = did_you_mean(suggest(status_name, candidates));
            let message = format!("the status monitor '{}' has no property '{status_name}' to read the status from{hint}", monitor.name);
            self.error(spec, &status_path, message);
            return None;
        };
        // The values the status may take, when it is an enum.
        let values: Option<Vec<String>> = match &field.ty {
            Type::String => None,
            Type::Named(e) => {
                let enum_def = self.symbols.iter().find(|(_, s)| {
                    s.kind == SymbolKind::Enum && s.module == e.module && s.rust_name == e.name
                });
                let Some((enum_name, enum_symbol)) = enum_def else {
                    let message = format!(
                        "the status property '{status_name}' of '{}' must be a string or an enum",
                        monitor.name
                    );
                    self.error(spec, &status_path, message);
                    return None;
                };
                let enum_spec = specs.iter().find(|s| s.file == enum_symbol.file)?;
                let enum_def = enum_spec.spec.definitions.get(enum_name)?;
                Some(
                    enum_def
                        .values
                        .as_ref()
                        .map(|v| v.keys().cloned().collect())
                        .unwrap_or_default(),
                )
            }
            _ => {
                let message = format!(
                    "the status property '{status_name}' of '{}' must be a string or an enum",
                    monitor.name
                );
                self.error(spec, &status_path, message);
                return None;
            }
        };
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut terminal = |cx: &mut Self,
                            key: &'static str,
                            given: Option<&Vec<String>>,
                            default: &str| {
            let list = match given {
                Some(list) => list.clone(),
                None => vec![default.to_owned()],
            };
            let lpath = format!("{path}.{key}");
            if given.is_some_and(Vec::is_empty) && key == "succeeded" {
                cx.error(spec, &lpath, "at least one status must mean success");
            }
            for value in &list {
                if let Some(other) = seen.insert(value.to_ascii_lowercase(), key) {
                    cx.error(
                        spec,
                        &lpath,
                        format!("status '{value}' is listed under both '{other}' and '{key}'"),
                    );
                }
                let Some(values) = &values else { continue };
                if values.iter().any(|v| v.eq_ignore_ascii_case(value)) {
                    continue;
                }
                // Defaults absent from the enum are harmless, except success, which must exist.
                if given.is_some() || key == "succeeded" {
                    let hint = did_you_mean(suggest(value, values.iter().map(String::as_str)));
                    let at = if given.is_some() { lpath.clone() } else { path.to_owned() };
                    let message = format!("the status enum of '{}' has no value '{value}'{hint}; list the statuses meaning {key} under '{key}'", monitor.name);
                    cx.error(spec, &at, message);
                }
            }
            list
        };
        let succeeded = terminal(self, "succeeded", lro.succeeded.as_ref(), "Succeeded");
        let failed = terminal(self, "failed", lro.failed.as_ref(), "Failed");
        let canceled = terminal(self, "canceled", lro.canceled.as_ref(), "Canceled");
        let status = Monitor {
            name: monitor.name.clone(),
            status_field: field.name.clone(),
            status_required: field.required,
            succeeded,
            failed,
            canceled,
        };
        let by = match &lro.resume_with {
            None => ResumeBy::Url,
            Some(name) => {
                self.resume_with(spec, &format!("{path}.resume-with"), op, name, ok_body, scope)?
            }
        };
        let resume = Resume {
            method_name: format!("resume_{}", names::unraw(&names::value_name(op_name).ok()?)),
            options_name: format!("Resume{}", names::derived_type_name(op_name, "Options").ok()?),
            by,
        };
        Some(LongRunning { monitor: monitor.clone(), status, resume })
    }

    /// The status operation `name` that `resume_…` borrows the path of: a `GET` of the same
    /// client answering with the same status monitor, whose only required parameters are in the
    /// path.
    fn resume_with(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        op: &spec::Operation,
        name: &str,
        ok_body: Option<&Type>,
        scope: &spec::Map<String, spec::ScopeParameter>,
    ) -> Option<ResumeBy> {
        let Some(status_op) = spec.spec.operations.get(name) else {
            let hint = did_you_mean(suggest(name, spec.spec.operations.keys().map(String::as_str)));
            self.error(spec, path, format!("there is no operation '{name}' in this spec{hint}"));
            return None;
        };
        let client_of = |o: &spec::Operation| {
            o.client.clone().or_else(|| spec.spec.clients.keys().next().cloned())
        };
        let mut problems = Vec::new();
        if client_of(status_op) != client_of(op) {
            problems.push("belong to the same client");
        }
        if status_op.method != spec::HttpMethod::Get {
            problems.push("be a GET");
        }
        if status_op.long_running.is_some() {
            problems.push("not be long-running itself");
        }
        if status_op
            .parameters
            .iter()
            .any(|(_, p)| p.required && p.location != ParameterLocation::Path)
        {
            problems.push("take no required query or header parameter");
        }
        if !problems.is_empty() {
            let message = format!(
                "'{name}' cannot resume this operation: the status operation must {}",
                problems.join(", ")
            );
            self.error(spec, path, message);
            return None;
        }
        let lowered =
            self.operation(spec, &format!("operations.{name}"), name, status_op, scope)?;
        if lowered.ok_body.as_ref() != ok_body {
            let message = format!("'{name}' cannot resume this operation: it does not answer with the same status monitor");
            self.error(spec, path, message);
            return None;
        }
        let parameters = lowered
            .parameters
            .into_iter()
            .filter(|p| p.location == ParameterLocation::Path)
            .collect();
        Some(ResumeBy::Operation { spec_name: name.to_owned(), path: lowered.path, parameters })
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
