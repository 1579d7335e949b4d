//! Tests generated from the examples in the specs.

use crate::ir::Ir;

/// The test file, when any spec has examples.
pub fn tests_rs(_ir: &Ir) -> Option<String> {
    None
}
