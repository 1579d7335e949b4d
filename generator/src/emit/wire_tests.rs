//! Wire tests generated from operation examples: a loopback HTTP server expects exactly the
//! documented request (method, percent-encoded path, api-version, headers, body), answers with
//! the documented response, and the generated client must parse it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{format_file, ident};
use crate::ir::{
    AuthScheme, Client, ExampleSource, HttpMethod, Module, ModuleHead, Operation, OperationExample,
    PathPart, Repeatability, Type,
};
use crate::names;

/// `tests/operations/main.rs`, which gathers the per-module files; `modules` are those with
/// one.
pub fn main_rs(modules: &[ModuleHead]) -> Option<String> {
    let doc = "Wire tests generated from the operation examples in `specs/`, one file per module:
each runs the generated client against a loopback server that accepts only the
documented request.";
    super::tests_main(modules, doc, "the operation examples in specs/")
}

/// `tests/operations/<module>.rs`, when the module has operation examples.
pub fn module_rs(module: &Module) -> Option<String> {
    if !has_tests(module) {
        return None;
    }
    let tests = module.clients.iter().flat_map(|c| {
        c.operations
            .iter()
            .flat_map(move |op| op.examples.iter().map(move |ex| example_test(module, c, op, ex)))
    });
    let doc =
        format!(" Wire tests generated from the operation examples in `{}`.", module.spec_file);
    let tokens = quote! {
        #![doc = #doc]
        use super::support;
        #(#tests)*
    };
    Some(format_file(&format!("the operation examples in {}", module.spec_file), tokens))
}

pub(super) fn has_tests(module: &Module) -> bool {
    module.clients.iter().flat_map(|c| &c.operations).any(|op| !op.examples.is_empty())
}

