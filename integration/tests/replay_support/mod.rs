//! Loader for the recorded live sessions under `shared/conformance/recordings/`.
//!
//! Two recording formats exist in the Azure SDKs; both are normalized into [`Entry`]:
//!
//! * the test-proxy format (`{"Entries": [{"RequestUri", "RequestMethod", "RequestHeaders",
//!   "RequestBody", "StatusCode", "ResponseHeaders", "ResponseBody"}]}`), written by the .NET and
//!   Python SDKs and by the JS recorder v2 (every file of the corpus, the JS ones included, is in
//!   this format);
//! * the JS recorder v1 format (`{"recordings": [{"method", "url", "query", "requestBody",
//!   "status", "response", "responseHeaders"}]}`), where the query is a separate object and the
//!   bodies are JSON text.
//!
//! Hand-written, shared by `tests/replay.rs`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Where the recordings are: `shared/` sits next to the workspace.
pub const RECORDINGS_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance/recordings");

/// The format a recording file was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `Entries` (.NET, Python, JS recorder v2).
    TestProxy,
    /// `recordings` (JS recorder v1).
    JsRecorderV1,
}

/// A recorded request or response body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body (`null`, an empty string, or `[]` with `Content-Length: 0`).
    Empty,
    /// A JSON body, as recorded.
    Json(Value),
    /// A body that is not JSON, as recorded.
    Text(String),
}

impl Body {
    /// The JSON value of the body; `None` for an empty body. Panics on a text body.
    pub fn json(&self, what: &str) -> Option<&Value> {
        match self {
            Body::Empty => None,
            Body::Json(value) => Some(value),
            Body::Text(text) => {
                panic!("{what}: expected a JSON body, the recording has text {text:?}")
            }
        }
    }
}

/// One recorded request/response pair, whatever the file format.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Position in the file (0-based).
    pub index: usize,
    /// `POST`, `GET`, ...
    pub method: String,
    /// The request URI as recorded.
    pub uri: String,
    /// The path exactly as it went on the wire (still percent-encoded).
    pub path: String,
    /// The raw query string (without `?`), if any.
    pub query: Option<String>,
    /// Request headers with their recorded names and values.
    pub request_headers: Vec<(String, String)>,
    /// The request body.
    pub request_body: Body,
    /// The response status.
    pub status: u16,
    /// Response headers with their recorded names and values.
    pub response_headers: Vec<(String, String)>,
    /// The response body.
    pub response_body: Body,
}

impl Entry {
    /// A recorded request header, looked up case-insensitively.
    pub fn request_header(&self, name: &str) -> Option<&str> {
        find_header(&self.request_headers, name)
    }

    /// A recorded response header, looked up case-insensitively.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        find_header(&self.response_headers, name)
    }

    /// Names the entry in failure messages: `file entry #2 (POST https://...)`.
    pub fn label(&self, file: &str) -> String {
        format!("{file} entry #{} ({} {})", self.index, self.method, self.uri)
    }

    /// The decoded values of the query parameter `name`.
    pub fn query_values(&self, name: &str) -> Vec<String> {
        let query = self.query.as_deref().unwrap_or("");
        url::form_urlencoded::parse(query.as_bytes())
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .collect()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
}

/// Whether a recorded value was replaced by a recorder's sanitizer (`Sanitized`, `sanitized`).
pub fn is_sanitized(value: &str) -> bool {
    value.eq_ignore_ascii_case("sanitized")
}

/// A loaded recording file.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The path relative to [`RECORDINGS_DIR`].
    pub file: String,
    /// The format it was written in.
    pub format: Format,
    /// Its entries, in order.
    pub entries: Vec<Entry>,
}

/// Loads `relative` (a path under [`RECORDINGS_DIR`]). Panics, naming the file, when it is
/// missing or not a recording: a missing corpus must fail, not pass.
pub fn load(relative: &str) -> Recording {
    let path = Path::new(RECORDINGS_DIR).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the recording {}: {e} (the corpus lives in shared/conformance/, next to \
             the workspace; see shared/conformance/SOURCES.md)",
            path.display()
        )
    });
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    parse(relative, &json)
}

/// Normalizes a recording document (either format).
pub fn parse(file: &str, json: &Value) -> Recording {
    if let Some(entries) = json.get("Entries").and_then(Value::as_array) {
        let entries =
            entries.iter().enumerate().map(|(i, e)| parse_test_proxy(file, i, e)).collect();
        Recording { file: file.to_owned(), format: Format::TestProxy, entries }
    } else if let Some(entries) = json.get("recordings").and_then(Value::as_array) {
        let entries = entries.iter().enumerate().map(|(i, e)| parse_js_v1(file, i, e)).collect();
        Recording { file: file.to_owned(), format: Format::JsRecorderV1, entries }
    } else {
        panic!("{file}: neither an `Entries` (test-proxy) nor a `recordings` (JS v1) recording")
    }
}

