//! The one way a request changes a claim: build the command request, run it through the
//! store (which lets the domain decide in one transaction), and count the outcome.

use crate::error::ApiResult;
use crate::metrics;
use crate::state::App;
use cpor_domain::Actor;
use cpor_domain::claim::Command;
use cpor_domain::values::ClaimId;
use cpor_store::{CommandOutcome, CommandRequest, Idempotency, StoreError};

/// Runs `command` on `claim_id` as `actor`, optionally based on a version and under an
/// idempotency key.
pub async fn run(
    app: &App,
    actor: Actor,
    claim_id: ClaimId,
    command: Command,
    expected_version: Option<u64>,
    idempotency: Option<Idempotency>,
) -> ApiResult<CommandOutcome> {
    let name = command.name();
    let mut req = CommandRequest::new(claim_id, command, actor, app.clock.now());
    req.expected_version = expected_version;
    req.idempotency = idempotency;
    match app.store.execute(req).await {
        Ok(o) => {
            metrics::command(name, if o.replayed { "replayed" } else { "ok" });
            Ok(o)
        }
        Err(e) => {
            metrics::command(
                name,
                match &e {
                    StoreError::Domain(_) => "refused",
                    StoreError::VersionMismatch { .. } | StoreError::IdempotencyMismatch => {
                        "conflict"
                    }
                    _ => "failed",
                },
            );
            Err(e.into())
        }
    }
}
