//! Rules that span several modules and are easiest to state on the resolved IR.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Ir, Module, Type};

/// Checks the IR as a whole.
pub fn check(ir: &Ir) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Diagnostics::default();
    for module in &ir.modules {
        check_feature_boundaries(ir, module, &mut errors);
    }
    errors.finish()
}

/// Each service module sits behind its own cargo feature, so it may reference shared
/// (always-compiled) modules but not another service module, which could be switched off.
fn check_feature_boundaries(ir: &Ir, module: &Module, errors: &mut Diagnostics) {
    if !module.feature_gated {
        return;
    }
    for s in &module.structs {
        for f in &s.fields {
            if let Some(target) = named_module(&f.ty) {
                let gated = ir.modules.iter().any(|m| m.name == target && m.feature_gated);
                if target != module.name && gated {
                    errors.push(Diagnostic {
                        file: s.origin.file.clone(),
                        position: s.origin.position,
                        path: format!("{}.properties.{}", s.origin.path, f.json_name),
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
