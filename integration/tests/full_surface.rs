//! The capabilities the full API surfaces need, on the real generated clients against a
//! loopback server: paging through next links, merge-patch updates and call automation
//! callback events.

#![cfg(all(feature = "chat", feature = "rooms", feature = "callautomation"))]

use azure_communication_test_support as support;

use azure_communication::callautomation::CallAutomationEvent;
use azure_communication::chat::{
    ChatClient, ChatClientOptions, ChatMessage, ListChatMessagesOptions,
};
use azure_communication::rooms::{
    ParticipantProperties, Role, RoomsClient, UpdateParticipantsRequest, UpdateRoomRequest,
};
use azure_communication_runtime::events::parse_cloud_events;
use azure_communication_runtime::nullable::Nullable;
use futures::TryStreamExt as _;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const THREAD: &str = "19:uni01_zbnh3nt2dfuffezc3sox7dog7wfhk6y5qe2rwlnfhlhdzirihdpq@thread.v2";

fn message(id: &str) -> Value {
    json!({
        "id": id,
        "type": "text",
        "sequenceId": id,
        "version": id,
        "createdOn": "2020-06-26T18:06:06Z",
        "content": { "message": format!("message {id}") }
    })
}

/// Three pages: the second next link carries an unencoded `@` and `:` exactly as the chat
/// service writes them, and the last page is empty.
#[tokio::test]
async fn listing_chat_messages_follows_next_links_across_three_pages() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let encoded_thread =
        "19%3Auni01_zbnh3nt2dfuffezc3sox7dog7wfhk6y5qe2rwlnfhlhdzirihdpq%40thread.v2";
    let page = |ids: &[&str], next: Option<String>| {
        let value: Vec<Value> = ids.iter().map(|id| message(id)).collect();
        ResponseTemplate::new(200).set_body_json(json!({ "value": value, "nextLink": next }))
    };
    Mock::given(method("GET"))
        .and(path(format!("/chat/threads/{encoded_thread}/messages")))
        .and(query_param("maxPageSize", "2"))
        .and(query_param("api-version", "2024-03-07"))
        .respond_with(page(
            &["1", "2"],
            Some(format!(
                "{uri}/chat/threads/{THREAD}/messages?syncState=a%2Bb&maxPageSize=2&api-version=2024-03-07"
            )),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/chat/threads/{THREAD}/messages")))
        .and(query_param("syncState", "a+b"))
        .respond_with(page(
            &["3"],
            Some(format!(
                "{uri}/chat/threads/{THREAD}/messages?syncState=end&api-version=2024-03-07"
            )),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/chat/threads/{THREAD}/messages")))
        .and(query_param("syncState", "end"))
        .respond_with(page(&[], None))
        .expect(1)
        .mount(&server)
        .await;
    let options = ChatClientOptions {
        client_options: support::wire::plain_http(Default::default()),
        ..Default::default()
    };
    let chat = ChatClient::new(&uri, support::wire::user_token(), Some(options)).unwrap();
    let options = ListChatMessagesOptions { max_page_size: Some(2), ..Default::default() };

    let messages: Vec<ChatMessage> = chat
        .chat_thread_client(THREAD)
        .list_chat_messages(Some(options))
        .unwrap()
        .try_collect()
        .await
        .expect("every page arrives");

    let ids: Vec<&str> = messages.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    for request in server.received_requests().await.unwrap() {
        assert_eq!(
            request.headers.get("authorization").and_then(|v| v.to_str().ok()),
            Some(support::wire::USER_TOKEN_HEADER),
            "every page is authorized"
        );
    }
}

#[tokio::test]
async fn a_failing_page_ends_the_listing_with_the_service_error() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path("/rooms"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{ "id": "1", "createdAt": "2023-06-26T05:46:17Z", "validFrom": "2023-06-26T05:46:17Z", "validUntil": "2023-07-26T05:46:17Z" }],
            "nextLink": format!("{uri}/rooms/next?api-version=2023-10-30-preview")
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/rooms/next"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "error": { "code": "Forbidden", "message": "User is not allowed to perform specified action." }
        })))
        .mount(&server)
        .await;
    let options = azure_communication::rooms::RoomsClientOptions {
        client_options: support::wire::no_retries(),
        ..Default::default()
    };
    let rooms = RoomsClient::new(&uri, support::wire::access_key(), Some(options)).unwrap();
    let mut pager = rooms.list_rooms(None).unwrap();
    let first = pager.try_next().await.expect("the first page is fine");
    assert_eq!(first.map(|room| room.id), Some("1".to_owned()));
    let error = pager.try_next().await.expect_err("the second page is refused");
    let service = azure_communication_runtime::error::ServiceError::from_error(&error)
        .expect("the error carries the service's answer");
    assert_eq!(service.code(), Some("Forbidden"));
}

