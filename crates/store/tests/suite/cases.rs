//! The conformance cases.

#[allow(unused_imports)] // Not every test binary runs the cases.
pub use super::accounts::*;
#[allow(unused_imports)]
pub use super::admin::*;
#[allow(unused_imports)]
pub use super::eligibility::*;
#[allow(unused_imports)]
pub use super::lists::*;
#[allow(unused_imports)]
pub use super::webhooks::*;
use super::*;
use cpor_domain::ErrorCode;
use cpor_domain::claim::{EventKind, Phase, Status, Template, Thread, TimerKind, replay};
use cpor_domain::jiff::civil::date;
use cpor_domain::reference::{Policy, Product, ProductId};
use cpor_domain::values::{CommentBody, CommentId};
use cpor_store::{ClaimQuery, Idempotency, JobKind, StoreError};

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

pub async fn commands_append_events_and_keep_the_row_in_step(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.submitted(&w.adatum, teams("Row")).await;
    let claim = store.claim(id).await.unwrap().unwrap();
    assert_eq!((claim.status, claim.version), (Status::Submitted, 3));
    let history = store.history(id, 0, 100).await.unwrap();
    let types: Vec<&str> = history.iter().map(|e| e.kind.type_name()).collect();
    assert_eq!(types, vec!["created", "poe_added", "submitted"]);
    assert_eq!(
        replay(&history).as_ref(),
        Some(&claim),
        "the log replays to the row"
    );
    assert_eq!(
        store.history(id, 1, 1).await.unwrap()[0].seq,
        2,
        "history pages by sequence"
    );
}

pub async fn a_stale_version_is_refused_and_changes_nothing(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.create(&w.adatum, teams("Versioned")).await;
    let patch: ClaimInput = serde_json::from_value(serde_json::json!({"name": "Renamed"})).unwrap();
    let mut req = w.at(id, Command::Edit(patch.parse().unwrap()), &w.adatum);
    req.expected_version = Some(1);
    store.execute(req.clone()).await.unwrap();
    match store.execute(req).await {
        Err(StoreError::VersionMismatch { current: 2 }) => {}
        other => panic!("expected a version mismatch, got {other:?}"),
    }
    assert_eq!(store.claim(id).await.unwrap().unwrap().version, 2);
}

pub async fn a_refused_command_changes_nothing(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.create(&w.adatum, teams("Refused")).await;
    let before = store.claim(id).await.unwrap();
    let e = w
        .run(&w.adatum, id, Command::Submit { comment: None })
        .await
        .unwrap_err();
    match e {
        StoreError::Domain(d) => assert!(d.has("poe", ErrorCode::NotEnoughValues)),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.claim(id).await.unwrap(), before);
    assert_eq!(store.history(id, 0, 100).await.unwrap().len(), 1);
    assert!(store.pending_timers(id).await.unwrap().is_empty());
}

/// Many tasks approve competing claims on one key at once: one holder at the end, and
/// every other approved claim superseded.
pub async fn racing_approvals_for_one_key_leave_exactly_one_holder(store: Arc<dyn Store>) {
    let w = Arc::new(World::new(store.clone()).await);
    let mut ids = Vec::new();
    for i in 0..8 {
        let actor = if i % 2 == 0 { &w.adatum } else { &w.litware };
        let input = if i % 2 == 0 {
            teams(&format!("A{i}"))
        } else {
            litware_teams(&format!("L{i}"))
        };
        // The same organisation cannot submit a claim on a key it holds, but none is
        // held yet.
        ids.push(w.under_review(actor, input).await);
    }
    let mut tasks = Vec::new();
    for id in ids.clone() {
        let w = w.clone();
        tasks.push(tokio::spawn(async move {
            w.run(&w.reviewer, id, approve()).await
        }));
    }
    let mut approved = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => approved += 1,
            Err(StoreError::Domain(e)) if e.has("claim", ErrorCode::Conflict) => {}
            Err(e) => panic!("unexpected: {e}"),
        }
    }
    assert!(approved >= 1);
    let key = store
        .claim(ids[0])
        .await
        .unwrap()
        .unwrap()
        .keys(&Default::default())[0]
        .clone();
    let holder = store
        .key_holder(&key)
        .await
        .unwrap()
        .expect("someone holds the key");
    let mut holding = 0;
    for id in &ids {
        let c = store.claim(*id).await.unwrap().unwrap();
        if c.holds_keys() {
            holding += 1;
            assert_eq!(holder.claim_id, c.id);
        } else if c.status == Status::Approved {
            assert_eq!(
                c.phase,
                Some(Phase::Ended),
                "approved and not holding means superseded"
            );
            assert!(c.superseded_by.is_some());
        }
    }
    assert_eq!(holding, 1, "exactly one holder");
}

pub async fn concurrent_commands_on_one_claim_serialise(store: Arc<dyn Store>) {
    let w = Arc::new(World::new(store.clone()).await);
    let id = w.create(&w.adatum, teams("Busy")).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let w = w.clone();
        tasks.push(tokio::spawn(async move {
            let cmd = Command::Comment {
                id: CommentId::from_uuid(Uuid::now_v7()),
                thread: Thread::Claim,
                body: CommentBody::parse(&format!("comment {i}")).unwrap(),
            };
            w.run(&w.adatum, id, cmd)
                .await
                .map(|o| o.claim.unwrap().version)
        }));
    }
    let mut versions = Vec::new();
    for t in tasks {
        versions.push(t.await.unwrap().unwrap());
    }
    versions.sort();
    assert_eq!(
        versions,
        (2..=21).collect::<Vec<u64>>(),
        "each command saw its own version"
    );
    let events = store.history(id, 0, 100).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=21).collect::<Vec<u64>>()
    );
}

