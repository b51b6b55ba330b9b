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
         ALTER TABLE organisations DROP COLUMN language;
         DROP TABLE eligibility_changes, eligibility_periods, eligibility_sequence;
         DROP TABLE webhook_attempts, webhook_deliveries, webhook_endpoints;
         DROP TABLE digest_opt_outs, digest_days, poe_findings;
         ALTER TABLE api_tokens DROP COLUMN scope;",
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
         ALTER TABLE organisations DROP COLUMN language;
         DROP TABLE eligibility_changes, eligibility_periods, eligibility_sequence;
         DROP TABLE webhook_attempts, webhook_deliveries, webhook_endpoints;
         DROP TABLE digest_opt_outs, digest_days, poe_findings;
         ALTER TABLE api_tokens DROP COLUMN scope;",
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

/// Two processes (two stores on one database) activate associations at once while a
/// consumer follows the feed by cursor: it sees every change exactly once, numbered
/// without a gap, so a change committed late is never skipped by a cursor already past it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_follows_commit_order_across_processes() {
    use cpor_domain::reference::TenantRecord;
    use cpor_domain::values::{DomainName, Parse, TenantId};
    use cpor_store::Store;
    use std::collections::BTreeSet;
    let Some(url) = suite::postgres_url() else {
        return;
    };
    let db = suite::fresh_postgres_database(&url).await;
    let one: Arc<dyn Store> = Arc::new(PgStore::connect(&db, 4).await.expect("connect"));
    let two: Arc<dyn Store> = Arc::new(PgStore::connect(&db, 4).await.expect("connect"));
    let mut w = suite::World::new(one.clone()).await;
    const N: u128 = 40;
    let tenant =
        |n: u128| TenantId::parse(&uuid::Uuid::from_u128(0x7e00_0000 + n).to_string()).unwrap();
    let tenants: Vec<TenantRecord> = (0..N)
        .map(|n| TenantRecord {
            tenant_id: tenant(n),
            domains: vec![DomainName::parse(&format!("t{n}.example.com")).unwrap()],
            subscriptions: Vec::new(),
        })
        .collect();
    one.import_directory(&tenants).await.unwrap();
    let mut claims = BTreeSet::new();
    for n in 0..N {
        let input = serde_json::from_value(serde_json::json!({
            "name": format!("Tenant {n}"), "mpn_id": cpor_domain::sample::ADATUM_MPN,
            "tenant_id": tenant(n).to_string(), "domain": format!("t{n}.example.com"),
            "solution_area": "microsoft_365", "activity": "usage",
            "products": [{"product": "teams"}],
            "customer_contact": {"name": "Ana Silva", "title": "CIO", "email": "ana@t.example.com"},
            "partner_contact": {"name": "Bo Berg", "email": "bo@partner.example"},
        }))
        .unwrap();
        claims.insert(w.approved(&w.adatum, input).await);
    }
    w.later(cpor_domain::jiff::SignedDuration::from_hours(24 * 8));
    let consumer = {
        let store = two.clone();
        tokio::spawn(async move {
            let (mut cursor, mut seen) = (0u64, Vec::new());
            while seen.len() < N as usize {
                for (seq, change) in store.eligibility_changes(cursor, 7, None).await.unwrap() {
                    assert_eq!(seq, cursor + 1, "a change numbered out of commit order");
                    cursor = seq;
                    seen.push(change.claim_id);
                }
                tokio::task::yield_now().await;
            }
            seen
        })
    };
    let (a, b) = (one.clone(), two.clone());
    let now = w.now;
    tokio::join!(
        suite::eligibility::fire_timers(&a, now),
        suite::eligibility::fire_timers(&b, now)
    );
    let seen = tokio::time::timeout(std::time::Duration::from_secs(30), consumer)
        .await
        .expect("the consumer saw every change")
        .unwrap();
    assert_eq!(seen.len(), N as usize);
    assert_eq!(
        seen.into_iter().collect::<BTreeSet<_>>(),
        claims,
        "each once"
    );
}
