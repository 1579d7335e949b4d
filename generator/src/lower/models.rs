//! Lowering of definitions: objects with their inherited fields, kind-tagged objects, enums, the
//! runtime traits they implement and the defaults of their properties.

use std::collections::HashMap;

use super::*;

impl<'a> Lowering<'a> {
    /// The module of `spec`; `pages` are its structs that paging operations return, `monitors`
    /// those that long-running operations poll.
    pub(super) fn module(
        &mut self,
        spec: &'a LoadedSpec,
        pages: Vec<Page>,
        monitors: Vec<Monitor>,
    ) -> Option<Module> {
        let name = names::module_name(&spec.spec.module).ok()?;
        let mut structs = Vec::new();
        let mut enums = Vec::new();
        for (def_name, def) in &spec.spec.definitions {
            let path = format!("definitions.{def_name}");
            let Some(symbol) = self.symbols.get(def_name) else { continue };
            if symbol.file != spec.file {
                continue;
            }
            let rust_name = symbol.rust_name.clone();
            let origin = Origin { file: spec.file.clone(), path: path.clone() };
            if let Some(values) = &def.values {
                if def.extends.is_some() {
                    self.error(
                        spec,
                        &format!("{path}.extends"),
                        "an enum cannot extend a definition",
                    );
                }
                if !def.examples.is_empty() {
                    self.error(
                        spec,
                        &format!("{path}.examples"),
                        "examples go on objects, not enums",
                    );
                }
                enums.push(self.enumeration(spec, &path, rust_name, def, values));
            } else {
                if def.closed {
                    self.error(spec, &format!("{path}.closed"), "'closed' applies to enums only");
                }
                let fields = self.fields(spec, def_name, true);
                let union =
                    def.union.as_ref().and_then(|u| self.union(spec, &path, def_name, u, &fields));
                let implements = self.implements(spec, &path, def, union.is_some(), &fields);
                structs.push(Struct {
                    name: rust_name,
                    description: def.description.clone(),
                    fields,
                    examples: def.examples.clone(),
                    union,
                    implements,
                    origin,
                });
            }
        }
        let clients = self.clients(spec);
        let event_sets = self.event_sets(spec);
        Some(Module {
            name,
            spec_file: spec.file.clone(),
            description: spec.spec.description.clone(),
            feature_gated: !clients.is_empty() || !event_sets.is_empty(),
            structs,
            enums,
            clients,
            event_sets,
            pages,
            monitors,
        })
    }

    /// The runtime traits of `implements`, each known and satisfiable by the definition.
    pub(super) fn implements(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        def: &spec::Definition,
        is_union: bool,
        fields: &[Field],
    ) -> Vec<RuntimeTrait> {
        let mut traits = Vec::new();
        for (i, name) in def.implements.iter().enumerate() {
            let ipath = format!("{path}.implements.{i}");
            let Some(known) = RUNTIME_TRAITS.iter().find(|t| t.name == name) else {
                let all = RUNTIME_TRAITS.iter().map(|t| t.name).collect::<Vec<_>>();
                let message = format!("unknown runtime trait '{name}' (known: {})", all.join(", "));
                self.error(spec, &ipath, message);
                continue;
            };
            if known.needs_default && !(is_union && fields.iter().all(|f| !f.required)) {
                let message = format!(
                    "'{name}' needs a kind-tagged object ('union') without required properties"
                );
                self.error(spec, &ipath, message);
                continue;
            }
            traits.push(*known);
        }
        traits
    }

    pub(super) fn union(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        def_name: &str,
        union: &spec::Union,
        fields: &[Field],
    ) -> Option<Union> {
        let upath = format!("{path}.union");
        let kind_enum = names::derived_type_name(def_name, "Kind").ok()?;
        if fields.iter().any(|f| f.json_name == union.discriminator) {
            let message = format!("the discriminator '{}' is also a property", union.discriminator);
            self.error(spec, &format!("{upath}.discriminator"), message);
        }
        if union.variants.is_empty() {
            self.error(spec, &format!("{upath}.variants"), "a union needs at least one variant");
        }
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (value, v) in &union.variants {
            let vpath = format!("{upath}.variants.{value}");
            let Ok(name) = names::variant_name(value)
                .map_err(|e| self.error_at_key(spec, &vpath, e.to_string()))
            else {
                continue;
            };
            if name == "Unknown" {
                self.error_at_key(
                    spec,
                    &vpath,
                    "'Unknown' is the variant that keeps discriminators the crate does not know",
                );
                continue;
            }
            if let Some(other) = variants.iter().find(|o| o.name == name) {
                let message = format!(
                    "discriminators '{}' and '{value}' both become variant '{name}'",
                    other.value
                );
                self.error_at_key(spec, &vpath, message);
                continue;
            }
            if fields.iter().any(|f| f.json_name == v.property)
                || variants.iter().any(|o| o.property == v.property)
            {
                let message = format!("the payload property '{}' is already used", v.property);
                self.error(spec, &format!("{vpath}.property"), message);
                continue;
            }
            let Some(ty) = self.resolve(spec, &format!("{vpath}.type"), &v.ty) else { continue };
            let Ok(field) = names::value_name(&v.property)
                .map_err(|e| self.error(spec, &format!("{vpath}.property"), e.to_string()))
            else {
                continue;
            };
            variants.push(UnionVariant {
                value: value.clone(),
                name,
                wire_field: format!("payload_{}", names::unraw(&field)),
                property: v.property.clone(),
                ty,
                description: v.description.clone(),
            });
        }
        Some(Union { discriminator: union.discriminator.clone(), kind_enum, variants })
    }

