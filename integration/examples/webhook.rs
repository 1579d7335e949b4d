//! A webhook for Azure Communication Services chat events delivered by Azure Event Grid.
//!
//! * `POST /eventgrid`: an Event Grid schema subscription. Answers the subscription validation
//!   event with `{"validationResponse": "<code>"}` and logs every chat event.
//! * `OPTIONS /cloudevents`: the CloudEvents abuse-protection handshake (only Event Grid's
//!   origin, `eventgrid.azure.net`, is allowed).
//! * `POST /cloudevents`: a CloudEvents 1.0 schema subscription; logs every chat event.
//!
//! Run with `cargo run -p azure-communication-integration --example webhook` (listens on `127.0.0.1:8080`,
//! or on `WEBHOOK_ADDR`) and point an Event Grid subscription of the Communication Services
//! resource at it, for example through a tunnel.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use azure_communication::events::ChatEvent;
use azure_communication_runtime::events::{
    parse_cloud_events_each, AbuseProtection, Delivery, DeliveryError, EventData,
    WEBHOOK_REQUEST_ORIGIN,
};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt::init();
    let addr = std::env::var("WEBHOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router()).await
}

/// The routes, apart from `main` so that a test can serve them on a loopback port.
pub fn router() -> Router {
    Router::new()
        .route("/eventgrid", post(event_grid))
        .route("/cloudevents", post(cloud_events).options(cloud_events_handshake))
}

async fn event_grid(body: Bytes) -> Response {
    match Delivery::<ChatEvent>::from_event_grid(&body) {
        Ok(Delivery::SubscriptionValidation(validation)) => {
            tracing::info!(url = ?validation.validation_url, "answering the subscription validation");
            Json(validation.response()).into_response()
        }
        Ok(Delivery::Events(events)) => {
            for event in events {
                log_event(event.map(|event| (event.subject, event.data)));
            }
            // 200 even when some events were unreadable: a retry would not make them readable.
            StatusCode::OK.into_response()
        }
        Err(error) => reject(&error),
    }
}

async fn cloud_events_handshake(headers: HeaderMap) -> Response {
    let origin = headers.get(WEBHOOK_REQUEST_ORIGIN).and_then(|value| value.to_str().ok());
    match AbuseProtection::default().allow_origin("eventgrid.azure.net").respond(origin) {
        Some(answer) => (StatusCode::OK, answer.headers()).into_response(),
        None => {
            tracing::warn!(?origin, "refusing the CloudEvents handshake");
            StatusCode::BAD_REQUEST.into_response()
        }
    }
}

async fn cloud_events(body: Bytes) -> Response {
    match parse_cloud_events_each::<ChatEvent>(&body) {
        Ok(events) => {
            for event in events {
                log_event(event.map(|event| (event.subject.unwrap_or_default(), event.data)));
            }
            StatusCode::OK.into_response()
        }
        Err(error) => reject(&error),
    }
}

fn log_event(event: Result<(String, ChatEvent), DeliveryError>) {
    let (subject, event) = match event {
        Ok(event) => event,
        Err(error) => {
            tracing::warn!(%error, "skipping an unreadable event");
            return;
        }
    };
    match &event {
        ChatEvent::ChatMessageReceived(message) => tracing::info!(
            %subject,
            thread = ?message.thread_id,
            from = ?message.sender_display_name,
            body = ?message.message_body,
            "message received"
        ),
        ChatEvent::ChatMessageReceivedInThread(message) => tracing::info!(
            %subject,
            thread = %message.thread_id,
            from = ?message.sender_display_name,
            body = %message.message_body,
            "message received in thread"
        ),
        ChatEvent::Other { event_type, .. } => {
            tracing::info!(%subject, %event_type, "not a chat event")
        }
        other => tracing::info!(%subject, event_type = other.event_type(), "chat event"),
    }
}

fn reject(error: &DeliveryError) -> Response {
    tracing::warn!(%error, "unreadable delivery");
    (StatusCode::BAD_REQUEST, error.to_string()).into_response()
}
