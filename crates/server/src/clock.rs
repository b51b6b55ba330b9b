//! Time is injected: the service asks a [`Clock`], so tests can move days ahead and
//! drain due jobs without sleeping.

use cpor_domain::jiff::{SignedDuration, Timestamp};
use std::path::PathBuf;
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The real time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told: in-process tests.
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        ManualClock(Mutex::new(start))
    }

    pub fn set(&self, t: Timestamp) {
        if let Ok(mut g) = self.0.lock() {
            *g = t;
        }
    }

    pub fn advance(&self, d: SignedDuration) {
        if let Ok(mut g) = self.0.lock() {
            *g = g.checked_add(d).unwrap_or(Timestamp::MAX);
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        self.0
            .lock()
            .map(|g| *g)
            .unwrap_or_else(|_| Timestamp::now())
    }
}

/// A clock read from a file holding an RFC 3339 time, for tests that run several
/// `cpor serve` processes and move their time together. The real time when the file is
/// missing or unreadable. Never for production: enabled by a hidden option.
pub struct FileClock(pub PathBuf);

impl Clock for FileClock {
    fn now(&self) -> Timestamp {
        std::fs::read_to_string(&self.0)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or_else(Timestamp::now)
    }
}
