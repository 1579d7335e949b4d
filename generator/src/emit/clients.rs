//! Clients and their operation methods. Everything that is the same for every operation
//! (URL building, signing, retries, error decoding) is a call into `crate::runtime`; what is
//! emitted here is only what the spec decides.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::example_call::ExampleContext;
use super::{doc, ident, long_running, type_tokens};
use crate::ir::{
    AuthScheme, Client, HttpMethod, Module, Operation, Parameter, ParameterLocation, PathPart,
    Repeatability, Type,
};

/// The client struct, its options and one method per operation.
pub fn client_tokens(client: &Client, module: &Module, cx: ExampleContext<'_>) -> TokenStream {
    let name = format_ident!("{}", client.name);
    let client_doc = doc(&client.description);
    let scope_fields = client.scope.iter().map(|p| {
        let n = ident(&p.name);
        quote! { #n: ::std::string::String, }
    });
    let scope_getters = client.scope.iter().map(|p| {
        let n = ident(&p.name);
        let doc = doc(&p.description);
        quote! {
            #doc
            pub fn #n(&self) -> &str {
                &self.#n
            }
        }
    });
    let constructors = if client.parent.is_none() {
        top_level_constructors(client)
    } else {
        quote! {}
    };
    let accessors = module.children(client).map(|child| {
        let child_name = format_ident!("{}", child.name);
        let accessor = format_ident!("{}", child.accessor);
        let params = child.scope.iter().map(|p| {
            let n = ident(&p.name);
            quote! { #n: impl ::std::convert::Into<::std::string::String> }
        });
        let inits = child.scope.iter().map(|p| {
            let n = ident(&p.name);
            quote! { #n: #n.into() }
        });
        let doc = format!(
            " Creates a [`{}`] for the given {}, sharing this client's pipeline.",
            child.name,
            child.scope.iter().map(|p| format!("`{}`", p.name)).collect::<Vec<_>>().join(", ")
        );
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self, #(#params),*) -> #child_name {
                #child_name { core: self.core.clone(), #(#inits),* }
            }
        }
    });
    let methods = client.operations.iter().map(|op| {
        operation_method(client, op, super::doc_examples::section(module, client, op, cx))
    });
    let options = client.operations.iter().map(|op| operation_options(client, op));
    let (resume_methods, resume_options): (Vec<_>, Vec<_>) = client
        .operations
        .iter()
        .filter_map(|op| op.long_running.as_ref().map(|lro| long_running::resume(client, op, lro)))
        .unzip();
    let header_traits = client.operations.iter().filter_map(|op| headers_trait(client, op));
    let client_options = if client.parent.is_none() {
        client_options(client)
    } else {
        quote! {}
    };
    quote! {
        #client_doc
        #[derive(Clone, Debug)]
        pub struct #name {
            core: crate::runtime::client::ClientCore,
            #(#scope_fields)*
        }

        impl #name {
            #constructors
            /// The service endpoint this client sends requests to.
            pub fn endpoint(&self) -> &::azure_core::http::Url {
                self.core.endpoint()
            }
            #(#scope_getters)*
            #(#accessors)*
            #(#methods)*
            #(#resume_methods)*
        }

        #client_options
        #(#options)*
        #(#resume_options)*
        #(#header_traits)*
    }
}

