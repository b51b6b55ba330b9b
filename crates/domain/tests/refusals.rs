//! Every command refused from every status the lifecycle table of docs/product.md does not
//! allow it in (`invalid_state`), and refused to every role that may not run it
//! (`not_permitted`), with nothing changed.

#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::claim::{ClaimInput, Command, DisputeInput, DisputeOutcome, Thread, hash_secret};
use cpor_domain::jiff::ToSpan;
use cpor_domain::values::{
    ClaimId, CommentBody, CommentId, DisputeDetails, Parse, Reason as ReasonText,
};
use cpor_domain::{Actor, ErrorCode, Role};
use support::*;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Situation {
    Draft,
    Submitted,
    UnderReview,
    PartnerActionRequired,
    ConsentPending,
    Active,
    Expired,
    Ended,
    Rejected,
    RejectedDisputed,
}
use Situation::*;

const ALL: [Situation; 10] = [
    Draft,
    Submitted,
    UnderReview,
    PartnerActionRequired,
    ConsentPending,
    Active,
    Expired,
    Ended,
    Rejected,
    RejectedDisputed,
];

fn sales() -> ClaimInput {
    bizapps_input(
        "Contoso Sales",
        MPN_A,
        "usage",
        serde_json::json!([{"product": "dynamics_365_sales", "subscription_id": S_SALES_1}]),
    )
}

/// A world with one claim of organisation A in the situation.
fn world_in(s: Situation) -> (World, ClaimId) {
    let mut w = World::new();
    let id = match s {
        Draft => {
            let id = w.create(&admin_a(), sales()).unwrap();
            w.add_poe(&admin_a(), id).unwrap();
            id
        }
        Submitted => w.submitted(&admin_a(), sales()),
        UnderReview => w.under_review(&admin_a(), sales()),
        PartnerActionRequired => {
            let id = w.under_review(&admin_a(), sales());
            w.ok(
                &reviewer(),
                id,
                Command::RequestInformation {
                    reasons: strings(&["missing_poe"]),
                    comment: comment("?"),
                },
            );
            id
        }
        ConsentPending => w.approved(&admin_a(), sales()),
        Active | Expired => {
            let id = w.approved(&admin_a(), sales());
            w.advance(8.days());
            w.fire_due();
            if s == Expired {
                w.now = ts("2027-07-02T00:00:00Z");
                w.fire_due();
            }
            id
        }
        Ended => {
            let id = w.approved(&admin_a(), sales());
            w.ok(
                &admin_a(),
                id,
                Command::Disassociate {
                    reason: Some(ReasonText::parse("Done").unwrap()),
                },
            );
            id
        }
        Rejected | RejectedDisputed => {
            let id = w.under_review(&admin_a(), sales());
            w.ok(
                &reviewer(),
                id,
                Command::Reject {
                    reasons: strings(&["insufficient_poe"]),
                    comment: comment("No."),
                },
            );
            if s == RejectedDisputed {
                w.ok(&admin_a(), id, dispute());
            }
            id
        }
    };
    (w, id)
}

fn dispute() -> Command {
    Command::OpenDispute(DisputeInput {
        program: None,
        products: None,
        details: DisputeDetails::parse("Look again.").unwrap(),
    })
}

fn body(s: &str) -> CommentBody {
    CommentBody::parse(s).unwrap()
}

