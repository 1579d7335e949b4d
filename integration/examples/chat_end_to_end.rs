//! The whole path from a connection string to a chat message, through two services:
//!
//! 1. Identity (authenticated with the resource's access key from the connection string)
//!    creates a user together with a `chat` token.
//! 2. A `CommunicationTokenCredential` starts with that token and refreshes it by asking
//!    Identity to issue a new `chat` token for the same user (`issueAccessToken`).
//! 3. A `ChatClient` on the same endpoint, authenticated as that user with the credential,
//!    creates a thread with the user as participant and sends a message to it.
//!
//! Run with
//!
//! ```sh
//! COMMUNICATION_CONNECTION_STRING='endpoint=https://<resource>.communication.azure.com/;accesskey=<key>' \
//!     cargo run -p azure-communication-integration --example chat_end_to_end
//! ```
//!
//! It prints the ids of the user, the thread and the message. Everything it creates stays in
//! the resource; delete the user through Identity (`delete_identity`) when done with it.

use std::error::Error;
use std::fmt;
use std::process::ExitCode;

use azure_communication::chat::{
    ChatClient, ChatClientOptions, ChatParticipant, CreateChatThreadRequest, SendChatMessageRequest,
};
use azure_communication::common::{
    CommunicationIdentifierModel, CommunicationIdentifierModelKind,
    CommunicationUserIdentifierModel,
};
use azure_communication::identity::{
    CommunicationIdentityAccessTokenRequest, CommunicationIdentityClient,
    CommunicationIdentityClientOptions, CommunicationIdentityCreateRequest,
    CommunicationIdentityTokenScope,
};
use azure_communication::{CommunicationTokenCredential, CommunicationTokenRefreshOptions};
use azure_core::credentials::AccessToken;
use azure_core::http::ClientOptions;

/// The environment variable holding the resource's connection string.
pub const CONNECTION_STRING_VARIABLE: &str = "COMMUNICATION_CONNECTION_STRING";
/// The topic of the thread the example creates.
pub const TOPIC: &str = "Rust end-to-end example";
/// The display name of the user in the thread.
pub const DISPLAY_NAME: &str = "Example user";
/// The message the example sends.
pub const MESSAGE: &str = "Hello from the Rust end-to-end example";

/// What the example created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The Communication Services user created through Identity.
    pub user_id: String,
    /// The chat thread created by that user.
    pub thread_id: String,
    /// The message sent to the thread.
    pub message_id: String,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "user: {}", self.user_id)?;
        writeln!(f, "thread: {}", self.thread_id)?;
        write!(f, "message: {}", self.message_id)
    }
}

/// A failed step of the example: what it was doing, and the error that stopped it (its
/// `source`).
#[derive(Debug)]
pub struct StepError {
    step: &'static str,
    source: Option<azure_core::Error>,
}

impl StepError {
    fn new(step: &'static str) -> impl FnOnce(azure_core::Error) -> Self {
        move |source| Self { step, source: Some(source) }
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.step)
    }
}

impl Error for StepError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|e| e as &(dyn Error + 'static))
    }
}

/// The scope of every token the example asks for.
fn chat_scope() -> Vec<CommunicationIdentityTokenScope> {
    vec![CommunicationIdentityTokenScope::Chat]
}

/// Creates a user with a `chat` token, then a thread with that user in it, then a message, with
/// clients for the resource of `connection_string` built with `client_options`.
///
/// # Errors
///
/// A [`StepError`] naming the step that failed, with the client's error as its source.
pub async fn run(
    connection_string: &str,
    client_options: ClientOptions,
) -> Result<Outcome, StepError> {
    let identity = CommunicationIdentityClient::from_connection_string(
        connection_string,
        Some(CommunicationIdentityClientOptions {
            client_options: client_options.clone(),
            ..Default::default()
        }),
    )
    .map_err(StepError::new("reading the connection string"))?;

    // 1. A user and its first `chat` token, in one call.
    let created = identity
        .create_identity(
            &CommunicationIdentityCreateRequest::new().with_create_token_with_scopes(chat_scope()),
            None,
        )
        .await
        .and_then(|response| response.into_model())
        .map_err(StepError::new("creating a user with a chat token"))?;
    let user_id = created.identity.id;
    let first_token = created.access_token.ok_or(StepError {
        step: "creating a user with a chat token: the service returned no token",
        source: None,
    })?;

    // 2. The user's credential: the first token, then a new one from Identity whenever the
    // current one is about to expire (within `refresh_margin`, 10 minutes by default).
    let refresher = {
        let identity = identity.clone();
        let user_id = user_id.clone();
        move || {
            let identity = identity.clone();
            let user_id = user_id.clone();
            async move {
                let request = CommunicationIdentityAccessTokenRequest::new(chat_scope());
                let issued =
                    identity.issue_access_token(&user_id, &request, None).await?.into_model()?;
                Ok(AccessToken::new(issued.token, issued.expires_on))
            }
        }
    };
    let credential = CommunicationTokenCredential::with_refresher(
        refresher,
        CommunicationTokenRefreshOptions {
            initial_token: Some(AccessToken::new(first_token.token, first_token.expires_on)),
            ..Default::default()
        },
    );

    // 3. Chat, on the same endpoint, as that user.
    let chat = ChatClient::new(
        identity.endpoint().as_str(),
        credential,
        Some(ChatClientOptions { client_options, ..Default::default() }),
    )
    .map_err(StepError::new("building the chat client"))?;
    let user =
        CommunicationIdentifierModel::new(CommunicationIdentifierModelKind::CommunicationUser(
            CommunicationUserIdentifierModel::new(user_id.clone()),
        ))
        .with_raw_id(user_id.clone());
    let thread = chat
        .create_chat_thread(
            &CreateChatThreadRequest::new(TOPIC)
                .with_participants(
                    vec![ChatParticipant::new(user).with_display_name(DISPLAY_NAME)],
                ),
            None,
        )
        .await
        .and_then(|response| response.into_model())
        .map_err(StepError::new("creating a chat thread"))?;
    for invalid in thread.invalid_participants.iter().flatten() {
        eprintln!("warning: a participant was not added: {}", invalid.message);
    }
    let thread_id = thread
        .chat_thread
        .ok_or(StepError {
            step: "creating a chat thread: the service returned no thread",
            source: None,
        })?
        .id;

    let message = chat
        .chat_thread_client(thread_id.clone())
        .send_chat_message(
            &SendChatMessageRequest::new(MESSAGE).with_sender_display_name(DISPLAY_NAME),
            None,
        )
        .await
        .and_then(|response| response.into_model())
        .map_err(StepError::new("sending a chat message"))?;

    Ok(Outcome { user_id, thread_id, message_id: message.id })
}

/// Prints `error` and each error in its source chain, one a line (a cause that says the same
/// as the error it caused is printed once).
fn report(error: &dyn Error) {
    eprintln!("error: {error}");
    let mut previous = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if text != previous {
            eprintln!("  caused by: {text}");
        }
        previous = text;
        source = cause.source();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let connection_string = match std::env::var(CONNECTION_STRING_VARIABLE) {
        Ok(value) => value,
        Err(error) => {
            eprintln!(
                "error: set {CONNECTION_STRING_VARIABLE} to the connection string of a \
                 Communication Services resource (endpoint=https://…;accesskey=…)"
            );
            eprintln!("  caused by: {error}");
            return ExitCode::FAILURE;
        }
    };
    match run(&connection_string, ClientOptions::default()).await {
        Ok(outcome) => {
            println!("{outcome}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(&error);
            ExitCode::FAILURE
        }
    }
}