fn top_level_constructors(client: &Client) -> TokenStream {
    let options = format_ident!("{}", client.options_name);
    let token_only = client.auth.iter().all(|a| *a == AuthScheme::UserToken);
    let auth = if token_only {
        quote! {
            crate::runtime::client::Auth::from(
                ::std::convert::Into::<crate::runtime::credential::BearerCredential>::into(credential),
            )
        }
    } else {
        quote! {
            crate::runtime::client::Auth::from(
                ::std::convert::Into::<crate::runtime::credential::CommunicationCredential>::into(credential),
            )
        }
    };
    let (credential_ty, credential_doc) = if token_only {
        (
            quote! { impl ::std::convert::Into<crate::runtime::credential::BearerCredential> },
            "Creates a client for `endpoint` that authenticates with an ACS user access token: a fixed\none (`UserTokenCredential`, as is or in an `Arc`) or any `TokenCredential` that refreshes it,\npassed as `Arc::new(credential)` or as an `Arc<dyn TokenCredential>`.",
        )
    } else {
        (
            quote! { impl ::std::convert::Into<crate::runtime::credential::CommunicationCredential> },
            "Creates a client for `endpoint` that authenticates with the resource's access key\n(`AccessKeyCredential`, HMAC-SHA256 signing) or a Microsoft Entra ID `TokenCredential`,\npassed as `Arc::new(credential)` or as an `Arc<dyn TokenCredential>`.",
        )
    };
    let from_connection_string = if client.auth.contains(&AuthScheme::AccessKey) {
        quote! {
            /// Creates a client from a connection string of the form
            /// `endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>`.
            ///
            /// A malformed connection string gives an error that says what is wrong without
            /// repeating the key.
            pub fn from_connection_string(
                connection_string: &str,
                options: ::std::option::Option<#options>,
            ) -> ::azure_core::Result<Self> {
                let (endpoint, credential) =
                    crate::runtime::connection_string::ConnectionString::parse(connection_string)?.into_parts();
                Self::new(&endpoint, credential, options)
            }
        }
    } else {
        quote! {}
    };
    let credential_doc = doc(credential_doc);
    quote! {
        #credential_doc
        pub fn new(
            endpoint: &str,
            credential: #credential_ty,
            options: ::std::option::Option<#options>,
        ) -> ::azure_core::Result<Self> {
            let options = options.unwrap_or_default();
            let core = crate::runtime::client::ClientCore::new(
                crate::runtime::client::Package {
                    name: ::std::env!("CARGO_PKG_NAME"),
                    version: ::std::env!("CARGO_PKG_VERSION"),
                },
                endpoint,
                #auth,
                options.client_options,
                options.api_version,
            )?;
            ::std::result::Result::Ok(Self { core })
        }

        #from_connection_string
    }
}

fn client_options(client: &Client) -> TokenStream {
    let name = format_ident!("{}", client.options_name);
    let api_version = client.api_version.clone().unwrap_or_default();
    let doc = format!(" Options for [`{}`].", client.name);
    let version_doc = format!(" The API version to call; `{api_version}` unless changed.");
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            /// Retry, transport, logging and other pipeline options.
            pub client_options: ::azure_core::http::ClientOptions,
            #[doc = #version_doc]
            pub api_version: ::std::string::String,
        }

        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self {
                    client_options: ::std::default::Default::default(),
                    api_version: ::std::string::String::from(#api_version),
                }
            }
        }
    }
}

/// The Rust type a parameter takes as an argument or options field.
fn parameter_type(p: &Parameter) -> TokenStream {
    type_tokens(&p.ty)
}

fn positional(op: &Operation) -> impl Iterator<Item = &Parameter> {
    op.parameters.iter().filter(|p| p.required)
}

fn optional(op: &Operation) -> impl Iterator<Item = &Parameter> {
    op.parameters.iter().filter(|p| !p.required)
}

