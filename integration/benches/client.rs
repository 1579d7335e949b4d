//! Client overhead: `RoomsClient::create_room` against a local axum server on loopback that
//! answers the documented `201` body, compared with the same request sent by a bare `reqwest`
//! call whose headers and body are precomputed (captured from one request of the generated
//! client, so both send the very same bytes apart from the request ids).
//!
//! `cargo bench -p azure-communication --bench client` runs both under criterion, then 2,000
//! more interleaved requests (generated, bare, generated, …) and prints the median per-request
//! time of each and their ratio, so the comparison comes from one run.
//!
//! The generated call includes everything a caller gets: URL building, JSON serialization of the
//! request, the azure_core pipeline (request id, user agent, retry policy, HMAC signing, logging
//! hooks), the repeatability headers, reading the body and deserializing the `RoomModel`. The
//! bare call sends precomputed bytes and reads the response body.
//!
//! The `client_parts` group times, in process and without I/O, each piece of that per-call work
//! the bare call was handed precomputed, so that the overhead can be set against a budget.
//! `generated_lean_transport` is the generated client again with a minimal `HttpClient` (see
//! [`LeanTransport`]) in place of azure_core's default, to tell the transport's share apart. The server runs on its own
//! thread and single-threaded runtime; the client side runs on a single-threaded runtime on the
//! bench thread.

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use azure_communication::rooms::{CreateRoomRequest, RoomModel, RoomsClient, RoomsClientOptions};
use azure_communication_runtime::client::{Auth, ClientCore, Package, PathPart};
use azure_communication_runtime::credential::AccessKeyCredential;
use azure_communication_runtime::datetime::rfc1123;
use azure_communication_runtime::hmac;
use criterion::{Criterion, SamplingMode};

/// The package these tests speak for in the user agent.
const PACKAGE: Package = Package { name: "azure-communication", version: "0.1.0" };

/// The example request of `specs/rooms.yaml`.
const REQUEST: &str = r#"{
  "validFrom": "2023-06-30T00:00:00Z",
  "validUntil": "2023-07-30T00:00:00Z",
  "pstnDialOutEnabled": true,
  "participants": {
    "8:acs:db75ed0c-e801-41a3-99a4-66a0a119a06c_00000010-ce28-064a-83fe-084822000666": { "role": "Attendee" },
    "8:acs:db75ed0c-e801-41a3-99a4-66a0a119a06c_00000010-ce28-064a-83fe-084822000777": { "role": "Presenter" }
  }
}"#;

/// The documented `201` body (Rooms_Create, 2023-10-30-preview).
const RESPONSE: &str = r#"{"id":"99117812428622880","createdAt":"2023-06-26T05:46:17.8159131+00:00","validFrom":"2023-06-30T00:00:00+00:00","validUntil":"2023-07-30T00:00:00+00:00","pstnDialOutEnabled":true}"#;

const ACCESS_KEY: &str = "dGVzdC1rZXktZm9yLWxvb3BiYWNrLXNlcnZlcnMtb25seQ==";

/// Starts the server on its own thread; returns its address and the headers of the first
/// request it receives.
/// The headers and body of the first request the server received.
type FirstRequest = Arc<Mutex<Option<(HeaderMap, Vec<u8>)>>>;