pub async fn timers_are_scheduled_replaced_and_cancelled_with_the_state(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.submitted(&w.adatum, teams("Timers")).await;
    let t = store.pending_timers(id).await.unwrap();
    assert_eq!(
        t.iter().map(|t| t.kind).collect::<Vec<_>>(),
        vec![TimerKind::ReviewPickupSla]
    );
    w.ok(&w.reviewer, id, Command::StartReview { comment: None })
        .await;
    let t = store.pending_timers(id).await.unwrap();
    assert_eq!(
        t.iter().map(|t| t.kind).collect::<Vec<_>>(),
        vec![TimerKind::ReviewDecisionSla]
    );
    w.ok(
        &w.reviewer,
        id,
        Command::RequestInformation {
            reasons: vec!["missing_poe".into()],
            comment: Some(CommentBody::parse("?").unwrap()),
        },
    )
    .await;
    let t = store.pending_timers(id).await.unwrap();
    assert_eq!(
        t.iter().map(|t| t.kind).collect::<Vec<_>>(),
        vec![
            TimerKind::PartnerResponseReminder,
            TimerKind::PartnerResponseWindow
        ]
    );
    // The partner answers before the window ends: its timers are cancelled.
    w.ok(&w.adatum, id, Command::Resubmit { comment: None })
        .await;
    let t = store.pending_timers(id).await.unwrap();
    assert_eq!(
        t.iter().map(|t| t.kind).collect::<Vec<_>>(),
        vec![TimerKind::ReviewDecisionSla]
    );
    w.ok(&w.adatum, id, Command::Withdraw { comment: None })
        .await;
    assert!(store.pending_timers(id).await.unwrap().is_empty());
}

/// Takes due jobs and runs timer jobs through the command path, as the worker does.
async fn run_due(store: &Arc<dyn Store>, now: Timestamp) -> usize {
    let jobs = store
        .take_due_jobs(now, 100, SignedDuration::from_secs(60))
        .await
        .unwrap();
    let n = jobs.len();
    for job in jobs {
        if let JobKind::Timer { claim_id, timer } = job.kind {
            let mut req = CommandRequest::new(claim_id, Command::Fire(timer), Actor::System, now);
            req.job_id = Some(job.id);
            if store.execute(req).await.is_err() {
                store.finish_job(job.id, now, "skipped").await.unwrap();
            }
        } else {
            store.finish_job(job.id, now, "sent").await.unwrap();
        }
    }
    n
}

pub async fn a_due_timer_fires_exactly_once(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    let id = w.under_review(&w.adatum, teams("Auto")).await;
    w.ok(
        &w.reviewer,
        id,
        Command::RequestInformation {
            reasons: vec!["missing_poe".into()],
            comment: Some(CommentBody::parse("?").unwrap()),
        },
    )
    .await;
    w.later(hours(24 * 14));
    // Two workers at once, then again: the rejection happens once.
    let (a, b) = tokio::join!(run_due(&store, w.now), run_due(&store, w.now));
    assert!(
        a + b >= 2,
        "the reminder, the window and the e-mails were due"
    );
    run_due(&store, w.now).await;
    let history = store.history(id, 0, 100).await.unwrap();
    let fired = history
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ResponseWindowPassed))
        .count();
    assert_eq!(fired, 1);
    let c = store.claim(id).await.unwrap().unwrap();
    assert_eq!(c.status, Status::Rejected);
    assert_eq!(store.job_stats(w.now).await.unwrap().due, 0);
}

