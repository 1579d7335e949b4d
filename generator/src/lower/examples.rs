//! Lowering of operation examples: inline request/response pairs and OpenAPI example files.

use std::collections::BTreeSet;

use super::clients::{scope_of, spec_scope_has};
use super::*;
use crate::ir::{ExampleSource, InlineExample};

impl<'a> Lowering<'a> {
    pub(super) fn operation_examples(
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
                        test_name,
                        source: ExampleSource::File(file.clone()),
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
                test_name,
                source: ExampleSource::Inline(InlineExample {
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
                }),
            });
        }
        out
    }
}

/// Turns an example title into words a test name can be made of.
pub(super) fn sanitize(title: &str) -> String {
    let words: String = title.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let joined = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("example {joined}")
    } else {
        joined
    }
}
