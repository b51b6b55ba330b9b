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

/// A database from before claims had an `etag` (migration 2): each claim gets the seq and
/// time of its last event that is not background, as replaying its events gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_etag_migration_rebuilds_claims_as_replay_does() {
    use cpor_domain::Actor;
    use cpor_domain::claim::{Command, Template, replay};
    use cpor_domain::values::{Email, Parse};
    use cpor_store::{CommandRequest, Store};
    let dir = tempfile::tempdir().expect("temporary directory");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).expect("open"));
    let w = suite::World::new(store.clone()).await;
    let id = w.submitted(&w.adatum, suite::teams("Old")).await;
    let names = names_to_sort(&w).await;
    let mail = Command::RecordEmail {
        template: Template::Approved,
        to: Email::parse("p@adatum.example").unwrap(),
    };
    let later = w
        .now
        .checked_add(cpor_domain::jiff::SignedDuration::from_hours(1))
        .unwrap();
    store
        .execute(CommandRequest::new(id, mail, Actor::System, later))
        .await
        .unwrap();
    let expected = store.claim(id).await.unwrap().unwrap();
    assert_eq!((expected.version, expected.etag), (4, 3));
    // What the code before migration 2 wrote: no etag, updated_at moved by the e-mail.
    let conn = rusqlite::Connection::open(dir.path().join(cpor_store::sqlite::DB_FILE)).unwrap();
    conn.execute_batch(&format!(
        "UPDATE claims SET state = json_set(json_remove(state, '$.etag'), '$.updated_at', '{later}'),
             updated_at = {};
         DROP INDEX jobs_failing;
         ALTER TABLE jobs DROP COLUMN parked;
         {UNDO_EVENT_TIME}
         {UNDO_DISPUTE_QUEUE}
         {UNDO_PROGRAM_ADMINISTRATION}
         {UNDO_CLAIM_LISTS}
         {UNDO_WEB_SIGN_IN}
         PRAGMA user_version = 1;",
        later.as_microsecond()
    ))
    .unwrap();
    drop(conn);
    drop((w, store));
    let store = SqliteStore::open(dir.path()).expect("reopen");
    let migrated = store.claim(id).await.unwrap().unwrap();
    assert_eq!(migrated, expected);
    assert_eq!(
        replay(&store.history(id, 0, 100).await.unwrap()),
        Some(migrated)
    );
    the_web_sign_in_migration_kept_the_tokens(&store).await;
    suite::lists::the_claim_lists_migration_filled_names_and_products(&store, id, &names).await;
}

/// What migration 8 (the events' time index) adds, taken away again, with migrations 9
/// (the organisation's language), 10 (the eligibility feed), 11 (webhooks) and 12 (the
/// digest) after it.
const UNDO_EVENT_TIME: &str =
    "ALTER TABLE organisations DROP COLUMN language; DROP INDEX claim_events_at;
    DROP TABLE eligibility_changes; DROP TABLE eligibility_periods;
    ALTER TABLE api_tokens DROP COLUMN scope;
    DROP TABLE webhook_attempts; DROP TABLE webhook_deliveries; DROP TABLE webhook_endpoints;
    DROP TABLE digest_opt_outs; DROP TABLE digest_days; DROP TABLE poe_findings;";

/// What migration 7 (disputes queue) adds, taken away again.
const UNDO_DISPUTE_QUEUE: &str = "
    DROP INDEX claims_dispute_queue;
    ALTER TABLE claims DROP COLUMN dispute_due;";

/// Claims whose names the claim lists migration (5) must key in code, not in SQL.
async fn names_to_sort(w: &suite::World) -> Vec<cpor_domain::values::ClaimId> {
    let mut ids = Vec::new();
    for name in ["Öst", "ölund"] {
        ids.push(w.create(&w.adatum, suite::teams(name)).await);
    }
    ids
}

/// What migration 5 (claim lists) adds, taken away again.
const UNDO_CLAIM_LISTS: &str = "
    DROP TABLE claim_products;
    DROP INDEX claims_org_updated; DROP INDEX claims_updated;
    DROP INDEX claims_org_name; DROP INDEX claims_name;
    ALTER TABLE claims DROP COLUMN name_key;";

/// What migration 6 (program administration) adds, taken away again.
const UNDO_PROGRAM_ADMINISTRATION: &str = "
    ALTER TABLE catalog DROP COLUMN retired;
    ALTER TABLE organisations DROP COLUMN suspended_at;
    DELETE FROM settings WHERE key = 'ref_version';";

/// What migration 4 (web sign-in) adds, taken away again.
const UNDO_WEB_SIGN_IN: &str = "
    DROP TABLE sessions; DROP TABLE account_links; DROP TABLE login_failures;
    DROP INDEX api_tokens_user;
    ALTER TABLE api_tokens DROP COLUMN id; ALTER TABLE api_tokens DROP COLUMN name;
    ALTER TABLE api_tokens DROP COLUMN expires_at; ALTER TABLE api_tokens DROP COLUMN revoked_at;
    ALTER TABLE api_tokens DROP COLUMN last_used_at;
    ALTER TABLE users DROP COLUMN password_hash; ALTER TABLE users DROP COLUMN language;
    ALTER TABLE users DROP COLUMN disabled_at;";

