//! Credentials accepted by every Communication Services client.
//!
//! * [`AccessKeyCredential`]: the resource's access key (from the portal or a connection
//!   string). Requests are signed with HMAC-SHA256 (see [`crate::hmac`]).
//! * [`UserTokenCredential`]: a fixed Communication Services user access token, used as a bearer
//!   token (Chat operations act on behalf of a user). For a token that refreshes itself, see
//!   [`CommunicationTokenCredential`].
//! * Any other [`TokenCredential`], for example a Microsoft Entra ID credential from
//!   `azure_identity`, used as a bearer token for the `https://communication.azure.com//.default`
//!   scope.
//!
//! Clients take them through [`CommunicationCredential`] (access key or token) or
//! [`BearerCredential`] (token only), which convert from `Arc::new(credential)` of any
//! `TokenCredential`, from an `Arc<dyn TokenCredential>` and from the credentials themselves.
//!
//! None of these types ever print their secret: `Debug` is redacted and error messages never
//! quote the key or token.

use crate::communication_token::CommunicationTokenCredential;
use azure_core::{
    credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions},
    error::ErrorKind,
    time::{Duration, OffsetDateTime},
};
use base64::Engine as _;
use std::{fmt, sync::Arc};

/// The decoded HMAC key of a Communication Services resource.
///
/// Cloning is cheap (the key bytes are shared). `Debug` never prints the key.
#[derive(Clone)]
pub struct AccessKeyCredential {
    key: Arc<[u8]>,
}

impl AccessKeyCredential {
    /// Creates a credential from the base64-encoded access key shown in the Azure portal (the
    /// `accesskey` part of a connection string).
    ///
    /// Surrounding whitespace is ignored and missing `=` padding is tolerated.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Credential`] when the key is empty or not valid
    /// base64. The message never contains the key.
    pub fn new(base64_key: impl Into<String>) -> azure_core::Result<Self> {
        let encoded = base64_key.into();
        let trimmed = encoded.trim();
        if trimmed.is_empty() {
            return Err(azure_core::Error::with_message(
                ErrorKind::Credential,
                "the access key is empty",
            ));
        }
        // `DecodeError` would quote an offending byte of the key, so it is deliberately dropped.
        let key = LENIENT_BASE64.decode(trimmed).map_err(|_| {
            azure_core::Error::with_message(
                ErrorKind::Credential,
                "the access key is not valid base64",
            )
        })?;
        if key.is_empty() {
            return Err(azure_core::Error::with_message(
                ErrorKind::Credential,
                "the access key decodes to zero bytes",
            ));
        }
        Ok(Self { key: key.into() })
    }

    /// The decoded key bytes, used to compute request signatures.
    pub(crate) fn key(&self) -> &[u8] {
        &self.key
    }
}

/// Standard alphabet, padding optional on decode.
const LENIENT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

impl fmt::Debug for AccessKeyCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessKeyCredential { .. }")
    }
}

/// Scope requested from a [`TokenCredential`] for Communication Services data-plane calls.
pub const COMMUNICATION_SCOPE: &str = "https://communication.azure.com//.default";

/// A fixed Communication Services user access token (as issued by the Identity service), sent
/// as a bearer token.
///
/// The token is never refreshed: once it expires, calls fail with 401 and a new credential has
/// to be created. The expiry is read from the token's JWT `exp` claim when present; a token
/// that is not a JWT is still accepted and reported as expiring "now", so that callers do not
/// cache it.
#[derive(Clone)]
pub struct UserTokenCredential {
    token: Secret,
    expires_on: Option<OffsetDateTime>,
}

impl UserTokenCredential {
    /// Creates a credential from a user access token.
    pub fn new(token: impl Into<String>) -> Self {
        let token: String = token.into();
        let token = token.trim().to_owned();
        let expires_on = jwt_expiry(&token);
        Self { token: Secret::new(token), expires_on }
    }

    /// When the token expires, if it is a JWT with an `exp` claim.
    pub fn expires_on(&self) -> Option<OffsetDateTime> {
        self.expires_on
    }
}

impl fmt::Debug for UserTokenCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserTokenCredential")
            .field("expires_on", &self.expires_on)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl TokenCredential for UserTokenCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        if self.token.secret().is_empty() {
            return Err(azure_core::Error::with_message(
                ErrorKind::Credential,
                "the user access token is empty",
            ));
        }
        Ok(AccessToken::new(
            self.token.clone(),
            self.expires_on.unwrap_or_else(OffsetDateTime::now_utc),
        ))
    }
}

