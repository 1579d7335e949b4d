//! Rust expressions that build a value of a generated type from an example JSON value, the way
//! a user writes it: `new` with the required fields, a `with_*` setter per optional field, enum
//! variants by name, `vec![…]` and `BTreeMap::from([…])` for collections, and dates parsed from
//! their RFC 3339 text (checked here, so the parse cannot fail). A value the types cannot say (a property the model does
//! not have, a string where a number belongs, an unknown value of a closed enum) is
//! [`Unsupported`], so the caller can leave the example out instead of emitting code that does
//! not compile; nothing here panics on any input.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::ident;
use crate::ir::{Named, Type};
use crate::lower::{Definition, Definitions, EnumShape, ObjectShape, SetBy};
use crate::names;

/// How deep an example may nest before it is refused, so that a hostile spec cannot exhaust
/// the stack.
const MAX_DEPTH: usize = 48;

/// Names an example program uses unqualified; a generated type of one of these names is written
/// by its full path instead of imported.
const SHADOWING: &[&str] = &[
    "Box",
    "Err",
    "Error",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "ToOwned",
    "TryStreamExt",
    "Vec",
];

/// Why an example value cannot be built with the generated types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// Where an expression goes: a parameter taking `impl Into<String>` (or `&str`) accepts a string
/// literal as is; anywhere else a `String` needs `.to_owned()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// A string literal is accepted as is.
    Into,
    /// The exact type is needed.
    Exact,
}

/// Builds expressions, remembering the generated types they name (to import them). An
/// expression may end in `?` (a URL or date parsed at run time), so it belongs in a function
/// returning a `Result` whose error takes any `std::error::Error`.
pub struct Builder<'d> {
    definitions: &'d Definitions,
    types: BTreeSet<(String, String)>,
}

impl<'d> Builder<'d> {
    /// A builder resolving references against `definitions`.
    pub fn new(definitions: &'d Definitions) -> Self {
        Builder { definitions, types: BTreeSet::new() }
    }

    /// Imports a generated item that is not built from JSON, such as a client.
    pub fn import(&mut self, module: &str, name: &str) {
        if !SHADOWING.contains(&name) {
            self.types.insert((module.to_owned(), name.to_owned()));
        }
    }

