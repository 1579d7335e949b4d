//! The hand-written runtime of the generated Azure Communication Services crate.
//!
//! Everything here is the same for every operation (signing, credentials, repeatability headers,
//! error decoding, paging, date formats, event envelopes); everything that depends on a spec is
//! generated into the crate `azure_communication`, which re-exports what its users need. Generated
//! code reaches these items as `crate::runtime::…` through a private alias of this crate.
//!
//! The event envelopes ([`events`]) compile only with the `events` feature.

pub mod client;
pub mod communication_token;
pub mod connection_string;
pub mod credential;
pub mod datetime;
pub mod enums;
pub mod error;
#[cfg(feature = "events")]
pub mod events;
pub mod hmac;
pub mod identifier;
pub mod instrumentation;
pub mod limits;
pub mod nullable;
pub mod number_or_string;
pub mod paging;
pub mod repeatability;

pub use client::{Auth, ClientCore, PathPart};
pub use communication_token::{CommunicationTokenCredential, CommunicationTokenRefreshOptions};
pub use connection_string::ConnectionString;
pub use credential::{
    AccessKeyCredential, BearerCredential, CommunicationCredential, UserTokenCredential,
};
pub use error::ServiceError;
pub use identifier::{CommunicationCloud, CommunicationIdentifier};
pub use limits::{CallLimits, LimitError};
pub use nullable::Nullable;
pub use repeatability::RepeatabilityStyle;

#[cfg(feature = "events")]
pub use events::{CloudEvent, Delivery, DeliveryError, EventData, EventGridEvent};
pub use number_or_string::NumberOrString;
