//! Long-running operations: the `begin_…` method's ending (the poller), the `resume_…` method,
//! their options, and azure_core's `StatusMonitor` for each status monitor struct. The polling
//! itself is `crate::runtime::lro`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, ident, type_tokens};
use crate::ir::{Client, LongRunning, Module, Operation, Parameter, ResumeBy, Type};

/// The poller type of a long-running operation.
fn poller_type(lro: &LongRunning) -> TokenStream {
    let monitor = type_tokens(&Type::Named(lro.monitor.clone()));
    quote! { ::azure_core::http::Poller<#monitor> }
}

/// What the docs of a `begin_…` method add to the operation's.
pub fn begin_doc(lro: &LongRunning) -> String {
    format!(
        "\n\nThis is a long-running operation: the method sends the first request when the returned \
         poller is first polled, and the poller then polls the operation's status monitor \
         (`Operation-Location`), waiting as long as each answer's `Retry-After` says (else the \
         `frequency` of the options' `method_options`).\n\n\
         * `.await` the poller for the final [`{monitor}`] once the status is terminal; when the \
         operation fails or is canceled, the error's inner error is a \
         [`OperationFailed`](crate::OperationFailed) holding the final status body.\n\
         * Or read it as a stream (`futures::TryStreamExt::try_next`) to see every status, and \
         stop at any point; after a terminal status, `.await` it for the result instead of reading \
         the stream further.\n\
         * To pick up an operation started earlier (by this or another process), use \
         [`Self::{resume}`].",
        monitor = lro.monitor.name,
        resume = crate::names::unraw(&lro.resume.method_name),
    )
}

/// The end of a `begin_…` method's body, once `request` is built. The poller makes one span,
/// `api_name`, for the whole operation.
pub fn begin_tail(api_name: &str) -> TokenStream {
    poller_from(api_name, quote! { crate::runtime::lro::Start::Request(request) })
}

/// `Ok(poller)` starting at `start`, with the span `api_name` in the options' context.
fn poller_from(api_name: &str, start: TokenStream) -> TokenStream {
    quote! {
        let mut method_options = options.method_options.into_owned();
        method_options.context = self.core.instrument(&method_options.context, #api_name);
        ::std::result::Result::Ok(crate::runtime::lro::poller(self.core.clone(), #start, method_options))
    }
}

/// The return type of a `begin_…` method.
pub fn begin_returns(lro: &LongRunning) -> TokenStream {
    let poller = poller_type(lro);
    quote! { ::azure_core::Result<#poller> }
}

/// The options field of a `begin_…` or `resume_…` method.
pub fn method_options_field() -> TokenStream {
    quote! {
        /// Per-call options: the `Context`, and the polling `frequency` used when the service
        /// does not say when to poll again (30 seconds unless set; at least 1 second).
        pub method_options: ::azure_core::http::poller::PollerOptions<'a>,
    }
}

/// The `resume_…` method of a long-running operation, and its options struct (returned
/// second).
pub fn resume(client: &Client, op: &Operation, lro: &LongRunning) -> (TokenStream, TokenStream) {
    let method = ident(&lro.resume.method_name);
    let options = format_ident!("{}", lro.resume.options_name);
    let returns = begin_returns(lro);
    let begin = crate::names::unraw(&op.method_name);
    let (args, url, how) = match &lro.resume.by {
        ResumeBy::Url => (
            quote! { status_url: &str, },
            quote! { let url = crate::runtime::lro::status_monitor_url(&self.core, status_url)?; },
            "`status_url` is the status monitor URL: the `Operation-Location` header of the \
             operation's first response (the first item of its poller)."
                .to_owned(),
        ),
        ResumeBy::Operation { spec_name, path, parameters } => {
            let args = parameters.iter().map(|p| {
                let n = ident(&p.name);
                let ty = argument_type(p);
                quote! { #n: #ty, }
            });
            let (texts, parts) = super::clients::path_code(path, parameters);
            let names = parameters.iter().map(|p| format!("`{}`", p.name)).collect::<Vec<_>>();
            (
                quote! { #(#args)* },
                quote! {
                    #(#texts)*
                    let url = self.core.url(&[#(#parts),*])?;
                },
                format!(
                    "The status monitor is the one `{spec_name}` reads, found by {}.",
                    names.join(", ")
                ),
            )
        }
    };
    let doc_text = format!(
        "Resumes polling a `{}` operation started earlier (for example by [`Self::{begin}`] in \
         another process), without sending its first request again.\n\n{how}\n\nThe poller \
         behaves as the one [`Self::{begin}`] returns.\n\n# Errors\n\nAn invalid status monitor \
         is an error here; the service's answers are the poller's.",
        op.spec_name
    );
    let method_doc = doc(&doc_text);
    // Traced (and scripted in tests) as the operation it resumes.
    let api_name = format!("{}.{}", client.name, op.spec_name);
    let poller = poller_from(&api_name, quote! { crate::runtime::lro::Start::StatusMonitor(url) });
    let method_tokens = quote! {
        #method_doc
        pub fn #method(
            &self,
            #args
            options: ::std::option::Option<#options<'_>>,
        ) -> #returns {
            let options = options.unwrap_or_default();
            #url
            #poller
        }
    };
    let label = &lro.resume.options_name;
    let options_doc = format!(
        " Options of [`{}::{}`].",
        client.name,
        crate::names::unraw(&lro.resume.method_name)
    );
    let field = method_options_field();
    let options_tokens = quote! {
        #[doc = #options_doc]
        #[derive(Clone, Default)]
        pub struct #options<'a> {
            #field
        }

        impl ::std::fmt::Debug for #options<'_> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label).finish_non_exhaustive()
            }
        }
    };
    (method_tokens, options_tokens)
}

fn argument_type(p: &Parameter) -> TokenStream {
    if p.ty == Type::String {
        quote! { &str }
    } else {
        type_tokens(&p.ty)
    }
}

/// azure_core's `StatusMonitor` for every struct of `module` that a long-running operation
/// polls: the status is read from its status field, and the final result is the struct itself.
pub fn monitor_impls(module: &Module) -> Vec<TokenStream> {
    module
        .monitors
        .iter()
        .map(|m| {
            let name = format_ident!("{}", m.name);
            let field = ident(&m.status_field);
            let value = if m.status_required {
                quote! { ::std::option::Option::Some(self.#field.as_str()) }
            } else {
                quote! { self.#field.as_ref().map(|status| status.as_str()) }
            };
            let (succeeded, failed, canceled) = (&m.succeeded, &m.failed, &m.canceled);
            quote! {
                impl ::azure_core::http::poller::StatusMonitor for #name {
                    type Output = #name;
                    type Format = ::azure_core::http::JsonFormat;
                    fn status(&self) -> ::azure_core::http::poller::PollerStatus {
                        const TERMINAL: crate::runtime::lro::Terminal = crate::runtime::lro::Terminal {
                            succeeded: &[#(#succeeded),*],
                            failed: &[#(#failed),*],
                            canceled: &[#(#canceled),*],
                        };
                        TERMINAL.status(#value)
                    }
                }
            }
        })
        .collect()
}