    /// `use azure_communication::<module>::{…};` for every type named so far.
    pub fn imports(&self) -> TokenStream {
        let mut out = TokenStream::new();
        let mut modules: Vec<&str> = self.types.iter().map(|(m, _)| m.as_str()).collect();
        modules.dedup();
        for module in modules {
            let m = ident(module);
            let names = self
                .types
                .iter()
                .filter(|(tm, _)| tm == module)
                .map(|(_, n)| format_ident!("{}", n));
            out.extend(quote! { use azure_communication::#m::{#(#names),*}; });
        }
        out
    }

    /// An expression of type `ty` (or, in [`Position::Into`], convertible into it) equal to
    /// `json` once serialized.
    pub fn expr(
        &mut self,
        ty: &Type,
        json: &Value,
        position: Position,
    ) -> Result<TokenStream, Unsupported> {
        self.value(ty, json, position, 0)
    }

    fn value(
        &mut self,
        ty: &Type,
        json: &Value,
        position: Position,
        depth: usize,
    ) -> Result<TokenStream, Unsupported> {
        if depth > MAX_DEPTH {
            return Err(unsupported("the example nests too deeply"));
        }
        match (ty, json) {
            (Type::String, Value::String(s)) => Ok(string(s, position)),
            (Type::Bool, Value::Bool(b)) => Ok(quote! { #b }),
            (Type::Int32, Value::Number(n)) => {
                let i = n.as_i64().filter(|i| i32::try_from(*i).is_ok());
                i.map(int).ok_or_else(|| unsupported(format!("{n} is not an i32")))
            }
            (Type::Int64, Value::Number(n)) => {
                n.as_i64().map(int).ok_or_else(|| unsupported(format!("{n} is not an i64")))
            }
            (Type::Float64, Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(float)
                .ok_or_else(|| unsupported(format!("{n} is not an f64"))),
            // Checked here, so the `?` of the parse never fails.
            (Type::DateTime, Value::String(s)) => datetime_rfc3339(s),
            (Type::DateTimeRfc1123, Value::String(s)) => datetime_rfc1123(s),
            (Type::Uuid, Value::String(s)) if is_uuid(s) => Ok(quote! { uuid::uuid!(#s) }),
            (Type::Url, Value::String(s))
                if s.contains("://") && !s.contains(char::is_whitespace) =>
            {
                Ok(quote! { url::Url::parse(#s)? })
            }
            // `NumberOrString` is not re-exported by the generated crate; it converts from the
            // plain values, whose type the parameter gives.
            (Type::NumberOrString, Value::String(s)) => Ok(quote! { #s.into() }),
            (Type::NumberOrString, Value::Number(n)) => match n.as_i64() {
                Some(i) => {
                    let lit = Literal::i64_suffixed(i);
                    Ok(quote! { #lit.into() })
                }
                None => Err(unsupported(format!("{n} is not an integer"))),
            },
            (Type::Json, json) => Ok(json_macro(json, depth)?),
            (Type::List(inner), Value::Array(items)) => {
                let items = items
                    .iter()
                    .map(|item| self.value(inner, item, Position::Exact, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(quote! { vec![#(#items),*] })
            }
            (Type::Map(inner), Value::Object(entries)) => {
                if entries.is_empty() {
                    return Ok(quote! { std::collections::BTreeMap::new() });
                }
                let entries = entries
                    .iter()
                    .map(|(k, v)| {
                        let v = self.value(inner, v, Position::Exact, depth + 1)?;
                        Ok(quote! { (#k.to_owned(), #v) })
                    })
                    .collect::<Result<Vec<_>, Unsupported>>()?;
                Ok(quote! { std::collections::BTreeMap::from([#(#entries),*]) })
            }
            // Inside a list or map a nullable value is an `Option`; as a field the object
            // builder handles it, with `Nullable`.
            (Type::Nullable(_), Value::Null) => Ok(quote! { None }),
            (Type::Nullable(inner), json) => {
                let inner = self.value(inner, json, Position::Exact, depth + 1)?;
                Ok(quote! { Some(#inner) })
            }
            (Type::Named(named), json) => match self.definitions.get(named) {
                Some(Definition::Enum(shape)) => self.enum_value(named, shape, json),
                Some(Definition::Object(shape)) => self.object(named, shape, json, depth),
                None => Err(unsupported(format!("unknown type {}", named.name))),
            },
            (ty, json) => {
                Err(unsupported(format!("{} is not a {}", kind_of(json), type_label(ty))))
            }
        }
    }

    fn enum_value(
        &mut self,
        named: &Named,
        shape: &EnumShape,
        json: &Value,
    ) -> Result<TokenStream, Unsupported> {
        let Value::String(wire) = json else {
            return Err(unsupported(format!("{} is not a {}", kind_of(json), named.name)));
        };
        let name = self.named(named);
        match shape.variants.iter().find(|(_, w)| w == wire) {
            Some((variant, _)) => {
                let variant = format_ident!("{}", variant);
                Ok(quote! { #name::#variant })
            }
            None if !shape.closed => Ok(quote! { #name::UnknownValue(#wire.to_owned()) }),
            None => Err(unsupported(format!("'{wire}' is not a value of {}", named.name))),
        }
    }

    fn object(
        &mut self,
        named: &Named,
        shape: &ObjectShape,
        json: &Value,
        depth: usize,
    ) -> Result<TokenStream, Unsupported> {
        let Value::Object(map) = json else {
            return Err(unsupported(format!("{} is not a {}", kind_of(json), named.name)));
        };
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let kind = match &shape.union {
            Some(union) => Some(self.union_kind(named, union, map, &mut used, depth)?),
            None => None,
        };
        let mut args = Vec::new();
        let mut setters = Vec::new();
        for field in &shape.fields {
            let mut present = std::iter::once(&field.json_name)
                .chain(&field.aliases)
                .filter_map(|k| map.get_key_value(k.as_str()));
            let found = present.next();
            if present.next().is_some() {
                return Err(unsupported(format!("'{}' is given twice", field.json_name)));
            }
            let position = match &field.ty {
                Type::String => Position::Into,
                Type::Nullable(inner) if **inner == Type::String => Position::Into,
                _ => Position::Exact,
            };
            match (field.set_by, found) {
                (SetBy::Constructor, Some((key, value))) if !value.is_null() => {
                    used.insert(key);
                    args.push(self.value(&field.ty, value, position, depth + 1)?);
                }
                (SetBy::Constructor, _) => {
                    return Err(unsupported(format!(
                        "the required property '{}' is missing",
                        field.json_name
                    )));
                }
                (SetBy::Setter, None) => {}
                (SetBy::Setter, Some((key, value))) => {
                    used.insert(key);
                    let setter = format_ident!("with_{}", names::unraw(&field.name));
                    let value = match (&field.ty, value) {
                        (Type::Nullable(_), Value::Null) => {
                            quote! { azure_communication::Nullable::Null }
                        }
                        (Type::Nullable(inner), value) => {
                            self.value(inner, value, position, depth + 1)?
                        }
                        // An optional property sent as null reads as absent.
                        (_, Value::Null) => continue,
                        (ty, value) => self.value(ty, value, position, depth + 1)?,
                    };
                    setters.push(quote! { .#setter(#value) });
                }
            }
        }
        if let Some(unknown) = map.keys().find(|k| !used.contains(k.as_str())) {
            return Err(unsupported(format!("'{unknown}' is not a property of {}", named.name)));
        }
        let name = self.named(named);
        let kind = kind.into_iter();
        Ok(quote! { #name::new(#(#kind,)* #(#args),*) #(#setters)* })
    }

    /// The `…Kind::Variant(payload)` of a kind-tagged object, from its discriminator or, without
    /// one, from the one payload present.
    fn union_kind<'j>(
        &mut self,
        named: &Named,
        union: &crate::lower::UnionShape,
        map: &'j Map<String, Value>,
        used: &mut BTreeSet<&'j str>,
        depth: usize,
    ) -> Result<TokenStream, Unsupported> {
        let variant = match map.get_key_value(union.discriminator.as_str()) {
            Some((key, Value::String(value))) => {
                used.insert(key);
                union.variants.iter().find(|v| &v.value == value).ok_or_else(|| {
                    unsupported(format!("'{value}' is not a kind of {}", named.name))
                })?
            }
            Some(_) => return Err(unsupported("the discriminator is not a string")),
            None => {
                let mut present = union.variants.iter().filter(|v| map.contains_key(&v.property));
                match (present.next(), present.next()) {
                    (Some(v), None) => v,
                    _ => return Err(unsupported("the example does not say its kind")),
                }
            }
        };
        let (key, payload) = map.get_key_value(variant.property.as_str()).ok_or_else(|| {
            unsupported(format!(
                "the payload '{}' of kind '{}' is missing",
                variant.property, variant.value
            ))
        })?;
        used.insert(key);
        let payload = self.value(&variant.ty, payload, Position::Exact, depth + 1)?;
        let kind_enum = self.named(&Named {
            module: named.module.clone(),
            name: union.kind_enum.clone(),
            is_enum: true,
        });
        let variant = format_ident!("{}", variant.name);
        Ok(quote! { #kind_enum::#variant(#payload) })
    }

    /// A generated type by its bare name, imported, unless importing it would shadow a name
    /// of the prelude (or of the example programs) that the example uses: then by full path.
    fn named(&mut self, named: &Named) -> TokenStream {
        let name = format_ident!("{}", named.name);
        if SHADOWING.contains(&named.name.as_str()) {
            let module = ident(&named.module);
            return quote! { azure_communication::#module::#name };
        }
        self.types.insert((named.module.clone(), named.name.clone()));
        quote! { #name }
    }
}

/// A JSON value standing for "fill this in" for a type: the required fields of objects, the
/// first variant of enums and kinds, `"<hint>"` for strings, and plain zeros. It builds the
/// examples of operations the spec documents without one.
pub fn placeholder(ty: &Type, hint: &str, definitions: &Definitions) -> Value {
    placeholder_at(ty, hint, definitions, 0)
}

fn placeholder_at(ty: &Type, hint: &str, definitions: &Definitions, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match ty {
        Type::String | Type::NumberOrString => Value::String(format!("<{hint}>")),
        Type::Bool => Value::Bool(false),
        Type::Int32 | Type::Int64 => Value::from(0),
        Type::Float64 => Value::from(0.0),
        Type::DateTime => Value::from("2024-01-01T00:00:00Z"),
        Type::DateTimeRfc1123 => Value::from("Mon, 01 Jan 2024 00:00:00 GMT"),
        Type::Uuid => Value::from("00000000-0000-0000-0000-000000000000"),
        Type::Url => Value::from("https://contoso.example/"),
        Type::Json => Value::Object(Map::new()),
        Type::List(_) => Value::Array(Vec::new()),
        Type::Map(_) => Value::Object(Map::new()),
        Type::Nullable(_) => Value::Null,
        Type::Named(named) => match definitions.get(named) {
            Some(Definition::Enum(shape)) => shape
                .variants
                .first()
                .map(|(_, wire)| Value::from(wire.as_str()))
                .unwrap_or_default(),
            Some(Definition::Object(shape)) => {
                let mut map = Map::new();
                if let Some(union) = &shape.union {
                    if let Some(v) = union.variants.first() {
                        map.insert(union.discriminator.clone(), Value::from(v.value.as_str()));
                        let payload = placeholder_at(&v.ty, &v.property, definitions, depth + 1);
                        map.insert(v.property.clone(), payload);
                    }
                }
                for f in shape.fields.iter().filter(|f| f.set_by == SetBy::Constructor) {
                    let hint = names::unraw(&f.name);
                    map.insert(
                        f.json_name.clone(),
                        placeholder_at(&f.ty, hint, definitions, depth + 1),
                    );
                }
                Value::Object(map)
            }
            None => Value::Null,
        },
    }
}

fn unsupported(reason: impl Into<String>) -> Unsupported {
    Unsupported(reason.into())
}

fn string(s: &str, position: Position) -> TokenStream {
    match position {
        Position::Into => quote! { #s },
        Position::Exact => quote! { #s.to_owned() },
    }
}

fn int(i: i64) -> TokenStream {
    let lit = Literal::u64_unsuffixed(i.unsigned_abs());
    if i < 0 {
        quote! { -#lit }
    } else {
        quote! { #lit }
    }
}

fn float(f: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(f.abs());
    if f.is_sign_negative() && f != 0.0 {
        quote! { -#lit }
    } else {
        quote! { #lit }
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn datetime_rfc3339(s: &str) -> Result<TokenStream, Unsupported> {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|_| unsupported(format!("'{s}' is not an RFC 3339 date")))?;
    Ok(quote! { time::OffsetDateTime::parse(#s, &time::format_description::well_known::Rfc3339)? })
}

/// RFC 1123 dates are the RFC 2822 form with `GMT`, which `time` reads as RFC 2822.
fn datetime_rfc1123(s: &str) -> Result<TokenStream, Unsupported> {
    use time::format_description::well_known::Rfc2822;
    time::OffsetDateTime::parse(s, &Rfc2822)
        .map_err(|_| unsupported(format!("'{s}' is not an RFC 1123 date")))?;
    Ok(quote! { time::OffsetDateTime::parse(#s, &time::format_description::well_known::Rfc2822)? })
}

/// `serde_json::json!(…)` of a value.
fn json_macro(json: &Value, depth: usize) -> Result<TokenStream, Unsupported> {
    let inner = json_tokens(json, depth)?;
    Ok(quote! { serde_json::json!(#inner) })
}

fn json_tokens(json: &Value, depth: usize) -> Result<TokenStream, Unsupported> {
    if depth > MAX_DEPTH {
        return Err(unsupported("the example nests too deeply"));
    }
    Ok(match json {
        Value::Null => quote! { null },
        Value::Bool(b) => quote! { #b },
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => int(i),
            (None, Some(u), _) => {
                let lit = Literal::u64_unsuffixed(u);
                quote! { #lit }
            }
            (None, None, Some(f)) if f.is_finite() => float(f),
            _ => return Err(unsupported(format!("{n} is not a number Rust can write"))),
        },
        Value::String(s) => quote! { #s },
        Value::Array(items) => {
            let items =
                items.iter().map(|i| json_tokens(i, depth + 1)).collect::<Result<Vec<_>, _>>()?;
            quote! { [#(#items),*] }
        }
        Value::Object(map) => {
            let entries = map
                .iter()
                .map(|(k, v)| {
                    let v = json_tokens(v, depth + 1)?;
                    Ok(quote! { #k: #v })
                })
                .collect::<Result<Vec<_>, Unsupported>>()?;
            quote! { { #(#entries),* } }
        }
    })
}

fn kind_of(json: &Value) -> &'static str {
    match json {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn type_label(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Bool => "bool".into(),
        Type::Int32 => "i32".into(),
        Type::Int64 => "i64".into(),
        Type::Float64 => "f64".into(),
        Type::DateTime | Type::DateTimeRfc1123 => "date".into(),
        Type::Uuid => "UUID".into(),
        Type::Url => "URL".into(),
        Type::NumberOrString => "number or string".into(),
        Type::Json => "JSON value".into(),
        Type::List(_) => "list".into(),
        Type::Map(_) => "map".into(),
        Type::Nullable(inner) => format!("nullable {}", type_label(inner)),
        Type::Named(n) => n.name.clone(),
    }
}

#[cfg(test)]
#[path = "construct_tests.rs"]
mod tests;
