//! Deadlines follow the calendar: a holiday added or removed, or a policy change, moves
//! the running business-day deadlines, counted again from when they started
//! (`Command::Recount`).

#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::claim::{Command, EventKind, Status, TimerKind, replay};
use cpor_domain::jiff::ToSpan;
use cpor_domain::jiff::civil::{Date, date};
use cpor_domain::reference::{Catalog, Policy, ProgramMap, Reference};
use cpor_domain::values::ClaimId;
use cpor_domain::{Actor, ErrorCode};
use support::*;

fn teams() -> cpor_domain::claim::ClaimInput {
    m365_input("Contoso Teams rollout", MPN_A, &["teams"])
}

/// The world's reference data with these holidays (and 26 November, as it starts) and
/// this policy.
fn set_calendar(w: &mut World, holidays: &[Date], policy: Policy) {
    let mut all = vec![date(2026, 11, 26)];
    all.extend_from_slice(holidays);
    w.reference = Reference::new(Catalog::default(), ProgramMap::default(), policy, all).unwrap();
}

/// Runs a recount as the system would; the events it recorded.
fn recount(w: &mut World, id: ClaimId) -> Vec<EventKind> {
    let changes = w.run(&Actor::System, Some(id), Command::Recount).unwrap();
    changes[0].events.iter().map(|e| e.kind.clone()).collect()
}

fn timer(w: &World, id: ClaimId, kind: TimerKind) -> Option<cpor_domain::jiff::Timestamp> {
    w.timers
        .get(&id)
        .and_then(|ts| ts.iter().find(|t| t.kind == kind).map(|t| t.due))
}

#[test]
fn a_holiday_in_a_running_pickup_window_moves_its_due_date_and_back() {
    let mut w = World::new();
    // Submitted on Monday 2 November 10:00: pickup due Monday 9 November 10:00.
    let id = w.submitted(&admin_a(), teams());
    let before = w.claim(id).clone();
    assert_eq!(
        before.deadlines.review_pickup_due,
        Some(ts("2026-11-09T10:00:00Z"))
    );
    assert_eq!(before.deadlines.running_since, Some(w.now));
    w.advance(1.day());
    set_calendar(&mut w, &[date(2026, 11, 4)], Policy::default());
    let events = recount(&mut w, id);
    assert_eq!(
        events,
        vec![EventKind::DeadlinesRecounted {
            review_pickup_due: Some(ts("2026-11-10T10:00:00Z")),
            review_decision_due: None,
            partner_response_due: None,
            partner_response_reminder: None,
        }]
    );
    let c = w.claim(id).clone();
    assert_eq!(
        c.deadlines.review_pickup_due,
        Some(ts("2026-11-10T10:00:00Z"))
    );
    assert_eq!(
        timer(&w, id, TimerKind::ReviewPickupSla),
        Some(ts("2026-11-10T10:00:00Z")),
        "the claim's timer is replaced"
    );
    assert_eq!(c.etag, before.etag, "an editor's If-Match stays good");
    assert_eq!(c.updated_at, w.now, "partners see the due date move");
    assert_eq!(c.version, before.version + 1, "recorded in the history");
    assert_eq!(replay(&w.events[&id]).as_ref(), Some(&c));

    // Nothing moved: nothing recorded.
    assert!(recount(&mut w, id).is_empty());
    assert_eq!(w.claim(id).version, c.version);

    // The holiday removed: back to Monday.
    set_calendar(&mut w, &[], Policy::default());
    assert_eq!(recount(&mut w, id).len(), 1);
    assert_eq!(
        w.claim(id).deadlines.review_pickup_due,
        Some(ts("2026-11-09T10:00:00Z"))
    );
    assert_eq!(
        timer(&w, id, TimerKind::ReviewPickupSla),
        Some(ts("2026-11-09T10:00:00Z"))
    );
}

#[test]
fn a_policy_change_moves_a_running_review_decision_deadline() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    let started = w.now;
    assert_eq!(
        w.claim(id).deadlines.review_decision_due,
        Some(ts("2026-11-09T10:00:00Z"))
    );
    w.advance(2.days());
    let policy = Policy {
        review_decision_days: 7,
        ..Policy::default()
    };
    set_calendar(&mut w, &[], policy);
    assert_eq!(recount(&mut w, id).len(), 1);
    let c = w.claim(id);
    assert_eq!(c.deadlines.running_since, Some(started));
    assert_eq!(
        c.deadlines.review_decision_due,
        Some(ts("2026-11-11T10:00:00Z")),
        "seven business days from the start of review, not from now"
    );
    assert_eq!(
        timer(&w, id, TimerKind::ReviewDecisionSla),
        Some(ts("2026-11-11T10:00:00Z"))
    );
}

