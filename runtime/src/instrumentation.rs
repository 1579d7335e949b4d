//! Distributed tracing of the public client methods, through azure_core's instrumentation.
//!
//! A client built with a tracer provider in `ClientOptions::instrumentation` holds a tracer
//! named for the `Microsoft.Communication` namespace. Each public method hands its API name
//! (`<ClientTypeName>.<operation key of the spec>`, e.g. `RoomsClient.getRoom`) to
//! `ClientCore::instrument`, which returns the call's `Context` carrying azure_core's
//! [`PublicApiInstrumentationInformation`] and that tracer. azure_core then makes the spans:
//! its public-API policy one `Internal` span per call named after the API with
//! `az.namespace = Microsoft.Communication` (status error on 5xx and failures, `error.type` on
//! every error), its request policy one `Client` span per try; a pager makes one public-API span
//! for the whole listing. Neither span carries headers, so no signature or token reaches them,
//! and query values outside azure_core's allow list are redacted from `url.full`.
//!
//! The API name also travels in the `Context` as an [`ApiName`] whatever the tracing setup, so
//! a custom policy or transport (such as the `test-util` scripted transport) can tell which
//! operation a request belongs to.

use std::sync::Arc;

use azure_core::http::{policies::PublicApiInstrumentationInformation, ClientOptions, Context};
use azure_core::tracing::Tracer;

use crate::client::{ClientCore, Package};

/// The namespace of every Communication Services span (`az.namespace`).
pub const NAMESPACE: &str = "Microsoft.Communication";

/// The public API a request belongs to: `<ClientTypeName>.<operation>`, where the operation is
/// the key of the operation in its spec (`RoomsClient.getRoom`).
///
/// Generated methods put it into the request `Context`; a policy reads it with
/// `ctx.value::<ApiName>()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ApiName(&'static str);

impl ApiName {
    /// Wraps a full API name (`RoomsClient.getRoom`).
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    /// The full name, `RoomsClient.getRoom`.
    pub const fn as_str(&self) -> &'static str {
        self.0
    }

    /// The client type, `RoomsClient` (empty when the name has no `.`).
    pub fn client(&self) -> &'static str {
        self.0.split_once('.').map_or("", |(client, _)| client)
    }

    /// The operation key of the spec, `getRoom`.
    pub fn operation(&self) -> &'static str {
        self.0.split_once('.').map_or(self.0, |(_, operation)| operation)
    }
}

impl std::fmt::Display for ApiName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// The namespaced tracer of a client, when its options name a tracer provider.
pub(crate) fn client_tracer(
    package: Package,
    client_options: &ClientOptions,
) -> Option<Arc<dyn Tracer>> {
    let provider = client_options.instrumentation.tracer_provider.as_ref()?;
    Some(provider.get_tracer(Some(NAMESPACE), package.name, Some(package.version)))
}

impl ClientCore {
    /// The `Context` for one call of the public API `api_name` (`RoomsClient.getRoom`): `ctx`
    /// plus the [`ApiName`] and, when the client traces, the public-API information and the
    /// client's namespaced tracer that azure_core's instrumentation reads.
    ///
    /// Pass the result to [`send`](Self::send), or (as an owned context) in the options of a
    /// pager or poller: azure_core makes one span for the whole listing or operation.
    pub fn instrument<'a>(&self, ctx: &Context<'a>, api_name: &'static str) -> Context<'a> {
        let ctx = ctx.clone().with_value(ApiName(api_name));
        match self.tracer() {
            Some(tracer) => ctx
                .with_value(PublicApiInstrumentationInformation::new(api_name, Vec::new()))
                .with_value(tracer.clone()),
            None => ctx,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_name_parts() {
        let name = ApiName::new("ChatThreadClient.sendChatMessage");
        assert_eq!(name.client(), "ChatThreadClient");
        assert_eq!(name.operation(), "sendChatMessage");
        assert_eq!(name.to_string(), "ChatThreadClient.sendChatMessage");
        assert_eq!(ApiName::new("plain").operation(), "plain");
        assert_eq!(ApiName::new("plain").client(), "");
    }
}
