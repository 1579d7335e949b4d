//! Structs and enums for definitions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, ident, serde_with, type_tokens};
use crate::ir::{Enum, Field, Literal, Struct, Type, Union, UnionVariant};
use crate::names;

/// A struct with serde derives, a constructor taking the required fields and a `with_` method
/// per optional field.
pub fn struct_tokens(s: &Struct) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let implements = s.implements.iter().map(|t| {
        let path: TokenStream = format!("crate::runtime::{}", t.path).parse().unwrap_or_default();
        quote! { impl #path for #name {} }
    });
    let body = match &s.union {
        Some(union) => union_tokens(s, union),
        None => object_tokens(s),
    };
    quote! { #body #(#implements)* }
}

fn object_tokens(s: &Struct) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = doc(&s.description);
    let fields = s.fields.iter().map(|f| field_tokens(f, &s.name));
    let debug = safe_debug(s, false);
    let required: Vec<&Field> = s.fields.iter().filter(|f| is_required(f)).collect();
    let (params, inits) = constructor_parts(s);
    let new_doc = if s.fields.iter().any(|f| f.default.is_some()) {
        format!(
            " Creates a `{}`; optional fields start unset, fields with a default at it.",
            s.name
        )
    } else if required.is_empty() {
        format!(" Creates a `{}` with every optional field unset.", s.name)
    } else {
        let list = required
            .iter()
            .map(|f| format!("`{}`", names::unraw(&f.name)))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            " Creates a `{}` from its required fields ({list}); optional fields start unset.",
            s.name
        )
    };
    let withs = s.fields.iter().filter(|f| !is_required(f)).map(with_method);
    let defaults = default_fns(s);
    let default_impl = if required.is_empty() {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote! {}
    };
    quote! {
        #doc
        #[derive(Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #debug

        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default, clippy::too_many_arguments)]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#withs)*
            #(#defaults)*
        }

        #default_impl
    }
}

