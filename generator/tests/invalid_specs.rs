//! One test per kind of spec error: the exact message a spec author sees, with its position.

use api_codegen::{generate, SpecSource};

fn source(name: &str, text: &str) -> SpecSource {
    SpecSource { name: format!("specs/{name}.yaml"), text: text.to_owned() }
}

/// Runs the generator and returns every error line; panics (failing the test) if it succeeds.
fn errors(sources: &[SpecSource]) -> Vec<String> {
    match generate(sources) {
        Ok(files) => panic!("expected errors, got {} files", files.len()),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

const COMMON: &str = "\
module: common
description: Shared types.
definitions:
  Error:
    description: An error.
    properties:
      code: { type: string, required: true, description: The code. }
";

/// A `rooms` module with a client, importing `imports`, followed by `body`.
fn rooms(imports: &str, body: &str) -> SpecSource {
    let text = format!(
        "\
module: rooms
description: Rooms.
imports: [{imports}]
clients:
  RoomsClient:
    description: The client.
    api-version: 2023-10-30-preview
    auth: [access-key]
{body}"
    );
    source("rooms", &text)
}

fn service(body: &str) -> Vec<SpecSource> {
    vec![source("common", COMMON), rooms("common", body)]
}

#[test]
fn invalid_yaml_points_at_the_syntax_error() {
    let e = errors(&[source("broken", "module: x\ndescription: [unclosed\n")]);
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("specs/broken.yaml:3:1: invalid yaml: "), "{}", e[0]);
}

#[test]
fn unknown_key_names_the_key_and_the_expected_ones() {
    let e = errors(&service(
        "\
definitions:
  Room:
    description: A room.
    propertes: {}
",
    ));
    assert_eq!(
        e,
        ["specs/rooms.yaml:12:5: definitions.Room: unknown field `propertes`, expected one of `description`, `properties`, `extends`, `union`, `enum`, `closed`, `implements`, `examples`"]
    );
}

#[test]
fn unknown_type_suggests_the_nearest_definition() {
    let e = errors(&service(
        "\
definitions:
  RoomModel:
    description: A room.
    properties:
      id: { type: string, required: true, description: The id. }
  Holder:
    description: Holds a room.
    properties:
      room: { type: RoomModle, description: The room. }
      error: { type: list<Eror>, description: An error. }
",
    ));
    assert_eq!(
        e,
        [
            "specs/rooms.yaml:17:21: definitions.Holder.properties.room.type: unknown type 'RoomModle' (did you mean 'RoomModel'?)",
            "specs/rooms.yaml:18:22: definitions.Holder.properties.error.type: unknown type 'Eror' (did you mean 'Error'?)",
        ]
    );
}

#[test]
fn type_from_a_module_that_is_not_imported() {
    let mut sources = service("");
    sources[1].text = sources[1].text.replace("imports: [common]\n", "");
    sources[1].text.push_str(
        "\
definitions:
  Holder:
    description: Holds an error.
    properties:
      error: { type: Error, description: The error. }
",
    );
    assert_eq!(
        errors(&sources),
        ["specs/rooms.yaml:12:22: definitions.Holder.properties.error.type: 'Error' is defined in module 'common', which this spec does not import (add it to 'imports')"]
    );
}

#[test]
fn duplicate_definition_across_files_and_duplicate_key_in_one_file() {
    let across = errors(&service(
        "\
definitions:
  Error:
    description: Another error.
    properties:
      code: { type: string, description: The code. }
",
    ));
    assert_eq!(across, ["specs/rooms.yaml:10:3: definitions.Error: duplicate definition 'Error' (first defined at specs/common.yaml:4:3)"]);

    let within = errors(&service(
        "\
operations:
  createRoom:
    description: Creates.
    method: POST
    path: /rooms
    responses: { 201: { description: Created. } }
    error: Error
  createRoom:
    description: Creates again.
    method: POST
    path: /rooms
    responses: { 201: { description: Created. } }
    error: Error
",
    ));
    assert_eq!(within, ["specs/rooms.yaml:16:3: operations: duplicate key 'createRoom'"]);
}

#[test]
fn path_parameter_missing_from_template_and_template_parameter_not_declared() {
    let e = errors(&service(
        "\
operations:
  getRoom:
    description: Gets a room.
    method: GET
    path: /rooms/{roomid}
    parameters:
      roomId: { in: path, type: string, description: The room id. }
    responses: { 200: { description: The room. } }
    error: Error
",
    ));
    assert_eq!(
        e,
        [
            "specs/rooms.yaml:13:11: operations.getRoom.path: path parameter '{roomid}' is not declared by the operation or its client's scope (did you mean 'roomId'?)",
            "specs/rooms.yaml:15:7: operations.getRoom.parameters.roomId: path parameter 'roomId' does not appear in the path '/rooms/{roomid}'",
        ]
    );
}

#[test]
fn enum_with_duplicate_values() {
    let exact = errors(&service(
        "\
definitions:
  Role:
    description: A role.
    enum:
      Presenter: Presents.
      Presenter: Presents again.
",
    ));
    assert_eq!(exact, ["specs/rooms.yaml:14:7: definitions.Role.enum: duplicate key 'Presenter'"]);

    let by_case = errors(&service(
        "\
definitions:
  Role:
    description: A role.
    enum:
      presenter: Presents.
      Presenter: Presents again.
",
    ));
    assert_eq!(by_case, ["specs/rooms.yaml:13:7: definitions.Role.enum.presenter: enum values 'Presenter' and 'presenter' both become variant 'Presenter'"]);
}

#[test]
fn names_that_collide_after_case_conversion() {
    let fields = errors(&service(
        "\
definitions:
  Room:
    description: A room.
    properties:
      rawId: { type: string, description: One. }
      raw_id: { type: string, description: Two. }
",
    ));
    assert_eq!(fields, ["specs/rooms.yaml:14:7: definitions.Room.properties.raw_id: properties 'rawId' and 'raw_id' both become field 'raw_id'"]);

    let types = errors(&service(
        "\
operations:
  createRoom:
    description: Creates.
    method: POST
    path: /rooms
    responses: { 201: { description: Created. } }
    error: Error
definitions:
  CreateRoomOptions:
    description: Clashes with the options struct of createRoom.
    properties:
      a: { type: string, description: A. }
",
    ));
    assert_eq!(types, ["specs/rooms.yaml:10:3: operations.createRoom: the options of operation 'createRoom' and definition 'CreateRoomOptions' (at specs/rooms.yaml:17:3) both become 'CreateRoomOptions' in module 'rooms'"]);
}

#[test]
fn rust_keywords_are_escaped_or_rejected() {
    let e = errors(&service(
        "\
definitions:
  Room:
    description: A room.
    properties:
      type: { type: string, description: Escaped as r#type and accepted. }
      self: { type: string, description: Cannot be a Rust name. }
",
    ));
    assert_eq!(e, ["specs/rooms.yaml:14:7: definitions.Room.properties.self: 'self' is a reserved Rust keyword and cannot be used as a name"]);
}

#[test]
fn every_error_of_every_file_is_reported_in_one_run() {
    let mut sources = service(
        "\
definitions:
  Room:
    description: A room.
    properties:
      a: { type: Strin, description: A. }
      b: { type: Boolean, description: B. }
",
    );
    sources.push(source("other", "module: other\ndescription: x\nbogus: 1\n"));
    let e = errors(&sources);
    assert_eq!(
        e,
        [
            "specs/other.yaml:3:1: unknown field `bogus`, expected one of `module`, `description`, `imports`, `clients`, `operations`, `definitions`, `events`, `source`, `deliberate`",
            "specs/rooms.yaml:13:18: definitions.Room.properties.a.type: unknown type 'Strin' (did you mean 'string'?)",
            "specs/rooms.yaml:14:18: definitions.Room.properties.b.type: unknown type 'Boolean' (did you mean 'boolean'?)",
        ]
    );
}

#[test]
fn an_unquoted_comma_in_a_flow_mapping_gets_a_hint() {
    let e = errors(&service(
        "\
definitions:
  Room:
    description: A room.
    properties:
      id: { type: string, description: The id, a number. }
",
    ));
    assert_eq!(
        e,
        ["specs/rooms.yaml:13:48: definitions.Room.properties.id: unknown field `a number.`, expected one of `type`, `description`, `required`, `aliases`, `default`, `safe` (a comma ends an unquoted value inside { }: put the value in quotes)"]
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_spec() {
    let with_bom = format!("\u{feff}{COMMON}");
    assert!(generate(&[source("common", &with_bom)]).is_ok());
}

#[test]
fn a_service_module_referring_to_another_service_module_is_placed_at_the_definition() {
    // Both modules have clients, so each sits behind its own cargo feature.
    let chat = "\
module: chat
description: Chat.
clients:
  ChatClient:
    description: The client.
    api-version: 2024-03-07
    auth: [access-key]
definitions:
  Thread:
    description: A thread.
    properties:
      id: { type: string, description: The id. }
";
    let body = "\
definitions:
  Room:
    description: A room.
    properties:
      thread: { type: Thread, description: The thread. }
";
    let e = errors(&[source("chat", chat), rooms("chat", body)]);
    assert_eq!(
        e,
        ["specs/rooms.yaml:13:7: definitions.Room.properties.thread: 'thread' refers to module 'chat', which has its own cargo feature; move the shared definition to a module without clients or events"]
    );
}

#[test]
fn an_extends_cycle_is_reported_by_each_member_naming_the_whole_cycle() {
    let e = errors(&service(
        "\
definitions:
  A:
    description: A.
    extends: B
    properties: {}
  B:
    description: B.
    extends: C
    properties: {}
  C:
    description: C.
    extends: A
    properties: {}
",
    ));
    assert_eq!(
        e,
        [
            "specs/rooms.yaml:12:14: definitions.A.extends: 'A' extends itself: A → B → C → A",
            "specs/rooms.yaml:16:14: definitions.B.extends: 'B' extends itself: B → C → A → B",
            "specs/rooms.yaml:20:14: definitions.C.extends: 'C' extends itself: C → A → B → C",
        ]
    );
}

#[test]
fn an_extends_chain_deeper_than_the_limit_is_an_error() {
    let defs: String = (0..18)
        .map(|i| {
            let extends = if i < 17 { format!("    extends: D{}\n", i + 1) } else { String::new() };
            format!("  D{i}:\n    description: d\n{extends}    properties: {{}}\n")
        })
        .collect();
    let e = errors(&service(&format!("definitions:\n{defs}")));
    // D0 inherits through 17 levels, D1 through 16, the most allowed.
    assert_eq!(
        e,
        ["specs/rooms.yaml:12:14: definitions.D0.extends: 'D0' inherits through more than 16 levels of extends"]
    );
}

#[test]
fn paging_names_properties_the_page_type_lacks_including_a_page_from_another_module() {
    let common = COMMON.to_owned()
        + "  SharedPage:
    description: A page defined in another module.
    properties:
      items: { type: list<string>, description: The items. }
      next: { type: int32, description: Not a link. }
";
    let body = "\
operations:
  listRooms:
    description: Lists.
    method: GET
    path: /rooms
    paging: { items: value, next-link: nextLink }
    responses:
      200: { description: A page., body: SharedPage }
    error: Error
  listIds:
    description: Lists.
    method: GET
    path: /ids
    paging: { items: items, next-link: next }
    responses:
      200: { description: A page., body: list<string> }
    error: Error
";
    let e = errors(&[source("common", &common), rooms("common", body)]);
    assert_eq!(
        e,
        [
            "specs/rooms.yaml:14:5: operations.listRooms.paging: 'SharedPage' has no list property 'value'",
            "specs/rooms.yaml:14:5: operations.listRooms.paging: 'SharedPage' has no string property 'nextLink'",
            "specs/rooms.yaml:22:5: operations.listIds.paging: a paging operation needs a success body that is an object",
        ]
    );
}