#[test]
fn a_holiday_moves_the_partner_response_window_and_its_reminder() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    w.advance(1.day());
    // Asked on Tuesday 3 November: due Tuesday 10th, reminded Monday 9th.
    w.ok(
        &reviewer(),
        id,
        Command::RequestInformation {
            reasons: strings(&["missing_customer_signature"]),
            comment: comment("Please sign the SOW."),
        },
    );
    let asked = w.now;
    w.advance(1.day());
    set_calendar(&mut w, &[date(2026, 11, 5)], Policy::default());
    assert_eq!(recount(&mut w, id).len(), 1);
    let c = w.claim(id).clone();
    assert_eq!(c.status, Status::PartnerActionRequired);
    assert_eq!(c.deadlines.running_since, Some(asked));
    assert_eq!(
        (
            c.deadlines.partner_response_due,
            c.deadlines.partner_response_reminder
        ),
        (
            Some(ts("2026-11-11T10:00:00Z")),
            Some(ts("2026-11-10T10:00:00Z"))
        )
    );
    assert_eq!(
        (
            timer(&w, id, TimerKind::PartnerResponseWindow),
            timer(&w, id, TimerKind::PartnerResponseReminder)
        ),
        (
            Some(ts("2026-11-11T10:00:00Z")),
            Some(ts("2026-11-10T10:00:00Z"))
        )
    );
    // The partner answers: the decision window starts again, from the answer.
    w.ok(&admin_a(), id, Command::Resubmit { comment: None });
    assert_eq!(w.claim(id).deadlines.running_since, Some(w.now));
    assert_eq!(replay(&w.events[&id]).as_ref(), Some(w.claim(id)));
}

#[test]
fn a_claim_not_in_a_running_window_is_untouched() {
    let mut w = World::new();
    let draft = w.create(&admin_a(), teams()).unwrap();
    let approved = w.approved(&admin_a(), m365_input("Contoso Intune", MPN_A, &["intune"]));
    assert_eq!(w.claim(approved).deadlines.running_since, None);
    let before = (w.claim(draft).clone(), w.claim(approved).clone());
    set_calendar(
        &mut w,
        &[date(2026, 11, 3), date(2026, 11, 4)],
        Policy::default(),
    );
    assert!(recount(&mut w, draft).is_empty());
    assert!(recount(&mut w, approved).is_empty());
    assert_eq!((w.claim(draft).clone(), w.claim(approved).clone()), before);
}

#[test]
fn only_the_system_recounts() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), teams());
    let e = w.run(&reviewer(), Some(id), Command::Recount).unwrap_err();
    assert!(e.has("role", ErrorCode::NotPermitted));
}

#[test]
fn a_state_stored_before_starts_were_kept_recounts_from_what_it_knows() {
    let mut w = World::new();
    let submitted = w.submitted(&admin_a(), teams());
    let reviewed = w.under_review(&admin_a(), m365_input("Contoso Intune", MPN_A, &["intune"]));
    for id in [submitted, reviewed] {
        // As stored before `running_since` was kept.
        let mut state = serde_json::to_value(w.claim(id)).unwrap();
        state["deadlines"]
            .as_object_mut()
            .unwrap()
            .remove("running_since");
        let old: cpor_domain::claim::Claim = serde_json::from_value(state).unwrap();
        assert_eq!(old.deadlines.running_since, None);
        w.claims.insert(id, old);
    }
    set_calendar(&mut w, &[date(2026, 11, 4)], Policy::default());
    // A submitted claim's window started at its submission.
    assert_eq!(recount(&mut w, submitted).len(), 1);
    assert_eq!(
        w.claim(submitted).deadlines.review_pickup_due,
        Some(ts("2026-11-10T10:00:00Z"))
    );
    // Another's start is unknown in such a state: left as it was (replay rebuilds it).
    assert!(recount(&mut w, reviewed).is_empty());
    assert_eq!(
        replay(&w.events[&reviewed])
            .unwrap()
            .deadlines
            .running_since,
        Some(w.now)
    );
}
