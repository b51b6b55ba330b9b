//! Late e-mails and late timers (after downtime): an e-mail carries the claim's version
//! it was queued at and is dropped at its turn when it no longer applies; the partner's
//! reminder fires only while its deadline is ahead.

#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::Actor;
use cpor_domain::claim::{
    Command, DropReason, EventKind, Notification, Status, Template, TimerKind, replay, stale,
};
use cpor_domain::jiff::ToSpan;
use cpor_domain::values::{ClaimId, Parse, Reason as ReasonText};
use support::*;

fn teams() -> cpor_domain::claim::ClaimInput {
    m365_input("Contoso Teams rollout", MPN_A, &["teams"])
}

/// An under-review claim asked for information on Monday 2 November 10:00: due Monday
/// 9th, reminded Friday 6th.
fn asked(w: &mut World) -> ClaimId {
    let id = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        id,
        Command::RequestInformation {
            reasons: strings(&["missing_customer_signature"]),
            comment: comment("Please sign the SOW."),
        },
    );
    id
}

fn mail(w: &World, id: ClaimId, template: Template) -> Notification {
    w.outbox
        .iter()
        .rev()
        .find(|n| n.claim_id == id && n.template == template)
        .cloned()
        .unwrap()
}

/// Whether `n` still applies at `w.now`, as the worker asks it: the claim as of the
/// e-mail's version and the events since.
fn verdict(w: &World, n: &Notification) -> Option<DropReason> {
    let events = &w.events[&n.claim_id];
    let upto = usize::try_from(n.as_of).unwrap();
    let then = replay(&events[..upto]).unwrap();
    stale(n, &then, &events[upto..], w.now)
}

#[test]
fn an_e_mail_carries_the_version_of_the_event_that_called_for_it() {
    let mut w = World::new();
    let id = asked(&mut w);
    let n = mail(&w, id, Template::InformationRequested);
    let seq = w.events[&id]
        .iter()
        .find(|e| matches!(e.kind, EventKind::InformationRequested { .. }))
        .unwrap()
        .seq;
    assert_eq!(n.as_of, seq);
    assert_eq!(w.claim(id).version, seq);
    // Rows queued before the field existed decode, as version 0.
    let mut json = serde_json::to_value(&n).unwrap();
    json.as_object_mut().unwrap().remove("as_of");
    let old: Notification = serde_json::from_value(json).unwrap();
    assert_eq!(old.as_of, 0);
}

#[test]
fn a_reminder_fired_after_its_deadline_does_nothing_but_record_the_drop() {
    let mut w = World::new();
    let id = asked(&mut w);
    let due = w.claim(id).deadlines.partner_response_due.unwrap();
    // The service was down past the deadline.
    w.advance(10.days());
    assert!(w.now > due);
    let before = w.claim(id).clone();
    let outbox = w.outbox.len();
    let changes = w
        .run(
            &Actor::System,
            Some(id),
            Command::Fire(TimerKind::PartnerResponseReminder),
        )
        .unwrap();
    let kinds: Vec<_> = changes[0].events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![EventKind::EmailDropped {
            template: Template::ResponseReminder,
            to: before.fields.partner_contact.clone().unwrap().email,
            why: DropReason::DeadlinePassed,
        }]
    );
    assert!(changes[0].notifications.is_empty());
    assert_eq!(changes[0].timers, None);
    let after = w.claim(id).clone();
    assert_eq!(
        (after.status, &after.deadlines, &after.reasons, after.etag),
        (
            before.status,
            &before.deadlines,
            &before.reasons,
            before.etag
        )
    );
    assert_eq!(w.outbox.len(), outbox);
    // The window's own timer rejects the claim; the only new e-mail is the rejection.
    w.fire_due();
    assert_eq!(w.claim(id).status, Status::Rejected);
    let new: Vec<Template> = w.outbox[outbox..].iter().map(|n| n.template).collect();
    assert_eq!(new, vec![Template::Rejected]);
    assert!(
        !w.events[&id]
            .iter()
            .any(|e| matches!(e.kind, EventKind::ResponseReminderDue { .. }))
    );
}

