//! Emission: turns the IR into formatted Rust files. Rust is built with `quote!`, parsed by
//! `syn` and printed by `prettyplease`; nothing here converts names or reads the YAML.
//!
//! Test files are split by module (`tests/operations/<module>.rs` under one
//! `tests/operations/main.rs`), so that no single file, and no single syntax tree while it is
//! formatted, grows with the number of modules.

mod clients;
mod construct;
mod crate_files;
mod doc_examples;
mod events;
mod example_call;
mod examples;
mod files;
mod long_running;
mod models;
mod runnable_examples;
mod wire_tests;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::digest::{self, Digest};
use crate::ir::{Module, ModuleHead, Type};
use example_call::ExampleContext;

pub(crate) use files::PlannedModule;
pub use files::{Files, GeneratedFile, Incremental, Previous};

/// The files of one module, each stamped with the module's input digest.
fn emit_module(module: &Module, input: Digest, cx: ExampleContext<'_>) -> Vec<(String, String)> {
    let name = &module.name;
    let mut files = vec![(format!("src/{name}.rs"), module_rs(module, cx))];
    files.extend(
        examples::module_rs(module).map(|tests| (format!("tests/examples/{name}.rs"), tests)),
    );
    files.extend(
        wire_tests::module_rs(module).map(|tests| (format!("tests/operations/{name}.rs"), tests)),
    );
    files.extend(runnable_examples::examples(module, cx));
    files.into_iter().map(|(path, text)| (path, digest::stamp(&text, input))).collect()
}

