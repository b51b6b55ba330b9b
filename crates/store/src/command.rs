//! How a command runs, the same on both backends: check the idempotency key, load the
//! claim and its version, load the context, let the domain decide ([`execute`]), then
//! write every change: key releases first, then events, rows, key takes, timers and
//! e-mails, the job's completion and the idempotency record. The backend runs all of it
//! in one transaction.

use crate::{CommandOutcome, CommandRequest, JobKind, Result, StoreError, WebhookEndpoint};
use cpor_domain::claim::Context;
use cpor_domain::claim::{
    Claim, Command, Event, Notification, Recipient, Template, Timer, arbitration_opened,
    to_partner, to_reviewer,
};
use cpor_domain::eligibility::{EligibilityChange, eligibility_changes};
use cpor_domain::execute::execute;
use cpor_domain::jiff::Timestamp;
use cpor_domain::keys::{AssociationKey, KeyHolder};
use cpor_domain::poe::PoeFile;
use cpor_domain::reference::{Organisation, Reference, TenantRecord};
use cpor_domain::values::{ClaimId, Email, OrgId, TenantId, UserId};
use cpor_domain::webhook::{Message, messages};
use std::collections::BTreeMap;

/// A recorded idempotent request.
pub struct IdempotencyRecord {
    pub request_hash: String,
    pub claim_id: ClaimId,
    pub version: u64,
    pub created: bool,
}

