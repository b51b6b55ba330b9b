//! Every row of the lifecycle table of docs/product.md, as a test.

#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::claim::{
    Command, DisputeInput, DisputeOutcome, EventKind, Phase, Reason, Recipient, Status, Template,
    TimerKind, hash_secret,
};
use cpor_domain::jiff::{Span, ToSpan};
use cpor_domain::values::{ClaimId, DisputeDetails, Parse, Reason as ReasonText, UserId};
use cpor_domain::{Actor, ErrorCode, Role, Side};
use support::*;

fn teams() -> cpor_domain::claim::ClaimInput {
    m365_input(
        "Contoso Teams rollout",
        MPN_A,
        &["teams", "exchange_online"],
    )
}

fn sales() -> cpor_domain::claim::ClaimInput {
    bizapps_input(
        "Contoso Sales",
        MPN_A,
        "pre_sales_and_usage",
        serde_json::json!([{"product": "dynamics_365_sales", "subscription_id": S_SALES_1}]),
    )
}

#[test]
fn create_makes_a_draft_of_the_creators_organisation() {
    let mut w = World::new();
    let id = w.create(&admin_a(), teams()).unwrap();
    let c = w.claim(id);
    assert_eq!((c.status, c.phase, c.version), (Status::Draft, None, 1));
    assert_eq!(c.org_id, org_a().id);
    assert_eq!(w.events[&id][0].kind.type_name(), "created");
    assert!(!w.timers.contains_key(&id), "a draft runs no clock");
}

#[test]
fn a_draft_can_be_created_with_the_first_step_only_and_completed_later() {
    let mut w = World::new();
    let input = serde_json::from_value(serde_json::json!({
        "name": "Later", "mpn_id": MPN_A2, "tenant_id": T1, "domain": "contoso.com",
        "solution_area": "microsoft_365", "activity": "usage"
    }))
    .unwrap();
    let id = w.create(&admin_a(), input).unwrap();
    let patch = teams().parse().unwrap();
    w.ok(&admin_a(), id, Command::Edit(patch));
    let c = w.claim(id);
    assert_eq!(c.fields.products.len(), 2);
    assert_eq!(c.fields.mpn_id.as_str(), MPN_A);
}

#[test]
fn editing_a_draft_records_each_changed_field_with_before_and_after() {
    let mut w = World::new();
    let id = w.create(&admin_a(), teams()).unwrap();
    let patch = serde_json::from_value::<cpor_domain::claim::ClaimInput>(serde_json::json!({
        "name": "Renamed", "domain": "contoso.onmicrosoft.com", "mpn_id": MPN_A
    }))
    .unwrap()
    .parse()
    .unwrap();
    let changes = w.run(&admin_a(), Some(id), Command::Edit(patch)).unwrap();
    let EventKind::Edited {
        changes: fields, ..
    } = &changes[0].events[0].kind
    else {
        panic!("not an edit")
    };
    let got: Vec<(&str, String, String)> = fields
        .iter()
        .map(|c| (c.field.as_str(), c.before.to_string(), c.after.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "name",
                "\"Contoso Teams rollout\"".into(),
                "\"Renamed\"".into()
            ),
            (
                "domain",
                "\"contoso.com\"".into(),
                "\"contoso.onmicrosoft.com\"".into()
            ),
        ],
        "the unchanged MPN ID is not recorded"
    );
    assert_eq!(changes[0].events[0].actor, admin_a());
}

#[test]
fn an_edit_that_changes_nothing_records_nothing() {
    let mut w = World::new();
    let id = w.create(&admin_a(), teams()).unwrap();
    let changes = w
        .run(
            &admin_a(),
            Some(id),
            Command::Edit(teams().parse().unwrap()),
        )
        .unwrap();
    assert!(changes[0].events.is_empty());
    assert_eq!(w.claim(id).version, 1);
}

#[test]
fn poe_can_be_added_and_removed_in_draft() {
    let mut w = World::new();
    let id = w.create(&admin_a(), teams()).unwrap();
    w.add_poe(&admin_a(), id).unwrap();
    w.add_poe(&user(cpor_domain::Role::IncentivesUser, Some(&org_a())), id)
        .unwrap();
    let first = w.claim(id).poe[0].id;
    w.ok(&admin_a(), id, Command::RemovePoe(first));
    assert_eq!(w.claim(id).poe.len(), 1);
    let e = w
        .run(&admin_a(), Some(id), Command::RemovePoe(first))
        .unwrap_err();
    assert!(e.has("poe", ErrorCode::NotFound));
}

