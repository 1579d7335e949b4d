//! Structs and enums for definitions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, ident, serde_with, type_tokens};
use crate::ir::{Enum, Field, Struct, Type};
use crate::names;

/// A struct with serde derives, a constructor taking the required fields and a `with_` method
/// per optional field.
pub fn struct_tokens(s: &Struct) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = doc(&s.description);
    let fields = s.fields.iter().map(field_tokens);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let n = ident(&f.name);
        let ty = constructor_param_type(&f.ty);
        quote! { #n: #ty }
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        if !f.required {
            quote! { #n: ::std::option::Option::None }
        } else if f.ty == Type::String || f.boxed {
            let value = constructor_value(f, quote! { #n });
            quote! { #n: #value }
        } else {
            quote! { #n }
        }
    });
    let new_doc = if required.is_empty() {
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
    let withs = s.fields.iter().filter(|f| !f.required).map(|f| {
        let n = ident(&f.name);
        let method = format_ident!("with_{}", names::unraw(&f.name));
        let ty = constructor_param_type(&f.ty);
        let value = constructor_value(f, quote! { value });
        let doc = format!(" Sets `{}`.", names::unraw(&f.name));
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #method(mut self, value: #ty) -> Self {
                self.#n = ::std::option::Option::Some(#value);
                self
            }
        }
    });
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
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default, clippy::too_many_arguments)]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#withs)*
        }

        #default_impl
    }
}

fn field_tokens(f: &Field) -> TokenStream {
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
    let (ty, attrs) = if f.required {
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
