//! Structured mutations of one real spec, generated together with the other real specs, never
//! panic the generator (load → lower → check → emit).
#![no_main]

use libfuzzer_sys::fuzz_target;
use robustness_fuzz::{mutated_sources, SpecMutation};

fuzz_target!(|mutation: SpecMutation| {
    let _ = api_codegen::generate(&mutated_sources(&mutation));
});
