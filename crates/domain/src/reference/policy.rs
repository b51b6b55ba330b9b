use serde::{Deserialize, Serialize};

/// The operator's configurable rules, with the defaults of docs/product.md, reference data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Business days a submitted claim may wait for a reviewer (SLA, reported when breached).
    pub review_pickup_days: u32,
    /// Business days a reviewer has to decide once review started (SLA, reported).
    pub review_decision_days: u32,
    /// Business days a partner has to answer a request for information (then: rejected).
    pub partner_response_days: u32,
    /// Calendar days the customer has to opt out after approval (then: active).
    pub consent_window_days: u32,
    /// Calendar days after a rejection during which the partner may dispute it.
    pub dispute_window_days: u32,
    /// Business days support has to resolve a dispute (SLA, reported).
    pub dispute_resolution_days: u32,
    pub poe_max_bytes: u64,
    pub poe_max_count: u32,
    /// The operator's IANA time zone, in which business days are counted.
    pub time_zone: String,
    /// Support's mailbox: told when a partner opens a dispute. Nobody is told without it.
    pub support_email: Option<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            review_pickup_days: 5,
            review_decision_days: 5,
            partner_response_days: 5,
            consent_window_days: 7,
            dispute_window_days: 30,
            dispute_resolution_days: 5,
            poe_max_bytes: 10 * 1024 * 1024,
            poe_max_count: 20,
            time_zone: "UTC".to_string(),
            support_email: None,
        }
    }
}
