//! The command transaction on SQLite: synchronous statements on the writer's connection,
//! inside the savepoint of the command.

use super::queries;
use crate::WebhookEndpoint;
use crate::command::{CommandTx, IdempotencyRecord};
use crate::rows::{ClaimRow, micros};
use crate::{JobKind, Result, StoreError};
use cpor_domain::claim::{Claim, Event, EventKind, Timer, replay};
use cpor_domain::eligibility::EligibilityChange;
use cpor_domain::jiff::Timestamp;
use cpor_domain::keys::{AssociationKey, KeyHolder};
use cpor_domain::poe::PoeFile;
use cpor_domain::reference::{Organisation, TenantRecord};
use cpor_domain::values::{ClaimId, OrgId, PoeId, TenantId};
use cpor_domain::webhook::Message;
use rusqlite::{Connection, OptionalExtension, params};

pub struct SqliteTx<'c> {
    pub conn: &'c Connection,
}

impl CommandTx for SqliteTx<'_> {
    async fn idempotency(&mut self, scope: &str, key: &str) -> Result<Option<IdempotencyRecord>> {
        let row: Option<(String, String, i64, bool)> = self
            .conn
            .prepare_cached("SELECT request_hash, claim_id, version, created FROM idempotency WHERE scope = ?1 AND key = ?2")?
            .query_row(params![scope, key], |r| {
                Ok((
                    r.get("request_hash")?,
                    r.get("claim_id")?,
                    r.get("version")?,
                    r.get("created")?,
                ))
            })
            .optional()?;
        row.map(|(request_hash, claim, version, created)| {
            Ok(IdempotencyRecord {
                request_hash,
                claim_id: crate::conv::parse("claim id", &claim)?,
                version: version as u64,
                created,
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
        self.conn
            .prepare_cached(
                "INSERT INTO idempotency (scope, key, request_hash, claim_id, version, created, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                scope,
                key,
                r.request_hash,
                r.claim_id.to_string(),
                r.version as i64,
                r.created,
                micros(now)
            ])?;
        Ok(())
    }

    async fn claim_at(&mut self, id: ClaimId, version: u64) -> Result<Option<Claim>> {
        if version == 0 {
            return Ok(None);
        }
        let events = queries::events(self.conn, id, 0, version as u32)?;
        Ok(replay(&events))
    }

    async fn load_claim(&mut self, id: ClaimId) -> Result<Option<Claim>> {
        queries::claim(self.conn, id)
    }

    async fn organisation(&mut self, id: OrgId) -> Result<Option<Organisation>> {
        queries::organisation(self.conn, id)
    }

    async fn tenant(&mut self, id: TenantId) -> Result<Option<TenantRecord>> {
        queries::tenant(self.conn, id)
    }

    async fn holders(&mut self, tenant: TenantId) -> Result<Vec<KeyHolder>> {
        queries::holders(self.conn, tenant)
    }

    async fn append_events(&mut self, events: &[Event]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO claim_events (claim_id, seq, at, type, event) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for e in events {
            stmt.execute(params![
                e.claim_id.to_string(),
                e.seq as i64,
                micros(e.at),
                e.kind.type_name(),
                serde_json::to_string(e)?
            ])?;
        }
        Ok(())
    }

    async fn insert_claim(&mut self, claim: &Claim) -> Result<()> {
        let r = ClaimRow::of(claim)?;
        self.conn
            .prepare_cached(
                "INSERT INTO claims (id, org_id, mpn_id, tenant_id, domain, name, solution_area, activity, status,
                     phase, queue_due, consent_token_hash, version, created_at, updated_at, state, name_key, dispute_due)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?
            .execute(params![
                r.id,
                r.org_id,
                r.mpn_id,
                r.tenant_id,
                r.domain,
                r.name,
                r.solution_area,
                r.activity,
                r.status,
                r.phase,
                r.queue_due,
                r.consent_token_hash,
                r.version,
                r.created_at,
                r.updated_at,
                r.state,
                r.name_key,
                r.dispute_due
            ])?;
        write_products(self.conn, &r)
    }

    async fn update_claim(&mut self, claim: &Claim) -> Result<()> {
        let r = ClaimRow::of(claim)?;
        let n = self
            .conn
            .prepare_cached(
                "UPDATE claims SET mpn_id = ?2, tenant_id = ?3, domain = ?4, name = ?5, solution_area = ?6,
                     activity = ?7, status = ?8, phase = ?9, queue_due = ?10, consent_token_hash = ?11,
                     version = ?12, updated_at = ?13, state = ?14, name_key = ?15, dispute_due = ?16
                 WHERE id = ?1",
            )?
            .execute(params![
                r.id,
                r.mpn_id,
                r.tenant_id,
                r.domain,
                r.name,
                r.solution_area,
                r.activity,
                r.status,
                r.phase,
                r.queue_due,
                r.consent_token_hash,
                r.version,
                r.updated_at,
                r.state,
                r.name_key,
                r.dispute_due
            ])?;
        if n != 1 {
            return Err(StoreError::internal_msg(format!(
                "claim {} vanished during its command",
                claim.id
            )));
        }
        write_products(self.conn, &r)
    }

    async fn delete_claim(&mut self, id: ClaimId) -> Result<()> {
        let id = id.to_string();
        for sql in [
            "DELETE FROM claims WHERE id = ?1",
            "DELETE FROM claim_products WHERE claim_id = ?1",
            "DELETE FROM claim_events WHERE claim_id = ?1",
            "DELETE FROM comments WHERE claim_id = ?1",
            "DELETE FROM poe WHERE claim_id = ?1",
            "DELETE FROM jobs WHERE claim_id = ?1 AND done_at IS NULL AND kind IN ('timer', 'email')",
        ] {
            self.conn.prepare_cached(sql)?.execute([&id])?;
        }
        Ok(())
    }

    async fn release_key(&mut self, key: &AssociationKey, holder: ClaimId) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM association_keys WHERE key = ?1 AND claim_id = ?2")?
            .execute(params![key.as_string(), holder.to_string()])?;
        Ok(())
    }

    async fn take_key(
        &mut self,
        key: &AssociationKey,
        holder: ClaimId,
        org: OrgId,
        now: Timestamp,
    ) -> Result<()> {
        let r = self
            .conn
            .prepare_cached(
                "INSERT INTO association_keys (key, tenant_id, claim_id, org_id, since, key_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                key.as_string(),
                key.tenant_id.to_string(),
                holder.to_string(),
                org.to_string(),
                micros(now),
                serde_json::to_string(key)?
            ]);
        match r {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(crate::command::key_taken(key))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn replace_timers(
        &mut self,
        claim: ClaimId,
        timers: &[Timer],
        now: Timestamp,
    ) -> Result<()> {
        let id = claim.to_string();
        self.conn
            .prepare_cached(
                "DELETE FROM jobs WHERE claim_id = ?1 AND kind = 'timer' AND done_at IS NULL",
            )?
            .execute([&id])?;
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO jobs (kind, claim_id, timer, payload, due_at, created_at) VALUES ('timer', ?1, ?2, ?3, ?4, ?5)",
        )?;
        for t in timers {
            let payload = serde_json::to_string(&JobKind::Timer {
                claim_id: claim,
                timer: t.kind,
            })?;
            stmt.execute(params![
                id,
                t.kind.as_str(),
                payload,
                micros(t.due),
                micros(now)
            ])?;
        }
        Ok(())
    }

    async fn enqueue_job(&mut self, job: &JobKind, now: Timestamp) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO jobs (kind, claim_id, payload, due_at, created_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            )?
            .execute(params![
                job.name(),
                job.claim_id().to_string(),
                serde_json::to_string(job)?,
                micros(now)
            ])?;
        Ok(())
    }

    async fn save_poe(&mut self, claim: ClaimId, p: &PoeFile) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO poe (id, claim_id, file_name, kind, size, sha256, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                p.id.to_string(),
                claim.to_string(),
                p.file_name,
                p.kind.as_str(),
                p.size as i64,
                p.sha256,
                micros(p.uploaded_at)
            ])?;
        Ok(())
    }

    async fn delete_poe(&mut self, poe: PoeId) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM poe WHERE id = ?1")?
            .execute([poe.to_string()])?;
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
        self.conn
            .prepare_cached(
                "INSERT INTO comments (id, claim_id, thread, seq, at, author, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                comment_id.to_string(),
                e.claim_id.to_string(),
                thread.as_str(),
                e.seq as i64,
                micros(e.at),
                serde_json::to_string(&e.actor)?,
                body.as_str()
            ])?;
        Ok(())
    }

    async fn complete_job(&mut self, id: i64, now: Timestamp, outcome: &str) -> Result<()> {
        complete_job(self.conn, id, now, outcome)
    }

    async fn record_eligibility(&mut self, changes: &[EligibilityChange]) -> Result<()> {
        super::eligibility::record(self.conn, changes)
    }

    async fn user_email(
        &mut self,
        id: cpor_domain::values::UserId,
    ) -> Result<Option<cpor_domain::values::Email>> {
        use rusqlite::OptionalExtension;
        let email: Option<String> = self
            .conn
            .prepare_cached("SELECT email FROM users WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?;
        email.map(|e| crate::conv::parse_value(&e)).transpose()
    }

    async fn webhook_endpoints(&mut self) -> Result<Vec<WebhookEndpoint>> {
        super::webhooks::every(self.conn)
    }

    async fn enqueue_delivery(
        &mut self,
        endpoint: &WebhookEndpoint,
        message: &Message,
        message_id: &str,
        now: Timestamp,
    ) -> Result<()> {
        super::webhooks::enqueue(self.conn, endpoint, message, message_id, now)
    }
}

/// Replaces the claim's product lines with those of its row.
fn write_products(conn: &Connection, r: &ClaimRow) -> Result<()> {
    conn.prepare_cached("DELETE FROM claim_products WHERE claim_id = ?1")?
        .execute([&r.id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO claim_products (claim_id, line, product, subscription_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (line, (product, subscription)) in r.products.iter().enumerate() {
        stmt.execute(params![r.id, line as i64, product, subscription])?;
    }
    Ok(())
}

/// Marks a job done. E-mail payloads lose the consent link's secret: once sent, only
/// its hash remains anywhere.
pub fn complete_job(conn: &Connection, id: i64, now: Timestamp, outcome: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE jobs SET done_at = ?2, outcome = ?3, locked_until = NULL,
             payload = CASE WHEN kind = 'email' THEN json_remove(payload, '$.consent_secret') ELSE payload END
         WHERE id = ?1 AND done_at IS NULL",
    )?
    .execute(params![id, micros(now), outcome])?;
    Ok(())
}
