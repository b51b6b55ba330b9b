//! The eligibility hand-off (docs/product.md, eligibility hand-off): what incentive
//! evaluation needs to hear of an association. An association counts from the moment its
//! consent window passes (`activated`) until it ends, expires or loses its last key to
//! another partner; meanwhile its keys can shrink (`keys_changed`) and its expiry move
//! (`expiry_postponed`). Consent-pending associations never reach the feed: they do not
//! count yet, and an opt-out during the window ends nothing that counted.

use crate::claim::{Claim, Event, EventKind, Phase, apply};
use crate::keys::AssociationKey;
use crate::reference::{Program, ProgramMap};
use crate::string_enum;
use crate::values::{ClaimId, MpnId, OrgId, TenantId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

string_enum!(
    /// What happened to an association's eligibility.
    ChangeKind, "type", "eligibility change" {
        /// The consent window passed: the association counts from `effective_from`.
        Activated = "activated",
        /// The customer opted out or an operator disassociated it.
        Ended = "ended",
        /// Its last subscription ended.
        Expired = "expired",
        /// Another partner's claim won its last keys in arbitration.
        Superseded = "superseded",
        /// The subscription end moved later: `expires_at` is the new date.
        ExpiryPostponed = "expiry_postponed",
        /// Another partner's claim won some of its keys: `keys` are those it keeps,
        /// `removed_keys` those that stop counting.
        KeysChanged = "keys_changed",
    }
);

/// One change of an association's eligibility, as the feed, the export and webhooks
/// carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibilityChange {
    #[serde(rename = "type")]
    pub kind: ChangeKind,
    pub claim_id: ClaimId,
    /// The claim event that made the change.
    pub event_seq: u64,
    pub at: Timestamp,
    #[serde(rename = "organisation_id")]
    pub org_id: OrgId,
    pub mpn_id: MpnId,
    pub tenant_id: TenantId,
    pub programs: Vec<Program>,
    /// The keys the association holds after the change; for an end, the keys that stop
    /// counting.
    pub keys: Vec<AssociationKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_keys: Vec<AssociationKey>,
    pub effective_from: Option<Timestamp>,
    /// When it stopped counting; none while it counts.
    pub effective_to: Option<Timestamp>,
    /// The planned end (the latest subscription's end), where there is one.
    pub expires_at: Option<Timestamp>,
    /// Why it ended: the reason code, or an operator's words for a disassociation.
    pub reason: Option<String>,
}

/// The eligibility changes `events` make to a claim that was `before`, in event order.
pub fn eligibility_changes(
    before: Option<&Claim>,
    events: &[Event],
    programs: &ProgramMap,
) -> Vec<EligibilityChange> {
    let mut out = Vec::new();
    let mut state = before.cloned();
    for e in events {
        let prev = state.clone();
        state = apply(state, e);
        let (Some(prev), Some(next)) = (prev, state.as_ref()) else {
            continue;
        };
        let was_active = prev.phase == Some(Phase::Active);
        let change = |kind, keys, removed_keys, effective_to, reason| EligibilityChange {
            kind,
            claim_id: next.id,
            event_seq: e.seq,
            at: e.at,
            org_id: next.org_id,
            mpn_id: next.fields.mpn_id.clone(),
            tenant_id: next.fields.tenant_id,
            programs: next.programs(programs),
            keys,
            removed_keys,
            effective_from: next.activated_at,
            effective_to,
            expires_at: next.association_expires_at,
            reason,
        };
        let first_reason = || next.reasons.first().map(|r| r.to_string());
        let found = match &e.kind {
            EventKind::ConsentWindowPassed { .. } if next.phase == Some(Phase::Active) => {
                Some(change(
                    ChangeKind::Activated,
                    next.held_keys(programs),
                    Vec::new(),
                    None,
                    None,
                ))
            }
            _ if !was_active => None,
            EventKind::ExpiryPostponed { .. } => Some(change(
                ChangeKind::ExpiryPostponed,
                next.held_keys(programs),
                Vec::new(),
                None,
                None,
            )),
            EventKind::Superseded { keys, last, .. } if !*last && !keys.is_empty() => Some(change(
                ChangeKind::KeysChanged,
                next.held_keys(programs),
                keys.clone(),
                None,
                None,
            )),
            _ if next.phase == Some(Phase::Active) => None,
            EventKind::Superseded { .. } => Some(change(
                ChangeKind::Superseded,
                prev.held_keys(programs),
                Vec::new(),
                Some(e.at),
                first_reason(),
            )),
            EventKind::AssociationExpired => Some(change(
                ChangeKind::Expired,
                prev.held_keys(programs),
                Vec::new(),
                Some(e.at),
                first_reason(),
            )),
            EventKind::Disassociated { reason } => Some(change(
                ChangeKind::Ended,
                prev.held_keys(programs),
                Vec::new(),
                Some(e.at),
                Some(reason.to_string()),
            )),
            EventKind::CustomerDeclined { .. } => Some(change(
                ChangeKind::Ended,
                prev.held_keys(programs),
                Vec::new(),
                Some(e.at),
                first_reason(),
            )),
            _ => None,
        };
        out.extend(found);
    }
    out
}
