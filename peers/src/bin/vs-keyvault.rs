//! Per-call cost of the generated client against the Azure SDK for Rust's own generated client
//! (typespec-rust): `RoomsClient::get_room` (crate `azure-communication`, feature `rooms`) vs
//! `SecretClient::get_secret` (`azure_security_keyvault_secrets` 1.0.0), both on azure_core
//! 1.1.0, both with a static `TokenCredential` (bearer auth), no retries, and the same minimal
//! `HttpClient` ([`LeanTransport`], shared with `integration/benches/client.rs`) to a local axum server on loopback that answers each a
//! small JSON body of about the same size.
//!
//! `cargo run --release --manifest-path peers/Cargo.toml --bin vs-keyvault [ROUNDS]` warms both
//! up, then times ROUNDS (default 5,000) calls of each, interleaved (ours, theirs, ours, …), and
//! prints the median, p10 and p90 per call and the ratio of the medians, ours / theirs.
//!
//! Both clients refuse to send a bearer token to a non-`https` URL (azure_core's
//! `BearerTokenAuthorizationPolicy` and our runtime's policy alike), and the server speaks plain
//! HTTP: so both clients get the endpoint `https://127.0.0.1:PORT` and the transport sends each
//! request to `http://` on the same host and port. That is one `Url::set_scheme` per request,
//! the same for both.
//!
//! The Key Vault client discovers its token scope from an authentication challenge: its first
//! request goes out without a token, and the server answers a request without `Authorization`
//! with `401` and `WWW-Authenticate: Bearer authorization="…", resource="https://vault.azure.net"`.
//! `verify_challenge_resource: Some(false)` lets the challenge's resource differ from the
//! vault's host (127.0.0.1). The challenge happens once, during the warm-up; afterwards every
//! request carries the cached token, which the server checks for both clients.

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode, Uri};
use azure_communication::rooms::{RoomsClient, RoomsClientOptions};
use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::http::{ClientOptions, RetryOptions, Transport};
use azure_core::time::OffsetDateTime;
use azure_security_keyvault_secrets::{SecretClient, SecretClientOptions};

/// The token both credentials hand out; the server accepts only `Bearer <TOKEN>`.
const TOKEN: &str = "loopback-benchmark-token";

/// The documented `200` body of Rooms_Get (2023-10-30-preview), 181 bytes.
const ROOM: &str = r#"{"id":"99117812428622880","createdAt":"2023-06-26T05:46:17.8159131+00:00","validFrom":"2023-06-30T00:00:00+00:00","validUntil":"2023-07-30T00:00:00+00:00","pstnDialOutEnabled":true}"#;

/// A Key Vault `SecretBundle` with the fields of a real response, 181 bytes like ROOM (the `id`
/// has the shape the service returns for `GET /secrets/bench-secret/`).
const SECRET: &str = r#"{"value":"lb","id":"https://127.0.0.1/secrets/bench-secret/8a1f2c3d","attributes":{"enabled":true,"created":1687758377,"updated":1687758377,"recoveryLevel":"Recoverable+Purgeable"}}"#;

/// Key Vault's challenge, as the service sends it.
const CHALLENGE: &str = r#"Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net""#;

/// A credential that returns [`TOKEN`], valid for an hour, for any scope.
#[derive(Debug)]
struct StaticToken;

#[async_trait::async_trait]
impl TokenCredential for StaticToken {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        Ok(AccessToken::new(TOKEN, OffsetDateTime::now_utc() + Duration::from_secs(3600)))
    }
}

/// How many requests the server refused for a missing or wrong token.
static UNAUTHORIZED: AtomicUsize = AtomicUsize::new(0);

/// The request header names (and the query) of the last authorized request for each path.
static SEEN: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

fn start_server() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let app = axum::Router::new().fallback(|uri: Uri, headers: HeaderMap| async move {
                let authorized = headers
                    .get("authorization")
                    .is_some_and(|v| v.as_bytes() == format!("Bearer {TOKEN}").as_bytes());
                if !authorized {
                    UNAUTHORIZED.fetch_add(1, Ordering::Relaxed);
                    return (
                        StatusCode::UNAUTHORIZED,
                        [("content-type", "application/json"), ("www-authenticate", CHALLENGE)],
                        "",
                    );
                }
                let mut names: Vec<&str> = headers.keys().map(|k| k.as_str()).collect();
                names.sort();
                let seen = format!("{} ?{}", names.join(", "), uri.query().unwrap_or(""));
                let mut last = SEEN.lock().unwrap();
                match last.iter_mut().find(|(path, _)| path == uri.path()) {
                    Some(entry) => entry.1 = seen,
                    None => last.push((uri.path().to_owned(), seen)),
                }
                drop(last);
                let body = match uri.path() {
                    "/rooms/99117812428622880" => ROOM,
                    "/secrets/bench-secret/" => SECRET,
                    _ => {
                        return (
                            StatusCode::NOT_FOUND,
                            [("content-type", "application/json"), ("x-unused", "")],
                            "",
                        )
                    }
                };
                (StatusCode::OK, [("content-type", "application/json"), ("x-unused", "")], body)
            });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().expect("the server starts")
}

