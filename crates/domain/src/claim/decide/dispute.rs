//! Disputes of a rejection (docs/product.md, disputes): opened by the partner within 30
//! days, handled by support agents, upheld (back under review) or denied.

use super::{Context, Decision, require_status};
use crate::claim::dispute::{Dispute, DisputeStatus};
use crate::claim::{Claim, Command, DisputeInput, DisputeOutcome, EventKind, Status};
use crate::error::{DomainError, ErrorCode, FieldError};
use crate::reference::ProductId;
use crate::values::CommentBody;

/// One dispute per rejection, opened within the dispute window (30 calendar days after
/// the rejection by default). Program and products default to the claim's (its first
/// program, all its products) and must be among them.
pub(super) fn open(
    claim: &Claim,
    input: &DisputeInput,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    require_status(claim, &[Status::Rejected], cmd)?;
    let rejected_at = claim.rejected_at.unwrap_or(claim.updated_at);
    if claim
        .disputes
        .last()
        .is_some_and(|d| d.opened_at >= rejected_at)
    {
        return Err(DomainError::invalid_state(
            "This rejection has already been disputed.",
        ));
    }
    let r = ctx.reference;
    let closes = r
        .calendar
        .add_days(rejected_at, r.policy.dispute_window_days);
    if ctx.now > closes {
        return Err(DomainError::one(
            "claim",
            ErrorCode::WindowClosed,
            format!(
                "A rejection can be disputed within {} days; that window closed at {closes}.",
                r.policy.dispute_window_days
            ),
        ));
    }
    let programs = claim.programs(&r.programs);
    let mut errors = Vec::new();
    let program = match input.program {
        Some(p) if !programs.contains(&p) => {
            errors.push(FieldError::new(
                "program",
                ErrorCode::InvalidEnumValue,
                format!(
                    "The claim is not for {p}; its programs are: {}.",
                    programs
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            None
        }
        Some(p) => Some(p),
        None => programs.first().copied(),
    };
    let claimed: Vec<&ProductId> = claim.fields.products.iter().map(|l| &l.product).collect();
    let products: Vec<ProductId> = match &input.products {
        None => claimed.iter().map(|p| (*p).clone()).collect(),
        Some(list) => {
            if list.is_empty() {
                errors.push(FieldError::new(
                    "products",
                    ErrorCode::NotEnoughValues,
                    "Name at least one disputed product.",
                ));
            }
            let mut out: Vec<ProductId> = Vec::new();
            for (i, p) in list.iter().enumerate() {
                if !claimed.contains(&p) {
                    errors.push(FieldError::new(
                        format!("products[{i}]"),
                        ErrorCode::InvalidEnumValue,
                        format!("{p} is not a product of the claim."),
                    ));
                } else if out.contains(p) {
                    errors.push(FieldError::new(
                        format!("products[{i}]"),
                        ErrorCode::Duplicate,
                        format!("{p} is given twice."),
                    ));
                } else {
                    out.push(p.clone());
                }
            }
            out
        }
    };
    DomainError::check(errors)?;
    let Some(program) = program else {
        return Err(DomainError::one(
            "program",
            ErrorCode::Required,
            "Name the incentive program.",
        ));
    };
    Ok(Decision::one(EventKind::DisputeOpened {
        dispute: Dispute {
            mpn_id: claim.fields.mpn_id.clone(),
            program,
            products,
            tenant_id: claim.fields.tenant_id,
            details: input.details.clone(),
            poe: claim.poe.iter().map(|p| p.id).collect(),
            status: DisputeStatus::Open,
            opened_at: ctx.now,
            opened_by: ctx.actor.user_id(),
            due: r
                .calendar
                .add_business_days(ctx.now, r.policy.dispute_resolution_days),
            sla_breached: false,
            resolved_at: None,
            resolution_comment: None,
        },
    }))
}

fn open_dispute(claim: &Claim) -> Result<&Dispute, DomainError> {
    claim
        .open_dispute()
        .filter(|_| claim.status == Status::Rejected)
        .ok_or_else(|| DomainError::invalid_state("The claim has no open dispute."))
}

/// Support takes the dispute; its comment is kept with the event, in the dispute's
/// history, as the resolution's is.
pub(super) fn start(claim: &Claim, comment: &Option<CommentBody>) -> Result<Decision, DomainError> {
    let d = open_dispute(claim)?;
    if d.status != DisputeStatus::Open {
        return Err(DomainError::invalid_state(
            "The dispute is already in progress.",
        ));
    }
    Ok(Decision::one(EventKind::DisputeStarted {
        comment: comment.clone(),
    }))
}

/// Upheld reopens the claim for review (a new decision SLA starts); denied leaves the
/// rejection standing. Support explains the outcome in a comment.
pub(super) fn resolve(
    claim: &Claim,
    outcome: DisputeOutcome,
    comment: &Option<CommentBody>,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    open_dispute(claim)?;
    let comment = comment.clone().ok_or_else(|| {
        DomainError::one(
            "comment",
            ErrorCode::Required,
            "Explain the outcome to the partner in a comment.",
        )
    })?;
    let r = ctx.reference;
    Ok(Decision::one(EventKind::DisputeResolved {
        outcome,
        comment,
        review_decision_due: (outcome == DisputeOutcome::Upheld).then(|| {
            r.calendar
                .add_business_days(ctx.now, r.policy.review_decision_days)
        }),
    }))
}