/// Reads the `exp` claim (seconds since the Unix epoch) of a JWT without validating it.
pub(crate) fn jwt_expiry(token: &str) -> Option<OffsetDateTime> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_i64()?;
    OffsetDateTime::UNIX_EPOCH.checked_add(Duration::seconds(exp))
}

/// The credential a Communication Services client authenticates with.
#[derive(Clone, Debug)]
pub enum CommunicationCredential {
    /// Sign every request with the resource's access key (HMAC-SHA256).
    AccessKey(AccessKeyCredential),
    /// Send a bearer token obtained from this credential.
    TokenCredential(Arc<dyn TokenCredential>),
}

impl From<AccessKeyCredential> for CommunicationCredential {
    fn from(credential: AccessKeyCredential) -> Self {
        Self::AccessKey(credential)
    }
}

impl From<Arc<dyn TokenCredential>> for CommunicationCredential {
    fn from(credential: Arc<dyn TokenCredential>) -> Self {
        Self::TokenCredential(credential)
    }
}

impl From<UserTokenCredential> for CommunicationCredential {
    fn from(credential: UserTokenCredential) -> Self {
        Self::TokenCredential(Arc::new(credential))
    }
}

/// `Arc::new(credential)` of any concrete credential type, without a cast to
/// `Arc<dyn TokenCredential>`.
///
/// This does not overlap the impl for `Arc<dyn TokenCredential>`: `C` is implicitly `Sized`,
/// which `dyn TokenCredential` is not.
impl<C: TokenCredential + 'static> From<Arc<C>> for CommunicationCredential {
    fn from(credential: Arc<C>) -> Self {
        Self::TokenCredential(credential)
    }
}

/// The credential of a client that only takes bearer tokens (a Communication Services user
/// access token, or any other [`TokenCredential`]); unlike [`CommunicationCredential`] it has
/// no access-key variant, so passing an access key to such a client does not compile.
///
/// Client constructors take `impl Into<BearerCredential>`: an `Arc<C>` of any concrete
/// `C: TokenCredential`, an `Arc<dyn TokenCredential>`, or a [`UserTokenCredential`] as is.
#[derive(Clone, Debug)]
pub struct BearerCredential(pub Arc<dyn TokenCredential>);

impl From<Arc<dyn TokenCredential>> for BearerCredential {
    fn from(credential: Arc<dyn TokenCredential>) -> Self {
        Self(credential)
    }
}

/// See the same impl of [`CommunicationCredential`].
impl<C: TokenCredential + 'static> From<Arc<C>> for BearerCredential {
    fn from(credential: Arc<C>) -> Self {
        Self(credential)
    }
}

impl From<UserTokenCredential> for BearerCredential {
    fn from(credential: UserTokenCredential) -> Self {
        Self(Arc::new(credential))
    }
}

impl From<CommunicationTokenCredential> for BearerCredential {
    fn from(credential: CommunicationTokenCredential) -> Self {
        Self(Arc::new(credential))
    }
}

impl From<CommunicationTokenCredential> for CommunicationCredential {
    fn from(credential: CommunicationTokenCredential) -> Self {
        Self::TokenCredential(Arc::new(credential))
    }
}

impl From<BearerCredential> for CommunicationCredential {
    fn from(credential: BearerCredential) -> Self {
        Self::TokenCredential(credential.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_key_decodes_padded_and_unpadded() {
        assert_eq!(AccessKeyCredential::new("pw==").unwrap().key(), &[0xA7]);
        assert_eq!(AccessKeyCredential::new(" pw ").unwrap().key(), &[0xA7]);
    }

    #[test]
    fn access_key_errors_do_not_echo_the_key() {
        for bad in ["", "   ", "not*base64!secretvalue", "===="] {
            let err = AccessKeyCredential::new(bad).unwrap_err();
            assert_eq!(err.kind(), &ErrorKind::Credential);
            let text = format!("{err} {err:?}");
            assert!(!text.contains("secretvalue"), "{text}");
        }
    }

    #[test]
    fn jwt_expiry_is_read() {
        // {"alg":"none"}.{"exp":1700000000}
        let token = "eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDB9.sig";
        let credential = UserTokenCredential::new(token);
        assert_eq!(
            credential.expires_on().map(OffsetDateTime::unix_timestamp),
            Some(1_700_000_000)
        );
        assert!(UserTokenCredential::new("opaque").expires_on().is_none());
        assert!(!format!("{credential:?}").contains("eyJ"));
    }
}