/// The reads and writes of one command's transaction.
#[allow(async_fn_in_trait)]
pub trait CommandTx {
    async fn idempotency(&mut self, scope: &str, key: &str) -> Result<Option<IdempotencyRecord>>;
    async fn save_idempotency(
        &mut self,
        scope: &str,
        key: &str,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<()>;
    /// The claim as it was at `version` (rebuilt from its events).
    async fn claim_at(&mut self, id: ClaimId, version: u64) -> Result<Option<Claim>>;
    /// The claim, locked for the rest of the transaction where the backend needs it.
    async fn load_claim(&mut self, id: ClaimId) -> Result<Option<Claim>>;
    async fn organisation(&mut self, id: OrgId) -> Result<Option<Organisation>>;
    async fn tenant(&mut self, id: TenantId) -> Result<Option<TenantRecord>>;
    async fn holders(&mut self, tenant: TenantId) -> Result<Vec<KeyHolder>>;
    async fn append_events(&mut self, events: &[Event]) -> Result<()>;
    async fn insert_claim(&mut self, claim: &Claim) -> Result<()>;
    async fn update_claim(&mut self, claim: &Claim) -> Result<()>;
    async fn delete_claim(&mut self, id: ClaimId) -> Result<()>;
    async fn release_key(&mut self, key: &AssociationKey, holder: ClaimId) -> Result<()>;
    /// Takes a key; a key already held is a [`StoreError::Conflict`]-class refusal.
    async fn take_key(
        &mut self,
        key: &AssociationKey,
        holder: ClaimId,
        org: OrgId,
        now: Timestamp,
    ) -> Result<()>;
    async fn replace_timers(
        &mut self,
        claim: ClaimId,
        timers: &[Timer],
        now: Timestamp,
    ) -> Result<()>;
    /// Queues a job (an e-mail, a file removal) due at `now`. Timers go through
    /// [`CommandTx::replace_timers`].
    async fn enqueue_job(&mut self, job: &JobKind, now: Timestamp) -> Result<()>;
    async fn save_poe(&mut self, claim: ClaimId, poe: &PoeFile) -> Result<()>;
    async fn delete_poe(&mut self, poe: cpor_domain::values::PoeId) -> Result<()>;
    async fn save_comment(&mut self, event: &Event) -> Result<()>;
    /// Marks a job done as part of the command that carried it out; for an e-mail job,
    /// forgets the consent link's secret it carried.
    async fn complete_job(&mut self, id: i64, now: Timestamp, outcome: &str) -> Result<()>;
    /// A user's e-mail address, for e-mails to operators' users.
    async fn user_email(&mut self, id: UserId) -> Result<Option<Email>>;
    /// Appends the command's eligibility changes to the feed, numbered in commit order,
    /// and moves the keys' periods of eligibility. Called last, so that a backend that
    /// must serialise the numbering holds its lock only until the commit.
    async fn record_eligibility(&mut self, changes: &[EligibilityChange]) -> Result<()>;
    /// Every webhook endpoint: a disabled one's messages wait for it to be enabled.
    async fn webhook_endpoints(&mut self) -> Result<Vec<WebhookEndpoint>>;
    /// Queues one message to one endpoint, due at `now`.
    async fn enqueue_delivery(
        &mut self,
        endpoint: &WebhookEndpoint,
        message: &Message,
        message_id: &str,
        now: Timestamp,
    ) -> Result<()>;
}

/// Runs `request` in `tx`.
pub async fn run<T: CommandTx>(
    tx: &mut T,
    request: &CommandRequest,
    reference: &Reference,
) -> Result<CommandOutcome> {
    if let Some(idem) = &request.idempotency
        && let Some(rec) = tx.idempotency(&idem.scope, &idem.key).await?
    {
        // The hash covers the method, the path (with the claim's id) and the body; a
        // retried creation answers the claim the first request created.
        if rec.request_hash != idem.request_hash {
            return Err(StoreError::IdempotencyMismatch);
        }
        return Ok(CommandOutcome {
            claim: tx.claim_at(rec.claim_id, rec.version).await?,
            events: Vec::new(),
            replayed: true,
            created: rec.created,
        });
    }

    let claim = tx.load_claim(request.claim_id).await?;
    cpor_domain::claim::authorize(claim.as_ref(), &request.command, &request.actor)?;
    if let (Some(c), Some(expected)) = (&claim, request.expected_version)
        && c.etag != expected
    {
        return Err(StoreError::VersionMismatch { current: c.etag });
    }
    let org_id = match (&claim, &request.command) {
        (Some(c), _) => Some(c.org_id),
        (None, Command::Create { org_id, .. }) => Some(*org_id),
        (None, _) => None,
    };
    let tenant_id = match &request.command {
        Command::Create { fields, .. } | Command::Edit(fields) if fields.tenant_id.is_some() => {
            fields.tenant_id
        }
        _ => claim.as_ref().map(|c| c.fields.tenant_id),
    };
    let organisation = match org_id {
        Some(id) => tx.organisation(id).await?,
        None => None,
    };
    let (tenant, holders) = match tenant_id {
        Some(t) => (tx.tenant(t).await?, tx.holders(t).await?),
        None => (None, Vec::new()),
    };
    let mut others = BTreeMap::new();
    if request.command.needs_holder_claims() {
        for h in &holders {
            if h.claim_id != request.claim_id
                && !others.contains_key(&h.claim_id)
                && let Some(c) = tx.load_claim(h.claim_id).await?
            {
                others.insert(c.id, c);
            }
        }
    }
    let ctx = Context {
        now: request.now,
        actor: &request.actor,
        reference,
        organisation: organisation.as_ref(),
        tenant: tenant.as_ref(),
        holders: &holders,
    };
    let changes = execute(claim.as_ref(), &request.command, &ctx, &others)?;

    for ch in &changes {
        for key in &ch.keys_released {
            tx.release_key(key, ch.claim_id).await?;
        }
    }
    for ch in &changes {
        if ch.is_noop() {
            continue;
        }
        tx.append_events(&ch.events).await?;
        match (&ch.before, &ch.after) {
            (None, Some(after)) => tx.insert_claim(after).await?,
            (Some(_), Some(after)) => tx.update_claim(after).await?,
            (_, None) => tx.delete_claim(ch.claim_id).await?,
        }
        if let Some(after) = &ch.after {
            for key in &ch.keys_taken {
                tx.take_key(key, ch.claim_id, after.org_id, request.now)
                    .await?;
            }
        }
        if let Some(timers) = &ch.timers {
            tx.replace_timers(ch.claim_id, timers, request.now).await?;
        }
        for n in &ch.notifications {
            tx.enqueue_job(&JobKind::Email(n.clone()), request.now)
                .await?;
        }
        let remove_file = |poe_id| JobKind::RemovePoeFile {
            claim_id: ch.claim_id,
            poe_id,
        };
        for e in &ch.events {
            use cpor_domain::claim::EventKind;
            match &e.kind {
                EventKind::PoeAdded { poe } => {
                    tx.save_poe(ch.claim_id, poe).await?;
                    let read = JobKind::ReadPoe {
                        claim_id: ch.claim_id,
                        poe_id: poe.id,
                    };
                    tx.enqueue_job(&read, request.now).await?;
                }
                EventKind::PoeRemoved { poe_id, .. } => {
                    tx.delete_poe(*poe_id).await?;
                    tx.enqueue_job(&remove_file(*poe_id), request.now).await?;
                }
                EventKind::CommentAdded { .. } => tx.save_comment(e).await?,
                // The claim's rows are gone (delete_claim ran above); its files go by job.
                EventKind::Deleted => {
                    for p in ch.before.iter().flat_map(|c| &c.poe) {
                        tx.enqueue_job(&remove_file(p.id), request.now).await?;
                    }
                }
                _ => {}
            }
        }
    }
    // The e-mails whose addresses the domain cannot know: to a reviewer (a claim taken
    // over from them, a partner's comment on their claim), and to the partner whose
    // association an arbitration is about.
    for ch in &changes {
        let Some(after) = &ch.after else { continue };
        for e in &ch.events {
            if let Some((reviewer, template)) = to_reviewer(after, e)
                && let Some(to) = tx.user_email(reviewer).await?
            {
                let n = Notification {
                    claim_id: ch.claim_id,
                    template,
                    recipient: Recipient::Reviewer,
                    to,
                    consent_secret: None,
                    as_of: e.seq,
                };
                tx.enqueue_job(&JobKind::Email(n), request.now).await?;
            }
            let rivals = arbitration_opened(after, e, &holders, &reference.programs);
            if rivals.is_empty() {
                continue;
            }
            if let Some(n) = to_partner(after, Template::ArbitrationOpened, e.seq) {
                tx.enqueue_job(&JobKind::Email(n), request.now).await?;
            }
            for rival in rivals {
                if let Some(held) = tx.load_claim(rival).await?
                    && held.holds_keys()
                    && let Some(n) = to_partner(&held, Template::ArbitrationOpened, held.version)
                {
                    tx.enqueue_job(&JobKind::Email(n), request.now).await?;
                }
            }
        }
    }
    let eligibility: Vec<EligibilityChange> = changes
        .iter()
        .flat_map(|ch| eligibility_changes(ch.before.as_ref(), &ch.events, &reference.programs))
        .collect();
    if changes.iter().any(|ch| !ch.events.is_empty()) {
        let endpoints = tx.webhook_endpoints().await?;
        if !endpoints.is_empty() {
            for ch in &changes {
                let Some(org) = ch.after.as_ref().or(ch.before.as_ref()).map(|c| c.org_id) else {
                    continue;
                };
                let mine: Vec<EligibilityChange> = eligibility
                    .iter()
                    .filter(|e| e.claim_id == ch.claim_id)
                    .cloned()
                    .collect();
                for m in messages(org, &ch.events, &mine) {
                    let id = message_id(&m);
                    for e in endpoints.iter().filter(|e| e.wants(&m.event_type, org)) {
                        tx.enqueue_delivery(e, &m, &id, request.now).await?;
                    }
                }
            }
        }
    }
    if let Some(job) = request.job_id {
        tx.complete_job(job, request.now, request.command.name())
            .await?;
    }
    if !eligibility.is_empty() {
        tx.record_eligibility(&eligibility).await?;
    }
    let target = changes.into_iter().next();
    let (after, events, created) = match target {
        Some(ch) => (ch.after, ch.events, ch.before.is_none()),
        None => (claim, Vec::new(), false),
    };
    if let Some(idem) = &request.idempotency {
        let record = IdempotencyRecord {
            request_hash: idem.request_hash.clone(),
            claim_id: request.claim_id,
            version: after.as_ref().map_or(0, |c| c.version),
            created,
        };
        tx.save_idempotency(&idem.scope, &idem.key, &record, request.now)
            .await?;
    }
    Ok(CommandOutcome {
        claim: after,
        events,
        replayed: false,
        created,
    })
}

/// The `webhook-id` of a message: the same for every endpoint and every attempt, and
/// derived from what it tells of (the claim's event), so it names that event for good.
fn message_id(m: &Message) -> String {
    format!(
        "msg_{}_{}_{}",
        m.claim_id.as_uuid().simple(),
        m.seq,
        m.event_type
    )
}

/// A key taken by a concurrent command: the caller reloads and tries again.
pub(crate) fn key_taken(key: &AssociationKey) -> StoreError {
    StoreError::Domain(cpor_domain::DomainError::conflict(
        "claim",
        format!(
            "The association {key} was taken by another claim at the same moment; reload and try again."
        ),
    ))
}
