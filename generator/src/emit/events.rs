//! Event sets: an enum with one variant per event type and a fallback that keeps anything else.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, type_tokens};
use crate::ir::{EventSet, Type};

/// The enum of an event set and its `runtime::events::EventData` implementation.
pub fn event_set_tokens(set: &EventSet) -> TokenStream {
    let name = format_ident!("{}", set.name);
    let doc = doc(&set.description);
    let variants = set.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let data = type_tokens(&Type::Named(v.data.clone()));
        let doc = format!(" `{}`.", v.event_type);
        quote! {
            #[doc = #doc]
            #n(::std::boxed::Box<#data>),
        }
    });
    let decode_arms = set.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let event_type = &v.event_type;
        quote! {
            #event_type => Self::#n(::std::boxed::Box::new(::serde_json::from_str(data.get())?)),
        }
    });
    let decode_from_arms = set.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let event_type = &v.event_type;
        quote! {
            #event_type => Self::#n(::serde::Deserialize::deserialize(data)?),
        }
    });
    let type_arms = set.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let event_type = &v.event_type;
        quote! { Self::#n(_) => #event_type, }
    });
    let serialize_arms = set.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        quote! { Self::#n(data) => ::serde::Serialize::serialize(data, serializer), }
    });
    let debug_arms = set.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let label = &v.name;
        quote! { Self::#n(data) => f.debug_tuple(#label).field(data).finish(), }
    });
    // The sets this one covers: a variant each, chosen by the types the member knows.
    let members: Vec<(proc_macro2::Ident, proc_macro2::Ident, String)> = set
        .includes
        .iter()
        .map(|m| (format_ident!("{}", m.name), format_ident!("{}", m.set), m.name.clone()))
        .collect();
    let member_variants = members.iter().map(|(n, member, _)| {
        let doc = format!(" An event of [`{member}`].");
        quote! { #[doc = #doc] #n(#member), }
    });
    let member_decode = members.iter().map(|(n, member, _)| {
        quote! {
            if #member::knows(event_type) {
                return ::std::result::Result::Ok(Self::#n(
                    <#member as crate::runtime::events::EventData>::decode(event_type, data)?,
                ));
            }
        }
    });
    let member_decode_from = members.iter().map(|(n, member, _)| {
        quote! {
            if #member::knows(event_type) {
                return ::std::result::Result::Ok(Self::#n(
                    <#member as crate::runtime::events::EventData>::decode_from(event_type, data)?,
                ));
            }
        }
    });
    let member_type_arms = members.iter().map(|(n, _, _)| {
        quote! { Self::#n(event) => crate::runtime::events::EventData::event_type(event), }
    });
    let member_debug_arms = members.iter().map(|(n, _, label)| {
        quote! { Self::#n(event) => f.debug_tuple(#label).field(event).finish(), }
    });
    let member_eq_arms = members.iter().map(|(n, _, _)| {
        quote! { (Self::#n(a), Self::#n(b)) => a == b, }
    });
    let member_serialize_arms = members.iter().map(|(n, _, _)| {
        quote! { Self::#n(event) => ::serde::Serialize::serialize(event, serializer), }
    });
    let known: Vec<&str> = set
        .variants
        .iter()
        .map(|v| v.event_type.as_str())
        .chain(set.includes.iter().flat_map(|m| m.event_types.iter().map(String::as_str)))
        .collect();
    let knows_doc = format!(
        " Whether `{}` decodes `event_type` into a typed variant rather than `Other`.",
        set.name
    );
    // A set of included sets only has no types of its own to match.
    let (decode_own, decode_from_own) = if set.variants.is_empty() {
        (
            quote! {
                ::std::result::Result::Ok(Self::Other { event_type: event_type.to_owned(), data: data.to_owned() })
            },
            quote! {
                ::std::result::Result::Ok(Self::Other {
                    event_type: event_type.to_owned(),
                    data: ::serde::Deserialize::deserialize(data)?,
                })
            },
        )
    } else {
        (
            quote! {
                ::std::result::Result::Ok(match event_type {
                    #(#decode_arms)*
                    other => Self::Other { event_type: other.to_owned(), data: data.to_owned() },
                })
            },
            quote! {
                ::std::result::Result::Ok(match event_type {
                    #(#decode_from_arms)*
                    other => Self::Other {
                        event_type: other.to_owned(),
                        data: ::serde::Deserialize::deserialize(data)?,
                    },
                })
            },
        )
    };
    let eq_arms = set.variants.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        quote! { (Self::#n(a), Self::#n(b)) => a == b, }
    });
    quote! {
        #doc
        #[derive(Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #(#member_variants)*
            /// An event type this set does not list, kept with its raw `data` JSON.
            Other {
                /// The event type string.
                event_type: ::std::string::String,
                /// The `data` payload exactly as received.
                data: ::std::boxed::Box<::serde_json::value::RawValue>,
            },
        }

        // The data of a known type redacts itself; unknown data is not shown at all.
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #(#member_debug_arms)*
                    Self::Other { event_type, .. } => f
                        .debug_struct("Other")
                        .field("event_type", event_type)
                        .finish_non_exhaustive(),
                }
            }
        }

        impl #name {
            #[doc = #knows_doc]
            pub fn knows(event_type: &str) -> bool {
                matches!(event_type, #(#known)|*)
            }
        }

        impl crate::runtime::events::EventData for #name {
            fn decode(event_type: &str, data: &::serde_json::value::RawValue) -> ::std::result::Result<Self, ::serde_json::Error> {
                #(#member_decode)*
                #decode_own
            }

            fn decode_from<'de, D: ::serde::Deserializer<'de>>(event_type: &str, data: D) -> ::std::result::Result<Self, D::Error> {
                #(#member_decode_from)*
                #decode_from_own
            }

            fn event_type(&self) -> &str {
                match self {
                    #(#type_arms)*
                    #(#member_type_arms)*
                    Self::Other { event_type, .. } => event_type,
                }
            }
        }

        // Raw JSON has no equality of its own; two unknown events are equal when their type and
        // their data text are.
        impl ::std::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                match (self, other) {
                    #(#eq_arms)*
                    #(#member_eq_arms)*
                    (
                        Self::Other { event_type: a, data: x },
                        Self::Other { event_type: b, data: y },
                    ) => a == b && x.get() == y.get(),
                    _ => false,
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    #(#member_serialize_arms)*
                    Self::Other { data, .. } => ::serde::Serialize::serialize(data, serializer),
                }
            }
        }
    }
}
