//! Hand-written tests, examples and benchmarks of the generated crate live in `tests/`, `examples/` and `benches/`; this library is empty.