// The transport of `integration/benches/client.rs`, sending `https` URLs as `http` (see the
// module docs).
#[path = "../../../integration/benches/support/lean_transport.rs"]
mod lean_transport;
use lean_transport::LeanTransport;

struct Clients {
    runtime: tokio::runtime::Runtime,
    rooms: RoomsClient,
    secrets: SecretClient,
}

impl Clients {
    fn ours(&self) -> Duration {
        let start = Instant::now();
        let room = self.runtime.block_on(async {
            let response = self.rooms.get_room("99117812428622880", None).await.expect("200");
            response.into_model().expect("the documented body parses")
        });
        let elapsed = start.elapsed();
        black_box(room);
        elapsed
    }

    fn theirs(&self) -> Duration {
        let start = Instant::now();
        let secret = self.runtime.block_on(async {
            let response = self.secrets.get_secret("bench-secret", None).await.expect("200");
            response.into_model().expect("the secret parses")
        });
        let elapsed = start.elapsed();
        black_box(secret);
        elapsed
    }
}

fn setup() -> Clients {
    let addr = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let _guard = runtime.enter();
    let transport = Transport::new(Arc::new(LeanTransport {
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        https_as_http: true,
    }));
    let client_options = ClientOptions {
        retry: RetryOptions::none(),
        transport: Some(transport),
        ..Default::default()
    };
    let endpoint = format!("https://{addr}");
    let rooms = RoomsClient::new(
        &endpoint,
        Arc::new(StaticToken),
        Some(RoomsClientOptions { client_options: client_options.clone(), ..Default::default() }),
    )
    .expect("the rooms client builds");
    let secrets = SecretClient::new(
        &endpoint,
        Arc::new(StaticToken),
        Some(SecretClientOptions {
            client_options,
            verify_challenge_resource: Some(false),
            ..Default::default()
        }),
    )
    .expect("the secret client builds");
    drop(_guard);
    Clients { runtime, rooms, secrets }
}

fn main() {
    let rounds: usize = match std::env::args().nth(1) {
        None => 5_000,
        Some(n) => match n.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("usage: vs-keyvault [ROUNDS]");
                std::process::exit(1);
            }
        },
    };
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| "unset".to_owned());
    eprintln!(
        "RUST_BACKTRACE={} RUST_LIB_BACKTRACE={}",
        var("RUST_BACKTRACE"),
        var("RUST_LIB_BACKTRACE")
    );
    let clients = setup();
    // Warm both connections (and let the Key Vault client take its challenge).
    for _ in 0..500 {
        clients.ours();
        clients.theirs();
    }
    // Exactly one 401: the Key Vault client's first request; every other request carried the token.
    assert_eq!(UNAUTHORIZED.load(Ordering::Relaxed), 1, "unexpected 401s");
    let mut ours = Vec::with_capacity(rounds);
    let mut theirs = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        ours.push(clients.ours());
        theirs.push(clients.theirs());
    }
    assert_eq!(UNAUTHORIZED.load(Ordering::Relaxed), 1, "unexpected 401s");
    let quantile = |times: &mut Vec<Duration>, q: f64| {
        times.sort();
        times[((times.len() - 1) as f64 * q) as usize]
    };
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!("interleaved, {rounds} calls each, same transport, loopback server:");
    for (name, times) in [
        ("ours   RoomsClient::get_room    ", &mut ours),
        ("theirs SecretClient::get_secret ", &mut theirs),
    ] {
        println!(
            "  {name} median {:>7.1} µs  p10 {:>7.1} µs  p90 {:>7.1} µs",
            us(quantile(times, 0.5)),
            us(quantile(times, 0.1)),
            us(quantile(times, 0.9))
        );
    }
    println!("request headers (last request of each):");
    for (path, seen) in SEEN.lock().unwrap().iter() {
        println!("  {path}: {seen}");
    }
    let ratio = us(quantile(&mut ours, 0.5)) / us(quantile(&mut theirs, 0.5));
    println!("RATIO ours median / theirs median = {ratio:.3} (target <= 1.00)");
}
