//! Property tests over random command sequences on several claims of two organisations
//! that share association keys: the invariants of docs/product.md (association keys,
//! lifecycle) hold after every step.

#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::claim::{
    ClaimInput, Command, DisputeInput, DisputeOutcome, Status, hash_secret, replay,
};
use cpor_domain::jiff::ToSpan;
use cpor_domain::values::{ClaimId, DisputeDetails, Parse, Reason as ReasonText};
use cpor_domain::{Actor, Role};
use proptest::prelude::*;
use support::*;

/// Claim templates: (organisation A?, input). Several name the same keys.
fn template(i: u8) -> (bool, ClaimInput) {
    let sales = |mpn, activity| {
        bizapps_input(
            "Sales",
            mpn,
            activity,
            serde_json::json!([{"product": "dynamics_365_sales", "subscription_id": S_SALES_1}]),
        )
    };
    match i % 5 {
        0 => (
            true,
            m365_input("A teams+exchange", MPN_A, &["teams", "exchange_online"]),
        ),
        1 => (
            true,
            m365_input("A teams+intune", MPN_A2, &["teams", "intune"]),
        ),
        2 => (false, m365_input("B teams", MPN_B, &["teams"])),
        3 => (false, sales(MPN_B, "usage")),
        _ => (true, sales(MPN_A, "pre_sales_and_usage")),
    }
}

/// Who runs a step: usually the actor the command is for, one time in eight anyone.
fn actor_for(op: u8, pick: u8, org_a_side: bool) -> Actor {
    let org = if org_a_side { org_a() } else { org_b() };
    if pick.is_multiple_of(8) {
        return match pick / 8 % 6 {
            0 => user(Role::IncentivesUser, Some(&org)),
            1 => user(Role::BillingAdmin, Some(&org)),
            2 => user(
                Role::IncentivesAdmin,
                Some(&if org_a_side { org_b() } else { org_a() }),
            ),
            3 => reviewer(),
            4 => Actor::Customer,
            _ => user(Role::ProgramAdmin, None),
        };
    }
    match op {
        3 | 4 | 6 | 7 => reviewer(),
        10 => Actor::Customer,
        12 | 17 => support(),
        _ if pick.is_multiple_of(2) => user(Role::GlobalAdmin, Some(&org)),
        _ => user(Role::IncentivesAdmin, Some(&org)),
    }
}

#[derive(Debug, Clone)]
struct Step {
    op: u8,
    claim: u8,
    actor: u8,
    param: u8,
}

/// Operations, the ones that move claims forward more often than the ones that end them,
/// so that sequences reach approvals, arbitration and disputes.
const OPS: [u8; 29] = [
    0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 5, 6, 6, 6, 7, 8, 9, 10, 11, 11, 12, 12, 13, 14, 15, 16, 17,
];

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (0..OPS.len(), 0u8..4, any::<u8>(), any::<u8>()).prop_map(|(op, claim, actor, param)| {
            Step {
                op: OPS[op],
                claim,
                actor,
                param,
            }
        }),
        1..120,
    )
}

fn run_step(w: &mut World, ids: &mut Vec<(ClaimId, bool)>, s: &Step) {
    if (s.op == 0 && ids.len() < 4) || ids.is_empty() {
        let (a_side, input) = template(s.param);
        let actor = actor_for(0, s.actor, a_side);
        if let Ok(id) = w.create(&actor, input) {
            ids.push((id, a_side));
        }
        return;
    }
    let (id, a_side) = ids[s.claim as usize % ids.len()];
    if !w.claims.contains_key(&id) {
        return;
    }
    let actor = actor_for(s.op, s.actor, a_side);
    let cmd = match s.op {
        1 => {
            let _ = w.add_poe(&actor, id);
            return;
        }
        2 => Command::Submit { comment: None },
        3 => Command::StartReview { comment: None },
        4 => Command::RequestInformation {
            reasons: strings(&["missing_poe"]),
            comment: comment("More please."),
        },
        5 => Command::Resubmit { comment: None },
        6 => approve(),
        7 => Command::Reject {
            reasons: strings(&[if s.param.is_multiple_of(2) {
                "association_conflict"
            } else {
                "insufficient_poe"
            }]),
            comment: comment("No."),
        },
        8 => Command::Withdraw { comment: None },
        9 => Command::Disassociate {
            reason: Some(ReasonText::parse("Ended").unwrap()),
        },
        10 => Command::CustomerDecline {
            token_hash: hash_secret("s3cret-link-token"),
        },
        11 => Command::OpenDispute(DisputeInput {
            program: None,
            products: None,
            details: DisputeDetails::parse("Look again").unwrap(),
        }),
        12 => Command::ResolveDispute {
            outcome: if s.param.is_multiple_of(2) {
                DisputeOutcome::Upheld
            } else {
                DisputeOutcome::Denied
            },
            comment: comment("Done."),
        },
        13 | 14 => {
            // Now and then, a holiday is added or removed first (and deadlines recounted).
            if s.actor.is_multiple_of(4) {
                toggle_holiday_and_recount(w, s.param);
            }
            w.advance((s.param as i64 % 72 + 1).hours());
            w.fire_due();
            return;
        }
        15 => {
            w.advance((s.param as i64 % 10 + 1).days());
            w.fire_due();
            return;
        }
        16 => Command::Delete,
        _ => Command::StartDispute { comment: None },
    };
    let snapshot = (
        w.claims.clone(),
        w.events.clone(),
        w.keys.clone(),
        w.timers.clone(),
        w.outbox.len(),
    );
    if w.run(&actor, Some(id), cmd).is_err() {
        let now = (
            w.claims.clone(),
            w.events.clone(),
            w.keys.clone(),
            w.timers.clone(),
            w.outbox.len(),
        );
        assert!(snapshot == now, "a refused command changed the world");
    }
}