/// Each command with valid input, the situations the lifecycle table allows it in, and the roles
/// (or the customer, or the system) that may run it.
fn table() -> Vec<(Command, &'static [Situation], Who)> {
    let edit: ClaimInput = serde_json::from_value(serde_json::json!({"mpn_id": MPN_A2})).unwrap();
    let managers = Who::Roles(&[Role::GlobalAdmin, Role::IncentivesAdmin]);
    let reviewers = Who::Roles(&[Role::Reviewer]);
    let support_agents = Who::Roles(&[Role::SupportAgent]);
    vec![
        (
            Command::Edit(edit.parse().unwrap()),
            &[Draft, Submitted, PartnerActionRequired],
            managers,
        ),
        (
            Command::AddPoe(poe_file(77, ts("2026-11-02T10:00:00Z"))),
            &[Draft, Submitted, PartnerActionRequired, RejectedDisputed],
            Who::Roles(&[
                Role::GlobalAdmin,
                Role::IncentivesAdmin,
                Role::IncentivesUser,
            ]),
        ),
        (Command::Delete, &[Draft], managers),
        (Command::Submit { comment: None }, &[Draft], managers),
        (
            Command::StartReview { comment: None },
            &[Submitted],
            reviewers,
        ),
        (
            Command::Take { over: false },
            &[Submitted, UnderReview, PartnerActionRequired],
            reviewers,
        ),
        (
            Command::RequestInformation {
                reasons: strings(&["missing_poe"]),
                comment: Some(body("More.")),
            },
            // An approved holder may be asked during an arbitration over its keys.
            &[UnderReview, ConsentPending, Active],
            reviewers,
        ),
        (
            Command::Resubmit { comment: None },
            &[PartnerActionRequired],
            managers,
        ),
        (approve(), &[UnderReview], reviewers),
        (
            Command::Reject {
                reasons: strings(&["insufficient_poe"]),
                comment: Some(body("No.")),
            },
            &[UnderReview, PartnerActionRequired],
            reviewers,
        ),
        (
            Command::Withdraw { comment: None },
            &[
                Submitted,
                UnderReview,
                PartnerActionRequired,
                ConsentPending,
                Active,
            ],
            managers,
        ),
        (
            Command::Disassociate {
                reason: Some(ReasonText::parse("Done").unwrap()),
            },
            &[ConsentPending, Active],
            managers,
        ),
        (
            Command::CustomerDecline {
                token_hash: hash_secret("s3cret-link-token"),
            },
            &[ConsentPending, Active],
            Who::Customer,
        ),
        (dispute(), &[Rejected], managers),
        (
            Command::StartDispute { comment: None },
            &[RejectedDisputed],
            support_agents,
        ),
        (
            Command::ResolveDispute {
                outcome: DisputeOutcome::Upheld,
                comment: Some(body("Ok.")),
            },
            &[RejectedDisputed],
            support_agents,
        ),
        (
            Command::Supersede {
                by: ClaimId::from_uuid(Uuid::from_u128(42)),
                keys: Vec::new(),
            },
            &[ConsentPending, Active],
            Who::ReviewerOrSystem,
        ),
        (
            Command::Comment {
                id: CommentId::from_uuid(Uuid::from_u128(5)),
                thread: Thread::Claim,
                body: body("Hello"),
            },
            &ALL,
            Who::Roles(&[
                Role::GlobalAdmin,
                Role::IncentivesAdmin,
                Role::IncentivesUser,
                Role::Reviewer,
                Role::SupportAgent,
            ]),
        ),
        (
            Command::Comment {
                id: CommentId::from_uuid(Uuid::from_u128(6)),
                thread: Thread::Dispute,
                body: body("Hello"),
            },
            &[RejectedDisputed],
            Who::Roles(&[
                Role::GlobalAdmin,
                Role::IncentivesAdmin,
                Role::IncentivesUser,
                Role::SupportAgent,
            ]),
        ),
    ]
}

