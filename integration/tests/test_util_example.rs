//! How an application tests its own code with the `test-util` feature: `schedule_meeting` is
//! application code (it creates a room for a list of attendees, then lists who is in it); the
//! tests script the service's answers per operation with a `ScriptedTransport`, run the
//! function through the real client pipeline, and assert on what it sent.

#![cfg(feature = "rooms")]

use std::collections::BTreeMap;

use azure_communication::rooms::{
    CreateRoomRequest, ParticipantProperties, Role, RoomsClient, RoomsClientOptions,
};
use azure_communication::test_util::{NotScripted, ScriptedResponse, ScriptedTransport};
use azure_communication::{AccessKeyCredential, ServiceError};
use azure_core::http::{ClientOptions, FixedRetryOptions, Method, RetryOptions};
use futures::TryStreamExt as _;
use serde_json::{json, Value};

// ---- the application code under test ----

/// A meeting room and who is in it.
#[derive(Debug, PartialEq)]
struct Meeting {
    room_id: String,
    participants: Vec<String>,
}

/// Creates a room where `organizer` presents and `attendees` attend, then lists its
/// participants as the service reports them.
async fn schedule_meeting(
    client: &RoomsClient,
    organizer: &str,
    attendees: &[&str],
) -> azure_core::Result<Meeting> {
    let mut participants = BTreeMap::new();
    participants
        .insert(organizer.to_owned(), ParticipantProperties::new().with_role(Role::Presenter));
    for attendee in attendees {
        participants.insert((*attendee).to_owned(), ParticipantProperties::new());
    }
    let request = CreateRoomRequest::new().with_participants(participants);
    let room = client.create_room(&request, None).await?.into_model()?;
    let participants = client
        .list_participants(&room.id, None)?
        .map_ok(|participant| participant.raw_id)
        .try_collect()
        .await?;
    Ok(Meeting { room_id: room.id, participants })
}

// ---- its tests ----

const ENDPOINT: &str = "https://contoso.communication.azure.com";
/// Any valid base64 key: requests are signed as in production, but never leave the process.
const KEY: &str = "c2NyaXB0ZWQtdHJhbnNwb3J0LWV4YW1wbGUta2V5";

fn client(transport: &ScriptedTransport, client_options: ClientOptions) -> RoomsClient {
    let options = RoomsClientOptions {
        client_options: transport.install(client_options),
        ..Default::default()
    };
    RoomsClient::new(ENDPOINT, AccessKeyCredential::new(KEY).unwrap(), Some(options)).unwrap()
}

fn room(id: &str) -> Value {
    json!({
        "id": id,
        "createdAt": "2024-05-01T09:00:00Z",
        "validFrom": "2024-05-01T09:00:00Z",
        "validUntil": "2024-06-01T09:00:00Z"
    })
}

fn participant(raw_id: &str, role: &str) -> Value {
    json!({ "rawId": raw_id, "role": role })
}

#[tokio::test]
async fn schedule_meeting_creates_the_room_and_reads_every_page_of_participants() {
    let transport = ScriptedTransport::new();
    let next =
        format!("{ENDPOINT}/rooms/room-7/participants?api-version=2023-10-30-preview&skip=1");
    transport
        .respond("createRoom", ScriptedResponse::json(201, &room("room-7")))
        .respond(
            "listParticipants",
            ScriptedResponse::json(
                200,
                &json!({ "value": [participant("8:acs:ann", "Presenter")], "nextLink": next }),
            ),
        )
        .respond(
            "listParticipants",
            ScriptedResponse::json(
                200,
                &json!({ "value": [participant("8:acs:bob", "Attendee")] }),
            ),
        );
    let client = client(&transport, ClientOptions::default());

    let meeting = schedule_meeting(&client, "8:acs:ann", &["8:acs:bob"]).await.unwrap();

    assert_eq!(meeting.room_id, "room-7");
    assert_eq!(meeting.participants, ["8:acs:ann", "8:acs:bob"]);
    assert!(transport.unused().is_empty());

    let requests = transport.requests();
    let operations: Vec<_> = requests.iter().map(|r| r.operation().unwrap()).collect();
    assert_eq!(operations, ["createRoom", "listParticipants", "listParticipants"]);

    let create = &requests[0];
    assert_eq!(create.method, Method::Post);
    assert_eq!(create.url.path(), "/rooms");
    assert_eq!(create.url.query(), Some("api-version=2023-10-30-preview"));
    // Signed by the real pipeline; the signature itself is not kept.
    assert_eq!(create.header("authorization"), Some("HMAC-SHA256 REDACTED"));
    assert!(create.header("repeatability-request-id").is_some());
    let body: Value = create.json().unwrap();
    assert_eq!(
        body,
        json!({ "participants": {
            "8:acs:ann": { "role": "Presenter" },
            "8:acs:bob": { "role": "Attendee" }
        } })
    );

    assert_eq!(requests[1].url.path(), "/rooms/room-7/participants");
    assert_eq!(requests[2].url.as_str(), next);
}

