//! Compiles the generator's snapshot outputs (`generator/tests/snapshots/`) against the real
//! runtime under `#![deny(warnings)]`, and checks the behaviour each fixture is about.

#![deny(warnings)]
// The fixtures' items are the subject here, not this test's use of them.
#![allow(dead_code)]

/// Generated code reaches the runtime as `crate::runtime`.
mod runtime {
    pub use azure_communication_runtime::*;
}

#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/clients/src/clients.rs"]
pub mod clients;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/enums/src/enums.rs"]
pub mod enums;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/events/src/events.rs"]
pub mod events;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/extends/src/extends.rs"]
pub mod extends;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/objects/src/objects.rs"]
pub mod objects;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/paging/src/paging.rs"]
pub mod paging;
#[rustfmt::skip]
#[path = "../../generator/tests/snapshots/unions/src/unions.rs"]
pub mod unions;

use azure_communication_test_support as support;

/// Default options, with bearer tokens allowed over plain http to the loopback server.
fn plain_http() -> paging::ItemsClientOptions {
    paging::ItemsClientOptions {
        client_options: support::wire::plain_http(Default::default()),
        ..Default::default()
    }
}

use azure_communication_runtime::events::{parse_event_grid, EventData};

#[test]
fn extensible_enums_keep_unknown_values_and_closed_ones_reject_them() {
    let known: enums::CallState = serde_json::from_str(r#""transferAccepted""#).unwrap();
    assert_eq!(known, enums::CallState::TransferAccepted);
    let unknown: enums::CallState = serde_json::from_str(r#""onHold""#).unwrap();
    assert_eq!(unknown, enums::CallState::UnknownValue("onHold".into()));
    assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""onHold""#);
    assert_eq!("connected".parse::<enums::CallState>().unwrap().to_string(), "connected");
    assert_eq!(enums::Channel::Mixed.as_ref(), "mixed");
    let error = serde_json::from_str::<enums::Channel>(r#""stereo""#).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("unknown Channel value 'stereo', expected one of: mixed, unmixed"),
        "{error}"
    );
}

#[test]
fn objects_build_in_one_expression_and_skip_unset_fields() {
    // Required fields are the constructor's arguments, in the order the spec writes them.
    let room = objects::Room::new("1", time::macros::datetime!(2023-06-26 05:46:17 UTC))
        .with_pstn_dial_out_enabled(true)
        .with_type("meeting");
    assert_eq!(
        serde_json::to_value(&room).unwrap(),
        serde_json::json!({ "id": "1", "createdAt": "2023-06-26T05:46:17Z", "pstnDialOutEnabled": true, "type": "meeting" })
    );
    let old_name: objects::Room = serde_json::from_str(
        r#"{"id":"1","createdAt":"2023-06-26T05:46:17Z","enablePstnDialout":false,"unknownField":1}"#,
    )
    .unwrap();
    assert_eq!(old_name.pstn_dial_out_enabled, Some(false));
    let nested = objects::Error::new("outer").with_innererror(objects::Error::new("inner"));
    assert_eq!(nested.innererror.as_deref().map(|e| e.code.as_str()), Some("inner"));
}

#[test]
fn extended_definitions_have_their_base_properties() {
    let event: extends::MessageEvent =
        serde_json::from_str(r#"{"threadId":"t","messageId":"m","version":"17"}"#).unwrap();
    assert_eq!(event.thread_id, "t");
    assert_eq!(serde_json::to_value(&event).unwrap()["version"], "17");
}

#[test]
fn event_sets_dispatch_by_type_and_keep_unknown_types() {
    let body = r#"[
        {"id":"1","topic":"t","subject":"s","eventType":"Contoso.Things.Created","data":{"id":"x"},"dataVersion":"1.0","metadataVersion":"1","eventTime":"2021-02-18T20:18:12.9870054Z"},
        {"id":"2","topic":"t","subject":"s","eventType":"Contoso.Things.Melted","data":{"how":"fast"},"dataVersion":"1.0","metadataVersion":"1","eventTime":"2021-02-18T20:18:12Z"}
    ]"#;
    let events = parse_event_grid::<events::ThingEvent>(body.as_bytes()).unwrap();
    assert!(matches!(&events[0].data, events::ThingEvent::Created(c) if c.id == "x"));
    assert_eq!(events[1].data.event_type(), "Contoso.Things.Melted");
    assert_eq!(serde_json::to_string(&events[1].data).unwrap(), r#"{"how":"fast"}"#);
}

#[test]
fn clients_expose_scoped_clients_and_typed_options() {
    let key =
        azure_communication_runtime::credential::AccessKeyCredential::new("cGFzc3dvcmQ=").unwrap();
    let client =
        clients::ThingsClient::new("https://contoso.communication.azure.com", key, None).unwrap();
    let thing = client.thing_client("a:b@c");
    assert_eq!(thing.thing_id(), "a:b@c");
    let options = clients::CreateThingOptions { max_page_size: Some(5), ..Default::default() };
    assert_eq!(options.max_page_size, Some(5));
    assert_eq!(clients::ThingsClientOptions::default().api_version, "2024-01-01");
}

#[tokio::test]
async fn a_pager_follows_next_links_as_sent_through_an_empty_last_page() {
    use futures::TryStreamExt as _;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let uri = server.uri();
    let page = |ids: &[&str], next: Option<String>| {
        let value: Vec<_> = ids.iter().map(|id| serde_json::json!({ "id": id })).collect();
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({ "value": value, "nextLink": next }))
    };
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(query_param("maxPageSize", "2"))
        .respond_with(page(
            &["a", "b"],
            Some(format!("{uri}/items/19:x@thread.v2?api-version=2024-01-01&token=a%2Fb")),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/19:x@thread.v2"))
        .and(query_param("token", "a/b"))
        .respond_with(page(&["c"], Some(format!("{uri}/items/last?api-version=2024-01-01"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/last"))
        .respond_with(page(&[], None))
        .expect(1)
        .mount(&server)
        .await;
    let client =
        paging::ItemsClient::new(&uri, support::wire::user_token(), Some(plain_http())).unwrap();
    let options = paging::ListItemsOptions { max_page_size: Some(2), ..Default::default() };

    let items: Vec<paging::Item> =
        client.list_items(Some(options)).unwrap().try_collect().await.unwrap();

    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests[1].url.as_str().contains("/items/19:x@thread.v2?"), "{}", requests[1].url);
    assert!(
        requests.iter().all(|r| r.headers.get("authorization").is_some()),
        "every page is authorized"
    );
}

#[tokio::test]
async fn merge_patch_bodies_tell_set_from_cleared_from_untouched() {
    use azure_communication_runtime::nullable::Nullable;
    let patch = paging::ItemPatch::new()
        .with_name("renamed")
        .with_until(Nullable::Null)
        .with_tags([("keep".to_owned(), Some("yes".to_owned())), ("drop".to_owned(), None)].into());
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        serde_json::json!({ "name": "renamed", "until": null, "tags": { "keep": "yes", "drop": null } })
    );
    assert_eq!(serde_json::to_string(&paging::ItemPatch::new()).unwrap(), "{}");
    let read: paging::ItemPatch =
        serde_json::from_str(r#"{"until":"2024-01-01T00:00:00Z","name":null}"#).unwrap();
    assert_eq!(read.name, Nullable::Null);
    assert!(matches!(read.until, Nullable::Value(_)));
    assert!(read.tags.is_none(), "a map of nullable values is itself optional");

    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("PATCH"))
        .and(wiremock::matchers::path("/items/a%2Fb"))
        .and(wiremock::matchers::header("content-type", "application/merge-patch+json"))
        .and(wiremock::matchers::body_json(serde_json::json!({ "name": "renamed", "until": null, "tags": { "keep": "yes", "drop": null } })))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": "a/b" })))
        .expect(1)
        .mount(&server)
        .await;
    let client =
        paging::ItemsClient::new(&server.uri(), support::wire::user_token(), Some(plain_http()))
            .unwrap();
    let item = client.update_item("a/b", &patch, None).await.unwrap().into_model().unwrap();
    assert_eq!(item.id, "a/b");
}

#[test]
fn kind_tagged_objects_cannot_disagree_and_unknown_kinds_still_parse() {
    let file = unions::PlaySource::new(unions::PlaySourceKind::File(unions::FileSource::new(
        "https://x/a.wav",
    )))
    .with_play_source_id("cached");
    assert_eq!(
        serde_json::to_value(&file).unwrap(),
        serde_json::json!({ "sourceType": "file", "fileSource": { "uri": "https://x/a.wav" }, "playSourceId": "cached" })
    );
    let text: unions::PlaySource = serde_json::from_str(r#"{"textSource":"hello"}"#).unwrap();
    assert_eq!(
        text.kind,
        unions::PlaySourceKind::Text("hello".into()),
        "a missing kind is inferred"
    );
    let unknown: unions::PlaySource =
        serde_json::from_str(r#"{"sourceType":"ssml","ssmlSource":"<speak/>"}"#).unwrap();
    assert_eq!(unknown.kind, unions::PlaySourceKind::Unknown("ssml".into()));
    assert_eq!(
        serde_json::to_value(&unknown).unwrap(),
        serde_json::json!({ "sourceType": "ssml" })
    );
    // A known kind without its payload reads as that kind, unknown, and writes back as read.
    let bare: unions::PlaySource = serde_json::from_str(r#"{"sourceType":"file"}"#).unwrap();
    assert_eq!(bare.kind, unions::PlaySourceKind::Unknown("file".into()));
    assert_eq!(serde_json::to_value(&bare).unwrap(), serde_json::json!({ "sourceType": "file" }));
    // With another kind's payload instead, kind and payload disagree.
    let error =
        serde_json::from_str::<unions::PlaySource>(r#"{"sourceType":"file","textSource":"hello"}"#)
            .unwrap_err();
    assert!(
        error.to_string().contains("missing field `fileSource` for sourceType `file`"),
        "{error}"
    );
    let kindless: unions::PlaySource = serde_json::from_str(r#"{"playSourceId":"x"}"#).unwrap();
    assert_eq!(kindless.kind, unions::PlaySourceKind::Unknown(String::new()));
    assert_eq!(
        serde_json::to_string(&kindless).unwrap(),
        r#"{"playSourceId":"x"}"#,
        "written back as read"
    );
}