#[derive(Clone, Copy)]
enum Who {
    Roles(&'static [Role]),
    Customer,
    ReviewerOrSystem,
}

fn everyone() -> Vec<Actor> {
    let org = org_a();
    let mut v: Vec<Actor> = Role::ALL
        .iter()
        .map(|r| {
            if r.side() == cpor_domain::Side::Partner {
                user(*r, Some(&org))
            } else {
                user(*r, None)
            }
        })
        .collect();
    v.push(Actor::Customer);
    v.push(Actor::System);
    v
}

fn may(who: Who, actor: &Actor) -> bool {
    match (who, actor) {
        (Who::Roles(roles), Actor::User { role, .. }) => roles.contains(role),
        (Who::Customer, Actor::Customer) => true,
        (Who::ReviewerOrSystem, Actor::System) => true,
        (
            Who::ReviewerOrSystem,
            Actor::User {
                role: Role::Reviewer,
                ..
            },
        ) => true,
        _ => false,
    }
}

fn an_allowed_actor(who: Who) -> Actor {
    everyone().into_iter().find(|a| may(who, a)).unwrap()
}

#[test]
fn every_command_is_accepted_exactly_in_the_statuses_the_lifecycle_allows() {
    for (cmd, allowed, who) in table() {
        let actor = an_allowed_actor(who);
        for s in ALL {
            let (mut w, id) = world_in(s);
            let before = w.claim(id).clone();
            let r = w.run(&actor, Some(id), cmd.clone());
            if allowed.contains(&s) {
                assert!(
                    r.is_ok(),
                    "{} should be accepted when {s:?}: {:?}",
                    cmd.name(),
                    r.err()
                );
            } else {
                let e = r.expect_err(&format!("{} should be refused when {s:?}", cmd.name()));
                let expected = if matches!(cmd, Command::CustomerDecline { .. }) {
                    ("consent", ErrorCode::NotFound)
                } else if matches!(cmd, Command::Comment { .. }) {
                    ("thread", ErrorCode::InvalidState)
                } else {
                    ("status", ErrorCode::InvalidState)
                };
                assert!(
                    e.has(expected.0, expected.1),
                    "{} when {s:?}: {e}",
                    cmd.name()
                );
                for m in e.errors.iter().map(|e| e.message.as_str()) {
                    written_sentence(m, cmd.name());
                }
                assert_eq!(
                    w.claim(id),
                    &before,
                    "{} when {s:?} changed the claim",
                    cmd.name()
                );
            }
        }
    }
}

/// A refusal reads as written English: a capitalised sentence with a full stop, no
/// command name with an ending glued on ("withdrawed", "start_reviewed").
fn written_sentence(m: &str, command: &str) {
    assert!(
        m.starts_with(|c: char| c.is_uppercase()) && m.ends_with('.'),
        "not a sentence: {m}"
    );
    // A name of several words with an ending glued on ("start_reviewed").
    let glued: Vec<String> = if command.contains('_') {
        vec![
            format!("{command}ed"),
            format!("{}ed", command.replace('_', " ")),
            format!("{}d ", command.replace('_', " ")),
        ]
    } else {
        Vec::new()
    };
    for wrong in ["withdrawed", "ed ed"]
        .iter()
        .copied()
        .chain(glued.iter().map(String::as_str))
    {
        assert!(!m.contains(wrong), "{wrong:?} in {m}");
    }
}

#[test]
fn a_withdrawal_refused_says_withdrawn() {
    let (mut w, id) = world_in(Draft);
    let e = w
        .run(&admin_a(), Some(id), Command::Withdraw { comment: None })
        .unwrap_err();
    assert_eq!(
        e.errors[0].message,
        "A claim that is draft cannot be withdrawn; it must be submitted or under_review or partner_action_required or approved."
    );
}

#[test]
fn every_command_is_refused_to_every_role_that_may_not_run_it() {
    for (cmd, allowed, who) in table() {
        let (w0, id) = world_in(allowed[0]);
        for actor in everyone() {
            let mut w = w0.clone();
            let before = w.claim(id).clone();
            let r = w.run(&actor, Some(id), cmd.clone());
            if may(who, &actor) {
                assert!(r.is_ok(), "{} by {actor:?}: {:?}", cmd.name(), r.err());
            } else {
                let e = r.expect_err(&format!(
                    "{} by {:?} should be refused",
                    cmd.name(),
                    actor.role()
                ));
                assert!(
                    e.has("role", ErrorCode::NotPermitted),
                    "{} by {actor:?}: {e}",
                    cmd.name()
                );
                assert_eq!(w.claim(id), &before);
            }
        }
    }
}

#[test]
fn create_is_for_global_and_incentives_admins_only() {
    for actor in everyone() {
        let mut w = World::new();
        let r = w.create(&actor, m365_input("x", MPN_A, &["teams"]));
        match actor.role() {
            Some(Role::GlobalAdmin | Role::IncentivesAdmin) => assert!(r.is_ok()),
            _ => assert!(
                r.unwrap_err().has("role", ErrorCode::NotPermitted),
                "{actor:?}"
            ),
        }
    }
}

#[test]
fn timers_and_deliveries_are_run_by_the_system_only() {
    let (mut w, id) = world_in(PartnerActionRequired);
    w.advance(30.days());
    for actor in everyone().into_iter().filter(|a| *a != Actor::System) {
        let e = w
            .run(
                &actor,
                Some(id),
                Command::Fire(cpor_domain::claim::TimerKind::PartnerResponseWindow),
            )
            .unwrap_err();
        assert!(e.has("role", ErrorCode::NotPermitted));
    }
}

#[test]
fn another_organisations_claim_is_not_found_for_every_partner_role() {
    let (w0, id) = world_in(Submitted);
    for role in [
        Role::GlobalAdmin,
        Role::IncentivesAdmin,
        Role::IncentivesUser,
    ] {
        let mut w = w0.clone();
        let actor = user(role, Some(&org_b()));
        let cmd = Command::Comment {
            id: CommentId::from_uuid(Uuid::from_u128(9)),
            thread: Thread::Claim,
            body: body("hi"),
        };
        let e = w.run(&actor, Some(id), cmd).unwrap_err();
        assert!(e.has("claim", ErrorCode::NotFound), "{role}: {e}");
        assert_eq!(e.class(), cpor_domain::ErrorClass::NotFound);
    }
    let mut w = w0.clone();
    let e = w
        .run(&admin_b(), Some(id), Command::Withdraw { comment: None })
        .unwrap_err();
    assert!(e.has("claim", ErrorCode::NotFound));
}
