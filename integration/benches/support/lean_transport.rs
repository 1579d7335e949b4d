//! The smallest `HttpClient` over a `reqwest::Client`, shared by the client benches
//! (`integration/benches/client.rs`, and `peers/src/bin/vs-keyvault.rs` through `#[path]`).
//!
//! One URL clone, headers straight into reqwest's map, the response body read whole. A
//! measurement aid, not a product transport: it drops streaming bodies and error detail.

/// See the module docs. With `https_as_http`, an `https` URL is sent as `http` to the same host
/// and port, for clients that send bearer tokens to `https` endpoints only, measured against a
/// plain-HTTP loopback server.
#[derive(Debug)]
pub struct LeanTransport {
    pub client: reqwest::Client,
    pub https_as_http: bool,
}

#[async_trait::async_trait]
impl azure_core::http::HttpClient for LeanTransport {
    async fn execute_request(
        &self,
        request: &azure_core::http::Request,
    ) -> azure_core::Result<azure_core::http::AsyncRawResponse> {
        use azure_core::http::Method;
        let other = |e: &dyn std::fmt::Display| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Io, e.to_string())
        };
        let method = match request.method() {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            _ => reqwest::Method::HEAD,
        };
        let mut url = request.url().clone();
        if self.https_as_http && url.scheme() == "https" {
            url.set_scheme("http").map_err(|()| other(&"cannot switch the scheme to http"))?;
        }
        let mut req = reqwest::Request::new(method, url);
        for (name, value) in request.headers().iter() {
            req.headers_mut().insert(
                reqwest::header::HeaderName::from_bytes(name.as_str().as_bytes())
                    .map_err(|e| other(&e))?,
                reqwest::header::HeaderValue::from_str(value.as_str()).map_err(|e| other(&e))?,
            );
        }
        if let azure_core::http::request::Body::Bytes(bytes) = request.body() {
            *req.body_mut() = Some(bytes.clone().into());
        }
        let response = self.client.execute(req).await.map_err(|e| other(&e))?;
        let status = response.status().as_u16();
        let mut headers = azure_core::http::headers::Headers::new();
        for (name, value) in response.headers() {
            if let Ok(value) = value.to_str() {
                headers.insert(name.as_str().to_owned(), value.to_owned());
            }
        }
        let body = response.bytes().await.map_err(|e| other(&e))?;
        Ok(azure_core::http::AsyncRawResponse::from_bytes(status.into(), headers, body))
    }
}
