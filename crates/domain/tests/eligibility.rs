//! The eligibility changes an association's history makes (docs/product.md, eligibility
//! hand-off), read back from each claim's events as the store records them.

#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::claim::{Command, hash_secret};
use cpor_domain::eligibility::{ChangeKind, EligibilityChange, eligibility_changes};
use cpor_domain::jiff::ToSpan;
use cpor_domain::values::{ClaimId, Parse, Reason as ReasonText};
use cpor_domain::{Actor, jiff::civil::date};
use support::*;

fn changes(w: &World, id: ClaimId) -> Vec<EligibilityChange> {
    eligibility_changes(None, &w.events[&id], &w.reference.programs)
}

fn kinds(w: &World, id: ClaimId) -> Vec<ChangeKind> {
    changes(w, id).iter().map(|c| c.kind).collect()
}

fn teams() -> cpor_domain::claim::ClaimInput {
    m365_input("Contoso Teams", MPN_A, &["teams", "exchange_online"])
}

fn decline(w: &mut World, id: ClaimId) {
    w.ok(
        &Actor::Customer,
        id,
        Command::CustomerDecline {
            token_hash: hash_secret("s3cret-link-token"),
        },
    );
}

#[test]
fn nothing_counts_before_the_consent_window_passes() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    assert!(
        changes(&w, id).is_empty(),
        "consent pending counts for nothing"
    );
    decline(&mut w, id);
    assert!(
        changes(&w, id).is_empty(),
        "an opt-out during the window ends nothing that counted"
    );
}

#[test]
fn activation_carries_the_keys_and_the_start_of_eligibility() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    w.advance(7.days());
    w.fire_due();
    let got = changes(&w, id);
    assert_eq!(got.len(), 1);
    let a = &got[0];
    assert_eq!(a.kind, ChangeKind::Activated);
    assert_eq!(a.keys.len(), 2, "one per workload");
    assert_eq!(a.effective_from, Some(w.events[&id].last().unwrap().at));
    assert_eq!((a.effective_to, a.reason.clone()), (None, None));
    assert_eq!(a.org_id, org_a().id);
    assert_eq!(a.mpn_id.as_str(), MPN_A);
    assert!(!a.programs.is_empty());
}

#[test]
fn an_opt_out_after_the_window_ends_eligibility() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    w.advance(10.days());
    w.fire_due();
    decline(&mut w, id);
    let got = changes(&w, id);
    assert_eq!(
        got.iter().map(|c| c.kind).collect::<Vec<_>>(),
        [ChangeKind::Activated, ChangeKind::Ended]
    );
    let ended = &got[1];
    assert_eq!(ended.keys.len(), 2, "the keys that stop counting");
    assert_eq!(ended.effective_from, got[0].effective_from);
    assert_eq!(ended.effective_to, Some(w.now));
    assert_eq!(ended.reason.as_deref(), Some("customer_declined"));
}

#[test]
fn a_disassociation_carries_the_operators_words() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    w.advance(8.days());
    w.fire_due();
    w.ok(
        &admin_a(),
        id,
        Command::Disassociate {
            reason: Some(ReasonText::parse("Contract ended").unwrap()),
        },
    );
    let last = changes(&w, id).pop().unwrap();
    assert_eq!(last.kind, ChangeKind::Ended);
    assert_eq!(last.reason.as_deref(), Some("Contract ended"));
}

#[test]
fn expiry_and_its_postponement() {
    let sales = || {
        bizapps_input(
            "Contoso Sales",
            MPN_A,
            "pre_sales_and_usage",
            serde_json::json!([{"product": "dynamics_365_sales", "subscription_id": S_SALES_1}]),
        )
    };
    let mut w = World::new();
    let id = w.approved(&admin_a(), sales());
    w.advance(7.days());
    w.fire_due();
    let renewed = w.directory[0]
        .subscriptions
        .iter_mut()
        .find(|s| s.id == sub(S_SALES_1))
        .unwrap();
    renewed.ends_on = Some(date(2028, 6, 30));
    w.now = ts("2027-07-01T00:00:00Z");
    w.fire_due();
    let postponed = changes(&w, id).pop().unwrap();
    assert_eq!(postponed.kind, ChangeKind::ExpiryPostponed);
    assert_eq!(postponed.expires_at, Some(ts("2028-07-01T00:00:00Z")));
    assert_eq!(postponed.effective_to, None, "it still counts");
    w.now = ts("2028-07-01T00:00:00Z");
    w.fire_due();
    let expired = changes(&w, id).pop().unwrap();
    assert_eq!(expired.kind, ChangeKind::Expired);
    assert_eq!(expired.effective_to, Some(w.now));
    assert_eq!(expired.reason.as_deref(), Some("subscription_ended"));
    assert_eq!(
        expired.keys, postponed.keys,
        "every key of the subscription stops"
    );
}

#[test]
fn arbitration_changes_the_keys_then_supersedes_with_the_last_one() {
    let mut w = World::new();
    let first = w.approved(&admin_a(), teams());
    w.advance(8.days());
    w.fire_due();
    let second = w.under_review(&admin_b(), m365_input("Fabrikam Teams", MPN_B, &["teams"]));
    w.ok(&reviewer(), second, approve());
    let got = changes(&w, first);
    let partial = got.last().unwrap();
    assert_eq!(partial.kind, ChangeKind::KeysChanged);
    let names = |keys: &[cpor_domain::keys::AssociationKey]| {
        keys.iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(names(&partial.keys).contains("exchange_online"));
    assert!(!names(&partial.keys).contains("teams"), "teams moved");
    assert!(names(&partial.removed_keys).contains("teams"));
    assert_eq!(partial.effective_to, None);
    assert!(
        kinds(&w, second).is_empty(),
        "the winner counts only once its own window passes"
    );
    let third = w.under_review(
        &admin_b(),
        m365_input("Fabrikam Exchange", MPN_B, &["exchange_online"]),
    );
    w.ok(&reviewer(), third, approve());
    let last = changes(&w, first).pop().unwrap();
    assert_eq!(last.kind, ChangeKind::Superseded);
    assert!(names(&last.keys).contains("exchange_online"));
    assert_eq!(last.effective_to, Some(w.now));
    assert_eq!(
        kinds(&w, first),
        [
            ChangeKind::Activated,
            ChangeKind::KeysChanged,
            ChangeKind::Superseded
        ]
    );
}