fn operation_options(client: &Client, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.options_name);
    let label = &op.options_name;
    // A listing can stop after any page and resume from that page's continuation.
    let method_options = if op.long_running.is_some() {
        long_running::method_options_field()
    } else if op.paging.is_some() {
        quote! {
            /// Per-call options: the `Context`, and the continuation of a page to resume the
            /// listing after it (from `into_pages()`'s `continuation()` of an earlier listing).
            pub method_options: ::azure_core::http::pager::PagerOptions<'a>,
        }
    } else {
        quote! {
            /// Per-call options such as the `Context`.
            pub method_options: ::azure_core::http::ClientMethodOptions<'a>,
        }
    };
    let doc = format!(
        " Optional parameters of [`{}::{}`].",
        client.name,
        crate::names::unraw(&op.method_name)
    );
    let fields = optional(op).map(|p| {
        let n = ident(&p.name);
        let ty = parameter_type(p);
        let doc = super::doc(&p.description);
        quote! { #doc pub #n: ::std::option::Option<#ty>, }
    });
    let repeatability = match op.repeatability {
        Repeatability::None => quote! {},
        Repeatability::RequestIdOnly => quote! {
            /// The `repeatability-request-id` header. Left unset, the client sends a fresh UUID v4,
            /// the same on every retry of this call.
            pub repeatability_request_id: ::std::option::Option<::std::string::String>,
        },
        Repeatability::Standard => quote! {
            /// The `Repeatability-Request-ID` header. Left unset, the client sends a fresh UUID
            /// v4, the same on every retry of this call.
            pub repeatability_request_id: ::std::option::Option<::std::string::String>,
            /// The `Repeatability-First-Sent` header. Left unset, the client sends the time of the
            /// call, the same on every retry of this call.
            pub repeatability_first_sent: ::std::option::Option<::time::OffsetDateTime>,
        },
    };
    quote! {
        #[doc = #doc]
        #[derive(Clone, Default)]
        pub struct #name<'a> {
            #(#fields)*
            #repeatability
            #method_options
        }

        // Parameters may carry personal data; as azure_core's `SafeDebug`, none is shown.
        impl ::std::fmt::Debug for #name<'_> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label).finish_non_exhaustive()
            }
        }
    }
}

