//! Lowering of event sets: event type strings to the definitions of their data.

use std::collections::HashMap;

use super::*;
use crate::ir::IncludedSet;

impl<'a> Lowering<'a> {
    pub(super) fn event_sets(&mut self, spec: &LoadedSpec) -> Vec<EventSet> {
        let mut sets = Vec::new();
        for (set_name, set) in &spec.spec.events {
            let path = format!("events.{set_name}");
            let Ok(name) = names::type_name(set_name)
                .map_err(|e| self.error_at_key(spec, &path, e.to_string()))
            else {
                continue;
            };
            let mut variants: Vec<EventVariant> = Vec::new();
            let mut seen: HashMap<String, String> = HashMap::new();
            for (event_type, data) in &set.types {
                let vpath = format!("{path}.types.{event_type}");
                let Some(ty) = self.resolve(spec, &vpath, data) else { continue };
                let Type::Named(named) = ty else {
                    self.error(spec, &vpath, "event data must be an object definition");
                    continue;
                };
                if named.is_enum {
                    self.error(
                        spec,
                        &vpath,
                        "event data must be an object definition, not an enum",
                    );
                    continue;
                }
                let Ok(variant) = names::event_variant_name(event_type)
                    .map_err(|e| self.error_at_key(spec, &vpath, e.to_string()))
                else {
                    continue;
                };
                if variant == "Other" {
                    self.error_at_key(
                        spec,
                        &vpath,
                        "'Other' is the variant that keeps unknown event types",
                    );
                    continue;
                }
                if let Some(other) = seen.get(&variant) {
                    self.error_at_key(spec, &vpath, format!("event types '{other}' and '{event_type}' both become variant '{variant}'"));
                    continue;
                }
                seen.insert(variant.clone(), event_type.clone());
                variants.push(EventVariant {
                    name: variant,
                    event_type: event_type.clone(),
                    data: named,
                });
            }
            let includes = self.included_sets(spec, &path, set_name, set, &seen);
            if set.types.is_empty() && set.includes.is_empty() {
                let message = "an event set needs at least one type (or sets it includes)";
                self.error_at_key(spec, &path, message);
            }
            sets.push(EventSet {
                name,
                description: set.description.clone(),
                variants,
                includes,
                examples: set.examples.clone(),
                origin: Origin { file: spec.file.clone(), path: path.clone() },
            });
        }
        sets
    }

    /// The sets a set includes: other sets of the same module that list their own types,
    /// each becoming one variant named after the set without its `Event` suffix.
    fn included_sets(
        &mut self,
        spec: &LoadedSpec,
        path: &str,
        set_name: &str,
        set: &spec::EventSet,
        own_variants: &HashMap<String, String>,
    ) -> Vec<IncludedSet> {
        let mut included: Vec<IncludedSet> = Vec::new();
        let mut owner: HashMap<&str, &str> = HashMap::new();
        for (i, member) in set.includes.iter().enumerate() {
            let ipath = format!("{path}.includes.{i}");
            let Some(member_set) = spec.spec.events.get(member) else {
                let hint =
                    did_you_mean(suggest(member, spec.spec.events.keys().map(String::as_str)));
                self.error(spec, &ipath, format!("unknown event set '{member}'{hint}"));
                continue;
            };
            if member == set_name {
                self.error(spec, &ipath, "a set cannot include itself");
                continue;
            }
            if !member_set.includes.is_empty() {
                let message = format!(
                    "'{member}' includes other sets; a set can include only sets that list types"
                );
                self.error(spec, &ipath, message);
                continue;
            }
            let Ok(set) = names::type_name(member) else { continue };
            let stem = set.strip_suffix("Event").filter(|s| !s.is_empty()).unwrap_or(&set);
            let name = stem.to_owned();
            if name == "Other"
                || own_variants.contains_key(&name)
                || included.iter().any(|s| s.name == name)
            {
                self.error(
                    spec,
                    &ipath,
                    format!("the set '{member}' would be the variant '{name}', which is taken"),
                );
                continue;
            }
            for event_type in member_set.types.keys() {
                if let Some(first) = owner.insert(event_type, member) {
                    let message = format!(
                        "the event type '{event_type}' is in both '{first}' and '{member}'"
                    );
                    self.error(spec, &ipath, message);
                }
            }
            included.push(IncludedSet {
                name,
                set,
                event_types: member_set.types.keys().cloned().collect(),
            });
        }
        included
    }
}
