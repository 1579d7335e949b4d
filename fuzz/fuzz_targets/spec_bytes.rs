//! Loading, lowering, checking and emitting a spec made of arbitrary bytes never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let source = api_codegen::SpecSource { name: "specs/fuzz.yaml".to_owned(), text };
    let _ = api_codegen::generate(&[source]);
});
