//! `apply`: folds an event into a claim's state. Total and pure, so replaying a claim's
//! events always rebuilds its state.

use super::dispute::DisputeStatus;
use super::{
    Claim, Consent, Deadlines, DisputeOutcome, Event, EventKind, Phase, Reason, Sla, Status,
};

/// The state after `event`. `None` before the creation and after a deletion.
pub fn apply(state: Option<Claim>, event: &Event) -> Option<Claim> {
    let mut c = match (state, &event.kind) {
        (None, EventKind::Created { org_id, fields }) => {
            return Some(Claim {
                id: event.claim_id,
                org_id: *org_id,
                created_by: event.actor.user_id(),
                fields: fields.clone(),
                status: Status::Draft,
                phase: None,
                reasons: Vec::new(),
                deadlines: Deadlines::default(),
                breached: Vec::new(),
                reminder_sent: false,
                poe: Vec::new(),
                disputes: Vec::new(),
                consent: None,
                association_expires_at: None,
                superseded_by: None,
                superseded: Vec::new(),
                lost_keys: Vec::new(),
                activated_at: None,
                arbitration_question: None,
                reviewer: None,
                submitted_at: None,
                decided_at: None,
                rejected_at: None,
                created_at: event.at,
                updated_at: event.at,
                version: event.seq,
                etag: event.seq,
            });
        }
        (_, EventKind::Deleted) => return None,
        (None, _) => return None,
        (Some(c), _) => c,
    };
    c.version = event.seq;
    if !event.kind.is_background() {
        c.etag = event.seq;
    }
    if event.kind.moves_updated_at() {
        c.updated_at = event.at;
    }
    let at = event.at;
    match &event.kind {
        EventKind::Created { .. } | EventKind::Deleted => {}
        EventKind::Edited { fields, .. } => c.fields = fields.clone(),
        EventKind::PoeAdded { poe } => {
            if let Some(d) = c.disputes.last_mut().filter(|d| d.status.is_open()) {
                d.add_poe(poe);
            }
            c.poe.push(poe.clone());
        }
        EventKind::PoeRemoved { poe_id, .. } => c.poe.retain(|p| &p.id != poe_id),
        EventKind::CommentAdded { .. }
        | EventKind::EmailSent { .. }
        | EventKind::EmailDropped { .. } => {}
        EventKind::Submitted {
            review_pickup_due, ..
        } => {
            c.status = Status::Submitted;
            c.submitted_at = Some(at);
            c.breached.clear();
            c.deadlines.review_pickup_due = Some(*review_pickup_due);
            c.deadlines.running_since = Some(at);
        }
        EventKind::ReviewStarted {
            review_decision_due,
            ..
        } => {
            under_review(&mut c, *review_decision_due, at);
        }
        EventKind::Taken { reviewer, .. } => c.reviewer = Some(reviewer.clone()),
        EventKind::ArbitrationInformationRequested { .. } => c.arbitration_question = Some(at),
        EventKind::ArbitrationAnswered { .. } => c.arbitration_question = None,
        EventKind::InformationRequested {
            reasons,
            partner_response_due,
            reminder_due,
            ..
        } => {
            c.status = Status::PartnerActionRequired;
            c.reasons = reasons.clone();
            c.deadlines.review_decision_due = None;
            c.deadlines.partner_response_due = Some(*partner_response_due);
            c.deadlines.partner_response_reminder = *reminder_due;
            c.deadlines.running_since = Some(at);
            c.reminder_sent = false;
        }
        EventKind::Resubmitted {
            review_decision_due,
            ..
        } => under_review(&mut c, *review_decision_due, at),
        EventKind::Approved {
            consent_window_end,
            consent_token_hash,
            superseded,
            ..
        } => {
            clear_review_deadlines(&mut c);
            c.status = Status::Approved;
            c.phase = Some(Phase::ConsentPending);
            c.reasons.clear();
            c.decided_at = Some(at);
            c.deadlines.consent_window_end = Some(*consent_window_end);
            c.consent = Some(Consent {
                token_hash: consent_token_hash.clone(),
                window_end: *consent_window_end,
            });
            c.superseded = superseded.clone();
        }
        EventKind::Rejected { reasons, .. } => reject(&mut c, reasons.clone(), at),
        EventKind::Withdrawn { .. } => reject(&mut c, vec![Reason::PartnerRequest], at),
        EventKind::ResponseWindowPassed => reject(&mut c, vec![Reason::NoPartnerResponse], at),
        EventKind::ResponseReminderDue { .. } => c.reminder_sent = true,
        EventKind::CustomerDeclined {
            during_window: true,
        } => reject(&mut c, vec![Reason::CustomerDeclined], at),
        EventKind::CustomerDeclined {
            during_window: false,
        } => end(&mut c, Phase::Ended, Reason::CustomerDeclined),
        EventKind::ConsentWindowPassed { expires_at } => {
            c.phase = Some(Phase::Active);
            c.association_expires_at = *expires_at;
            c.activated_at = Some(at);
        }
        EventKind::ExpiryPostponed { expires_at } => c.association_expires_at = *expires_at,
        EventKind::AssociationExpired => end(&mut c, Phase::Expired, Reason::SubscriptionEnded),
        EventKind::Disassociated { .. } => end(&mut c, Phase::Ended, Reason::Disassociated),
        EventKind::Superseded { by, keys, last } => {
            c.lost_keys.extend(keys.iter().cloned());
            if *last {
                end(&mut c, Phase::Ended, Reason::Superseded);
            }
            c.superseded_by = *by;
        }
        EventKind::SlaBreached { sla, .. } => {
            if *sla == Sla::DisputeResolution
                && let Some(d) = c.disputes.last_mut()
            {
                d.sla_breached = true;
            }
            if !c.breached.contains(sla) {
                c.breached.push(*sla);
            }
        }
        EventKind::DisputeOpened { dispute } => c.disputes.push(dispute.clone()),
        EventKind::DisputeStarted { .. } => {
            if let Some(d) = c.disputes.last_mut() {
                d.status = DisputeStatus::InProgress;
            }
        }
        EventKind::DisputeResolved {
            outcome,
            comment,
            review_decision_due,
        } => {
            if let Some(d) = c.disputes.last_mut() {
                d.status = match outcome {
                    DisputeOutcome::Upheld => DisputeStatus::Upheld,
                    DisputeOutcome::Denied => DisputeStatus::Denied,
                };
                d.resolved_at = Some(at);
                d.resolution_comment = Some(comment.clone());
            }
            if let Some(due) = review_decision_due {
                under_review(&mut c, *due, at);
            }
        }
        EventKind::DeadlinesRecounted {
            review_pickup_due,
            review_decision_due,
            partner_response_due,
            partner_response_reminder,
        } => {
            c.deadlines.review_pickup_due = *review_pickup_due;
            c.deadlines.review_decision_due = *review_decision_due;
            c.deadlines.partner_response_due = *partner_response_due;
            c.deadlines.partner_response_reminder = *partner_response_reminder;
        }
    }
    Some(c)
}

fn clear_review_deadlines(c: &mut Claim) {
    c.deadlines.review_pickup_due = None;
    c.deadlines.review_decision_due = None;
    c.deadlines.partner_response_due = None;
    c.deadlines.partner_response_reminder = None;
    c.deadlines.running_since = None;
}

fn under_review(c: &mut Claim, decision_due: jiff::Timestamp, since: jiff::Timestamp) {
    clear_review_deadlines(c);
    c.deadlines.running_since = Some(since);
    c.status = Status::UnderReview;
    c.reasons.clear();
    c.breached.clear();
    c.deadlines.review_decision_due = Some(decision_due);
}

fn reject(c: &mut Claim, reasons: Vec<Reason>, at: jiff::Timestamp) {
    clear_review_deadlines(c);
    c.status = Status::Rejected;
    c.phase = None;
    c.reasons = reasons;
    c.rejected_at = Some(at);
    c.decided_at = Some(at);
    c.breached.clear();
}

fn end(c: &mut Claim, phase: Phase, reason: Reason) {
    c.phase = Some(phase);
    c.reasons = vec![reason];
}

/// Rebuilds a claim from its events.
pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Claim> {
    events.into_iter().fold(None, apply)
}
