//! The embedded SQLite store: a file `cpor.db` in the data directory, in WAL mode with
//! `synchronous=FULL`, one writer thread (see [`writer`]) and a pool of readers.

mod accounts;
mod eligibility;
mod pool;
mod queries;
mod reference;
mod schema;
mod tx;
mod webhooks;
mod writer;

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
use pool::ReadPool;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use writer::Writer;

/// The database file's name in the data directory.
pub const DB_FILE: &str = "cpor.db";

/// Reference data and the version it was loaded at.
type Versioned = (i64, Arc<Reference>);

pub struct SqliteStore {
    path: PathBuf,
    writer: Writer,
    readers: ReadPool,
    /// The reference data as readers last loaded it, with its version (another process
    /// on the same file, such as `cpor admin`, moves the stored version); cleared after a
    /// change commits.
    reference: Arc<RwLock<Option<Versioned>>>,
}

fn open_writer(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::unavailable_with(format!("cannot open {}: {e}", path.display()), e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.set_prepared_statement_cache_capacity(128);
    schema::migrate(&mut conn)?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<SqliteStore> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::unavailable_with(format!("cannot create {}: {e}", data_dir.display()), e)
        })?;
        let path = data_dir.join(DB_FILE);
        let conn = open_writer(&path)?;
        let readers = ReadPool::open(&path, 4)?;
        Ok(SqliteStore {
            path,
            writer: Writer::start(conn),
            readers,
            reference: Arc::new(RwLock::new(None)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn forget_reference(&self) {
        if let Ok(mut r) = self.reference.write() {
            *r = None;
        }
    }

    /// A write that changes reference data: the writer's and the readers' caches are
    /// dropped.
    async fn reference_write<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let r = self
            .writer
            .call(move |conn, state| {
                state.reference = None;
                let out = f(conn)?;
                reference::bump_version(conn)?;
                Ok(out)
            })
            .await;
        self.forget_reference();
        r
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<()> {
        self.readers
            .read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    async fn reference(&self) -> Result<Arc<Reference>> {
        let cached = self.reference.read().ok().and_then(|g| g.clone());
        let known = cached.as_ref().map(|(v, _)| *v);
        let (version, loaded) = self
            .readers
            .read(move |c| {
                let v = reference::version(c)?;
                if known == Some(v) {
                    return Ok((v, None));
                }
                Ok((v, Some(reference::load(c)?)))
            })
            .await?;
        match (loaded, cached) {
            (Some(r), _) => {
                let r = Arc::new(r);
                if let Ok(mut guard) = self.reference.write() {
                    *guard = Some((version, r.clone()));
                }
                Ok(r)
            }
            (None, Some((_, r))) => Ok(r),
            (None, None) => Err(StoreError::internal_msg("reference data vanished")),
        }
    }

    async fn set_policy(&self, policy: &Policy) -> Result<()> {
        Reference::new(Default::default(), Default::default(), policy.clone(), [])
            .map_err(|e| StoreError::Domain(cpor_domain::DomainError::new(vec![e])))?;
        let policy = policy.clone();
        self.reference_write(move |c| reference::set_setting(c, "policy", &policy))
            .await
    }

    async fn upsert_product(&self, product: &Product) -> Result<()> {
        let p = product.clone();
        self.reference_write(move |c| reference::upsert_product(c, &p))
            .await
    }

    async fn add_holiday(&self, date: Date, name: Option<&str>) -> Result<bool> {
        let name = name.map(str::to_string);
        self.reference_write(move |c| {
            Ok(c.execute(
                "INSERT OR IGNORE INTO holidays (date, name) VALUES (?1, ?2)",
                params![date.to_string(), name],
            )? == 1)
        })
        .await
    }

    async fn remove_holiday(&self, date: Date) -> Result<bool> {
        self.reference_write(move |c| {
            Ok(c.execute("DELETE FROM holidays WHERE date = ?1", [date.to_string()])? == 1)
        })
        .await
    }

    async fn holidays(&self) -> Result<Vec<(Date, Option<String>)>> {
        self.readers.read(reference::holidays).await
    }

    async fn import_directory(&self, tenants: &[TenantRecord]) -> Result<ImportSummary> {
        let tenants = tenants.to_vec();
        self.writer
            .call(move |c, _| directory_import(c, &tenants))
            .await
    }

    async fn tenant(&self, id: TenantId) -> Result<Option<TenantRecord>> {
        self.readers.read(move |c| queries::tenant(c, id)).await
    }

    async fn tenant_of_domain(&self, domain: &DomainName) -> Result<Option<TenantId>> {
        let d = domain.clone();
        self.readers
            .read(move |c| queries::tenant_of_domain(c, &d))
            .await
    }

    async fn create_organisation(&self, org: &Organisation, now: Timestamp) -> Result<()> {
        let org = org.clone();
        self.writer
            .call(move |c, _| {
                let r = c.execute(
                    "INSERT INTO organisations (id, name, created_at) VALUES (?1, ?2, ?3)",
                    params![org.id.to_string(), org.name.as_str(), micros(now)],
                );
                if unique_violation(&r).is_some() {
                    return Err(StoreError::Duplicate {
                        field: "id",
                        value: org.id.to_string(),
                    });
                }
                r?;
                for l in &org.locations {
                    insert_location(c, org.id, l)?;
                }
                Ok(())
            })
            .await
    }

    async fn add_location(&self, org: OrgId, location: &Location) -> Result<()> {
        let l = location.clone();
        self.writer
            .call(move |c, _| {
                if queries::organisation(c, org)?.is_none() {
                    return Err(StoreError::NotFound("organisation"));
                }
                insert_location(c, org, &l)
            })
            .await
    }

    async fn rename_organisation(&self, id: OrgId, name: &OrganisationName) -> Result<()> {
        let name = name.clone();
        self.writer
            .call(move |c, _| {
                match c.execute(
                    "UPDATE organisations SET name = ?2 WHERE id = ?1",
                    params![id.to_string(), name.as_str()],
                )? {
                    0 => Err(StoreError::NotFound("organisation")),
                    _ => Ok(()),
                }
            })
            .await
    }

    async fn organisation_language(&self, id: OrgId) -> Result<Option<String>> {
        self.readers
            .read(move |c| {
                let language: Option<Option<String>> = c
                    .query_row(
                        "SELECT language FROM organisations WHERE id = ?1",
                        params![id.to_string()],
                        |r| r.get("language"),
                    )
                    .optional()?;
                Ok(language.flatten())
            })
            .await
    }

    async fn set_organisation_language(&self, id: OrgId, language: Option<&str>) -> Result<()> {
        let language = language.map(str::to_string);
        self.writer
            .call(move |c, _| {
                match c.execute(
                    "UPDATE organisations SET language = ?2 WHERE id = ?1",
                    params![id.to_string(), language],
                )? {
                    0 => Err(StoreError::NotFound("organisation")),
                    _ => Ok(()),
                }
            })
            .await
    }

    async fn remove_location(&self, org: OrgId, mpn_id: &MpnId) -> Result<()> {
        let mpn = mpn_id.clone();
        self.writer
            .call(move |c, _| {
                let locations: i64 = c.query_row(
                    "SELECT count(*) FROM locations WHERE org_id = ?1",
                    [org.to_string()],
                    |r| r.get(0),
                )?;
                let ours = c
                    .query_row(
                        "SELECT 1 FROM locations WHERE org_id = ?1 AND mpn_id = ?2",
                        params![org.to_string(), mpn.as_str()],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some();
                if !ours {
                    return Err(StoreError::NotFound("location"));
                }
                let claims: i64 = c.query_row(
                    "SELECT count(*) FROM claims WHERE mpn_id = ?1",
                    [mpn.as_str()],
                    |r| r.get(0),
                )?;
                crate::admin::check_location_removal(&mpn, locations, claims)?;
                c.execute("DELETE FROM locations WHERE mpn_id = ?1", [mpn.as_str()])?;
                Ok(())
            })
            .await
    }

    async fn set_suspended(&self, org: OrgId, suspended: bool, now: Timestamp) -> Result<()> {
        self.writer
            .call(move |c, _| {
                let n = if suspended {
                    c.execute(
                        "UPDATE organisations SET suspended_at = coalesce(suspended_at, ?2) WHERE id = ?1",
                        params![org.to_string(), micros(now)],
                    )?
                } else {
                    c.execute(
                        "UPDATE organisations SET suspended_at = NULL WHERE id = ?1",
                        [org.to_string()],
                    )?
                };
                if n == 0 {
                    return Err(StoreError::NotFound("organisation"));
                }
                if suspended {
                    c.execute(
                        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE org_id = ?1)",
                        [org.to_string()],
                    )?;
                }
                Ok(())
            })
            .await
    }

    async fn suspended_organisations(&self) -> Result<Vec<OrgId>> {
        self.readers
            .read(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT id FROM organisations WHERE suspended_at IS NOT NULL ORDER BY id",
                )?;
                let ids = stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                ids.iter()
                    .map(|id| crate::conv::parse("organisation id", id))
                    .collect()
            })
            .await
    }

    async fn organisation(&self, id: OrgId) -> Result<Option<Organisation>> {
        self.readers
            .read(move |c| queries::organisation(c, id))
            .await
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        self.readers
            .read(|c| {
                queries::organisation_ids(c)?
                    .into_iter()
                    .filter_map(|id| queries::organisation(c, id).transpose())
                    .collect()
            })
            .await
    }

    async fn create_user(&self, user: &User, token_hash: Option<&str>) -> Result<()> {
        let (u, hash) = (user.clone(), token_hash.map(str::to_string));
        self.writer
            .call(move |c, _| {
                if let Some(org) = u.org_id
                    && queries::organisation(c, org)?.is_none()
                {
                    return Err(StoreError::NotFound("organisation"));
                }
                let r = c.execute(
                    "INSERT INTO users (id, org_id, email, name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        u.id.to_string(),
                        u.org_id.map(|o| o.to_string()),
                        u.email.as_str(),
                        u.name,
                        u.role.as_str(),
                        micros(u.created_at)
                    ],
                );
                match unique_violation(&r) {
                    Some("users.id") => {
                        return Err(StoreError::Duplicate {
                            field: "id",
                            value: u.id.to_string(),
                        });
                    }
                    Some(_) => {
                        return Err(StoreError::Duplicate {
                            field: "email",
                            value: u.email.to_string(),
                        });
                    }
                    None => {}
                }
                r?;
                if let Some(hash) = hash {
                    accounts::insert_token(c, u.id, &hash, None, u.created_at, None, None)?;
                }
                Ok(())
            })
            .await
    }

    async fn add_token(&self, user: UserId, token_hash: &str, now: Timestamp) -> Result<()> {
        let hash = token_hash.to_string();
        self.writer
            .call(move |c, _| {
                accounts::insert_token(c, user, &hash, None, now, None, None).map(|_| ())
            })
            .await
    }

    async fn token_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(User, Option<TokenScope>)>> {
        let hash = token_hash.to_string();
        let found = {
            let hash = hash.clone();
            self.readers
                .read(move |c| accounts::token_user(c, &hash, now))
                .await?
        };
        let Some((user, scope, note_use)) = found else {
            return Ok(None);
        };
        if note_use {
            // Only a record for owners and admins: a failure does not refuse the request.
            if let Err(e) = self
                .writer
                .call(move |c, _| accounts::note_token_use(c, &hash, now))
                .await
            {
                tracing::warn!(error = %e, "cannot record when an API token was last used");
            }
        }
        Ok(Some((user, scope)))
    }

    async fn users(&self, org: Option<OrgId>) -> Result<Vec<User>> {
        self.readers.read(move |c| queries::users(c, org)).await
    }

    async fn account(&self, id: UserId) -> Result<Option<Account>> {
        self.readers.read(move |c| accounts::account(c, id)).await
    }

    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>> {
        let email = email.clone();
        self.readers
            .read(move |c| accounts::account_by_email(c, &email))
            .await
    }

    async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()> {
        let hash = password_hash.to_string();
        self.writer
            .call(move |c, _| accounts::set_password(c, user, &hash))
            .await
    }

    async fn set_language(&self, user: UserId, language: Option<&str>) -> Result<()> {
        let language = language.map(str::to_string);
        self.writer
            .call(move |c, _| accounts::set_language(c, user, language.as_deref()))
            .await
    }

    async fn set_disabled(&self, user: UserId, disabled: bool) -> Result<()> {
        let at = Timestamp::now();
        self.writer
            .call(move |c, _| accounts::set_disabled(c, user, disabled, at))
            .await
    }

    async fn set_role(&self, user: UserId, role: Role) -> Result<()> {
        self.writer
            .call(move |c, _| accounts::set_role(c, user, role))
            .await
    }

    async fn create_session(&self, session: &Session) -> Result<()> {
        let s = session.clone();
        self.writer
            .call(move |c, _| accounts::create_session(c, &s))
            .await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>> {
        let id = id_hash.to_string();
        self.readers.read(move |c| accounts::session(c, &id)).await
    }

    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> Result<()> {
        let id = id_hash.to_string();
        self.writer
            .call(move |c, _| accounts::touch_session(c, &id, now))
            .await
    }

    async fn end_session(&self, id_hash: &str) -> Result<()> {
        let id = id_hash.to_string();
        self.writer
            .call(move |c, _| accounts::end_session(c, &id))
            .await
    }

    async fn end_sessions_of(&self, user: UserId) -> Result<u64> {
        self.writer
            .call(move |c, _| accounts::end_sessions_of(c, user))
            .await
    }

    async fn create_link(
        &self,
        hash: &str,
        user: UserId,
        purpose: LinkPurpose,
        expires_at: Timestamp,
    ) -> Result<()> {
        let hash = hash.to_string();
        self.writer
            .call(move |c, _| accounts::create_link(c, &hash, user, purpose, expires_at))
            .await
    }

    async fn peek_link(
        &self,
        hash: &str,
        purpose: LinkPurpose,
        now: Timestamp,
    ) -> Result<Option<UserId>> {
        let hash = hash.to_string();
        self.readers
            .read(move |c| accounts::peek_link(c, &hash, purpose, now))
            .await
    }

    async fn use_link(
        &self,
        hash: &str,
        purpose: LinkPurpose,
        now: Timestamp,
    ) -> Result<Option<UserId>> {
        let hash = hash.to_string();
        self.writer
            .call(move |c, _| accounts::use_link(c, &hash, purpose, now))
            .await
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
        let keys = keys.to_vec();
        self.writer
            .call(move |c, _| accounts::record_login_failure(c, &keys, now, forget_before))
            .await
    }

    async fn login_failures(&self, key: &str, since: Timestamp) -> Result<u32> {
        let key = key.to_string();
        self.readers
            .read(move |c| accounts::login_failures(c, &key, since))
            .await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        let key = key.to_string();
        self.writer
            .call(move |c, _| accounts::clear_login_failures(c, &key))
            .await
    }

    async fn tokens(&self, user: UserId) -> Result<Vec<TokenInfo>> {
        self.readers.read(move |c| accounts::tokens(c, user)).await
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
        let (hash, name) = (token_hash.to_string(), name.map(str::to_string));
        self.writer
            .call(move |c, _| {
                accounts::create_token(c, user, &hash, name.as_deref(), now, expires_at, scope)
            })
            .await
    }

    async fn revoke_token(&self, user: UserId, token_id: &str) -> Result<bool> {
        let (id, at) = (token_id.to_string(), Timestamp::now());
        self.writer
            .call(move |c, _| accounts::revoke_token(c, user, &id, at))
            .await
    }

    async fn execute(&self, request: CommandRequest) -> Result<CommandOutcome> {
        self.writer
            .call(move |conn, state| {
                let reference = state.reference(conn)?;
                let mut tx = tx::SqliteTx { conn };
                futures::executor::block_on(crate::command::run(&mut tx, &request, &reference))
            })
            .await
    }

    async fn claim(&self, id: ClaimId) -> Result<Option<Claim>> {
        self.readers.read(move |c| queries::claim(c, id)).await
    }

    async fn claim_by_consent(&self, token_hash: &str) -> Result<Option<Claim>> {
        let hash = token_hash.to_string();
        self.readers
            .read(move |c| queries::claim_by_consent(c, &hash))
            .await
    }

    async fn claims(&self, query: &ClaimQuery) -> Result<Page<Claim, ClaimCursor>> {
        let q = query.clone();
        self.readers.read(move |c| queries::claims(c, &q)).await
    }

    async fn claim_counts(&self, org: Option<OrgId>) -> Result<Vec<(Status, u64)>> {
        self.readers
            .read(move |c| queries::claim_counts(c, org))
            .await
    }

    async fn review_queue(
        &self,
        after: Option<(Timestamp, ClaimId)>,
        limit: u32,
    ) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
        self.readers
            .read(move |c| queries::review_queue(c, after, limit))
            .await
    }

    async fn dispute_queue(
        &self,
        after: Option<(Timestamp, ClaimId)>,
        limit: u32,
    ) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
        self.readers
            .read(move |c| queries::dispute_queue(c, after, limit))
            .await
    }

    async fn history(&self, id: ClaimId, after_seq: u64, limit: u32) -> Result<Vec<Event>> {
        self.readers
            .read(move |c| queries::events(c, id, after_seq, limit))
            .await
    }

    async fn report_events(
        &self,
        from: Timestamp,
        to: Timestamp,
        org: Option<OrgId>,
        after: Option<(Timestamp, ClaimId, u64)>,
        limit: u32,
    ) -> Result<Vec<ReportEvent>> {
        self.readers
            .read(move |c| queries::report_events(c, from, to, org, after, limit))
            .await
    }

    async fn comments(
        &self,
        id: ClaimId,
        thread: Option<Thread>,
        after_seq: u64,
        limit: u32,
    ) -> Result<Vec<Comment>> {
        self.readers
            .read(move |c| queries::comments(c, id, thread, after_seq, limit))
            .await
    }

    async fn poe_recorded(&self, poe: cpor_domain::values::PoeId) -> Result<bool> {
        self.readers
            .read(move |c| {
                Ok(c.prepare_cached("SELECT 1 FROM poe WHERE id = ?1")?
                    .query_row([poe.to_string()], |_| Ok(()))
                    .optional()?
                    .is_some())
            })
            .await
    }

    async fn save_findings(
        &self,
        claim: ClaimId,
        poe: cpor_domain::values::PoeId,
        findings: &cpor_domain::findings::Findings,
        at: Timestamp,
    ) -> Result<()> {
        let json = serde_json::to_string(findings)?;
        self.writer
            .call(move |c, _| {
                c.prepare_cached(
                    "INSERT INTO poe_findings (poe_id, claim_id, findings, at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (poe_id) DO UPDATE SET findings = excluded.findings, at = excluded.at",
                )?
                .execute(params![poe.to_string(), claim.to_string(), json, micros(at)])?;
                Ok(())
            })
            .await
    }

    async fn findings(
        &self,
        claim: ClaimId,
    ) -> Result<Vec<(cpor_domain::values::PoeId, cpor_domain::findings::Findings)>> {
        self.readers
            .read(move |c| {
                let mut stmt = c.prepare_cached(
                    "SELECT poe_id, findings FROM poe_findings WHERE claim_id = ?1 ORDER BY poe_id",
                )?;
                let rows = stmt
                    .query_map([claim.to_string()], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                rows.iter()
                    .map(|(p, f)| Ok((crate::conv::parse("poe id", p)?, serde_json::from_str(f)?)))
                    .collect()
            })
            .await
    }

    async fn set_digest_opt_out(&self, user: UserId, opt_out: bool) -> Result<()> {
        self.writer
            .call(move |c, _| {
                let sql = if opt_out {
                    "INSERT INTO digest_opt_outs (user_id) VALUES (?1) ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM digest_opt_outs WHERE user_id = ?1"
                };
                c.prepare_cached(sql)?.execute([user.to_string()])?;
                Ok(())
            })
            .await
    }

    async fn digest_opt_outs(&self) -> Result<Vec<UserId>> {
        self.readers
            .read(|c| {
                let mut stmt = c.prepare_cached("SELECT user_id FROM digest_opt_outs")?;
                let ids = stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                ids.iter()
                    .map(|i| crate::conv::parse("user id", i))
                    .collect()
            })
            .await
    }

    async fn digest_sent(&self, day: Date) -> Result<bool> {
        self.readers
            .read(move |c| {
                Ok(
                    c.prepare_cached("SELECT 1 FROM digest_days WHERE day = ?1")?
                        .query_row([day.to_string()], |_| Ok(()))
                        .optional()?
                        .is_some(),
                )
            })
            .await
    }

    async fn claim_digest_day(&self, day: Date, now: Timestamp) -> Result<bool> {
        self.writer
            .call(move |c, _| {
                Ok(c.prepare_cached(
                    "INSERT INTO digest_days (day, sent_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                )?
                .execute(params![day.to_string(), micros(now)])?
                    == 1)
            })
            .await
    }

    async fn close(&self) -> Result<()> {
        // The writer's connection always sits in a batch transaction, where a checkpoint
        // cannot run: a connection of its own does it, once nothing is being written.
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let conn = Connection::open(&path)?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
            Ok(())
        })
        .await
        .map_err(StoreError::internal)?
    }

    async fn create_webhook(&self, endpoint: &WebhookEndpoint) -> Result<()> {
        let e = endpoint.clone();
        self.writer.call(move |c, _| webhooks::create(c, &e)).await
    }

    async fn webhooks(&self, org: Option<OrgId>) -> Result<Vec<WebhookEndpoint>> {
        self.readers.read(move |c| webhooks::list(c, org)).await
    }

    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
        self.readers.read(move |c| webhooks::get(c, id)).await
    }

    async fn set_webhook_disabled(
        &self,
        id: WebhookId,
        disabled: Option<(Timestamp, &str)>,
    ) -> Result<bool> {
        let disabled = disabled.map(|(t, why)| (t, why.to_string()));
        self.writer
            .call(move |c, _| {
                webhooks::set_disabled(c, id, disabled.as_ref().map(|(t, w)| (*t, w.as_str())))
            })
            .await
    }

    async fn delete_webhook(&self, id: WebhookId) -> Result<bool> {
        self.writer.call(move |c, _| webhooks::delete(c, id)).await
    }

    async fn take_due_deliveries(
        &self,
        now: Timestamp,
        limit: u32,
        lease: SignedDuration,
    ) -> Result<Vec<WebhookDelivery>> {
        self.writer
            .call(move |c, _| webhooks::take_due(c, now, limit, lease))
            .await
    }

    async fn record_delivery_attempt(
        &self,
        delivery: &WebhookDelivery,
        attempt: &DeliveryAttempt,
        outcome: AttemptOutcome,
    ) -> Result<()> {
        let (d, a) = (delivery.clone(), attempt.clone());
        self.writer
            .call(move |c, _| webhooks::record_attempt(c, &d, &a, outcome))
            .await
    }

    async fn deliveries(
        &self,
        endpoint: WebhookId,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        self.readers
            .read(move |c| webhooks::deliveries(c, endpoint, before, limit))
            .await
    }

    async fn delivery_attempts(&self, delivery: i64) -> Result<Vec<DeliveryAttempt>> {
        self.readers
            .read(move |c| webhooks::attempts(c, delivery))
            .await
    }

    async fn redeliver(&self, endpoint: WebhookId, delivery: i64, now: Timestamp) -> Result<bool> {
        self.writer
            .call(move |c, _| webhooks::redeliver(c, endpoint, delivery, now))
            .await
    }

    async fn eligibility_changes(
        &self,
        after: u64,
        limit: u32,
        org: Option<OrgId>,
    ) -> Result<Vec<(u64, EligibilityChange)>> {
        self.readers
            .read(move |c| eligibility::changes(c, after, limit, org))
            .await
    }

    async fn eligible_at(
        &self,
        at: Timestamp,
        org: Option<OrgId>,
        after: Option<PeriodCursor>,
        limit: u32,
    ) -> Result<Vec<EligibilityPeriod>> {
        self.readers
            .read(move |c| eligibility::eligible_at(c, at, org, after, limit))
            .await
    }

    async fn key_holder(&self, key: &AssociationKey) -> Result<Option<KeyHolder>> {
        let k = key.clone();
        self.readers.read(move |c| queries::key_holder(c, &k)).await
    }

    async fn take_due_jobs(
        &self,
        now: Timestamp,
        limit: u32,
        lease: SignedDuration,
    ) -> Result<Vec<Job>> {
        let until = now.checked_add(lease).unwrap_or(Timestamp::MAX);
        self.writer
            .call(move |c, _| {
                let mut stmt = c.prepare_cached(
                    "UPDATE jobs SET locked_until = ?2 WHERE id IN (
                         SELECT id FROM jobs WHERE done_at IS NULL AND due_at <= ?1 AND parked = 0
                             AND (locked_until IS NULL OR locked_until <= ?1)
                         ORDER BY due_at, id LIMIT ?3)
                     RETURNING id, payload, due_at, attempts",
                )?;
                let rows =
                    stmt.query_map(params![micros(now), micros(until), limit as i64], |r| {
                        Ok((
                            r.get::<_, i64>("id")?,
                            r.get::<_, String>("payload")?,
                            r.get::<_, i64>("due_at")?,
                            r.get::<_, i64>("attempts")?,
                        ))
                    })?;
                let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
                let mut jobs = Vec::new();
                for (id, payload, due, attempts) in rows {
                    match queries::job_of(id, &payload, due, attempts) {
                        Ok(job) => jobs.push(job),
                        // One bad row must not hold up the others: park it for operators.
                        Err(e) => {
                            tracing::error!(job = id, error = %e, "parking a job that does not decode");
                            c.prepare_cached(
                                "UPDATE jobs SET parked = 1, locked_until = NULL, last_error = ?2 WHERE id = ?1",
                            )?
                            .execute(params![id, format!("undecodable: {e}")])?;
                        }
                    }
                }
                jobs.sort_by_key(|j| (j.due_at, j.id));
                Ok(jobs)
            })
            .await
    }

    async fn finish_job(&self, id: i64, now: Timestamp, outcome: &str) -> Result<()> {
        let outcome = outcome.to_string();
        self.writer
            .call(move |c, _| tx::complete_job(c, id, now, &outcome))
            .await
    }

    async fn retry_job(&self, id: i64, error: &str, retry_at: Timestamp) -> Result<Retry> {
        let error = error.to_string();
        self.writer
            .call(move |c, _| {
                // Out of attempts: parked where it was due, instead of due again.
                let parked: Option<bool> = c
                    .prepare_cached(
                        "UPDATE jobs SET attempts = attempts + 1, last_error = ?2, locked_until = NULL,
                             parked = (attempts + 1 >= ?4),
                             due_at = CASE WHEN attempts + 1 >= ?4 THEN due_at ELSE ?3 END
                         WHERE id = ?1 AND done_at IS NULL
                         RETURNING parked",
                    )?
                    .query_row(
                        params![id, error, micros(retry_at), i64::from(MAX_JOB_ATTEMPTS)],
                        |r| r.get("parked"),
                    )
                    .optional()?;
                Ok(if parked == Some(true) {
                    Retry::Parked
                } else {
                    Retry::Scheduled
                })
            })
            .await
    }

    async fn job_stats(&self, now: Timestamp) -> Result<JobStats> {
        self.readers
            .read(move |c| {
                let (due, failing, parked) = c.query_row(
                    "SELECT count(*) FILTER (WHERE due_at <= ?1 AND parked = 0) AS due,
                         count(*) FILTER (WHERE attempts > 0 AND parked = 0) AS failing,
                         count(*) FILTER (WHERE parked = 1) AS parked
                     FROM jobs WHERE done_at IS NULL",
                    [micros(now)],
                    |r| {
                        Ok((
                            r.get::<_, i64>("due")?,
                            r.get::<_, i64>("failing")?,
                            r.get::<_, i64>("parked")?,
                        ))
                    },
                )?;
                Ok(JobStats {
                    due: due as u64,
                    failing: failing as u64,
                    parked: parked as u64,
                })
            })
            .await
    }

    async fn failing_jobs(&self, after: Option<i64>, limit: u32) -> Result<Vec<FailingJob>> {
        self.readers
            .read(move |c| queries::failing_jobs(c, after, limit))
            .await
    }

    async fn requeue_job(&self, id: i64, now: Timestamp) -> Result<bool> {
        self.writer
            .call(move |c, _| {
                Ok(c.prepare_cached(
                    "UPDATE jobs SET parked = 0, attempts = 0, due_at = ?2, locked_until = NULL
                     WHERE id = ?1 AND done_at IS NULL AND parked = 1",
                )?
                .execute(params![id, micros(now)])?
                    == 1)
            })
            .await
    }

    async fn insert_raw_job(
        &self,
        kind: &str,
        claim_id: &str,
        payload: &str,
        due_at: Timestamp,
    ) -> Result<i64> {
        let (kind, claim_id, payload) =
            (kind.to_string(), claim_id.to_string(), payload.to_string());
        self.writer
            .call(move |c, _| {
                c.execute(
                    "INSERT INTO jobs (kind, claim_id, payload, due_at, created_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![kind, claim_id, payload, micros(due_at)],
                )?;
                Ok(c.last_insert_rowid())
            })
            .await
    }

    async fn pending_timers(&self, id: ClaimId) -> Result<Vec<Timer>> {
        self.readers
            .read(move |c| queries::pending_timers(c, id))
            .await
    }

    async fn backup(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Duplicate {
                field: "file",
                value: path.display().to_string(),
            });
        }
        let target = path.to_string_lossy().to_string();
        let source = self.path.clone();
        tokio::task::spawn_blocking(move || {
            // VACUUM INTO reads one snapshot: a consistent copy while writers go on.
            let conn = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            conn.execute("VACUUM INTO ?1", [target])?;
            Ok(())
        })
        .await
        .map_err(StoreError::internal)?
    }
}

