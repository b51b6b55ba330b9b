//! The PostgreSQL store: several `cpor serve` processes may share one database. Commands
//! lock their claim's row; due jobs are taken with `FOR UPDATE SKIP LOCKED` and a lease;
//! reference data carries a version so every process reloads it after a change.

mod accounts;
mod eligibility;
mod error;
mod queries;
mod schema;
mod tx;
mod webhooks;

use crate::rows::micros;
use crate::{
    Account, AttemptOutcome, ClaimCursor, ClaimQuery, CommandOutcome, CommandRequest, Comment,
    DeliveryAttempt, EligibilityPeriod, FailingJob, ImportSummary, Job, JobStats, LinkPurpose,
    MAX_JOB_ATTEMPTS, Page, PeriodCursor, ReportEvent, Result, Retry, Session, Store, StoreError,
    TokenInfo, TokenScope, User, WebhookDelivery, WebhookEndpoint,
};
use async_trait::async_trait;
use cpor_domain::Role;
use cpor_domain::claim::{Claim, Event, Status, Thread, Timer};
use cpor_domain::eligibility::EligibilityChange;
use cpor_domain::jiff::civil::Date;
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::keys::{AssociationKey, KeyHolder};
use cpor_domain::reference::{Location, Organisation, Policy, Product, Reference, TenantRecord};
use cpor_domain::values::{
    ClaimId, DomainName, Email, MpnId, OrgId, OrganisationName, TenantId, UserId, WebhookId,
};
use error::{col, is_retryable, is_unique_violation, map};
use sqlx::PgConnection;
use sqlx::postgres::{PgPool, PgPoolOptions};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct PgStore {
    pool: PgPool,
    /// The reference data and the version it was loaded at.
    reference: Mutex<Option<(i64, Arc<Reference>)>>,
}

impl PgStore {
    /// Connects to `url` with a pool of `pool_size` connections and applies migrations.
    /// Waiting for a connection gives up after half a second, so a lost database answers 503
    /// promptly; the pool reconnects by itself when the database returns.
    pub async fn connect(url: &str, pool_size: u32) -> Result<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(pool_size.max(1))
            .acquire_timeout(Duration::from_millis(500))
            .test_before_acquire(true)
            .connect(url)
            .await
            .map_err(map)?;
        schema::migrate(&pool).await?;
        Ok(PgStore {
            pool,
            reference: Mutex::new(None),
        })
    }

    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>> {
        self.pool.acquire().await.map_err(map)
    }

    /// Runs `f` in a transaction that also bumps the reference version; returns what
    /// `f` returns.
    async fn reference_write<T, F>(&self, f: F) -> Result<T>
    where
        F: for<'c> FnOnce(&'c mut PgConnection) -> futures::future::BoxFuture<'c, Result<T>> + Send,
        T: Send,
    {
        let mut tx = self.pool.begin().await.map_err(map)?;
        let out = f(&mut tx).await?;
        sqlx::query(
            "UPDATE settings SET value = (value::bigint + 1)::text WHERE key = 'ref_version'",
        )
        .execute(&mut *tx)
        .await
        .map_err(map)?;
        tx.commit().await.map_err(map)?;
        if let Ok(mut r) = self.reference.lock() {
            *r = None;
        }
        Ok(out)
    }

    async fn run_command(&self, request: &CommandRequest) -> Result<CommandOutcome> {
        let reference = self.reference().await?;
        let tx = self.pool.begin().await.map_err(map)?;
        let mut ptx = tx::PgTx { tx };
        match crate::command::run(&mut ptx, request, &reference).await {
            Ok(out) => {
                ptx.tx.commit().await.map_err(map)?;
                Ok(out)
            }
            Err(e) => {
                let _ = ptx.tx.rollback().await;
                Err(e)
            }
        }
    }
}

fn set_setting(
    key: &'static str,
    value: String,
) -> impl for<'c> FnOnce(&'c mut PgConnection) -> futures::future::BoxFuture<'c, Result<()>> + Send
{
    move |c| {
        Box::pin(async move {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(c)
                .await
                .map_err(map)?;
            Ok(())
        })
    }
}

