//! Clients and their operation methods.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Client, Module};

/// The client struct, its options and one method per operation.
pub fn client_tokens(_client: &Client, _module: &Module) -> TokenStream {
    quote! {}
}