/// Tokens from before migration 4 still authenticate, and have their public id.
async fn the_web_sign_in_migration_kept_the_tokens(store: &dyn cpor_store::Store) {
    let now = suite::now();
    let user = store
        .user_by_token("token-hash-1", now)
        .await
        .expect("user_by_token")
        .expect("an old token still works");
    let tokens = store.tokens(user.id).await.expect("tokens");
    assert_eq!(
        tokens.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["token-hash-1"]
    );
    let account = store
        .account(user.id)
        .await
        .expect("account")
        .expect("the user's account");
    assert_eq!((account.password_hash, account.disabled), (None, false));
}

/// Two stores on one file (a `cpor serve` and a `cpor admin` beside it): a holiday or a
/// policy one of them writes is seen by the other's next read and next command, without
/// a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_changes_reach_another_process_on_the_same_file() {
    use cpor_domain::jiff::civil::date;
    use cpor_store::Store;
    let dir = tempfile::tempdir().expect("dir");
    let serve = SqliteStore::open(dir.path()).expect("open");
    let admin = SqliteStore::open(dir.path()).expect("open again");
    let before = serve.reference().await.expect("reference");
    assert!(before.calendar.is_business_day(date(2026, 12, 24)));
    admin
        .add_holiday(date(2026, 12, 24), Some("Christmas Eve"))
        .await
        .expect("add");
    let after = serve.reference().await.expect("reference");
    assert!(!after.calendar.is_business_day(date(2026, 12, 24)));
    let mut policy = after.policy.clone();
    policy.poe_max_count = 3;
    admin.set_policy(&policy).await.expect("policy");
    assert_eq!(
        serve
            .reference()
            .await
            .expect("reference")
            .policy
            .poe_max_count,
        3
    );
}

/// A database from before the disputes queue (migration 7): its open disputes are found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_disputes_queue_migration_fills_open_disputes() {
    use cpor_store::Store;
    let dir = tempfile::tempdir().expect("temporary directory");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).expect("open"));
    let w = suite::World::new(store.clone()).await;
    let disputed = w.rejected(&w.adatum, suite::teams("Disputed")).await;
    w.dispute(&w.adatum, disputed).await;
    let _rejected = w
        .rejected(&w.litware, suite::litware_teams("Rejected"))
        .await;
    drop((w, store));
    let conn = rusqlite::Connection::open(dir.path().join(cpor_store::sqlite::DB_FILE)).unwrap();
    conn.execute_batch(&format!(
        "{UNDO_EVENT_TIME} {UNDO_DISPUTE_QUEUE} PRAGMA user_version = 6;"
    ))
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(dir.path()).expect("reopen");
    let queue = store.dispute_queue(None, 10).await.unwrap();
    assert_eq!(
        queue.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [disputed]
    );
}

/// A database from before the eligibility feed: the associations that counted already
/// are in the feed and the periods once migration 10 ran.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_eligibility_migration_fills_the_feed_from_history() {
    use cpor_domain::eligibility::ChangeKind;
    use cpor_store::Store;
    let dir = tempfile::tempdir().expect("temporary directory");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).expect("open"));
    let mut w = suite::World::new(store.clone()).await;
    let active = w.approved(&w.adatum, suite::teams("Counted")).await;
    w.later(cpor_domain::jiff::SignedDuration::from_hours(24 * 8));
    suite::eligibility::fire_timers(&store, w.now).await;
    let pending = cpor_domain::sample::m365_claim(
        "Not yet",
        cpor_domain::sample::LITWARE_MPN,
        &["exchange_online"],
    );
    w.approved(&w.litware, pending).await;
    let before = store.eligibility_changes(0, 10, None).await.unwrap();
    drop((w, store));
    let conn = rusqlite::Connection::open(dir.path().join(cpor_store::sqlite::DB_FILE)).unwrap();
    conn.execute_batch(
        "DROP TABLE eligibility_changes; DROP TABLE eligibility_periods;
         ALTER TABLE api_tokens DROP COLUMN scope;
         DROP TABLE webhook_attempts; DROP TABLE webhook_deliveries; DROP TABLE webhook_endpoints;
    DROP TABLE digest_opt_outs; DROP TABLE digest_days; DROP TABLE poe_findings;
         PRAGMA user_version = 9;",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(dir.path()).expect("reopen");
    let after = store.eligibility_changes(0, 10, None).await.unwrap();
    assert_eq!(after, before);
    assert_eq!(
        after
            .iter()
            .map(|(_, c)| (c.kind, c.claim_id))
            .collect::<Vec<_>>(),
        [(ChangeKind::Activated, active)]
    );
    let now = suite::now()
        .checked_add(cpor_domain::jiff::SignedDuration::from_hours(24 * 9))
        .unwrap();
    assert_eq!(
        store.eligible_at(now, None, None, 10).await.unwrap().len(),
        1
    );
}

/// Many more readers than connections: each waits for a connection without holding a
/// thread, and every read answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_reads_waits_for_connections_and_all_answer() {
    use cpor_store::Store;
    let dir = tempfile::tempdir().expect("temporary directory");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).expect("open"));
    let w = suite::World::new(store.clone()).await;
    let id = w.create(&w.adatum, suite::teams("Read often")).await;
    let reads: Vec<_> = (0..400)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.claim(id).await })
        })
        .collect();
    for r in reads {
        assert_eq!(r.await.unwrap().unwrap().map(|c| c.id), Some(id));
    }
}