#[test]
fn submit_starts_the_review_pickup_clock_of_five_business_days() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), teams());
    let c = w.claim(id);
    assert_eq!(c.status, Status::Submitted);
    // Monday 2 Nov 10:00 + 5 business days = Monday 9 Nov 10:00.
    assert_eq!(
        c.deadlines.review_pickup_due,
        Some(ts("2026-11-09T10:00:00Z"))
    );
    assert_eq!(w.timers[&id][0].kind, TimerKind::ReviewPickupSla);
}

#[test]
fn submit_needs_at_least_one_poe_and_every_required_field() {
    let mut w = World::new();
    let input = serde_json::from_value(serde_json::json!({
        "name": "Bare", "mpn_id": MPN_A, "tenant_id": T1, "domain": "contoso.com",
        "solution_area": "business_applications", "activity": "revenue_association",
        "products": [{"product": "dynamics_365_finance"}]
    }))
    .unwrap();
    let id = w.create(&admin_a(), input).unwrap();
    let e = w
        .run(&admin_a(), Some(id), Command::Submit { comment: None })
        .unwrap_err();
    let got: Vec<(&str, ErrorCode)> = e
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect();
    assert_eq!(
        got,
        vec![
            ("customer_contact", ErrorCode::Required),
            ("partner_contact", ErrorCode::Required),
            ("technical_contact", ErrorCode::Required),
            ("revenue", ErrorCode::Required),
            ("poe", ErrorCode::NotEnoughValues),
        ]
    );
    assert_eq!(w.claim(id).status, Status::Draft);
}

#[test]
fn delete_removes_a_draft_entirely() {
    let mut w = World::new();
    let id = w.create(&admin_a(), teams()).unwrap();
    let ch = w.run(&admin_a(), Some(id), Command::Delete).unwrap();
    assert!(ch[0].after.is_none());
    assert!(!w.claims.contains_key(&id));
}

#[test]
fn a_reviewer_takes_a_claim_and_another_takes_it_over_only_explicitly() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), teams());
    let rui = reviewer();
    let other = Actor::User {
        id: UserId::from_uuid(uuid::Uuid::from_u128(0x9999)),
        org: None,
        role: Role::Reviewer,
        name: "Ola Other".into(),
    };
    w.ok(&rui, id, Command::Take { over: false });
    let first = w.claim(id).reviewer.clone().unwrap();
    assert_eq!(Some(first.id), rui.user_id());
    // Taking it again, or without `over`, changes nothing.
    let again = w
        .run(&rui, Some(id), Command::Take { over: false })
        .unwrap_err();
    assert_eq!(again.errors[0].code, ErrorCode::Conflict);
    let stolen = w
        .run(&other, Some(id), Command::Take { over: false })
        .unwrap_err();
    assert_eq!(stolen.errors[0].code, ErrorCode::Conflict);
    assert!(stolen.errors[0].message.contains(&first.name));
    assert_eq!(w.claim(id).reviewer.as_ref().map(|r| r.id), rui.user_id());
    w.ok(&other, id, Command::Take { over: true });
    assert_eq!(
        w.claim(id).reviewer.as_ref().map(|r| r.name.as_str()),
        Some("Ola Other")
    );
    // Partners and support do not take claims; an approved claim is no longer taken.
    let partner = w
        .run(&admin_a(), Some(id), Command::Take { over: true })
        .unwrap_err();
    assert_eq!(partner.errors[0].code, ErrorCode::NotPermitted);
    w.ok(&other, id, Command::StartReview { comment: None });
    w.ok(&other, id, approve());
    let late = w
        .run(&rui, Some(id), Command::Take { over: true })
        .unwrap_err();
    assert_eq!(late.errors[0].code, ErrorCode::InvalidState);
}

#[test]
fn start_review_starts_the_decision_clock() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), teams());
    w.advance(1.hour());
    w.ok(&reviewer(), id, Command::StartReview { comment: None });
    let c = w.claim(id);
    assert_eq!(c.status, Status::UnderReview);
    assert_eq!(c.deadlines.review_pickup_due, None);
    assert_eq!(
        c.deadlines.review_decision_due,
        Some(ts("2026-11-09T11:00:00Z"))
    );
}

