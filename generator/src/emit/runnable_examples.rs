//! One runnable program per operation under `examples/`, built from the operation's first
//! documented example and reading the endpoint and credential from the environment.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{format_file, ident, json_literal};
use crate::ir::{AuthScheme, Client, InlineExample, Module, Operation, Type};
use crate::names;

/// `examples/<module>_<operation>.rs` for every operation of `module` with a success example.
pub fn examples(module: &Module) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for client in &module.clients {
        for op in &client.operations {
            if let Some(text) = example(module, client, op) {
                let name = names::runnable_example_file(&module.name, &op.method_name);
                files.push((name, text));
            }
        }
    }
    files
}

/// The paths [`examples`] gives for `module`, without making the files.
pub fn paths(module: &Module) -> Vec<String> {
    let ops = module.clients.iter().flat_map(|c| &c.operations);
    ops.filter(|op| success_example(op).is_some())
        .map(|op| names::runnable_example_file(&module.name, &op.method_name))
        .collect()
}

/// The example a runnable program is made from: the operation's first inline success example.
fn success_example(op: &Operation) -> Option<&InlineExample> {
    op.examples.iter().filter_map(|e| e.inline()).find(|e| (200..300).contains(&e.status))
}

fn example(module: &Module, client: &Client, op: &Operation) -> Option<String> {
    let ex = success_example(op)?;
    let module_ident = ident(&module.name);
    let top = module.top_client(client);
    let top_name = format_ident!("{}", top.name);
    let token_only = top.auth.iter().all(|a| *a == AuthScheme::UserToken);
    let (env_doc, build) = if token_only {
        (
            "COMMUNICATION_ENDPOINT=https://<resource>.communication.azure.com COMMUNICATION_USER_TOKEN=<token>",
            quote! {
                let endpoint = std::env::var("COMMUNICATION_ENDPOINT")?;
                let token = std::env::var("COMMUNICATION_USER_TOKEN")?;
                let credential = std::sync::Arc::new(
                    azure_communication::UserTokenCredential::new(token),
                );
                let client = azure_communication::#module_ident::#top_name::new(&endpoint, credential, None)?;
            },
        )
    } else {
        (
            "COMMUNICATION_CONNECTION_STRING='endpoint=https://<resource>.communication.azure.com/;accesskey=<key>'",
            quote! {
                let connection_string = std::env::var("COMMUNICATION_CONNECTION_STRING")?;
                let client = azure_communication::#module_ident::#top_name::from_connection_string(&connection_string, None)?;
            },
        )
    };
    let param = |wire: &str| ex.parameters.iter().find(|(n, _)| n == wire).map(|(_, v)| v.clone());
    let env_name = |wire: &str| {
        names::value_name(wire).map(|n| names::unraw(&n).to_ascii_uppercase()).unwrap_or_default()
    };
    let mut env_lines = vec![env_doc.to_owned()];
    let mut lets = Vec::new();
    let mut call = quote! { client };
    if client.parent.is_some() {
        let accessor = format_ident!("{}", client.accessor);
        let mut values = Vec::new();
        for p in &client.scope {
            let var = format_ident!("{}", names::unraw(&p.name));
            let env = env_name(&p.wire_name);
            let default =
                param(&p.wire_name).and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            env_lines.push(format!("{env}=<{}> (default: the documented example's)", p.wire_name));
            lets.push(
                quote! { let #var = std::env::var(#env).unwrap_or_else(|_| #default.to_owned()); },
            );
            values.push(quote! { &#var });
        }
        call = quote! { #call.#accessor(#(#values),*) };
    }
    let positional: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let json = param(&p.wire_name).map(|v| v.to_string()).unwrap_or_default();
            if p.ty == Type::String {
                let value = param(&p.wire_name)
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                quote! { #value }
            } else {
                let ty = super::examples::public_type(&p.ty);
                quote! { serde_json::from_str::<#ty>(#json)? }
            }
        })
        .collect();
    let body = match (&op.body, &ex.request_body) {
        (Some(b), Some(json)) => {
            let ty = super::examples::public_type(&b.ty);
            let json = json_literal(json);
            lets.push(quote! {
                // The request documented for this operation; build your own with the model's
                // `new` and `with_*` methods.
                let body: #ty = serde_json::from_str(#json)?;
            });
            quote! { &body, }
        }
        _ => quote! {},
    };
    let method = ident(&op.method_name);
    let print = if op.ok_body.is_some() {
        quote! { println!("{:#?}", response.into_model()?); }
    } else {
        quote! {}
    };
    let run_doc = format!(
        " Run with: {} cargo run -p azure-communication --example {}_{}",
        env_lines.join(" "),
        module.name,
        names::unraw(&op.method_name)
    );
    let title = format!(" {}", op.description.lines().next().unwrap_or_default());
    let feature = &module.name;
    let disabled = format!("this example needs the `{feature}` feature");
    let tokens = quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #run_doc]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        #[cfg(feature = #feature)]
        #[tokio::main]
        async fn main() -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            #build
            #(#lets)*
            let response = #call.#method(#(#positional,)* #body None).await?;
            println!("status: {}", response.status());
            #print
            Ok(())
        }

        #[cfg(not(feature = #feature))]
        fn main() {
            eprintln!(#disabled);
        }
    };
    Some(format_file(&module.spec_file, tokens))
}
