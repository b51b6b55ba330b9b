//! The review: pickup, requests for information, resubmission, approval with arbitration,
//! rejection, and the partner's withdrawal.

use super::draft::check_submittable;
use super::{Context, Decision, FollowUp, require_status};
use crate::claim::{
    ACTION_REASONS, Claim, Command, ConsentSecret, EventKind, Phase, REVIEW_REJECTION_REASONS,
    Reason, Status, parse_reasons,
};
use crate::error::{DomainError, ErrorCode, FieldError};
use crate::keys::AssociationKey;
use crate::values::{ClaimId, CommentBody};
use jiff::Timestamp;

fn required_comment(
    comment: &Option<CommentBody>,
    errors: &mut Vec<FieldError>,
) -> Option<CommentBody> {
    if comment.is_none() {
        errors.push(FieldError::new(
            "comment",
            ErrorCode::Required,
            "Explain to the partner in a comment what is needed or why.",
        ));
    }
    comment.clone()
}

fn reasons_and_comment(
    reasons: &[String],
    comment: &Option<CommentBody>,
    allowed: &[Reason],
) -> Result<(Vec<Reason>, CommentBody), DomainError> {
    let mut errors = Vec::new();
    let reasons = parse_reasons(reasons, allowed)
        .map_err(|e| errors.extend(e))
        .ok();
    let comment = required_comment(comment, &mut errors);
    match (reasons, comment) {
        (Some(r), Some(c)) if errors.is_empty() => Ok((r, c)),
        _ => Err(DomainError::new(errors)),
    }
}

pub(super) fn start(
    claim: &Claim,
    comment: &Option<CommentBody>,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    require_status(claim, &[Status::Submitted], cmd)?;
    let r = ctx.reference;
    Ok(Decision::one(EventKind::ReviewStarted {
        review_decision_due: r
            .calendar
            .add_business_days(ctx.now, r.policy.review_decision_days),
        comment: comment.clone(),
    }))
}

/// A reviewer takes a claim of the queue (or one asked for information, whose answer
/// they will review). Another reviewer's claim is taken only `over` it, explicitly.
pub(super) fn take(
    claim: &Claim,
    over: bool,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    require_status(
        claim,
        &[
            Status::Submitted,
            Status::UnderReview,
            Status::PartnerActionRequired,
        ],
        cmd,
    )?;
    let crate::actor::Actor::User { id, name, .. } = ctx.actor else {
        return Err(DomainError::not_permitted("Only a reviewer takes a claim."));
    };
    match &claim.reviewer {
        Some(r) if r.id == *id => Err(DomainError::conflict(
            "reviewer",
            "You already have this claim.",
        )),
        Some(r) if !over => Err(DomainError::conflict(
            "reviewer",
            format!(
                "{} has this claim; take it over explicitly to work on it.",
                r.name
            ),
        )),
        previous => Ok(Decision::one(EventKind::Taken {
            reviewer: crate::claim::ReviewerRef {
                id: *id,
                name: name.clone(),
            },
            previous: previous.as_ref().map(|r| r.id),
        })),
    }
}

pub(super) fn request_information(
    claim: &Claim,
    reasons: &[String],
    comment: &Option<CommentBody>,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    // The holder of an approved association may be asked for more during an arbitration
    // over its keys: the question changes nothing of its association.
    if claim.holds_keys() {
        let (reasons, comment) = reasons_and_comment(reasons, comment, ACTION_REASONS)?;
        return Ok(Decision::one(EventKind::ArbitrationInformationRequested {
            reasons,
            comment,
        }));
    }
    require_status(claim, &[Status::UnderReview], cmd)?;
    let (reasons, comment) = reasons_and_comment(reasons, comment, ACTION_REASONS)?;
    let (partner_response_due, reminder_due) = partner_response(ctx.now, ctx);
    Ok(Decision::one(EventKind::InformationRequested {
        reasons,
        comment,
        partner_response_due,
        reminder_due,
    }))
}

/// The partner response window started at `since`: its end, and the reminder one
/// business day before (none when the window is one day).
fn partner_response(since: Timestamp, ctx: &Context) -> (Timestamp, Option<Timestamp>) {
    let (cal, days) = (
        &ctx.reference.calendar,
        ctx.reference.policy.partner_response_days,
    );
    (
        cal.add_business_days(since, days),
        (days >= 2).then(|| cal.add_business_days(since, days - 1)),
    )
}

/// Counts the running business-day deadlines again from when they started, on the
/// current calendar and policy: review pickup (submitted), review decision (under
/// review), partner response and its reminder (partner action required). An event only
/// when a due time moves; nothing for a claim with no running window, or whose start is
/// unknown (a state stored before starts were kept, but for a submitted claim, whose
/// window started at its submission).
pub(super) fn recount(claim: &Claim, ctx: &Context) -> Result<Decision, DomainError> {
    let d = &claim.deadlines;
    let since = d.running_since.or(match claim.status {
        Status::Submitted => claim.submitted_at,
        _ => None,
    });
    let Some(since) = since else {
        return Ok(Decision::default());
    };
    let (cal, policy) = (&ctx.reference.calendar, &ctx.reference.policy);
    let current = (
        d.review_pickup_due,
        d.review_decision_due,
        d.partner_response_due,
        d.partner_response_reminder,
    );
    let recounted = match claim.status {
        Status::Submitted => (
            Some(cal.add_business_days(since, policy.review_pickup_days)),
            None,
            None,
            None,
        ),
        Status::UnderReview => (
            None,
            Some(cal.add_business_days(since, policy.review_decision_days)),
            None,
            None,
        ),
        Status::PartnerActionRequired => {
            let (due, reminder) = partner_response(since, ctx);
            (None, None, Some(due), reminder)
        }
        _ => return Ok(Decision::default()),
    };
    if recounted == current {
        return Ok(Decision::default());
    }
    let (review_pickup_due, review_decision_due, partner_response_due, partner_response_reminder) =
        recounted;
    Ok(Decision::one(EventKind::DeadlinesRecounted {
        review_pickup_due,
        review_decision_due,
        partner_response_due,
        partner_response_reminder,
    }))
}