#[test]
fn request_information_needs_reasons_and_a_comment_and_emails_the_partner() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    let e = w
        .run(
            &reviewer(),
            Some(id),
            Command::RequestInformation {
                reasons: vec![],
                comment: None,
            },
        )
        .unwrap_err();
    assert!(e.has("reasons", ErrorCode::NotEnoughValues) && e.has("comment", ErrorCode::Required));
    w.ok(
        &reviewer(),
        id,
        Command::RequestInformation {
            reasons: strings(&["missing_customer_signature", "missing_or_old_dates"]),
            comment: comment("The SOW is not signed."),
        },
    );
    let c = w.claim(id);
    assert_eq!(c.status, Status::PartnerActionRequired);
    assert_eq!(
        c.reasons,
        vec![Reason::MissingCustomerSignature, Reason::MissingOrOldDates]
    );
    assert_eq!(
        c.deadlines.partner_response_due,
        Some(ts("2026-11-09T10:00:00Z"))
    );
    assert_eq!(
        c.deadlines.partner_response_reminder,
        Some(ts("2026-11-06T10:00:00Z"))
    );
    let mail = w.outbox.last().unwrap();
    assert_eq!(
        (mail.template, mail.recipient, mail.to.as_str()),
        (
            Template::InformationRequested,
            Recipient::Partner,
            "bo@partner.example"
        )
    );
}

#[test]
fn resubmit_goes_back_under_review_with_a_new_decision_clock() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        id,
        Command::RequestInformation {
            reasons: strings(&["missing_poe"]),
            comment: comment("Add the SOW."),
        },
    );
    w.advance(2.hours());
    w.add_poe(&admin_a(), id).unwrap();
    w.ok(
        &admin_a(),
        id,
        Command::Resubmit {
            comment: comment("Signed SOW added."),
        },
    );
    let c = w.claim(id);
    assert_eq!((c.status, c.reasons.len()), (Status::UnderReview, 0));
    assert_eq!(c.deadlines.partner_response_due, None);
    assert_eq!(
        c.deadlines.review_decision_due,
        Some(ts("2026-11-09T12:00:00Z"))
    );
}

#[test]
fn a_partner_action_request_is_rejected_after_five_business_days_across_a_weekend_and_a_holiday() {
    let mut w = World::new();
    // Friday 20 Nov 2026 16:00; Thursday 26 Nov is a holiday.
    w.now = ts("2026-11-20T16:00:00Z");
    let id = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        id,
        Command::RequestInformation {
            reasons: strings(&["missing_poe"]),
            comment: comment("Add the SOW."),
        },
    );
    assert_eq!(
        w.claim(id).deadlines.partner_response_due,
        Some(ts("2026-11-30T16:00:00Z"))
    );
    // The reminder, one business day before: Friday 27 Nov 16:00.
    w.now = ts("2026-11-27T16:00:00Z");
    assert_eq!(w.fire_due(), 1);
    assert_eq!(
        w.outbox.last().unwrap().template,
        Template::ResponseReminder
    );
    assert_eq!(w.claim(id).status, Status::PartnerActionRequired);
    w.now = ts("2026-11-30T15:59:59Z");
    assert_eq!(w.fire_due(), 0, "not due a second early");
    w.now = ts("2026-11-30T16:00:00Z");
    assert_eq!(w.fire_due(), 1);
    let c = w.claim(id);
    assert_eq!(
        (c.status, c.reasons.clone()),
        (Status::Rejected, vec![Reason::NoPartnerResponse])
    );
    assert_eq!(w.events[&id].last().unwrap().actor, Actor::System);
    assert_eq!(w.outbox.last().unwrap().template, Template::Rejected);
    assert_eq!(w.fire_due(), 0, "fires once");
}

#[test]
fn approve_starts_the_seven_day_consent_window_and_emails_customer_and_partner() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    let c = w.claim(id);
    assert_eq!(
        (c.status, c.phase),
        (Status::Approved, Some(Phase::ConsentPending))
    );
    assert_eq!(
        c.deadlines.consent_window_end,
        Some(ts("2026-11-09T10:00:00Z"))
    );
    assert_eq!(
        c.consent.as_ref().unwrap().token_hash,
        hash_secret("s3cret-link-token")
    );
    let mails: Vec<(Template, Option<String>)> = w
        .outbox
        .iter()
        .map(|m| (m.template, m.consent_secret.clone()))
        .collect();
    assert_eq!(
        mails,
        vec![
            (Template::Approved, None),
            (Template::ConsentRequest, Some("s3cret-link-token".into()))
        ]
    );
    assert_eq!(w.outbox[1].to.as_str(), "ana@contoso.com");
    assert_eq!(w.keys.len(), 2, "teams and exchange_online keys are held");
}