fn string_field<'a>(file: &str, index: usize, entry: &'a Value, key: &str) -> &'a str {
    entry
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{file} entry #{index}: `{key}` is missing or not a string"))
}

fn status_field(file: &str, index: usize, entry: &Value, key: &str) -> u16 {
    entry
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|status| u16::try_from(status).ok())
        .unwrap_or_else(|| panic!("{file} entry #{index}: `{key}` is missing or not a status"))
}

/// Header maps: values are strings, or (older recorders) arrays of strings.
fn headers(file: &str, index: usize, value: Option<&Value>) -> Vec<(String, String)> {
    let Some(value) = value.filter(|v| !v.is_null()) else { return Vec::new() };
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{file} entry #{index}: a header map is not an object"));
    object
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Value::String(s) => s.clone(),
                Value::Array(items) => items
                    .iter()
                    .map(|item| item.as_str().expect("header values are strings"))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => panic!("{file} entry #{index}: header {name} has value {other}"),
            };
            (name.clone(), value)
        })
        .collect()
}

/// A test-proxy body: `null`, parsed JSON, or a string for non-JSON content. A recorded
/// `Content-Length: 0` means no body whatever the placeholder (.NET writes `[]`, Python `null`).
fn test_proxy_body(
    file: &str,
    index: usize,
    value: Option<&Value>,
    headers: &[(String, String)],
) -> Body {
    let empty_by_length = find_header(headers, "content-length") == Some("0");
    match value {
        None | Some(Value::Null) => Body::Empty,
        Some(Value::String(s)) if s.is_empty() => Body::Empty,
        Some(Value::Array(a)) if a.is_empty() && empty_by_length => Body::Empty,
        Some(_) if empty_by_length => {
            panic!("{file} entry #{index}: Content-Length is 0 but a body is recorded")
        }
        Some(Value::String(s)) => Body::Text(s.clone()),
        Some(json) => Body::Json(json.clone()),
    }
}

fn parse_test_proxy(file: &str, index: usize, entry: &Value) -> Entry {
    let uri = string_field(file, index, entry, "RequestUri").to_owned();
    let (path, query) = split_uri(&uri);
    let request_headers = headers(file, index, entry.get("RequestHeaders"));
    let response_headers = headers(file, index, entry.get("ResponseHeaders"));
    Entry {
        index,
        method: string_field(file, index, entry, "RequestMethod").to_owned(),
        request_body: test_proxy_body(file, index, entry.get("RequestBody"), &request_headers),
        response_body: test_proxy_body(file, index, entry.get("ResponseBody"), &response_headers),
        status: status_field(file, index, entry, "StatusCode"),
        uri,
        path,
        query,
        request_headers,
        response_headers,
    }
}

/// A JS v1 body: JSON text (or an already-parsed value), possibly empty.
fn js_v1_body(value: Option<&Value>) -> Body {
    match value {
        None | Some(Value::Null) => Body::Empty,
        Some(Value::String(s)) if s.is_empty() => Body::Empty,
        Some(Value::String(s)) => match serde_json::from_str(s) {
            Ok(json) => Body::Json(json),
            Err(_) => Body::Text(s.clone()),
        },
        Some(json) => Body::Json(json.clone()),
    }
}

fn parse_js_v1(file: &str, index: usize, entry: &Value) -> Entry {
    let url = string_field(file, index, entry, "url");
    let (path, mut query) = split_uri(url);
    if let Some(pairs) = entry.get("query").and_then(Value::as_object) {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            let value = value.as_str().unwrap_or_else(|| {
                panic!("{file} entry #{index}: query parameter {key} is not a string")
            });
            serializer.append_pair(key, value);
        }
        let encoded = serializer.finish();
        if !encoded.is_empty() {
            query = Some(match query {
                Some(existing) => format!("{existing}&{encoded}"),
                None => encoded,
            });
        }
    }
    let uri = match &query {
        Some(q) => format!("{url}?{q}"),
        None => url.to_owned(),
    };
    Entry {
        index,
        method: string_field(file, index, entry, "method").to_owned(),
        uri,
        path,
        query,
        request_headers: headers(file, index, entry.get("requestHeaders")),
        request_body: js_v1_body(entry.get("requestBody")),
        status: status_field(file, index, entry, "status"),
        response_headers: headers(file, index, entry.get("responseHeaders")),
        response_body: js_v1_body(entry.get("response")),
    }
}

/// Splits a recorded URI into its raw path and raw query, without decoding anything.
pub fn split_uri(uri: &str) -> (String, Option<String>) {
    let after_scheme = match uri.find("://") {
        Some(i) => &uri[i + 3..],
        None => uri,
    };
    let path_and_query = match after_scheme.find('/') {
        Some(i) if uri.contains("://") => &after_scheme[i..],
        Some(_) => after_scheme,
        None => "/",
    };
    let path_and_query = path_and_query.split('#').next().unwrap_or_default();
    match path_and_query.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (path_and_query.to_owned(), None),
    }
}

