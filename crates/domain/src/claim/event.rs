//! What happened to a claim. The history a user sees *is* this list: each event says who
//! (actor and side), when, and what, with before and after values for edits.

use super::dispute::Dispute;
use super::{ClaimFields, DisputeOutcome, Reason, Thread};
use crate::actor::{Actor, Side};
use crate::poe::PoeFile;
use crate::string_enum;
use crate::values::{ClaimId, CommentBody, CommentId, Email, OrgId, PoeId, Reason as ReasonText};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

string_enum!(
    /// The service levels that are reported when breached (no automatic change).
    Sla, "sla", "SLA" {
        ReviewPickup = "review_pickup",
        ReviewDecision = "review_decision",
        DisputeResolution = "dispute_resolution",
    }
);

/// Supersessions recorded before keys moved one by one ended the whole association.
fn whole() -> bool {
    true
}

/// One field's change in an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// An event of a claim: its number in the claim's history, when, who, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub claim_id: ClaimId,
    /// 1 for the creation, then one more per event: the claim's version after it.
    pub seq: u64,
    pub at: Timestamp,
    pub actor: Actor,
    pub kind: EventKind,
}

impl Event {
    pub fn side(&self) -> Side {
        self.actor.side()
    }

    /// The event as someone on `side` may see it: only the operator sees the ids of other
    /// organisations' claims (the winner of an arbitration, the claims an approval
    /// superseded).
    pub fn view_for(&self, side: Side) -> Event {
        let mut e = self.clone();
        if side != Side::Operator {
            match &mut e.kind {
                EventKind::Superseded { by, .. } => *by = None,
                EventKind::Approved { superseded, .. } => superseded.clear(),
                EventKind::Taken { reviewer, previous } => {
                    reviewer.name = String::new();
                    *previous = None;
                }
                _ => {}
            }
        }
        e
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Created {
        org_id: OrgId,
        fields: ClaimFields,
    },
    Edited {
        changes: Vec<FieldChange>,
        /// The edit as applied (after subscription auto-selection), so replay needs no
        /// directory.
        fields: ClaimFields,
    },
    PoeAdded {
        poe: PoeFile,
    },
    PoeRemoved {
        poe_id: PoeId,
        file_name: String,
    },
    CommentAdded {
        comment_id: CommentId,
        thread: Thread,
        body: CommentBody,
    },
    Deleted,
    Submitted {
        review_pickup_due: Timestamp,
        comment: Option<CommentBody>,
    },
    ReviewStarted {
        review_decision_due: Timestamp,
        comment: Option<CommentBody>,
    },
    /// During an arbitration over this claim's keys, a reviewer asks its partner for more
    /// (reasons and a comment); status, association and keys stay as they are.
    ArbitrationInformationRequested {
        reasons: Vec<Reason>,
        comment: CommentBody,
    },
    /// The partner answered the arbitration question (documents added meanwhile).
    ArbitrationAnswered {
        comment: Option<CommentBody>,
    },
    /// A reviewer took the claim (over `previous`, if another reviewer had it).
    Taken {
        reviewer: super::ReviewerRef,
        previous: Option<crate::values::UserId>,
    },
    InformationRequested {
        reasons: Vec<Reason>,
        comment: CommentBody,
        partner_response_due: Timestamp,
        /// One business day before the window ends; none when the window is one day.
        reminder_due: Option<Timestamp>,
    },
    Resubmitted {
        review_decision_due: Timestamp,
        comment: Option<CommentBody>,
    },
    Approved {
        comment: Option<CommentBody>,
        consent_window_end: Timestamp,
        /// SHA-256 of the customer's link secret; never shown.
        consent_token_hash: String,
        /// The holders of the claim's keys whose associations this approval ends.
        superseded: Vec<ClaimId>,
    },
    Rejected {
        reasons: Vec<Reason>,
        comment: CommentBody,
    },
    /// The partner withdrew the claim: rejected (`partner_request`).
    Withdrawn {
        comment: Option<CommentBody>,
    },
    /// The partner response window passed: rejected (`no_partner_response`).
    ResponseWindowPassed,
    /// A business day before the response window ends.
    ResponseReminderDue {
        partner_response_due: Timestamp,
    },
    /// The customer opted out through their link: rejected during the consent window,
    /// association ended after it.
    CustomerDeclined {
        during_window: bool,
    },
    /// The consent window passed: the association is active.
    ConsentWindowPassed {
        expires_at: Option<Timestamp>,
    },
    AssociationExpired,
    /// The subscription end timer fired but the directory now has a later end date.
    ExpiryPostponed {
        expires_at: Option<Timestamp>,
    },
    Disassociated {
        reason: ReasonText,
    },
    /// Another organisation's claim won arbitration for this claim's keys. `by` names it
    /// for the operator; [`Event::view_for`] drops it for everyone else (docs/product.md,
    /// association keys: the superseded partner never learns which claim won).
    /// Another partner's claim won arbitration for `keys`; the association ends only
    /// when no key is left (`last`). Events stored before keys moved one by one name no
    /// keys and ended the whole association.
    Superseded {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<ClaimId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        keys: Vec<crate::keys::AssociationKey>,
        #[serde(default = "whole")]
        last: bool,
    },
    SlaBreached {
        sla: Sla,
        due: Timestamp,
    },
    DisputeOpened {
        dispute: Dispute,
    },
    /// Support took the dispute, optionally saying what happens next (events recorded
    /// before the comment was kept have none).
    DisputeStarted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<CommentBody>,
    },
    DisputeResolved {
        outcome: DisputeOutcome,
        comment: CommentBody,
        /// Upheld: the claim is back under review with this decision deadline.
        review_decision_due: Option<Timestamp>,
    },
    EmailSent {
        template: super::Template,
        to: Email,
    },
    /// A queued e-mail no longer applied when its turn came (its claim moved on, or the
    /// deadline it reminds of passed or moved): dropped, never sent.
    EmailDropped {
        template: super::Template,
        to: Email,
        why: super::DropReason,
    },
    /// The holidays or the policy changed: the running business-day deadlines, counted
    /// again from when they started, are now these (each as the claim's `deadlines`
    /// field of the same name; none when not running).
    DeadlinesRecounted {
        review_pickup_due: Option<Timestamp>,
        review_decision_due: Option<Timestamp>,
        partner_response_due: Option<Timestamp>,
        partner_response_reminder: Option<Timestamp>,
    },
}