#[test]
fn reject_from_under_review_or_partner_action_required_needs_reasons_and_comment() {
    let mut w = World::new();
    let a = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        a,
        Command::Reject {
            reasons: strings(&["insufficient_poe"]),
            comment: comment("No SOW."),
        },
    );
    assert_eq!(w.claim(a).reasons, vec![Reason::InsufficientPoe]);
    let b = w.under_review(&admin_a(), m365_input("Other", MPN_A, &["intune"]));
    w.ok(
        &reviewer(),
        b,
        Command::RequestInformation {
            reasons: strings(&["missing_poe"]),
            comment: comment("?"),
        },
    );
    let e = w
        .run(
            &reviewer(),
            Some(b),
            Command::Reject {
                reasons: strings(&["partner_request"]),
                comment: comment("x"),
            },
        )
        .unwrap_err();
    assert!(e.has("reasons[0]", ErrorCode::InvalidEnumValue));
    w.ok(
        &reviewer(),
        b,
        Command::Reject {
            reasons: strings(&["poe_not_available", "missing_products"]),
            comment: comment("x"),
        },
    );
    assert_eq!(w.claim(b).status, Status::Rejected);
    assert!(w.claim(b).rejected_at.is_some());
}

#[test]
fn the_customer_opting_out_during_the_window_rejects_the_claim_and_frees_its_keys() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    w.advance(3.days());
    let wrong = w
        .run(
            &Actor::Customer,
            Some(id),
            Command::CustomerDecline {
                token_hash: hash_secret("guess"),
            },
        )
        .unwrap_err();
    assert!(wrong.has("consent", ErrorCode::NotFound));
    w.ok(
        &Actor::Customer,
        id,
        Command::CustomerDecline {
            token_hash: hash_secret("s3cret-link-token"),
        },
    );
    let c = w.claim(id);
    assert_eq!(
        (c.status, c.phase, c.reasons.clone()),
        (Status::Rejected, None, vec![Reason::CustomerDeclined])
    );
    assert!(w.keys.is_empty());
    assert_eq!(
        w.events[&id].last().unwrap().side(),
        cpor_domain::Side::Customer
    );
    let again = w
        .run(
            &Actor::Customer,
            Some(id),
            Command::CustomerDecline {
                token_hash: hash_secret("s3cret-link-token"),
            },
        )
        .unwrap_err();
    assert!(
        again.has("consent", ErrorCode::NotFound),
        "the link stops working"
    );
}

#[test]
fn the_consent_window_passing_activates_the_association() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    w.advance(7.days());
    assert_eq!(w.fire_due(), 1);
    let c = w.claim(id);
    assert_eq!(c.phase, Some(Phase::Active));
    assert_eq!(
        c.association_expires_at, None,
        "Microsoft 365 workloads do not expire"
    );
    assert_eq!(w.keys.len(), 2);
}

#[test]
fn withdraw_rejects_with_partner_request_from_submitted_to_approved() {
    for stage in 0..5 {
        let mut w = World::new();
        let id = match stage {
            0 => w.submitted(&admin_a(), teams()),
            1 => w.under_review(&admin_a(), teams()),
            2 => {
                let id = w.under_review(&admin_a(), teams());
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
            3 => w.approved(&admin_a(), teams()),
            _ => {
                let id = w.approved(&admin_a(), teams());
                w.advance(8.days());
                w.fire_due();
                id
            }
        };
        w.ok(&admin_a(), id, Command::Withdraw { comment: None });
        let c = w.claim(id);
        assert_eq!(
            (c.status, c.reasons.clone()),
            (Status::Rejected, vec![Reason::PartnerRequest]),
            "stage {stage}"
        );
        assert!(w.keys.is_empty());
        assert!(
            w.timers[&id].is_empty(),
            "no clock runs for a withdrawn claim"
        );
    }
}

#[test]
fn a_business_applications_association_expires_when_its_subscriptions_end() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), sales());
    w.advance(7.days());
    w.fire_due();
    // S_SALES_1 ends 30 June 2027: expires at midnight UTC after it.
    assert_eq!(
        w.claim(id).association_expires_at,
        Some(ts("2027-07-01T00:00:00Z"))
    );
    w.now = ts("2027-07-01T00:00:00Z");
    assert_eq!(w.fire_due(), 1);
    let c = w.claim(id);
    assert_eq!(
        (c.phase, c.reasons.clone()),
        (Some(Phase::Expired), vec![Reason::SubscriptionEnded])
    );
    assert!(w.keys.is_empty());
}

#[test]
fn a_renewed_subscription_postpones_the_expiry() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), sales());
    w.advance(7.days());
    w.fire_due();
    let s = w.directory[0]
        .subscriptions
        .iter_mut()
        .find(|s| s.id == sub(S_SALES_1))
        .unwrap();
    s.ends_on = Some(cpor_domain::jiff::civil::date(2028, 6, 30));
    w.now = ts("2027-07-01T00:00:00Z");
    w.fire_due();
    let c = w.claim(id);
    assert_eq!(c.phase, Some(Phase::Active));
    assert_eq!(c.association_expires_at, Some(ts("2028-07-01T00:00:00Z")));
}