#[tokio::test]
async fn a_service_error_reaches_the_application_as_a_service_error() {
    let transport = ScriptedTransport::new();
    transport.respond("createRoom", ScriptedResponse::error(400, "BadRequest", "Invalid dates."));
    let client = client(&transport, ClientOptions::default());

    let error = schedule_meeting(&client, "8:acs:ann", &[]).await.unwrap_err();

    let service = ServiceError::from_error(&error).expect("a service error");
    assert_eq!(service.code(), Some("BadRequest"));
    assert!(transport.requests_for("listParticipants").is_empty());
}

#[tokio::test]
async fn retries_run_and_take_one_scripted_response_per_try() {
    let transport = ScriptedTransport::new();
    transport
        .respond("createRoom", ScriptedResponse::error(503, "ServiceUnavailable", "Busy."))
        .respond("createRoom", ScriptedResponse::json(201, &room("room-8")))
        .respond("listParticipants", ScriptedResponse::json(200, &json!({ "value": [] })));
    let retry = ClientOptions {
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(1),
            ..Default::default()
        }),
        ..Default::default()
    };
    let client = client(&transport, retry);

    let meeting = schedule_meeting(&client, "8:acs:ann", &[]).await.unwrap();

    assert_eq!(meeting, Meeting { room_id: "room-8".to_owned(), participants: Vec::new() });
    let tries = transport.requests_for("createRoom");
    assert_eq!(tries.len(), 2);
    // The repeatability headers make the retry safe; they are the same on both tries.
    assert_eq!(
        tries[0].header("repeatability-request-id"),
        tries[1].header("repeatability-request-id")
    );
}

#[tokio::test]
async fn an_unscripted_operation_fails_with_an_error_naming_it() {
    let transport = ScriptedTransport::new();
    transport.respond("createRoom", ScriptedResponse::json(201, &room("room-9")));
    let client = client(&transport, ClientOptions::default());

    let error = schedule_meeting(&client, "8:acs:ann", &[]).await.unwrap_err();

    let not_scripted = NotScripted::find(&error).expect("the error says what was not scripted");
    assert_eq!(not_scripted.api_name, Some("RoomsClient.listParticipants"));
    // `unwrap()` on such an error prints the operation to script.
    let debug = format!("{error:?}");
    assert!(
        debug.contains("no scripted response left for operation `listParticipants`"),
        "{debug}"
    );
}

/// A long-running operation is scripted under one name: its first request and every poll of
/// its status monitor are the operation's.
#[cfg(feature = "email")]
#[tokio::test]
async fn a_long_running_operation_takes_its_polls_from_the_same_script() {
    use azure_communication::email::{EmailClient, EmailClientOptions, EmailMessage};

    let transport = ScriptedTransport::new();
    let monitor = format!("{ENDPOINT}/emails/operations/op-1?api-version=2023-03-31");
    transport
        .respond(
            "send",
            ScriptedResponse::json(202, &json!({ "id": "op-1", "status": "Running" }))
                .with_header("operation-location", monitor.clone())
                .with_header("retry-after", "0"),
        )
        .respond(
            "send",
            ScriptedResponse::json(200, &json!({ "id": "op-1", "status": "Succeeded" })),
        );
    let options =
        EmailClientOptions { client_options: transport.client_options(), ..Default::default() };
    let client =
        EmailClient::new(ENDPOINT, AccessKeyCredential::new(KEY).unwrap(), Some(options)).unwrap();
    let message: EmailMessage = serde_json::from_value(json!({
        "senderAddress": "sender@contoso.example",
        "content": { "subject": "Hello", "plainText": "Hi" },
        "recipients": { "to": [{ "address": "to@contoso.example" }] }
    }))
    .unwrap();

    let result = client.begin_send(&message, None).unwrap().await.unwrap();

    assert_eq!(result.into_model().unwrap().id, "op-1");
    let requests = transport.requests_for("EmailClient.send");
    assert_eq!(requests.iter().map(|r| r.method).collect::<Vec<_>>(), [Method::Post, Method::Get]);
    assert_eq!(requests[1].url.as_str(), monitor);
}