/// `src/lib.rs`: the crate root, declaring every module and re-exporting what users touch: the
/// clients, the credentials, errors and `Nullable` of the runtime, event parsing and, with the
/// `test-util` feature, the scripted transport.
fn lib_rs(modules: &[ModuleHead]) -> String {
    let declarations = modules.iter().map(|m| {
        let name = ident(&m.name);
        let doc = doc(&m.description);
        let gate = feature_gate(m);
        quote! { #doc #gate #[rustfmt::skip] pub mod #name; }
    });
    let clients = modules.iter().flat_map(|m| {
        let module = ident(&m.name);
        let gate = feature_gate(m);
        m.clients.iter().map(move |(client, options)| {
            let client = format_ident!("{}", client);
            let options = format_ident!("{}", options);
            quote! { #gate pub use crate::#module::{#client, #options}; }
        })
    });
    let event_features: Vec<&str> =
        modules.iter().filter(|m| m.has_events).map(|m| m.name.as_str()).collect();
    let events = if event_features.is_empty() {
        quote! {}
    } else {
        quote! {
            #[cfg(any(#(feature = #event_features),*))]
            pub use ::azure_communication_runtime::events::{
                parse_cloud_events, parse_cloud_events_each, parse_event_grid, parse_event_grid_each,
                AbuseProtection, CloudEvent, Delivery, DeliveryError, EventData, EventGridEvent,
                SubscriptionValidation,
            };
        }
    };
    // Generated files are formatted by prettyplease; rustfmt is kept off them so that
    // `cargo fmt --check` checks only hand-written code and never fights the generator.
    let tokens = quote! {
        #![doc = include_str!("../README.md")]
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![deny(missing_docs)]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // Generated code reaches the runtime as `crate::runtime`; users never need to. A crate
        // of models alone may not use it.
        #[allow(unused_imports)]
        use ::azure_communication_runtime as runtime;
        pub use ::azure_communication_runtime::{
            AccessKeyCredential, CallLimits, CommunicationCloud, CommunicationIdentifier,
            CommunicationTokenCredential, CommunicationTokenRefreshOptions, ConnectionString,
            LimitError, Nullable, NumberOrString, OperationFailed, ServiceError, UserTokenCredential,
        };
        #events
        /// A scripted transport for testing code that uses the clients without the service
        /// (feature `test-util`); see "Testing your code" above.
        #[cfg(feature = "test-util")]
        pub use ::azure_communication_runtime::test_util;
        #(#declarations)*
        #(#clients)*
    };
    format_file("every spec in specs/", tokens)
}

fn module_rs(module: &Module, cx: ExampleContext<'_>) -> String {
    let structs = module.structs.iter().map(models::struct_tokens);
    let pages = clients::page_impls(module);
    let monitors = long_running::monitor_impls(module);
    let enums = module.enums.iter().map(models::enum_tokens);
    let clients = module.clients.iter().map(|c| clients::client_tokens(c, module, cx));
    let events = module.event_sets.iter().map(events::event_set_tokens);
    let doc = inner_doc(&module.description);
    let has_headers =
        module.clients.iter().flat_map(|c| &c.operations).any(|op| op.headers_trait.is_some());
    // Typed response headers are sealed traits: only the generated responses implement them.
    let sealed = if has_headers {
        quote! {
            mod sealed {
                pub trait Sealed {}
            }
        }
    } else {
        quote! {}
    };
    let tokens = quote! {
        #doc
        #sealed
        #(#clients)*
        #(#structs)*
        #(#enums)*
        #(#events)*
        #(#pages)*
        #(#monitors)*
    };
    format_file(&module.spec_file, tokens)
}

/// The `main.rs` of a test target split by module: `doc` (lines of text), the shared `support`
/// module and one `mod` per module in `modules`, each behind its feature. `None` when there are
/// no modules.
fn tests_main(modules: &[ModuleHead], doc: &str, source: &str) -> Option<String> {
    if modules.is_empty() {
        return None;
    }
    let mods = modules.iter().map(|m| {
        let gate = feature_gate(m);
        let name = ident(&m.name);
        quote! { #gate #[rustfmt::skip] mod #name; }
    });
    let doc = inner_doc(doc);
    let tokens = quote! {
        #doc
        #![cfg_attr(rustfmt, rustfmt::skip)]
        use ::azure_communication_test_support as support;
        #(#mods)*
    };
    Some(format_file(source, tokens))
}

fn feature_gate(module: &ModuleHead) -> TokenStream {
    if module.feature_gated {
        let feature = &module.name;
        quote! { #[cfg(feature = #feature)] }
    } else {
        quote! {}
    }
}

/// Formats a token stream as a file with the generated-file header line.
fn format_file(source: &str, tokens: TokenStream) -> String {
    // Parsed by value: keeping a second handle to the tokens would make proc-macro2 deep-copy
    // every token (a tenth of the generator's time on large specs).
    let file = match syn::parse2::<syn::File>(tokens) {
        Ok(file) => file,
        // The emitters build every item with quote!, so a parse failure is a generator bug.
        Err(e) => panic!("generator bug: the code emitted for {source} does not parse: {e}"),
    };
    format!(
        "// @generated by `cargo xtask codegen` from {source}. Do not edit by hand.\n\n{}",
        prettyplease::unparse(&file)
    )
}

/// An identifier that may be a raw identifier (`r#type`).
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "…"]` lines for a description, escaped for rustdoc.
fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

/// `#![doc = "…"]` lines for a module description.
fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #(#![doc = #lines])* }
}

fn doc_lines(text: &str) -> Vec<String> {
    let text = text.trim();
    let text = if text.is_empty() { "Undocumented in the spec." } else { text };
    text.lines()
        .map(|line| {
            // Bare URLs become links and square brackets stay literal, so rustdoc neither warns
            // about them nor tries to resolve them as intra-doc links.
            let escaped = line.replace('[', "\\[").replace(']', "\\]");
            format!(" {}", link_urls(&escaped))
        })
        .collect()
}

fn link_urls(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if (word.starts_with("http://") || word.starts_with("https://")) && !word.contains('<') {
            let trimmed = word.trim_end_matches(['.', ',', ')', ';']);
            out.push('<');
            out.push_str(trimmed);
            out.push('>');
            out.push_str(&word[trimmed.len()..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

/// The Rust type of an IR type, by full path so spec names cannot shadow std or serde items.
fn type_tokens(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote! { ::std::string::String },
        Type::Bool => quote! { bool },
        Type::Int32 => quote! { i32 },
        Type::Int64 => quote! { i64 },
        Type::Float64 => quote! { f64 },
        Type::DateTime | Type::DateTimeRfc1123 => quote! { ::time::OffsetDateTime },
        Type::Uuid => quote! { ::uuid::Uuid },
        Type::Url => quote! { ::url::Url },
        Type::NumberOrString => quote! { crate::runtime::number_or_string::NumberOrString },
        Type::Json => quote! { ::serde_json::Value },
        Type::List(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::vec::Vec<#inner> }
        }
        Type::Map(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        // Inside a list or map, `null` and a value are the only choices; as a field,
        // `models::field_tokens` uses `Nullable<T>` for the third, absent.
        Type::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::option::Option<#inner> }
        }
        Type::Named(n) => {
            let module = ident(&n.module);
            let name = format_ident!("{}", n.name);
            quote! { crate::#module::#name }
        }
    }
}

/// The path of a serde `with` module for types whose JSON form is not their serde default.
fn serde_with(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::DateTime => Some("crate::runtime::datetime::rfc3339"),
        Type::DateTimeRfc1123 => Some("crate::runtime::datetime::rfc1123"),
        _ => None,
    }
}

/// Pretty JSON as a raw string literal, so the generated test reads like the example.
pub(crate) fn json_literal(json: &crate::ir::Json) -> TokenStream {
    let text = json.text();
    if text.contains("\"##") {
        return quote! { #text };
    }
    format!("r##\"{text}\"##").parse().unwrap_or_else(|_| quote! { #text })
}
