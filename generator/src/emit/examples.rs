//! Tests generated from the examples in the specs: every example JSON must deserialize into its
//! generated type and serialize back to the same JSON value.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{feature_gate, format_file, type_tokens};
use crate::ir::{Ir, Module, Type};
use crate::names;

/// The test file, when any spec has examples.
pub fn tests_rs(ir: &Ir) -> Option<String> {
    let tests: Vec<TokenStream> = ir.modules.iter().flat_map(module_tests).collect();
    if tests.is_empty() {
        return None;
    }
    let tokens = quote! {
        //! Round-trip tests generated from the examples in `specs/`.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        mod support;
        #(#tests)*
    };
    Some(format_file("the examples in specs/", tokens))
}

fn module_tests(module: &Module) -> Vec<TokenStream> {
    let gate = feature_gate(module);
    let mut tests = Vec::new();
    let mut test = |name: String, ty: &Type, json: &serde_json::Value| {
        let fn_name = format_ident!("{}", name);
        let ty = public_type(ty);
        let json = super::json_literal(json);
        tests.push(quote! {
            #gate
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
            let snake = names::value_name(&s.name).unwrap_or_default();
            test(
                format!("{}_{}_example_{}", module.name, names::unraw(&snake), i + 1),
                &ty,
                example,
            );
        }
    }
    for client in &module.clients {
        for op in &client.operations {
            let method = names::unraw(&op.method_name);
            for ex in &op.examples {
                if let (Some(body), Some(b)) = (&ex.request_body, &op.body) {
                    test(format!("{}_{method}_{}_request", module.name, ex.test_name), &b.ty, body);
                }
                if let (Some(body), Some(ty)) = (&ex.response_body, &ex.response_type) {
                    test(
                        format!("{}_{method}_{}_response_{}", module.name, ex.test_name, ex.status),
                        ty,
                        body,
                    );
                }
            }
        }
    }
    for set in &module.event_sets {
        let name = format_ident!("{}", set.name);
        let module_ident = super::ident(&module.name);
        for (i, example) in set.examples.iter().enumerate() {
            let snake = names::value_name(&set.name).unwrap_or_default();
            let fn_name =
                format_ident!("{}_{}_delivery_{}", module.name, names::unraw(&snake), i + 1);
            let json = super::json_literal(example);
            tests.push(quote! {
                #gate
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
