//! The eligibility feed and periods (docs/product.md, eligibility hand-off): written by
//! the commands that change an association, in commit order, read by cursor and by date.

use super::{World, teams};
use cpor_domain::claim::{Command, TimerKind};
use cpor_domain::eligibility::ChangeKind;
use cpor_domain::jiff::SignedDuration;
use cpor_domain::sample;
use cpor_domain::values::{Parse, Reason};
use cpor_domain::{Actor, jiff::Timestamp};
use cpor_store::{CommandRequest, JobKind, Store};
use std::sync::Arc;

/// Runs the timers due at `now` (the consent window's end among them).
pub async fn fire_timers(store: &Arc<dyn Store>, now: Timestamp) {
    let jobs = store
        .take_due_jobs(now, 500, SignedDuration::from_secs(60))
        .await
        .unwrap();
    for job in jobs {
        match job.kind {
            JobKind::Timer {
                claim_id,
                timer: timer @ TimerKind::ConsentWindow,
            } => {
                let mut req =
                    CommandRequest::new(claim_id, Command::Fire(timer), Actor::System, now);
                req.job_id = Some(job.id);
                store.execute(req).await.unwrap();
            }
            _ => store.finish_job(job.id, now, "skipped").await.unwrap(),
        }
    }
}

pub async fn the_feed_and_the_periods_follow_an_association(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    let id = w.approved(&w.adatum, teams("Teams")).await;
    let approved_at = w.now;
    assert!(
        store
            .eligibility_changes(0, 100, None)
            .await
            .unwrap()
            .is_empty(),
        "consent pending counts for nothing"
    );
    w.later(SignedDuration::from_hours(24 * 8));
    fire_timers(&store, w.now).await;
    let activated_at = store
        .claim(id)
        .await
        .unwrap()
        .unwrap()
        .activated_at
        .unwrap();
    w.later(SignedDuration::from_hours(24 * 30));
    w.ok(
        &w.adatum,
        id,
        Command::Disassociate {
            reason: Some(Reason::parse("Project over").unwrap()),
        },
    )
    .await;
    let feed = store.eligibility_changes(0, 100, None).await.unwrap();
    let kinds: Vec<ChangeKind> = feed.iter().map(|(_, c)| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::Activated, ChangeKind::Ended]);
    assert!(feed[0].0 < feed[1].0, "numbered in order");
    assert_eq!(feed[1].1.reason.as_deref(), Some("Project over"));
    assert_eq!(feed[1].1.claim_id, id);
    // The cursor resumes after a change; another organisation's feed is empty.
    let rest = store
        .eligibility_changes(feed[0].0, 100, None)
        .await
        .unwrap();
    assert_eq!(rest, feed[1..]);
    let adatum = Some(sample::adatum().id);
    assert_eq!(
        store.eligibility_changes(0, 100, adatum).await.unwrap(),
        feed
    );
    let litware = Some(sample::litware().id);
    assert!(
        store
            .eligibility_changes(0, 100, litware)
            .await
            .unwrap()
            .is_empty()
    );
    // Eligible from the activation until the disassociation, one row per key.
    let eligible = |at: Timestamp| {
        let store = store.clone();
        async move { store.eligible_at(at, None, None, 100).await.unwrap() }
    };
    assert!(eligible(approved_at).await.is_empty());
    let during = eligible(activated_at).await;
    assert_eq!(during.len(), 1, "teams, one key");
    assert_eq!(during[0].claim_id, id);
    assert_eq!(during[0].effective_from, activated_at);
    assert!(eligible(w.now).await.is_empty(), "ended at that moment");
    let mid = activated_at
        .checked_add(SignedDuration::from_hours(24))
        .unwrap();
    assert_eq!(eligible(mid).await.len(), 1);
    assert!(
        store
            .eligible_at(mid, litware, None, 100)
            .await
            .unwrap()
            .is_empty(),
        "by organisation"
    );
}

pub async fn the_export_pages_by_claim_and_key(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    let a = w
        .approved(
            &w.adatum,
            sample::m365_claim("Three", sample::ADATUM_MPN, &["teams", "exchange_online"]),
        )
        .await;
    let b = w
        .approved(
            &w.litware,
            sample::m365_claim("Other", sample::LITWARE_MPN, &["sharepoint_online"]),
        )
        .await;
    w.later(SignedDuration::from_hours(24 * 8));
    fire_timers(&store, w.now).await;
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.eligible_at(w.now, None, after, 1).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some((last.claim_id, last.key.to_string()));
        seen.extend(page);
    }
    let mut claims: Vec<_> = seen.iter().map(|p| p.claim_id).collect();
    claims.dedup();
    let mut expected = vec![a, b];
    expected.sort_by_key(|c| c.to_string());
    assert_eq!(claims, expected, "each claim once, keys together");
    assert_eq!(seen.len(), 3, "a row per key");
}
