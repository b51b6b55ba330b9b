//! The timers a claim's state asks for. They are a function of the state: after every
//! change the store replaces the claim's pending timers with [`Claim::timers`], so a
//! timer whose claim moved on is simply gone, and one that fires runs a system command
//! that `decide` checks again.

use super::{Claim, Phase, Sla, Status};
use crate::string_enum;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

string_enum!(
    /// What happens when a timer is due.
    TimerKind, "timer", "timer" {
        /// The review pickup SLA passed: reported, no change of status.
        ReviewPickupSla = "review_pickup_sla",
        /// The review decision SLA passed: reported, no change of status.
        ReviewDecisionSla = "review_decision_sla",
        /// A business day before the partner response window ends: the partner is reminded.
        PartnerResponseReminder = "partner_response_reminder",
        /// The partner response window passed: rejected (`no_partner_response`).
        PartnerResponseWindow = "partner_response_window",
        /// The customer consent window passed: the association becomes active.
        ConsentWindow = "consent_window",
        /// The claimed subscriptions' end dates passed: the association expires.
        SubscriptionEnd = "subscription_end",
        /// Support's dispute SLA passed: reported.
        DisputeSla = "dispute_sla",
    }
);

/// A due time the store must schedule for a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Timer {
    pub kind: TimerKind,
    pub due: Timestamp,
}

impl Claim {
    /// The timers the claim's current state asks for.
    pub fn timers(&self) -> Vec<Timer> {
        let mut out = Vec::new();
        let mut add = |kind, due: Option<Timestamp>| {
            if let Some(due) = due {
                out.push(Timer { kind, due });
            }
        };
        let d = &self.deadlines;
        match (self.status, self.phase) {
            (Status::Submitted, _) if !self.breached.contains(&Sla::ReviewPickup) => {
                add(TimerKind::ReviewPickupSla, d.review_pickup_due)
            }
            (Status::UnderReview, _) if !self.breached.contains(&Sla::ReviewDecision) => {
                add(TimerKind::ReviewDecisionSla, d.review_decision_due)
            }
            (Status::PartnerActionRequired, _) => {
                if !self.reminder_sent {
                    add(
                        TimerKind::PartnerResponseReminder,
                        d.partner_response_reminder,
                    );
                }
                add(TimerKind::PartnerResponseWindow, d.partner_response_due);
            }
            (Status::Approved, Some(Phase::ConsentPending)) => {
                add(TimerKind::ConsentWindow, d.consent_window_end)
            }
            (Status::Approved, Some(Phase::Active)) => {
                add(TimerKind::SubscriptionEnd, self.association_expires_at)
            }
            (Status::Rejected, _) => {
                if let Some(dispute) = self.open_dispute().filter(|d| !d.sla_breached) {
                    add(TimerKind::DisputeSla, Some(dispute.due));
                }
            }
            _ => {}
        }
        out.sort();
        out
    }
}
