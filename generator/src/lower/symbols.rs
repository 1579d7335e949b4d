//! The symbol table: every definition of every spec by name, the modules and their imports, and
//! the resolution of type expressions (`list<map<string, Role>>`) against it.

use std::collections::HashMap;

use super::*;

impl<'a> Lowering<'a> {
    pub(super) fn collect_symbols(&mut self) {
        let mut modules: HashMap<String, (String, String)> = HashMap::new();
        for spec in self.specs {
            match names::module_name(&spec.spec.module) {
                Ok(name) if name == spec.spec.module => {
                    if let Some((other, _)) = modules.get(&name) {
                        let at = self.where_is(other, "module");
                        self.error(
                            spec,
                            "module",
                            format!("duplicate module '{name}' (also at {at})"),
                        );
                    }
                    modules.insert(name, (spec.file.clone(), spec.spec.module.clone()));
                }
                Ok(name) if name.starts_with("r#") => self.error(
                    spec,
                    "module",
                    format!(
                        "module name '{}' is a Rust keyword; a module and its cargo feature need a plain name",
                        spec.spec.module
                    ),
                ),
                Ok(name) => self.error(
                    spec,
                    "module",
                    format!(
                        "module name '{}' must be snake_case (did you mean '{name}'?)",
                        spec.spec.module
                    ),
                ),
                Err(e) => self.error(spec, "module", e.to_string()),
            }
            for (name, def) in &spec.spec.definitions {
                let path = format!("definitions.{name}");
                let kind = match (&def.properties, &def.values) {
                    (Some(_), None) => SymbolKind::Object,
                    (None, Some(_)) => SymbolKind::Enum,
                    (Some(_), Some(_)) => {
                        self.error_at_key(
                            spec,
                            &path,
                            "a definition has either 'properties' or 'enum', not both",
                        );
                        continue;
                    }
                    (None, None) => {
                        self.error_at_key(
                            spec,
                            &path,
                            "a definition needs 'properties' (an object) or 'enum'",
                        );
                        continue;
                    }
                };
                let rust_name = match names::type_name(name) {
                    Ok(n) => n,
                    Err(e) => {
                        self.error_at_key(spec, &path, e.to_string());
                        continue;
                    }
                };
                if let Some(existing) = self.symbols.get(name) {
                    let at = self.where_is(&existing.file, &existing.path);
                    self.error_at_key(
                        spec,
                        &path,
                        format!("duplicate definition '{name}' (first defined at {at})"),
                    );
                    continue;
                }
                let module = names::module_name(&spec.spec.module).unwrap_or_default();
                self.symbols.insert(
                    name.clone(),
                    Symbol {
                        module,
                        spec_module: spec.spec.module.clone(),
                        rust_name,
                        kind,
                        file: spec.file.clone(),
                        path,
                    },
                );
            }
        }
        for spec in self.specs {
            for (i, import) in spec.spec.imports.iter().enumerate() {
                if !modules.contains_key(import) {
                    let known = modules.keys().map(String::as_str).collect::<Vec<_>>();
                    let hint = did_you_mean(suggest(import, known));
                    self.error(
                        spec,
                        &format!("imports.{i}"),
                        format!("unknown module '{import}'{hint}"),
                    );
                } else if *import == spec.spec.module {
                    self.error(spec, &format!("imports.{i}"), "a module cannot import itself");
                }
            }
        }
    }

    /// Names a spec may reference: its own definitions and those of its imports.
    pub(super) fn visible(&self, spec: &LoadedSpec, name: &str) -> bool {
        self.symbols.get(name).is_some_and(|s| {
            s.spec_module == spec.spec.module || spec.spec.imports.contains(&s.spec_module)
        })
    }

    /// Resolves a type expression (`list<map<string, Role>>`), reporting at `path` why it does
    /// not resolve.
    pub(super) fn resolve(&mut self, spec: &LoadedSpec, path: &str, text: &str) -> Option<Type> {
        match self.type_of(spec, text, 0) {
            Ok(ty) => Some(ty),
            Err(message) => {
                self.error(spec, path, message);
                None
            }
        }
    }

    /// The type a type expression stands for, or why it stands for none. Reports nothing, so
    /// that a type another definition owns (and reports on) can be read again.
    pub(super) fn type_of(
        &self,
        spec: &LoadedSpec,
        text: &str,
        depth: usize,
    ) -> Result<Type, String> {
        // Real APIs nest a few levels; a bound keeps every later stage (and the Rust compiler)
        // far from its recursion limits whatever a spec says.
        if depth > MAX_TYPE_NESTING {
            return Err(format!("types can nest at most {MAX_TYPE_NESTING} levels deep"));
        }
        let text = text.trim();
        if let Some(inner) = strip_generic(text, "list") {
            return self.type_of(spec, inner, depth + 1).map(|t| Type::List(Box::new(t)));
        }
        if let Some(inner) = strip_generic(text, "nullable") {
            return self.type_of(spec, inner, depth + 1).map(|t| Type::Nullable(Box::new(t)));
        }
        if let Some(inner) = strip_generic(text, "map") {
            return match inner.split_once(',') {
                Some((key, value)) if key.trim() == "string" => {
                    self.type_of(spec, value, depth + 1).map(|t| Type::Map(Box::new(t)))
                }
                _ => Err(format!("map keys must be strings: write 'map<string, T>', not '{text}'")),
            };
        }
        let scalar = match text {
            "string" => Some(Type::String),
            "boolean" => Some(Type::Bool),
            "int32" => Some(Type::Int32),
            "int64" => Some(Type::Int64),
            "float64" => Some(Type::Float64),
            "date-time" => Some(Type::DateTime),
            "date-time-rfc1123" => Some(Type::DateTimeRfc1123),
            "uuid" => Some(Type::Uuid),
            "url" => Some(Type::Url),
            "number-or-string" => Some(Type::NumberOrString),
            "json" => Some(Type::Json),
            _ => None,
        };
        if let Some(scalar) = scalar {
            return Ok(scalar);
        }
        if self.visible(spec, text) {
            let s = &self.symbols[text];
            return Ok(Type::Named(Named {
                module: s.module.clone(),
                name: s.rust_name.clone(),
                is_enum: s.kind == SymbolKind::Enum,
            }));
        }
        if let Some(s) = self.symbols.get(text) {
            return Err(format!(
                "'{text}' is defined in module '{}', which this spec does not import (add it to 'imports')",
                s.spec_module
            ));
        }
        let candidates: Vec<&str> = self
            .symbols
            .keys()
            .filter(|n| self.visible(spec, n))
            .map(String::as_str)
            .chain(SCALARS.iter().copied())
            .collect();
        let hint = did_you_mean(suggest(text, candidates));
        Err(format!("unknown type '{text}'{hint}"))
    }
}

pub(super) const SCALARS: &[&str] = &[
    "string",
    "boolean",
    "int32",
    "int64",
    "float64",
    "date-time",
    "date-time-rfc1123",
    "uuid",
    "url",
    "number-or-string",
    "json",
];

pub(super) fn strip_generic<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    text.strip_prefix(name)?.trim_start().strip_prefix('<')?.strip_suffix('>')
}
