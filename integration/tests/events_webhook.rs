//! The example webhook (`examples/webhook.rs`) served on loopback and fed every real sample
//! delivery, the subscription validation event and both handshakes, as Event Grid would.

#![cfg(feature = "events")]

mod events_support;

#[allow(dead_code)]
#[path = "../examples/webhook.rs"]
mod webhook;

use std::io::Write;
use std::sync::{Arc, Mutex};

use events_support::{all_samples, Schema};
use serde_json::{json, Value};

/// Collects everything the webhook logs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, webhook::router()).await });
    format!("http://{address}")
}

// A current-thread runtime keeps the server task on the test's thread, where the log capture
// is installed.
#[tokio::test(flavor = "current_thread")]
async fn the_webhook_answers_handshakes_and_logs_every_real_delivery() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt().with_writer(logs.clone()).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let base = serve().await;
    let http = reqwest::Client::new();

    let samples = all_samples();
    assert!(samples.len() >= 28, "the real samples are all there: {}", samples.len());
    let mut events = 0;
    for sample in &samples {
        let route = match sample.schema {
            Schema::EventGrid => "eventgrid",
            Schema::CloudEvents => "cloudevents",
        };
        let response = http
            .post(format!("{base}/{route}"))
            .header("content-type", "application/json")
            .body(sample.body.clone())
            .send()
            .await
            .expect("the webhook answers");
        assert_eq!(response.status(), 200, "{}", sample.name);
        events += match serde_json::from_str::<Value>(&sample.body).unwrap() {
            Value::Array(items) => items.len(),
            _ => 1,
        };
    }
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let logged =
        text.lines().filter(|l| l.contains("message received") || l.contains("chat event")).count();
    assert_eq!(logged, events, "one log line per delivered event:\n{text}");
    assert!(!text.contains("unreadable"), "every real event decodes:\n{text}");
    assert!(!text.contains("not a chat event"), "no real chat event falls back to Other:\n{text}");

    let response = http
        .post(format!("{base}/eventgrid"))
        .header("content-type", "application/json")
        .body(events_support::VALIDATION_BODY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(answer, json!({ "validationResponse": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" }));

    let handshake = http
        .request(reqwest::Method::OPTIONS, format!("{base}/cloudevents"))
        .header("WebHook-Request-Origin", "eventgrid.azure.net")
        .send()
        .await
        .unwrap();
    assert_eq!(handshake.status(), 200);
    assert_eq!(handshake.headers()["webhook-allowed-origin"], "eventgrid.azure.net");

    let refused = http
        .request(reqwest::Method::OPTIONS, format!("{base}/cloudevents"))
        .header("WebHook-Request-Origin", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);

    let garbage = http.post(format!("{base}/eventgrid")).body("{not json").send().await.unwrap();
    assert_eq!(garbage.status(), 400);
}
