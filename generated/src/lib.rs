//! Temporary hand-written root; `cargo xtask codegen` replaces this file.
#![allow(missing_docs)]
pub mod runtime;
pub mod common;
