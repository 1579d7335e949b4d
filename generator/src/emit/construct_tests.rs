use serde_json::json;

use super::*;
use crate::lower::{FieldShape, UnionShape, UnionVariantShape};

fn named(name: &str, is_enum: bool) -> Type {
    Type::Named(Named { module: "rooms".into(), name: name.into(), is_enum })
}

fn field(name: &str, json_name: &str, ty: Type, set_by: SetBy) -> FieldShape {
    FieldShape { name: name.into(), json_name: json_name.into(), aliases: Vec::new(), ty, set_by }
}

/// A small model: `Room { id: String (required), topic: Option<String>, role: Option<Role>,
/// valid_from: Option<OffsetDateTime>, size: Option<i32>, score: Option<f64>,
/// participants: Option<BTreeMap<String, Participant>>, tags: Option<Vec<String>>,
/// note: Nullable<String>, r#type: Option<Kind> }`, an open enum `Role`, a closed enum `Mode`
/// and a kind-tagged `Source` with a `file` payload.
fn definitions() -> Definitions {
    let mut d = Definitions::default();
    d.insert(
        "rooms",
        "Role",
        Definition::Enum(EnumShape {
            closed: false,
            variants: vec![
                ("Presenter".into(), "Presenter".into()),
                ("Attendee".into(), "Attendee".into()),
            ],
        }),
    );
    d.insert(
        "rooms",
        "Mode",
        Definition::Enum(EnumShape {
            closed: true,
            variants: vec![("Fast".into(), "fast".into())],
        }),
    );
    d.insert(
        "rooms",
        "Participant",
        Definition::Object(ObjectShape {
            fields: vec![field("role", "role", named("Role", true), SetBy::Constructor)],
            union: None,
        }),
    );
    d.insert(
        "rooms",
        "Room",
        Definition::Object(ObjectShape {
            fields: vec![
                field("id", "id", Type::String, SetBy::Constructor),
                field("topic", "topic", Type::String, SetBy::Setter),
                field("role", "role", named("Role", true), SetBy::Setter),
                field("valid_from", "validFrom", Type::DateTime, SetBy::Setter),
                field("size", "size", Type::Int32, SetBy::Setter),
                field("score", "score", Type::Float64, SetBy::Setter),
                field(
                    "participants",
                    "participants",
                    Type::Map(Box::new(named("Participant", false))),
                    SetBy::Setter,
                ),
                field("tags", "tags", Type::List(Box::new(Type::String)), SetBy::Setter),
                field("note", "note", Type::Nullable(Box::new(Type::String)), SetBy::Setter),
                field("r#type", "type", named("Mode", true), SetBy::Setter),
            ],
            union: None,
        }),
    );
    d.insert(
        "rooms",
        "FileSource",
        Definition::Object(ObjectShape {
            fields: vec![field("uri", "uri", Type::String, SetBy::Constructor)],
            union: None,
        }),
    );
    d.insert(
        "rooms",
        "Source",
        Definition::Object(ObjectShape {
            fields: vec![field("play_id", "playId", Type::String, SetBy::Setter)],
            union: Some(UnionShape {
                discriminator: "kind".into(),
                kind_enum: "SourceKind".into(),
                variants: vec![UnionVariantShape {
                    value: "file".into(),
                    name: "File".into(),
                    property: "file".into(),
                    ty: named("FileSource", false),
                }],
            }),
        }),
    );
    d
}