#[test]
fn disassociate_ends_the_association_and_needs_a_reason() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    let e = w
        .run(&admin_a(), Some(id), Command::Disassociate { reason: None })
        .unwrap_err();
    assert!(e.has("reason", ErrorCode::Required));
    w.ok(
        &admin_a(),
        id,
        Command::Disassociate {
            reason: Some(ReasonText::parse("No longer working with them").unwrap()),
        },
    );
    let c = w.claim(id);
    assert_eq!(
        (c.status, c.phase, c.reasons.clone()),
        (
            Status::Approved,
            Some(Phase::Ended),
            vec![Reason::Disassociated]
        )
    );
    assert!(w.keys.is_empty());
}

#[test]
fn the_customer_declining_after_the_window_ends_the_association() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    w.advance(10.days());
    w.fire_due();
    w.ok(
        &Actor::Customer,
        id,
        Command::CustomerDecline {
            token_hash: hash_secret("s3cret-link-token"),
        },
    );
    let c = w.claim(id);
    assert_eq!(
        (c.status, c.phase, c.reasons.clone()),
        (
            Status::Approved,
            Some(Phase::Ended),
            vec![Reason::CustomerDeclined]
        )
    );
    assert_eq!(
        w.outbox.last().unwrap().template,
        Template::AssociationEnded
    );
}

#[test]
fn a_decline_after_the_window_before_its_timer_ran_records_the_activation_first() {
    let mut w = World::new();
    let id = w.approved(&admin_a(), teams());
    w.advance(8.days());
    w.ok(
        &Actor::Customer,
        id,
        Command::CustomerDecline {
            token_hash: hash_secret("s3cret-link-token"),
        },
    );
    let types: Vec<&str> = w.events[&id]
        .iter()
        .rev()
        .take(2)
        .map(|e| e.kind.type_name())
        .collect();
    assert_eq!(types, vec!["customer_declined", "consent_window_passed"]);
    assert_eq!(w.claim(id).phase, Some(Phase::Ended));
}

#[test]
fn arbitration_moves_only_the_contested_keys_and_the_previous_holder_keeps_the_rest() {
    let mut w = World::new();
    let first = w.approved(&admin_a(), teams());
    w.advance(8.days());
    w.fire_due();
    assert_eq!(w.claim(first).phase, Some(Phase::Active));
    let second = w.under_review(&admin_b(), m365_input("Fabrikam Teams", MPN_B, &["teams"]));
    // Without the reviewer's confirmation nothing moves.
    let unconfirmed = Command::Approve {
        comment: None,
        consent: cpor_domain::claim::ConsentSecret("other-link".into()),
        confirm: false,
    };
    let refused = w.run(&reviewer(), Some(second), unconfirmed).unwrap_err();
    assert_eq!(refused.errors[0].field, "confirm");
    assert!(
        refused.errors[0].message.contains("teams"),
        "names what moves"
    );
    assert_eq!(w.claim(second).status, Status::UnderReview);
    let ch = w.run(&reviewer(), Some(second), approve()).unwrap();
    assert_eq!(
        ch.len(),
        2,
        "the winner's and the previous holder's changes"
    );
    // The previous holder loses teams only: it keeps exchange_online, still active.
    let loser = w.claim(first);
    assert_eq!(
        (loser.phase, loser.reasons.clone(), loser.superseded_by),
        (Some(Phase::Active), vec![], Some(second))
    );
    assert_eq!(w.claim(second).superseded, vec![first]);
    assert_eq!(w.keys.len(), 2);
    fn holder_of(w: &World, workload: &str) -> Option<ClaimId> {
        w.keys
            .values()
            .find(|h| h.key.to_string().contains(&format!("workload:{workload}/")))
            .map(|h| h.claim_id)
    }
    assert_eq!(holder_of(&w, "teams"), Some(second));
    assert_eq!(holder_of(&w, "exchange_online"), Some(first));
    let told: Vec<Template> = w.outbox.iter().rev().take(3).map(|m| m.template).collect();
    assert!(told.contains(&Template::PartlySuperseded) && told.contains(&Template::Approved));
    // A claim that wins the last key ends the previous holder's association.
    let third = w.under_review(
        &admin_b(),
        m365_input("Fabrikam Exchange", MPN_B, &["exchange_online"]),
    );
    w.ok(&reviewer(), third, approve());
    let loser = w.claim(first);
    assert_eq!(
        (loser.phase, loser.reasons.clone()),
        (Some(Phase::Ended), vec![Reason::Superseded])
    );
    assert_eq!(holder_of(&w, "exchange_online"), Some(third));
    let told: Vec<Template> = w.outbox.iter().rev().take(3).map(|m| m.template).collect();
    assert!(told.contains(&Template::Superseded));
    // Neither partner learns the other's claim id, from the claim or from its history;
    // the operator does.
    let (first_id, second_id) = (first.to_string(), second.to_string());
    for side in [Side::Partner, Side::Customer, Side::System] {
        let loser = w.claim(first).view_for(side);
        let history: Vec<_> = w.events[&first].iter().map(|e| e.view_for(side)).collect();
        let seen = serde_json::to_string(&(loser, history)).unwrap();
        assert!(!seen.contains(&second_id), "{side} sees the winner");
        let winner = w.claim(second).view_for(side);
        let history: Vec<_> = w.events[&second].iter().map(|e| e.view_for(side)).collect();
        let seen = serde_json::to_string(&(winner, history)).unwrap();
        assert!(!seen.contains(&first_id), "{side} sees the loser");
    }
    // The operator sees who won which keys; the last winner ended the association.
    let operator = w.claim(first).view_for(Side::Operator);
    assert_eq!(operator.superseded_by, Some(third));
    let supersessions: Vec<(Option<ClaimId>, bool)> = w.events[&first]
        .iter()
        .filter_map(|e| match e.view_for(Side::Operator).kind {
            EventKind::Superseded { by, last, .. } => Some((by, last)),
            _ => None,
        })
        .collect();
    assert_eq!(
        supersessions,
        vec![(Some(second), false), (Some(third), true)]
    );
}