impl EventKind {
    /// Every type name [`EventKind::type_name`] gives (for those who put them in words).
    pub const TYPE_NAMES: &'static [&'static str] = &[
        "created",
        "edited",
        "poe_added",
        "poe_removed",
        "comment_added",
        "deleted",
        "submitted",
        "review_started",
        "taken",
        "arbitration_answered",
        "information_requested",
        "resubmitted",
        "approved",
        "rejected",
        "withdrawn",
        "response_window_passed",
        "response_reminder_due",
        "customer_declined",
        "consent_window_passed",
        "association_expired",
        "expiry_postponed",
        "disassociated",
        "superseded",
        "sla_breached",
        "dispute_opened",
        "dispute_started",
        "dispute_resolved",
        "email_sent",
        "email_dropped",
        "deadlines_recounted",
        "arbitration_information_requested",
    ];

    /// The event's type name, as the history shows it.
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::Created { .. } => "created",
            EventKind::Edited { .. } => "edited",
            EventKind::PoeAdded { .. } => "poe_added",
            EventKind::PoeRemoved { .. } => "poe_removed",
            EventKind::CommentAdded { .. } => "comment_added",
            EventKind::Deleted => "deleted",
            EventKind::Submitted { .. } => "submitted",
            EventKind::ReviewStarted { .. } => "review_started",
            EventKind::Taken { .. } => "taken",
            EventKind::ArbitrationInformationRequested { .. } => {
                "arbitration_information_requested"
            }
            EventKind::ArbitrationAnswered { .. } => "arbitration_answered",
            EventKind::InformationRequested { .. } => "information_requested",
            EventKind::Resubmitted { .. } => "resubmitted",
            EventKind::Approved { .. } => "approved",
            EventKind::Rejected { .. } => "rejected",
            EventKind::Withdrawn { .. } => "withdrawn",
            EventKind::ResponseWindowPassed => "response_window_passed",
            EventKind::ResponseReminderDue { .. } => "response_reminder_due",
            EventKind::CustomerDeclined { .. } => "customer_declined",
            EventKind::ConsentWindowPassed { .. } => "consent_window_passed",
            EventKind::AssociationExpired => "association_expired",
            EventKind::ExpiryPostponed { .. } => "expiry_postponed",
            EventKind::Disassociated { .. } => "disassociated",
            EventKind::Superseded { .. } => "superseded",
            EventKind::SlaBreached { .. } => "sla_breached",
            EventKind::DisputeOpened { .. } => "dispute_opened",
            EventKind::DisputeStarted { .. } => "dispute_started",
            EventKind::DisputeResolved { .. } => "dispute_resolved",
            EventKind::EmailSent { .. } => "email_sent",
            EventKind::EmailDropped { .. } => "email_dropped",
            EventKind::DeadlinesRecounted { .. } => "deadlines_recounted",
        }
    }

    /// Whether the event only records something that happened around the claim (an
    /// e-mail delivered or dropped, an SLA breached, the partner's reminder sent, deadlines recounted
    /// after a calendar or policy change) without changing anything a client edits or
    /// acts on: such an event does not move the claim's `etag`, nor (except a recount,
    /// see [`EventKind::moves_updated_at`]) its `updated_at`. When adding an event kind,
    /// decide here.
    pub fn is_background(&self) -> bool {
        match self {
            EventKind::EmailSent { .. }
            | EventKind::EmailDropped { .. }
            | EventKind::SlaBreached { .. }
            | EventKind::ResponseReminderDue { .. }
            | EventKind::DeadlinesRecounted { .. } => true,
            EventKind::Created { .. }
            | EventKind::Edited { .. }
            | EventKind::PoeAdded { .. }
            | EventKind::PoeRemoved { .. }
            | EventKind::CommentAdded { .. }
            | EventKind::Deleted
            | EventKind::Submitted { .. }
            | EventKind::ReviewStarted { .. }
            | EventKind::Taken { .. }
            | EventKind::ArbitrationInformationRequested { .. }
            | EventKind::ArbitrationAnswered { .. }
            | EventKind::InformationRequested { .. }
            | EventKind::Resubmitted { .. }
            | EventKind::Approved { .. }
            | EventKind::Rejected { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::ResponseWindowPassed
            | EventKind::CustomerDeclined { .. }
            | EventKind::ConsentWindowPassed { .. }
            | EventKind::AssociationExpired
            | EventKind::ExpiryPostponed { .. }
            | EventKind::Disassociated { .. }
            | EventKind::Superseded { .. }
            | EventKind::DisputeOpened { .. }
            | EventKind::DisputeStarted { .. }
            | EventKind::DisputeResolved { .. } => false,
        }
    }

    /// Whether the event moves the claim's `updated_at` (its last change users see): every
    /// event that is not background, and a recount of deadlines, because partners see
    /// the due dates move (while their `If-Match` stays good: the `etag` stays).
    pub fn moves_updated_at(&self) -> bool {
        !self.is_background() || matches!(self, EventKind::DeadlinesRecounted { .. })
    }

    /// The event's details as users may see them: its JSON without the type tag and
    /// without secrets (the consent link's hash).
    pub fn public_details(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(obj) = v.as_object_mut() {
            obj.remove("type");
            obj.remove("consent_token_hash");
        }
        v
    }

    /// The deadlines this event starts, each of which must be after the event.
    pub fn started_deadlines(&self) -> Vec<Timestamp> {
        match self {
            EventKind::Submitted {
                review_pickup_due, ..
            } => vec![*review_pickup_due],
            EventKind::ReviewStarted {
                review_decision_due,
                ..
            }
            | EventKind::Resubmitted {
                review_decision_due,
                ..
            } => vec![*review_decision_due],
            EventKind::InformationRequested {
                partner_response_due,
                reminder_due,
                ..
            } => reminder_due
                .iter()
                .copied()
                .chain([*partner_response_due])
                .collect(),
            EventKind::Approved {
                consent_window_end, ..
            } => vec![*consent_window_end],
            EventKind::DisputeOpened { dispute } => vec![dispute.due],
            EventKind::DisputeResolved {
                review_decision_due: Some(d),
                ..
            } => vec![*d],
            _ => Vec::new(),
        }
    }
}
