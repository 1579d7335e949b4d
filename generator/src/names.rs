//! The one place that turns spec names into Rust names: case conversion, keyword escaping and
//! the rules for names that cannot become identifiers. Emitters never convert names themselves.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords that can be used as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers at all.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Why a spec name cannot become a Rust name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// The converted name is a keyword that Rust does not allow even as `r#name`.
    Reserved(String),
    /// Nothing of the name is left after conversion, or it starts with a digit.
    NotAnIdentifier(String),
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::Reserved(n) => {
                write!(f, "'{n}' is a reserved Rust keyword and cannot be used as a name")
            }
            NameError::NotAnIdentifier(n) => {
                write!(f, "'{n}' cannot be turned into a Rust identifier")
            }
        }
    }
}

/// A type name: `chatThread` → `ChatThread`.
pub fn type_name(spec_name: &str) -> Result<String, NameError> {
    checked(spec_name.to_upper_camel_case(), spec_name)
}

/// A field, method or parameter name: `pstnDialOutEnabled` → `pstn_dial_out_enabled`,
/// `type` → `r#type`.
pub fn value_name(spec_name: &str) -> Result<String, NameError> {
    checked(spec_name.to_snake_case(), spec_name)
}

/// A module name: kept as written when it is already snake_case.
pub fn module_name(spec_name: &str) -> Result<String, NameError> {
    value_name(spec_name)
}

/// An enum variant for a wire value: `transferAccepted` → `TransferAccepted`, `8k` → `Value8k`.
pub fn variant_name(wire_value: &str) -> Result<String, NameError> {
    let camel = wire_value.to_upper_camel_case();
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Value{camel}")
    } else {
        camel
    };
    checked(camel, wire_value)
}

/// The variant of an event type string: its last dot-separated part.
pub fn event_variant_name(event_type: &str) -> Result<String, NameError> {
    variant_name(event_type.rsplit('.').next().unwrap_or(event_type))
}

/// The method that creates a scoped client: `ChatThreadClient` → `chat_thread_client`.
pub fn accessor_name(client_type_name: &str) -> String {
    client_type_name.to_snake_case()
}

/// A derived type name: `createRoom` + `Options` → `CreateRoomOptions`.
pub fn derived_type_name(spec_name: &str, suffix: &str) -> Result<String, NameError> {
    type_name(&format!("{spec_name}_{suffix}"))
}

fn checked(converted: String, original: &str) -> Result<String, NameError> {
    if RESERVED.contains(&converted.as_str()) {
        return Err(NameError::Reserved(original.to_owned()));
    }
    if !is_identifier(&converted) {
        return Err(NameError::NotAnIdentifier(original.to_owned()));
    }
    if RAW_KEYWORDS.contains(&converted.as_str()) {
        Ok(format!("r#{converted}"))
    } else {
        Ok(converted)
    }
}

/// Whether `name` is a Rust identifier (without `r#`): Unicode `XID_Start` or `_` first,
/// `XID_Continue` after, and not `_` alone. The one check of identifier rules; every name the
/// emitters use passes it before it reaches `quote`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return false };
    (unicode_ident::is_xid_start(first) || first == '_')
        && chars.all(unicode_ident::is_xid_continue)
        && name != "_"
}

/// The name of the wire test of an operation example: `create_room_basic_201`, or without a
/// status for a test that reads an OpenAPI example file.
pub fn wire_test_name(method_name: &str, test_name: &str, status: Option<u16>) -> String {
    match status {
        Some(status) => format!("{}_{test_name}_{status}", unraw(method_name)),
        None => format!("{}_{test_name}", unraw(method_name)),
    }
}

/// The name of a round-trip test of an operation example's request or response body.
pub fn body_test_name(method_name: &str, test_name: &str, response_status: Option<u16>) -> String {
    match response_status {
        Some(status) => format!("{}_{test_name}_response_{status}", unraw(method_name)),
        None => format!("{}_{test_name}_request", unraw(method_name)),
    }
}

/// The name of the round-trip test of the `index`th (from 0) example of a definition or event
/// set: `room_model_example_1`, `chat_event_delivery_2`.
pub fn example_test_name(type_name: &str, event_set: bool, index: usize) -> String {
    let snake = type_name.to_snake_case();
    let kind = if event_set { "delivery" } else { "example" };
    format!("{snake}_{kind}_{}", index + 1)
}

/// The file of the runnable example of an operation: `examples/rooms_create_room.rs`.
pub fn runnable_example_file(module: &str, method_name: &str) -> String {
    format!("examples/{module}_{}.rs", unraw(method_name))
}

/// A JSON-style name: `CreateRoomRequest` → `createRoomRequest`.
pub fn lower_camel(spec_name: &str) -> String {
    spec_name.to_lower_camel_case()
}

/// The name without a raw-identifier prefix, for building derived names (`with_type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_escapes() {
        assert_eq!(type_name("chatThreadProperties").unwrap(), "ChatThreadProperties");
        assert_eq!(value_name("pstnDialOutEnabled").unwrap(), "pstn_dial_out_enabled");
        assert_eq!(value_name("rawId").unwrap(), "raw_id");
        assert_eq!(value_name("type").unwrap(), "r#type");
        assert_eq!(value_name("x-ms-error-code").unwrap(), "x_ms_error_code");
        assert_eq!(variant_name("transferAccepted").unwrap(), "TransferAccepted");
        assert_eq!(variant_name("8k").unwrap(), "Value8k");
        assert_eq!(
            event_variant_name("Microsoft.Communication.ChatMessageReceived").unwrap(),
            "ChatMessageReceived"
        );
        assert_eq!(accessor_name("ChatThreadClient"), "chat_thread_client");
        assert_eq!(derived_type_name("createRoom", "Options").unwrap(), "CreateRoomOptions");
    }

    #[test]
    fn identifiers_follow_unicode_xid() {
        assert!(is_identifier("größe") && is_identifier("_x") && is_identifier("x1"));
        assert!(!is_identifier("A¹") && !is_identifier("1x") && !is_identifier("_"));
        assert!(!is_identifier("a-b") && !is_identifier(""));
        assert_eq!(variant_name("a¹"), Err(NameError::NotAnIdentifier("a¹".into())));
    }

    #[test]
    fn rejects_names_rust_cannot_spell() {
        assert_eq!(value_name("self"), Err(NameError::Reserved("self".into())));
        assert_eq!(type_name("Self"), Err(NameError::Reserved("Self".into())));
        assert_eq!(value_name("---"), Err(NameError::NotAnIdentifier("---".into())));
    }
}