fn start_server() -> (SocketAddr, FirstRequest) {
    let first: FirstRequest = Arc::default();
    let captured = first.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let app = axum::Router::new().route(
                "/rooms",
                post(move |headers: HeaderMap, body: axum::body::Bytes| {
                    let captured = captured.clone();
                    async move {
                        let mut slot = captured.lock().unwrap();
                        if slot.is_none() {
                            *slot = Some((headers, body.to_vec()));
                        }
                        drop(slot);
                        (
                            StatusCode::CREATED,
                            [
                                ("content-type", "application/json"),
                                ("repeatability-result", "accepted"),
                            ],
                            RESPONSE,
                        )
                    }
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (rx.recv().expect("the server starts"), first)
}

#[path = "support/lean_transport.rs"]
mod lean_transport;
use lean_transport::LeanTransport;

struct Clients {
    runtime: tokio::runtime::Runtime,
    rooms: RoomsClient,
    lean: RoomsClient,
    request: CreateRoomRequest,
    http: reqwest::Client,
    url: String,
    headers: reqwest::header::HeaderMap,
    body: &'static [u8],
}

impl Clients {
    fn generated(&self) -> Duration {
        let start = Instant::now();
        let model = self.runtime.block_on(async {
            let response = self.rooms.create_room(&self.request, None).await.expect("201");
            response.into_model().expect("the documented body parses")
        });
        let elapsed = start.elapsed();
        black_box(model);
        elapsed
    }

    fn lean(&self) -> Duration {
        let start = Instant::now();
        let model = self.runtime.block_on(async {
            let response = self.lean.create_room(&self.request, None).await.expect("201");
            response.into_model().expect("the documented body parses")
        });
        let elapsed = start.elapsed();
        black_box(model);
        elapsed
    }

    fn bare(&self) -> Duration {
        let start = Instant::now();
        let body = self.runtime.block_on(async {
            let response = self
                .http
                .post(&self.url)
                .headers(self.headers.clone())
                .body(self.body)
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status().as_u16(), 201);
            response.bytes().await.expect("body")
        });
        let elapsed = start.elapsed();
        black_box(body);
        elapsed
    }
}

fn setup() -> Clients {
    let (addr, first) = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = RoomsClientOptions {
        client_options: azure_core::http::ClientOptions {
            retry: azure_core::http::RetryOptions::none(),
            ..Default::default()
        },
        ..Default::default()
    };
    let endpoint = format!("http://{addr}");
    let rooms = {
        // Clients build their transport inside a runtime context.
        let _guard = runtime.enter();
        RoomsClient::new(&endpoint, AccessKeyCredential::new(ACCESS_KEY).unwrap(), Some(options))
            .expect("the client builds")
    };
    let lean = {
        let _guard = runtime.enter();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(20))
            .read_timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let options = RoomsClientOptions {
            client_options: azure_core::http::ClientOptions {
                retry: azure_core::http::RetryOptions::none(),
                transport: Some(azure_core::http::Transport::new(Arc::new(LeanTransport {
                    client: http,
                    https_as_http: false,
                }))),
                ..Default::default()
            },
            ..Default::default()
        };
        RoomsClient::new(&endpoint, AccessKeyCredential::new(ACCESS_KEY).unwrap(), Some(options))
            .expect("the client builds")
    };
    let request: CreateRoomRequest = serde_json::from_str(REQUEST).expect("the example parses");
    let clients = Clients {
        runtime,
        rooms,
        lean,
        request,
        http: reqwest::Client::new(),
        url: format!("{endpoint}/rooms?api-version=2023-10-30-preview"),
        headers: reqwest::header::HeaderMap::new(),
        body: &[],
    };
    clients.generated();
    let (captured, body) = first.lock().unwrap().take().expect("the server saw the request");
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in &captured {
        if !matches!(name.as_str(), "host" | "content-length") {
            headers.append(
                reqwest::header::HeaderName::from_bytes(name.as_str().as_bytes()).unwrap(),
                reqwest::header::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
            );
        }
    }
    eprintln!(
        "captured request: {} headers ({}), {} body bytes",
        headers.len(),
        headers.keys().map(|k| k.as_str()).collect::<Vec<_>>().join(", "),
        body.len()
    );
    Clients { headers, body: body.leak(), ..clients }
}

/// The per-call work the bare call gets precomputed, each piece alone.
fn parts(criterion: &mut Criterion) {
    let key = AccessKeyCredential::new(ACCESS_KEY).unwrap();
    let core = ClientCore::new(
        PACKAGE,
        "https://contoso.communication.azure.com",
        Auth::AccessKey(key.clone()),
        azure_core::http::ClientOptions::default(),
        "2023-10-30-preview".to_owned(),
    )
    .unwrap();
    let request: CreateRoomRequest = serde_json::from_str(REQUEST).unwrap();
    let body = serde_json::to_vec(&request).unwrap();
    let url = core.url(&[PathPart::Literal("/rooms")]).unwrap();
    let date = rfc1123::format(time::OffsetDateTime::now_utc());
    let mut group = criterion.benchmark_group("client_parts");
    group.bench_function("url", |b| b.iter(|| core.url(black_box(&[PathPart::Literal("/rooms")]))));
    group.bench_function("json_request", |b| b.iter(|| serde_json::to_vec(black_box(&request))));
    group.bench_function("json_response", |b| {
        b.iter(|| serde_json::from_str::<RoomModel>(black_box(RESPONSE)))
    });
    group.bench_function("hmac_sign", |b| {
        b.iter(|| {
            let signed = hmac::sign(&key, azure_core::http::Method::Post, &url, &date, &body);
            signed.authorization()
        })
    });
    // `x-ms-date` and `Repeatability-First-Sent`.
    group.bench_function("two_timestamps", |b| {
        b.iter(|| {
            let now = time::OffsetDateTime::now_utc();
            (rfc1123::format(now), rfc1123::format(now))
        })
    });
    // `Repeatability-Request-ID` and `x-ms-client-request-id`.
    group.bench_function("two_uuids", |b| b.iter(|| (uuid::Uuid::new_v4(), uuid::Uuid::new_v4())));
    group.finish();
}

fn main() {
    // `RUST_BACKTRACE=1` makes every `azure_core::Error` capture a backtrace, also the ones built
    // and dropped on the success path (see BENCHMARKS.md), so say which setting was measured.
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| "unset".to_owned());
    eprintln!(
        "RUST_BACKTRACE={} RUST_LIB_BACKTRACE={}",
        var("RUST_BACKTRACE"),
        var("RUST_LIB_BACKTRACE")
    );
    let clients = setup();
    // Warm both connections.
    for _ in 0..200 {
        clients.generated();
        clients.lean();
        clients.bare();
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .configure_from_args();
    {
        let mut group = criterion.benchmark_group("create_room_loopback");
        group.sampling_mode(SamplingMode::Flat);
        group.bench_function("generated_client", |b| {
            b.iter_custom(|iters| (0..iters).map(|_| clients.generated()).sum())
        });
        group.bench_function("generated_lean_transport", |b| {
            b.iter_custom(|iters| (0..iters).map(|_| clients.lean()).sum())
        });
        group.bench_function("bare_reqwest", |b| {
            b.iter_custom(|iters| (0..iters).map(|_| clients.bare()).sum())
        });
        group.finish();
    }
    parts(&mut criterion);
    criterion.final_summary();

    if std::env::args().any(|a| matches!(a.as_str(), "--list" | "--test" | "--profile-time")) {
        return;
    }
    let rounds = 2_000;
    let mut generated = Vec::with_capacity(rounds);
    let mut lean = Vec::with_capacity(rounds);
    let mut bare = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        generated.push(clients.generated());
        lean.push(clients.lean());
        bare.push(clients.bare());
    }
    let quantile = |times: &mut Vec<Duration>, q: f64| {
        times.sort();
        times[((times.len() - 1) as f64 * q) as usize]
    };
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!("\ninterleaved, {rounds} requests each:");
    for (name, times) in [
        ("generated client", &mut generated),
        ("lean transport", &mut lean),
        ("bare reqwest", &mut bare),
    ] {
        println!(
            "  {name:<17} median {:>7.1} µs  p10 {:>7.1} µs  p90 {:>7.1} µs",
            us(quantile(times, 0.5)),
            us(quantile(times, 0.1)),
            us(quantile(times, 0.9))
        );
    }
    let ratio = us(quantile(&mut generated, 0.5)) / us(quantile(&mut bare, 0.5));
    println!("RATIO generated median / bare median = {ratio:.3} (target <= 1.10)");
    let ratio = us(quantile(&mut lean, 0.5)) / us(quantile(&mut bare, 0.5));
    println!("RATIO generated with the lean transport / bare median = {ratio:.3}");
}
