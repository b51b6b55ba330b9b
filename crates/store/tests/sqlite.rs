//! The conformance suite on the embedded SQLite store.

mod suite;

use cpor_store::sqlite::SqliteStore;
use std::sync::Arc;
use suite::Fixture;

async fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = SqliteStore::open(dir.path()).expect("open");
    Fixture {
        store: Arc::new(store),
        guard: Box::new(dir),
    }
}

conformance!(sqlite);