pub async fn a_leased_job_is_not_taken_twice_and_a_failed_one_is_retried(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.submitted(&w.adatum, teams("Lease")).await;
    finish_reads(&store, w.now).await;
    let later = w.now.checked_add(hours(24 * 10)).unwrap();
    let jobs = store
        .take_due_jobs(later, 10, SignedDuration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert!(
        store
            .take_due_jobs(later, 10, SignedDuration::from_secs(30))
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );
    // The lease passes (the worker died): another worker takes it again.
    let after_lease = later.checked_add(SignedDuration::from_secs(31)).unwrap();
    let again = store
        .take_due_jobs(after_lease, 10, SignedDuration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(
        again.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![jobs[0].id]
    );
    // A failure is retried later, never dropped.
    let retry_at = after_lease
        .checked_add(SignedDuration::from_secs(60))
        .unwrap();
    store
        .retry_job(again[0].id, "smtp down", retry_at)
        .await
        .unwrap();
    assert!(
        store
            .take_due_jobs(after_lease, 10, SignedDuration::from_secs(30))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.job_stats(retry_at).await.unwrap().failing, 1);
    let retried = store
        .take_due_jobs(retry_at, 10, SignedDuration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].attempts, 1);
    assert_eq!(
        retried[0].kind,
        JobKind::Timer {
            claim_id: id,
            timer: TimerKind::ReviewPickupSla
        }
    );
}

pub async fn approval_writes_the_outbox_and_delivery_forgets_the_secret(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.under_review(&w.adatum, teams("Mail")).await;
    w.ok(
        &w.reviewer,
        id,
        Command::Approve {
            comment: None,
            consent: ConsentSecret("the-link-secret".into()),
            confirm: false,
        },
    )
    .await;
    let jobs = store
        .take_due_jobs(w.now, 10, SignedDuration::from_secs(60))
        .await
        .unwrap();
    let mails: Vec<_> = jobs
        .iter()
        .filter_map(|j| match &j.kind {
            JobKind::Email(n) => Some((j.id, n.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(mails.len(), 2);
    let consent = mails
        .iter()
        .find(|(_, n)| n.template == Template::ConsentRequest)
        .unwrap();
    assert_eq!(consent.1.consent_secret.as_deref(), Some("the-link-secret"));
    // Delivery is recorded on the claim in the same transaction as the job's end.
    for (job, n) in &mails {
        let mut req = CommandRequest::new(
            id,
            Command::RecordEmail {
                template: n.template,
                to: n.to.clone(),
            },
            Actor::System,
            w.now,
        );
        req.job_id = Some(*job);
        store.execute(req).await.unwrap();
    }
    let sent = store
        .history(id, 0, 100)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind.type_name() == "email_sent")
        .count();
    assert_eq!(sent, 2);
    assert!(
        store
            .take_due_jobs(
                w.now.checked_add(hours(1)).unwrap(),
                10,
                SignedDuration::from_secs(60)
            )
            .await
            .unwrap()
            .iter()
            .all(|j| !matches!(j.kind, JobKind::Email(_)))
    );
}

pub async fn idempotent_requests_answer_the_first_outcome(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = new_id();
    let cmd = Command::Create {
        id,
        org_id: sample::adatum().id,
        fields: teams("Once").parse().unwrap(),
    };
    let mut req = w.at(id, cmd, &w.adatum);
    req.idempotency = Some(Idempotency {
        scope: "user-1".into(),
        key: "k1".into(),
        request_hash: "h1".into(),
    });
    let first = store.execute(req.clone()).await.unwrap();
    assert!(first.created && !first.replayed);
    // Something else happens to the claim; the retry still answers the first outcome.
    w.add_poe(&w.adatum, id).await;
    let again = store.execute(req.clone()).await.unwrap();
    assert!(again.replayed && again.created);
    assert_eq!(
        again.claim, first.claim,
        "the claim as the first request left it"
    );
    assert_eq!(
        store.history(id, 0, 100).await.unwrap().len(),
        2,
        "created once"
    );
    // Same key, another body.
    let mut other = req.clone();
    other.idempotency = Some(Idempotency {
        scope: "user-1".into(),
        key: "k1".into(),
        request_hash: "h2".into(),
    });
    assert!(matches!(
        store.execute(other).await,
        Err(StoreError::IdempotencyMismatch)
    ));
    // Another user's same key is their own.
    let mut theirs = req;
    theirs.claim_id = new_id();
    if let Command::Create { id, .. } = &mut theirs.command {
        *id = theirs.claim_id;
    }
    theirs.idempotency = Some(Idempotency {
        scope: "user-2".into(),
        key: "k1".into(),
        request_hash: "h1".into(),
    });
    assert!(!store.execute(theirs).await.unwrap().replayed);
}

pub async fn pages_are_stable_and_complete(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(w.create(&w.adatum, teams(&format!("Claim {i:02}"))).await);
    }
    let mut seen = Vec::new();
    let mut q = ClaimQuery {
        org_id: Some(sample::adatum().id),
        limit: 10,
        ..Default::default()
    };
    loop {
        let page = store.claims(&q).await.unwrap();
        seen.extend(page.items.iter().map(|c| c.id));
        // Claims created between pages appear on no later page and move nothing.
        w.create(&w.adatum, teams("Newer")).await;
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, each once");
}

pub async fn filters_select_the_right_claims(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let draft = w.create(&w.adatum, teams("Alpha rollout")).await;
    let submitted = w
        .submitted(
            &w.adatum,
            sample::m365_claim("Beta", sample::ADATUM_MPN_2, &["intune"]),
        )
        .await;
    let theirs = w.create(&w.litware, litware_teams("Gamma")).await;
    let approved = w
        .approved(
            &w.adatum,
            sample::m365_claim("Delta", sample::ADATUM_MPN, &["onedrive"]),
        )
        .await;
    let list = |q: ClaimQuery| {
        let store = store.clone();
        async move {
            store
                .claims(&ClaimQuery { limit: 50, ..q })
                .await
                .unwrap()
                .items
                .iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        }
    };
    let adatum = Some(sample::adatum().id);
    assert_eq!(
        list(ClaimQuery {
            org_id: adatum,
            ..Default::default()
        })
        .await,
        vec![approved, submitted, draft]
    );
    assert_eq!(
        list(ClaimQuery {
            org_id: Some(sample::litware().id),
            ..Default::default()
        })
        .await,
        vec![theirs]
    );
    assert_eq!(
        list(ClaimQuery {
            status: Some(Status::Submitted),
            ..Default::default()
        })
        .await,
        vec![submitted]
    );
    assert_eq!(
        list(ClaimQuery {
            phase: Some(Phase::ConsentPending),
            ..Default::default()
        })
        .await,
        vec![approved]
    );
    assert_eq!(
        list(ClaimQuery {
            mpn_id: Some(cpor_domain::values::MpnId::parse(sample::ADATUM_MPN_2).unwrap()),
            ..Default::default()
        })
        .await,
        vec![submitted]
    );
    assert_eq!(
        list(ClaimQuery {
            q: Some("alpha".into()),
            ..Default::default()
        })
        .await,
        vec![draft]
    );
    assert_eq!(
        list(ClaimQuery {
            q: Some("CONTOSO.COM".into()),
            org_id: adatum,
            ..Default::default()
        })
        .await
        .len(),
        3
    );
    assert_eq!(
        list(ClaimQuery {
            q: Some("100%_".into()),
            ..Default::default()
        })
        .await,
        vec![],
        "wildcards are literal"
    );
    assert_eq!(
        list(ClaimQuery {
            solution_area: Some(cpor_domain::reference::SolutionArea::BusinessApplications),
            ..Default::default()
        })
        .await,
        vec![]
    );
}

pub async fn the_review_queue_is_oldest_due_first(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    let first = w.submitted(&w.adatum, teams("First")).await;
    w.later(hours(1));
    let second = w.submitted(&w.litware, litware_teams("Second")).await;
    w.later(hours(1));
    let third = w
        .under_review(
            &w.adatum,
            sample::m365_claim("Third", sample::ADATUM_MPN, &["intune"]),
        )
        .await;
    let _draft = w.create(&w.adatum, teams("Draft")).await;
    let page = store.review_queue(None, 2).await.unwrap();
    assert_eq!(
        page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![first, second]
    );
    let rest = store.review_queue(page.next, 2).await.unwrap();
    assert_eq!(
        rest.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![third]
    );
    assert!(rest.next.is_none());
}

pub async fn the_disputes_queue_is_oldest_due_first(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    let a = w.rejected(&w.adatum, teams("A")).await;
    let b = w.rejected(&w.litware, litware_teams("B")).await;
    let intune = sample::m365_claim("C", sample::ADATUM_MPN, &["intune"]);
    let c = w.rejected(&w.adatum, intune).await;
    let onedrive = sample::m365_claim("D", sample::ADATUM_MPN, &["onedrive"]);
    let resolved = w.rejected(&w.adatum, onedrive).await;
    let _undisputed = w.rejected(&w.adatum, teams("E")).await;
    let _queued = w.submitted(&w.adatum, teams("Submitted")).await;
    assert!(
        store
            .dispute_queue(None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // Opened one hour apart, in the order c, a, resolved, b: due in that order too.
    for (id, actor) in [
        (c, w.adatum.clone()),
        (a, w.adatum.clone()),
        (resolved, w.adatum.clone()),
        (b, w.litware.clone()),
    ] {
        w.dispute(&actor, id).await;
        w.later(hours(1));
    }
    w.ok(&w.support, c, Command::StartDispute { comment: None })
        .await;
    w.ok(
        &w.support,
        resolved,
        Command::ResolveDispute {
            outcome: cpor_domain::claim::DisputeOutcome::Denied,
            comment: Some(CommentBody::parse("The rejection stands.").unwrap()),
        },
    )
    .await;
    type Queue = cpor_store::Page<cpor_domain::claim::Claim, (Timestamp, ClaimId)>;
    let ids = |p: &Queue| p.items.iter().map(|c| c.id).collect::<Vec<_>>();
    let due = |p: &Queue, i: usize| p.items[i].open_dispute().unwrap().due;
    let page = store.dispute_queue(None, 2).await.unwrap();
    assert_eq!(ids(&page), vec![c, a], "a started dispute stays");
    assert!(due(&page, 0) < due(&page, 1));
    assert_eq!(page.next, Some((due(&page, 1), a)));
    let rest = store.dispute_queue(page.next, 2).await.unwrap();
    assert_eq!(ids(&rest), vec![b], "a resolved dispute leaves");
    assert!(rest.next.is_none());
    let all = store.dispute_queue(None, 3).await.unwrap();
    assert_eq!(ids(&all), vec![c, a, b]);
    assert!(all.next.is_none(), "no further page after the last claim");
}

pub async fn report_events_are_read_by_time_and_organisation(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    let t0 = w.now;
    let a = w.submitted(&w.adatum, teams("A")).await; // seq 1-3 at t0
    w.later(hours(1));
    let t1 = w.now;
    let b = w.submitted(&w.litware, litware_teams("B")).await; // seq 1-3 at t1
    w.later(hours(1));
    let t2 = w.now;
    w.ok(&w.reviewer, a, Command::StartReview { comment: None })
        .await; // a's seq 4 at t2
    let c = w.create(&w.adatum, teams("C")).await; // seq 1 at t2
    let gone = w.create(&w.litware, litware_teams("Gone")).await;
    w.ok(&w.litware, gone, Command::Delete).await;
    w.later(hours(1));
    let t3 = w.now;
    let _d = w.create(&w.litware, litware_teams("D")).await; // at t3: after the range
    let report = |org, after, limit| {
        let store = store.clone();
        async move {
            store
                .report_events(t1, t3, org, after, limit)
                .await
                .unwrap()
        }
    };
    let keys = |events: &[cpor_store::ReportEvent]| {
        events
            .iter()
            .map(|e| (e.claim_id, e.seq))
            .collect::<Vec<_>>()
    };
    let all = report(None, None, 100).await;
    // At t2, a's event comes before c's: a's id is the older.
    assert!(a < c);
    assert_eq!(keys(&all), vec![(b, 1), (b, 2), (b, 3), (a, 4), (c, 1)]);
    assert_eq!(all[0].org_id, sample::litware().id);
    assert_eq!(all[3].org_id, sample::adatum().id);
    assert_eq!(all[3].at, t2);
    assert!(matches!(all[3].event.kind, EventKind::ReviewStarted { .. }));
    assert_eq!(
        (all[3].event.claim_id, all[3].event.seq),
        (all[3].claim_id, all[3].seq)
    );
    let adatum = report(Some(sample::adatum().id), None, 100).await;
    assert_eq!(keys(&adatum), vec![(a, 4), (c, 1)]);
    let litware = report(Some(sample::litware().id), None, 100).await;
    assert_eq!(keys(&litware), vec![(b, 1), (b, 2), (b, 3)]);
    // Paging: each page resumes after the previous page's last event.
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = report(None, after, 2).await;
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        after = Some(last.position());
        paged.extend(page);
    }
    assert_eq!(paged, all);
    let first = store.report_events(t0, t1, None, None, 100).await.unwrap();
    assert_eq!(keys(&first), vec![(a, 1), (a, 2), (a, 3)], "to is excluded");
    assert!(
        store
            .report_events(t3, t3, None, None, 100)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_holiday_moves_running_deadlines_when_recounted(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let t = |s: &str| s.parse::<Timestamp>().unwrap();
    // Monday 2 November, 10:00: every window of five business days ends Monday the 9th.
    let submitted = w.submitted(&w.adatum, teams("Submitted")).await;
    let reviewed = w
        .under_review(&w.litware, litware_teams("Under review"))
        .await;
    let asked = w
        .under_review(
            &w.adatum,
            sample::m365_claim("Asked", sample::ADATUM_MPN, &["intune"]),
        )
        .await;
    w.ok(
        &w.reviewer,
        asked,
        Command::RequestInformation {
            reasons: vec!["missing_customer_signature".into()],
            comment: Some(CommentBody::parse("Please sign.").unwrap()),
        },
    )
    .await;
    let approved = w
        .approved(
            &w.adatum,
            sample::m365_claim("Approved", sample::ADATUM_MPN, &["onedrive"]),
        )
        .await;
    let draft = w.create(&w.adatum, teams("Draft")).await;
    let before = |id| {
        let store = store.clone();
        async move { store.claim(id).await.unwrap().unwrap() }
    };
    let (approved_before, draft_before) = (before(approved).await, before(draft).await);
    let submitted_before = before(submitted).await;
    assert_eq!(
        cpor_store::recount_deadlines(store.as_ref(), w.now)
            .await
            .unwrap(),
        0,
        "nothing moves while the calendar is as it was"
    );

    store
        .add_holiday(date(2026, 11, 4), Some("Holiday"))
        .await
        .unwrap();
    let later = w.now.checked_add(hours(1)).unwrap();
    assert_eq!(
        cpor_store::recount_deadlines(store.as_ref(), later)
            .await
            .unwrap(),
        3
    );
    let timers = |id| {
        let store = store.clone();
        async move {
            store
                .pending_timers(id)
                .await
                .unwrap()
                .into_iter()
                .map(|t| (t.kind, t.due))
                .collect::<Vec<_>>()
        }
    };
    let c = before(submitted).await;
    assert_eq!(
        c.deadlines.review_pickup_due,
        Some(t("2026-11-10T10:00:00Z"))
    );
    assert_eq!(c.etag, submitted_before.etag, "the ETag stays");
    assert_eq!(c.updated_at, later);
    assert_eq!(
        timers(submitted).await,
        vec![(TimerKind::ReviewPickupSla, t("2026-11-10T10:00:00Z"))]
    );
    let history = store.history(submitted, 0, 100).await.unwrap();
    assert_eq!(
        history.last().map(|e| e.kind.type_name()),
        Some("deadlines_recounted")
    );
    assert_eq!(replay(&history).as_ref(), Some(&c));
    assert_eq!(
        before(reviewed).await.deadlines.review_decision_due,
        Some(t("2026-11-10T10:00:00Z"))
    );
    assert_eq!(
        timers(reviewed).await,
        vec![(TimerKind::ReviewDecisionSla, t("2026-11-10T10:00:00Z"))]
    );
    assert_eq!(
        timers(asked).await,
        vec![
            (
                TimerKind::PartnerResponseReminder,
                t("2026-11-09T10:00:00Z")
            ),
            (TimerKind::PartnerResponseWindow, t("2026-11-10T10:00:00Z")),
        ]
    );
    assert_eq!(before(approved).await, approved_before);
    assert_eq!(before(draft).await, draft_before);

    store.remove_holiday(date(2026, 11, 4)).await.unwrap();
    assert_eq!(
        cpor_store::recount_deadlines(store.as_ref(), later)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        timers(submitted).await,
        vec![(TimerKind::ReviewPickupSla, t("2026-11-09T10:00:00Z"))]
    );
}

pub async fn deleting_a_draft_removes_it_and_its_timers(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.create(&w.adatum, teams("Gone")).await;
    let out = w.ok(&w.adatum, id, Command::Delete).await;
    assert!(out.claim.is_none());
    assert!(store.claim(id).await.unwrap().is_none());
    assert!(store.history(id, 0, 10).await.unwrap().is_empty());
}

pub async fn the_directory_import_replaces_each_tenant(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let contoso = cpor_domain::values::TenantId::parse(sample::CONTOSO).unwrap();
    let domain = cpor_domain::values::DomainName::parse("contoso.com").unwrap();
    assert_eq!(
        store.tenant_of_domain(&domain).await.unwrap(),
        Some(contoso)
    );
    let mut t = store.tenant(contoso).await.unwrap().unwrap();
    assert_eq!(t.subscriptions.len(), 5);
    t.domains.retain(|d| d.as_str() != "contoso.com");
    t.subscriptions.truncate(1);
    store
        .import_directory(std::slice::from_ref(&t))
        .await
        .unwrap();
    assert_eq!(store.tenant(contoso).await.unwrap().unwrap(), t);
    assert_eq!(store.tenant_of_domain(&domain).await.unwrap(), None);
    let _ = w;
}

pub async fn users_are_found_by_token_and_emails_are_unique(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let u = store
        .user_by_token("token-hash-1", w.now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.actor(), w.adatum);
    assert!(store.user_by_token("nope", w.now).await.unwrap().is_none());
    let dup = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        org_id: None,
        email: Email::parse("USER1@example.com").unwrap(),
        name: "Dup".into(),
        role: Role::Reviewer,
        created_at: w.now,
    };
    assert!(matches!(
        store.create_user(&dup, Some("h")).await,
        Err(StoreError::Duplicate { field: "email", .. })
    ));
    assert_eq!(
        store.users(Some(sample::adatum().id)).await.unwrap().len(),
        1
    );
    assert_eq!(
        store.users(None).await.unwrap().len(),
        2,
        "the operator's users"
    );
    let dup_org = sample::litware();
    assert!(store.create_organisation(&dup_org, w.now).await.is_err());
}

pub async fn reference_data_changes_are_seen_by_commands(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    // A holiday moves the pickup deadline; a policy change shortens it.
    assert!(
        store
            .add_holiday(date(2026, 11, 3), Some("Test day"))
            .await
            .unwrap()
    );
    assert!(!store.add_holiday(date(2026, 11, 3), None).await.unwrap());
    let id = w.submitted(&w.adatum, teams("Holiday")).await;
    let due = store
        .claim(id)
        .await
        .unwrap()
        .unwrap()
        .deadlines
        .review_pickup_due
        .unwrap();
    assert_eq!(due, "2026-11-10T10:00:00Z".parse().unwrap());
    store
        .set_policy(&Policy {
            review_pickup_days: 1,
            ..Policy::default()
        })
        .await
        .unwrap();
    w.later(hours(1));
    let id2 = w.submitted(&w.litware, litware_teams("Short")).await;
    let due2 = store
        .claim(id2)
        .await
        .unwrap()
        .unwrap()
        .deadlines
        .review_pickup_due
        .unwrap();
    assert_eq!(due2, "2026-11-04T11:00:00Z".parse().unwrap());
    let bad = Policy {
        time_zone: "Mars/Olympus".into(),
        ..Policy::default()
    };
    assert!(store.set_policy(&bad).await.is_err());
    let p = Product {
        id: ProductId::parse("copilot").unwrap(),
        name: "Microsoft 365 Copilot".into(),
        solution_area: cpor_domain::reference::SolutionArea::Microsoft365,
        dynamics_365: false,
        retired: false,
    };
    store.upsert_product(&p).await.unwrap();
    let r = store.reference().await.unwrap();
    assert!(r.catalog.get(&p.id).is_some());
    w.create(
        &w.adatum,
        sample::m365_claim("Copilot", sample::ADATUM_MPN, &["copilot"]),
    )
    .await;
    assert!(store.remove_holiday(date(2026, 11, 3)).await.unwrap());
}

pub async fn comments_are_kept_per_thread(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.under_review(&w.adatum, teams("Talk")).await;
    let say = |thread, s: &str| Command::Comment {
        id: CommentId::from_uuid(Uuid::now_v7()),
        thread,
        body: CommentBody::parse(s).unwrap(),
    };
    w.ok(&w.reviewer, id, say(Thread::Claim, "Please sign."))
        .await;
    w.ok(&w.adatum, id, say(Thread::Claim, "Done.")).await;
    w.ok(
        &w.reviewer,
        id,
        Command::Reject {
            reasons: vec!["insufficient_poe".into()],
            comment: Some(CommentBody::parse("No.").unwrap()),
        },
    )
    .await;
    w.ok(
        &w.adatum,
        id,
        Command::OpenDispute(cpor_domain::claim::DisputeInput {
            program: None,
            products: None,
            details: cpor_domain::values::DisputeDetails::parse("See SOW").unwrap(),
        }),
    )
    .await;
    w.ok(&w.support, id, say(Thread::Dispute, "Looking.")).await;
    let all = store.comments(id, None, 0, 50).await.unwrap();
    assert_eq!(
        all.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(),
        vec!["Please sign.", "Done.", "Looking."]
    );
    let dispute = store
        .comments(id, Some(Thread::Dispute), 0, 50)
        .await
        .unwrap();
    assert_eq!(dispute.len(), 1);
    assert_eq!(dispute[0].author, w.support);
}

/// The PoE ids of the file removals due at `now`.
async fn file_removals(store: &Arc<dyn Store>, now: Timestamp) -> Vec<(i64, ClaimId, PoeId)> {
    store
        .take_due_jobs(now, 100, SignedDuration::from_secs(60))
        .await
        .unwrap()
        .into_iter()
        .filter_map(|j| match j.kind {
            JobKind::RemovePoeFile { claim_id, poe_id } => Some((j.id, claim_id, poe_id)),
            _ => None,
        })
        .collect()
}

pub async fn dropped_poe_records_queue_their_file_removal(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    // Removing one PoE from a draft: one removal, for that file.
    let id = w.create(&w.adatum, teams("Files")).await;
    w.add_poe(&w.adatum, id).await;
    w.add_poe(&w.adatum, id).await;
    let poe = store.claim(id).await.unwrap().unwrap().poe;
    w.ok(&w.adatum, id, Command::RemovePoe(poe[0].id)).await;
    let jobs = file_removals(&store, w.now).await;
    assert_eq!(
        jobs.iter().map(|j| (j.1, j.2)).collect::<Vec<_>>(),
        vec![(id, poe[0].id)]
    );
    store.finish_job(jobs[0].0, w.now, "removed").await.unwrap();
    // Deleting a draft with two PoE: one removal per file, kept after the claim's rows go.
    let gone = w.create(&w.adatum, teams("Gone with files")).await;
    w.add_poe(&w.adatum, gone).await;
    w.add_poe(&w.adatum, gone).await;
    let mut files: Vec<PoeId> = store
        .claim(gone)
        .await
        .unwrap()
        .unwrap()
        .poe
        .iter()
        .map(|p| p.id)
        .collect();
    w.ok(&w.adatum, gone, Command::Delete).await;
    let mut removed: Vec<PoeId> = file_removals(&store, w.now)
        .await
        .into_iter()
        .map(|(_, claim, poe)| {
            assert_eq!(claim, gone);
            poe
        })
        .collect();
    files.sort();
    removed.sort();
    assert_eq!(removed, files);
}

/// A delivered e-mail and a breached SLA are history, not changes an editor must have
/// seen: an edit based on the ETag from before them goes through.
pub async fn background_events_do_not_refuse_an_editors_if_match(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    let id = w.submitted(&w.adatum, teams("Background")).await;
    let seen = store.claim(id).await.unwrap().unwrap();
    let mut mail = CommandRequest::new(
        id,
        Command::RecordEmail {
            template: Template::InformationRequested,
            to: Email::parse("partner@adatum.example").unwrap(),
        },
        Actor::System,
        w.now,
    );
    mail.expected_version = None;
    store.execute(mail).await.unwrap();
    w.later(hours(24 * 10));
    run_due(&store, w.now).await;
    let now = store.claim(id).await.unwrap().unwrap();
    assert_eq!(now.version, seen.version + 2, "both are in the history");
    assert_eq!(now.etag, seen.etag);
    let patch: ClaimInput =
        serde_json::from_value(serde_json::json!({"mpn_id": sample::ADATUM_MPN_2})).unwrap();
    let mut edit = w.at(id, Command::Edit(patch.parse().unwrap()), &w.adatum);
    edit.expected_version = Some(seen.etag);
    let out = store.execute(edit.clone()).await.unwrap();
    let after = out.claim.unwrap();
    assert_eq!(after.etag, after.version, "the edit moved it");
    // The same edit again, on the old ETag, is now stale.
    assert!(matches!(
        store.execute(edit).await,
        Err(StoreError::VersionMismatch { current }) if current == after.etag
    ));
    assert_eq!(
        replay(&store.history(id, 0, 100).await.unwrap()).as_ref(),
        store.claim(id).await.unwrap().as_ref()
    );
}

/// Reference data taken twice is the same `Duplicate` refusal on every backend, naming
/// the field and the value, and leaves nothing half-written.
pub async fn duplicates_are_refused_alike(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let dup = |r: Result<()>| match r {
        Err(StoreError::Duplicate { field, value }) => (field, value),
        other => panic!("expected a duplicate, got {other:?}"),
    };
    let litware = sample::litware();
    assert_eq!(
        dup(store.create_organisation(&litware, w.now).await),
        ("id", litware.id.to_string())
    );
    // A new organisation naming a location another one has: refused whole.
    let mut other = sample::litware();
    other.id = cpor_domain::values::OrgId::from_uuid(Uuid::now_v7());
    other.locations.truncate(1);
    let mpn = other.locations[0].mpn_id.to_string();
    assert_eq!(
        dup(store.create_organisation(&other, w.now).await),
        ("mpn_id", mpn.clone())
    );
    assert!(store.organisation(other.id).await.unwrap().is_none());
    assert_eq!(
        dup(store
            .add_location(sample::adatum().id, &other.locations[0])
            .await),
        ("mpn_id", mpn)
    );
    let user = |id: UserId, email: &str| User {
        id,
        org_id: None,
        email: Email::parse(email).unwrap(),
        name: "Dup".into(),
        role: Role::Reviewer,
        created_at: w.now,
    };
    assert_eq!(
        dup(store
            .create_user(
                &user(UserId::from_uuid(Uuid::now_v7()), "User3@Example.com"),
                Some("h1")
            )
            .await),
        ("email", "User3@example.com".to_string())
    );
    let taken = w.reviewer.user_id().unwrap();
    assert_eq!(
        dup(store
            .create_user(&user(taken, "someone.new@example.com"), Some("h2"))
            .await),
        ("id", taken.to_string())
    );
}

/// A row that does not decode is parked, and the rest of its batch still runs.
pub async fn an_undecodable_job_is_parked_and_the_others_run(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.submitted(&w.adatum, teams("Poison")).await;
    finish_reads(&store, w.now).await;
    let later = w.now.checked_add(hours(24 * 10)).unwrap();
    let bad = store
        .insert_raw_job(
            "email",
            &id.to_string(),
            "{\"kind\": \"no_such_kind\"",
            w.now,
        )
        .await
        .unwrap();
    let jobs = store
        .take_due_jobs(later, 10, SignedDuration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(
        jobs.iter().map(|j| &j.kind).collect::<Vec<_>>(),
        vec![&JobKind::Timer {
            claim_id: id,
            timer: TimerKind::ReviewPickupSla
        }],
        "the good job is taken"
    );
    let stats = store.job_stats(later).await.unwrap();
    assert_eq!((stats.parked, stats.due), (1, 1));
    let listed = store.failing_jobs(None, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    let p = &listed[0];
    assert_eq!(
        (p.id, p.kind.as_str(), p.claim_id.clone(), p.parked),
        (bad, "email", id.to_string(), true)
    );
    assert!(
        p.last_error
            .as_deref()
            .unwrap_or("")
            .contains("undecodable"),
        "{p:?}"
    );
    // Not taken again, also once the lease has passed.
    let after_lease = later.checked_add(hours(1)).unwrap();
    let again = store
        .take_due_jobs(after_lease, 10, SignedDuration::from_secs(30))
        .await
        .unwrap();
    assert!(again.iter().all(|j| j.id != bad));
}

/// A job that keeps failing is parked after its attempts: kept, listed, not taken; an
/// operator's requeue makes it due again with fresh attempts.
pub async fn a_job_out_of_attempts_is_parked_until_requeued(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = w.submitted(&w.adatum, teams("Stubborn")).await;
    finish_reads(&store, w.now).await;
    let mut now = w.now.checked_add(hours(24 * 10)).unwrap();
    let lease = SignedDuration::from_secs(30);
    let job = store.take_due_jobs(now, 10, lease).await.unwrap()[0].clone();
    for attempt in 1..=cpor_store::MAX_JOB_ATTEMPTS {
        let retry_at = now.checked_add(SignedDuration::from_secs(10)).unwrap();
        let r = store
            .retry_job(job.id, "smtp down", retry_at)
            .await
            .unwrap();
        if attempt < cpor_store::MAX_JOB_ATTEMPTS {
            assert_eq!(r, cpor_store::Retry::Scheduled, "attempt {attempt}");
            now = retry_at;
            let taken = store.take_due_jobs(now, 10, lease).await.unwrap();
            assert_eq!(
                taken.iter().map(|j| (j.id, j.attempts)).collect::<Vec<_>>(),
                vec![(job.id, attempt)]
            );
        } else {
            assert_eq!(r, cpor_store::Retry::Parked);
        }
    }
    let far = now.checked_add(hours(24 * 30)).unwrap();
    assert!(
        store
            .take_due_jobs(far, 10, lease)
            .await
            .unwrap()
            .is_empty()
    );
    let stats = store.job_stats(far).await.unwrap();
    assert_eq!((stats.due, stats.failing, stats.parked), (0, 0, 1));
    let listed = store.failing_jobs(None, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].id,
            listed[0].kind.as_str(),
            listed[0].attempts,
            listed[0].last_error.as_deref(),
            listed[0].due_at,
            listed[0].parked
        ),
        (
            job.id,
            "timer",
            cpor_store::MAX_JOB_ATTEMPTS,
            Some("smtp down"),
            now,
            true
        )
    );
    assert!(
        store
            .failing_jobs(Some(job.id), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Requeued: due now, attempts reset, and it runs.
    assert!(store.requeue_job(job.id, far).await.unwrap());
    assert!(
        !store.requeue_job(job.id, far).await.unwrap(),
        "no longer parked"
    );
    assert_eq!(store.job_stats(far).await.unwrap().parked, 0);
    let taken = store.take_due_jobs(far, 10, lease).await.unwrap();
    assert_eq!(
        taken
            .iter()
            .map(|j| (j.id, j.attempts, j.due_at))
            .collect::<Vec<_>>(),
        vec![(job.id, 0, far)]
    );
    let _ = id;
}

/// Finishes the jobs that read uploaded documents (due at the upload), so a case sees
/// only the jobs it is about.
async fn finish_reads(store: &Arc<dyn Store>, now: Timestamp) {
    for job in store
        .take_due_jobs(now, 100, SignedDuration::from_secs(1))
        .await
        .unwrap()
    {
        assert!(
            matches!(job.kind, JobKind::ReadPoe { .. }),
            "{:?}",
            job.kind
        );
        store.finish_job(job.id, now, "read").await.unwrap();
    }
}
