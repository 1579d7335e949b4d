//! The OpenAPI → spec mapping of `cargo xtask import`, on small documents held in memory.

use std::collections::BTreeMap;

use api_codegen::SpecSource;
use xtask::import::{import, Request};

const SERVICE: &str = "corpus/widgets/2024-01-01/widgets.json";
const COMMON: &str = "corpus/shared/1.0/errors.json";

fn widgets() -> serde_json::Value {
    serde_json::json!({
      "swagger": "2.0",
      "info": { "title": "Azure Communication Widget Service", "version": "2024-01-01", "description": "Widgets: make them, list them." },
      "securityDefinitions": { "Authorization": { "type": "apiKey", "name": "Authorization", "in": "header", "description": "HMAC-SHA256." } },
      "security": [{ "Authorization": [] }],
      "paths": {
        "/widgets": {
          "post": {
            "operationId": "Widgets_Create",
            "summary": "Creates a widget.",
            "consumes": ["application/json"],
            "parameters": [
              { "$ref": "#/parameters/ApiVersion" },
              { "in": "header", "name": "Repeatability-Request-ID", "type": "string", "format": "uuid" },
              { "in": "header", "name": "Repeatability-First-Sent", "type": "string", "format": "date-time-rfc1123" },
              { "in": "body", "name": "widget", "required": true, "schema": { "$ref": "#/definitions/Widget" } }
            ],
            "responses": {
              "201": { "description": "Created.", "schema": { "$ref": "#/definitions/Widget" } },
              "default": { "description": "Error", "schema": { "$ref": "../../shared/1.0/errors.json#/definitions/ErrorResponse" } }
            }
          },
          "get": {
            "operationId": "Widgets_List",
            "summary": "Lists widgets.",
            "parameters": [
              { "$ref": "#/parameters/ApiVersion" },
              { "in": "query", "name": "maxPageSize", "type": "integer", "format": "int32", "minimum": 1 }
            ],
            "responses": {
              "200": { "description": "Listed.", "schema": { "$ref": "#/definitions/WidgetCollection" } },
              "default": { "description": "Error", "schema": { "$ref": "../../shared/1.0/errors.json#/definitions/ErrorResponse" } }
            },
            "x-ms-pageable": { "nextLinkName": "nextLink", "itemName": "value" }
          }
        },
        "/widgets/{widgetId}": {
          "patch": {
            "operationId": "Widgets_Update",
            "summary": "Updates a widget.",
            "consumes": ["application/merge-patch+json"],
            "parameters": [
              { "in": "path", "name": "widgetId", "required": true, "type": "string", "description": "The widget." },
              { "in": "formData", "name": "file", "type": "file" },
              { "in": "body", "name": "patch", "required": true, "schema": { "$ref": "#/definitions/WidgetPatch" } }
            ],
            "responses": {
              "200": { "description": "Updated.", "schema": { "$ref": "#/definitions/Widget" } },
              "default": { "description": "Error", "schema": { "$ref": "../../shared/1.0/errors.json#/definitions/ErrorResponse" } }
            }
          }
        },
        "/widgets:paint": {
          "post": {
            "operationId": "Widgets_Paint",
            "summary": "Paints all widgets: takes a while.",
            "parameters": [{ "in": "body", "name": "body", "schema": { "$ref": "#/definitions/Paint" } }],
            "responses": {
              "202": { "description": "Accepted.", "headers": { "Operation-Location": { "type": "string" } } },
              "default": { "description": "Error", "schema": { "$ref": "../../shared/1.0/errors.json#/definitions/ErrorResponse" } }
            },
            "x-ms-long-running-operation": true
          }
        }
      },
      "definitions": {
        "Thing": {
          "type": "object",
          "description": "Anything with an id.",
          "required": ["id"],
          "properties": { "id": { "type": "string", "description": "The id, # not a comment: really." } }
        },
        "Widget": {
          "description": "A widget.",
          "allOf": [{ "$ref": "#/definitions/Thing" }],
          "required": ["color"],
          "properties": {
            "color": { "$ref": "#/definitions/Color" },
            "finish": { "type": "string", "enum": ["matt", "gloss"], "x-ms-enum": { "name": "Finish", "modelAsString": false } },
            "locator": { "$ref": "#/definitions/Locator" },
            "tags": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Tags, by name." },
            "shape": { "$ref": "#/definitions/Shape" },
            "weight": { "type": "number", "format": "double", "readOnly": true, "description": "Weight, {kg}." }
          }
        },
        "WidgetPatch": {
          "type": "object",
          "properties": { "color": { "$ref": "#/definitions/Color" } }
        },
        "WidgetCollection": {
          "type": "object",
          "required": ["value"],
          "properties": {
            "value": { "type": "array", "items": { "$ref": "#/definitions/Widget" } },
            "nextLink": { "type": "string" }
          }
        },
        "Color": {
          "type": "string",
          "description": "A colour.",
          "enum": ["red", "green"],
          "x-ms-enum": { "name": "Color", "modelAsString": true, "values": [{ "value": "red", "description": "Like a rose." }] }
        },
        "Locator": {
          "type": "object",
          "description": "Where a widget is.",
          "properties": {
            "kind": { "$ref": "#/definitions/LocatorKind" },
            "shelfId": { "type": "string", "description": "The shelf." },
            "binId": { "type": "string", "description": "The bin." }
          }
        },
        "LocatorKind": { "type": "string", "enum": ["shelfLocator", "binLocator"], "x-ms-enum": { "name": "LocatorKind", "modelAsString": true } },
        "Shape": {
          "type": "object",
          "description": "A polymorphic shape.",
          "discriminator": "shapeType",
          "required": ["shapeType"],
          "properties": { "shapeType": { "type": "string" } }
        },
        "Paint": { "type": "object", "properties": { "color": { "$ref": "#/definitions/Color" } } }
      },
      "parameters": {
        "ApiVersion": { "in": "query", "name": "api-version", "required": true, "type": "string" }
      }
    })
}