/// A program admin adds or removes a holiday in the coming days; the system recounts
/// every claim's deadlines, which it never refuses.
fn toggle_holiday_and_recount(w: &mut World, param: u8) {
    let today = w.now.to_zoned(cpor_domain::jiff::tz::TimeZone::UTC).date();
    let day = today.checked_add((param as i64 % 10).days()).unwrap();
    let mut holidays: Vec<_> = w.reference.calendar.holidays().copied().collect();
    if holidays.contains(&day) {
        holidays.retain(|d| *d != day);
    } else {
        holidays.push(day);
    }
    w.reference = cpor_domain::reference::Reference::new(
        w.reference.catalog.clone(),
        w.reference.programs.clone(),
        w.reference.policy.clone(),
        holidays,
    )
    .unwrap();
    let ids: Vec<ClaimId> = w.claims.keys().copied().collect();
    for id in ids {
        if let Err(e) = w.run(&Actor::System, Some(id), Command::Recount) {
            panic!("recount of {id} refused: {e}");
        }
    }
}

fn check_invariants(w: &World) {
    let programs = &w.reference.programs;
    for events in w.events.values() {
        for e in events {
            assert!(
                cpor_domain::claim::EventKind::TYPE_NAMES.contains(&e.kind.type_name()),
                "{} is missing from TYPE_NAMES",
                e.kind.type_name()
            );
        }
    }
    for (id, c) in &w.claims {
        // Replaying the event list rebuilds the current state.
        assert_eq!(replay(&w.events[id]).as_ref(), Some(c), "replay of {id}");
        // Every rejected claim has a reason.
        if c.status == Status::Rejected {
            assert!(!c.reasons.is_empty(), "rejected without reason: {id}");
        }
        // The key registry is exactly the keys the holding claims hold.
        for k in c.held_keys(programs) {
            assert_eq!(
                w.keys.get(&k.as_string()).map(|h| h.claim_id),
                Some(*id),
                "{k} not registered to {id}"
            );
        }
        // The timers scheduled are the ones the state asks for (or fewer, once fired).
        if let Some(ts) = w.timers.get(id) {
            for t in ts {
                assert!(c.timers().contains(t), "stale timer {t:?} on {id}");
            }
        }
    }
    for (k, h) in &w.keys {
        let c = &w.claims[&h.claim_id];
        assert!(
            c.holds_keys(),
            "{k} held by {} which holds nothing",
            h.claim_id
        );
        assert_eq!(c.org_id, h.org_id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_command_sequences_keep_every_invariant(steps in steps()) {
        let mut w = World::new();
        let mut ids = Vec::new();
        for s in &steps {
            run_step(&mut w, &mut ids, s);
            check_invariants(&w);
        }
    }
}

/// A directed sequence the random one rarely hits: three organisations' worth of claims
/// on one key approved in turn, each superseding the previous.
#[test]
fn successive_arbitrations_leave_one_holder() {
    let mut w = World::new();
    let a = w.approved(&admin_a(), m365_input("A", MPN_A, &["teams"]));
    let b = w.approved(&admin_b(), m365_input("B", MPN_B, &["teams"]));
    let a2 = w.approved(&admin_a(), m365_input("A again", MPN_A2, &["teams"]));
    check_invariants(&w);
    assert_eq!(w.keys.len(), 1);
    assert_eq!(w.keys.values().next().unwrap().claim_id, a2);
    assert_eq!(w.claim(a).superseded_by, Some(b));
    assert_eq!(w.claim(b).superseded_by, Some(a2));
}

/// The random sequences reach the interesting states, so the property above means
/// something: supersessions, automatic rejections, disputes, activations.
#[test]
fn random_sequences_reach_the_interesting_states() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let steps = steps().new_tree(&mut runner).unwrap().current();
        let mut w = World::new();
        let mut ids = Vec::new();
        for s in &steps {
            run_step(&mut w, &mut ids, s);
        }
        for events in w.events.values() {
            for e in events {
                seen.insert(e.kind.type_name());
            }
        }
    }
    for wanted in [
        "approved",
        "superseded",
        "response_window_passed",
        "customer_declined",
        "consent_window_passed",
        "dispute_opened",
        "dispute_resolved",
        "withdrawn",
        "rejected",
        "sla_breached",
        "disassociated",
        "deadlines_recounted",
    ] {
        assert!(
            seen.contains(wanted),
            "never reached {wanted}; saw {seen:?}"
        );
    }
}