/// The `table.column` a unique or primary key refused (SQLite says "UNIQUE constraint
/// failed: users.email"); other constraint failures, such as foreign keys, are not
/// duplicates.
fn unique_violation<T>(r: &rusqlite::Result<T>) -> Option<&str> {
    match r {
        Err(rusqlite::Error::SqliteFailure(f, msg))
            if matches!(
                f.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ) =>
        {
            Some(
                msg.as_deref()
                    .and_then(|m| m.rsplit(": ").next())
                    .unwrap_or(""),
            )
        }
        _ => None,
    }
}

fn insert_location(c: &Connection, org: OrgId, l: &Location) -> Result<()> {
    let r = c.execute(
        "INSERT INTO locations (mpn_id, org_id, name) VALUES (?1, ?2, ?3)",
        params![l.mpn_id.as_str(), org.to_string(), l.name],
    );
    if unique_violation(&r).is_some() {
        return Err(StoreError::Duplicate {
            field: "mpn_id",
            value: l.mpn_id.to_string(),
        });
    }
    r?;
    Ok(())
}

/// Replaces the domains and subscriptions of each tenant given. A domain or a
/// subscription that another tenant had moves to the tenant that now names it.
fn directory_import(c: &Connection, tenants: &[TenantRecord]) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let now = micros(Timestamp::now());
    for t in tenants {
        let id = t.tenant_id.to_string();
        c.execute(
            "INSERT INTO tenants (tenant_id, imported_at) VALUES (?1, ?2)
             ON CONFLICT (tenant_id) DO UPDATE SET imported_at = excluded.imported_at",
            params![id, now],
        )?;
        c.execute("DELETE FROM tenant_domains WHERE tenant_id = ?1", [&id])?;
        c.execute("DELETE FROM subscriptions WHERE tenant_id = ?1", [&id])?;
        for d in &t.domains {
            c.execute(
                "INSERT INTO tenant_domains (domain, tenant_id) VALUES (?1, ?2)
                 ON CONFLICT (domain) DO UPDATE SET tenant_id = excluded.tenant_id",
                params![d.as_str(), id],
            )?;
            summary.domains += 1;
        }
        for s in &t.subscriptions {
            c.execute(
                "INSERT INTO subscriptions (subscription_id, tenant_id, product, state, channel, starts_on, ends_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (subscription_id) DO UPDATE SET tenant_id = excluded.tenant_id, product = excluded.product,
                     state = excluded.state, channel = excluded.channel, starts_on = excluded.starts_on,
                     ends_on = excluded.ends_on",
                params![
                    s.id.to_string(),
                    id,
                    s.product.as_str(),
                    s.state.as_str(),
                    s.channel.as_str(),
                    s.starts_on.to_string(),
                    s.ends_on.map(|d| d.to_string())
                ],
            )?;
            summary.subscriptions += 1;
        }
        summary.tenants += 1;
    }
    Ok(summary)
}
