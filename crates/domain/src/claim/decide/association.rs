//! The association after approval: the customer's opt-out, activation, expiry,
//! disassociation and supersession; and the timers that drive them.

use super::{Context, Decision, require_status};
use crate::claim::{
    Claim, Command, DropReason, EventKind, Phase, Sla, Status, Template, TimerKind,
};
use crate::error::{DomainError, ErrorCode};
use crate::keys::AssociationKey;
use crate::reference::SolutionArea;
use crate::values::{ClaimId, Reason};
use jiff::Timestamp;

fn require_holding(claim: &Claim, cmd: &Command) -> Result<(), DomainError> {
    require_status(claim, &[Status::Approved], cmd)?;
    if claim.phase.is_some_and(Phase::holds_keys) {
        Ok(())
    } else {
        Err(DomainError::invalid_state(format!(
            "The association is {}; only a consent pending or active association can be {}.",
            claim.phase.map_or("gone", |p| p.as_str()),
            if matches!(cmd, Command::Supersede { .. }) {
                "superseded"
            } else {
                "ended"
            }
        )))
    }
}

pub(super) fn disassociate(
    claim: &Claim,
    reason: &Option<Reason>,
    cmd: &Command,
) -> Result<Decision, DomainError> {
    require_holding(claim, cmd)?;
    let reason = reason.clone().ok_or_else(|| {
        DomainError::one(
            "reason",
            ErrorCode::Required,
            "Say why the association ends.",
        )
    })?;
    Ok(Decision::one(EventKind::Disassociated { reason }))
}

/// Arbitration took `keys` from this claim: they move to the winning claim `by` in the
/// same transaction. The association ends only with its last key. No keys named means
/// every key (as supersession worked before keys moved one by one).
pub(super) fn supersede(
    claim: &Claim,
    by: ClaimId,
    keys: &[AssociationKey],
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    require_holding(claim, cmd)?;
    let held = claim.held_keys(&ctx.reference.programs);
    let moving: Vec<AssociationKey> = if keys.is_empty() {
        held.clone()
    } else {
        keys.iter().filter(|k| held.contains(k)).cloned().collect()
    };
    if moving.is_empty() {
        return Err(DomainError::conflict(
            "keys",
            "This claim holds none of the keys the other claim won.",
        ));
    }
    let last = held.iter().all(|k| moving.contains(k));
    Ok(Decision::one(EventKind::Superseded {
        by: Some(by),
        keys: moving,
        last,
    }))
}

/// The customer's opt-out through their link. During the consent window the claim is
/// rejected (`customer_declined`); after it, the association ends. A link only works for
/// its own claim and only while the association holds.
pub(super) fn customer_decline(
    claim: &Claim,
    token_hash: &str,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    let gone = || {
        DomainError::not_found(
            "consent",
            "This link no longer works: the association it was about has ended.",
        )
    };
    let consent = claim.consent.as_ref().ok_or_else(gone)?;
    if consent.token_hash != token_hash || !claim.holds_keys() {
        return Err(gone());
    }
    if claim.phase == Some(Phase::ConsentPending) && ctx.now < consent.window_end {
        return Ok(Decision::one(EventKind::CustomerDeclined {
            during_window: true,
        }));
    }
    // After the window: if the activation timer has not run yet, record the activation
    // the window's end made, then the decline.
    let mut events = Vec::new();
    if claim.phase == Some(Phase::ConsentPending) {
        events.push(EventKind::ConsentWindowPassed {
            expires_at: expiry(claim, ctx),
        });
    }
    events.push(EventKind::CustomerDeclined {
        during_window: false,
    });
    Ok(Decision::events(events))
}

/// When a Business Applications association expires: at the end of the last day of its
/// latest-ending subscription, as the directory says now. `None` for Microsoft 365
/// workloads, when a subscription has no end date, or when the directory no longer knows
/// any of the subscriptions (missing data ends nothing).
fn expiry(claim: &Claim, ctx: &Context) -> Option<Timestamp> {
    if claim.fields.solution_area != SolutionArea::BusinessApplications {
        return None;
    }
    let tenant = ctx.tenant?;
    let mut latest: Option<Timestamp> = None;
    for line in &claim.fields.products {
        let Some(sub) = line.subscription_id.and_then(|id| tenant.subscription(&id)) else {
            continue;
        };
        let end = ctx.reference.calendar.end_of_day(sub.ends_on?);
        latest = Some(latest.map_or(end, |l| l.max(end)));
    }
    latest
}

/// A due timer of the claim: refused (`invalid_state`) when the claim no longer has that
/// timer or it is not due yet, so a stale or early job changes nothing.
pub(super) fn fire(claim: &Claim, kind: TimerKind, ctx: &Context) -> Result<Decision, DomainError> {
    let timer = claim
        .timers()
        .into_iter()
        .find(|t| t.kind == kind && t.due <= ctx.now)
        .ok_or_else(|| DomainError::invalid_state(format!("The claim has no {kind} timer due.")))?;
    // A reminder is for a deadline still ahead. Fired late (after downtime), once the
    // window has passed, it reminds of nothing: no reminder is sent, and the partner's
    // history says one was dropped (the window's own timer rejects the claim).
    if kind == TimerKind::PartnerResponseReminder
        && claim
            .deadlines
            .partner_response_due
            .is_none_or(|due| due <= ctx.now)
    {
        let to = claim.fields.partner_contact.as_ref().ok_or_else(|| {
            DomainError::invalid_state(
                "The partner response window has passed: too late for its reminder.",
            )
        })?;
        return Ok(Decision::one(EventKind::EmailDropped {
            template: Template::ResponseReminder,
            to: to.email.clone(),
            why: DropReason::DeadlinePassed,
        }));
    }
    let event = match kind {
        TimerKind::ReviewPickupSla => EventKind::SlaBreached {
            sla: Sla::ReviewPickup,
            due: timer.due,
        },
        TimerKind::ReviewDecisionSla => EventKind::SlaBreached {
            sla: Sla::ReviewDecision,
            due: timer.due,
        },
        TimerKind::DisputeSla => EventKind::SlaBreached {
            sla: Sla::DisputeResolution,
            due: timer.due,
        },
        TimerKind::PartnerResponseReminder => EventKind::ResponseReminderDue {
            partner_response_due: claim.deadlines.partner_response_due.unwrap_or(timer.due),
        },
        TimerKind::PartnerResponseWindow => EventKind::ResponseWindowPassed,
        TimerKind::ConsentWindow => EventKind::ConsentWindowPassed {
            expires_at: expiry(claim, ctx),
        },
        TimerKind::SubscriptionEnd => match expiry(claim, ctx) {
            Some(later) if later > ctx.now => EventKind::ExpiryPostponed {
                expires_at: Some(later),
            },
            None if ctx.tenant.is_some_and(|t| {
                claim.fields.products.iter().any(|l| {
                    l.subscription_id
                        .and_then(|id| t.subscription(&id))
                        .is_some()
                })
            }) =>
            {
                // A subscription lost its end date (renewed without end): no expiry.
                EventKind::ExpiryPostponed { expires_at: None }
            }
            _ => EventKind::AssociationExpired,
        },
    };
    Ok(Decision::one(event))
}
