//! Project automation behind `cargo xtask`. All generation logic lives in the `api-codegen`
//! library; this crate only finds files, reads them and writes the results.

pub mod bench_incremental;
pub mod bench_specs;
pub mod codegen;
pub mod compile_time;
pub mod drift;
pub mod import;
pub mod json;
pub mod openapi;
