//! The command transaction on PostgreSQL. The claim row is locked (`FOR UPDATE`), so
//! commands on one claim serialise across processes; the primary key of
//! `association_keys` refuses a second holder whatever the interleaving.

use super::error::{col, is_unique_violation, map};
use super::queries;
use crate::WebhookEndpoint;
use crate::command::{CommandTx, IdempotencyRecord};
use crate::rows::{ClaimRow, micros};
use crate::{JobKind, Result, StoreError};
use cpor_domain::DomainError;
use cpor_domain::claim::{Claim, Event, EventKind, Timer, replay};
use cpor_domain::eligibility::EligibilityChange;
use cpor_domain::jiff::Timestamp;
use cpor_domain::keys::{AssociationKey, KeyHolder};
use cpor_domain::poe::PoeFile;
use cpor_domain::reference::{Organisation, TenantRecord};
use cpor_domain::values::{ClaimId, OrgId, PoeId, TenantId};
use cpor_domain::webhook::Message;
use sqlx::{Postgres, Transaction};

pub struct PgTx {
    pub tx: Transaction<'static, Postgres>,
}

impl CommandTx for PgTx {
    async fn idempotency(&mut self, scope: &str, key: &str) -> Result<Option<IdempotencyRecord>> {
        let r = sqlx::query("SELECT request_hash, claim_id, version, created FROM idempotency WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map)?;
        r.map(|r| {
            Ok(IdempotencyRecord {
                request_hash: col(&r, "request_hash")?,
                claim_id: crate::conv::parse("claim id", &col::<String>(&r, "claim_id")?)?,
                version: col::<i64>(&r, "version")? as u64,
                created: col(&r, "created")?,
            })
        })
        .transpose()
    }

    async fn save_idempotency(
        &mut self,
        scope: &str,
        key: &str,
        r: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO idempotency (scope, key, request_hash, claim_id, version, created, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(scope)
        .bind(key)
        .bind(&r.request_hash)
        .bind(r.claim_id.to_string())
        .bind(r.version as i64)
        .bind(r.created)
        .bind(micros(now))
        .execute(&mut *self.tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Domain(DomainError::conflict("Idempotency-Key", "The same request is running; try again."))
            } else {
                map(e)
            }
        })?;
        Ok(())
    }

    async fn claim_at(&mut self, id: ClaimId, version: u64) -> Result<Option<Claim>> {
        if version == 0 {
            return Ok(None);
        }
        let events = queries::events(&mut self.tx, id, 0, version as u32).await?;
        Ok(replay(&events))
    }

    async fn load_claim(&mut self, id: ClaimId) -> Result<Option<Claim>> {
        queries::claim(&mut self.tx, id, true).await
    }

    async fn organisation(&mut self, id: OrgId) -> Result<Option<Organisation>> {
        queries::organisation(&mut self.tx, id).await
    }

    async fn tenant(&mut self, id: TenantId) -> Result<Option<TenantRecord>> {
        queries::tenant(&mut self.tx, id).await
    }

    async fn holders(&mut self, tenant: TenantId) -> Result<Vec<KeyHolder>> {
        queries::holders(&mut self.tx, tenant).await
    }

    async fn append_events(&mut self, events: &[Event]) -> Result<()> {
        for e in events {
            sqlx::query("INSERT INTO claim_events (claim_id, seq, at, type, event) VALUES ($1, $2, $3, $4, $5)")
                .bind(e.claim_id.to_string())
                .bind(e.seq as i64)
                .bind(micros(e.at))
                .bind(e.kind.type_name())
                .bind(serde_json::to_string(e)?)
                .execute(&mut *self.tx)
                .await
                .map_err(|err| {
                    if is_unique_violation(&err) {
                        StoreError::Domain(DomainError::conflict("claim", "The claim changed at the same moment; try again."))
                    } else {
                        map(err)
                    }
                })?;
        }
        Ok(())
    }