/// The text of a scalar value as a `&str`, for a query string, header or path. `value` must
/// be an identifier bound to a reference to the value.
fn to_text(ty: &Type, value: TokenStream) -> TokenStream {
    match ty {
        // Positional strings are `&str` and options fields `String`; `AsRef` takes both.
        Type::String => quote! { ::std::convert::AsRef::<str>::as_ref(#value) },
        Type::DateTime => quote! { &crate::runtime::datetime::rfc3339::format(*#value) },
        Type::DateTimeRfc1123 => quote! { &crate::runtime::datetime::rfc1123::format(*#value) },
        Type::Url => quote! { #value.as_str() },
        Type::Named(_) => quote! { #value.as_str() },
        _ => quote! { &#value.to_string() },
    }
}

/// The statements turning non-string path parameters into their text (first), and the
/// `PathPart`s of `path` (second), for `self.core.url(&[…])`.
pub(super) fn path_code(
    path: &[PathPart],
    parameters: &[Parameter],
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    // Path parameters that are not strings become their text before the path is built.
    let texts = parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path && p.ty != Type::String)
        .map(|p| {
            let n = ident(&p.name);
            let text = to_text(&p.ty, quote! { value });
            quote! { let #n = { let value = &#n; ::std::string::String::from(#text) }; }
        })
        .collect();
    let parts = path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote! { crate::runtime::client::PathPart::Literal(#text) },
            PathPart::Parameter(name) => {
                let n = ident(name);
                // String parameters are `&str` already; others were turned into a `String` above.
                let is_str = parameters.iter().any(|p| &p.name == name && p.ty == Type::String);
                if is_str {
                    quote! { crate::runtime::client::PathPart::Param(#n) }
                } else {
                    quote! { crate::runtime::client::PathPart::Param(&#n) }
                }
            }
            PathPart::Scope(name) => {
                let n = ident(name);
                quote! { crate::runtime::client::PathPart::Param(&self.#n) }
            }
        })
        .collect();
    (texts, parts)
}

fn response_type(op: &Operation) -> TokenStream {
    let body = match &op.ok_body {
        Some(ty) => type_tokens(ty),
        None => quote! { () },
    };
    match (&op.response_format, &op.ok_body) {
        (Some(format), _) => {
            let format = format_ident!("{}", format);
            quote! { ::azure_core::http::Response<#body, #format> }
        }
        (None, Some(_)) => quote! { ::azure_core::http::Response<#body> },
        (None, None) => quote! { ::azure_core::http::Response<(), ::azure_core::http::NoFormat> },
    }
}

fn operation_method(client: &Client, op: &Operation, examples: TokenStream) -> TokenStream {
    let method = ident(&op.method_name);
    // The span name of the method: the client type and the operation key as the spec writes it.
    let api_name = format!("{}.{}", client.name, op.spec_name);
    let options = format_ident!("{}", op.options_name);
    let mut doc_text = op.description.clone();
    let statuses = op
        .responses
        .iter()
        .map(|r| format!("`{}` ({})", r.status, r.description.trim_end_matches('.')))
        .collect::<Vec<_>>();
    doc_text.push_str(&format!("\n\nSucceeds with {}.", statuses.join(" or ")));
    if let Some(t) = &op.headers_trait {
        doc_text.push_str(&format!(" Typed response headers: [`{t}`]."));
    }
    doc_text.push_str("\n\n# Errors\n\nAny other status is an error whose [`ServiceError`](crate::ServiceError) carries the status, the\nservice error code and the parsed error body; transport and credential failures are errors too.");
    let doc_tokens = doc(&doc_text);
    let args = positional(op).map(|p| {
        let n = ident(&p.name);
        let ty = if p.ty == Type::String {
            quote! { &str }
        } else {
            parameter_type(p)
        };
        quote! { #n: #ty, }
    });
    let body_arg = op.body.as_ref().map(|b| {
        let n = ident(&b.name);
        let ty = type_tokens(&b.ty);
        quote! { #n: &#ty, }
    });
    let (path_texts, path_parts) = path_code(&op.path, &op.parameters);
    let query = op.parameters.iter().filter(|p| p.location == ParameterLocation::Query).map(|p| {
        let wire = &p.wire_name;
        let n = ident(&p.name);
        if p.required {
            let text = to_text(&p.ty, quote! { value });
            quote! {
                let value = &#n;
                url.query_pairs_mut().append_pair(#wire, #text);
            }
        } else {
            let text = to_text(&p.ty, quote! { value });
            quote! {
                if let ::std::option::Option::Some(value) = &options.#n {
                    url.query_pairs_mut().append_pair(#wire, #text);
                }
            }
        }
    });
    let headers =
        op.parameters.iter().filter(|p| p.location == ParameterLocation::Header).map(|p| {
            let wire = p.wire_name.to_ascii_lowercase();
            let n = ident(&p.name);
            if p.required {
                let text = to_text(&p.ty, quote! { value });
                quote! {
                    let value = &#n;
                    request.insert_header(#wire, ::std::string::String::from(#text));
                }
            } else {
                let text = to_text(&p.ty, quote! { value });
                quote! {
                    if let ::std::option::Option::Some(value) = &options.#n {
                        request.insert_header(#wire, ::std::string::String::from(#text));
                    }
                }
            }
        });
    let http_method = match op.method {
        HttpMethod::Get => quote! { Get },
        HttpMethod::Put => quote! { Put },
        HttpMethod::Post => quote! { Post },
        HttpMethod::Patch => quote! { Patch },
        HttpMethod::Delete => quote! { Delete },
    };
    let set_body = op.body.as_ref().map(|b| {
        let n = ident(&b.name);
        let content_type =
            if b.merge_patch { "application/merge-patch+json" } else { "application/json" };
        quote! {
            request.insert_header("content-type", #content_type);
            request.set_json(#n)?;
        }
    });
    let repeatability = match op.repeatability {
        Repeatability::None => quote! {},
        Repeatability::RequestIdOnly => quote! {
            crate::runtime::repeatability::apply(
                &mut request,
                crate::runtime::repeatability::RepeatabilityStyle::RequestIdOnly,
                options.repeatability_request_id.as_deref(),
                ::std::option::Option::None,
            );
        },
        Repeatability::Standard => quote! {
            crate::runtime::repeatability::apply(
                &mut request,
                crate::runtime::repeatability::RepeatabilityStyle::Standard,
                options.repeatability_request_id.as_deref(),
                options.repeatability_first_sent,
            );
        },
    };
    if let Some(paging) = &op.paging {
        let page = op.ok_body.as_ref().map(type_tokens).unwrap_or_else(|| quote! { () });
        let next_link = &paging.next_link;
        let collect_headers: Vec<TokenStream> = op
            .parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Header)
            .map(|p| {
                let wire = p.wire_name.to_ascii_lowercase();
                let n = ident(&p.name);
                let text = to_text(&p.ty, quote! { value });
                if p.required {
                    quote! { { let value = &#n; headers.push((#wire, ::std::string::String::from(#text))); } }
                } else {
                    quote! {
                        if let ::std::option::Option::Some(value) = &options.#n {
                            headers.push((#wire, ::std::string::String::from(#text)));
                        }
                    }
                }
            })
            .collect();
        let headers_decl = if collect_headers.is_empty() {
            quote! { let headers: [(&'static str, ::std::string::String); 0] = []; }
        } else {
            quote! { let mut headers: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new(); }
        };
        let url_mut = if op.parameters.iter().any(|p| p.location == ParameterLocation::Query) {
            quote! { mut }
        } else {
            quote! {}
        };
        return quote! {
            #doc_tokens
            ///
            /// The pager yields the items of every page, following each page's next link; use
            /// `into_pages()` to see the pages themselves.
            #examples
            pub fn #method(
                &self,
                #(#args)*
                options: ::std::option::Option<#options<'_>>,
            ) -> ::azure_core::Result<::azure_core::http::Pager<#page>> {
                let options = options.unwrap_or_default();
                #(#path_texts)*
                let #url_mut url = self.core.url(&[#(#path_parts),*])?;
                #(#query)*
                #headers_decl
                #(#collect_headers)*
                ::std::result::Result::Ok(crate::runtime::paging::pager(
                    self.core.clone(),
                    url,
                    move |request| {
                        request.insert_header("accept", "application/json");
                        for (name, value) in &headers {
                            request.insert_header(*name, value.clone());
                        }
                    },
                    |raw| crate::runtime::paging::next_link_field(raw, #next_link),
                    ::azure_core::http::pager::PagerOptions {
                        context: self.core.instrument(&options.method_options.context, #api_name).into_owned(),
                        continuation: options.method_options.continuation,
                    },
                ))
            }
        };
    }
    let url_mut = if op.parameters.iter().any(|p| p.location == ParameterLocation::Query) {
        quote! { mut }
    } else {
        quote! {}
    };
    // The request of a call, or the first request of a long-running operation (which the
    // poller then sends as it is, retries included).
    let build_request = quote! {
        let options = options.unwrap_or_default();
        #(#path_texts)*
        let #url_mut url = self.core.url(&[#(#path_parts),*])?;
        #(#query)*
        let mut request = ::azure_core::http::Request::new(url, ::azure_core::http::Method::#http_method);
        request.insert_header("accept", "application/json");
        #(#headers)*
        #set_body
        // Set once, before the pipeline's retry policy, so every retry resends the same values.
        #repeatability
    };
    if let Some(lro) = &op.long_running {
        let returns = long_running::begin_returns(lro);
        let text = long_running::begin_doc(lro) + "\n\n# Errors";
        let doc = doc(&doc_text.replacen("\n\n# Errors", &text, 1));
        let tail = long_running::begin_tail(&api_name);
        return quote! {
            #doc
            #examples
            pub fn #method(
                &self,
                #(#args)*
                #body_arg
                options: ::std::option::Option<#options<'_>>,
            ) -> #returns {
                #build_request
                #tail
            }
        };
    }
    let returns = response_type(op);
    quote! {
        #doc_tokens
        #examples
        pub async fn #method(
            &self,
            #(#args)*
            #body_arg
            options: ::std::option::Option<#options<'_>>,
        ) -> ::azure_core::Result<#returns> {
            #build_request
            let ctx = self.core.instrument(&options.method_options.context, #api_name);
            let response = self.core.send(&ctx, &mut request).await?;
            ::std::result::Result::Ok(response.into())
        }
    }
}

/// A trait with one typed accessor per declared response header, implemented for the
/// operation's response type.
fn headers_trait(client: &Client, op: &Operation) -> Option<TokenStream> {
    let name = format_ident!("{}", op.headers_trait.as_ref()?);
    let mut headers: Vec<_> = op.responses.iter().flat_map(|r| r.headers.iter()).collect();
    headers.sort_by(|a, b| a.name.cmp(&b.name));
    headers.dedup_by(|a, b| a.name == b.name);
    let signatures = headers.iter().map(|h| {
        let n = ident(&h.name);
        let ty = type_tokens(&h.ty);
        let doc = doc(&format!("The `{}` header: {}", h.wire_name, h.description));
        quote! {
            #doc
            ///
            /// `Ok(None)` when the response does not have the header; an error when its value
            /// does not parse.
            fn #n(&self) -> ::azure_core::Result<::std::option::Option<#ty>>;
        }
    });
    let impls = headers.iter().map(|h| {
        let n = ident(&h.name);
        let ty = type_tokens(&h.ty);
        let wire = h.wire_name.to_ascii_lowercase();
        let body = match h.ty {
            Type::DateTime => quote! {
                self.headers()
                    .get_optional_str(&::azure_core::http::headers::HeaderName::from(#wire))
                    .map(crate::runtime::datetime::rfc3339::parse)
                    .transpose()
            },
            Type::DateTimeRfc1123 => quote! {
                self.headers()
                    .get_optional_str(&::azure_core::http::headers::HeaderName::from(#wire))
                    .map(crate::runtime::datetime::rfc1123::parse)
                    .transpose()
            },
            _ => quote! {
                self.headers().get_optional_as::<#ty, _>(&::azure_core::http::headers::HeaderName::from(#wire))
            },
        };
        quote! {
            fn #n(&self) -> ::azure_core::Result<::std::option::Option<#ty>> {
                #body
            }
        }
    });
    let response = response_type(op);
    let doc = format!(
        " Typed response headers of [`{}::{}`].",
        client.name,
        crate::names::unraw(&op.method_name)
    );
    let format = format_ident!("{}", op.response_format.as_ref()?);
    let body = match &op.ok_body {
        Some(ty) => type_tokens(ty),
        None => quote! { () },
    };
    let deserialize = if op.ok_body.is_some() {
        quote! { body.json() }
    } else {
        quote! { ::std::result::Result::Ok(()) }
    };
    let format_doc = format!(
        " The response format of [`{}::{}`]: JSON, as a type of its own so that [`{}`] applies to this operation's responses only.",
        client.name,
        crate::names::unraw(&op.method_name),
        op.headers_trait.as_deref().unwrap_or_default()
    );
    Some(quote! {
        #[doc = #doc]
        pub trait #name: sealed::Sealed {
            #(#signatures)*
        }

        impl #name for #response {
            #(#impls)*
        }

        impl sealed::Sealed for #response {}

        #[doc = #format_doc]
        #[doc(hidden)]
        #[derive(Clone, Copy, Debug)]
        pub struct #format;

        impl ::azure_core::http::Format for #format {
            fn deserialize<T: ::serde::de::DeserializeOwned, S: ::std::convert::AsRef<[u8]>>(body: S) -> ::azure_core::Result<T> {
                ::serde_json::from_slice(body.as_ref()).map_err(|e| {
                    ::azure_core::Error::new(::azure_core::error::ErrorKind::DataConversion, e)
                })
            }
        }

        impl ::azure_core::http::DeserializeWith<#format> for #body {
            fn deserialize_with(body: ::azure_core::http::response::ResponseBody) -> ::azure_core::Result<Self> {
                #deserialize
            }
        }
    })
}

/// `azure_core`'s `Page` for every struct of `module` that some paging operation returns, so its
/// pager can yield the items.
pub fn page_impls(module: &Module) -> Vec<TokenStream> {
    let mut impls = Vec::new();
    for page in &module.pages {
        let name = format_ident!("{}", page.name);
        let items = ident(&page.items_field);
        let item = type_tokens(&page.item);
        let value = if page.items_required {
            quote! { self.#items }
        } else {
            quote! { self.#items.unwrap_or_default() }
        };
        impls.push(quote! {
            #[::async_trait::async_trait]
            impl ::azure_core::http::pager::Page for #name {
                type Item = #item;
                type IntoIter = ::std::vec::IntoIter<#item>;
                async fn into_items(self) -> ::azure_core::Result<Self::IntoIter> {
                    ::std::result::Result::Ok(#value.into_iter())
                }
            }
        });
    }
    impls
}
