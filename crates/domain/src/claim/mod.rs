//! The claim aggregate (docs/product.md: the claim, lifecycle): its state, the commands it
//! takes, the events it records, `decide` (command -> events) and `apply` (event -> state).

mod apply;
mod command;
mod decide;
mod dispute;
mod event;
mod fields;
mod notify;
mod patch;
mod reasons;
mod timers;
mod validate;

pub use apply::{apply, replay};
pub use command::{Command, ConsentSecret, DisputeInput, DisputeOutcome, Thread, hash_secret};
pub use decide::{Context, Decision, FollowUp, authorize, contested_keys, decide};
pub use dispute::{Dispute, DisputeStatus};
pub use event::{Event, EventKind, FieldChange, Sla};
pub use fields::{
    ClaimFields, ClaimInput, ClaimPatch, Contact, ContactInput, ContactLanguage, MAX_PRODUCTS,
    PartnerContact, ProductLine, ProductLineInput, Revenue, RevenueInput, field,
};
pub use notify::{
    DropReason, Notification, Recipient, Template, arbitration_opened, notifications, stale,
    to_partner, to_reviewer,
};
pub use patch::Patch;
pub use reasons::{ACTION_REASONS, REVIEW_REJECTION_REASONS, Reason, parse_reasons};
pub use timers::{Timer, TimerKind};
pub use validate::{Completeness, validate_fields};

use crate::keys::{AssociationKey, keys_of};
use crate::poe::PoeFile;
use crate::reference::{Program, ProgramMap};
use crate::string_enum;
use crate::values::{ClaimId, OrgId, UserId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

string_enum!(
    /// The statuses partners see (docs/product.md, lifecycle). Draft is shown as "Editing".
    Status, "status", "status" {
        Draft = "draft",
        Submitted = "submitted",
        UnderReview = "under_review",
        PartnerActionRequired = "partner_action_required",
        Approved = "approved",
        Rejected = "rejected",
    }
);

string_enum!(
    /// The association phase of an approved claim.
    Phase, "phase", "phase" {
        /// The customer's opt-out window is open.
        ConsentPending = "consent_pending",
        /// Sent for incentive eligibility evaluation.
        Active = "active",
        /// The claimed subscriptions have ended.
        Expired = "expired",
        /// Disassociated, declined by the customer after the window, or superseded.
        Ended = "ended",
    }
);

impl Phase {
    /// Whether the association holds its keys in this phase (docs/product.md, association
    /// keys: active or consent pending).
    pub fn holds_keys(self) -> bool {
        matches!(self, Phase::ConsentPending | Phase::Active)
    }
}

/// The deadlines shown with a claim; each is set while it runs and cleared when the claim
/// leaves the status it belongs to (the consent window's end stays, as a record of when
/// the association became official).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub review_pickup_due: Option<Timestamp>,
    pub review_decision_due: Option<Timestamp>,
    pub partner_response_due: Option<Timestamp>,
    /// One business day before `partner_response_due`: the partner is reminded then.
    pub partner_response_reminder: Option<Timestamp>,
    pub consent_window_end: Option<Timestamp>,
    /// When the running business-day window of the claim's status started (submission,
    /// start of review, resubmission, upheld dispute, request for information): a recount
    /// ([`Command::Recount`]) counts the window again from here on the current calendar
    /// and policy. Cleared with the review deadlines; none in states stored before it was
    /// kept (replaying the claim's events rebuilds it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_since: Option<Timestamp>,
}

/// The reviewer who took a claim, by id and by the name shown in queues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerRef {
    pub id: crate::values::UserId,
    pub name: String,
}

/// The customer's consent link of an approved claim: only a hash of its secret is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub token_hash: String,
    pub window_end: Timestamp,
}