/// Set, clear and leave alone, in one merge-patch body each, exactly as sent.
#[tokio::test]
async fn merge_patch_updates_send_exactly_the_fields_they_change() {
    let server = MockServer::start().await;
    let room_id = "99117812428622880";
    Mock::given(method("PATCH"))
        .and(path(format!("/rooms/{room_id}")))
        .and(header("content-type", "application/merge-patch+json"))
        .and(body_json(json!({ "validUntil": "2023-07-30T00:00:00Z", "pstnDialOutEnabled": null })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": room_id,
            "createdAt": "2023-06-26T05:46:17Z",
            "validFrom": "2023-06-30T00:00:00Z",
            "validUntil": "2023-07-30T00:00:00Z"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("/rooms/{room_id}/participants")))
        .and(header("content-type", "application/merge-patch+json"))
        .and(body_json(json!({ "participants": {
            "8:acs:resource_stays": { "role": "Presenter" },
            "8:acs:resource_leaves": null
        } })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let rooms = RoomsClient::new(&server.uri(), support::wire::access_key(), None).unwrap();

    // validFrom untouched (absent), validUntil set, pstnDialOutEnabled cleared (null).
    let update = UpdateRoomRequest::new()
        .with_valid_until(time::macros::datetime!(2023-07-30 00:00 UTC))
        .with_pstn_dial_out_enabled(Nullable::Null);
    assert!(update.valid_from.is_absent());
    let room = rooms.update_room(room_id, &update, None).await.unwrap().into_model().unwrap();
    assert_eq!(room.id, room_id);

    let participants = UpdateParticipantsRequest::new().with_participants(
        [
            (
                "8:acs:resource_stays".to_owned(),
                Some(ParticipantProperties::new().with_role(Role::Presenter)),
            ),
            ("8:acs:resource_leaves".to_owned(), None),
        ]
        .into(),
    );
    rooms.update_participants(room_id, &participants, None).await.unwrap();
}

#[test]
fn call_automation_callbacks_decode_into_typed_events() {
    let body = json!([{
        "id": "8bc3a8e9-62ea-4ae6-9c81-a1a3b6a5ab01",
        "source": "calling/callConnections/421f3500-f5de-4c12-bf61-9e2641433687",
        "type": "Microsoft.Communication.CallConnected",
        "data": {
            "callConnectionId": "421f3500-f5de-4c12-bf61-9e2641433687",
            "serverCallId": "aHR0cHM6Ly9jb252ZXJzYXRpb251cmwvdGVzdA",
            "correlationId": "f7f7b7d5-2f8d-4d6a-9a30-7ad1a5c5fe5d"
        },
        "time": "2022-05-09T20:26:28.3185262+00:00",
        "specversion": "1.0",
        "datacontenttype": "application/json",
        "subject": "calling/callConnections/421f3500-f5de-4c12-bf61-9e2641433687"
    }, {
        "id": "2",
        "source": "calling/callConnections/x",
        "type": "Microsoft.Communication.SomethingNew",
        "data": { "anything": [1, 2] },
        "specversion": "1.0"
    }]);
    let events = parse_cloud_events::<CallAutomationEvent>(body.to_string().as_bytes()).unwrap();
    match &events[0].data {
        CallAutomationEvent::CallConnected(connected) => assert_eq!(
            connected.call_connection_id.as_deref(),
            Some("421f3500-f5de-4c12-bf61-9e2641433687")
        ),
        other => panic!("expected CallConnected, got {other:?}"),
    }
    assert!(
        matches!(&events[1].data, CallAutomationEvent::Other { event_type, .. } if event_type == "Microsoft.Communication.SomethingNew")
    );
    assert_eq!(serde_json::to_value(&events[1].data).unwrap(), json!({ "anything": [1, 2] }));
}