#[test]
fn a_request_for_information_delivered_after_its_deadline_is_dropped() {
    let mut w = World::new();
    let id = asked(&mut w);
    let n = mail(&w, id, Template::InformationRequested);
    w.now = w.claim(id).deadlines.partner_response_due.unwrap();
    assert_eq!(verdict(&w, &n), Some(DropReason::DeadlinePassed));
}

#[test]
fn a_reminder_fires_while_its_deadline_is_ahead() {
    let mut w = World::new();
    let id = asked(&mut w);
    let c = w.claim(id).clone();
    w.now = c.deadlines.partner_response_reminder.unwrap();
    w.ok(
        &Actor::System,
        id,
        Command::Fire(TimerKind::PartnerResponseReminder),
    );
    let n = mail(&w, id, Template::ResponseReminder);
    assert_eq!(verdict(&w, &n), None);
}

#[test]
fn a_reminder_whose_deadline_passed_before_its_turn_is_dropped() {
    let mut w = World::new();
    let id = asked(&mut w);
    w.now = w.claim(id).deadlines.partner_response_reminder.unwrap();
    w.ok(
        &Actor::System,
        id,
        Command::Fire(TimerKind::PartnerResponseReminder),
    );
    let n = mail(&w, id, Template::ResponseReminder);
    // Delivered only after the deadline, the window's timer not yet run.
    w.now = w.claim(id).deadlines.partner_response_due.unwrap();
    assert_eq!(verdict(&w, &n), Some(DropReason::DeadlinePassed));
    // Once the window's timer ran, the claim has moved on.
    w.fire_due();
    assert_eq!(w.claim(id).status, Status::Rejected);
    assert_eq!(verdict(&w, &n), Some(DropReason::MovedOn));
    // The rejection is always sent.
    let r = mail(&w, id, Template::Rejected);
    assert_eq!(verdict(&w, &r), None);
}

#[test]
fn a_reminder_of_an_older_round_is_dropped() {
    let mut w = World::new();
    let id = asked(&mut w);
    w.now = w.claim(id).deadlines.partner_response_reminder.unwrap();
    w.ok(
        &Actor::System,
        id,
        Command::Fire(TimerKind::PartnerResponseReminder),
    );
    let n = mail(&w, id, Template::ResponseReminder);
    // The partner answers and is asked again before the reminder went out.
    w.ok(&admin_a(), id, Command::Resubmit { comment: None });
    w.ok(
        &reviewer(),
        id,
        Command::RequestInformation {
            reasons: strings(&["missing_customer_signature"]),
            comment: comment("Still unsigned."),
        },
    );
    assert_eq!(w.claim(id).status, Status::PartnerActionRequired);
    assert_eq!(verdict(&w, &n), Some(DropReason::MovedOn));
    // The second round's request applies.
    let second = mail(&w, id, Template::InformationRequested);
    assert_eq!(verdict(&w, &second), None);
}

#[test]
fn a_request_for_information_is_dropped_once_the_claim_left_partner_action() {
    let mut w = World::new();
    let id = asked(&mut w);
    let n = mail(&w, id, Template::InformationRequested);
    assert_eq!(verdict(&w, &n), None);
    w.ok(
        &admin_a(),
        id,
        Command::Withdraw {
            comment: comment("Not needed."),
        },
    );
    assert_eq!(w.claim(id).status, Status::Rejected);
    assert_eq!(verdict(&w, &n), Some(DropReason::MovedOn));
}

#[test]
fn a_consent_request_is_dropped_once_the_association_lost_its_keys() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    let n = mail(&w, id, Template::ConsentRequest);
    assert_eq!(verdict(&w, &n), None);
    w.ok(
        &admin_a(),
        id,
        Command::Disassociate {
            reason: Some(ReasonText::parse("The project was cancelled.").unwrap()),
        },
    );
    assert_eq!(verdict(&w, &n), Some(DropReason::MovedOn));
    let approved = mail(&w, id, Template::Approved);
    assert_eq!(verdict(&w, &approved), None);
}