/// The expression, formatted as the right side of a `let`.
fn build(ty: &Type, json: serde_json::Value) -> Result<String, Unsupported> {
    let d = definitions();
    let mut b = Builder::new(&d);
    let expr = b.expr(ty, &json, Position::Exact)?;
    let file: syn::File = syn::parse2(quote! { fn f() { let x = #expr; } })
        .unwrap_or_else(|e| panic!("the built expression does not parse: {e}\n{expr}"));
    let text = prettyplease::unparse(&file);
    let body: Vec<&str> = text.lines().skip(1).collect();
    let body = body[..body.len() - 1].iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    Ok(body.trim_start_matches("let x = ").trim_end_matches(';').to_owned())
}

#[test]
fn object_with_required_and_optional_fields() {
    let text = build(&named("Room", false), json!({ "id": "r1", "topic": "Lunch", "size": 3 }));
    assert_eq!(text.unwrap(), r#"Room::new("r1").with_topic("Lunch").with_size(3)"#);
}

#[test]
fn setters_follow_field_order_not_json_order() {
    let text = build(&named("Room", false), json!({ "size": 3, "topic": "Lunch", "id": "r1" }));
    assert_eq!(text.unwrap(), r#"Room::new("r1").with_topic("Lunch").with_size(3)"#);
}

#[test]
fn missing_required_field_is_unsupported() {
    let err = build(&named("Room", false), json!({ "topic": "Lunch" })).unwrap_err();
    assert_eq!(err.0, "the required property 'id' is missing");
}

#[test]
fn unknown_property_is_unsupported() {
    let err =
        build(&named("Room", false), json!({ "id": "r", "enablePstnDialout": true })).unwrap_err();
    assert_eq!(err.0, "'enablePstnDialout' is not a property of Room");
}

#[test]
fn wrong_type_is_unsupported() {
    let err = build(&named("Room", false), json!({ "id": "r", "size": "three" })).unwrap_err();
    assert_eq!(err.0, "a string is not a i32");
    let err =
        build(&named("Room", false), json!({ "id": "r", "size": 3_000_000_000u64 })).unwrap_err();
    assert_eq!(err.0, "3000000000 is not an i32");
    assert!(build(&named("Room", false), json!(["r"])).is_err());
}

#[test]
fn enums_known_unknown_and_closed() {
    assert_eq!(build(&named("Role", true), json!("Attendee")).unwrap(), "Role::Attendee");
    assert_eq!(
        build(&named("Role", true), json!("Consumer")).unwrap(),
        r#"Role::UnknownValue("Consumer".to_owned())"#
    );
    assert_eq!(build(&named("Mode", true), json!("fast")).unwrap(), "Mode::Fast");
    let err = build(&named("Mode", true), json!("slow")).unwrap_err();
    assert_eq!(err.0, "'slow' is not a value of Mode");
}

#[test]
fn raw_identifier_field_gets_a_plain_setter() {
    let text = build(&named("Room", false), json!({ "id": "r", "type": "fast" })).unwrap();
    assert_eq!(text, r#"Room::new("r").with_type(Mode::Fast)"#);
}

#[test]
fn unions_by_discriminator_and_by_payload() {
    let with_kind = json!({ "kind": "file", "file": { "uri": "https://a/b.wav" }, "playId": "p" });
    assert_eq!(
        build(&named("Source", false), with_kind).unwrap(),
        r#"Source::new(SourceKind::File(FileSource::new("https://a/b.wav"))) .with_play_id("p")"#
    );
    let without_kind = json!({ "file": { "uri": "u" } });
    assert_eq!(
        build(&named("Source", false), without_kind).unwrap(),
        r#"Source::new(SourceKind::File(FileSource::new("u")))"#
    );
    let unknown = build(&named("Source", false), json!({ "kind": "text", "text": {} }));
    assert_eq!(unknown.unwrap_err().0, "'text' is not a kind of Source");
    let no_payload = build(&named("Source", false), json!({ "kind": "file" }));
    assert_eq!(no_payload.unwrap_err().0, "the payload 'file' of kind 'file' is missing");
}

#[test]
fn nullable_fields_and_nullable_items() {
    let null = build(&named("Room", false), json!({ "id": "r", "note": null })).unwrap();
    assert_eq!(null, r#"Room::new("r").with_note(azure_communication::Nullable::Null)"#);
    let value = build(&named("Room", false), json!({ "id": "r", "note": "hi" })).unwrap();
    assert_eq!(value, r#"Room::new("r").with_note("hi")"#);
    let items = Type::List(Box::new(Type::Nullable(Box::new(Type::Int64))));
    assert_eq!(build(&items, json!([1, null])).unwrap(), "vec![Some(1), None]");
}

#[test]
fn optional_field_sent_as_null_is_left_unset() {
    let text = build(&named("Room", false), json!({ "id": "r", "topic": null })).unwrap();
    assert_eq!(text, r#"Room::new("r")"#);
}

#[test]
fn maps_and_lists() {
    let room = json!({
        "id": "r",
        "participants": { "8:acs:1": { "role": "Presenter" } },
        "tags": ["a", "b"]
    });
    assert_eq!(
        build(&named("Room", false), room).unwrap(),
        r#"Room::new("r") .with_participants( std::collections::BTreeMap::from([ ("8:acs:1".to_owned(), Participant::new(Role::Presenter)), ]), ) .with_tags(vec!["a".to_owned(), "b".to_owned()])"#
    );
    let empty = Type::Map(Box::new(Type::Int32));
    assert_eq!(build(&empty, json!({})).unwrap(), "std::collections::BTreeMap::new()");
}

#[test]
fn dates_are_checked_and_parsed() {
    assert_eq!(
        build(&Type::DateTime, json!("2023-06-26T05:46:17.8159131+05:30")).unwrap(),
        r#"time::OffsetDateTime::parse( "2023-06-26T05:46:17.8159131+05:30", &time::format_description::well_known::Rfc3339, )?"#
    );
    assert_eq!(
        build(&Type::DateTimeRfc1123, json!("Mon, 01 Jan 2024 10:00:00 GMT")).unwrap(),
        r#"time::OffsetDateTime::parse( "Mon, 01 Jan 2024 10:00:00 GMT", &time::format_description::well_known::Rfc2822, )?"#
    );
    assert_eq!(
        build(&Type::DateTime, json!("yesterday")).unwrap_err().0,
        "'yesterday' is not an RFC 3339 date"
    );
    assert!(build(&Type::DateTimeRfc1123, json!("2024-01-01T00:00:00Z")).is_err());
}

#[test]
fn numbers() {
    assert_eq!(build(&Type::Int64, json!(-42)).unwrap(), "-42");
    assert_eq!(build(&Type::Int64, json!(i64::MIN)).unwrap(), "-9223372036854775808");
    assert_eq!(build(&Type::Float64, json!(2)).unwrap(), "2.0");
    assert_eq!(build(&Type::Float64, json!(-0.5)).unwrap(), "-0.5");
    assert!(build(&Type::Int32, json!(1.5)).is_err());
    assert_eq!(build(&Type::NumberOrString, json!(7)).unwrap(), "7i64.into()");
    assert_eq!(build(&Type::NumberOrString, json!("7")).unwrap(), r#""7".into()"#);
}

#[test]
fn scalars_uuid_url_bool_and_json() {
    let id = "8540c0de-899f-5cce-acb5-3ec493af3800";
    assert_eq!(build(&Type::Uuid, json!(id)).unwrap(), format!("uuid::uuid!(\"{id}\")"));
    assert!(build(&Type::Uuid, json!("not-a-uuid")).is_err());
    assert_eq!(
        build(&Type::Url, json!("https://contoso.example/cb")).unwrap(),
        r#"url::Url::parse("https://contoso.example/cb")?"#
    );
    assert!(build(&Type::Url, json!("no scheme")).is_err());
    assert_eq!(build(&Type::Bool, json!(true)).unwrap(), "true");
    assert_eq!(
        build(&Type::Json, json!({ "a": [1, -2.5, null, "x"] })).unwrap(),
        r#"serde_json::json!({ "a" : [1, - 2.5, null, "x"] })"#
    );
}

#[test]
fn strings_in_into_position_need_no_conversion() {
    let d = definitions();
    let mut b = Builder::new(&d);
    let expr = b.expr(&Type::String, &json!("x"), Position::Into).unwrap();
    assert_eq!(expr.to_string(), "\"x\"");
}

#[test]
fn named_types_are_collected_for_imports() {
    let d = definitions();
    let mut b = Builder::new(&d);
    let json = json!({ "id": "r", "participants": { "a": { "role": "Attendee" } } });
    b.expr(&named("Room", false), &json, Position::Exact).unwrap();
    assert_eq!(
        b.imports().to_string(),
        "use azure_communication :: rooms :: { Participant , Role , Room } ;"
    );
}

#[test]
fn a_type_named_like_the_prelude_is_not_imported() {
    let mut d = definitions();
    d.insert(
        "rooms",
        "Result",
        Definition::Object(ObjectShape {
            fields: vec![field("ok", "ok", Type::Bool, SetBy::Constructor)],
            union: None,
        }),
    );
    let mut b = Builder::new(&d);
    let expr = b.expr(&named("Result", false), &json!({ "ok": true }), Position::Exact).unwrap();
    assert_eq!(expr.to_string(), "azure_communication :: rooms :: Result :: new (true)");
    assert!(b.imports().is_empty());
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let mut json = json!(1);
    let mut ty = Type::Int32;
    for _ in 0..200 {
        json = json!([json]);
        ty = Type::List(Box::new(ty));
    }
    assert_eq!(build(&ty, json).unwrap_err().0, "the example nests too deeply");
}

#[test]
fn placeholders_build() {
    let d = definitions();
    let room = placeholder(&named("Room", false), "room", &d);
    assert_eq!(room, json!({ "id": "<id>" }));
    let source = placeholder(&named("Source", false), "source", &d);
    assert_eq!(
        build(&named("Source", false), source).unwrap(),
        r#"Source::new(SourceKind::File(FileSource::new("<uri>")))"#
    );
    for ty in [
        Type::DateTime,
        Type::DateTimeRfc1123,
        Type::Uuid,
        Type::Url,
        Type::Json,
        named("Role", true),
    ] {
        let json = placeholder(&ty, "x", &d);
        assert!(build(&ty, json.clone()).is_ok(), "{ty:?}: {json}");
    }
}
