//! The hand-written runtime of the generated Azure Communication Services crate.
//!
//! Everything here is the same for every operation (signing, credentials, repeatability headers,
//! error decoding, paging, date formats, event envelopes); everything that depends on a spec is
//! generated into the crate `azure_communication`, which re-exports what its users need. Generated
//! code reaches these items as `crate::runtime::…` through a private alias of this crate; what
//! only generated code uses (the client core, path building, paging, signing, repeatability
//! headers, date formats) is public for it but hidden from these docs.
//!
//! The event envelopes ([`events`]) compile only with the `events` feature.
//!
//! Every public method of a generated client makes an azure_core tracing span named after its
//! API (`RoomsClient.getRoom`) in the `Microsoft.Communication` namespace when the client's
//! options carry a tracer provider: see [`instrumentation`].
//!
//! With the `test-util` feature, `test_util::ScriptedTransport` answers requests from
//! responses scripted per operation and records what was sent, so that code using the clients
//! can be tested without the service, through the real pipeline.

pub mod client;
pub mod communication_token;
pub mod connection_string;
pub mod credential;
#[doc(hidden)]
pub mod datetime;
pub mod enums;
pub mod env;
pub mod error;
#[cfg(feature = "events")]
pub mod events;
#[doc(hidden)]
pub mod hmac;
pub mod identifier;
pub mod instrumentation;
pub mod limits;
pub mod lro;
pub mod nullable;
pub mod number_or_string;
#[doc(hidden)]
pub mod paging;
#[doc(hidden)]
pub mod repeatability;
#[cfg(feature = "test-util")]
pub mod test_util;

#[doc(hidden)]
pub use client::{Auth, ClientCore, PathPart};
pub use communication_token::{CommunicationTokenCredential, CommunicationTokenRefreshOptions};
pub use connection_string::ConnectionString;
pub use credential::{
    AccessKeyCredential, BearerCredential, CommunicationCredential, UserTokenCredential,
};
pub use error::ServiceError;
pub use identifier::{CommunicationCloud, CommunicationIdentifier};
pub use limits::{CallLimits, LimitError};
pub use lro::OperationFailed;
pub use nullable::Nullable;
#[doc(hidden)]
pub use repeatability::RepeatabilityStyle;

#[cfg(feature = "events")]
pub use events::{CloudEvent, Delivery, DeliveryError, EventData, EventGridEvent};
pub use number_or_string::NumberOrString;
