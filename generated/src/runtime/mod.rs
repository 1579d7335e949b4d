//! Hand-written runtime shared by every generated client and model.
//!
//! Everything here is the same for every operation (signing, repeatability headers, error
//! decoding, date formats, event envelopes); everything that depends on a spec is generated into
//! the sibling modules. Generated code reaches these items as `crate::runtime::…`.

pub mod client;
pub mod connection_string;
pub mod credential;
pub mod datetime;
pub mod enums;
pub mod error;
pub mod events;
pub mod hmac;
pub mod identifier;
pub mod limits;
pub mod nullable;
pub mod number_or_string;
pub mod paging;
pub mod repeatability;

pub use client::{Auth, ClientCore, PathPart};
pub use connection_string::ConnectionString;
pub use credential::{AccessKeyCredential, CommunicationCredential, UserTokenCredential};
pub use error::ServiceError;
pub use limits::{CallLimits, LimitError};
pub use repeatability::RepeatabilityStyle;

pub use events::{CloudEvent, Delivery, DeliveryError, EventData, EventGridEvent};
pub use number_or_string::NumberOrString;