/// Which of our operations a recorded request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    /// `POST /chat/threads`.
    CreateChatThread,
    /// `GET /chat/threads`.
    ListChatThreads,
    /// `POST /chat/threads/{chatThreadId}/messages`.
    SendChatMessage,
    /// `GET /chat/threads/{chatThreadId}/messages`.
    ListChatMessages,
    /// `POST /chat/threads/{chatThreadId}/readReceipts`.
    SendChatReadReceipt,
    /// `POST /rooms`.
    CreateRoom,
    /// `POST /calling/callConnections`.
    CreateCall,
    /// `POST /identities`.
    CreateIdentity,
    /// `DELETE /identities/{id}`.
    DeleteIdentity,
    /// `POST /identities/{id}/:issueAccessToken`.
    IssueAccessToken,
    /// `POST /identities/{id}/:revokeAccessTokens`.
    RevokeAccessTokens,
    /// `POST /teamsUser/:exchangeAccessToken`.
    ExchangeTeamsUserAccessToken,
    /// `POST /emails:send`.
    SendEmail,
    /// `GET /emails/operations/{operationId}`.
    GetEmailSendResult,
}

impl OpKind {
    /// The JSON property of the response body holding the next link, for list operations.
    pub fn next_link_field(self) -> Option<&'static str> {
        match self {
            OpKind::ListChatThreads | OpKind::ListChatMessages => Some("nextLink"),
            _ => None,
        }
    }
}

/// A recorded request recognized as one of our operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// The operation.
    pub kind: OpKind,
    /// The path parameters, percent-decoded (e.g. the `19:…@thread.v2` thread id).
    pub path_params: Vec<String>,
}

/// Recognizes our operations by method and path shape; anything else (get/delete/update calls
/// of rooms and threads, read receipt listings, ...) is `None`. A `:action` segment is matched
/// as recorded: the SDKs send it unencoded.
pub fn classify(method: &str, raw_path: &str) -> Option<Classified> {
    let segments: Vec<&str> = raw_path.trim_start_matches('/').split('/').collect();
    let decode = |segment: &str| {
        percent_encoding::percent_decode_str(segment)
            .decode_utf8()
            .expect("path segments decode to UTF-8")
            .into_owned()
    };
    let method = method.to_ascii_uppercase();
    let (kind, path_params) = match (method.as_str(), segments.as_slice()) {
        ("POST", ["chat", "threads"]) => (OpKind::CreateChatThread, Vec::new()),
        ("GET", ["chat", "threads"]) => (OpKind::ListChatThreads, Vec::new()),
        ("POST", ["chat", "threads", id, "messages"]) => {
            (OpKind::SendChatMessage, vec![decode(id)])
        }
        ("GET", ["chat", "threads", id, "messages"]) => {
            (OpKind::ListChatMessages, vec![decode(id)])
        }
        ("POST", ["chat", "threads", id, "readReceipts"]) => {
            (OpKind::SendChatReadReceipt, vec![decode(id)])
        }
        ("POST", ["rooms"]) => (OpKind::CreateRoom, Vec::new()),
        ("POST", ["calling", "callConnections"]) => (OpKind::CreateCall, Vec::new()),
        ("POST", ["identities"]) => (OpKind::CreateIdentity, Vec::new()),
        ("DELETE", ["identities", id]) => (OpKind::DeleteIdentity, vec![decode(id)]),
        ("POST", ["identities", id, ":issueAccessToken"]) => {
            (OpKind::IssueAccessToken, vec![decode(id)])
        }
        ("POST", ["identities", id, ":revokeAccessTokens"]) => {
            (OpKind::RevokeAccessTokens, vec![decode(id)])
        }
        ("POST", ["teamsUser", ":exchangeAccessToken"]) => {
            (OpKind::ExchangeTeamsUserAccessToken, Vec::new())
        }
        ("POST", ["emails:send"]) => (OpKind::SendEmail, Vec::new()),
        ("GET", ["emails", "operations", id]) => (OpKind::GetEmailSendResult, vec![decode(id)]),
        _ => return None,
    };
    Some(Classified { kind, path_params })
}

/// Every `*.json` file under [`RECORDINGS_DIR`], relative to it, sorted.
pub fn all_recording_files() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                out.push(path);
            }
        }
    }
    let root = Path::new(RECORDINGS_DIR);
    let mut files = Vec::new();
    walk(root, &mut files);
    let mut relative: Vec<String> = files
        .iter()
        .map(|p| p.strip_prefix(root).expect("under the root").to_string_lossy().replace('\\', "/"))
        .collect();
    relative.sort();
    relative
}
