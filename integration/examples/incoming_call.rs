//! Answers incoming calls: a webhook for the `IncomingCall` event of Azure Communication Services
//! that answers each call with Call Automation, and the callback endpoint of the answered calls.
//!
//! * `POST /events`: an Event Grid schema subscription of the Communication Services resource
//!   (event type `Microsoft.Communication.IncomingCall`). Answers the subscription validation
//!   event with `{"validationResponse": "<code>"}`; answers each `IncomingCall` with
//!   `CallAutomationClient::answer_call`, giving the event's `incomingCallContext` and the
//!   callback URI `<CALLBACK_BASE_URL>/callbacks`. Other event types are logged by type only.
//! * `POST /callbacks`: the callback URI of the answered calls. Call Automation posts the call's
//!   events there as a CloudEvents batch; each is read into a typed `CallAutomationEvent`,
//!   logged and handed to the call logic (event types this crate does not know arrive as
//!   `CallAutomationEvent::Other`).
//!
//! Run with
//!
//! ```text
//! COMMUNICATION_CONNECTION_STRING='endpoint=https://<resource>.communication.azure.com/;accesskey=<key>' \
//! CALLBACK_BASE_URL=https://<public host> \
//! cargo run -p azure-communication-integration --example incoming_call
//! ```
//!
//! It listens on `127.0.0.1:8080` (or on `INCOMING_CALL_ADDR`); `CALLBACK_BASE_URL` is the public
//! URL under which Event Grid and Call Automation reach it, for example a tunnel. Logs carry ids
//! and event types only, never phone numbers, names or the incoming call context.
//!
//! The callbacks are not authenticated here; a real application should make its callback URI
//! unguessable or check the requests it receives there.

use std::error::Error;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use azure_communication::callautomation::{
    AnswerCallRequest, CallAutomationClient, CallAutomationEvent,
};
use azure_communication::events::{AcsIncomingCallEventData, CallingEvent};
use azure_communication::{parse_cloud_events_each, Delivery, DeliveryError, EventData};
use tokio::sync::mpsc;

/// The environment variable with the resource's connection string.
pub const CONNECTION_STRING_VAR: &str = "COMMUNICATION_CONNECTION_STRING";
/// The environment variable with the public base URL of this app.
pub const CALLBACK_BASE_URL_VAR: &str = "CALLBACK_BASE_URL";

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt::init();
    if let Err(error) = run().await {
        eprintln!("error: {}", with_sources(&*error));
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let connection_string = env_var(CONNECTION_STRING_VAR)?;
    let base_url = env_var(CALLBACK_BASE_URL_VAR)?;
    let client = CallAutomationClient::from_connection_string(&connection_string, None)
        .map_err(|error| format!("{CONNECTION_STRING_VAR}: {}", with_sources(&error)))?;
    let callback_uri = callback_uri(&base_url)
        .map_err(|error| format!("{CALLBACK_BASE_URL_VAR} {base_url:?}: {error}"))?;

    let (events, received) = mpsc::unbounded_channel();
    tokio::spawn(call_logic(received));

    let addr = std::env::var("INCOMING_CALL_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    tracing::info!(%callback_uri, "listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(App { client, callback_uri, events })).await?;
    Ok(())
}

fn env_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|error| format!("{name}: {error}"))
}

/// `error` and each of its sources, joined with `": "`.
pub fn with_sources(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // Some errors repeat their source in their own message.
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The callback URI of the answered calls: the `/callbacks` route under `base_url`.
pub fn callback_uri(base_url: &str) -> Result<String, url::ParseError> {
    let mut base = url::Url::parse(base_url)?;
    if base.cannot_be_a_base() {
        return Err(url::ParseError::RelativeUrlWithCannotBeABaseBase);
    }
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    Ok(base.join("callbacks")?.to_string())
}

/// What the routes share.
pub struct App {
    /// Answers the calls.
    pub client: CallAutomationClient,
    /// The callback URI given to each answered call; see [`callback_uri`].
    pub callback_uri: String,
    /// Where the typed callback events go once the webhook has read them.
    pub events: mpsc::UnboundedSender<CallAutomationEvent>,
}

/// The routes, apart from `main` so that a test can serve them on a loopback port with a client
/// of its own.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/events", post(event_grid))
        .route("/callbacks", post(callbacks))
        .with_state(Arc::new(app))
}

