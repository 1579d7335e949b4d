//! Lowering of event sets: event type strings to the definitions of their data.

use std::collections::HashMap;

use super::*;

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
            if set.types.is_empty() {
                self.error(spec, &format!("{path}.types"), "an event set needs at least one type");
            }
            sets.push(EventSet {
                name,
                description: set.description.clone(),
                variants,
                examples: set.examples.clone(),
                origin: Origin { file: spec.file.clone(), path: path.clone() },
            });
        }
        sets
    }
}
