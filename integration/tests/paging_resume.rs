//! A listing can stop after any page and resume from that page's continuation in another call,
//! without fetching the earlier pages again: list methods take azure_core's `PagerOptions`.

use azure_communication::rooms::{ListRoomsOptions, RoomsClient, RoomsClientOptions};
use azure_communication_test_support as support;
use azure_core::http::pager::PagerOptions;
use futures::TryStreamExt as _;
use serde_json::json;
use support::wire::{self, ValidHmacSignature};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn room(id: &str) -> serde_json::Value {
    json!({"id": id, "createdAt": "2024-01-01T00:00:00Z", "validFrom": "2024-01-01T00:00:00Z",
           "validUntil": "2024-02-01T00:00:00Z", "pstnDialOutEnabled": false})
}

#[tokio::test]
async fn a_listing_stopped_after_page_one_resumes_at_page_two() {
    let server = MockServer::start().await;
    let next = format!("{}/rooms?api-version=2023-10-30-preview&skip=1", server.uri());
    Mock::given(method("GET"))
        .and(path("/rooms"))
        .and(query_param_is_missing("skip"))
        .and(ValidHmacSignature)
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [room("1")], "nextLink": next})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/rooms"))
        .and(query_param("skip", "1"))
        .and(ValidHmacSignature)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [room("2")]})))
        .mount(&server)
        .await;
    let options = RoomsClientOptions { client_options: wire::no_retries(), ..Default::default() };
    let client = RoomsClient::new(&server.uri(), wire::access_key(), Some(options)).unwrap();

    // The first listing reads one page and stops.
    let mut pages = client.list_rooms(None).unwrap().into_pages();
    let first = pages.try_next().await.unwrap().expect("a first page").into_model().unwrap();
    assert_eq!(first.value.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["1"]);
    let continuation = pages.continuation().cloned().expect("a continuation after page one");
    drop(pages);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // Another call resumes from it: only page two is fetched.
    let options = ListRoomsOptions {
        method_options: PagerOptions { continuation: Some(continuation), ..Default::default() },
    };
    let rest: Vec<_> = client.list_rooms(Some(options)).unwrap().try_collect().await.unwrap();
    assert_eq!(rest.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["2"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "page one is not fetched again");
    assert_eq!(
        requests[1].url.query_pairs().find(|(k, _)| k == "skip").map(|(_, v)| v.into_owned()),
        Some("1".into())
    );
}
