//! One runnable program per operation under `examples/`, built from the operation's first
//! documented example and reading the endpoint and credential from the environment.

use quote::quote;

use super::example_call::{
    build, client_setup, documented_requests, scoped_client, token_only, ExampleContext,
};
use super::format_file;
use crate::ir::{Client, ExampleSource, Module, Operation};
use crate::names;

/// `examples/<module>_<operation>.rs` for every operation of `module` with a success example
/// written out in its spec that the generated types can express.
pub fn examples(module: &Module, cx: ExampleContext<'_>) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for client in &module.clients {
        for op in &client.operations {
            if let Some(text) = example(module, client, op, cx) {
                let name = names::runnable_example_file(&module.name, &op.method_name);
                files.push((name, text));
            }
        }
    }
    files
}

/// The paths [`examples`] gives for `module`, without making the files: one per operation with
/// a success example written out in its spec. An example the types cannot express makes no
/// file, so [`examples`] may give fewer; such a module is then made again on every run.
pub fn paths(module: &Module) -> Vec<String> {
    let ops = module.clients.iter().flat_map(|c| &c.operations);
    ops.filter(|op| success_example(op).is_some())
        .map(|op| names::runnable_example_file(&module.name, &op.method_name))
        .collect()
}

/// The first success example written out in the spec (the crate-wide name check reserves the
/// files of these).
fn success_example(op: &Operation) -> Option<&crate::ir::OperationExample> {
    op.examples.iter().find(|e| match &e.source {
        ExampleSource::Inline(i) => (200..300).contains(&i.status),
        ExampleSource::File(_) => false,
    })
}

fn example(
    module: &Module,
    client: &Client,
    op: &Operation,
    cx: ExampleContext<'_>,
) -> Option<String> {
    // The first success example written out in the spec is the documented request.
    let inline = success_example(op)?;
    let values = documented_requests(op, cx)
        .into_iter()
        .find(|v| v.title.as_deref() == Some(inline.title.as_str()))?;
    let call = build(module, client, op, cx, &values).ok()?;
    // Every variable is read through the runtime's helper, whose error names the variable.
    let setup = client_setup(module, client, |name| {
        quote! { azure_communication_runtime::env::required_var(#name)? }
    });
    let env_doc = if token_only(module, client) {
        "COMMUNICATION_ENDPOINT=https://<resource>.communication.azure.com COMMUNICATION_USER_TOKEN=<token>"
    } else {
        "COMMUNICATION_CONNECTION_STRING='endpoint=https://<resource>.communication.azure.com/;accesskey=<key>'"
    };
    // The scoped client's parameters (a thread id) come from the environment, defaulting to
    // the documented example's.
    let mut env_lines = vec![env_doc.to_owned()];
    let scoped = scoped_client(client, &call, |p, value| {
        let env = names::value_name(&p.wire_name)
            .map(|n| names::unraw(&n).to_ascii_uppercase())
            .unwrap_or_default();
        env_lines.push(format!("{env}=<{}> (default: the documented example's)", p.wire_name));
        quote! { std::env::var(#env).unwrap_or_else(|_| #value.to_owned()) }
    });
    let env_doc = env_lines.join(" ");
    let run_doc = format!(
        " Run with: {env_doc} cargo run -p azure-communication --example {}_{}",
        module.name,
        names::unraw(&op.method_name)
    );
    let title = format!(" {}", op.description.lines().next().unwrap_or_default());
    let built_from = format!(
        " The request is the documented example \"{}\", built with the models' `new` and `with_*` methods.",
        inline.title
    );
    let feature = &module.name;
    let disabled = format!("this example needs the `{feature}` feature");
    let imports = &call.imports;
    let lets = &call.lets;
    let body = &call.call;
    let tokens = quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #built_from]
        #![doc = ""]
        #![doc = #run_doc]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        #[cfg(feature = #feature)]
        #[tokio::main]
        async fn main() -> std::process::ExitCode {
            match run().await {
                Ok(()) => std::process::ExitCode::SUCCESS,
                // The message and its causes, each with `Display`: never `Debug`, which may show
                // request details.
                Err(error) => {
                    eprintln!("error: {error}");
                    let mut source = error.source();
                    while let Some(cause) = source {
                        eprintln!("caused by: {cause}");
                        source = cause.source();
                    }
                    std::process::ExitCode::FAILURE
                }
            }
        }

        #[cfg(feature = #feature)]
        async fn run() -> Result<(), Box<dyn std::error::Error>> {
            #imports
            #setup
            #scoped
            #lets
            #body
            Ok(())
        }

        #[cfg(not(feature = #feature))]
        fn main() {
            eprintln!(#disabled);
        }
    };
    Some(format_file(&module.spec_file, tokens))
}
