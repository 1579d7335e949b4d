//! Round-trips the upstream OpenAPI examples (`shared/conformance/azure-rest-api-specs/`, verbatim
//! copies of the azure-rest-api-specs files, see `shared/conformance/SOURCES.md`) of our four
//! operations through the generated models.
//!
//! For each example file: the request body (`parameters.<name of the operation's body
//! parameter>`, the name read from the OpenAPI file that lists the example) must deserialize into
//! our request type and serialize back to the same JSON value; so must every response body
//! (`responses.<status>.body`), into the success type for a 2xx status and into
//! `common::CommunicationErrorResponse` for an error status. Timestamps are compared as instants
//! (`support::assert_same_json`); nothing else is relaxed.

// With some operation features off, the helpers only their tests use go unused.
#![cfg_attr(
    not(all(feature = "chat", feature = "rooms", feature = "callautomation")),
    allow(dead_code, unused_variables, unreachable_code)
)]

use azure_communication_test_support as support;

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The copied azure-rest-api-specs files: `shared/` sits next to the workspace.
const SPECS_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance/azure-rest-api-specs");

/// Reads a corpus file as JSON; a missing file fails loudly, naming the path.
fn read_json(relative: &str) -> Value {
    let path = Path::new(SPECS_DIR).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (the conformance corpus lives in shared/conformance/, next to \
             the workspace; see shared/conformance/SOURCES.md)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Asserts that a corpus file exists and is JSON.
fn assert_present(relative: &str) {
    let path = Path::new(SPECS_DIR).join(relative);
    assert!(path.is_file(), "missing conformance file {}", path.display());
    let _ = read_json(relative);
}

/// The operation of an OpenAPI file whose `x-ms-examples` reference an example file.
struct SpecOperation {
    /// `post`, ...
    verb: String,
    /// The path template, e.g. `/chat/threads/{chatThreadId}/readReceipts`.
    path: String,
    /// The name of the `in: body` parameter: the key of the request body in the example.
    body_parameter: String,
    /// The response statuses the operation declares (`default` included).
    statuses: Vec<String>,
}

fn spec_operation(swagger: &str, example: &str) -> SpecOperation {
    let spec = read_json(swagger);
    let reference = format!("./examples/{example}");
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (verb, operation) in item.as_object().expect("a path item") {
            let lists_example = operation
                .get("x-ms-examples")
                .and_then(Value::as_object)
                .is_some_and(|examples| examples.values().any(|e| e["$ref"] == reference.as_str()));
            if !lists_example {
                continue;
            }
            let body_parameter = operation["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .find(|p| p["in"] == "body")
                .and_then(|p| p["name"].as_str())
                .unwrap_or_else(|| panic!("{swagger}: {verb} {path} has no body parameter"))
                .to_owned();
            let statuses =
                operation["responses"].as_object().expect("responses").keys().cloned().collect();
            found.push(SpecOperation {
                verb: verb.clone(),
                path: path.clone(),
                body_parameter,
                statuses,
            });
        }
    }
    assert_eq!(found.len(), 1, "{swagger}: operations listing {example}");
    found.pop().expect("one operation")
}

/// Deserializes `input` into `T`, serializes it back and compares with `expected`.
fn round_trip<T: DeserializeOwned + Serialize>(input: &Value, expected: &Value, what: &str) {
    let typed: T = serde_json::from_value(input.clone()).unwrap_or_else(|e| {
        panic!("{what} does not deserialize into {}: {e}\n{input}", std::any::type_name::<T>())
    });
    let written = serde_json::to_value(&typed).expect("the model serializes");
    support::assert_same_json(expected, &written, what);
}

/// What an example file is checked against.
struct Example {
    /// Under `SPECS_DIR`, e.g. `chat/2024-03-07/examples/Threads_CreateChatThread.json`.
    file: &'static str,
    /// The OpenAPI file next to the `examples/` folder.
    swagger: &'static str,
    /// The operation our client implements for it: (verb, path template).
    operation: (&'static str, &'static str),
    /// Whether the success response has a body.
    success_has_body: bool,
}

/// Round-trips the request and every response of `example`; `fix_expected_request` adjusts the
/// expected request JSON where the example uses a name the model only reads (see its callers).
/// Returns the number of bodies checked.
fn check_example<Req, Res>(example: &Example, fix_expected_request: impl Fn(&mut Value)) -> usize
where
    Req: DeserializeOwned + Serialize,
    Res: DeserializeOwned + Serialize,
{
    let file = example.file;
    let name = Path::new(file).file_name().and_then(|n| n.to_str()).expect("a file name");
    let spec = spec_operation(example.swagger, name);
    assert_eq!(
        (spec.verb.as_str(), spec.path.as_str()),
        example.operation,
        "{file}: the operation that lists it"
    );
    let json = read_json(file);
    let mut checked = 0;

    let request = json["parameters"].get(&spec.body_parameter).unwrap_or_else(|| {
        panic!("{file}: no parameters.{} (the body parameter)", spec.body_parameter)
    });
    let mut expected = request.clone();
    fix_expected_request(&mut expected);
    round_trip::<Req>(request, &expected, &format!("{file}#/parameters/{}", spec.body_parameter));
    checked += 1;

    let responses = json["responses"].as_object().expect("responses");
    assert!(!responses.is_empty(), "{file}: no responses");
    for (status, response) in responses {
        assert!(
            spec.statuses.contains(status) || spec.statuses.iter().any(|s| s == "default"),
            "{file}: status {status} is not declared by {} {}",
            spec.verb,
            spec.path
        );
        let what = format!("{file}#/responses/{status}/body");
        let success = status.starts_with('2');
        match response.get("body") {
            Some(body) if success => {
                assert!(example.success_has_body, "{what}: the operation has no response body");
                round_trip::<Res>(body, body, &what);
            }
            Some(body) => {
                round_trip::<azure_communication::common::CommunicationErrorResponse>(
                    body, body, &what,
                );
            }
            None => {
                assert!(
                    success && !example.success_has_body,
                    "{what}: missing, but the operation returns a body for {status}"
                );
                continue;
            }
        }
        checked += 1;
    }
    checked
}

const CREATE_CHAT_THREAD: Example = Example {
    file: "chat/2024-03-07/examples/Threads_CreateChatThread.json",
    swagger: "chat/2024-03-07/communicationserviceschat.json",
    operation: ("post", "/chat/threads"),
    success_has_body: true,
};

const CREATE_CHAT_THREAD_WITH_IDEMPOTENCY_TOKEN: Example = Example {
    file: "chat/2024-03-07/examples/Threads_CreateChatThreadWithIdempotencyToken.json",
    swagger: "chat/2024-03-07/communicationserviceschat.json",
    operation: ("post", "/chat/threads"),
    success_has_body: true,
};

const SEND_CHAT_READ_RECEIPT: Example = Example {
    file: "chat/2024-03-07/examples/Conversations_SendChatReadReceipt.json",
    swagger: "chat/2024-03-07/communicationserviceschat.json",
    operation: ("post", "/chat/threads/{chatThreadId}/readReceipts"),
    success_has_body: false,
};

const ROOMS_CREATE_2023_10_30_PREVIEW: Example = Example {
    file: "rooms/2023-10-30-preview/examples/Rooms_Create.json",
    swagger: "rooms/2023-10-30-preview/communicationservicesrooms.json",
    operation: ("post", "/rooms"),
    success_has_body: true,
};

const ROOMS_CREATE_2024_04_15: Example = Example {
    file: "rooms/2024-04-15/examples/Rooms_Create.json",
    swagger: "rooms/2024-04-15/communicationservicesrooms.json",
    operation: ("post", "/rooms"),
    success_has_body: true,
};

const CREATE_CALL: Example = Example {
    file: "callautomation/2022-04-07-preview/examples/ServerCalling_CreateCall.json",
    swagger: "callautomation/2022-04-07-preview/communicationservicescallautomation.json",
    operation: ("post", "/calling/callConnections"),
    success_has_body: true,
};

/// No adjustment: the example uses the names the model writes.
fn as_is(_: &mut Value) {}

// One presence test per file: a missing `shared/` must fail here, by name, not pass silently.

#[test]
fn chat_threads_create_chat_thread_example_exists() {
    assert_present(CREATE_CHAT_THREAD.file);
    assert_present(CREATE_CHAT_THREAD.swagger);
}

#[test]
fn chat_threads_create_chat_thread_with_idempotency_token_example_exists() {
    assert_present(CREATE_CHAT_THREAD_WITH_IDEMPOTENCY_TOKEN.file);
}

#[test]
fn chat_conversations_send_chat_read_receipt_example_exists() {
    assert_present(SEND_CHAT_READ_RECEIPT.file);
}

#[test]
fn rooms_create_2023_10_30_preview_example_exists() {
    assert_present(ROOMS_CREATE_2023_10_30_PREVIEW.file);
    assert_present(ROOMS_CREATE_2023_10_30_PREVIEW.swagger);
}

#[test]
fn rooms_create_2024_04_15_example_exists() {
    assert_present(ROOMS_CREATE_2024_04_15.file);
    assert_present(ROOMS_CREATE_2024_04_15.swagger);
}

#[test]
fn callautomation_server_calling_create_call_example_exists() {
    assert_present(CREATE_CALL.file);
    assert_present(CREATE_CALL.swagger);
}

#[cfg(feature = "chat")]
mod chat {
    use super::*;
    use azure_communication::chat::{
        CreateChatThreadRequest, CreateChatThreadResult, SendReadReceiptRequest,
    };

    #[test]
    fn threads_create_chat_thread() {
        let checked = check_example::<CreateChatThreadRequest, CreateChatThreadResult>(
            &CREATE_CHAT_THREAD,
            as_is,
        );
        // The request, the 201 and the four error responses.
        assert_eq!(checked, 6);
    }

    #[test]
    fn threads_create_chat_thread_with_idempotency_token() {
        let checked = check_example::<CreateChatThreadRequest, CreateChatThreadResult>(
            &CREATE_CHAT_THREAD_WITH_IDEMPOTENCY_TOKEN,
            as_is,
        );
        assert_eq!(checked, 6);
    }

    #[test]
    fn conversations_send_chat_read_receipt() {
        // The 200 has no body (the operation returns none): the request and the four errors.
        let checked = check_example::<SendReadReceiptRequest, ()>(&SEND_CHAT_READ_RECEIPT, as_is);
        assert_eq!(checked, 5);
    }
}

#[cfg(feature = "rooms")]
mod rooms {
    use super::*;
    use azure_communication::rooms::{CreateRoomRequest, RoomModel};

    #[test]
    fn create_2023_10_30_preview() {
        let checked = check_example::<CreateRoomRequest, RoomModel>(
            &ROOMS_CREATE_2023_10_30_PREVIEW,
            |expected| {
                // This api-version's OpenAPI file and example call the flag `enablePstnDialout`.
                // The model reads that older name as an alias and always writes the current name
                // `pstnDialOutEnabled`, so the example's request is expected back with that one
                // key renamed, value unchanged. The key must be there: if the example stops using
                // the old name, this adjustment has to go.
                let object = expected.as_object_mut().expect("the request is an object");
                let value = object
                    .remove("enablePstnDialout")
                    .expect("the 2023-10-30-preview example names the flag enablePstnDialout");
                assert!(!object.contains_key("pstnDialOutEnabled"));
                object.insert("pstnDialOutEnabled".to_owned(), value);
            },
        );
        assert_eq!(checked, 2);
    }

    #[test]
    fn create_2024_04_15() {
        let checked =
            check_example::<CreateRoomRequest, RoomModel>(&ROOMS_CREATE_2024_04_15, as_is);
        assert_eq!(checked, 2);
    }
}

#[cfg(feature = "callautomation")]
mod callautomation {
    use super::*;
    use azure_communication::callautomation::{CallConnectionProperties, CreateCallRequest};

    #[test]
    fn server_calling_create_call() {
        let checked =
            check_example::<CreateCallRequest, CallConnectionProperties>(&CREATE_CALL, as_is);
        assert_eq!(checked, 2);
    }
}
