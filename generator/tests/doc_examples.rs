//! The `# Examples` section of client methods and the runnable examples: built from the first
//! documented request the generated types can express (written out in the spec or in an
//! OpenAPI example file handed to the generator), else from placeholders, and never from raw
//! JSON.

use std::collections::BTreeMap;

use api_codegen::{generate_files, SpecSource};

const SPEC: &str = r#"
module: things
description: Things.
clients:
  ThingsClient:
    description: The client.
    api-version: 2024-01-01
    auth: [access-key]
operations:
  createThing:
    client: ThingsClient
    description: Creates a thing.
    method: POST
    path: /things/{thingId}
    parameters:
      thingId: { in: path, type: string, description: The id. }
    body: Thing
    responses:
      201: { description: Created., body: Thing }
    error: ThingError
    examples:
      Unknown property:
        request:
          parameters: { thingId: first }
          body: { name: a, colour: red }
        response: { status: 201, body: { name: a } }
      A failure:
        request:
          parameters: { thingId: second }
          body: { name: b }
        response: { status: 400, body: { code: Bad } }
      Sized thing:
        request:
          parameters: { thingId: third }
          body: { name: c, size: 3, shape: round }
        response: { status: 201, body: { name: c } }
  getThing:
    client: ThingsClient
    description: Gets a thing.
    method: GET
    path: /things/{thingId}
    parameters:
      thingId: { in: path, type: string, description: The id. }
    responses:
      200: { description: The thing., body: Thing }
    error: ThingError
    examples:
      From a file:
        file: examples/GetThing.json
  deleteThing:
    client: ThingsClient
    description: Deletes a thing.
    method: DELETE
    path: /things/{thingId}
    parameters:
      thingId: { in: path, type: string, description: The id. }
    responses:
      204: { description: Deleted. }
    error: ThingError
definitions:
  Thing:
    description: A thing.
    properties:
      name: { type: string, required: true, description: The name. }
      size: { type: int32, description: The size. }
      shape: { type: Shape, description: The shape. }
  Shape:
    description: A shape.
    enum:
      round: Round.
      square: Square.
  ThingError:
    description: An error.
    properties:
      code: { type: string, required: true, description: The code. }
"#;

const FILE: &str = r#"{
  "parameters": { "endpoint": "https://contoso.example/", "api-version": "2024-01-01", "thingId": "from-the-file" },
  "responses": { "200": { "body": { "name": "f" } } }
}"#;

