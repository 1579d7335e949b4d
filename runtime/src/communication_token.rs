//! [`CommunicationTokenCredential`]: a Communication Services user access token that refreshes
//! itself, like `CommunicationTokenCredential` of the official ACS SDKs.

use crate::credential::jwt_expiry;
use azure_core::{
    async_runtime::{get_async_runtime, SpawnedTask},
    credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions},
    error::ErrorKind,
    time::{Duration, OffsetDateTime},
};
use std::{
    fmt,
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex, Weak},
};

type RefreshFuture = Pin<Box<dyn Future<Output = azure_core::Result<AccessToken>> + Send>>;
type Refresher = Arc<dyn Fn() -> RefreshFuture + Send + Sync>;

/// How a [`CommunicationTokenCredential`] with a refresher refreshes.
#[derive(Clone, Debug)]
pub struct CommunicationTokenRefreshOptions {
    /// A token to use until it needs refreshing; without one, the first call refreshes.
    pub initial_token: Option<AccessToken>,
    /// Refresh in the background before the token expires (when it enters
    /// [`refresh_margin`](Self::refresh_margin), or halfway through its remaining lifetime if
    /// that is later), so that calls rarely wait for a refresh. Off by default: tokens are then
    /// refreshed when a call needs one.
    ///
    /// The background work is one timer task on azure_core's async runtime, started by the
    /// first call; it never keeps the credential alive and is aborted when the last clone of
    /// the credential is dropped.
    pub refresh_proactively: bool,
    /// A token expiring within this margin is refreshed; 10 minutes unless changed, as in the
    /// official SDKs. If that refresh fails while the token is still valid, the token is used.
    pub refresh_margin: Duration,
    /// When the refresher returns a token that has already expired, the credential waits this
    /// long before asking again, doubling the wait each time up to
    /// [`max_retry_delay`](Self::max_retry_delay); 1 second unless changed. Proactive refreshes
    /// are also at least this far apart.
    pub retry_delay: Duration,
    /// The longest wait between two refresher calls that returned expired tokens; 30 seconds
    /// unless changed.
    pub max_retry_delay: Duration,
    /// How many expired tokens in a row the refresher may return before the call fails with an
    /// error of kind [`ErrorKind::Credential`]; 5 unless changed.
    pub max_attempts: u32,
}

impl Default for CommunicationTokenRefreshOptions {
    fn default() -> Self {
        Self {
            initial_token: None,
            refresh_proactively: false,
            refresh_margin: Duration::minutes(10),
            retry_delay: Duration::seconds(1),
            max_retry_delay: Duration::seconds(30),
            max_attempts: 5,
        }
    }
}

/// A Communication Services user access token for Chat and other user-facing APIs, either
/// fixed or kept fresh by a refresher (an async callback that asks your server for a new token
/// and its expiry).
///
/// * Calls that find a missing or expiring token refresh it; concurrent calls share one
///   refresh.
/// * With [`refresh_proactively`](CommunicationTokenRefreshOptions::refresh_proactively), it
///   also refreshes in the background ahead of expiry.
/// * A refresher that returns an already expired token is asked again after a growing delay,
///   and the call fails after [`max_attempts`](CommunicationTokenRefreshOptions::max_attempts).
/// * `Debug` never shows the token.
///
/// It is an azure_core [`TokenCredential`], so it plugs into the clients that take one:
///
/// ```no_run
/// use azure_communication_runtime::communication_token::{
///     CommunicationTokenCredential, CommunicationTokenRefreshOptions,
/// };
/// use azure_core::{credentials::AccessToken, time::{Duration, OffsetDateTime}};
///
/// async fn fetch_token_from_my_server() -> azure_core::Result<AccessToken> {
///     Ok(AccessToken::new("<token>", OffsetDateTime::now_utc() + Duration::hours(24)))
/// }
///
/// let credential = CommunicationTokenCredential::with_refresher(
///     fetch_token_from_my_server,
///     CommunicationTokenRefreshOptions { refresh_proactively: true, ..Default::default() },
/// );
/// ```
///
/// Cloning is cheap; clones share the token and the refresher.
#[derive(Clone)]
pub struct CommunicationTokenCredential {
    shared: Arc<Shared>,
}

struct Shared {
    refresher: Option<Refresher>,
    options: CommunicationTokenRefreshOptions,
    /// The current token. The lock is held during a refresh, so concurrent calls wait for it
    /// and then find the new token.
    token: async_lock::Mutex<Option<AccessToken>>,
    /// The proactive refresh timer, if one is scheduled.
    timer: Mutex<Option<SpawnedTask>>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.get_mut().ok().and_then(Option::take) {
            timer.abort();
        }
    }
}

