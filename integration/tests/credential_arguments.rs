//! Every client constructor takes a credential the way users hold it, without a cast:
//! `Arc::new(concrete)` of any `TokenCredential`, an `Arc<dyn TokenCredential>` (the README
//! quickstart style), and for access-key clients an `AccessKeyCredential`. This file failing to
//! compile is the failure.

#![cfg(all(feature = "rooms", feature = "chat", feature = "callautomation", feature = "identity"))]

use std::sync::Arc;

use azure_communication::callautomation::CallAutomationClient;
use azure_communication::chat::{ChatClient, ChatClientOptions};
use azure_communication::identity::CommunicationIdentityClient;
use azure_communication::rooms::RoomsClient;
use azure_communication::{
    AccessKeyCredential, CommunicationTokenCredential, CommunicationTokenRefreshOptions,
    UserTokenCredential,
};
use azure_communication_test_support::wire;
use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::time::{Duration, OffsetDateTime};

const ENDPOINT: &str = "https://contoso.communication.azure.com/";

/// A credential type of the user's own, as `azure_identity`'s credentials are.
#[derive(Debug)]
struct SomeConcreteCredential;

#[async_trait::async_trait]
impl TokenCredential for SomeConcreteCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        Ok(AccessToken::new("token", OffsetDateTime::now_utc() + Duration::hours(1)))
    }
}

fn dyn_credential() -> Arc<dyn TokenCredential> {
    Arc::new(SomeConcreteCredential)
}

#[test]
fn access_key_clients_take_a_concrete_arc_a_dyn_arc_and_an_access_key() {
    RoomsClient::new(ENDPOINT, Arc::new(SomeConcreteCredential), None).unwrap();
    RoomsClient::new(ENDPOINT, dyn_credential(), None).unwrap();
    RoomsClient::new(ENDPOINT, wire::access_key(), None).unwrap();

    CallAutomationClient::new(ENDPOINT, Arc::new(SomeConcreteCredential), None).unwrap();
    CallAutomationClient::new(ENDPOINT, dyn_credential(), None).unwrap();
    CallAutomationClient::new(ENDPOINT, wire::access_key(), None).unwrap();

    CommunicationIdentityClient::new(ENDPOINT, Arc::new(SomeConcreteCredential), None).unwrap();
    CommunicationIdentityClient::new(ENDPOINT, dyn_credential(), None).unwrap();
    let key: AccessKeyCredential = wire::access_key();
    CommunicationIdentityClient::new(ENDPOINT, key, None).unwrap();
}

#[test]
fn user_token_clients_take_a_concrete_arc_a_dyn_arc_and_a_user_token() {
    ChatClient::new(ENDPOINT, Arc::new(SomeConcreteCredential), None).unwrap();
    ChatClient::new(ENDPOINT, dyn_credential(), None).unwrap();
    ChatClient::new(ENDPOINT, Arc::new(UserTokenCredential::new("token")), None).unwrap();
    ChatClient::new(ENDPOINT, UserTokenCredential::new("token"), None).unwrap();
    // The README quickstart style: a binding annotated as the trait object.
    let credential: Arc<dyn TokenCredential> = Arc::new(UserTokenCredential::new("token"));
    ChatClient::new(ENDPOINT, credential.clone(), None).unwrap();
    RoomsClient::new(ENDPOINT, credential, None).unwrap();
}

#[test]
fn clients_take_a_refreshing_communication_token_credential() {
    let credential = CommunicationTokenCredential::with_refresher(
        || async { Ok(AccessToken::new("token", OffsetDateTime::now_utc() + Duration::hours(1))) },
        CommunicationTokenRefreshOptions::default(),
    );
    ChatClient::new(ENDPOINT, credential.clone(), None).unwrap();
    ChatClient::new(ENDPOINT, Arc::new(credential.clone()), None).unwrap();
    RoomsClient::new(ENDPOINT, credential, None).unwrap();
}

#[tokio::test]
async fn a_chat_client_sends_the_refreshed_token() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("DELETE"))
        .and(wiremock::matchers::header("authorization", "Bearer refreshed-1"))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = calls.clone();
    let credential = CommunicationTokenCredential::with_refresher(
        move || {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            async move {
                Ok(AccessToken::new(
                    format!("refreshed-{n}"),
                    OffsetDateTime::now_utc() + Duration::hours(1),
                ))
            }
        },
        CommunicationTokenRefreshOptions::default(),
    );
    let options = ChatClientOptions { client_options: wire::loopback(), ..Default::default() };
    let client = ChatClient::new(&server.uri(), credential, Some(options)).unwrap();
    client.delete_chat_thread("19:a@thread.v2", None).await.unwrap();
    client.delete_chat_thread("19:a@thread.v2", None).await.unwrap();
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
}
