//! Retries in botocore's `standard` mode: up to 3 attempts, exponential backoff with full
//! jitter (base 1 s, cap 20 s), a retry quota so a failing service is not hammered.

use crate::ErrorMetadata;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Retry settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (`1` disables retries). Default 3.
    pub max_attempts: u32,
    /// The backoff base: attempt `n` waits a random time up to `base * 2^(n-1)`. Default 1 s.
    pub initial_backoff: Duration,
    /// The backoff cap. Default 20 s.
    pub max_backoff: Duration,
    /// Whether the retry quota applies (default yes).
    pub quota: bool,
    /// botocore's retry mode: how the backoff is computed.
    pub mode: RetryMode,
}

/// botocore's retry modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryMode {
    /// `standard`: full-jitter exponential backoff, capped, with the retry quota.
    Standard,
    /// `legacy`: backoff `random() * 2^(attempt - 1)` seconds, uncapped, no quota; five
    /// attempts by default.
    Legacy,
    /// `adaptive`: `standard` plus botocore's client-side rate limiter
    /// ([`rate_limit`](crate::rate_limit)): after a throttling error, attempts wait for
    /// tokens from a bucket whose rate follows CUBIC.
    Adaptive,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota: true,
            mode: RetryMode::Standard,
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Default::default()
        }
    }
    /// botocore's `legacy` mode: five attempts, `random() * 2^(n-1)` seconds, no quota.
    pub fn legacy() -> Self {
        RetryConfig {
            max_attempts: 5,
            quota: false,
            mode: RetryMode::Legacy,
            ..Default::default()
        }
    }
    /// Sets the mode (keeping the attempts, backoff and quota settings).
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }
    /// Sets the number of attempts (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    /// Sets the backoff base and cap.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }
    /// Turns the retry quota on or off.
    pub fn with_quota(mut self, on: bool) -> Self {
        self.quota = on;
        self
    }

    /// The delay before attempt `attempt + 1`, after `attempt` failed (full jitter).
    pub(crate) fn backoff(&self, attempt: u32, rng: &Rng) -> Duration {
        if self.mode == RetryMode::Legacy {
            let exp = 1u32
                .checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX);
            return Duration::from_secs(u64::from(exp)).mul_f64(rng.next_f64());
        }
        let exp = self.initial_backoff.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(rng.next_f64())
    }
}

/// HTTP statuses retried as transient.
pub const RETRYABLE_STATUS: &[u16] = &[429, 500, 502, 503, 504, 509];

/// Error codes retried as throttling (botocore's list).
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes retried as transient.
pub const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// Whether a service error is retried, and as what: never when the operation models
/// its code; as transient for a retryable status (429, 5xx) or a throttling or transient
/// code (botocore's lists).
pub(crate) fn classify(meta: &ErrorMetadata, modeled: &[&str]) -> Option<RetryKind> {
    let code = meta.code();
    if modeled.contains(&code) {
        return None;
    }
    let retryable = meta.status().is_some_and(|s| RETRYABLE_STATUS.contains(&s))
        || THROTTLING_CODES.contains(&code)
        || TRANSIENT_CODES.contains(&code);
    retryable.then_some(RetryKind::Transient)
}

/// Whether a service error counts as throttling for the adaptive rate limiter: a
/// throttling code, or HTTP 429 with a code the operation does not model (botocore's
/// `ThrottlingErrorDetector`).
pub(crate) fn is_throttling(meta: &ErrorMetadata, modeled: &[&str]) -> bool {
    let code = meta.code();
    THROTTLING_CODES.contains(&code) || (!modeled.contains(&code) && meta.status() == Some(429))
}

/// What a client keeps across calls for retries: the quota, the jitter source and the
/// adaptive mode's rate limiter.
#[derive(Debug)]
pub(crate) struct RetryState {
    quota: Quota,
    rng: Rng,
    pub(crate) rate: crate::rate_limit::ClientRateLimiter,
}

impl RetryState {
    pub(crate) fn new() -> Self {
        RetryState {
            quota: Quota::new(),
            rng: Rng::new(),
            rate: crate::rate_limit::ClientRateLimiter::new(now_seconds()),
        }
    }
}

/// Wall-clock seconds, the rate limiter's time (botocore's `time.time()`).
pub(crate) fn now_seconds() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// The retry decisions of one call.
pub(crate) struct Retrier<'a> {
    config: &'a RetryConfig,
    state: &'a RetryState,
    attempt: u32,
    spent: u32,
}

impl<'a> Retrier<'a> {
    pub(crate) fn new(config: &'a RetryConfig, state: &'a RetryState) -> Self {
        Retrier {
            config,
            state,
            attempt: 1,
            spent: 0,
        }
    }

    /// The number of the attempt about to run (from 1).
    pub(crate) fn attempt(&self) -> u32 {
        self.attempt
    }

    /// After a failed attempt that may be retried as `kind`: the delay before the next
    /// attempt, or `None` when attempts or the quota are spent.
    pub(crate) fn next_delay(&mut self, kind: RetryKind) -> Option<Duration> {
        if self.attempt >= self.config.max_attempts {
            return None;
        }
        if self.config.quota {
            match self.state.quota.acquire(kind) {
                Some(cost) => self.spent += cost,
                None => {
                    tracing::debug!("retry quota exhausted; not retrying");
                    return None;
                }
            }
        }
        let delay = self.config.backoff(self.attempt, &self.state.rng);
        self.attempt += 1;
        Some(delay)
    }

