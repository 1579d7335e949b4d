//! OpenAPI example files (the `x-ms-examples` format) as the generated wire tests use them:
//! parameters by name and responses by status, read from `../shared/conformance` when the tests
//! run rather than copied into the project.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wiremock::ResponseTemplate;

/// One example file.
pub struct Example {
    file: String,
    parameters: Map<String, Value>,
    responses: Vec<ExampleResponse>,
}

/// One documented response.
pub struct ExampleResponse {
    /// Status code.
    pub status: u16,
    /// Body, if documented.
    pub body: Option<Value>,
    /// Headers, if documented.
    pub headers: Vec<(String, String)>,
}

impl Example {
    /// Loads `path`, relative to the workspace root (`../shared/…` for the conformance files).
    pub fn load(path: &str) -> Self {
        let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&full)
            .unwrap_or_else(|e| panic!("cannot read the example {full}: {e}"));
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("the example {path} is not JSON: {e}"));
        let parameters = json["parameters"].as_object().cloned().unwrap_or_default();
        let mut responses: Vec<ExampleResponse> = json["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("the example {path} has no responses"))
            .iter()
            .map(|(status, response)| ExampleResponse {
                status: status.parse().unwrap_or_else(|_| panic!("{path}: status {status}")),
                body: response.get("body").cloned(),
                headers: response["headers"]
                    .as_object()
                    .map(|h| {
                        h.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        responses.sort_by_key(|r| r.status);
        Self { file: path.to_owned(), parameters, responses }
    }

    /// The documented responses, by status.
    pub fn responses(&self) -> &[ExampleResponse] {
        &self.responses
    }

    /// A required parameter as text: strings as written, other JSON as its text.
    pub fn string(&self, name: &str) -> String {
        self.text(name).unwrap_or_else(|| panic!("{}: no parameter '{name}'", self.file))
    }

    /// A parameter as text, if the example has it.
    pub fn text(&self, name: &str) -> Option<String> {
        self.parameters.get(name).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// A required parameter decoded into `T`.
    pub fn value<T: DeserializeOwned>(&self, name: &str) -> T {
        self.optional(name).unwrap_or_else(|| panic!("{}: no parameter '{name}'", self.file))
    }

    /// A parameter decoded into `T`, if the example has it.
    pub fn optional<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.parameters.get(name).map(|v| {
            serde_json::from_value(v.clone()).unwrap_or_else(|e| {
                panic!("{}: parameter '{name}' does not decode: {e}", self.file)
            })
        })
    }

    /// The JSON of a parameter (the request body).
    pub fn json(&self, name: &str) -> Value {
        self.parameters
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("{}: no body parameter '{name}'", self.file))
    }

    /// The `(name, text)` of each of `names` the example has, for query matching.
    pub fn texts(&self, names: &[&'static str]) -> Vec<(&'static str, String)> {
        names.iter().filter_map(|n| self.text(n).map(|t| (*n, t))).collect()
    }
}

impl ExampleResponse {
    /// The response a loopback server sends for it.
    pub fn template(&self) -> ResponseTemplate {
        self.build(None)
    }

    /// The response a loopback server at `base` sends for it: as [`template`](Self::template),
    /// with the absolute URL of an `Operation-Location` header moved onto `base` (the documented
    /// one names the real service, which a client does not poll from a loopback server).
    pub fn template_on(&self, base: &str) -> ResponseTemplate {
        self.build(Some(base))
    }

    fn build(&self, base: Option<&str>) -> ResponseTemplate {
        let mut template = ResponseTemplate::new(self.status);
        if let Some(body) = &self.body {
            template = template.set_body_raw(body.to_string(), "application/json");
        }
        for (name, value) in &self.headers {
            let value = match base {
                Some(base) if name.eq_ignore_ascii_case("operation-location") => {
                    on_origin(value, base)
                }
                _ => value.clone(),
            };
            template = template.insert_header(name.as_str(), value.as_str());
        }
        template
    }

    /// Whether the status is a success.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// `url` with the scheme, host and port of `base`; `url` unchanged when either is not an
/// absolute URL.
pub fn on_origin(url: &str, base: &str) -> String {
    use azure_core::http::Url;
    let (Ok(mut url), Ok(base)) = (Url::parse(url), Url::parse(base)) else {
        return url.to_owned();
    };
    let moved = url.set_scheme(base.scheme()).is_ok()
        && url.set_host(base.host_str()).is_ok()
        && url.set_port(base.port()).is_ok();
    if moved {
        url.to_string()
    } else {
        base.to_string()
    }
}