    async fn insert_claim(&mut self, claim: &Claim) -> Result<()> {
        let r = ClaimRow::of(claim)?;
        sqlx::query(
            "INSERT INTO claims (id, org_id, mpn_id, tenant_id, domain, name, solution_area, activity, status,
                 phase, queue_due, consent_token_hash, version, created_at, updated_at, state, name_key, dispute_due)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )
        .bind(&r.id)
        .bind(r.org_id)
        .bind(r.mpn_id)
        .bind(r.tenant_id)
        .bind(r.domain)
        .bind(r.name)
        .bind(r.solution_area)
        .bind(r.activity)
        .bind(r.status)
        .bind(r.phase)
        .bind(r.queue_due)
        .bind(r.consent_token_hash)
        .bind(r.version)
        .bind(r.created_at)
        .bind(r.updated_at)
        .bind(r.state)
        .bind(r.name_key)
        .bind(r.dispute_due)
        .execute(&mut *self.tx)
        .await
        .map_err(map)?;
        insert_products(&mut self.tx, &r.id, r.products).await
    }

    async fn update_claim(&mut self, claim: &Claim) -> Result<()> {
        let r = ClaimRow::of(claim)?;
        let done = sqlx::query(
            "UPDATE claims SET mpn_id = $2, tenant_id = $3, domain = $4, name = $5, solution_area = $6,
                 activity = $7, status = $8, phase = $9, queue_due = $10, consent_token_hash = $11,
                 version = $12, updated_at = $13, state = $14, name_key = $15, dispute_due = $16
             WHERE id = $1",
        )
        .bind(&r.id)
        .bind(r.mpn_id)
        .bind(r.tenant_id)
        .bind(r.domain)
        .bind(r.name)
        .bind(r.solution_area)
        .bind(r.activity)
        .bind(r.status)
        .bind(r.phase)
        .bind(r.queue_due)
        .bind(r.consent_token_hash)
        .bind(r.version)
        .bind(r.updated_at)
        .bind(r.state)
        .bind(r.name_key)
        .bind(r.dispute_due)
        .execute(&mut *self.tx)
        .await
        .map_err(map)?;
        if done.rows_affected() != 1 {
            return Err(StoreError::internal_msg(format!(
                "claim {} vanished during its command",
                claim.id
            )));
        }
        sqlx::query("DELETE FROM claim_products WHERE claim_id = $1")
            .bind(&r.id)
            .execute(&mut *self.tx)
            .await
            .map_err(map)?;
        insert_products(&mut self.tx, &r.id, r.products).await
    }

    async fn delete_claim(&mut self, id: ClaimId) -> Result<()> {
        for sql in [
            "DELETE FROM claims WHERE id = $1",
            "DELETE FROM claim_products WHERE claim_id = $1",
            "DELETE FROM claim_events WHERE claim_id = $1",
            "DELETE FROM comments WHERE claim_id = $1",
            "DELETE FROM poe WHERE claim_id = $1",
            "DELETE FROM jobs WHERE claim_id = $1 AND done_at IS NULL AND kind IN ('timer', 'email')",
        ] {
            sqlx::query(sql)
                .bind(id.to_string())
                .execute(&mut *self.tx)
                .await
                .map_err(map)?;
        }
        Ok(())
    }

    async fn release_key(&mut self, key: &AssociationKey, holder: ClaimId) -> Result<()> {
        sqlx::query("DELETE FROM association_keys WHERE key = $1 AND claim_id = $2")
            .bind(key.as_string())
            .bind(holder.to_string())
            .execute(&mut *self.tx)
            .await
            .map_err(map)?;
        Ok(())
    }

    async fn take_key(
        &mut self,
        key: &AssociationKey,
        holder: ClaimId,
        org: OrgId,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO association_keys (key, tenant_id, claim_id, org_id, since, key_json) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(key.as_string())
        .bind(key.tenant_id.to_string())
        .bind(holder.to_string())
        .bind(org.to_string())
        .bind(micros(now))
        .bind(serde_json::to_string(key)?)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| if is_unique_violation(&e) { crate::command::key_taken(key) } else { map(e) })?;
        Ok(())
    }

    async fn replace_timers(
        &mut self,
        claim: ClaimId,
        timers: &[Timer],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM jobs WHERE claim_id = $1 AND kind = 'timer' AND done_at IS NULL")
            .bind(claim.to_string())
            .execute(&mut *self.tx)
            .await
            .map_err(map)?;
        for t in timers {
            let payload = serde_json::to_string(&JobKind::Timer {
                claim_id: claim,
                timer: t.kind,
            })?;
            sqlx::query("INSERT INTO jobs (kind, claim_id, timer, payload, due_at, created_at) VALUES ('timer', $1, $2, $3, $4, $5)")
                .bind(claim.to_string())
                .bind(t.kind.as_str())
                .bind(payload)
                .bind(micros(t.due))
                .bind(micros(now))
                .execute(&mut *self.tx)
                .await
                .map_err(map)?;
        }
        Ok(())
    }

    async fn enqueue_job(&mut self, job: &JobKind, now: Timestamp) -> Result<()> {
        sqlx::query("INSERT INTO jobs (kind, claim_id, payload, due_at, created_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(job.name())
            .bind(job.claim_id().to_string())
            .bind(serde_json::to_string(job)?)
            .bind(micros(now))
            .execute(&mut *self.tx)
            .await
            .map_err(map)?;
        Ok(())
    }

    async fn save_poe(&mut self, claim: ClaimId, p: &PoeFile) -> Result<()> {
        sqlx::query(
            "INSERT INTO poe (id, claim_id, file_name, kind, size, sha256, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(p.id.to_string())
        .bind(claim.to_string())
        .bind(&p.file_name)
        .bind(p.kind.as_str())
        .bind(p.size as i64)
        .bind(&p.sha256)
        .bind(micros(p.uploaded_at))
        .execute(&mut *self.tx)
        .await
        .map_err(map)?;
        Ok(())
    }

    async fn delete_poe(&mut self, poe: PoeId) -> Result<()> {
        sqlx::query("DELETE FROM poe WHERE id = $1")
            .bind(poe.to_string())
            .execute(&mut *self.tx)
            .await
            .map_err(map)?;
        Ok(())
    }

    async fn save_comment(&mut self, e: &Event) -> Result<()> {
        let EventKind::CommentAdded {
            comment_id,
            thread,
            body,
        } = &e.kind
        else {
            return Ok(());
        };
        sqlx::query("INSERT INTO comments (id, claim_id, thread, seq, at, author, body) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(comment_id.to_string())
            .bind(e.claim_id.to_string())
            .bind(thread.as_str())
            .bind(e.seq as i64)
            .bind(micros(e.at))
            .bind(serde_json::to_string(&e.actor)?)
            .bind(body.as_str())
            .execute(&mut *self.tx)
            .await
            .map_err(map)?;
        Ok(())
    }

    async fn complete_job(&mut self, id: i64, now: Timestamp, outcome: &str) -> Result<()> {
        complete_job(&mut self.tx, id, now, outcome).await
    }

    async fn record_eligibility(&mut self, changes: &[EligibilityChange]) -> Result<()> {
        super::eligibility::record(&mut self.tx, changes).await
    }

    async fn user_email(
        &mut self,
        id: cpor_domain::values::UserId,
    ) -> Result<Option<cpor_domain::values::Email>> {
        let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map)?;
        email.map(|e| crate::conv::parse_value(&e)).transpose()
    }

    async fn webhook_endpoints(&mut self) -> Result<Vec<WebhookEndpoint>> {
        super::webhooks::every(&mut self.tx).await
    }

    async fn enqueue_delivery(
        &mut self,
        endpoint: &WebhookEndpoint,
        message: &Message,
        message_id: &str,
        now: Timestamp,
    ) -> Result<()> {
        super::webhooks::enqueue(&mut self.tx, endpoint, message, message_id, now).await
    }
}

pub async fn complete_job(
    c: &mut sqlx::PgConnection,
    id: i64,
    now: Timestamp,
    outcome: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE jobs SET done_at = $2, outcome = $3, locked_until = NULL,
             payload = CASE WHEN kind = 'email' THEN (payload::jsonb - 'consent_secret')::text ELSE payload END
         WHERE id = $1 AND done_at IS NULL",
    )
    .bind(id)
    .bind(micros(now))
    .bind(outcome)
    .execute(c)
    .await
    .map_err(map)?;
    Ok(())
}

/// Writes a claim's product lines (in one statement, however many).
async fn insert_products(
    tx: &mut Transaction<'static, Postgres>,
    claim: &str,
    lines: Vec<(String, Option<String>)>,
) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let (products, subscriptions): (Vec<String>, Vec<Option<String>>) = lines.into_iter().unzip();
    sqlx::query(
        "INSERT INTO claim_products (claim_id, line, product, subscription_id)
         SELECT $1, (t.ord - 1)::int, t.product, t.subscription_id
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(product, subscription_id, ord)",
    )
    .bind(claim)
    .bind(products)
    .bind(subscriptions)
    .execute(&mut **tx)
    .await
    .map_err(map)?;
    Ok(())
}