    pub(super) fn enumeration(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        name: String,
        def: &spec::Definition,
        values: &spec::Map<String, String>,
    ) -> Enum {
        let mut variants: Vec<Variant> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        if values.is_empty() {
            self.error(spec, &format!("{path}.enum"), "an enum needs at least one value");
        }
        for (wire, description) in values {
            let vpath = format!("{path}.enum.{wire}");
            match names::variant_name(wire) {
                Ok(v) if !def.closed && v == "UnknownValue" => self.error_at_key(
                    spec,
                    &vpath,
                    "'UnknownValue' is the variant that keeps unknown values of an extensible enum",
                ),
                Ok(v) => {
                    if let Some(other) = seen.get(&v) {
                        let message =
                            format!("enum values '{other}' and '{wire}' both become variant '{v}'");
                        self.error_at_key(spec, &vpath, message);
                        continue;
                    }
                    seen.insert(v.clone(), wire.clone());
                    variants.push(Variant {
                        name: v,
                        wire: wire.clone(),
                        description: description.clone(),
                    });
                }
                Err(e) => self.error_at_key(spec, &vpath, e.to_string()),
            }
        }
        let origin = Origin { file: spec.file.clone(), path: path.to_owned() };
        Enum { name, description: def.description.clone(), closed: def.closed, variants, origin }
    }

    /// The fields of an object: inherited ones first, then its own. With `report`, the errors
    /// of the definition itself are reported (those of the definitions it extends are reported
    /// where those are lowered); without, nothing is, for reading a definition that another
    /// place owns.
    pub(super) fn fields(&mut self, spec: &LoadedSpec, def_name: &str, report: bool) -> Vec<Field> {
        // The chain of extended definitions, nearest last; stops at cycles and unknown names.
        let mut chain: Vec<(&LoadedSpec, &str)> = vec![(spec, def_name)];
        let mut current = (spec, def_name);
        loop {
            let def = &current.0.spec.definitions[current.1];
            let Some(base) = def.extends.as_deref() else { break };
            let path = format!("definitions.{}.extends", current.1);
            if !self.visible(current.0, base) {
                // Reported once, from the spec that declares the extends.
                if report && current.0.file == spec.file && current.1 == def_name {
                    self.resolve(current.0, &path, base);
                }
                break;
            }
            let symbol = &self.symbols[base];
            if symbol.kind != SymbolKind::Object {
                if report && current.1 == def_name {
                    self.error(
                        current.0,
                        &path,
                        format!("'{base}' is an enum; only objects can be extended"),
                    );
                }
                break;
            }
            let Some(base_spec) = self.specs.iter().find(|s| s.file == symbol.file) else { break };
            if let Some(start) =
                chain.iter().position(|(s, n)| s.file == base_spec.file && *n == base)
            {
                // Reported by every definition on the cycle, each naming the whole cycle.
                if report && start == 0 {
                    let cycle: Vec<&str> =
                        chain.iter().map(|(_, n)| *n).chain([def_name]).collect();
                    self.error(
                        spec,
                        &format!("definitions.{def_name}.extends"),
                        format!("'{def_name}' extends itself: {}", cycle.join(" → ")),
                    );
                }
                break;
            }
            // The chain holds the definition itself and its bases.
            if chain.len() > MAX_EXTENDS_DEPTH {
                if !report {
                    break;
                }
                self.error(
                    spec,
                    &format!("definitions.{def_name}.extends"),
                    format!(
                        "'{def_name}' inherits through more than {MAX_EXTENDS_DEPTH} levels of extends"
                    ),
                );
                break;
            }
            let Some((base_name, _)) = base_spec.spec.definitions.get_key_value(base) else {
                break;
            };
            chain.push((base_spec, base_name.as_str()));
            current = (base_spec, base_name.as_str());
        }
        let module = names::module_name(&spec.spec.module).unwrap_or_default();
        let rust_struct = names::type_name(def_name).unwrap_or_default();
        let mut fields: Vec<Field> = Vec::new();
        let mut json_names: HashMap<String, String> = HashMap::new();
        let mut rust_names: HashMap<String, String> = HashMap::new();
        for (owner_spec, owner) in chain.iter().rev() {
            let Some(properties) = &owner_spec.spec.definitions[*owner].properties else {
                continue;
            };
            let own = report && owner_spec.file == spec.file && *owner == def_name;
            for (json_name, property) in properties.iter_in_written_order() {
                let path = format!("definitions.{owner}.properties.{json_name}");
                // Errors inside an inherited definition are reported when that one is lowered.
                let report = |cx: &mut Self, p: &str, key: bool, m: String| {
                    if own {
                        cx.error_at(owner_spec, p, key, m);
                    }
                };
                if let Some(first) = json_names.get(json_name) {
                    let message = format!("property '{json_name}' is already defined by '{first}'");
                    report(self, &path, true, message);
                    continue;
                }
                let ty = if own {
                    self.resolve(owner_spec, &format!("{path}.type"), &property.ty)
                } else {
                    self.type_of(owner_spec, &property.ty, 0).ok()
                };
                let name = match names::value_name(json_name) {
                    Ok(n) => n,
                    Err(e) => {
                        report(self, &path, true, e.to_string());
                        continue;
                    }
                };
                if let Some(other) = rust_names.get(&name) {
                    let message = format!(
                        "properties '{other}' and '{json_name}' both become field '{name}'"
                    );
                    report(self, &path, true, message);
                    continue;
                }
                for (i, alias) in property.aliases.iter().enumerate() {
                    if properties.contains_key(alias) || json_names.contains_key(alias) {
                        let message = format!("alias '{alias}' is the name of another property");
                        report(self, &format!("{path}.aliases.{i}"), false, message);
                    }
                }
                json_names.insert(json_name.clone(), owner.to_string());
                rust_names.insert(name.clone(), json_name.clone());
                if ty.as_ref().is_some_and(nested_date) {
                    let message =
                        "dates inside lists or maps are not supported; wrap the date in an object"
                            .to_owned();
                    report(self, &format!("{path}.type"), false, message);
                    continue;
                }
                if let Some(ty) = ty {
                    let safe = property.safe || ty.safe_to_log();
                    let default = match &property.default {
                        Some(value) => {
                            let dpath = format!("{path}.default");
                            match self.default_literal(property, &ty, value) {
                                Ok(literal) => Some(literal),
                                Err(message) => {
                                    report(self, &dpath, false, message);
                                    continue;
                                }
                            }
                        }
                        None => None,
                    };
                    fields.push(Field {
                        name,
                        json_name: json_name.clone(),
                        aliases: property.aliases.clone(),
                        description: property.description.clone(),
                        ty,
                        required: property.required || default.is_some(),
                        boxed: self.recursive.contains(&(
                            module.clone(),
                            rust_struct.clone(),
                            fields.len(),
                        )),
                        safe,
                        default,
                    });
                }
            }
        }
        fields
    }