    /// After a success: the quota gets back what this call's retries took.
    pub(crate) fn succeeded(self) {
        if self.config.quota {
            self.state.quota.release(self.spent);
        }
    }
}

/// What kind of failure an attempt had, for the quota's cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// A throttling or transient error, or a connection failure.
    Transient,
    /// An attempt timed out.
    Timeout,
}

const INITIAL_QUOTA: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const NO_RETRY_INCREMENT: u32 = 1;

/// The token bucket of the standard mode, shared by all calls of a client.
#[derive(Debug)]
pub(crate) struct Quota {
    available: Mutex<u32>,
}

impl Quota {
    pub(crate) fn new() -> Self {
        Quota {
            available: Mutex::new(INITIAL_QUOTA),
        }
    }
    /// Takes the cost of a retry; `None` when the quota is spent (then do not retry).
    pub(crate) fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut a = self.available.lock().unwrap_or_else(|p| p.into_inner());
        if *a < cost {
            return None;
        }
        *a -= cost;
        Some(cost)
    }
    /// After a success: gives back what its retries took, or a little for a first-try success.
    pub(crate) fn release(&self, spent: u32) {
        let mut a = self.available.lock().unwrap_or_else(|p| p.into_inner());
        let back = if spent == 0 {
            NO_RETRY_INCREMENT
        } else {
            spent
        };
        *a = (*a + back).min(INITIAL_QUOTA);
    }
    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A small non-cryptographic generator for jitter (SplitMix64), seeded from the clock.
#[derive(Debug)]
pub(crate) struct Rng(AtomicU64);

impl Rng {
    pub(crate) fn new() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Rng(AtomicU64::new(
            seed ^ (std::process::id() as u64).rotate_left(32),
        ))
    }
    pub(crate) fn next_f64(&self) -> f64 {
        let mut z = self
            .0
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_capped_full_jitter() {
        let c = RetryConfig::default();
        let rng = Rng::new();
        for attempt in 1..10 {
            let cap = Duration::from_secs(1 << (attempt - 1)).min(Duration::from_secs(20));
            for _ in 0..200 {
                let d = c.backoff(attempt, &rng);
                assert!(d <= cap, "attempt {attempt}: {d:?} > {cap:?}");
            }
        }
        // Full jitter spreads over the whole range.
        let many: Vec<Duration> = (0..1000).map(|_| c.backoff(3, &rng)).collect();
        assert!(many.iter().any(|d| *d < Duration::from_millis(500)));
        assert!(many.iter().any(|d| *d > Duration::from_millis(3500)));
        assert!(c.backoff(100, &rng) <= Duration::from_secs(20));
    }

    #[test]
    fn legacy_backoff_is_uncapped_and_jittered() {
        let c = RetryConfig::legacy();
        assert_eq!((c.max_attempts, c.quota), (5, false));
        let rng = Rng::new();
        let delays: Vec<Duration> = (0..500).map(|_| c.backoff(7, &rng)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(64)));
        assert!(
            delays.iter().any(|d| *d > Duration::from_secs(20)),
            "not capped at 20 s"
        );
    }

    #[test]
    fn classification_follows_botocore() {
        let meta = |code: &str, status: u16| ErrorMetadata::new(code).with_status(status);
        assert_eq!(classify(&meta("", 503), &[]), Some(RetryKind::Transient));
        assert_eq!(
            classify(&meta("ThrottlingException", 400), &[]),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify(&meta("RequestTimeout", 400), &[]),
            Some(RetryKind::Transient)
        );
        assert_eq!(classify(&meta("ValidationException", 400), &[]), None);
        // A modelled fault is never retried, whatever its status.
        assert_eq!(
            classify(&meta("InternalFault", 500), &["InternalFault"]),
            None
        );
    }

    #[test]
    fn retrier_stops_at_max_attempts_and_refunds_the_quota() {
        let config = RetryConfig::default()
            .with_max_attempts(3)
            .with_backoff(Duration::ZERO, Duration::ZERO);
        let state = RetryState::new();
        let mut r = Retrier::new(&config, &state);
        assert_eq!(r.attempt(), 1);
        assert!(r.next_delay(RetryKind::Transient).is_some());
        assert!(r.next_delay(RetryKind::Timeout).is_some());
        assert_eq!(r.attempt(), 3);
        assert_eq!(r.next_delay(RetryKind::Transient), None);
        assert_eq!(
            state.quota.available(),
            INITIAL_QUOTA - RETRY_COST - TIMEOUT_RETRY_COST
        );
        r.succeeded();
        assert_eq!(state.quota.available(), INITIAL_QUOTA);
    }

    #[test]
    fn quota_drains_and_refills() {
        let q = Quota::new();
        let mut taken = 0;
        while q.acquire(RetryKind::Transient).is_some() {
            taken += 1;
        }
        assert_eq!(taken, 100);
        assert_eq!(q.acquire(RetryKind::Timeout), None);
        q.release(5);
        assert_eq!(q.available(), 5);
        assert!(q.acquire(RetryKind::Transient).is_some());
        for _ in 0..1000 {
            q.release(0);
        }
        assert_eq!(q.available(), INITIAL_QUOTA);
    }
}