#[test]
fn the_holder_is_asked_for_more_during_an_arbitration_and_keeps_its_association() {
    let mut w = World::new();
    let first = w.approved(&admin_a(), teams());
    let keys_before = w.keys.clone();
    w.ok(
        &reviewer(),
        first,
        Command::RequestInformation {
            reasons: strings(&["missing_or_old_dates"]),
            comment: comment("Another partner claims Teams: send your latest dated PoE."),
        },
    );
    let c = w.claim(first);
    assert_eq!(
        (c.status, c.phase),
        (Status::Approved, Some(Phase::ConsentPending))
    );
    assert!(c.arbitration_question.is_some());
    assert_eq!(w.keys, keys_before, "the association keeps its keys");
    let told: Vec<Template> = w.outbox.iter().map(|m| m.template).collect();
    assert!(told.contains(&Template::ArbitrationQuestion));
    // The holder adds a document and answers; nothing else changes.
    w.add_poe(&admin_a(), first).unwrap();
    w.ok(
        &admin_a(),
        first,
        Command::Resubmit {
            comment: comment("Here it is."),
        },
    );
    let c = w.claim(first);
    assert_eq!((c.status, c.arbitration_question), (Status::Approved, None));
    assert_eq!(c.poe.len(), 2);
    // Without an open question an approved claim takes no more documents.
    assert!(w.add_poe(&admin_a(), first).is_err());
}

#[test]
fn arbitration_reject_leaves_the_holder_in_place() {
    let mut w = World::new();
    let first = w.approved(&admin_a(), teams());
    let second = w.under_review(&admin_b(), m365_input("Fabrikam Teams", MPN_B, &["teams"]));
    w.ok(
        &reviewer(),
        second,
        Command::Reject {
            reasons: strings(&["association_conflict"]),
            comment: comment("Contoso's PoE is more recent."),
        },
    );
    assert_eq!(w.claim(second).reasons, vec![Reason::AssociationConflict]);
    assert_eq!(w.claim(first).phase, Some(Phase::ConsentPending));
    assert!(w.keys.values().all(|h| h.claim_id == first));
}

#[test]
fn a_partner_cannot_submit_a_claim_for_a_key_its_organisation_already_holds() {
    let mut w = World::new();
    let first = w.approved(&admin_a(), teams());
    let id = w
        .create(&admin_a(), m365_input("Again", MPN_A, &["intune", "teams"]))
        .unwrap();
    w.add_poe(&admin_a(), id).unwrap();
    let e = w
        .run(&admin_a(), Some(id), Command::Submit { comment: None })
        .unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert_eq!(
        (e.errors[0].field.as_str(), e.errors[0].code),
        ("products[1]", ErrorCode::AlreadyHeld)
    );
    assert!(e.errors[0].message.contains(&first.to_string()));
}

