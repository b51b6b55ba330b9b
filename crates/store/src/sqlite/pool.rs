//! A small pool of read-only connections. Reads run on tokio's blocking threads; WAL
//! lets them proceed while the writer commits. A read first waits, asynchronously, for
//! one of the pool's permits (as many as connections): only reads that have a
//! connection occupy a blocking thread, so a burst of requests waits on the runtime
//! instead of parking a thread each.

use crate::{Result, StoreError};
use crossbeam_channel::{Receiver, Sender, bounded};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

#[derive(Clone)]
pub struct ReadPool {
    take: Receiver<Connection>,
    give: Sender<Connection>,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

impl ReadPool {
    pub fn open(path: &Path, size: usize) -> Result<ReadPool> {
        let (give, take) = bounded(size);
        for _ in 0..size {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            conn.pragma_update(None, "query_only", true)?;
            conn.set_prepared_statement_cache_capacity(64);
            // The unsent connection is not `Sync`, so only the message is kept.
            give.send(conn)
                .map_err(|e| StoreError::internal_msg(e.to_string()))?;
        }
        Ok(ReadPool {
            take,
            give,
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(size)),
        })
    }

    /// Runs `f` on a pooled connection on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.clone();
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(StoreError::internal)?;
        tokio::task::spawn_blocking(move || {
            // With a permit a connection is free: this does not wait.
            let _permit = permit;
            let conn = pool.take.recv().map_err(StoreError::internal)?;
            let guard = Returner {
                pool: &pool,
                conn: Some(conn),
            };
            let r = f(guard
                .conn
                .as_ref()
                .ok_or_else(|| StoreError::internal_msg("no connection"))?);
            drop(guard);
            r
        })
        .await
        .map_err(StoreError::internal)?
    }
}

/// Gives the connection back, also when `f` panics.
struct Returner<'a> {
    pool: &'a ReadPool,
    conn: Option<Connection>,
}

impl Drop for Returner<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            let _ = self.pool.give.send(c);
        }
    }
}
