//! What webhooks carry (docs/product.md, webhooks): each event of a claim as
//! `claim.<event type>` and each eligibility change as `association.<change>`, with the
//! data as the receiving side may see it (a partner's endpoint never learns another
//! partner's claim id, as in the API).

use crate::actor::Side;
use crate::claim::{Event, EventKind};
use crate::eligibility::{ChangeKind, EligibilityChange};
use crate::values::{ClaimId, OrgId};
use jiff::Timestamp;
use serde_json::json;

/// Events that are bookkeeping, not news: never sent.
fn is_sent(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::EmailSent { .. } | EventKind::EmailDropped { .. }
    )
}

/// Every event type an endpoint can subscribe to.
pub fn event_types() -> Vec<String> {
    EventKind::TYPE_NAMES
        .iter()
        .filter(|t| !matches!(**t, "email_sent" | "email_dropped"))
        .map(|t| format!("claim.{t}"))
        .chain(ChangeKind::ALL.iter().map(|k| format!("association.{k}")))
        .collect()
}

/// One message to the endpoints that subscribe to its type.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub claim_id: ClaimId,
    /// The claim event it tells of.
    pub seq: u64,
    pub org_id: OrgId,
    pub event_type: String,
    pub at: Timestamp,
    /// The body for an operator's endpoint and for a partner's.
    pub operator_body: serde_json::Value,
    pub partner_body: serde_json::Value,
}

impl Message {
    pub fn body_for(&self, side: Side) -> &serde_json::Value {
        match side {
            Side::Operator => &self.operator_body,
            _ => &self.partner_body,
        }
    }
}

fn body(event_type: &str, at: Timestamp, data: serde_json::Value) -> serde_json::Value {
    json!({"type": event_type, "timestamp": at.to_string(), "data": data})
}

/// The messages of a claim's `events` (of organisation `org_id`) and of the eligibility
/// changes they made, in that order.
pub fn messages(org_id: OrgId, events: &[Event], changes: &[EligibilityChange]) -> Vec<Message> {
    let mut out = Vec::new();
    for e in events.iter().filter(|e| is_sent(&e.kind)) {
        let event_type = format!("claim.{}", e.kind.type_name());
        let data = |side| {
            json!({
                "claim_id": e.claim_id.to_string(),
                "organisation_id": org_id.to_string(),
                "event": e.view_for(side),
            })
        };
        out.push(Message {
            claim_id: e.claim_id,
            seq: e.seq,
            org_id,
            at: e.at,
            operator_body: body(&event_type, e.at, data(Side::Operator)),
            partner_body: body(&event_type, e.at, data(Side::Partner)),
            event_type,
        });
    }
    for c in changes {
        let event_type = format!("association.{}", c.kind);
        let data = serde_json::to_value(c).unwrap_or_default();
        out.push(Message {
            claim_id: c.claim_id,
            seq: c.event_seq,
            org_id: c.org_id,
            at: c.at,
            operator_body: body(&event_type, c.at, data.clone()),
            partner_body: body(&event_type, c.at, data),
            event_type,
        });
    }
    out
}
