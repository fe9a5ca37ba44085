//! Caching in front of a provider that fetches (IMDS, a container endpoint, a process):
//! credentials are reused until shortly before they expire, and callers that arrive
//! while a fetch is under way wait for that fetch instead of starting their own.

use super::flight::{lock, SingleFlight};
use super::{Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider};
use crate::BoxFuture;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How long before their expiry cached credentials are refreshed (as the SDKs do).
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(5 * 60);

/// Where the cache reads the time (replaceable in tests).
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Caches the credentials of another provider (see the module docs).
pub struct CachingProvider {
    inner: SharedCredentialsProvider,
    /// The cached credentials.
    cached: std::sync::Mutex<Option<Credentials>>,
    /// Held across a fetch, so that one fetch serves every caller waiting for it.
    fetching: SingleFlight,
    refresh_before: Duration,
    clock: Clock,
}

impl fmt::Debug for CachingProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingProvider")
            .field("inner", &self.inner)
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

impl CachingProvider {
    /// Caches `inner`'s credentials, refreshing them five minutes before they expire.
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachingProvider {
            inner: SharedCredentialsProvider::new(inner),
            cached: std::sync::Mutex::new(None),
            fetching: SingleFlight::default(),
            refresh_before: DEFAULT_REFRESH_BEFORE,
            clock: Arc::new(SystemTime::now),
        }
    }

    /// Refreshes this long before expiry instead.
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// Reads the time from `clock` (for tests).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Whether cached credentials can still be used: no expiry, or one further away than
    /// the refresh margin.
    fn fresh(&self, c: &Credentials) -> bool {
        match c.expiry() {
            None => true,
            Some(expiry) => (self.clock)() + self.refresh_before < expiry,
        }
    }
}

impl ProvideCredentials for CachingProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let _turn = self.fetching.turn().await;
            if let Some(c) = lock(&self.cached).as_ref().filter(|c| self.fresh(c)) {
                return Ok(c.clone());
            }
            let fetched = self.inner.provide_credentials().await?;
            *lock(&self.cached) = Some(fetched.clone());
            Ok(fetched)
        })
    }

    /// The cached credentials while they are fresh; `None` while a fetch holds the lock
    /// (the caller then waits for it through `provide_credentials`).
    fn ready_credentials(&self) -> Option<Credentials> {
        let _turn = self.fetching.try_turn()?;
        let cached = lock(&self.cached);
        cached.as_ref().filter(|c| self.fresh(c)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    /// Counts fetches; each gives credentials expiring at `expiry` and takes a moment.
    #[derive(Debug)]
    struct Counting {
        calls: Arc<AtomicUsize>,
        expiry: SystemTime,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(Credentials::new(
                    format!("AKID{n}"),
                    "secret",
                    None,
                    Some(self.expiry),
                    "test",
                ))
            })
        }
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sixty_four_callers_make_one_fetch() {
        let calls = Arc::new(AtomicUsize::new(0));
        let cache = Arc::new(
            CachingProvider::new(Counting {
                calls: calls.clone(),
                expiry: at(10_000),
            })
            .clock(Arc::new(|| at(1_000))),
        );
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move {
                    cache
                        .provide_credentials()
                        .await
                        .map(|c| c.access_key_id().to_string())
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), "AKID1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    /// A cache over credentials expiring at 2,000 s, its clock at 1,000 s: the cache, the
    /// fetch count and the clock's setting.
    fn expiring_at_2000() -> (CachingProvider, Arc<AtomicUsize>, Arc<Mutex<SystemTime>>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(Mutex::new(at(1_000)));
        let clock_now = now.clone();
        let cache = CachingProvider::new(Counting {
            calls: calls.clone(),
            expiry: at(2_000),
        })
        .clock(Arc::new(move || *clock_now.lock().unwrap()));
        (cache, calls, now)
    }

    #[tokio::test]
    async fn credentials_are_refreshed_before_they_expire() {
        let (cache, calls, now) = expiring_at_2000();
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AKID1"
        );
        // Well before expiry: cached.
        *now.lock().unwrap() = at(1_600);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AKID1"
        );
        // Within five minutes of expiry: fetched again.
        *now.lock().unwrap() = at(1_750);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AKID2"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn ready_credentials_are_the_fresh_cached_ones_only() {
        let (cache, calls, now) = expiring_at_2000();
        // Nothing fetched yet: the caller must await a fetch.
        assert!(cache.ready_credentials().is_none());
        cache.provide_credentials().await.unwrap();
        assert_eq!(cache.ready_credentials().unwrap().access_key_id(), "AKID1");
        // Within the refresh margin they are no longer handed out at once.
        *now.lock().unwrap() = at(1_750);
        assert!(cache.ready_credentials().is_none());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // While a fetch holds the lock, callers wait for it instead.
        let guard = cache.fetching.turn().await;
        *now.lock().unwrap() = at(1_000);
        assert!(cache.ready_credentials().is_none());
        drop(guard);
        assert!(cache.ready_credentials().is_some());
    }

    #[tokio::test]
    async fn failures_are_not_cached() {
        #[derive(Debug)]
        struct FailsOnce(AtomicUsize);
        impl ProvideCredentials for FailsOnce {
            fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
                let n = self.0.fetch_add(1, Ordering::SeqCst);
                Box::pin(async move {
                    match n {
                        0 => Err(CredentialsError::ProviderError {
                            provider: "test",
                            reason: "down".into(),
                        }),
                        _ => Ok(Credentials::new("AKID", "s", None, None, "test")),
                    }
                })
            }
        }
        let cache = CachingProvider::new(FailsOnce(AtomicUsize::new(0)));
        assert!(cache.provide_credentials().await.is_err());
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AKID"
        );
    }
}
