//! Tests generated from the examples in the specs: every example JSON must deserialize into its
//! generated type and serialize back to the same JSON value.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{format_file, type_tokens};
use crate::ir::{Json, Module, ModuleHead, Type};
use crate::names;

/// `tests/examples/main.rs`, which gathers the per-module files; `modules` are those with one.
pub fn main_rs(modules: &[ModuleHead]) -> Option<String> {
    let doc = "Round-trip tests generated from the examples in `specs/`, one file per module.";
    super::tests_main(modules, doc, "the examples in specs/")
}

/// `tests/examples/<module>.rs`, when the module has examples.
pub fn module_rs(module: &Module) -> Option<String> {
    if !has_tests(module) {
        return None;
    }
    let tests = module_tests(module);
    let doc = format!(" Round-trip tests generated from the examples in `{}`.", module.spec_file);
    let tokens = quote! {
        #![doc = #doc]
        use super::support;
        #(#tests)*
    };
    Some(format_file(&format!("the examples in {}", module.spec_file), tokens))
}

pub(super) fn has_tests(module: &Module) -> bool {
    module.structs.iter().any(|s| !s.examples.is_empty())
        || module.event_sets.iter().any(|e| !e.examples.is_empty())
        || module.clients.iter().flat_map(|c| &c.operations).any(|op| {
            op.examples.iter().filter_map(|ex| ex.inline()).any(|ex| {
                (ex.request_body.is_some() && op.body.is_some())
                    || (ex.response_body.is_some() && ex.response_type.is_some())
            })
        })
}

fn module_tests(module: &Module) -> Vec<TokenStream> {
    let mut tests = Vec::new();
    let mut test = |name: String, ty: &Type, json: &Json| {
        let fn_name = format_ident!("{}", name);
        let ty = public_type(ty);
        let json = super::json_literal(json);
        tests.push(quote! {
            #[test]
            fn #fn_name() {
                support::assert_round_trip::<#ty>(#json);
            }
        });
    };
    for s in &module.structs {
        for (i, example) in s.examples.iter().enumerate() {
            let ty = Type::Named(crate::ir::Named {
                module: module.name.clone(),
                name: s.name.clone(),
                is_enum: false,
            });
            test(names::example_test_name(&s.name, false, i), &ty, example);
        }
    }
    for client in &module.clients {
        for op in &client.operations {
            let method = &op.method_name;
            for (example, ex) in op.examples.iter().filter_map(|e| Some((e, e.inline()?))) {
                let test_name = &example.test_name;
                if let (Some(body), Some(b)) = (&ex.request_body, &op.body) {
                    test(names::body_test_name(method, test_name, None), &b.ty, body);
                }
                if let (Some(body), Some(ty)) = (&ex.response_body, &ex.response_type) {
                    let name = names::body_test_name(method, test_name, Some(ex.status));
                    test(name, ty, body);
                }
            }
        }
    }
    for set in &module.event_sets {
        let name = format_ident!("{}", set.name);
        let module_ident = super::ident(&module.name);
        for (i, example) in set.examples.iter().enumerate() {
            let fn_name = format_ident!("{}", names::example_test_name(&set.name, true, i));
            let json = super::json_literal(example);
            tests.push(quote! {
                    #[test]
                fn #fn_name() {
                    support::assert_delivery_round_trip::<azure_communication::#module_ident::#name>(#json);
                }
            });
        }
    }
    tests
}

/// The path of a type as seen from outside the crate.
pub(super) fn public_type(ty: &Type) -> TokenStream {
    let inner = type_tokens(ty);
    let text = inner.to_string().replace("crate ::", "azure_communication ::");
    text.parse().unwrap_or(inner)
}
