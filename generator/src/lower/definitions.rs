//! Every definition of every module in the form that building a value from an example needs:
//! the fields, constructor arguments and setters of objects, the variants of kind-tagged
//! objects and the values of enums. Modules are emitted one at a time, but an example of one
//! module builds values of another's types (`common`'s identifiers in a chat request), so these
//! are collected once, when every module is lowered for the plan.

use std::collections::BTreeMap;

use crate::ir::{Module, Named, Type};

/// The definitions of every module, by module and Rust type name.
#[derive(Debug, Default)]
pub struct Definitions {
    by_name: BTreeMap<(String, String), Definition>,
}

/// One definition.
#[derive(Debug)]
pub enum Definition {
    /// An object, possibly kind-tagged.
    Object(ObjectShape),
    /// An enum.
    Enum(EnumShape),
}

/// What building an object needs.
#[derive(Debug)]
pub struct ObjectShape {
    /// Fields in declaration order (the order of `new`'s arguments).
    pub fields: Vec<FieldShape>,
    /// The variants, when the object is kind-tagged.
    pub union: Option<UnionShape>,
}

/// A field of an object.
#[derive(Debug)]
pub struct FieldShape {
    /// Rust field name (may be a raw identifier).
    pub name: String,
    /// JSON name.
    pub json_name: String,
    /// Other JSON names accepted on input.
    pub aliases: Vec<String>,
    /// Type; `Nullable(T)` for a field that may be absent, null or a value.
    pub ty: Type,
    /// How the field is given a value.
    pub set_by: SetBy,
}

/// How a field of a generated struct is given a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetBy {
    /// An argument of `new`.
    Constructor,
    /// Its `with_<field>` setter.
    Setter,
}

/// The kind-tagged part of an object.
#[derive(Debug)]
pub struct UnionShape {
    /// The JSON property naming the variant.
    pub discriminator: String,
    /// Rust name of the enum of kinds.
    pub kind_enum: String,
    /// Variants in discriminator order.
    pub variants: Vec<UnionVariantShape>,
}

/// One variant of a kind-tagged object.
#[derive(Debug)]
pub struct UnionVariantShape {
    /// Discriminator value.
    pub value: String,
    /// Rust variant name.
    pub name: String,
    /// JSON property holding the payload.
    pub property: String,
    /// Payload type.
    pub ty: Type,
}

/// What building an enum value needs.
#[derive(Debug)]
pub struct EnumShape {
    /// Whether unknown values are rejected (no `UnknownValue` variant).
    pub closed: bool,
    /// (Rust variant name, wire value), in wire-value order.
    pub variants: Vec<(String, String)>,
}

impl Definitions {
    /// Adds the definitions of `module`.
    pub fn add_module(&mut self, module: &Module) {
        for s in &module.structs {
            let fields = s
                .fields
                .iter()
                .map(|f| FieldShape {
                    name: f.name.clone(),
                    json_name: f.json_name.clone(),
                    aliases: f.aliases.clone(),
                    ty: f.ty.clone(),
                    // The rule of the emitted `new`: required, without a default, not nullable.
                    set_by: if f.required
                        && f.default.is_none()
                        && !matches!(f.ty, Type::Nullable(_))
                    {
                        SetBy::Constructor
                    } else {
                        SetBy::Setter
                    },
                })
                .collect();
            let union = s.union.as_ref().map(|u| UnionShape {
                discriminator: u.discriminator.clone(),
                kind_enum: u.kind_enum.clone(),
                variants: u
                    .variants
                    .iter()
                    .map(|v| UnionVariantShape {
                        value: v.value.clone(),
                        name: v.name.clone(),
                        property: v.property.clone(),
                        ty: v.ty.clone(),
                    })
                    .collect(),
            });
            self.by_name.insert(
                (module.name.clone(), s.name.clone()),
                Definition::Object(ObjectShape { fields, union }),
            );
        }
        for e in &module.enums {
            let variants = e.variants.iter().map(|v| (v.name.clone(), v.wire.clone())).collect();
            self.by_name.insert(
                (module.name.clone(), e.name.clone()),
                Definition::Enum(EnumShape { closed: e.closed, variants }),
            );
        }
    }

    /// Adds one definition (for definitions made outside lowering, as in tests).
    pub fn insert(&mut self, module: &str, name: &str, definition: Definition) {
        self.by_name.insert((module.to_owned(), name.to_owned()), definition);
    }

    /// The definition a reference names, if it is known.
    pub fn get(&self, named: &Named) -> Option<&Definition> {
        self.by_name.get(&(named.module.clone(), named.name.clone()))
    }

    /// Every definition a value of one of `roots` may be built from: those the types name,
    /// those their fields and variants name, and so on, by (module, name).
    pub fn reachable<'a>(
        &'a self,
        roots: impl IntoIterator<Item = &'a Type>,
    ) -> BTreeMap<&'a (String, String), &'a Definition> {
        let mut found = BTreeMap::new();
        let mut pending: Vec<&Type> = roots.into_iter().collect();
        while let Some(ty) = pending.pop() {
            match ty {
                Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) => pending.push(inner),
                Type::Named(named) => {
                    let key = (named.module.clone(), named.name.clone());
                    let Some((key, definition)) = self.by_name.get_key_value(&key) else {
                        continue;
                    };
                    if found.insert(key, definition).is_some() {
                        continue;
                    }
                    if let Definition::Object(object) = definition {
                        pending.extend(object.fields.iter().map(|f| &f.ty));
                        let variants = object.union.iter().flat_map(|u| &u.variants);
                        pending.extend(variants.map(|v| &v.ty));
                    }
                }
                _ => {}
            }
        }
        found
    }
}
