//! Crash safety of the SQLite store: a child process applies commands from many tasks in
//! a loop and is killed with SIGKILL at random moments. After reopening, every command
//! it had acknowledged is there, the event log replays to each claim's row, no key has
//! two holders, no timer or e-mail is lost, and every overdue timer then fires once.
#![allow(clippy::unwrap_used)]

mod suite;

use cpor_domain::claim::{Claim, Command, Status, notifications, replay};
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::values::{ClaimId, CommentBody, CommentId, Parse};
use cpor_domain::{Actor, sample};
use cpor_store::sqlite::SqliteStore;
use cpor_store::{ClaimQuery, CommandRequest, JobKind, Store};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use suite::World;
use uuid::Uuid;

const CHILD_ENV: &str = "CPOR_CRASH_CHILD_DIR";

/// A little deterministic randomness, without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The child: runs only when started by the test below with the data directory set.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(std::path::Path::new(&dir)).unwrap());
        let w = Arc::new(World::existing(store).await);
        let mut tasks = Vec::new();
        for t in 0..16u64 {
            let w = w.clone();
            tasks.push(tokio::spawn(async move {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15
                    ^ (t + 1)
                    ^ (Instant::now().elapsed().as_nanos() as u64));
                loop {
                    lifecycle(&w, &mut rng).await;
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
    });
}

fn ack(id: ClaimId, version: u64) {
    println!("ACK {id} {version}");
}

/// Takes one claim some way through its lifecycle, acknowledging each command.
async fn lifecycle(w: &World, rng: &mut Rng) {
    let (actor, input) = if rng.next().is_multiple_of(2) {
        (&w.adatum, suite::teams("Crash A"))
    } else {
        (&w.litware, suite::litware_teams("Crash L"))
    };
    let id = suite::new_id();
    let Ok(o) = w
        .run(
            actor,
            id,
            Command::Create {
                id,
                org_id: actor.org().unwrap(),
                fields: input.parse().unwrap(),
            },
        )
        .await
    else {
        return;
    };
    ack(id, o.claim.unwrap().version);
    let steps = rng.next() % 7;
    for step in 0..steps {
        let cmd = match step {
            0 => w.poe_command(actor),
            1 => Command::Submit { comment: None },
            2 => Command::StartReview { comment: None },
            3 if rng.next().is_multiple_of(3) => Command::RequestInformation {
                reasons: vec!["missing_poe".into()],
                comment: Some(CommentBody::parse("More").unwrap()),
            },
            3 => suite::approve(),
            _ => Command::Comment {
                id: CommentId::from_uuid(Uuid::now_v7()),
                thread: cpor_domain::claim::Thread::Claim,
                body: CommentBody::parse("note").unwrap(),
            },
        };
        let who = match step {
            2 | 3 => &w.reviewer,
            _ => actor,
        };
        match w.run(who, id, cmd).await {
            Ok(o) => ack(id, o.claim.unwrap().version),
            Err(_) => return,
        }
    }
}

fn all_claims(rt: &tokio::runtime::Runtime, store: &Arc<dyn Store>) -> Vec<Claim> {
    rt.block_on(async {
        let mut out = Vec::new();
        let mut q = ClaimQuery {
            limit: 500,
            ..Default::default()
        };
        loop {
            let page = store.claims(&q).await.unwrap();
            out.extend(page.items);
            match page.next {
                Some(n) => q.after = Some(n),
                None => return out,
            }
        }
    })
}

#[test]
fn kill_9_at_random_moments_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
        World::new(store).await;
    });
    let mut rng = Rng(0xC0FFEE);
    let mut acked: BTreeMap<ClaimId, u64> = BTreeMap::new();
    for round in 0..6 {
        let mut child = Process::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut acks = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("ACK ") {
                    let mut parts = rest.split(' ');
                    let id: ClaimId = parts.next().unwrap().parse().unwrap();
                    let v: u64 = parts.next().unwrap().parse().unwrap();
                    acks.push((id, v));
                }
            }
            acks
        });
        std::thread::sleep(Duration::from_millis(300 + rng.next() % 900));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let acks = reader.join().unwrap();
        assert!(
            !acks.is_empty(),
            "round {round}: the child acknowledged nothing"
        );
        for (id, v) in acks {
            let e = acked.entry(id).or_default();
            *e = (*e).max(v);
        }

        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
        check_consistent(&rt, &store, &acked, round);
    }

    // After the last crash, every overdue timer fires exactly once and every e-mail is
    // taken for sending.
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let far: Timestamp = "2027-12-31T00:00:00Z".parse().unwrap();
    let mut mails = 0;
    rt.block_on(async {
        loop {
            let jobs = store
                .take_due_jobs(far, 500, SignedDuration::from_secs(60))
                .await
                .unwrap();
            if jobs.is_empty() {
                break;
            }
            for job in jobs {
                match job.kind {
                    JobKind::Timer { claim_id, timer } => {
                        let mut req =
                            CommandRequest::new(claim_id, Command::Fire(timer), Actor::System, far);
                        req.job_id = Some(job.id);
                        if store.execute(req).await.is_err() {
                            store.finish_job(job.id, far, "skipped").await.unwrap();
                        }
                    }
                    JobKind::Email(n) => {
                        // The e-mails the domain calls for from the events alone; those
                        // the store addresses itself (to a reviewer, an arbitration's
                        // partners) depend on who held what and are tested elsewhere.
                        if n.recipient != cpor_domain::claim::Recipient::Reviewer
                            && n.template != cpor_domain::claim::Template::ArbitrationOpened
                        {
                            mails += 1;
                        }
                        store.finish_job(job.id, far, "sent").await.unwrap();
                    }
                    JobKind::RemovePoeFile { .. } | JobKind::ReadPoe { .. } => {
                        store.finish_job(job.id, far, "done").await.unwrap();
                    }
                }
            }
        }
    });
    // Firing the timers called for more e-mails (reminders, rejections): all were sent.
    let expected_mails = expected_emails(&rt, &store);
    assert_eq!(
        mails, expected_mails,
        "every e-mail the events called for was in the outbox"
    );
    for c in all_claims(&rt, &store) {
        let history = rt.block_on(store.history(c.id, 0, 10_000)).unwrap();
        let mut fired = BTreeMap::new();
        for e in &history {
            if let cpor_domain::claim::EventKind::SlaBreached { sla, due } = &e.kind {
                *fired.entry((sla.as_str(), *due)).or_insert(0) += 1;
            }
        }
        assert!(
            fired.values().all(|n| *n == 1),
            "a timer fired twice on {}",
            c.id
        );
        let windows = history
            .iter()
            .filter(|e| e.kind.type_name() == "response_window_passed")
            .count();
        assert!(windows <= 1);
        if c.status == Status::PartnerActionRequired {
            panic!("{} is still waiting for the partner after its window", c.id);
        }
    }
}