fn example_test(
    module: &Module,
    client: &Client,
    op: &Operation,
    ex: &OperationExample,
) -> TokenStream {
    let example = ex;
    let ex = match &example.source {
        ExampleSource::File(file) => return file_example_test(module, client, op, example, file),
        ExampleSource::Inline(inline) => inline,
    };
    let fn_name = format_ident!(
        "{}",
        names::wire_test_name(&op.method_name, &example.test_name, Some(ex.status))
    );
    let module_ident = ident(&module.name);
    let top = module.top_client(client);
    let top_name = format_ident!("{}", top.name);
    let top_options = format_ident!("{}", top.options_name);
    let api_version = top.api_version.clone().unwrap_or_default();
    let param = |name: &str| ex.parameters.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let pieces = path_pieces(op, client, &param);
    let method = match op.method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
    };
    let credential = if top.auth.iter().all(|a| *a == AuthScheme::UserToken) {
        quote! { support::wire::user_token() }
    } else {
        quote! { support::wire::access_key() }
    };
    let auth_check = if top.auth.iter().all(|a| *a == AuthScheme::UserToken) {
        quote! { .and(wiremock::matchers::header("authorization", support::wire::USER_TOKEN_HEADER)) }
    } else {
        quote! { .and(support::wire::ValidHmacSignature) }
    };
    let repeatability = match op.repeatability {
        Repeatability::None => quote! {},
        Repeatability::RequestIdOnly => {
            quote! { .and(wiremock::matchers::header_exists("repeatability-request-id")) }
        }
        Repeatability::Standard => quote! {
            .and(wiremock::matchers::header_exists("repeatability-request-id"))
            .and(wiremock::matchers::header_exists("repeatability-first-sent"))
        },
    };
    let body_check = ex.request_body.as_ref().map(|b| {
        let json = super::json_literal(b);
        quote! {
            .and(wiremock::matchers::header("content-type", "application/json"))
            .and(support::wire::JsonBody::new(#json))
        }
    });
    let status = ex.status;
    let response_body = ex.response_body.as_ref().map(|b| {
        let json = super::json_literal(b);
        quote! { .set_body_raw(#json, "application/json") }
    });
    // A status monitor URL is moved onto the loopback server, which answers for the service.
    let response_headers = ex.response_headers.iter().map(|(k, v)| {
        if k.eq_ignore_ascii_case("operation-location") {
            quote! { .insert_header(#k, support::openapi::on_origin(#v, &server.uri()).as_str()) }
        } else {
            quote! { .insert_header(#k, #v) }
        }
    });
    let mut call = quote! { client };
    if client.parent.is_some() {
        let accessor = format_ident!("{}", client.accessor);
        let values = client.scope.iter().map(|p| literal_value(&p.ty, param(&p.wire_name)));
        call = quote! { #call.#accessor(#(#values),*) };
    }
    let method_ident = ident(&op.method_name);
    let positional = op
        .parameters
        .iter()
        .filter(|p| p.required)
        .map(|p| literal_value(&p.ty, param(&p.wire_name)));
    let body_arg = ex.request_body.as_ref().map(|b| {
        let json = super::json_literal(b);
        let ty = public_type(&op.body.as_ref().map(|b| b.ty.clone()).unwrap_or(Type::Json));
        quote! { &serde_json::from_str::<#ty>(#json).expect("the example request parses"), }
    });
    let call = quote! { #call.#method_ident(#(#positional,)* #body_arg None) };
    // A long-running operation's example is its first answer: the poller's first status.
    let call = if op.long_running.is_some() {
        quote! { support::first_status(#call).await }
    } else {
        quote! { #call.await }
    };
    let check = if (200..300).contains(&status) {
        let model_check = match (&ex.response_body, &op.ok_body) {
            (Some(b), Some(_)) => {
                let json = super::json_literal(b);
                quote! {
                    let model = response.into_model().expect("the documented response parses");
                    support::assert_same_json(
                        &serde_json::from_str(#json).expect("valid JSON"),
                        &serde_json::to_value(&model).expect("the model serializes"),
                        "$",
                    );
                }
            }
            _ => quote! {},
        };
        let header_checks = op.headers_trait.as_ref().and_then(|t| {
            let trait_ident = format_ident!("{}", t);
            let checks = op
                .responses
                .iter()
                .filter(|r| r.status == status)
                .flat_map(|r| r.headers.iter())
                .filter_map(|h| {
                    let (_, value) = ex
                        .response_headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(&h.wire_name))?;
                    let accessor = ident(&h.name);
                    let expected =
                        literal_value(&h.ty, Some(serde_json::Value::String(value.clone())));
                    Some(quote! {
                        assert_eq!(
                            #trait_ident::#accessor(&response).expect("the header parses"),
                            Some(#expected.into()),
                        );
                    })
                })
                .collect::<Vec<_>>();
            (!checks.is_empty()).then(|| {
                quote! {
                    use azure_communication::#module_ident::#trait_ident;
                    #(#checks)*
                }
            })
        });
        quote! {
            let response = result.expect("the documented response is a success");
            assert_eq!(u16::from(response.status()), #status);
            #header_checks
            #model_check
        }
    } else {
        let code_check = ex
            .response_body
            .as_ref()
            .and_then(|b| b.value().pointer("/error/code")?.as_str().map(str::to_owned))
            .map(|code| {
                quote! { assert_eq!(service_error.code(), Some(#code)); }
            });
        quote! {
            let error = result.expect_err("the documented response is an error");
            let service_error = azure_communication::ServiceError::from_error(&error)
                .expect("the error carries the service's answer");
            assert_eq!(u16::from(service_error.status()), #status);
            #code_check
        }
    };
    let doc = format!(" `{}` example \"{}\", status {}.", op.spec_name, example.title, status);
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #fn_name() {
            let server = wiremock::MockServer::start().await;
            wiremock::Mock::given(wiremock::matchers::method(#method))
                .and(wiremock::matchers::path(support::wire::expected_path(&[#(#pieces),*])))
                .and(wiremock::matchers::query_param("api-version", #api_version))
                .and(wiremock::matchers::header("accept", "application/json"))
                #auth_check
                #repeatability
                #body_check
                .respond_with(
                    wiremock::ResponseTemplate::new(#status)
                        #response_body
                        #(#response_headers)*
                )
                .expect(1)
                .mount(&server)
                .await;
            let options = azure_communication::#module_ident::#top_options {
                client_options: support::wire::loopback(),
                ..Default::default()
            };
            let client = azure_communication::#module_ident::#top_name::new(&server.uri(), #credential, Some(options))
                .expect("the client builds");
            let result = #call;
            #check
        }
    }
}

/// The pieces of the documented path, for `support::wire::expected_path` to percent-encode
/// when the test runs (independently of the runtime's encoder).
fn path_pieces(
    op: &Operation,
    client: &Client,
    param: &dyn Fn(&str) -> Option<serde_json::Value>,
) -> Vec<TokenStream> {
    let wire_name = |rust: &str| {
        op.parameters
            .iter()
            .chain(client.scope.iter())
            .find(|p| p.name == rust)
            .map(|p| p.wire_name.clone())
            .unwrap_or_default()
    };
    op.path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote! { support::wire::PathPiece::Literal(#text) },
            PathPart::Parameter(name) | PathPart::Scope(name) => {
                let value = match param(&wire_name(name)) {
                    Some(serde_json::Value::String(s)) => s,
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                quote! { support::wire::PathPiece::Param(#value) }
            }
        })
        .collect()
}

/// A Rust expression for an example parameter value of the given type.
fn literal_value(ty: &Type, value: Option<serde_json::Value>) -> TokenStream {
    match (ty, value) {
        (Type::String, Some(serde_json::Value::String(s))) => quote! { #s },
        (_, Some(v)) => {
            let ty = public_type(ty);
            let json = v.to_string();
            quote! { serde_json::from_str::<#ty>(#json).expect("the example value parses") }
        }
        (_, None) => quote! { ::std::default::Default::default() },
    }
}

fn public_type(ty: &Type) -> TokenStream {
    super::examples::public_type(ty)
}

/// A test that reads an OpenAPI example file when it runs and, for each documented status,
/// expects the documented request and parses the documented response.
fn file_example_test(
    module: &Module,
    client: &Client,
    op: &Operation,
    ex: &OperationExample,
    file: &str,
) -> TokenStream {
    let fn_name = format_ident!("{}", names::wire_test_name(&op.method_name, &ex.test_name, None));
    let module_ident = ident(&module.name);
    let top = module.top_client(client);
    let top_name = format_ident!("{}", top.name);
    let top_options = format_ident!("{}", top.options_name);
    let op_options = format_ident!("{}", op.options_name);
    let api_version = top.api_version.clone().unwrap_or_default();
    let method = http_method(op);
    let token_only = top.auth.iter().all(|a| *a == AuthScheme::UserToken);
    let credential = if token_only {
        quote! { support::wire::user_token() }
    } else {
        quote! { support::wire::access_key() }
    };
    let auth_check = if token_only {
        quote! { .and(wiremock::matchers::header("authorization", support::wire::USER_TOKEN_HEADER)) }
    } else {
        quote! { .and(support::wire::ValidHmacSignature) }
    };
    let wire_of = |rust: &str| {
        op.parameters
            .iter()
            .chain(client.scope.iter())
            .find(|p| p.name == rust)
            .map(|p| p.wire_name.clone())
            .unwrap_or_default()
    };
    let pieces = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote! { support::wire::PathPiece::Literal(#text) },
        PathPart::Parameter(name) | PathPart::Scope(name) => {
            let wire = wire_of(name);
            quote! { support::wire::PathPiece::Param(&example.string(#wire)) }
        }
    });
    let query_names: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p.location == crate::ir::ParameterLocation::Query)
        .map(|p| p.wire_name.as_str())
        .collect();
    let body_check = op.body.as_ref().map(|b| {
        let content_type =
            if b.merge_patch { "application/merge-patch+json" } else { "application/json" };
        let parameter = &b.example_parameter;
        // A documented request may use a property's older name, which the model reads as an
        // alias but always writes under its main name.
        let renames = body_aliases(module, &b.ty).into_iter().map(|(alias, main)| quote! { (#alias, #main) });
        quote! {
            let mock = mock
                .and(wiremock::matchers::header("content-type", #content_type))
                .and(support::wire::JsonBody::value(support::rename_keys(example.json(#parameter), &[#(#renames),*])));
        }
    });
    let mut call = quote! { client };
    if client.parent.is_some() {
        let accessor = format_ident!("{}", client.accessor);
        let values = client.scope.iter().map(|p| {
            let wire = &p.wire_name;
            quote! { example.string(#wire) }
        });
        call = quote! { #call.#accessor(#(#values),*) };
    }
    let positional = op.parameters.iter().filter(|p| p.required).map(|p| {
        let wire = &p.wire_name;
        if p.ty == Type::String {
            quote! { &example.string(#wire) }
        } else {
            let ty = public_type(&p.ty);
            quote! { example.value::<#ty>(#wire) }
        }
    });
    let optional = op.parameters.iter().filter(|p| !p.required).map(|p| {
        let wire = &p.wire_name;
        let n = ident(&p.name);
        quote! { #n: example.optional(#wire), }
    });
    let body_arg = op.body.as_ref().map(|b| {
        let parameter = &b.example_parameter;
        let ty = public_type(&b.ty);
        quote! { &example.value::<#ty>(#parameter), }
    });
    let method_ident = ident(&op.method_name);
    let call = if op.paging.is_some() {
        quote! {
            {
                use futures::StreamExt as _;
                let pager = #call.#method_ident(#(#positional,)* Some(options)).expect("the pager builds");
                // Only the documented page: its next link points at the real service.
                pager.into_pages().next().await.expect("a first page")
            }
        }
    } else if op.long_running.is_some() {
        // The documented answer is the first status; its status monitor is polled no further.
        quote! { support::first_status(#call.#method_ident(#(#positional,)* #body_arg Some(options))).await }
    } else {
        quote! { #call.#method_ident(#(#positional,)* #body_arg Some(options)).await }
    };
    let model_check = if op.ok_body.is_some() {
        quote! {
            if let Some(body) = &response.body {
                let model = result.into_model().expect("the documented response parses");
                support::assert_same_json(body, &serde_json::to_value(&model).expect("the model serializes"), "$");
            }
        }
    } else {
        quote! { let _ = result; }
    };
    let doc = format!(
        " `{}` example \"{}\" from `{file}`, every documented status.",
        op.spec_name, ex.title
    );
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #fn_name() {
            let example = support::openapi::Example::load(#file);
            for response in example.responses() {
                let server = wiremock::MockServer::start().await;
                let mut mock = wiremock::Mock::given(wiremock::matchers::method(#method))
                    .and(wiremock::matchers::path(support::wire::expected_path(&[#(#pieces),*])))
                    .and(wiremock::matchers::query_param("api-version", #api_version))
                    .and(wiremock::matchers::header("accept", "application/json"))
                    #auth_check;
                for (name, value) in example.texts(&[#(#query_names),*]) {
                    mock = mock.and(wiremock::matchers::query_param(name, value.as_str()));
                }
                #body_check
                mock.respond_with(response.template_on(&server.uri())).expect(1).mount(&server).await;
                let client_options = azure_communication::#module_ident::#top_options {
                    client_options: support::wire::loopback(),
                    ..Default::default()
                };
                let client = azure_communication::#module_ident::#top_name::new(&server.uri(), #credential, Some(client_options))
                    .expect("the client builds");
                let options = azure_communication::#module_ident::#op_options {
                    #(#optional)*
                    ..Default::default()
                };
                let result = #call;
                if response.is_success() {
                    let result = result.unwrap_or_else(|e| panic!("status {}: {e}", response.status));
                    assert_eq!(u16::from(result.status()), response.status);
                    #model_check
                } else {
                    let error = result.expect_err("the documented response is an error");
                    let service_error = azure_communication::ServiceError::from_error(&error)
                        .expect("the error carries the service's answer");
                    assert_eq!(u16::from(service_error.status()), response.status);
                    if let Some(code) = response.body.as_ref().and_then(|b| b.pointer("/error/code")).and_then(|c| c.as_str()) {
                        assert_eq!(service_error.code(), Some(code));
                    }
                }
            }
        }
    }
}

fn http_method(op: &Operation) -> &'static str {
    match op.method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
    }
}

/// `(alias, main name)` of every aliased property of a body type defined in `module`.
fn body_aliases(module: &Module, ty: &Type) -> Vec<(String, String)> {
    let Type::Named(named) = ty else { return Vec::new() };
    module
        .structs
        .iter()
        .filter(|s| named.module == module.name && s.name == named.name)
        .flat_map(|s| s.fields.iter())
        .flat_map(|f| f.aliases.iter().map(|a| (a.clone(), f.json_name.clone())))
        .collect()
}
