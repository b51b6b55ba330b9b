//! Persistence of cpor behind one [`Store`] trait, with an embedded SQLite backend (the
//! default: a file in the data directory) and a PostgreSQL one. Both run a command the
//! same way (see [`command`]): load the claim and its context, let the domain decide, and
//! write the events, the claim's row, its keys, timers and e-mails in one transaction.

mod admin;
mod command;
mod conv;
mod error;
mod list;
pub mod postgres;
mod recount;
mod rows;
pub mod sqlite;
mod types;

pub use error::{BoxError, Result, StoreError};
pub use recount::recount_deadlines;
pub use types::*;

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
use std::path::Path;
use std::sync::Arc;

/// Everything cpor keeps. Implemented by [`sqlite::SqliteStore`] and the PostgreSQL
/// store; one conformance suite runs against both.
#[async_trait]
pub trait Store: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Succeeds when the database answers (readiness).
    async fn ping(&self) -> Result<()>;
    /// Called once the service stops: SQLite folds its write-ahead log into the database
    /// (so the next start has nothing to replay, and a copy of the file is whole).
    async fn close(&self) -> Result<()> {
        Ok(())
    }

    // ----- reference data ------------------------------------------------------------------
    async fn reference(&self) -> Result<Arc<Reference>>;
    async fn set_policy(&self, policy: &Policy) -> Result<()>;
    /// Adds a product or replaces the one with its id (name, solution area, Dynamics 365
    /// flag, retired flag); it keeps its place in the catalog's order.
    async fn upsert_product(&self, product: &Product) -> Result<()>;
    /// Adds a holiday; `false` when the date already was one.
    async fn add_holiday(&self, date: Date, name: Option<&str>) -> Result<bool>;
    async fn remove_holiday(&self, date: Date) -> Result<bool>;
    async fn holidays(&self) -> Result<Vec<(Date, Option<String>)>>;

    // ----- tenant directory --------------------------------------------------------------
    /// Replaces what the directory knows of each given tenant, all or nothing.
    async fn import_directory(&self, tenants: &[TenantRecord]) -> Result<ImportSummary>;
    async fn tenant(&self, id: TenantId) -> Result<Option<TenantRecord>>;
    async fn tenant_of_domain(&self, domain: &DomainName) -> Result<Option<TenantId>>;

    // ----- organisations and users -------------------------------------------------------
    async fn create_organisation(&self, org: &Organisation, now: Timestamp) -> Result<()>;
    async fn add_location(&self, org: OrgId, location: &Location) -> Result<()>;
    /// NotFound("organisation") when there is no such organisation.
    async fn rename_organisation(&self, id: OrgId, name: &OrganisationName) -> Result<()>;
    /// The organisation's language (`en`, `fr`, `pt-BR`, `sv`), if one was chosen.
    async fn organisation_language(&self, id: OrgId) -> Result<Option<String>>;
    /// NotFound("organisation") when there is no such organisation.
    async fn set_organisation_language(&self, id: OrgId, language: Option<&str>) -> Result<()>;
    /// Removes a partner location of `org`. NotFound("location") when `org` has no such
    /// MPN ID; refused (`Domain`, field `mpn_id`) with `conflict` while any claim names
    /// it, and with `invalid_state` when it is the organisation's last location.
    async fn remove_location(&self, org: OrgId, mpn_id: &MpnId) -> Result<()>;
    /// Suspends an organisation or lifts its suspension. A suspended organisation's users
    /// cannot sign in ([`Account::suspended`]), their sessions end, and their API tokens
    /// authenticate nobody ([`Store::user_by_token`] returns None). NotFound("organisation").
    async fn set_suspended(&self, org: OrgId, suspended: bool, now: Timestamp) -> Result<()>;
    /// The suspended organisations' ids.
    async fn suspended_organisations(&self) -> Result<Vec<OrgId>>;
    async fn organisation(&self, id: OrgId) -> Result<Option<Organisation>>;
    async fn organisations(&self) -> Result<Vec<Organisation>>;
    /// Creates a user, with a first API token (stored as its hash) or none (a user invited
    /// to the web portal).
    async fn create_user(&self, user: &User, token_hash: Option<&str>) -> Result<()>;
    async fn add_token(&self, user: UserId, token_hash: &str, now: Timestamp) -> Result<()>;
    /// The user of an API token; `None` when the token is unknown, revoked or expired at
    /// `now`, or its user is disabled or of a suspended organisation. Records when the token was last used (at most
    /// once a minute).
    async fn user_by_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>> {
        Ok(self.token_user(token_hash, now).await?.map(|(u, _)| u))
    }
    /// The user of a token that works at `now`, and the token's scope.
    async fn token_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(User, Option<TokenScope>)>>;
    async fn users(&self, org: Option<OrgId>) -> Result<Vec<User>>;

    // ----- accounts and sessions (web sign-in) ---------------------------------------------
    async fn account(&self, id: UserId) -> Result<Option<Account>>;
    /// By e-mail, case-insensitive.
    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>>;
    /// NotFound("user") when there is no such user.
    async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()>;
    /// NotFound("user") when there is no such user.
    async fn set_language(&self, user: UserId, language: Option<&str>) -> Result<()>;
    /// Disabling also ends the user's sessions; a disabled user's API tokens stop working
    /// (user_by_token returns None). NotFound("user") when there is no such user.
    async fn set_disabled(&self, user: UserId, disabled: bool) -> Result<()>;
    /// NotFound("user") when there is no such user.
    async fn set_role(&self, user: UserId, role: Role) -> Result<()>;
    /// NotFound("user") when there is no such user; Duplicate { field: "session" } when
    /// the id is taken.
    async fn create_session(&self, session: &Session) -> Result<()>;
    async fn session(&self, id_hash: &str) -> Result<Option<Session>>;
    /// Records that the session was seen at `now`; nothing when there is no such session.
    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> Result<()>;
    /// Ends the session; nothing when there is no such session.
    async fn end_session(&self, id_hash: &str) -> Result<()>;
    /// Ends every session of the user; how many.
    async fn end_sessions_of(&self, user: UserId) -> Result<u64>;
    /// Stores a one-time link (by the hash of its secret). NotFound("user") when there is
    /// no such user; Duplicate { field: "link" } when the hash is taken.
    async fn create_link(
        &self,
        hash: &str,
        user: UserId,
        purpose: LinkPurpose,
        expires_at: Timestamp,
    ) -> Result<()>;
    /// Whether the link works now (known, this purpose, unused, not expired), without
    /// using it.
    async fn peek_link(
        &self,
        hash: &str,
        purpose: LinkPurpose,
        now: Timestamp,
    ) -> Result<Option<UserId>>;
    /// Uses the link up, atomically: its user the first time, None ever after (and when
    /// unknown, of another purpose or expired). Two concurrent calls: exactly one gets Some.
    async fn use_link(
        &self,
        hash: &str,
        purpose: LinkPurpose,
        now: Timestamp,
    ) -> Result<Option<UserId>>;
    /// Counts a failed sign-in at `now` under each key (e.g. "account:x@y",
    /// "address:1.2.3.4"), and forgets every failure of any key before `forget_before`:
    /// those no longer count, and forgetting them keeps the table bounded.
    async fn record_login_failure(
        &self,
        keys: &[String],
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<()>;
    /// Failures of `key` at or after `since`.
    async fn login_failures(&self, key: &str, since: Timestamp) -> Result<u32>;
    async fn clear_login_failures(&self, key: &str) -> Result<()>;
    /// The user's live (not revoked) API tokens, newest first.
    async fn tokens(&self, user: UserId) -> Result<Vec<TokenInfo>>;
    /// A named API token with an optional expiry. NotFound("user") when there is no such
    /// user; Duplicate { field: "token" } when the hash is taken.
    async fn create_token(
        &self,
        user: UserId,
        token_hash: &str,
        name: Option<&str>,
        now: Timestamp,
        expires_at: Option<Timestamp>,
        scope: Option<TokenScope>,
    ) -> Result<TokenInfo>;
    /// Revokes the token with this public id if it belongs to `user` (and is not revoked
    /// yet); false otherwise.
    async fn revoke_token(&self, user: UserId, token_id: &str) -> Result<bool>;

    // ----- claims --------------------------------------------------------------------------
    /// Runs a command in one transaction.
    async fn execute(&self, request: CommandRequest) -> Result<CommandOutcome>;
    async fn claim(&self, id: ClaimId) -> Result<Option<Claim>>;
    /// The claim whose consent link has this hash.
    async fn claim_by_consent(&self, token_hash: &str) -> Result<Option<Claim>>;
    /// A page of claims in the query's order, resuming after its cursor. A cursor of
    /// another order is refused: `Domain`, a `cursor` field error (`invalid_format`).
    async fn claims(&self, query: &ClaimQuery) -> Result<Page<Claim, ClaimCursor>>;
    /// How many claims there are of each status (of one organisation, or all), every
    /// status listed, in [`Status::ALL`] order.
    async fn claim_counts(&self, org: Option<OrgId>) -> Result<Vec<(Status, u64)>>;
    /// Submitted and under-review claims, the oldest due first.
    async fn review_queue(
        &self,
        after: Option<(Timestamp, ClaimId)>,
        limit: u32,
    ) -> Result<Page<Claim, (Timestamp, ClaimId)>>;
    /// Claims whose latest dispute is open or in progress (support's disputes queue), the
    /// oldest due first, then by id; `after` is the last (due, id) of the previous page.
    async fn dispute_queue(
        &self,
        after: Option<(Timestamp, ClaimId)>,
        limit: u32,
    ) -> Result<Page<Claim, (Timestamp, ClaimId)>>;
    /// A claim's events after `after_seq`, in order.
    async fn history(&self, id: ClaimId, after_seq: u64, limit: u32) -> Result<Vec<Event>>;
    /// The events with `from <= at < to`, of one organisation's claims when `org` is
    /// given, in (at, claim id, seq) order, resuming after `after` (the position of the
    /// previous page's last event, [`ReportEvent::position`]). Deleted drafts' events
    /// are gone with them.
    async fn report_events(
        &self,
        from: Timestamp,
        to: Timestamp,
        org: Option<OrgId>,
        after: Option<(Timestamp, ClaimId, u64)>,
        limit: u32,
    ) -> Result<Vec<ReportEvent>>;
    async fn comments(
        &self,
        id: ClaimId,
        thread: Option<Thread>,
        after_seq: u64,
        limit: u32,
    ) -> Result<Vec<Comment>>;
    /// Whether a claim records the proof-of-execution document `poe` (its file is then
    /// kept; a file no claim records is collected).
    async fn poe_recorded(&self, poe: cpor_domain::values::PoeId) -> Result<bool>;
    /// Records a document's pre-flight findings (replacing earlier ones).
    async fn save_findings(
        &self,
        claim: ClaimId,
        poe: cpor_domain::values::PoeId,
        findings: &cpor_domain::findings::Findings,
        at: Timestamp,
    ) -> Result<()>;
    /// The findings of a claim's documents that were read.
    async fn findings(
        &self,
        claim: ClaimId,
    ) -> Result<Vec<(cpor_domain::values::PoeId, cpor_domain::findings::Findings)>>;

    // ----- the reviewers' daily digest -------------------------------------------------
    /// Turns a user's daily digest off (`true`) or on again.
    async fn set_digest_opt_out(&self, user: UserId, opt_out: bool) -> Result<()>;
    async fn digest_opt_outs(&self) -> Result<Vec<UserId>>;
    /// Whether `day`'s digest was sent (or is being sent).
    async fn digest_sent(&self, day: Date) -> Result<bool>;
    /// Records that `day`'s digest is sent now; false when another process did first.
    async fn claim_digest_day(&self, day: Date, now: Timestamp) -> Result<bool>;

    // ----- webhooks ------------------------------------------------------------------------
    async fn create_webhook(&self, endpoint: &WebhookEndpoint) -> Result<()>;
    /// One organisation's endpoints, or every endpoint (`None`), oldest first.
    async fn webhooks(&self, org: Option<OrgId>) -> Result<Vec<WebhookEndpoint>>;
    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>>;
    /// Disables the endpoint (with why) or enables it again (`None`); false when there is
    /// no such endpoint.
    async fn set_webhook_disabled(
        &self,
        id: WebhookId,
        disabled: Option<(Timestamp, &str)>,
    ) -> Result<bool>;
    async fn delete_webhook(&self, id: WebhookId) -> Result<bool>;
    /// Pending deliveries due at `now` of enabled endpoints, each the oldest pending one
    /// of its endpoint and claim (so a claim's messages arrive in order), leased for
    /// `lease`.
    async fn take_due_deliveries(
        &self,
        now: Timestamp,
        limit: u32,
        lease: SignedDuration,
    ) -> Result<Vec<WebhookDelivery>>;
    /// Logs an attempt and moves the delivery on; a failure starts (or continues) its
    /// endpoint's failing streak, a success ends it.
    async fn record_delivery_attempt(
        &self,
        delivery: &WebhookDelivery,
        attempt: &DeliveryAttempt,
        outcome: AttemptOutcome,
    ) -> Result<()>;
    /// An endpoint's deliveries, newest first, before the delivery `before`.
    async fn deliveries(
        &self,
        endpoint: WebhookId,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>>;
    async fn delivery_attempts(&self, delivery: i64) -> Result<Vec<DeliveryAttempt>>;
    /// Queues a delivery of the endpoint again, now; false when there is no such delivery.
    async fn redeliver(&self, endpoint: WebhookId, delivery: i64, now: Timestamp) -> Result<bool>;

    /// The eligibility feed: changes after `after` (a change's `seq`) in commit order,
    /// of one organisation's claims or of all.
    async fn eligibility_changes(
        &self,
        after: u64,
        limit: u32,
        org: Option<OrgId>,
    ) -> Result<Vec<(u64, EligibilityChange)>>;
    /// The keys eligible at `at`, in (claim, key) order after `after`.
    async fn eligible_at(
        &self,
        at: Timestamp,
        org: Option<OrgId>,
        after: Option<PeriodCursor>,
        limit: u32,
    ) -> Result<Vec<EligibilityPeriod>>;
    async fn key_holder(&self, key: &AssociationKey) -> Result<Option<KeyHolder>>;

    // ----- jobs ------------------------------------------------------------------------------
    /// Takes up to `limit` due jobs, each leased for `lease` (another worker takes it
    /// again only once the lease has passed).
    async fn take_due_jobs(
        &self,
        now: Timestamp,
        limit: u32,
        lease: SignedDuration,
    ) -> Result<Vec<Job>>;
    /// Marks a job done with its outcome (for jobs whose command was refused, or ran
    /// without a claim command).
    async fn finish_job(&self, id: i64, now: Timestamp, outcome: &str) -> Result<()>;
    /// Records a failed attempt: the job is due again at `retry_at`, or, at its
    /// [`MAX_JOB_ATTEMPTS`]th failure, parked. Never dropped.
    async fn retry_job(&self, id: i64, error: &str, retry_at: Timestamp) -> Result<Retry>;
    async fn job_stats(&self, now: Timestamp) -> Result<JobStats>;
    /// Jobs not done that failed at least once or are parked, by id; `after` is the
    /// last id of the previous page.
    async fn failing_jobs(&self, after: Option<i64>, limit: u32) -> Result<Vec<FailingJob>>;
    /// Puts a parked job back: due at `now`, attempts reset. `false` when no parked job
    /// has this id.
    async fn requeue_job(&self, id: i64, now: Timestamp) -> Result<bool>;
    /// Test support: inserts a job row as given, bypassing [`JobKind`] (to check that a
    /// row that does not decode cannot stop the worker). Returns its id.
    #[doc(hidden)]
    async fn insert_raw_job(
        &self,
        kind: &str,
        claim_id: &str,
        payload: &str,
        due_at: Timestamp,
    ) -> Result<i64>;
    /// The timers pending for a claim.
    async fn pending_timers(&self, id: ClaimId) -> Result<Vec<Timer>>;

    // ----- administration --------------------------------------------------------------------
    /// Writes a consistent copy of the database to `path` while the store runs.
    async fn backup(&self, path: &Path) -> Result<()>;
}