fn expected_emails(rt: &tokio::runtime::Runtime, store: &Arc<dyn Store>) -> usize {
    let mut n = 0;
    for c in all_claims(rt, store) {
        let history = rt.block_on(store.history(c.id, 0, 10_000)).unwrap();
        let mut state = None;
        for e in &history {
            state = cpor_domain::claim::apply(state, e);
            let policy = cpor_domain::reference::Policy::default();
            n += notifications(state.as_ref().unwrap(), e, None, &policy).len();
        }
    }
    n
}

fn check_consistent(
    rt: &tokio::runtime::Runtime,
    store: &Arc<dyn Store>,
    acked: &BTreeMap<ClaimId, u64>,
    round: usize,
) {
    let claims: BTreeMap<ClaimId, Claim> = all_claims(rt, store)
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    for (id, v) in acked {
        let c = claims
            .get(id)
            .unwrap_or_else(|| panic!("round {round}: acknowledged claim {id} is lost"));
        assert!(
            c.version >= *v,
            "round {round}: {id} at version {} but {v} was acknowledged",
            c.version
        );
    }
    let programs = cpor_domain::reference::ProgramMap::default();
    for c in claims.values() {
        let history = rt.block_on(store.history(c.id, 0, 10_000)).unwrap();
        assert_eq!(
            replay(&history).as_ref(),
            Some(c),
            "round {round}: {} does not replay",
            c.id
        );
        for k in c.held_keys(&programs) {
            let h = rt.block_on(store.key_holder(&k)).unwrap();
            assert_eq!(
                h.map(|h| h.claim_id),
                Some(c.id),
                "round {round}: {k} not held by {}",
                c.id
            );
        }
        for k in c.keys(&programs) {
            if let Some(h) = rt.block_on(store.key_holder(&k)).unwrap() {
                assert!(
                    claims[&h.claim_id].holds_keys(),
                    "round {round}: {k} held by a claim that holds nothing"
                );
            }
        }
        let timers = rt.block_on(store.pending_timers(c.id)).unwrap();
        assert_eq!(
            timers,
            c.timers(),
            "round {round}: timers of {} lost or stale",
            c.id
        );
    }
    let _ = sample::CONTOSO;
}
