//! Communication Services connection strings.
//!
//! The Azure portal shows a resource's connection string as
//! `endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>`. Keys are
//! case-insensitive, pairs are separated by `;` (whitespace around them and empty pairs are
//! ignored), each pair is split at its **first** `=` (so the key's base64 padding is kept), and
//! unknown keys are ignored.
//!
//! Error messages say what is wrong but never quote any value, so a key can never leak through
//! them; `Debug` prints the endpoint only.

use crate::credential::AccessKeyCredential;
use azure_core::{error::ErrorKind, http::Url};
use std::{fmt, str::FromStr};

/// A parsed connection string: the resource endpoint and its access key.
#[derive(Clone)]
pub struct ConnectionString {
    endpoint: String,
    credential: AccessKeyCredential,
}

fn invalid(message: String) -> azure_core::Error {
    azure_core::Error::with_message(
        ErrorKind::Credential,
        format!("invalid Communication Services connection string: {message}"),
    )
}

impl ConnectionString {
    /// Parses `endpoint=https://x.communication.azure.com/;accesskey=BASE64==`.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Credential`] when the endpoint or the access key is
    /// missing or given twice, when a part has no `=`, when the endpoint is not an absolute
    /// `http`/`https` URL, or when the access key is not base64. The message never contains the
    /// key (nor any other value from the string).
    pub fn parse(connection_string: &str) -> azure_core::Result<Self> {
        let mut endpoint: Option<&str> = None;
        let mut access_key: Option<&str> = None;
        for (index, pair) in connection_string.split(';').enumerate() {
            let pair = pair.trim();
            if pair.is_empty() {
                continue;
            }
            let Some((key, value)) = pair.split_once('=') else {
                return Err(invalid(format!("part {} is not of the form key=value", index + 1)));
            };
            let key = key.trim();
            let slot = if key.eq_ignore_ascii_case("endpoint") {
                &mut endpoint
            } else if key.eq_ignore_ascii_case("accesskey") {
                &mut access_key
            } else {
                continue;
            };
            if slot.is_some() {
                return Err(invalid(format!(
                    "`{}` is given more than once",
                    key.to_ascii_lowercase()
                )));
            }
            *slot = Some(value.trim());
        }
        let endpoint = endpoint
            .filter(|e| !e.is_empty())
            .ok_or_else(|| invalid("missing `endpoint=`".to_owned()))?;
        let access_key = access_key
            .filter(|k| !k.is_empty())
            .ok_or_else(|| invalid("missing `accesskey=`".to_owned()))?;
        validate_endpoint(endpoint).map_err(|what| invalid(format!("the endpoint {what}")))?;
        let credential = AccessKeyCredential::new(access_key)
            .map_err(|_| invalid("the access key is not valid base64".to_owned()))?;
        Ok(Self { endpoint: endpoint.to_owned(), credential })
    }

    /// The resource endpoint, as written in the connection string (e.g.
    /// `https://x.communication.azure.com/`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The access key credential.
    pub fn credential(&self) -> &AccessKeyCredential {
        &self.credential
    }

    /// Splits into the endpoint and the credential.
    pub fn into_parts(self) -> (String, AccessKeyCredential) {
        (self.endpoint, self.credential)
    }
}

/// Checks that `endpoint` is an absolute http(s) URL with a host and no query or fragment.
pub(crate) fn validate_endpoint(endpoint: &str) -> Result<Url, &'static str> {
    let url = Url::parse(endpoint).map_err(|_| "is not an absolute http(s) URL")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("is not an absolute http(s) URL");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or fragment");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain user information");
    }
    Ok(url)
}

impl FromStr for ConnectionString {
    type Err = azure_core::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Debug for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionString")
            .field("endpoint", &self.endpoint)
            .field("credential", &self.credential)
            .finish()
    }
}
