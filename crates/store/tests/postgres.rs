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

/// A database from before claims had an `etag` (migration 2): each claim gets the seq and
/// time of its last event that is not background, as replaying its events gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_etag_migration_rebuilds_claims_as_replay_does() {
    use cpor_domain::Actor;
    use cpor_domain::claim::{Command, Template, replay};
    use cpor_domain::values::{Email, Parse};
    use cpor_store::{CommandRequest, Store};
    let Some(url) = suite::postgres_url() else {
        return;
    };
    let db = suite::fresh_postgres_database(&url).await;
    let store: Arc<dyn Store> = Arc::new(PgStore::connect(&db, 4).await.expect("connect"));
    let w = suite::World::new(store.clone()).await;
    let id = w.submitted(&w.adatum, suite::teams("Old")).await;
    let mut names = Vec::new();
    for name in ["Öst", "ölund"] {
        names.push(w.create(&w.adatum, suite::teams(name)).await);
    }
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
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&db).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "UPDATE claims SET state = jsonb_set(state::jsonb - 'etag', '{{updated_at}}', '\"{later}\"')::text,
             updated_at = {};
         DELETE FROM schema_migrations WHERE version >= 2;
         ALTER TABLE jobs DROP COLUMN parked;
         DROP TABLE sessions, account_links, login_failures;
         ALTER TABLE api_tokens DROP COLUMN id, DROP COLUMN name, DROP COLUMN expires_at,
             DROP COLUMN revoked_at, DROP COLUMN last_used_at;
         ALTER TABLE users DROP COLUMN password_hash, DROP COLUMN language,
             DROP COLUMN disabled_at;
         DROP TABLE claim_products;
         DROP INDEX claims_org_updated, claims_updated;
         ALTER TABLE claims DROP COLUMN name_key;
         ALTER TABLE catalog DROP COLUMN retired;
         ALTER TABLE organisations DROP COLUMN suspended_at;
         ALTER TABLE claims DROP COLUMN dispute_due;
         DROP INDEX claim_events_at;
         ALTER TABLE organisations DROP COLUMN language;",
        later.as_microsecond()
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    drop((w, store));
    let store = PgStore::connect(&db, 4).await.expect("reconnect");
    let migrated = store.claim(id).await.unwrap().unwrap();
    assert_eq!(migrated, expected);
    assert_eq!(
        replay(&store.history(id, 0, 100).await.unwrap()),
        Some(migrated)
    );
    // Tokens from before migration 4 (web sign-in) still authenticate, with a public id.
    let user = store
        .user_by_token("token-hash-1", suite::now())
        .await
        .unwrap()
        .expect("an old token still works");
    let ids: Vec<String> = store
        .tokens(user.id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, ["token-hash-1"]);
    suite::lists::the_claim_lists_migration_filled_names_and_products(&store, id, &names).await;
}

/// A database from before the disputes queue (migration 7): its open disputes are found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_disputes_queue_migration_fills_open_disputes() {
    use cpor_store::Store;
    let Some(url) = suite::postgres_url() else {
        return;
    };
    let db = suite::fresh_postgres_database(&url).await;
    let store: Arc<dyn Store> = Arc::new(PgStore::connect(&db, 4).await.expect("connect"));
    let w = suite::World::new(store.clone()).await;
    let disputed = w.rejected(&w.adatum, suite::teams("Disputed")).await;
    w.dispute(&w.adatum, disputed).await;
    let _rejected = w
        .rejected(&w.litware, suite::litware_teams("Rejected"))
        .await;
    drop((w, store));
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&db).await.unwrap();
    sqlx::raw_sql(
        "DELETE FROM schema_migrations WHERE version >= 7;
         ALTER TABLE claims DROP COLUMN dispute_due;
         DROP INDEX claim_events_at;
         ALTER TABLE organisations DROP COLUMN language;",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let store = PgStore::connect(&db, 4).await.expect("reconnect");
    let queue = store.dispute_queue(None, 10).await.unwrap();
    assert_eq!(
        queue.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [disputed]
    );
}