    /// The literal of a property's `default`, checked against its type.
    pub(super) fn default_literal(
        &self,
        property: &spec::Property,
        ty: &Type,
        value: &serde_json::Value,
    ) -> Result<Literal, String> {
        use serde_json::Value;
        if property.required {
            return Err("a property with a default may be absent, so it is not 'required'".into());
        }
        let wrong = || format!("the default {value} is not a value of type '{}'", property.ty);
        match (ty, value) {
            (Type::String, Value::String(s)) => Ok(Literal::String(s.clone())),
            (Type::Bool, Value::Bool(b)) => Ok(Literal::Bool(*b)),
            (Type::Int32, Value::Number(n)) => {
                n.as_i64().filter(|i| i32::try_from(*i).is_ok()).map(Literal::Int).ok_or_else(wrong)
            }
            (Type::Int64, Value::Number(n)) => n.as_i64().map(Literal::Int).ok_or_else(wrong),
            (Type::Float64, Value::Number(n)) => n.as_f64().map(Literal::Float).ok_or_else(wrong),
            (Type::Named(named), Value::String(s)) if named.is_enum => {
                let values = self
                    .symbols
                    .get(property.ty.trim())
                    .and_then(|symbol| self.specs.iter().find(|sp| sp.file == symbol.file))
                    .and_then(|sp| sp.spec.definitions.get(property.ty.trim()))
                    .and_then(|def| def.values.as_ref());
                match values {
                    Some(values) if values.contains_key(s) => {
                        names::variant_name(s).map(Literal::Variant).map_err(|e| e.to_string())
                    }
                    Some(values) => {
                        let known: Vec<&str> = values.keys().map(String::as_str).collect();
                        Err(format!(
                            "the default '{s}' is not a value of '{}' ({})",
                            property.ty,
                            known.join(", ")
                        ))
                    }
                    None => Err(wrong()),
                }
            }
            (Type::String | Type::Bool | Type::Int32 | Type::Int64 | Type::Float64, _) => {
                Err(wrong())
            }
            (Type::Named(n), _) if n.is_enum => Err(wrong()),
            _ => Err(format!(
                "a default is supported for strings, numbers, booleans and enums, not '{}'",
                property.ty
            )),
        }
    }
}

pub(super) fn nested_date(ty: &Type) -> bool {
    match ty {
        Type::List(inner) | Type::Map(inner) => {
            matches!(**inner, Type::DateTime | Type::DateTimeRfc1123) || nested_date(inner)
        }
        _ => false,
    }
}