async fn insert_location(c: &mut PgConnection, org: OrgId, l: &Location) -> Result<()> {
    sqlx::query("INSERT INTO locations (mpn_id, org_id, name) VALUES ($1, $2, $3)")
        .bind(l.mpn_id.as_str())
        .bind(org.to_string())
        .bind(&l.name)
        .execute(c)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Duplicate {
                    field: "mpn_id",
                    value: l.mpn_id.to_string(),
                }
            } else {
                map(e)
            }
        })?;
    Ok(())
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> Result<()> {
        let mut c = self.conn().await?;
        sqlx::query("SELECT 1")
            .execute(&mut *c)
            .await
            .map_err(map)?;
        Ok(())
    }

    async fn reference(&self) -> Result<Arc<Reference>> {
        let mut c = self.conn().await?;
        let version = queries::ref_version(&mut c).await?;
        if let Ok(guard) = self.reference.lock()
            && let Some((v, r)) = guard.as_ref()
            && *v == version
        {
            return Ok(r.clone());
        }
        let r = Arc::new(queries::reference(&mut c).await?);
        if let Ok(mut guard) = self.reference.lock() {
            *guard = Some((version, r.clone()));
        }
        Ok(r)
    }

    async fn set_policy(&self, policy: &Policy) -> Result<()> {
        Reference::new(Default::default(), Default::default(), policy.clone(), [])
            .map_err(|e| StoreError::Domain(cpor_domain::DomainError::new(vec![e])))?;
        self.reference_write(set_setting("policy", serde_json::to_string(policy)?))
            .await
    }

    async fn upsert_product(&self, product: &Product) -> Result<()> {
        let p = product.clone();
        self.reference_write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO catalog (id, name, solution_area, dynamics_365, position, retired)
                     VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position), 0) + 1 FROM catalog), $5)
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name, solution_area = excluded.solution_area,
                         dynamics_365 = excluded.dynamics_365, retired = excluded.retired",
                )
                .bind(p.id.as_str())
                .bind(&p.name)
                .bind(p.solution_area.as_str())
                .bind(p.dynamics_365)
                .bind(p.retired)
                .execute(c)
                .await
                .map_err(map)?;
                Ok(())
            })
        })
        .await
    }

    async fn add_holiday(&self, date: Date, name: Option<&str>) -> Result<bool> {
        let name = name.map(str::to_string);
        self.reference_write(move |c| {
            Box::pin(async move {
                let r = sqlx::query("INSERT INTO holidays (date, name) VALUES ($1, $2) ON CONFLICT (date) DO NOTHING")
                    .bind(date.to_string())
                    .bind(name)
                    .execute(c)
                    .await
                    .map_err(map)?;
                Ok(r.rows_affected() == 1)
            })
        })
        .await
    }

    async fn remove_holiday(&self, date: Date) -> Result<bool> {
        self.reference_write(move |c| {
            Box::pin(async move {
                let r = sqlx::query("DELETE FROM holidays WHERE date = $1")
                    .bind(date.to_string())
                    .execute(c)
                    .await
                    .map_err(map)?;
                Ok(r.rows_affected() == 1)
            })
        })
        .await
    }

    async fn holidays(&self) -> Result<Vec<(Date, Option<String>)>> {
        queries::holidays(&mut *self.conn().await?).await
    }

    async fn import_directory(&self, tenants: &[TenantRecord]) -> Result<ImportSummary> {
        let mut tx = self.pool.begin().await.map_err(map)?;
        let mut summary = ImportSummary::default();
        let now = micros(Timestamp::now());
        for t in tenants {
            let id = t.tenant_id.to_string();
            sqlx::query(
                "INSERT INTO tenants (tenant_id, imported_at) VALUES ($1, $2)
                 ON CONFLICT (tenant_id) DO UPDATE SET imported_at = excluded.imported_at",
            )
            .bind(&id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            for sql in [
                "DELETE FROM tenant_domains WHERE tenant_id = $1",
                "DELETE FROM subscriptions WHERE tenant_id = $1",
            ] {
                sqlx::query(sql)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map)?;
            }
            for d in &t.domains {
                sqlx::query(
                    "INSERT INTO tenant_domains (domain, tenant_id) VALUES ($1, $2)
                     ON CONFLICT (domain) DO UPDATE SET tenant_id = excluded.tenant_id",
                )
                .bind(d.as_str())
                .bind(&id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
                summary.domains += 1;
            }
            for s in &t.subscriptions {
                sqlx::query(
                    "INSERT INTO subscriptions (subscription_id, tenant_id, product, state, channel, starts_on, ends_on)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (subscription_id) DO UPDATE SET tenant_id = excluded.tenant_id, product = excluded.product,
                         state = excluded.state, channel = excluded.channel, starts_on = excluded.starts_on,
                         ends_on = excluded.ends_on",
                )
                .bind(s.id.to_string())
                .bind(&id)
                .bind(s.product.as_str())
                .bind(s.state.as_str())
                .bind(s.channel.as_str())
                .bind(s.starts_on.to_string())
                .bind(s.ends_on.map(|d| d.to_string()))
                .execute(&mut *tx)
                .await
                .map_err(map)?;
                summary.subscriptions += 1;
            }
            summary.tenants += 1;
        }
        tx.commit().await.map_err(map)?;
        Ok(summary)
    }

    async fn tenant(&self, id: TenantId) -> Result<Option<TenantRecord>> {
        queries::tenant(&mut *self.conn().await?, id).await
    }

    async fn tenant_of_domain(&self, domain: &DomainName) -> Result<Option<TenantId>> {
        let mut c = self.conn().await?;
        let t: Option<String> =
            sqlx::query_scalar("SELECT tenant_id FROM tenant_domains WHERE domain = $1")
                .bind(domain.as_str())
                .fetch_optional(&mut *c)
                .await
                .map_err(map)?;
        t.map(|t| crate::conv::parse_value(&t)).transpose()
    }

    async fn create_organisation(&self, org: &Organisation, now: Timestamp) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map)?;
        sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(org.id.to_string())
            .bind(org.name.as_str())
            .bind(micros(now))
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Duplicate {
                        field: "id",
                        value: org.id.to_string(),
                    }
                } else {
                    map(e)
                }
            })?;
        for l in &org.locations {
            insert_location(&mut tx, org.id, l).await?;
        }
        tx.commit().await.map_err(map)?;
        Ok(())
    }

    async fn add_location(&self, org: OrgId, location: &Location) -> Result<()> {
        let mut c = self.conn().await?;
        if queries::organisation(&mut c, org).await?.is_none() {
            return Err(StoreError::NotFound("organisation"));
        }
        insert_location(&mut c, org, location).await
    }

    async fn rename_organisation(&self, id: OrgId, name: &OrganisationName) -> Result<()> {
        let mut c = self.conn().await?;
        let r = sqlx::query("UPDATE organisations SET name = $2 WHERE id = $1")
            .bind(id.to_string())
            .bind(name.as_str())
            .execute(&mut *c)
            .await
            .map_err(map)?;
        match r.rows_affected() {
            0 => Err(StoreError::NotFound("organisation")),
            _ => Ok(()),
        }
    }

    async fn organisation_language(&self, id: OrgId) -> Result<Option<String>> {
        let mut c = self.conn().await?;
        let language: Option<Option<String>> =
            sqlx::query_scalar("SELECT language FROM organisations WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *c)
                .await
                .map_err(map)?;
        Ok(language.flatten())
    }

    async fn set_organisation_language(&self, id: OrgId, language: Option<&str>) -> Result<()> {
        let mut c = self.conn().await?;
        let r = sqlx::query("UPDATE organisations SET language = $2 WHERE id = $1")
            .bind(id.to_string())
            .bind(language)
            .execute(&mut *c)
            .await
            .map_err(map)?;
        match r.rows_affected() {
            0 => Err(StoreError::NotFound("organisation")),
            _ => Ok(()),
        }
    }

    async fn remove_location(&self, org: OrgId, mpn_id: &MpnId) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map)?;
        // The organisation's row is locked, so two removals cannot leave it without any.
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 FOR UPDATE")
                .bind(org.to_string())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map)?;
        if found.is_none() {
            return Err(StoreError::NotFound("location"));
        }
        let locations: i64 = sqlx::query_scalar("SELECT count(*) FROM locations WHERE org_id = $1")
            .bind(org.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
        let ours: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM locations WHERE org_id = $1 AND mpn_id = $2")
                .bind(org.to_string())
                .bind(mpn_id.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map)?;
        if ours.is_none() {
            return Err(StoreError::NotFound("location"));
        }
        let claims: i64 = sqlx::query_scalar("SELECT count(*) FROM claims WHERE mpn_id = $1")
            .bind(mpn_id.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
        crate::admin::check_location_removal(mpn_id, locations, claims)?;
        sqlx::query("DELETE FROM locations WHERE mpn_id = $1")
            .bind(mpn_id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map)?;
        tx.commit().await.map_err(map)?;
        Ok(())
    }

    async fn set_suspended(&self, org: OrgId, suspended: bool, now: Timestamp) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map)?;
        let q = if suspended {
            sqlx::query(
                "UPDATE organisations SET suspended_at = coalesce(suspended_at, $2) WHERE id = $1",
            )
            .bind(org.to_string())
            .bind(micros(now))
        } else {
            sqlx::query("UPDATE organisations SET suspended_at = NULL WHERE id = $1")
                .bind(org.to_string())
        };
        if q.execute(&mut *tx).await.map_err(map)?.rows_affected() == 0 {
            return Err(StoreError::NotFound("organisation"));
        }
        if suspended {
            sqlx::query(
                "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE org_id = $1)",
            )
            .bind(org.to_string())
            .execute(&mut *tx)
            .await
            .map_err(map)?;
        }
        tx.commit().await.map_err(map)?;
        Ok(())
    }

    async fn suspended_organisations(&self) -> Result<Vec<OrgId>> {
        let mut c = self.conn().await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM organisations WHERE suspended_at IS NOT NULL ORDER BY id",
        )
        .fetch_all(&mut *c)
        .await
        .map_err(map)?;
        ids.iter()
            .map(|id| crate::conv::parse("organisation id", id))
            .collect()
    }

    async fn organisation(&self, id: OrgId) -> Result<Option<Organisation>> {
        queries::organisation(&mut *self.conn().await?, id).await
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        let mut c = self.conn().await?;
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM organisations ORDER BY name, id")
            .fetch_all(&mut *c)
            .await
            .map_err(map)?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(o) =
                queries::organisation(&mut c, crate::conv::parse("organisation id", &id)?).await?
            {
                out.push(o);
            }
        }
        Ok(out)
    }

    async fn create_user(&self, u: &User, token_hash: Option<&str>) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map)?;
        if let Some(org) = u.org_id
            && queries::organisation(&mut tx, org).await?.is_none()
        {
            return Err(StoreError::NotFound("organisation"));
        }
        sqlx::query("INSERT INTO users (id, org_id, email, name, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(u.id.to_string())
            .bind(u.org_id.map(|o| o.to_string()))
            .bind(u.email.as_str())
            .bind(&u.name)
            .bind(u.role.as_str())
            .bind(micros(u.created_at))
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if error::violated_constraint(&e) == Some("users_pkey") {
                    StoreError::Duplicate {
                        field: "id",
                        value: u.id.to_string(),
                    }
                } else if is_unique_violation(&e) {
                    StoreError::Duplicate {
                        field: "email",
                        value: u.email.to_string(),
                    }
                } else {
                    map(e)
                }
            })?;
        if let Some(hash) = token_hash {
            accounts::insert_token(&mut tx, u.id, hash, None, u.created_at, None, None).await?;
        }
        tx.commit().await.map_err(map)?;
        Ok(())
    }

    async fn add_token(&self, user: UserId, token_hash: &str, now: Timestamp) -> Result<()> {
        accounts::insert_token(
            &mut *self.conn().await?,
            user,
            token_hash,
            None,
            now,
            None,
            None,
        )
        .await?;
        Ok(())
    }

    async fn token_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(User, Option<TokenScope>)>> {
        accounts::token_user(&mut *self.conn().await?, token_hash, now).await
    }

    async fn users(&self, org: Option<OrgId>) -> Result<Vec<User>> {
        queries::users(&mut *self.conn().await?, org).await
    }

    async fn account(&self, id: UserId) -> Result<Option<Account>> {
        accounts::account(&mut *self.conn().await?, id).await
    }

    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>> {
        accounts::account_by_email(&mut *self.conn().await?, email).await
    }

    async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()> {
        accounts::set_password(&mut *self.conn().await?, user, password_hash).await
    }

    async fn set_language(&self, user: UserId, language: Option<&str>) -> Result<()> {
        accounts::set_language(&mut *self.conn().await?, user, language).await
    }

    async fn set_disabled(&self, user: UserId, disabled: bool) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map)?;
        accounts::set_disabled(&mut tx, user, disabled, Timestamp::now()).await?;
        tx.commit().await.map_err(map)
    }

    async fn set_role(&self, user: UserId, role: Role) -> Result<()> {
        accounts::set_role(&mut *self.conn().await?, user, role).await
    }

    async fn create_session(&self, session: &Session) -> Result<()> {
        accounts::create_session(&mut *self.conn().await?, session).await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>> {
        accounts::session(&mut *self.conn().await?, id_hash).await
    }

    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> Result<()> {
        accounts::touch_session(&mut *self.conn().await?, id_hash, now).await
    }

    async fn end_session(&self, id_hash: &str) -> Result<()> {
        accounts::end_session(&mut *self.conn().await?, id_hash).await
    }

    async fn end_sessions_of(&self, user: UserId) -> Result<u64> {
        accounts::end_sessions_of(&mut *self.conn().await?, user).await
    }

    async fn create_link(
        &self,
        hash: &str,
        user: UserId,
        purpose: LinkPurpose,
        expires_at: Timestamp,
    ) -> Result<()> {
        accounts::create_link(&mut *self.conn().await?, hash, user, purpose, expires_at).await
    }

    async fn peek_link(
        &self,
        hash: &str,
        purpose: LinkPurpose,
        now: Timestamp,
    ) -> Result<Option<UserId>> {
        accounts::peek_link(&mut *self.conn().await?, hash, purpose, now).await
    }

    async fn use_link(
        &self,
        hash: &str,
        purpose: LinkPurpose,
        now: Timestamp,
    ) -> Result<Option<UserId>> {
        accounts::use_link(&mut *self.conn().await?, hash, purpose, now).await
    }

    async fn record_login_failure(
        &self,
        keys: &[String],
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        accounts::record_login_failure(&mut *self.conn().await?, keys, now, forget_before).await
    }

    async fn login_failures(&self, key: &str, since: Timestamp) -> Result<u32> {
        accounts::login_failures(&mut *self.conn().await?, key, since).await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        accounts::clear_login_failures(&mut *self.conn().await?, key).await
    }

    async fn tokens(&self, user: UserId) -> Result<Vec<TokenInfo>> {
        accounts::tokens(&mut *self.conn().await?, user).await
    }

    async fn create_token(
        &self,
        user: UserId,
        token_hash: &str,
        name: Option<&str>,
        now: Timestamp,
        expires_at: Option<Timestamp>,
        scope: Option<TokenScope>,
    ) -> Result<TokenInfo> {
        accounts::insert_token(
            &mut *self.conn().await?,
            user,
            token_hash,
            name,
            now,
            expires_at,
            scope,
        )
        .await
    }

    async fn revoke_token(&self, user: UserId, token_id: &str) -> Result<bool> {
        accounts::revoke_token(&mut *self.conn().await?, user, token_id, Timestamp::now()).await
    }

    async fn execute(&self, request: CommandRequest) -> Result<CommandOutcome> {
        self.run_command(&request).await
    }

    async fn claim(&self, id: ClaimId) -> Result<Option<Claim>> {
        queries::claim(&mut *self.conn().await?, id, false).await
    }

    async fn claim_by_consent(&self, token_hash: &str) -> Result<Option<Claim>> {
        queries::claim_by_consent(&mut *self.conn().await?, token_hash).await
    }

    async fn claims(&self, query: &ClaimQuery) -> Result<Page<Claim, ClaimCursor>> {
        queries::claims(&mut *self.conn().await?, query).await
    }

    async fn claim_counts(&self, org: Option<OrgId>) -> Result<Vec<(Status, u64)>> {
        queries::claim_counts(&mut *self.conn().await?, org).await
    }

    async fn review_queue(
        &self,
        after: Option<(Timestamp, ClaimId)>,
        limit: u32,
    ) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
        queries::review_queue(&mut *self.conn().await?, after, limit).await
    }

    async fn dispute_queue(
        &self,
        after: Option<(Timestamp, ClaimId)>,
        limit: u32,
    ) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
        queries::dispute_queue(&mut *self.conn().await?, after, limit).await
    }

    async fn history(&self, id: ClaimId, after_seq: u64, limit: u32) -> Result<Vec<Event>> {
        queries::events(&mut *self.conn().await?, id, after_seq, limit).await
    }

    async fn report_events(
        &self,
        from: Timestamp,
        to: Timestamp,
        org: Option<OrgId>,
        after: Option<(Timestamp, ClaimId, u64)>,
        limit: u32,
    ) -> Result<Vec<ReportEvent>> {
        queries::report_events(&mut *self.conn().await?, from, to, org, after, limit).await
    }

    async fn comments(
        &self,
        id: ClaimId,
        thread: Option<Thread>,
        after_seq: u64,
        limit: u32,
    ) -> Result<Vec<Comment>> {
        queries::comments(&mut *self.conn().await?, id, thread, after_seq, limit).await
    }

    async fn poe_recorded(&self, poe: cpor_domain::values::PoeId) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 FROM poe WHERE id = $1")
            .bind(poe.to_string())
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(map)?
            .is_some())
    }

    async fn save_findings(
        &self,
        claim: ClaimId,
        poe: cpor_domain::values::PoeId,
        findings: &cpor_domain::findings::Findings,
        at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO poe_findings (poe_id, claim_id, findings, at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (poe_id) DO UPDATE SET findings = excluded.findings, at = excluded.at",
        )
        .bind(poe.to_string())
        .bind(claim.to_string())
        .bind(serde_json::to_string(findings)?)
        .bind(micros(at))
        .execute(&mut *self.conn().await?)
        .await
        .map_err(map)?;
        Ok(())
    }

    async fn findings(
        &self,
        claim: ClaimId,
    ) -> Result<Vec<(cpor_domain::values::PoeId, cpor_domain::findings::Findings)>> {
        let rows = sqlx::query(
            "SELECT poe_id, findings FROM poe_findings WHERE claim_id = $1 ORDER BY poe_id",
        )
        .bind(claim.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await
        .map_err(map)?;
        rows.iter()
            .map(|r| {
                Ok((
                    crate::conv::parse("poe id", &col::<String>(r, "poe_id")?)?,
                    serde_json::from_str(&col::<String>(r, "findings")?)?,
                ))
            })
            .collect()
    }

    async fn set_digest_opt_out(&self, user: UserId, opt_out: bool) -> Result<()> {
        let sql = if opt_out {
            "INSERT INTO digest_opt_outs (user_id) VALUES ($1) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM digest_opt_outs WHERE user_id = $1"
        };
        sqlx::query(sql)
            .bind(user.to_string())
            .execute(&mut *self.conn().await?)
            .await
            .map_err(map)?;
        Ok(())
    }

    async fn digest_opt_outs(&self) -> Result<Vec<UserId>> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT user_id FROM digest_opt_outs")
            .fetch_all(&mut *self.conn().await?)
            .await
            .map_err(map)?;
        ids.iter()
            .map(|i| crate::conv::parse("user id", i))
            .collect()
    }

    async fn digest_sent(&self, day: Date) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 FROM digest_days WHERE day = $1")
            .bind(day.to_string())
            .fetch_optional(&mut *self.conn().await?)
            .await
            .map_err(map)?
            .is_some())
    }

    async fn claim_digest_day(&self, day: Date, now: Timestamp) -> Result<bool> {
        Ok(sqlx::query(
            "INSERT INTO digest_days (day, sent_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(day.to_string())
        .bind(micros(now))
        .execute(&mut *self.conn().await?)
        .await
        .map_err(map)?
        .rows_affected()
            == 1)
    }

    async fn create_webhook(&self, endpoint: &WebhookEndpoint) -> Result<()> {
        webhooks::create(&mut *self.conn().await?, endpoint).await
    }

    async fn webhooks(&self, org: Option<OrgId>) -> Result<Vec<WebhookEndpoint>> {
        webhooks::list(&mut *self.conn().await?, org).await
    }

    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
        webhooks::get(&mut *self.conn().await?, id).await
    }

    async fn set_webhook_disabled(
        &self,
        id: WebhookId,
        disabled: Option<(Timestamp, &str)>,
    ) -> Result<bool> {
        webhooks::set_disabled(&mut *self.conn().await?, id, disabled).await
    }

    async fn delete_webhook(&self, id: WebhookId) -> Result<bool> {
        webhooks::delete(&mut *self.conn().await?, id).await
    }

    async fn take_due_deliveries(
        &self,
        now: Timestamp,
        limit: u32,
        lease: SignedDuration,
    ) -> Result<Vec<WebhookDelivery>> {
        webhooks::take_due(&mut *self.conn().await?, now, limit, lease).await
    }

    async fn record_delivery_attempt(
        &self,
        delivery: &WebhookDelivery,
        attempt: &DeliveryAttempt,
        outcome: AttemptOutcome,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(map)?;
        webhooks::record_attempt(&mut tx, delivery, attempt, outcome).await?;
        tx.commit().await.map_err(map)
    }

    async fn deliveries(
        &self,
        endpoint: WebhookId,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        webhooks::deliveries(&mut *self.conn().await?, endpoint, before, limit).await
    }

    async fn delivery_attempts(&self, delivery: i64) -> Result<Vec<DeliveryAttempt>> {
        webhooks::attempts(&mut *self.conn().await?, delivery).await
    }

    async fn redeliver(&self, endpoint: WebhookId, delivery: i64, now: Timestamp) -> Result<bool> {
        webhooks::redeliver(&mut *self.conn().await?, endpoint, delivery, now).await
    }

    async fn eligibility_changes(
        &self,
        after: u64,
        limit: u32,
        org: Option<OrgId>,
    ) -> Result<Vec<(u64, EligibilityChange)>> {
        eligibility::changes(&mut *self.conn().await?, after, limit, org).await
    }

    async fn eligible_at(
        &self,
        at: Timestamp,
        org: Option<OrgId>,
        after: Option<PeriodCursor>,
        limit: u32,
    ) -> Result<Vec<EligibilityPeriod>> {
        eligibility::eligible_at(&mut *self.conn().await?, at, org, after, limit).await
    }

    async fn key_holder(&self, key: &AssociationKey) -> Result<Option<KeyHolder>> {
        queries::key_holder(&mut *self.conn().await?, key).await
    }

    async fn take_due_jobs(
        &self,
        now: Timestamp,
        limit: u32,
        lease: SignedDuration,
    ) -> Result<Vec<Job>> {
        let until = now.checked_add(lease).unwrap_or(Timestamp::MAX);
        let mut c = self.conn().await?;
        let rows = sqlx::query(
            "UPDATE jobs SET locked_until = $2 WHERE id IN (
                 SELECT id FROM jobs WHERE done_at IS NULL AND due_at <= $1 AND NOT parked
                     AND (locked_until IS NULL OR locked_until <= $1)
                 ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING id, payload, due_at, attempts",
        )
        .bind(micros(now))
        .bind(micros(until))
        .bind(i64::from(limit))
        .fetch_all(&mut *c)
        .await
        .map_err(map)?;
        let mut jobs = Vec::new();
        for r in &rows {
            let id: i64 = col(r, "id")?;
            let decoded = col::<String>(r, "payload").and_then(|payload| {
                Ok(Job {
                    id,
                    kind: serde_json::from_str(&payload)?,
                    due_at: crate::rows::from_micros(col(r, "due_at")?),
                    attempts: col::<i64>(r, "attempts")?.clamp(0, i64::from(u32::MAX)) as u32,
                })
            });
            match decoded {
                Ok(job) => jobs.push(job),
                // One bad row must not hold up the others: park it for operators. Should
                // this fail, the lease runs out and the next take parks it.
                Err(e) => {
                    tracing::error!(job = id, error = %e, "parking a job that does not decode");
                    sqlx::query(
                        "UPDATE jobs SET parked = TRUE, locked_until = NULL, last_error = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(format!("undecodable: {e}"))
                    .execute(&mut *c)
                    .await
                    .map_err(map)?;
                }
            }
        }
        jobs.sort_by_key(|j| (j.due_at, j.id));
        Ok(jobs)
    }

    async fn finish_job(&self, id: i64, now: Timestamp, outcome: &str) -> Result<()> {
        tx::complete_job(&mut *self.conn().await?, id, now, outcome).await
    }

    async fn retry_job(&self, id: i64, error: &str, retry_at: Timestamp) -> Result<Retry> {
        let mut c = self.conn().await?;
        // Out of attempts: parked where it was due, instead of due again.
        let parked: Option<bool> = sqlx::query_scalar(
            "UPDATE jobs SET attempts = attempts + 1, last_error = $2, locked_until = NULL,
                 parked = (attempts + 1 >= $4),
                 due_at = CASE WHEN attempts + 1 >= $4 THEN due_at ELSE $3 END
             WHERE id = $1 AND done_at IS NULL
             RETURNING parked",
        )
        .bind(id)
        .bind(error)
        .bind(micros(retry_at))
        .bind(i64::from(MAX_JOB_ATTEMPTS))
        .fetch_optional(&mut *c)
        .await
        .map_err(map)?;
        Ok(if parked == Some(true) {
            Retry::Parked
        } else {
            Retry::Scheduled
        })
    }

    async fn job_stats(&self, now: Timestamp) -> Result<JobStats> {
        let mut c = self.conn().await?;
        let r = sqlx::query(
            "SELECT count(*) FILTER (WHERE due_at <= $1 AND NOT parked) AS due,
                 count(*) FILTER (WHERE attempts > 0 AND NOT parked) AS failing,
                 count(*) FILTER (WHERE parked) AS parked
             FROM jobs WHERE done_at IS NULL",
        )
        .bind(micros(now))
        .fetch_one(&mut *c)
        .await
        .map_err(map)?;
        Ok(JobStats {
            due: col::<i64>(&r, "due")? as u64,
            failing: col::<i64>(&r, "failing")? as u64,
            parked: col::<i64>(&r, "parked")? as u64,
        })
    }

    async fn failing_jobs(&self, after: Option<i64>, limit: u32) -> Result<Vec<FailingJob>> {
        let mut c = self.conn().await?;
        let rows = sqlx::query(
            "SELECT id, kind, claim_id, attempts, last_error, due_at, parked FROM jobs
             WHERE done_at IS NULL AND (attempts > 0 OR parked) AND id > $1
             ORDER BY id LIMIT $2",
        )
        .bind(after.unwrap_or(0))
        .bind(i64::from(limit))
        .fetch_all(&mut *c)
        .await
        .map_err(map)?;
        rows.iter()
            .map(|r| {
                Ok(FailingJob {
                    id: col(r, "id")?,
                    kind: col(r, "kind")?,
                    claim_id: col(r, "claim_id")?,
                    attempts: col::<i64>(r, "attempts")?.clamp(0, i64::from(u32::MAX)) as u32,
                    last_error: col(r, "last_error")?,
                    due_at: crate::rows::from_micros(col(r, "due_at")?),
                    parked: col(r, "parked")?,
                })
            })
            .collect()
    }

    async fn requeue_job(&self, id: i64, now: Timestamp) -> Result<bool> {
        let mut c = self.conn().await?;
        let r = sqlx::query(
            "UPDATE jobs SET parked = FALSE, attempts = 0, due_at = $2, locked_until = NULL
             WHERE id = $1 AND done_at IS NULL AND parked",
        )
        .bind(id)
        .bind(micros(now))
        .execute(&mut *c)
        .await
        .map_err(map)?;
        Ok(r.rows_affected() == 1)
    }

    async fn insert_raw_job(
        &self,
        kind: &str,
        claim_id: &str,
        payload: &str,
        due_at: Timestamp,
    ) -> Result<i64> {
        let mut c = self.conn().await?;
        sqlx::query_scalar(
            "INSERT INTO jobs (kind, claim_id, payload, due_at, created_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(kind)
        .bind(claim_id)
        .bind(payload)
        .bind(micros(due_at))
        .fetch_one(&mut *c)
        .await
        .map_err(map)
    }

    async fn pending_timers(&self, id: ClaimId) -> Result<Vec<Timer>> {
        queries::pending_timers(&mut *self.conn().await?, id).await
    }

    async fn backup(&self, _path: &Path) -> Result<()> {
        Err(StoreError::internal_msg(
            "on PostgreSQL, back up with pg_dump (or the server's own backups); cpor admin backup is for the embedded database",
        ))
    }
}

/// Whether an error is worth retrying the whole command for.
pub fn retryable(e: &sqlx::Error) -> bool {
    is_retryable(e)
}
