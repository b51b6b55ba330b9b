//! Store benchmark (not a test): claim commands per second through the store with 1, 16
//! and 64 concurrent callers, and the latency of a filtered list page at 100k and 1M
//! claims. Run: `cargo bench -p cpor-store --bench store` (add `-- --quick` for a short
//! run without the 1M step). With `CPOR_BENCH_DATABASE_URL=postgres://…` it runs on a
//! fresh database of that PostgreSQL server instead of SQLite. Figures go to
//! BENCHMARKS.md.
#![allow(clippy::unwrap_used)]

#[path = "../tests/suite/mod.rs"]
mod suite;

use cpor_domain::claim::{Command, Status, Thread};
use cpor_domain::sample;
use cpor_domain::values::{CommentBody, CommentId, Parse};
use cpor_store::sqlite::SqliteStore;
use cpor_store::{ClaimCursor, ClaimQuery, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use suite::World;
use uuid::Uuid;

fn main() {
    // `cargo test --all-targets` runs this without `--bench`: nothing to measure then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir_in(std::env::var("CPOR_BENCH_DIR").unwrap_or_else(|_| ".".into()))
        .unwrap();
    rt.block_on(async {
        let (store, backend): (Arc<dyn Store>, &str) = match std::env::var("CPOR_BENCH_DATABASE_URL") {
            Ok(url) => {
                let db = suite::fresh_postgres_database(&url).await;
                (Arc::new(cpor_store::postgres::PgStore::connect(&db, 32).await.unwrap()), "PostgreSQL, 32 connections")
            }
            Err(_) => (Arc::new(SqliteStore::open(dir.path()).unwrap()), "SQLite, WAL, synchronous=FULL"),
        };
        let w = Arc::new(World::new(store.clone()).await);
        println!("# cpor store benchmark ({backend})\n");
        println!("| callers | command | commands/s |\n|---|---|---|");
        let run_for = Duration::from_secs(if quick { 2 } else { 5 });
        for callers in [1, 16, 64] {
            let n = commands_per_second(&w, callers, run_for, false).await;
            println!("| {callers} | create | {n:.0} |");
            let n = commands_per_second(&w, callers, run_for, true).await;
            println!("| {callers} | comment on an existing claim | {n:.0} |");
        }
        println!("\n| claims | list page of 50 (status filter, with and without organisation, first and deep pages) p50 | p99 |\n|---|---|---|");
        let targets: &[u64] = if quick { &[100_000] } else { &[100_000, 1_000_000] };
        for &target in targets {
            fill(&w, target).await;
            let n = count(&store).await;
            let (p50, p99) = list_latency(&store, 2000).await;
            println!("| {n} | {p50:?} | {p99:?} |");
        }
    });
}

async fn count(store: &Arc<dyn Store>) -> u64 {
    let mut n = 0;
    let mut q = ClaimQuery {
        limit: 10_000,
        ..Default::default()
    };
    loop {
        let page = store.claims(&q).await.unwrap();
        n += page.items.len() as u64;
        match page.next {
            Some(next) => q.after = Some(next),
            None => return n,
        }
    }
}

/// Runs `callers` tasks issuing commands for `run_for`; returns commands per second.
async fn commands_per_second(
    w: &Arc<World>,
    callers: usize,
    run_for: Duration,
    comment: bool,
) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + run_for;
    let mut tasks = Vec::new();
    for c in 0..callers {
        let (w, done) = (w.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let actor = if c % 2 == 0 {
                w.adatum.clone()
            } else {
                w.litware.clone()
            };
            let mpn = if c % 2 == 0 {
                sample::ADATUM_MPN
            } else {
                sample::LITWARE_MPN
            };
            let target = w
                .create(&actor, sample::m365_claim("Bench", mpn, &["teams"]))
                .await;
            while Instant::now() < deadline {
                let cmd = if comment {
                    (
                        target,
                        Command::Comment {
                            id: CommentId::from_uuid(Uuid::now_v7()),
                            thread: Thread::Claim,
                            body: CommentBody::parse("Benchmark comment").unwrap(),
                        },
                    )
                } else {
                    let id = suite::new_id();
                    let input = sample::m365_claim("Bench", mpn, &["teams", "intune"]);
                    (
                        id,
                        Command::Create {
                            id,
                            org_id: actor.org().unwrap(),
                            fields: input.parse().unwrap(),
                        },
                    )
                };
                w.run(&actor, cmd.0, cmd.1).await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let start = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

/// Creates claims until the store holds `target`, a tenth of them submitted.
async fn fill(w: &Arc<World>, target: u64) {
    let have = count(&w.store).await;
    if have >= target {
        return;
    }
    let next = Arc::new(AtomicU64::new(have));
    let mut tasks = Vec::new();
    for c in 0..64 {
        let (w, next) = (w.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let actor = if c % 2 == 0 {
                w.adatum.clone()
            } else {
                w.litware.clone()
            };
            let mpn = if c % 2 == 0 {
                sample::ADATUM_MPN
            } else {
                sample::LITWARE_MPN
            };
            while next.fetch_add(1, Ordering::Relaxed) < target {
                let id = suite::new_id();
                let input = sample::m365_claim("Fill", mpn, &["teams"]);
                w.run(
                    &actor,
                    id,
                    Command::Create {
                        id,
                        org_id: actor.org().unwrap(),
                        fields: input.parse().unwrap(),
                    },
                )
                .await
                .unwrap();
                if id.as_uuid().as_u128().is_multiple_of(10) {
                    w.ok(&actor, id, w.poe_command(&actor)).await;
                    w.ok(&actor, id, Command::Submit { comment: None }).await;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

/// Latency of the first page of an organisation's drafts, of a page deep in them (by
/// cursor, 5,000 in), and of the operator's list of all drafts, over `n` queries each;
/// returns p50 and p99 of all.
async fn list_latency(store: &Arc<dyn Store>, n: usize) -> (Duration, Duration) {
    let org = Some(sample::adatum().id);
    let first = store
        .claims(&ClaimQuery {
            org_id: org,
            status: Some(Status::Draft),
            limit: 5000,
            ..Default::default()
        })
        .await
        .unwrap();
    let deep_cursor = first.items.last().map(|c| ClaimCursor::Newest(c.id));
    let mut times = Vec::with_capacity(n * 3);
    for i in 0..n * 3 {
        let q = match i % 3 {
            0 => ClaimQuery {
                org_id: org,
                status: Some(Status::Draft),
                limit: 50,
                ..Default::default()
            },
            1 => ClaimQuery {
                org_id: org,
                status: Some(Status::Draft),
                after: deep_cursor.clone(),
                limit: 50,
                ..Default::default()
            },
            _ => ClaimQuery {
                status: Some(Status::Draft),
                after: deep_cursor.clone(),
                limit: 50,
                ..Default::default()
            },
        };
        let t = Instant::now();
        let page = store.claims(&q).await.unwrap();
        times.push(t.elapsed());
        assert_eq!(page.items.len(), 50);
    }
    times.sort();
    (times[times.len() / 2], times[times.len() * 99 / 100])
}