fn errors() -> serde_json::Value {
    serde_json::json!({
      "swagger": "2.0",
      "info": { "title": "Errors", "version": "1.0" },
      "paths": {},
      "definitions": {
        "ErrorResponse": { "type": "object", "properties": { "error": { "$ref": "#/definitions/ErrorDetail" } } },
        "ErrorDetail": { "type": "object", "properties": { "code": { "type": "string" }, "message": { "type": "string" } } }
      }
    })
}

fn files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(SERVICE.to_owned(), widgets().to_string());
    files.insert(COMMON.to_owned(), errors().to_string());
    files
}

fn run(files: &BTreeMap<String, String>, specs: &[SpecSource]) -> xtask::import::Imported {
    let request = Request { source: SERVICE, operations: None, module: None, specs };
    import(files, &request).unwrap_or_else(|e| panic!("{e}"))
}

/// The item `key` (at two spaces) with the comments above it, up to the blank line that ends it.
fn item<'a>(text: &'a str, key: &str) -> &'a str {
    let mut start =
        text.find(&format!("\n  {key}:\n")).unwrap_or_else(|| panic!("no {key} in\n{text}")) + 1;
    // With the comments above it.
    while let Some(line_start) = text[..start - 1].rfind('\n').map(|i| i + 1) {
        if !text[line_start..].starts_with("  #") {
            break;
        }
        start = line_start;
    }
    let rest = &text[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn operations_map_to_spec_operations() {
    let out = run(&files(), &[]);
    let t = &out.text;
    assert_eq!(out.module, "widgets");
    assert!(t.contains("  WidgetsClient:\n    description: The client for the Azure Communication Widget Service.\n    api-version: \"2024-01-01\"\n    auth: [access-key, entra-id]\n"), "{t}");
    let create = item(t, "createWidget");
    assert!(create.contains("    repeatability: standard\n"), "{create}");
    assert!(
        create.contains("    body: { type: Widget, description: The request body. }\n"),
        "{create}"
    );
    assert!(create.contains("      201: { description: Created., body: Widget }\n"), "{create}");
    assert!(!create.contains("Repeatability-Request-ID:"), "{create}");
    let list = item(t, "listWidgets");
    assert!(list.contains("    paging: { items: value, next-link: nextLink }\n"), "{list}");
    assert!(list.contains("# import: minimum 1") || list.contains("maxPageSize"), "{list}");
    let update = item(t, "updateWidget");
    assert!(update.contains("      content-type: application/merge-patch+json\n"), "{update}");
    assert!(update.contains("      parameter: patch\n"), "{update}");
    assert!(
        update.contains("# TODO(import): the formData parameter 'file' cannot be expressed"),
        "{update}"
    );
    let paint = item(t, "paint");
    assert!(paint.contains("# TODO(import): long-running operation"), "{paint}");
    assert!(paint.contains("# TODO(import): the OpenAPI marks this body optional"), "{paint}");
    assert!(paint.contains("Operation-Location: { type: string"), "{paint}");
    // The sibling file's error types are imported, as definitions of this spec.
    assert!(t.contains("    error: ErrorResponse\n"), "{t}");
    assert!(t.contains("\n  ErrorDetail:\n"), "{t}");
}

#[test]
fn definitions_map_to_objects_enums_and_unions() {
    let t = run(&files(), &[]).text;
    let widget = item(&t, "Widget");
    assert!(widget.contains("    extends: Thing\n"), "{widget}");
    assert!(
        widget.contains("      color: { type: Color, required: true, description: A colour. }\n"),
        "{widget}"
    );
    assert!(widget.contains("      finish: { type: Finish,"), "{widget}");
    assert!(widget.contains("        type: map<string, string>\n"), "{widget}");
    assert!(widget.contains("# import: read-only"), "{widget}");
    assert!(widget.contains("description: \"Weight, {kg}.\""), "{widget}");
    let color = item(&t, "Color");
    assert!(!color.contains("closed"), "modelAsString: true is extensible: {color}");
    assert!(color.contains("      red: Like a rose.\n"), "{color}");
    let finish = item(&t, "Finish");
    assert!(finish.contains("    closed: true\n"), "modelAsString: false is closed: {finish}");
    let locator = item(&t, "Locator");
    assert!(locator.contains("      discriminator: kind\n"), "{locator}");
    assert!(
        locator.contains(
            "        shelfLocator: { property: shelfId, type: string, description: The shelf. }\n"
        ),
        "{locator}"
    );
    assert!(!t.contains("\n  LocatorKind:"), "the union's kind enum is the generated one: {t}");
    let shape = item(&t, "Shape");
    assert!(shape.contains("# TODO(import): discriminator 'shapeType'"), "{shape}");
    let thing = item(&t, "Thing");
    assert!(thing.contains("description: \"The id, # not a comment: really.\""), "{thing}");
}

#[test]
fn the_import_parses_and_passes_codegen() {
    let out = run(&files(), &[]);
    api_codegen::spec::load("specs/widgets.yaml", &out.text)
        .unwrap_or_else(|e| panic!("{e:?}\n{}", out.text));
    let sources = [SpecSource { name: "specs/widgets.yaml".into(), text: out.text.clone() }];
    if let Err(errors) = api_codegen::generate(&sources) {
        panic!("{errors:?}\n{}", out.text);
    }
    assert_eq!(out.todos.len(), 4, "{:?}", out.todos);
}

#[test]
fn definitions_another_spec_has_are_referenced_not_repeated() {
    let common = SpecSource {
        name: "specs/errors.yaml".into(),
        text: "module: errors\ndescription: Errors.\ndefinitions:\n  ErrorResponse:\n    description: An error.\n    properties:\n      code: { type: string, description: The code. }\n".into(),
    };
    let out = run(&files(), std::slice::from_ref(&common));
    assert!(out.text.contains("imports: [errors]\n"), "{}", out.text);
    assert!(
        out.text.contains("# Defined in specs/errors.yaml, not repeated here: ErrorResponse."),
        "{}",
        out.text
    );
    assert!(!out.text.contains("\n  ErrorResponse:\n"), "{}", out.text);
    assert!(
        !out.text.contains("\n  ErrorDetail:\n"),
        "reached only through ErrorResponse: {}",
        out.text
    );
}

#[test]
fn only_the_named_operations_and_what_they_reach() {
    let specs: Vec<SpecSource> = Vec::new();
    let request = Request {
        source: SERVICE,
        operations: Some(vec!["Widgets_List".into()]),
        module: Some("shop".into()),
        specs: &specs,
    };
    let out = import(&files(), &request).unwrap();
    assert_eq!(out.module, "shop");
    assert!(
        out.text.contains("  listWidgets:") && !out.text.contains("  createWidget:"),
        "{}",
        out.text
    );
    assert!(!out.text.contains("\n  Paint:\n"), "{}", out.text);
    let bad = Request { operations: Some(vec!["Nope_Nope".into()]), ..request };
    let error = import(&files(), &bad).unwrap_err();
    assert!(
        error.contains("no operation 'Nope_Nope'") && error.contains("Widgets_List"),
        "{error}"
    );
}

#[test]
fn a_missing_or_broken_document_is_a_one_line_error() {
    let specs: Vec<SpecSource> = Vec::new();
    let mut files = files();
    let request =
        Request { source: "corpus/none.json", operations: None, module: None, specs: &specs };
    assert_eq!(import(&files, &request).unwrap_err(), "corpus/none.json: no such file");
    files.insert("corpus/x/1/broken.json".into(), "{ \"swagger\": ".into());
    let request = Request { source: "corpus/x/1/broken.json", ..request };
    let error = import(&files, &request).unwrap_err();
    assert!(
        error.starts_with("corpus/x/1/broken.json: not a JSON document") && !error.contains('\n'),
        "{error}"
    );
    files.insert("corpus/x/1/v3.json".into(), "{ \"openapi\": \"3.0.1\" }".into());
    let request = Request { source: "corpus/x/1/v3.json", ..request };
    assert!(import(&files, &request).unwrap_err().contains("only Swagger 2.0"));
    let mut dangling = widgets();
    dangling["definitions"]["Widget"]["properties"]["color"] =
        serde_json::json!({ "$ref": "../nowhere.json#/definitions/X" });
    files.insert(SERVICE.into(), dangling.to_string());
    let request = Request { source: SERVICE, ..request };
    let error = import(&files, &request).unwrap_err();
    assert!(error.contains("'../nowhere.json' does not exist"), "{error}");
}