/// The partner's answer to a request for information. The claim must still be
/// submittable; the reviewer's decision SLA starts again.
pub(super) fn resubmit(
    claim: &Claim,
    comment: &Option<CommentBody>,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    if claim.arbitration_question.is_some() {
        return Ok(Decision::one(EventKind::ArbitrationAnswered {
            comment: comment.clone(),
        }));
    }
    require_status(claim, &[Status::PartnerActionRequired], cmd)?;
    let mut events: Vec<EventKind> = check_submittable(claim, ctx)?.into_iter().collect();
    let r = ctx.reference;
    events.push(EventKind::Resubmitted {
        review_decision_due: r
            .calendar
            .add_business_days(ctx.now, r.policy.review_decision_days),
        comment: comment.clone(),
    });
    Ok(Decision::events(events))
}

/// The other claims holding some of this claim's keys, each with the keys it would lose
/// to this claim's approval (arbitration; docs/product.md, association keys).
pub fn contested_keys(claim: &Claim, ctx: &Context) -> Vec<(ClaimId, Vec<AssociationKey>)> {
    let keys = claim.keys(&ctx.reference.programs);
    let mut out: Vec<(ClaimId, Vec<AssociationKey>)> = Vec::new();
    for h in ctx
        .holders
        .iter()
        .filter(|h| h.claim_id != claim.id && keys.contains(&h.key))
    {
        match out.iter_mut().find(|(id, _)| *id == h.claim_id) {
            Some((_, ks)) => ks.push(h.key.clone()),
            None => out.push((h.claim_id, vec![h.key.clone()])),
        }
    }
    out.sort_by_key(|(id, _)| *id);
    out
}

/// Approval starts the customer's consent window. When another claim holds some of the
/// claim's keys, approving is the reviewer's arbitration decision: the reviewer confirms
/// it (`confirm`), and the contested keys move from the previous holder to this claim in
/// the same transaction, so a key never has two holders; the previous holder keeps its
/// other keys. Two approvals racing for one key are decided in commit order.
pub(super) fn approve(
    claim: &Claim,
    comment: &Option<CommentBody>,
    consent: &ConsentSecret,
    confirm: bool,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    require_status(claim, &[Status::UnderReview], cmd)?;
    if claim.fields.customer_contact.is_none() {
        return Err(DomainError::one(
            "customer_contact",
            ErrorCode::Required,
            "The customer's contact is needed to ask for their consent.",
        ));
    }
    let contested = contested_keys(claim, ctx);
    if !contested.is_empty() && !confirm {
        let keys: Vec<String> = contested
            .iter()
            .flat_map(|(_, ks)| ks.iter().map(|k| k.to_string()))
            .collect();
        return Err(DomainError::one(
            "confirm",
            ErrorCode::Required,
            format!(
                "Another partner holds {}: approving moves it to this claim. Confirm to approve.",
                keys.join(", ")
            ),
        ));
    }
    let superseded: Vec<ClaimId> = contested.iter().map(|(id, _)| *id).collect();
    let r = ctx.reference;
    Ok(Decision {
        events: vec![EventKind::Approved {
            comment: comment.clone(),
            consent_window_end: r.calendar.add_days(ctx.now, r.policy.consent_window_days),
            consent_token_hash: consent.hash(),
            superseded: superseded.clone(),
        }],
        follow_ups: contested
            .into_iter()
            .map(|(id, keys)| FollowUp {
                claim_id: id,
                command: Command::Supersede { by: claim.id, keys },
            })
            .collect(),
    })
}

pub(super) fn reject(
    claim: &Claim,
    reasons: &[String],
    comment: &Option<CommentBody>,
    cmd: &Command,
) -> Result<Decision, DomainError> {
    require_status(
        claim,
        &[Status::UnderReview, Status::PartnerActionRequired],
        cmd,
    )?;
    let (reasons, comment) = reasons_and_comment(reasons, comment, REVIEW_REJECTION_REASONS)?;
    Ok(Decision::one(EventKind::Rejected { reasons, comment }))
}

/// "Partner request": from Submitted up to Approved. An approved claim can be withdrawn
/// while its association holds (consent pending or active); once it has expired or ended
/// there is nothing left to withdraw.
pub(super) fn withdraw(
    claim: &Claim,
    comment: &Option<CommentBody>,
    cmd: &Command,
) -> Result<Decision, DomainError> {
    require_status(
        claim,
        &[
            Status::Submitted,
            Status::UnderReview,
            Status::PartnerActionRequired,
            Status::Approved,
        ],
        cmd,
    )?;
    if claim.status == Status::Approved && !claim.phase.is_some_and(Phase::holds_keys) {
        return Err(DomainError::invalid_state(format!(
            "The association has {}; there is nothing left to withdraw.",
            claim.phase.map_or("ended", |p| p.as_str())
        )));
    }
    Ok(Decision::one(EventKind::Withdrawn {
        comment: comment.clone(),
    }))
}
