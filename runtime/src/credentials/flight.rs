//! One fetch at a time: the credentials cache and the IMDS session token let a single
//! caller fetch while the others wait for it, then read what it stored. The value itself
//! lives in a `std::sync::Mutex` locked only briefly; [`SingleFlight`] is the turn held
//! across the fetch's awaits: tokio's async mutex, which the transport's hyper-util
//! brings into every build (its `client-legacy` feature enables tokio's `sync`), so the
//! turn of our own that stood in for it went with the transport of our own (issue #25).

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A lock held across awaits by at most one task; waiting is asynchronous, fair, and a
/// waiter that is cancelled leaves the queue.
#[derive(Debug, Default)]
pub(crate) struct SingleFlight(tokio::sync::Mutex<()>);

/// The held turn; dropping it (done, failed or cancelled) lets the next task in.
pub(crate) type Turn<'a> = tokio::sync::MutexGuard<'a, ()>;

impl SingleFlight {
    /// Waits for the turn.
    pub(crate) async fn turn(&self) -> Turn<'_> {
        self.0.lock().await
    }

    /// The turn if nobody holds it.
    pub(crate) fn try_turn(&self) -> Option<Turn<'_>> {
        self.0.try_lock().ok()
    }
}

/// A `std::sync::Mutex` locked without caring about poisoning (its holders never panic
/// half-way through a change).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_task_at_a_time_and_every_waiter_gets_its_turn() {
        let flight = Arc::new(SingleFlight::default());
        let (inside, most, done) = (
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
        );
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (flight, inside, most, done) =
                    (flight.clone(), inside.clone(), most.clone(), done.clone());
                tokio::spawn(async move {
                    for _ in 0..20 {
                        let _turn = flight.turn().await;
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        // A lost wake-up would leave a task waiting for ever: fail instead of hanging.
        for t in tasks {
            tokio::time::timeout(Duration::from_secs(30), t)
                .await
                .expect("every task got its turns")
                .unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 1);
        assert_eq!(done.load(Ordering::SeqCst), 16);
    }

    #[tokio::test]
    async fn a_cancelled_waiter_does_not_strand_the_others() {
        let flight = Arc::new(SingleFlight::default());
        let held = flight.try_turn().unwrap();
        assert!(flight.try_turn().is_none());
        // One waiter gives up (a timeout), one keeps waiting.
        let cancelled = tokio::time::timeout(Duration::from_millis(10), flight.turn()).await;
        assert!(cancelled.is_err());
        let waiter = {
            let flight = flight.clone();
            tokio::spawn(async move {
                let _turn = flight.turn().await;
            })
        };
        tokio::task::yield_now().await;
        drop(held);
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("the remaining waiter got its turn")
            .unwrap();
        assert!(flight.try_turn().is_some());
    }
}
