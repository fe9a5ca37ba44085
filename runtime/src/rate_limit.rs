//! The client-side rate limiter of botocore's `adaptive` retry mode: a token bucket whose
//! fill rate follows CUBIC (cut by β = 0.7 on a throttling error, then growing back as a
//! cubic of the time since), bounded by twice the measured send rate. Off until the first
//! throttling error, as in botocore; then each attempt takes a token first.
//!
//! The arithmetic is botocore's (`botocore/retries/{adaptive,bucket,throttling}.py`), on
//! timestamps given by the caller, so `scripts/oracle_adaptive.py` can replay the same
//! sequence of responses through botocore's classes and ours and compare every rate.

use std::sync::Mutex;
use std::time::Duration;

const SCALE: f64 = 0.4;
const BETA: f64 = 0.7;
const MIN_RATE: f64 = 0.5;
const SMOOTHING: f64 = 0.8;
/// Measured-rate buckets per second (botocore's 0.5 s buckets).
const BUCKETS_PER_SECOND: f64 = 2.0;
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

/// A snapshot of the limiter, for tests and the oracle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateSnapshot {
    /// Whether sends wait for tokens (after the first throttling error).
    pub enabled: bool,
    /// The bucket's fill rate, requests per second.
    pub fill_rate: f64,
    /// The bucket's capacity.
    pub max_capacity: f64,
    /// Tokens available.
    pub capacity: f64,
    /// The smoothed measured send rate.
    pub measured_rate: f64,
    /// CUBIC's rate before the last cut.
    pub w_max: f64,
}

#[derive(Debug)]
struct State {
    enabled: bool,
    // CUBIC
    w_max: f64,
    k: f64,
    last_fail: f64,
    // token bucket
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: Option<f64>,
    // measured send rate
    measured: f64,
    last_bucket: f64,
    count: f64,
}

/// The limiter one client shares across its calls.
#[derive(Debug)]
pub struct ClientRateLimiter {
    state: Mutex<State>,
}

impl ClientRateLimiter {
    /// A limiter created at time `now` (seconds).
    pub fn new(now: f64) -> Self {
        let mut s = State {
            enabled: false,
            w_max: 0.0,
            k: 0.0,
            last_fail: now,
            fill_rate: 0.0,
            max_capacity: 0.0,
            capacity: 0.0,
            last_refill: None,
            measured: 0.0,
            last_bucket: now.floor(),
            count: 0.0,
        };
        s.set_max_rate(now, 1.0);
        ClientRateLimiter {
            state: Mutex::new(s),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent whatever a panicking holder did: plain numbers.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Before an attempt at `now`: `None` to send now (a token was taken, or the limiter
    /// is off), or how long to wait before asking again.
    pub fn try_acquire(&self, now: f64) -> Option<Duration> {
        let mut s = self.lock();
        if !s.enabled {
            return None;
        }
        s.refill(now);
        if s.capacity >= 1.0 {
            s.capacity -= 1.0;
            return None;
        }
        let wait = (1.0 - s.capacity) / s.fill_rate;
        Some(Duration::from_secs_f64(wait.clamp(0.0, 3600.0)))
    }

    /// After an attempt's response (or failure) at `now`.
    pub fn on_response(&self, now: f64, throttled: bool) {
        let mut s = self.lock();
        let measured = s.record(now);
        let new_rate = if throttled {
            let rate = if s.enabled {
                measured.min(s.fill_rate)
            } else {
                measured
            };
            s.w_max = rate;
            s.k = ((rate * (1.0 - BETA)) / SCALE).powf(1.0 / 3.0);
            s.last_fail = now;
            s.enabled = true;
            rate * BETA
        } else {
            SCALE * (now - s.last_fail - s.k).powi(3) + s.w_max
        };
        s.set_max_rate(now, new_rate.min(MAX_RATE_ADJUST_SCALE * measured));
    }

    /// The limiter's state now.
    pub fn snapshot(&self) -> RateSnapshot {
        let s = self.lock();
        RateSnapshot {
            enabled: s.enabled,
            fill_rate: s.fill_rate,
            max_capacity: s.max_capacity,
            capacity: s.capacity,
            measured_rate: s.measured,
            w_max: s.w_max,
        }
    }
}

impl State {
    fn refill(&mut self, now: f64) {
        let Some(last) = self.last_refill else {
            self.last_refill = Some(now);
            return;
        };
        self.capacity = (self.capacity + (now - last) * self.fill_rate).min(self.max_capacity);
        self.last_refill = Some(now);
    }

    fn set_max_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_RATE);
        self.max_capacity = if rate >= 1.0 { rate } else { 1.0 };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Counts a send and returns the smoothed rate.
    fn record(&mut self, now: f64) -> f64 {
        let bucket = (now * BUCKETS_PER_SECOND).floor() / BUCKETS_PER_SECOND;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured = current * SMOOTHING + self.measured * (1.0 - SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_until_throttled_then_the_rate_is_cut_and_grows_back() {
        let l = ClientRateLimiter::new(100.0);
        assert_eq!(l.try_acquire(100.0), None, "off: sends freely");
        // Ten responses a second for two seconds.
        let mut t = 100.0;
        for _ in 0..20 {
            t += 0.1;
            l.on_response(t, false);
        }
        assert!(!l.snapshot().enabled);
        let before = l.snapshot().measured_rate;
        assert!((5.0..=12.0).contains(&before), "{before}");
        l.on_response(t + 0.05, true);
        let cut = l.snapshot();
        assert!(cut.enabled);
        assert!((cut.fill_rate - cut.w_max * BETA).abs() < 1e-9, "{cut:?}");
        // The bucket is at most full: sends beyond it wait.
        let mut waited = None;
        for _ in 0..100 {
            if let Some(w) = l.try_acquire(t + 0.05) {
                waited = Some(w);
                break;
            }
        }
        let w = waited.expect("the bucket runs dry");
        assert!(w > Duration::ZERO && w <= Duration::from_secs(2), "{w:?}");
        // Successes later let the rate grow back past the cut.
        for i in 1..=40 {
            l.on_response(t + 0.05 + f64::from(i) * 0.1, false);
        }
        assert!(l.snapshot().fill_rate > cut.fill_rate);
    }
}
