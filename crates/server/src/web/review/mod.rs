//! The operator's queues: claims waiting for a reviewer, oldest due first, each with its
//! service level in words, whether another partner holds one of its keys, and filters.

pub mod disputes;
pub mod queue;

use cpor_domain::values::OrgId;
use std::collections::HashMap;

/// Every organisation's name by id, for queues that list several partners' claims.
pub async fn organisation_names(
    app: &crate::state::App,
) -> Result<HashMap<OrgId, String>, cpor_store::StoreError> {
    Ok(app
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, o.name.to_string()))
        .collect())
}

/// The position a queue's `cursor` names: a due time and a claim id.
pub fn queue_cursor(
    raw: Option<&str>,
) -> Option<(cpor_domain::jiff::Timestamp, cpor_domain::values::ClaimId)> {
    use crate::request::page::{self, TimeAndId};
    let mut errors = Vec::new();
    page::decode::<TimeAndId<cpor_domain::values::ClaimId>>(raw, &mut errors)
        .map(|TimeAndId(t, id)| (t, id))
}
