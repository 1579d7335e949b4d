//! The call an example of an operation makes, built with the typed constructors (see
//! [`super::construct`]) from the operation's first documented success example that the types
//! can express, or, failing that, from placeholders for its required parameters and body.
//! Doc examples and runnable examples both start from it.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::construct::{placeholder, Builder, Position, Unsupported};
use super::ident;
use crate::ir::{AuthScheme, Client, ExampleSource, Module, Operation, Parameter, Type};
use crate::lower::Definitions;
use crate::names;

/// What building examples needs beyond a module's IR: every module's definitions, and the
/// OpenAPI example files the specs name (by path as written in the spec) that the caller could
/// read. A file not given is treated as a missing example.
#[derive(Clone, Copy)]
pub struct ExampleContext<'a> {
    /// Every definition of every module.
    pub definitions: &'a Definitions,
    /// Example file contents by path.
    pub example_files: &'a BTreeMap<String, String>,
}

/// The variables the example programs declare besides the request body.
const EXAMPLE_LOCALS: &[&str] = &[
    "body",
    "client",
    "connection_string",
    "credential",
    "endpoint",
    "item",
    "pager",
    "response",
    "token",
];

/// The values of one documented request.
pub struct RequestValues {
    /// The example's title, when the values are documented (not placeholders).
    pub title: Option<String>,
    /// Parameter values by wire name.
    pub parameters: Vec<(String, Value)>,
    /// The request body.
    pub body: Option<Value>,
}

impl RequestValues {
    fn parameter(&self, wire: &str) -> Option<&Value> {
        self.parameters.iter().find(|(n, _)| n == wire).map(|(_, v)| v)
    }
}

/// The statements of an example after the top-level client is made as `client`.
pub struct ExampleCall {
    /// The example it comes from; `None` when built from placeholders.
    pub title: Option<String>,
    /// `use` items for those types.
    pub imports: TokenStream,
    /// The values of the scoped client's path parameters (empty for a top-level client).
    pub scope: Vec<(Parameter, String)>,
    /// `let` statements of the request body.
    pub lets: TokenStream,
    /// The statements that make the call and use its result.
    pub call: TokenStream,
}

/// The documented success requests of `op`, in spec order.
pub fn documented_requests(op: &Operation, cx: ExampleContext<'_>) -> Vec<RequestValues> {
    let mut out = Vec::new();
    for example in &op.examples {
        match &example.source {
            ExampleSource::Inline(inline) if (200..300).contains(&inline.status) => {
                out.push(RequestValues {
                    title: Some(example.title.clone()),
                    parameters: inline.parameters.clone(),
                    body: inline.request_body.as_ref().map(|b| b.value()),
                });
            }
            ExampleSource::Inline(_) => {}
            ExampleSource::File(path) => {
                if let Some(values) = cx
                    .example_files
                    .get(path)
                    .and_then(|text| file_request(op, &example.title, text))
                {
                    out.push(values);
                }
            }
        }
    }
    out
}

/// The request of an OpenAPI example file (`parameters` by name, `responses` by status) when
/// it documents a success.
fn file_request(op: &Operation, title: &str, text: &str) -> Option<RequestValues> {
    let json: Value = serde_json::from_str(text).ok()?;
    let success = json
        .get("responses")?
        .as_object()?
        .keys()
        .any(|status| status.parse::<u16>().is_ok_and(|s| (200..300).contains(&s)));
    if !success {
        return None;
    }
    let parameters = json.get("parameters")?.as_object()?;
    let body_name = op.body.as_ref().map(|b| b.example_parameter.as_str());
    Some(RequestValues {
        title: Some(title.to_owned()),
        parameters: parameters
            .iter()
            .filter(|(name, _)| Some(name.as_str()) != body_name)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        body: body_name.and_then(|name| parameters.get(name).cloned()),
    })
}

/// The example of `op`: from the first documented request the types can express, else from
/// placeholders. `None` only when not even placeholders can be built.
pub fn example_call(
    module: &Module,
    client: &Client,
    op: &Operation,
    cx: ExampleContext<'_>,
) -> Option<ExampleCall> {
    let placeholders = RequestValues { title: None, parameters: Vec::new(), body: None };
    documented_requests(op, cx)
        .into_iter()
        .chain(std::iter::once(placeholders))
        .find_map(|values| build(module, client, op, cx, &values).ok())
}