fn generate(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    let specs = [SpecSource { name: "specs/things.yaml".into(), text: SPEC.into() }];
    let generated = generate_files(&specs).unwrap_or_else(|errors| {
        panic!("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    });
    assert_eq!(generated.example_files(), vec!["examples/GetThing.json".to_owned()]);
    let generated = files
        .iter()
        .fold(generated, |g, (path, text)| g.with_example_file(path.to_string(), text.to_string()));
    generated.collect()
}

/// The doc comment lines of method `name` of the generated module.
fn method_doc(files: &BTreeMap<String, String>, name: &str) -> String {
    let module = &files["src/things.rs"];
    let end = module.find(&format!("fn {name}(")).unwrap_or_else(|| panic!("no method {name}"));
    let start = module[..end].rfind("    /// ").map(|last| {
        module[..last].rfind("\n\n").or_else(|| module[..last].rfind('}')).unwrap_or(0)
    });
    module[start.unwrap_or(0)..end]
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("///"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_first_success_example_the_types_can_express_is_used() {
    let files = generate(&[]);
    let doc = method_doc(&files, "create_thing");
    // The first example has a property the model lacks and the second is a failure.
    assert!(doc.contains("From the documented example \"Sized thing\":"), "{doc}");
    assert!(
        doc.contains("use azure_communication::things::{Shape, Thing, ThingsClient};"),
        "{doc}"
    );
    assert!(
        doc.contains(r#"let thing = Thing::new("c").with_size(3).with_shape(Shape::Round);"#),
        "{doc}"
    );
    assert!(doc.contains(r#"client.create_thing("third", &thing, None).await?"#), "{doc}");
    assert!(doc.contains("```no_run"), "{doc}");
    assert!(!doc.contains("serde_json"), "{doc}");
}

#[test]
fn an_example_file_handed_to_the_generator_is_used() {
    let files = generate(&[("examples/GetThing.json", FILE)]);
    let doc = method_doc(&files, "get_thing");
    assert!(doc.contains("From the documented example \"From a file\":"), "{doc}");
    assert!(doc.contains(r#"client.get_thing("from-the-file", None).await?"#), "{doc}");
    assert!(doc.contains("let body = response.into_model()?;"), "{doc}");
}

#[test]
fn without_a_usable_example_the_required_parameters_get_placeholders() {
    // The example file is named but not given (as when it cannot be read).
    let files = generate(&[]);
    let doc = method_doc(&files, "get_thing");
    assert!(doc.contains("With placeholders (`<…>`) for the values to fill in:"), "{doc}");
    assert!(doc.contains(r#"client.get_thing("<thing_id>", None).await?"#), "{doc}");
    let doc = method_doc(&files, "delete_thing");
    assert!(doc.contains(r#"client.delete_thing("<thing_id>", None).await?"#), "{doc}");
    assert!(doc.contains(r#"println!("status: {}", response.status());"#), "{doc}");
}

#[test]
fn a_file_without_a_success_response_is_not_a_request_to_document() {
    let failure = r#"{ "parameters": { "thingId": "x" }, "responses": { "404": {} } }"#;
    let files = generate(&[("examples/GetThing.json", failure)]);
    assert!(method_doc(&files, "get_thing").contains("With placeholders"));
    let files = generate(&[("examples/GetThing.json", "not json")]);
    assert!(method_doc(&files, "get_thing").contains("With placeholders"));
}

#[test]
fn runnable_examples_read_variables_through_the_runtime_helper_and_print_display() {
    let files = generate(&[]);
    let example = &files["examples/things_create_thing.rs"];
    assert!(
        example.contains(
            r#"azure_communication_runtime::env::required_var(
        "COMMUNICATION_CONNECTION_STRING",
    )?"#
        ),
        "{example}"
    );
    assert!(!example.contains("std::env::var(\"COMMUNICATION"), "{example}");
    assert!(example.contains(r#"eprintln!("error: {error}");"#), "{example}");
    assert!(example.contains(r#"eprintln!("caused by: {cause}");"#), "{example}");
    assert!(!example.contains("{error:?}") && !example.contains("{cause:?}"), "{example}");
    assert!(!example.contains("serde_json::from_str"), "{example}");
    assert!(example.contains(r#"Thing::new("c").with_size(3).with_shape(Shape::Round)"#));
}

/// The checked-in runnable examples of the real specs follow the same rules.
#[test]
fn checked_in_runnable_examples_use_the_helper() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/examples");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("generated/examples") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("a readable example");
        assert!(text.contains("azure_communication_runtime::env::required_var("), "{path:?}");
        assert!(!text.contains("std::env::var(\"COMMUNICATION"), "{path:?}");
        assert!(!text.contains("serde_json::from_str"), "{path:?}");
        assert!(text.contains(r#"eprintln!("caused by: {cause}");"#), "{path:?}");
        count += 1;
    }
    assert!(count >= 4, "only {count} runnable examples");
}

/// A body type whose argument name is a variable of the example, and a type named like a
/// prelude item: the example still compiles (renamed variable, type by full path).
#[test]
fn names_that_would_clash_in_the_example_are_avoided() {
    let spec = r#"
module: clash
description: Clashing names.
clients:
  ClashClient:
    description: The client.
    api-version: 2024-01-01
    auth: [access-key]
operations:
  sendClient:
    client: ClashClient
    description: Sends.
    method: POST
    path: /send
    body: Client
    responses:
      200: { description: Sent., body: Result }
    error: Result
definitions:
  Client:
    description: A body named like the client variable.
    properties:
      name: { type: string, required: true, description: The name. }
      outcome: { type: Result, description: A type named like the prelude's. }
  Result:
    description: A result.
    properties:
      code: { type: string, required: true, description: The code. }
"#;
    let specs = [SpecSource { name: "specs/clash.yaml".into(), text: spec.into() }];
    let files: BTreeMap<String, String> = generate_files(&specs)
        .unwrap_or_else(|errors| {
            panic!("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        })
        .collect();
    let module = &files["src/clash.rs"];
    assert!(module.contains("use azure_communication::clash::{ClashClient, Client};"), "{module}");
    assert!(
        module.contains(r#"let request_body = Client::new("<name>");"#),
        "the body variable is renamed: {module}"
    );
    assert!(module.contains("client.send_client(&request_body, None).await?"), "{module}");
}