#[test]
fn a_dispute_within_thirty_days_can_be_upheld_to_reopen_review() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        id,
        Command::Reject {
            reasons: strings(&["insufficient_poe"]),
            comment: comment("No."),
        },
    );
    w.advance(29.days());
    let details = DisputeDetails::parse("The SOW was signed; see the new PoE.").unwrap();
    w.ok(
        &admin_a(),
        id,
        Command::OpenDispute(DisputeInput {
            program: None,
            products: None,
            details,
        }),
    );
    let c = w.claim(id);
    let d = c.open_dispute().unwrap();
    assert_eq!(c.status, Status::Rejected);
    assert_eq!(d.program, cpor_domain::reference::Program::OsuM365);
    assert_eq!(d.products.len(), 2);
    assert_eq!(d.mpn_id.as_str(), MPN_A);
    assert_eq!(
        d.poe,
        c.poe.iter().map(|p| p.id).collect::<Vec<_>>(),
        "prefilled with the claim's PoE"
    );
    w.add_poe(&admin_a(), id).unwrap();
    assert_eq!(
        w.claim(id).open_dispute().unwrap().poe.len(),
        2,
        "new PoE joins the dispute"
    );
    w.ok(
        &support(),
        id,
        Command::StartDispute {
            comment: comment("Checking the SOW with the customer."),
        },
    );
    // The comment is kept, in the dispute's history, as the resolution's is.
    assert_eq!(
        w.events[&id].last().unwrap().kind,
        EventKind::DisputeStarted {
            comment: comment("Checking the SOW with the customer.")
        }
    );
    assert_eq!(
        w.events[&id].last().unwrap().kind.public_details()["comment"],
        "Checking the SOW with the customer."
    );
    assert_eq!(
        serde_json::from_value::<EventKind>(serde_json::json!({"type": "dispute_started"}))
            .unwrap(),
        EventKind::DisputeStarted { comment: None },
        "events recorded before the comment was kept still read"
    );
    w.ok(
        &support(),
        id,
        Command::ResolveDispute {
            outcome: DisputeOutcome::Upheld,
            comment: comment("Valid SOW."),
        },
    );
    let c = w.claim(id);
    assert_eq!(c.status, Status::UnderReview);
    assert!(c.deadlines.review_decision_due.is_some());
    assert_eq!(w.outbox.last().unwrap().template, Template::DisputeResolved);
}

#[test]
fn a_denied_dispute_leaves_the_rejection_and_cannot_be_opened_again() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        id,
        Command::Reject {
            reasons: strings(&["insufficient_poe"]),
            comment: comment("No."),
        },
    );
    let details = DisputeDetails::parse("Please look again.").unwrap();
    let open = Command::OpenDispute(DisputeInput {
        program: None,
        products: None,
        details,
    });
    w.ok(&admin_a(), id, open.clone());
    w.ok(
        &support(),
        id,
        Command::ResolveDispute {
            outcome: DisputeOutcome::Denied,
            comment: comment("The PoE is unsigned."),
        },
    );
    let c = w.claim(id);
    assert_eq!(
        (c.status, c.disputes[0].status.as_str()),
        (Status::Rejected, "denied")
    );
    let e = w.run(&admin_a(), Some(id), open).unwrap_err();
    assert!(e.has("status", ErrorCode::InvalidState));
}

#[test]
fn a_dispute_after_thirty_days_is_refused() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        id,
        Command::Reject {
            reasons: strings(&["insufficient_poe"]),
            comment: comment("No."),
        },
    );
    w.advance(Span::new().days(30).seconds(1));
    let details = DisputeDetails::parse("Late.").unwrap();
    let e = w
        .run(
            &admin_a(),
            Some(id),
            Command::OpenDispute(DisputeInput {
                program: None,
                products: None,
                details,
            }),
        )
        .unwrap_err();
    assert!(e.has("claim", ErrorCode::WindowClosed));
}

#[test]
fn a_dispute_names_only_the_claims_programs_and_products() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        id,
        Command::Reject {
            reasons: strings(&["insufficient_poe"]),
            comment: comment("No."),
        },
    );
    let details = DisputeDetails::parse("x").unwrap();
    let e = w
        .run(
            &admin_a(),
            Some(id),
            Command::OpenDispute(DisputeInput {
                program: Some(cpor_domain::reference::Program::OsaSell),
                products: Some(vec![product("teams"), product("intune"), product("teams")]),
                details,
            }),
        )
        .unwrap_err();
    let got: Vec<(&str, ErrorCode)> = e
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect();
    assert_eq!(
        got,
        vec![
            ("program", ErrorCode::InvalidEnumValue),
            ("products[1]", ErrorCode::InvalidEnumValue),
            ("products[2]", ErrorCode::Duplicate)
        ]
    );
}

