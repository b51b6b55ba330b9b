//! The conformance suite on PostgreSQL: a fresh database per test on the server that
//! `scripts/test` starts.

mod suite;

use cpor_store::postgres::PgStore;
use std::sync::Arc;
use suite::Fixture;

async fn postgres() -> Option<Fixture> {
    let url = suite::postgres_url()?;
    let db = suite::fresh_postgres_database(&url).await;
    let store = PgStore::connect(&db, 8).await.expect("connect");
    Some(Fixture {
        store: Arc::new(store),
        guard: Box::new(()),
    })
}

conformance!(postgres);
