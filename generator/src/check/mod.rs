//! Rules that span several items and are easiest to state on the resolved IR: the name tables
//! of every scope ([`names`]) and the feature boundaries between modules.

pub mod names;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Ir, Module, Type};
use crate::spec::{self, LoadedSpec};

/// Checks the IR as a whole; `specs` are the files it was lowered from, where errors are placed.
pub fn check(ir: &Ir, specs: &[LoadedSpec]) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Diagnostics::default();
    let gated = |name: &str| ir.modules.iter().any(|m| m.name == name && m.feature_gated);
    for module in &ir.modules {
        check_module(module, &gated, specs, &mut errors);
    }
    errors.finish()
}

/// Checks one module; `gated` says whether a module sits behind its own cargo feature.
pub(crate) fn check_module(
    module: &Module,
    gated: &dyn Fn(&str) -> bool,
    specs: &[LoadedSpec],
    errors: &mut Diagnostics,
) {
    check_feature_boundaries(module, gated, specs, errors);
    names::check_module(module, specs, errors);
}

/// Each service module sits behind its own cargo feature, so it may reference shared
/// (always-compiled) modules but not another service module, which could be switched off.
fn check_feature_boundaries(
    module: &Module,
    gated: &dyn Fn(&str) -> bool,
    specs: &[LoadedSpec],
    errors: &mut Diagnostics,
) {
    if !module.feature_gated {
        return;
    }
    for s in &module.structs {
        for f in &s.fields {
            if let Some(target) = named_module(&f.ty) {
                if target != module.name && gated(target) {
                    let path = format!("{}.properties.{}", s.origin.path, f.json_name);
                    errors.push(Diagnostic {
                        file: s.origin.file.clone(),
                        position: spec::key_position(specs, &s.origin.file, &path),
                        path,
                        message: format!(
                            "'{}' refers to module '{target}', which has its own cargo feature; move the shared definition to a module without clients or events",
                            f.json_name
                        ),
                    });
                }
            }
        }
    }
}

fn named_module(ty: &Type) -> Option<&str> {
    match ty {
        Type::List(inner) | Type::Map(inner) => named_module(inner),
        Type::Named(n) => Some(&n.module),
        _ => None,
    }
}
