//! The claim's row: the columns lists filter and sort on, derived from its state, and
//! the state itself as JSON. Both backends write the same columns.

use cpor_domain::claim::{Claim, Status};
use cpor_domain::jiff::Timestamp;

/// Microseconds since the epoch: how times that are compared or sorted are stored.
pub fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn from_micros(us: i64) -> Timestamp {
    Timestamp::from_microsecond(us).unwrap_or(Timestamp::MAX)
}

pub struct ClaimRow {
    pub id: String,
    pub org_id: String,
    pub mpn_id: String,
    pub tenant_id: String,
    pub domain: String,
    pub name: String,
    /// What the name order compares: [`crate::name_key`] of the name.
    pub name_key: String,
    pub solution_area: &'static str,
    pub activity: &'static str,
    pub status: &'static str,
    pub phase: Option<&'static str>,
    /// The deadline the review queue sorts on: pickup for submitted, decision for
    /// under-review claims; none otherwise.
    pub queue_due: Option<i64>,
    /// The due time support's disputes queue sorts on: the latest dispute's, while it is
    /// open or in progress; none otherwise.
    pub dispute_due: Option<i64>,
    pub consent_token_hash: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub state: String,
    /// The product lines (`claim_products`): product and subscription ID, in order.
    pub products: Vec<(String, Option<String>)>,
}

impl ClaimRow {
    pub fn of(c: &Claim) -> Result<ClaimRow, serde_json::Error> {
        Ok(ClaimRow {
            id: c.id.to_string(),
            org_id: c.org_id.to_string(),
            mpn_id: c.fields.mpn_id.to_string(),
            tenant_id: c.fields.tenant_id.to_string(),
            domain: c.fields.domain.to_string(),
            name: c.fields.name.to_string(),
            name_key: crate::name_key(c.fields.name.as_str()),
            solution_area: c.fields.solution_area.as_str(),
            activity: c.fields.activity.as_str(),
            status: c.status.as_str(),
            phase: c.phase.map(|p| p.as_str()),
            queue_due: queue_due(c).map(micros),
            dispute_due: dispute_due(c).map(micros),
            consent_token_hash: c.consent.as_ref().map(|k| k.token_hash.clone()),
            version: c.version as i64,
            created_at: micros(c.created_at),
            updated_at: micros(c.updated_at),
            state: serde_json::to_string(c)?,
            products: c
                .fields
                .products
                .iter()
                .map(|l| {
                    (
                        l.product.to_string(),
                        l.subscription_id.map(|s| s.to_string()),
                    )
                })
                .collect(),
        })
    }
}

/// The deadline a claim sorts on in the review queue: pickup for submitted, decision for
/// under-review claims.
pub fn queue_due(c: &Claim) -> Option<Timestamp> {
    match c.status {
        Status::Submitted => c.deadlines.review_pickup_due,
        Status::UnderReview => c.deadlines.review_decision_due,
        _ => None,
    }
}

/// The deadline a claim sorts on in the disputes queue: its latest dispute's due time
/// while that dispute is open or in progress.
pub fn dispute_due(c: &Claim) -> Option<Timestamp> {
    c.open_dispute().map(|d| d.due)
}