#[test]
fn review_slas_are_reported_once_and_change_nothing_else() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), teams());
    w.advance(7.days());
    assert_eq!(w.fire_due(), 1);
    let c = w.claim(id);
    assert_eq!(c.status, Status::Submitted);
    assert!(matches!(
        w.events[&id].last().unwrap().kind,
        EventKind::SlaBreached { .. }
    ));
    assert!(w.timers[&id].is_empty());
    w.advance(7.days());
    assert_eq!(w.fire_due(), 0);
}

#[test]
fn a_stale_timer_changes_nothing() {
    let mut w = World::new();
    let id = w.under_review(&admin_a(), teams());
    w.ok(
        &reviewer(),
        id,
        Command::RequestInformation {
            reasons: strings(&["missing_poe"]),
            comment: comment("?"),
        },
    );
    w.ok(&admin_a(), id, Command::Resubmit { comment: None });
    w.advance(10.days());
    let before = w.claim(id).clone();
    let e = w
        .run(
            &Actor::System,
            Some(id),
            Command::Fire(TimerKind::PartnerResponseWindow),
        )
        .unwrap_err();
    assert!(e.has("status", ErrorCode::InvalidState));
    assert_eq!(w.claim(id), &before);
}

#[test]
fn background_events_move_the_history_but_not_the_etag() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), teams());
    let before = w.claim(id).clone();
    assert_eq!(before.etag, before.version);
    // A delivered e-mail, then the pickup SLA breached: both are in the history only.
    w.ok(
        &Actor::System,
        id,
        Command::RecordEmail {
            template: Template::InformationRequested,
            to: cpor_domain::values::Email::parse("p@adatum.example").unwrap(),
        },
    );
    w.advance(10.days());
    w.fire_due();
    let c = w.claim(id).clone();
    let kinds: Vec<&str> = w.events[&id]
        .iter()
        .skip(before.version as usize)
        .map(|e| e.kind.type_name())
        .collect();
    assert_eq!(kinds, vec!["email_sent", "sla_breached"]);
    assert_eq!(c.version, before.version + 2);
    assert_eq!(
        (c.etag, c.updated_at),
        (before.etag, before.updated_at),
        "nothing a client edits or acts on changed"
    );
    // A client-visible change moves it to its own seq.
    w.ok(&reviewer(), id, Command::StartReview { comment: None });
    assert_eq!(w.claim(id).etag, c.version + 1);
}

#[test]
fn a_comment_is_emailed_to_the_other_side() {
    use cpor_domain::claim::Thread;
    use cpor_domain::values::{CommentBody, CommentId};
    let mut w = World::new();
    w.reference.policy.support_email = Some("support@operator.example".into());
    let id = w.under_review(&admin_a(), teams());
    let say = |thread, text: &str| Command::Comment {
        id: CommentId::from_uuid(uuid::Uuid::now_v7()),
        thread,
        body: CommentBody::parse(text).unwrap(),
    };
    let before = w.outbox.len();
    w.ok(&reviewer(), id, say(Thread::Claim, "Which tenant?"));
    let mail = &w.outbox[before..];
    assert_eq!(mail.len(), 1, "the reviewer's comment reaches the partner");
    assert_eq!(
        (mail[0].template, mail[0].recipient),
        (Template::CommentAdded, Recipient::Partner)
    );
    // The partner's answer on the claim is read in the review queue: no e-mail.
    let before = w.outbox.len();
    w.ok(&admin_a(), id, say(Thread::Claim, "Contoso's."));
    assert_eq!(w.outbox.len(), before);
    // On a dispute, the partner's comment goes to support's mailbox.
    w.ok(
        &reviewer(),
        id,
        Command::Reject {
            reasons: strings(&["insufficient_poe"]),
            comment: comment("No."),
        },
    );
    w.ok(
        &admin_a(),
        id,
        Command::OpenDispute(DisputeInput {
            program: None,
            products: None,
            details: DisputeDetails::parse("See the SOW.").unwrap(),
        }),
    );
    let before = w.outbox.len();
    w.ok(&admin_a(), id, say(Thread::Dispute, "Any news?"));
    let mail = &w.outbox[before..];
    assert_eq!(mail.len(), 1);
    assert_eq!(
        (mail[0].recipient, mail[0].to.to_string().as_str()),
        (Recipient::Support, "support@operator.example")
    );
}
