//! Deadlines follow the calendar: after a holiday is added or removed, or the policy
//! changes, every claim with a running business-day deadline (submitted, under review,
//! partner action required) gets a `Recount` command from the system, which counts its
//! deadlines again from when they started and replaces its timers when a due time moved.

use crate::{ClaimQuery, CommandRequest, Result, Store, StoreError};
use cpor_domain::Actor;
use cpor_domain::claim::{Command, Status};
use cpor_domain::jiff::Timestamp;
use cpor_domain::values::ClaimId;

/// How many claims a page of the lookup reads.
const PAGE: u32 = 200;

/// Recounts the running deadlines of every claim that has one, on the store's current
/// reference data; how many claims' deadlines moved. Each claim is its own command (and
/// transaction): a claim that moved on meanwhile is decided on as it is then. A claim
/// whose command fails does not stop the others; the first such failure is returned once
/// all were tried.
pub async fn recount_deadlines(store: &dyn Store, now: Timestamp) -> Result<usize> {
    let ids = running(store).await?;
    let mut moved = 0;
    let mut failed: Option<StoreError> = None;
    for id in ids {
        let request = CommandRequest::new(id, Command::Recount, Actor::System, now);
        match store.execute(request).await {
            Ok(outcome) if !outcome.events.is_empty() => moved += 1,
            Ok(_) => {}
            // Gone since it was listed (a deleted draft cannot be running, but a claim
            // may be): nothing to recount.
            Err(StoreError::Domain(_)) => {}
            Err(e) => {
                tracing::warn!(claim = %id, error = %e, "recounting a claim's deadlines failed");
                failed.get_or_insert(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(moved),
    }
}

/// The claims with a running business-day deadline: the review queue (submitted and
/// under review) and the claims waiting for their partner's answer.
async fn running(store: &dyn Store) -> Result<Vec<ClaimId>> {
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = store.review_queue(after, PAGE).await?;
        ids.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let mut query = ClaimQuery {
        status: Some(Status::PartnerActionRequired),
        limit: PAGE,
        ..ClaimQuery::default()
    };
    loop {
        let page = store.claims(&query).await?;
        ids.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    Ok(ids)
}