/// The example of `op` built from `values` exactly (placeholders only for what they lack).
pub fn build(
    module: &Module,
    client: &Client,
    op: &Operation,
    cx: ExampleContext<'_>,
    values: &RequestValues,
) -> Result<ExampleCall, Unsupported> {
    let defs = cx.definitions;
    let mut builder = Builder::new(defs);
    let top = module.top_client(client);
    builder.import(&module.name, &top.name);
    let value_of = |wire: &str, ty: &Type, hint: &str| {
        values.parameter(wire).cloned().unwrap_or_else(|| placeholder(ty, hint, defs))
    };
    let scope = client
        .scope
        .iter()
        .map(|p| {
            let value = match value_of(&p.wire_name, &Type::String, names::unraw(&p.name)) {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (p.clone(), value)
        })
        .collect();
    let mut lets = TokenStream::new();
    let mut args = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        let value = value_of(&p.wire_name, &p.ty, names::unraw(&p.name));
        // Positional strings are `&str`.
        let position = if p.ty == Type::String { Position::Into } else { Position::Exact };
        args.push(builder.expr(&p.ty, &value, position)?);
    }
    if let Some(body) = &op.body {
        let json = values.body.clone().unwrap_or_else(|| placeholder(&body.ty, &body.name, defs));
        let value = builder.expr(&body.ty, &json, Position::Exact)?;
        // The body's argument name, unless the example already uses that name for a variable.
        let name = if EXAMPLE_LOCALS.contains(&names::unraw(&body.name)) {
            format_ident!("request_body")
        } else {
            ident(&body.name)
        };
        lets.extend(quote! { let #name = #value; });
        args.push(quote! { &#name });
    }
    let method = ident(&op.method_name);
    let invocation = quote! { client.#method(#(#args,)* None) };
    let pages = op.paging.is_some();
    let call = if pages {
        quote! {
            let mut pager = #invocation?;
            while let Some(item) = pager.try_next().await? {
                println!("{item:?}");
            }
        }
    } else if op.long_running.is_some() {
        // The poller starts the operation and polls it to its end.
        quote! {
            let response = #invocation?.await?;
            println!("status: {}", response.status());
            let body = response.into_model()?;
            println!("{body:?}");
        }
    } else if op.ok_body.is_some() {
        quote! {
            let response = #invocation.await?;
            println!("status: {}", response.status());
            let body = response.into_model()?;
            println!("{body:?}");
        }
    } else {
        quote! {
            let response = #invocation.await?;
            println!("status: {}", response.status());
        }
    };
    let mut imports = builder.imports();
    if pages {
        imports.extend(quote! { use futures::TryStreamExt; });
    }
    Ok(ExampleCall { title: values.title.clone(), imports, scope, lets, call })
}

/// `let client = client.<accessor>(…);` for a scoped client, with `value` giving each argument
/// (an expression of a type that is `Into<String>`) from its parameter and documented value.
pub fn scoped_client(
    client: &Client,
    call: &ExampleCall,
    mut value: impl FnMut(&Parameter, &str) -> TokenStream,
) -> TokenStream {
    if client.parent.is_none() {
        return TokenStream::new();
    }
    let accessor = format_ident!("{}", client.accessor);
    let args: Vec<TokenStream> = call.scope.iter().map(|(p, v)| value(p, v)).collect();
    quote! { let client = client.#accessor(#(#args),*); }
}

/// How an example makes the top-level client `client`: from a connection string, or from an
/// endpoint and a user access token for clients that accept only those; `env` reads a variable.
pub fn client_setup(
    module: &Module,
    client: &Client,
    env: impl Fn(&str) -> TokenStream,
) -> TokenStream {
    let top = module.top_client(client);
    let top_name = format_ident!("{}", top.name);
    if token_only(module, client) {
        let endpoint = env("COMMUNICATION_ENDPOINT");
        let token = env("COMMUNICATION_USER_TOKEN");
        quote! {
            let endpoint = #endpoint;
            let token = #token;
            let credential = std::sync::Arc::new(azure_communication::UserTokenCredential::new(token));
            let client = #top_name::new(&endpoint, credential, None)?;
        }
    } else {
        let connection_string = env("COMMUNICATION_CONNECTION_STRING");
        quote! {
            let connection_string = #connection_string;
            let client = #top_name::from_connection_string(&connection_string, None)?;
        }
    }
}

/// Whether the client authenticates only with a user access token.
pub fn token_only(module: &Module, client: &Client) -> bool {
    module.top_client(client).auth.iter().all(|a| *a == AuthScheme::UserToken)
}