/// A claim's current state: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: ClaimId,
    pub org_id: OrgId,
    pub created_by: Option<UserId>,
    pub fields: ClaimFields,
    pub status: Status,
    pub phase: Option<Phase>,
    /// Why the claim needs action, was rejected, or why its association ended or expired.
    pub reasons: Vec<Reason>,
    pub deadlines: Deadlines,
    /// SLAs already reported as breached in the current round, so each is reported once.
    pub breached: Vec<Sla>,
    pub reminder_sent: bool,
    pub poe: Vec<PoeFile>,
    pub disputes: Vec<Dispute>,
    pub consent: Option<Consent>,
    /// When an active Business Applications association expires: the end of the last
    /// day of its latest-ending subscription.
    pub association_expires_at: Option<Timestamp>,
    /// When the association became active (its consent window passed): the start of its
    /// eligibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated_at: Option<Timestamp>,
    /// The claim that won arbitration for this claim's keys: for the operator only (see
    /// [`Claim::view_for`]).
    pub superseded_by: Option<ClaimId>,
    /// Claims whose associations this claim's approval ended: for the operator only.
    pub superseded: Vec<ClaimId>,
    /// Keys another partner's claim won in arbitration: this claim no longer holds them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost_keys: Vec<AssociationKey>,
    /// A reviewer's open question to this claim's partner during an arbitration over its
    /// keys (when it was asked); the association is unchanged meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arbitration_question: Option<Timestamp>,
    /// The reviewer working on the claim, if one took it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<ReviewerRef>,
    pub submitted_at: Option<Timestamp>,
    pub decided_at: Option<Timestamp>,
    pub rejected_at: Option<Timestamp>,
    pub created_at: Timestamp,
    /// When the claim last changed in a way its users see (background events such as a
    /// delivered e-mail or a breached SLA leave it).
    pub updated_at: Timestamp,
    /// The number of events: the claim's position in its history (the `seq` of its last
    /// event), which rebuilding it and idempotent replays go by.
    pub version: u64,
    /// The optimistic-concurrency token (`ETag`, `If-Match`): the `seq` of the last event
    /// that changed what a client can edit or act on. Background events leave it (see
    /// [`EventKind::is_background`]), so an editor is not refused for a change they
    /// could not see.
    pub etag: u64,
}

impl Claim {
    /// The claim as someone on `side` may see it: other organisations' claim ids
    /// (arbitration's winner and losers) are the operator's only.
    pub fn view_for(&self, side: crate::actor::Side) -> Claim {
        let mut c = self.clone();
        if side != crate::actor::Side::Operator {
            c.superseded_by = None;
            c.superseded.clear();
            // Which reviewer works on a claim is the operator's own business.
            c.reviewer = None;
        }
        c
    }

    /// The programs the claim counts for.
    pub fn programs(&self, map: &ProgramMap) -> Vec<Program> {
        map.programs(self.fields.solution_area, self.fields.activity)
            .map(<[Program]>::to_vec)
            .unwrap_or_default()
    }

    /// Every key the claim names, whether or not it holds them.
    pub fn keys(&self, map: &ProgramMap) -> Vec<AssociationKey> {
        keys_of(&self.fields, map)
    }

    /// The keys the claim holds now: all its keys while approved and consent pending or
    /// active, none otherwise.
    pub fn held_keys(&self, map: &ProgramMap) -> Vec<AssociationKey> {
        if self.holds_keys() {
            self.keys(map)
                .into_iter()
                .filter(|k| !self.lost_keys.contains(k))
                .collect()
        } else {
            Vec::new()
        }
    }

    pub fn holds_keys(&self) -> bool {
        self.status == Status::Approved && self.phase.is_some_and(Phase::holds_keys)
    }

    /// The current dispute, if the claim has one open or in progress.
    pub fn open_dispute(&self) -> Option<&Dispute> {
        self.disputes.last().filter(|d| d.status.is_open())
    }

    /// Whether a partner may still add proof of execution (docs/product.md, the claim):
    /// while editable, and to an open dispute.
    pub fn accepts_poe(&self) -> bool {
        matches!(
            self.status,
            Status::Draft | Status::Submitted | Status::PartnerActionRequired
        ) || (self.status == Status::Rejected && self.open_dispute().is_some())
            || self.arbitration_question.is_some()
    }
}