async fn event_grid(State(app): State<Arc<App>>, body: Bytes) -> Response {
    match Delivery::<CallingEvent>::from_event_grid(&body) {
        Ok(Delivery::SubscriptionValidation(validation)) => {
            tracing::info!("answering the subscription validation");
            Json(validation.response()).into_response()
        }
        Ok(Delivery::Events(events)) => {
            for event in events {
                match event {
                    Ok(event) => match event.data {
                        CallingEvent::IncomingCall(call) => answer(&app, &call).await,
                        other => {
                            tracing::info!(event_type = other.event_type(), "not an incoming call")
                        }
                    },
                    Err(error) => tracing::warn!(%error, "skipping an unreadable event"),
                }
            }
            // 200 even when answering failed (the failure is logged): Event Grid would retry the
            // whole delivery later, most likely after the call has stopped ringing.
            StatusCode::OK.into_response()
        }
        Err(error) => reject(&error),
    }
}

async fn answer(app: &App, call: &AcsIncomingCallEventData) {
    let correlation_id = call.correlation_id.as_deref().unwrap_or_default();
    let Some(context) = call.incoming_call_context.as_deref() else {
        tracing::warn!(correlation_id, "an incoming call without incomingCallContext");
        return;
    };
    let request = AnswerCallRequest::new(context, app.callback_uri.as_str());
    match app.client.answer_call(&request, None).await {
        Ok(response) => match response.into_model() {
            Ok(connection) => tracing::info!(
                correlation_id,
                call_connection_id = connection.call_connection_id.as_deref().unwrap_or_default(),
                "answered"
            ),
            Err(error) => tracing::warn!(
                correlation_id,
                error = %with_sources(&error),
                "answered, but the response is unreadable"
            ),
        },
        Err(error) => {
            tracing::error!(correlation_id, error = %with_sources(&error), "cannot answer")
        }
    }
}

async fn callbacks(State(app): State<Arc<App>>, body: Bytes) -> Response {
    match parse_cloud_events_each::<CallAutomationEvent>(&body) {
        Ok(events) => {
            for event in events {
                match event {
                    Ok(event) => {
                        log_callback(&event.data);
                        // The call logic has stopped only when the app is shutting down.
                        let _ = app.events.send(event.data);
                    }
                    Err(error) => tracing::warn!(%error, "skipping an unreadable callback event"),
                }
            }
            StatusCode::OK.into_response()
        }
        Err(error) => reject(&error),
    }
}

fn log_callback(event: &CallAutomationEvent) {
    match event {
        CallAutomationEvent::CallConnected(connected) => tracing::info!(
            call_connection_id = connected.call_connection_id.as_deref().unwrap_or_default(),
            correlation_id = connected.correlation_id.as_deref().unwrap_or_default(),
            "call connected"
        ),
        CallAutomationEvent::CallDisconnected(disconnected) => tracing::info!(
            call_connection_id = disconnected.call_connection_id.as_deref().unwrap_or_default(),
            correlation_id = disconnected.correlation_id.as_deref().unwrap_or_default(),
            "call disconnected"
        ),
        CallAutomationEvent::ParticipantsUpdated(updated) => tracing::info!(
            call_connection_id = updated.call_connection_id.as_deref().unwrap_or_default(),
            participants = updated.participants.as_ref().map_or(0, Vec::len),
            "participants updated"
        ),
        CallAutomationEvent::Other { event_type, .. } => {
            tracing::info!(%event_type, "a callback event of a type this crate does not know")
        }
        other => tracing::info!(event_type = other.event_type(), "callback event"),
    }
}

/// What the application does with the calls it answered; here, it follows their state.
async fn call_logic(mut events: mpsc::UnboundedReceiver<CallAutomationEvent>) {
    let mut connected = 0_usize;
    while let Some(event) = events.recv().await {
        match event {
            CallAutomationEvent::CallConnected(_) => connected += 1,
            CallAutomationEvent::CallDisconnected(_) => connected = connected.saturating_sub(1),
            _ => continue,
        }
        tracing::info!(connected, "calls in progress");
    }
}

fn reject(error: &DeliveryError) -> Response {
    tracing::warn!(%error, "unreadable delivery");
    (StatusCode::BAD_REQUEST, error.to_string()).into_response()
}