/// The parameters of `new` (the required fields) and the initializer of every field.
fn constructor_parts(s: &Struct) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let params = s
        .fields
        .iter()
        .filter(|f| is_required(f))
        .map(|f| {
            let n = ident(&f.name);
            let ty = constructor_param_type(&f.ty);
            quote! { #n: #ty }
        })
        .collect();
    let inits = s
        .fields
        .iter()
        .map(|f| {
            let n = ident(&f.name);
            if matches!(f.ty, Type::Nullable(_)) {
                quote! { #n: crate::runtime::nullable::Nullable::Absent }
            } else if f.default.is_some() {
                let default = default_fn(f);
                quote! { #n: Self::#default() }
            } else if !f.required {
                quote! { #n: ::std::option::Option::None }
            } else if f.ty == Type::String || f.boxed {
                let value = constructor_value(f, quote! { #n });
                quote! { #n: #value }
            } else {
                quote! { #n }
            }
        })
        .collect();
    (params, inits)
}

fn is_required(f: &Field) -> bool {
    f.required && f.default.is_none() && !matches!(f.ty, Type::Nullable(_))
}

/// `Debug` in azure_core's `SafeDebug` convention: the fields that are safe to log (see
/// `Field::safe`), then `..` for the rest, so that message content, names, phone numbers and
/// tokens never reach a log through `{:?}`.
fn safe_debug(s: &Struct, kind: bool) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let label = &s.name;
    let fields = s.fields.iter().filter(|f| f.safe).map(|f| {
        let n = ident(&f.name);
        let text = names::unraw(&f.name);
        quote! { .field(#text, &self.#n) }
    });
    let kind = kind.then(|| quote! { .field("kind", &self.kind) });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #kind #(#fields)* .finish_non_exhaustive()
            }
        }
    }
}

/// The name of the function giving a field's default: `default_role`.
fn default_fn(f: &Field) -> proc_macro2::Ident {
    format_ident!("default_{}", names::unraw(&f.name))
}

/// One function per field with a default, returning it; serde calls it for an absent property.
fn default_fns(s: &Struct) -> Vec<TokenStream> {
    s.fields
        .iter()
        .filter_map(|f| {
            let literal = f.default.as_ref()?;
            let name = default_fn(f);
            let ty = type_tokens(&f.ty);
            let value = match (literal, &f.ty) {
                (Literal::String(text), _) => quote! { ::std::string::String::from(#text) },
                (Literal::Bool(b), _) => quote! { #b },
                (Literal::Int(i), Type::Int32) => {
                    let i = *i as i32;
                    quote! { #i }
                }
                (Literal::Int(i), _) => quote! { #i },
                (Literal::Float(x), _) => quote! { #x },
                (Literal::Variant(variant), _) => {
                    let variant = format_ident!("{}", variant);
                    quote! { #ty::#variant }
                }
            };
            let doc = format!(" The value an absent `{}` stands for.", f.json_name);
            Some(quote! {
                #[doc = #doc]
                pub fn #name() -> #ty {
                    #value
                }
            })
        })
        .collect()
}

/// `with_<field>`: sets an optional field; a nullable one takes a value or `Nullable::Null`.
fn with_method(f: &Field) -> TokenStream {
    let n = ident(&f.name);
    let method = format_ident!("with_{}", names::unraw(&f.name));
    let doc = format!(" Sets `{}`.", names::unraw(&f.name));
    if let Type::Nullable(inner) = &f.ty {
        let inner = type_tokens(inner);
        return quote! {
            #[doc = #doc]
            ///
            /// Pass a value to set it, or `Nullable::Null` to remove the stored value.
            #[must_use]
            pub fn #method(mut self, value: impl ::std::convert::Into<crate::runtime::nullable::Nullable<#inner>>) -> Self {
                self.#n = value.into();
                self
            }
        };
    }
    let ty = constructor_param_type(&f.ty);
    let value = constructor_value(f, quote! { value });
    let value = if f.default.is_some() {
        value
    } else {
        quote! { ::std::option::Option::Some(#value) }
    };
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #method(mut self, value: #ty) -> Self {
            self.#n = #value;
            self
        }
    }
}

fn field_tokens(f: &Field, owner: &str) -> TokenStream {
    let name = ident(&f.name);
    let doc = doc(&f.description);
    let json = &f.json_name;
    let aliases = f.aliases.iter().map(|a| quote! { alias = #a, });
    let inner = type_tokens(&f.ty);
    let inner = if f.boxed {
        quote! { ::std::boxed::Box<#inner> }
    } else {
        inner
    };
    let with = serde_with(&f.ty);
    if let Type::Nullable(inner) = &f.ty {
        let inner_ty = type_tokens(inner);
        let with = serde_with(inner).map(|w| {
            let w = format!("{w}::nullable");
            quote! { with = #w, }
        });
        return quote! {
            #doc
            #[serde(rename = #json, #(#aliases)* default, skip_serializing_if = "crate::runtime::nullable::Nullable::is_absent", #with)]
            pub #name: crate::runtime::nullable::Nullable<#inner_ty>,
        };
    }
    let (ty, attrs) = if f.default.is_some() {
        let with = with.map(|w| quote! { with = #w, });
        let default = format!("{owner}::{}", default_fn(f));
        (inner, quote! { default = #default, #with })
    } else if f.required {
        let with = with.map(|w| quote! { with = #w, });
        (inner, quote! { #with })
    } else {
        let with = with.map(|w| {
            let w = format!("{w}::option");
            quote! { with = #w, }
        });
        (
            quote! { ::std::option::Option<#inner> },
            quote! { default, skip_serializing_if = "::std::option::Option::is_none", #with },
        )
    };
    quote! {
        #doc
        #[serde(rename = #json, #(#aliases)* #attrs)]
        pub #name: #ty,
    }
}

/// Strings are taken as `impl Into<String>` so literals need no `.to_owned()`.
fn constructor_param_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote! { impl ::std::convert::Into<::std::string::String> },
        other => type_tokens(other),
    }
}

fn constructor_value(f: &Field, value: TokenStream) -> TokenStream {
    let value = if f.ty == Type::String {
        quote! { #value.into() }
    } else {
        value
    };
    if f.boxed {
        quote! { ::std::boxed::Box::new(#value) }
    } else {
        value
    }
}

/// An enum with `FromStr`, `Display`, `AsRef<str>` and string serde; extensible enums keep
/// unknown values in `UnknownValue`.
pub fn enum_tokens(e: &Enum) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let enum_doc = doc(&e.description);
    let variants = e.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let doc = doc(&format!("`{}`: {}", v.wire, v.description));
        quote! { #doc #n, }
    });
    let to_str = e.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let wire = &v.wire;
        quote! { Self::#n => #wire, }
    });
    let from_str = e.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let wire = &v.wire;
        quote! { #wire => Self::#n, }
    });
    let expected = e.variants.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>().join(", ");
    let (unknown_variant, unknown_to_str, from_str_impl, deserialize_body) = if e.closed {
        let expected_msg = format!("one of: {expected}");
        (
            quote! {},
            quote! {},
            quote! {
                impl ::std::str::FromStr for #name {
                    type Err = crate::runtime::enums::UnknownEnumValue;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        ::std::result::Result::Ok(match value {
                            #(#from_str)*
                            other => return ::std::result::Result::Err(
                                crate::runtime::enums::UnknownEnumValue::new(stringify!(#name), other, #expected_msg),
                            ),
                        })
                    }
                }
            },
            quote! {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                value.parse().map_err(::serde::de::Error::custom)
            },
        )
    } else {
        (
            quote! {
                /// A value this version of the crate does not know, kept as sent.
                UnknownValue(::std::string::String),
            },
            quote! { Self::UnknownValue(value) => value, },
            quote! {
                impl ::std::str::FromStr for #name {
                    type Err = ::std::convert::Infallible;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        ::std::result::Result::Ok(match value {
                            #(#from_str)*
                            other => Self::UnknownValue(other.to_owned()),
                        })
                    }
                }
            },
            quote! {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(match value.parse() {
                    ::std::result::Result::Ok(v) => v,
                    ::std::result::Result::Err(never) => match never {},
                })
            },
        )
    };
    quote! {
        #enum_doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_variant
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #unknown_to_str
                }
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #from_str_impl

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #deserialize_body
            }
        }
    }
}

/// A kind-tagged object: the shared fields plus a `kind` enum holding the one payload its
/// discriminator names. JSON goes through a private wire struct with every property optional,
/// so a discriminator and a payload that disagree can be read (and reported) but never built.
fn union_tokens(s: &Struct, union: &Union) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let kind = format_ident!("{}", union.kind_enum);
    let wire = format_ident!("{}Wire", s.name);
    let struct_doc = doc(&s.description);
    let kind_doc = format!(" Which kind of `{}` this is, with its payload.", s.name);
    let discriminator = &union.discriminator;
    let fields = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let doc = doc(&f.description);
        let ty = plain_field_type(f);
        quote! { #doc pub #n: #ty, }
    });
    let wire_fields = s.fields.iter().map(|f| field_tokens(f, &s.name));
    let payload_fields = union.variants.iter().map(|v| {
        let n = format_ident!("{}", v.wire_field);
        let json = &v.property;
        let ty = type_tokens(&v.ty);
        quote! {
            #[serde(rename = #json, default, skip_serializing_if = "::std::option::Option::is_none")]
            #n: ::std::option::Option<#ty>,
        }
    });
    let payload_ident = |v: &UnionVariant| format_ident!("{}", v.wire_field);
    let variants = union.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let ty = type_tokens(&v.ty);
        let doc = doc(&format!("`{}` = `{}`: {}", discriminator, v.value, v.description));
        quote! { #doc #n(#ty), }
    });
    let kind_names = union.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let value = &v.value;
        quote! { Self::#n(_) => #value, }
    });
    let to_wire = union.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let payload = payload_ident(v);
        quote! { #kind::#n(value) => wire.#payload = ::std::option::Option::Some(value.clone()), }
    });
    // A known kind without its payload (sent by a service version that predates the payload)
    // is kept as an unknown kind of that name, so the value reads and writes back as sent; with
    // the payload of another kind instead, kind and payload disagree, which is an error.
    let from_known = union.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let value = &v.value;
        let payload = payload_ident(v);
        let missing = format!("missing field `{}` for {} `{}`", v.property, discriminator, v.value);
        let others: Vec<_> =
            union.variants.iter().filter(|o| o.value != v.value).map(payload_ident).collect();
        let other_present = if others.is_empty() {
            quote! { false }
        } else {
            quote! { #(wire.#others.is_some())||* }
        };
        quote! {
            #value => match wire.#payload.take() {
                ::std::option::Option::Some(payload) => #kind::#n(payload),
                ::std::option::Option::None if #other_present => {
                    return ::std::result::Result::Err(::serde::de::Error::custom(#missing));
                }
                ::std::option::Option::None => #kind::Unknown(kind.clone()),
            },
        }
    });
    let infer = union.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let payload = payload_ident(v);
        quote! {
            if let ::std::option::Option::Some(payload) = wire.#payload.take() {
                found.push(#kind::#n(payload));
            }
        }
    });
    let two_kinds = format!("missing field `{discriminator}` and more than one payload");
    let field_moves = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        quote! { #n: wire.#n, }
    });
    let field_copies = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        quote! { #n: self.#n.clone(), }
    });
    let payload_nones = union.variants.iter().map(|v| {
        let payload = payload_ident(v);
        quote! { #payload: ::std::option::Option::None, }
    });
    let (params, inits) = constructor_parts(s);
    let withs = s.fields.iter().filter(|f| !is_required(f)).map(with_method);
    let defaults = default_fns(s);
    let new_doc =
        format!(" Creates a `{}` of the given kind; optional fields start unset.", s.name);
    let field_names: Vec<_> = s.fields.iter().map(|f| ident(&f.name)).collect();
    let debug = safe_debug(s, true);
    // Without required fields, the empty object is a value: an unknown kind and nothing set,
    // written back as `{}`.
    let default_impl = if s.fields.iter().all(|f| !f.required) {
        let (_, inits) = constructor_parts(s);
        let doc = format!(" An empty `{}`: an unknown kind with nothing set.", s.name);
        quote! {
            impl ::std::default::Default for #name {
                #[doc = #doc]
                fn default() -> Self {
                    Self { #(#inits,)* kind: #kind::Unknown(::std::string::String::new()), write_discriminator: false }
                }
            }
        }
    } else {
        quote! {}
    };
    quote! {
        #struct_doc
        #[derive(Clone)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #[doc = #kind_doc]
            pub kind: #kind,
            // False only for a value read without its discriminator, so that it is written back
            // the way it came; values built in code always carry it.
            write_discriminator: bool,
        }

        #debug

        // Equality ignores how the value was read.
        impl ::std::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                #(self.#field_names == other.#field_names &&)* self.kind == other.kind
            }
        }

        #[doc = #kind_doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #kind {
            #(#variants)*
            /// A kind this version of the crate does not know, kept as sent (its payload is not);
            /// also a known kind sent without its payload.
            Unknown(::std::string::String),
        }

        impl #kind {
            /// The discriminator value of this kind.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#kind_names)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default, clippy::too_many_arguments)]
            pub fn new(kind: #kind, #(#params),*) -> Self {
                Self { #(#inits,)* kind, write_discriminator: true }
            }
            #(#withs)*
            #(#defaults)*
        }

        #default_impl

        #[derive(::serde::Serialize, ::serde::Deserialize)]
        struct #wire {
            #[serde(rename = #discriminator, default, skip_serializing_if = "::std::option::Option::is_none")]
            kind: ::std::option::Option<::std::string::String>,
            #(#wire_fields)*
            #(#payload_fields)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut wire = #wire {
                    kind: self.write_discriminator.then(|| self.kind.as_str().to_owned()),
                    #(#field_copies)*
                    #(#payload_nones)*
                };
                match &self.kind {
                    #(#to_wire)*
                    #kind::Unknown(_) => {}
                }
                wire.serialize(serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let mut wire = #wire::deserialize(deserializer)?;
                let write_discriminator = wire.kind.is_some();
                let kind = match wire.kind.take() {
                    ::std::option::Option::Some(kind) => match kind.as_str() {
                        #(#from_known)*
                        _ => #kind::Unknown(kind),
                    },
                    ::std::option::Option::None => {
                        let mut found = ::std::vec::Vec::new();
                        #(#infer)*
                        match found.len() {
                            // Nothing says which kind this is: kept as an unknown kind.
                            0 => #kind::Unknown(::std::string::String::new()),
                            1 => found.remove(0),
                            _ => return ::std::result::Result::Err(::serde::de::Error::custom(#two_kinds)),
                        }
                    }
                };
                ::std::result::Result::Ok(Self { #(#field_moves)* kind, write_discriminator })
            }
        }
    }
}

/// The Rust type of a field as declared in a struct.
fn plain_field_type(f: &Field) -> TokenStream {
    if let Type::Nullable(inner) = &f.ty {
        let inner = type_tokens(inner);
        return quote! { crate::runtime::nullable::Nullable<#inner> };
    }
    let inner = type_tokens(&f.ty);
    let inner = if f.boxed {
        quote! { ::std::boxed::Box<#inner> }
    } else {
        inner
    };
    if f.required {
        inner
    } else {
        quote! { ::std::option::Option<#inner> }
    }
}
