//! The conformance suite on the embedded SQLite store.

mod suite;

use cpor_store::sqlite::SqliteStore;
use std::sync::Arc;
use suite::Fixture;

async fn sqlite() -> Option<Fixture> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = SqliteStore::open(dir.path()).expect("open");
    Some(Fixture {
        store: Arc::new(store),
        guard: Box::new(dir),
    })
}

conformance!(sqlite);

/// `cpor admin backup` while the server writes: the copy is a consistent database that
/// opens as a store, with every claim replaying to its row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_online_backup_is_a_consistent_copy() {
    use cpor_domain::claim::replay;
    use cpor_store::{ClaimQuery, Store};
    let f = sqlite().await.expect("sqlite");
    let w = Arc::new(suite::World::new(f.store.clone()).await);
    let writer = {
        let w = w.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                w.submitted(&w.adatum, suite::teams(&format!("B{i}"))).await;
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let out = tempfile::tempdir().expect("dir");
    let copy = out.path().join(cpor_store::sqlite::DB_FILE);
    f.store.backup(&copy).await.expect("backup");
    writer.await.expect("writer");
    assert!(
        f.store.backup(&copy).await.is_err(),
        "an existing file is not overwritten"
    );
    let restored = SqliteStore::open(out.path()).expect("the copy opens");
    let page = restored
        .claims(&ClaimQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .expect("list");
    assert!(!page.items.is_empty());
    for c in page.items {
        let h = restored.history(c.id, 0, 100).await.expect("history");
        assert_eq!(replay(&h).as_ref(), Some(&c));
    }
}
