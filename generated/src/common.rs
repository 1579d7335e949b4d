//! temporary stand-in, replaced by cargo xtask codegen
