//! A claim in words, for lists and pages: what the templates show, computed once.

use crate::web::i18n::I18n;
use cpor_domain::claim::{Claim, Status};
use cpor_domain::jiff::Timestamp;
use cpor_domain::reference::Reference;

/// One row of the list.
pub struct ClaimRow {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub tenant_id: String,
    pub solution_area: String,
    pub products: String,
    pub status: String,
    pub status_code: &'static str,
    pub phase: Option<String>,
    pub next_deadline: Option<String>,
    pub updated: String,
}

impl ClaimRow {
    pub fn of(c: &Claim, reference: &Reference, i: &I18n) -> ClaimRow {
        ClaimRow {
            id: c.id.to_string(),
            name: c.fields.name.to_string(),
            domain: c.fields.domain.to_unicode(),
            tenant_id: c.fields.tenant_id.to_string(),
            solution_area: i.code("solution-area", c.fields.solution_area.as_str()),
            products: products(c, reference),
            status: status_words(c.status, i),
            status_code: c.status.as_str(),
            phase: c.phase.map(|p| i.code("phase", p.as_str())),
            next_deadline: next_deadline(c).map(|(key, t)| i.ta(key, &[("when", i.datetime(t))])),
            updated: i.datetime(c.updated_at),
        }
    }
}

/// The claim's products by name, with their subscriptions.
pub fn products(c: &Claim, reference: &Reference) -> String {
    c.fields
        .products
        .iter()
        .map(|l| {
            let name = reference.catalog.name_of(&l.product).to_string();
            match l.subscription_id {
                Some(s) => format!("{name} ({s})"),
                None => name,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A status in words; a draft is shown as "Editing", as partners know it.
pub fn status_words(s: Status, i: &I18n) -> String {
    i.code("status", s.as_str())
}

/// The deadline the claim stands by now, with the message key that names it.
pub fn next_deadline(c: &Claim) -> Option<(&'static str, Timestamp)> {
    let d = &c.deadlines;
    [
        ("deadline-partner-response", d.partner_response_due),
        ("deadline-consent-window", d.consent_window_end),
        ("deadline-review-decision", d.review_decision_due),
        ("deadline-review-pickup", d.review_pickup_due),
    ]
    .into_iter()
    .find_map(|(k, t)| t.map(|t| (k, t)))
}
