//! The `# Examples` section of every client method's documentation: a complete `no_run`
//! program that makes the client as the crate README does, builds the arguments of the
//! documented request with the typed constructors, makes the call and uses the result.
//! Compiled by `cargo test --doc`, so a constructor or setter that changes shape breaks a test
//! rather than the documentation.

use proc_macro2::TokenStream;
use quote::quote;

use super::example_call::{client_setup, example_call, scoped_client, ExampleContext};
use crate::ir::{Client, Module, Operation};

/// `#[doc]` attributes of the section, or nothing when no example can be built.
pub fn section(
    module: &Module,
    client: &Client,
    op: &Operation,
    cx: ExampleContext<'_>,
) -> TokenStream {
    let Some(call) = example_call(module, client, op, cx) else {
        return quote! {};
    };
    let setup = client_setup(module, client, |name| quote! { std::env::var(#name)? });
    let scoped = scoped_client(client, &call, |_, value| quote! { #value });
    let imports = &call.imports;
    let lets = &call.lets;
    let body = &call.call;
    let program = quote! {
        #imports

        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            #setup
            #scoped
            #lets
            #body
            Ok(())
        }
    };
    // The emitters build the program with quote!, so it parses; if it ever does not, the
    // method is better left without an example than the crate without documentation.
    let Ok(file) = syn::parse2::<syn::File>(program) else {
        return quote! {};
    };
    let code = prettyplease::unparse(&file);
    let intro = match &call.title {
        Some(title) => format!(
            " From the documented example \"{}\":",
            title.replace('`', "'").replace('[', "\\[").replace(']', "\\]")
        ),
        None => " With placeholders (`<…>`) for the values to fill in:".to_owned(),
    };
    let mut lines =
        vec![String::new(), " # Examples".to_owned(), String::new(), intro, String::new()];
    lines.push(" ```no_run".to_owned());
    let mut previous_was_use = false;
    for line in code.lines() {
        // A blank line between the imports and `main`, as a person writes it.
        if previous_was_use && !line.starts_with("use ") && !line.starts_with(' ') && line != "};" {
            lines.push(String::new());
        }
        previous_was_use = line.starts_with("use ")
            || (previous_was_use && (line.starts_with(' ') || line == "};"));
        lines.push(if line.is_empty() { String::new() } else { format!(" {line}") });
    }
    lines.push(" ```".to_owned());
    quote! { #(#[doc = #lines])* }
}