impl CommunicationTokenCredential {
    /// A credential for one fixed user access token (a JWT as issued by the Identity service),
    /// never refreshed. Once it expires, calls fail with an error of kind
    /// [`ErrorKind::Credential`].
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Credential`] when the token is not a JWT with an
    /// `exp` claim. The message never contains the token.
    pub fn from_token(token: impl Into<String>) -> azure_core::Result<Self> {
        let token = parse_token(token)?;
        let options =
            CommunicationTokenRefreshOptions { initial_token: Some(token), ..Default::default() };
        Ok(Self::build(None, options))
    }

    /// A credential that gets its tokens from `refresher`, an async callback returning a token
    /// and its expiry (see [`parse_token`] to read the expiry from a JWT).
    pub fn with_refresher<F, Fut>(refresher: F, options: CommunicationTokenRefreshOptions) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = azure_core::Result<AccessToken>> + Send + 'static,
    {
        let refresher: Refresher = Arc::new(move || Box::pin(refresher()) as RefreshFuture);
        Self::build(Some(refresher), options)
    }

    fn build(refresher: Option<Refresher>, options: CommunicationTokenRefreshOptions) -> Self {
        let token = async_lock::Mutex::new(options.initial_token.clone());
        Self { shared: Arc::new(Shared { refresher, options, token, timer: Mutex::new(None) }) }
    }

    /// The current token, refreshed first if it is missing or expiring.
    ///
    /// # Errors
    ///
    /// The refresher's error when there is no valid token to fall back on; an error of kind
    /// [`ErrorKind::Credential`] when a fixed token has expired or the refresher keeps
    /// returning expired tokens.
    pub async fn token(&self) -> azure_core::Result<AccessToken> {
        let token = self.shared.current_token().await?;
        if self.shared.options.refresh_proactively {
            Shared::schedule_if_idle(&self.shared, token.expires_on);
        }
        Ok(token)
    }
}

/// Reads the expiry of a Communication Services user access token (the JWT `exp` claim).
///
/// # Errors
///
/// Returns an error of kind [`ErrorKind::Credential`] when the token is not a JWT with an
/// `exp` claim. The message never contains the token.
pub fn parse_token(token: impl Into<String>) -> azure_core::Result<AccessToken> {
    let token = token.into().trim().to_owned();
    let expires_on = jwt_expiry(&token).ok_or_else(|| {
        azure_core::Error::with_message(
            ErrorKind::Credential,
            "the user access token is not a JWT with an expiry (`exp` claim)",
        )
    })?;
    Ok(AccessToken::new(Secret::new(token), expires_on))
}

impl Shared {
    fn expiring(&self, token: &AccessToken) -> bool {
        token.expires_on <= OffsetDateTime::now_utc() + self.options.refresh_margin
    }

    async fn current_token(&self) -> azure_core::Result<AccessToken> {
        let mut current = self.token.lock().await;
        let Some(refresher) = &self.refresher else {
            return match current.as_ref() {
                Some(token) if token.expires_on > OffsetDateTime::now_utc() => Ok(token.clone()),
                _ => Err(azure_core::Error::with_message(
                    ErrorKind::Credential,
                    "the user access token has expired and this credential has no refresher",
                )),
            };
        };
        if let Some(token) = current.as_ref().filter(|token| !self.expiring(token)) {
            return Ok(token.clone());
        }
        match self.refresh(refresher).await {
            Ok(token) => {
                *current = Some(token.clone());
                Ok(token)
            }
            Err(error) => match current.as_ref() {
                // The refresh failed, but the token has not expired yet: use it.
                Some(token) if token.expires_on > OffsetDateTime::now_utc() => Ok(token.clone()),
                _ => Err(error),
            },
        }
    }

    /// Calls the refresher until it returns a token that has not expired, waiting a growing
    /// delay between calls, at most `max_attempts` times.
    async fn refresh(&self, refresher: &Refresher) -> azure_core::Result<AccessToken> {
        let mut delay = self.options.retry_delay;
        let attempts = self.options.max_attempts.max(1);
        for attempt in 1..=attempts {
            let token = refresher().await?;
            if token.expires_on > OffsetDateTime::now_utc() {
                return Ok(token);
            }
            if attempt < attempts {
                sleep(delay).await;
                delay = (delay * 2_i32).min(self.options.max_retry_delay);
            }
        }
        Err(azure_core::Error::with_message(
            ErrorKind::Credential,
            format!(
                "the token refresher returned an already expired token {attempts} times in a row"
            ),
        ))
    }

    /// Starts the proactive refresh timer for a token expiring at `expires_on`, unless one is
    /// running.
    fn schedule_if_idle(shared: &Arc<Self>, expires_on: OffsetDateTime) {
        let Ok(mut timer) = shared.timer.lock() else { return };
        if timer.is_some() || shared.refresher.is_none() {
            return;
        }
        *timer =
            Some(Self::spawn_timer(Arc::downgrade(shared), shared.proactive_delay(expires_on)));
    }

    /// When to refresh ahead of `expires_on`: at the refresh margin, or halfway through the
    /// remaining lifetime if that is later (short-lived tokens), and no sooner than the retry
    /// delay.
    fn proactive_delay(&self, expires_on: OffsetDateTime) -> Duration {
        let remaining = expires_on - OffsetDateTime::now_utc();
        (remaining - self.options.refresh_margin).max(remaining / 2).max(self.options.retry_delay)
    }

    /// The timer holds only a weak reference, so it never keeps the credential alive.
    fn spawn_timer(shared: Weak<Self>, delay: Duration) -> SpawnedTask {
        get_async_runtime().spawn(Box::pin(async move {
            sleep(delay).await;
            let Some(shared) = shared.upgrade() else { return };
            let Some(refresher) = shared.refresher.clone() else { return };
            let next = {
                let mut current = shared.token.lock().await;
                match current.as_ref() {
                    // A call refreshed it meanwhile: wait for this token's turn.
                    Some(token) if !shared.expiring(token) => Some(token.expires_on),
                    _ => match shared.refresh(&refresher).await {
                        Ok(token) => {
                            let expires_on = token.expires_on;
                            *current = Some(token);
                            Some(expires_on)
                        }
                        // The next call refreshes on demand (and schedules the timer again).
                        Err(_) => None,
                    },
                }
            };
            let next = next.map(|expires_on| {
                Self::spawn_timer(Arc::downgrade(&shared), shared.proactive_delay(expires_on))
            });
            if let Ok(mut timer) = shared.timer.lock() {
                *timer = next;
            };
        }))
    }
}

async fn sleep(delay: Duration) {
    if delay.is_positive() {
        azure_core::sleep(delay).await;
    }
}

impl fmt::Debug for CommunicationTokenCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let options = &self.shared.options;
        f.debug_struct("CommunicationTokenCredential")
            .field("refresher", &self.shared.refresher.is_some())
            .field("refresh_proactively", &options.refresh_proactively)
            .field("refresh_margin", &options.refresh_margin)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl TokenCredential for CommunicationTokenCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.token().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    fn ms(n: i64) -> Duration {
        Duration::milliseconds(n)
    }

    /// A refresher that counts its calls and hands out `token-<n>` tokens living `lifetime`,
    /// each after `delay`.
    fn counting_refresher(
        calls: &Arc<AtomicUsize>,
        lifetime: Duration,
        delay: std::time::Duration,
    ) -> impl Fn() -> RefreshFuture + Send + Sync + 'static {
        let calls = calls.clone();
        move || {
            let calls = calls.clone();
            Box::pin(async move {
                let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(delay).await;
                Ok(AccessToken::new(format!("token-{n}"), OffsetDateTime::now_utc() + lifetime))
            })
        }
    }

    async fn get(credential: &CommunicationTokenCredential) -> azure_core::Result<String> {
        let token = credential.get_token(&["scope"], None).await?;
        Ok(token.token.secret().to_owned())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_calls_share_one_refresh() {
        let calls = Arc::new(AtomicUsize::new(0));
        let credential = CommunicationTokenCredential::with_refresher(
            counting_refresher(&calls, Duration::hours(1), std::time::Duration::from_millis(100)),
            CommunicationTokenRefreshOptions::default(),
        );
        let tasks = (0..32).map(|_| {
            let credential = credential.clone();
            tokio::spawn(async move { get(&credential).await })
        });
        for result in futures::future::join_all(tasks).await {
            assert_eq!(result.unwrap().unwrap(), "token-1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Not expiring: no further refresh.
        assert_eq!(get(&credential).await.unwrap(), "token-1");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_expiring_token_is_refreshed_on_demand_and_kept_if_the_refresh_fails() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let credential = CommunicationTokenCredential::with_refresher(
            move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    match n {
                        0 => Ok(AccessToken::new("short", OffsetDateTime::now_utc() + ms(300))),
                        _ => Err(azure_core::Error::with_message(ErrorKind::Io, "offline")),
                    }
                }
            },
            CommunicationTokenRefreshOptions {
                refresh_margin: Duration::minutes(10),
                ..Default::default()
            },
        );
        assert_eq!(get(&credential).await.unwrap(), "short");
        // Within the margin: refreshed, the refresh fails, the valid token is used.
        assert_eq!(get(&credential).await.unwrap(), "short");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        tokio::time::sleep(std::time::Duration::from_millis(350)).await;
        // Expired: the refresher's error.
        assert_eq!(get(&credential).await.unwrap_err().kind(), &ErrorKind::Io);
    }

    #[tokio::test]
    async fn proactive_refresh_happens_before_expiry_without_calls() {
        let calls = Arc::new(AtomicUsize::new(0));
        let credential = CommunicationTokenCredential::with_refresher(
            counting_refresher(&calls, ms(1000), std::time::Duration::ZERO),
            CommunicationTokenRefreshOptions {
                refresh_proactively: true,
                refresh_margin: ms(800),
                retry_delay: ms(10),
                ..Default::default()
            },
        );
        assert_eq!(get(&credential).await.unwrap(), "token-1");
        let first = credential.shared.token.lock().await.clone().unwrap().expires_on;
        // The timer fires 500 ms in (halfway), well before the token expires at 1000 ms.
        let started = Instant::now();
        while calls.load(Ordering::SeqCst) < 2 {
            assert!(
                started.elapsed() < std::time::Duration::from_millis(950),
                "no proactive refresh"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let refreshed = credential.shared.token.lock().await.clone().unwrap();
        assert!(OffsetDateTime::now_utc() < first, "refreshed before the first token expired");
        assert_eq!(refreshed.token.secret(), "token-2");
        assert_eq!(get(&credential).await.unwrap(), "token-2");
    }

    #[tokio::test]
    async fn expired_tokens_from_the_refresher_back_off_then_fail() {
        let calls = Arc::new(AtomicUsize::new(0));
        let credential = CommunicationTokenCredential::with_refresher(
            counting_refresher(&calls, ms(-1000), std::time::Duration::ZERO),
            CommunicationTokenRefreshOptions {
                retry_delay: ms(20),
                max_retry_delay: ms(1000),
                max_attempts: 5,
                ..Default::default()
            },
        );
        let started = Instant::now();
        let call = tokio::spawn({
            let credential = credential.clone();
            async move { get(&credential).await }
        });
        // Calls at 0, 20, 60, 140 and 300 ms: no busy loop.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let early = calls.load(Ordering::SeqCst);
        assert!((1..=3).contains(&early), "{early} refresher calls in the first 100 ms");
        let error = call.await.unwrap().unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Credential);
        assert!(error.to_string().contains("already expired token 5 times"), "{error}");
        assert_eq!(calls.load(Ordering::SeqCst), 5);
        assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    }

    #[tokio::test]
    async fn dropping_the_credential_cancels_the_proactive_timer() {
        let calls = Arc::new(AtomicUsize::new(0));
        let credential = CommunicationTokenCredential::with_refresher(
            counting_refresher(&calls, ms(200), std::time::Duration::ZERO),
            CommunicationTokenRefreshOptions {
                refresh_proactively: true,
                refresh_margin: ms(150),
                retry_delay: ms(10),
                ..Default::default()
            },
        );
        get(&credential).await.unwrap();
        assert!(credential.shared.timer.lock().unwrap().is_some(), "a timer is scheduled");
        drop(credential);
        // The refresher (and with it its captured counter) is gone: nothing holds it.
        tokio::task::yield_now().await;
        assert_eq!(Arc::strong_count(&calls), 1);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 1, "no refresh after the drop");
    }

    #[tokio::test]
    async fn a_fixed_token_is_used_until_it_expires() {
        use base64::Engine as _;
        let exp = (OffsetDateTime::now_utc() + Duration::hours(1)).unix_timestamp();
        let claims =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{{\"exp\":{exp}}}"));
        let jwt = format!("eyJhbGciOiJub25lIn0.{claims}.c2ln");
        let credential = CommunicationTokenCredential::from_token(&jwt).unwrap();
        assert_eq!(get(&credential).await.unwrap(), jwt);
        let debug = format!("{credential:?}");
        assert!(!debug.contains("eyJ"), "{debug}");

        let expired = CommunicationTokenCredential::from_token(
            "eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDB9.c2ln",
        )
        .unwrap();
        assert_eq!(get(&expired).await.unwrap_err().kind(), &ErrorKind::Credential);
        let error = CommunicationTokenCredential::from_token("opaque-secret").unwrap_err();
        assert!(!error.to_string().contains("opaque-secret"));
    }

    #[test]
    fn debug_never_shows_the_token() {
        let options = CommunicationTokenRefreshOptions {
            initial_token: Some(AccessToken::new(
                "secret-token",
                OffsetDateTime::now_utc() + Duration::hours(1),
            )),
            ..Default::default()
        };
        let credential = CommunicationTokenCredential::with_refresher(
            || async { Ok(AccessToken::new("secret-token", OffsetDateTime::now_utc())) },
            options.clone(),
        );
        for text in [format!("{credential:?}"), format!("{options:?}")] {
            assert!(!text.contains("secret-token"), "{text}");
        }
    }
}
