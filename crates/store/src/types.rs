//! What goes in and out of the store.

use cpor_domain::claim::{Claim, Command, Event, Notification, Phase, Status, Thread, TimerKind};
use cpor_domain::jiff::Timestamp;
use cpor_domain::reference::{ProductId, SolutionArea};
use cpor_domain::values::{
    ClaimId, CommentBody, CommentId, Email, MpnId, OrgId, PoeId, TenantId, UserId,
};
use cpor_domain::{Actor, Role};
use serde::{Deserialize, Serialize};

/// An idempotency key of a request: the same key and request hash answer the first
/// outcome again; the same key with another hash is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// Whose key it is (keys of different users never meet).
    pub scope: String,
    pub key: String,
    /// A hash of the request (method, path and body).
    pub request_hash: String,
}

/// A command for the store to run in one transaction.
#[derive(Debug, Clone)]
pub struct CommandRequest {
    /// The claim; for `Create`, the new claim's id.
    pub claim_id: ClaimId,
    pub command: Command,
    pub actor: Actor,
    pub now: Timestamp,
    /// The claim's `etag` the caller saw (`If-Match`): a different current one is refused.
    pub expected_version: Option<u64>,
    pub idempotency: Option<Idempotency>,
    /// The job this command carries out (a timer or an e-mail delivery): marked done in
    /// the same transaction, so it takes effect exactly once.
    pub job_id: Option<i64>,
}

impl CommandRequest {
    pub fn new(claim_id: ClaimId, command: Command, actor: Actor, now: Timestamp) -> Self {
        CommandRequest {
            claim_id,
            command,
            actor,
            now,
            expected_version: None,
            idempotency: None,
            job_id: None,
        }
    }
}

/// What an accepted command did.
#[derive(Debug, Clone)]
pub struct CommandOutcome {
    /// The claim after the command (`None` once deleted). For a replayed idempotent
    /// request, the claim as the first request left it.
    pub claim: Option<Claim>,
    /// The events the command appended to the target claim (none when replayed).
    pub events: Vec<Event>,
    /// Whether this is the answer of an earlier request with the same idempotency key.
    pub replayed: bool,
    /// Whether the command created the claim.
    pub created: bool,
}

/// Filters, order and position of a claim list.
#[derive(Debug, Clone, Default)]
pub struct ClaimQuery {
    /// Partner users see their organisation's claims only.
    pub org_id: Option<OrgId>,
    pub status: Option<Status>,
    pub phase: Option<Phase>,
    pub solution_area: Option<SolutionArea>,
    pub mpn_id: Option<MpnId>,
    pub tenant_id: Option<TenantId>,
    /// Claims with a product line of this product.
    pub product: Option<ProductId>,
    /// Claims last changed at or after this time (`updated_at`, inclusive).
    pub updated_from: Option<Timestamp>,
    /// Claims last changed at or before this time (`updated_at`, inclusive).
    pub updated_to: Option<Timestamp>,
    /// Words in the claim's name or the customer's domain (case-insensitive), or a
    /// subscription ID (or the start of one, at least 4 characters) of one of the claim's
    /// product lines.
    pub q: Option<String>,
    pub sort: ClaimSort,
    /// Where the previous page ended (its `next`); a cursor of another sort is refused.
    pub after: Option<ClaimCursor>,
    pub limit: u32,
}

/// The order of a claim list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ClaimSort {
    /// Newest created first (ids are UUIDv7, so by id, descending).
    #[default]
    Newest,
    /// Last changed first (`updated_at` descending, then id descending).
    LastChange,
    /// By name, case-insensitive, A to Z (then id ascending).
    Name,
}

/// Where a page of a claim list ended: the sort key of its last claim. Its text form
/// (`Display`, `FromStr`) is compact; a `Newest` cursor is the bare claim id, as cursors
/// were before lists had other orders.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClaimCursor {
    Newest(ClaimId),
    LastChange(Timestamp, ClaimId),
    /// The claim's name sort key (its name in lower case, see [`name_key`]) and id.
    Name(String, ClaimId),
}

impl ClaimCursor {
    /// The order this cursor is a position in.
    pub fn sort(&self) -> ClaimSort {
        match self {
            ClaimCursor::Newest(_) => ClaimSort::Newest,
            ClaimCursor::LastChange(..) => ClaimSort::LastChange,
            ClaimCursor::Name(..) => ClaimSort::Name,
        }
    }

    /// The cursor as a refusal when it is not a position in `sort`: a `cursor` field error
    /// (`invalid_format`).
    pub fn check(&self, sort: ClaimSort) -> crate::Result<()> {
        if self.sort() == sort {
            Ok(())
        } else {
            Err(cpor_domain::DomainError::one(
                "cursor",
                cpor_domain::ErrorCode::InvalidFormat,
                "This cursor belongs to a list in another order; pass the next_cursor of the previous page.",
            )
            .into())
        }
    }
}

/// `<id>` (newest), `c:<updated_at in microseconds>:<id>` (last change),
/// `n:<id>:<name key>` (name; the key comes last, as it may hold any character).
impl std::fmt::Display for ClaimCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClaimCursor::Newest(id) => write!(f, "{id}"),
            ClaimCursor::LastChange(t, id) => write!(f, "c:{}:{id}", t.as_microsecond()),
            ClaimCursor::Name(key, id) => write!(f, "n:{id}:{key}"),
        }
    }
}

/// The text of a claim cursor is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a claim list cursor")]
pub struct BadCursor;

impl std::str::FromStr for ClaimCursor {
    type Err = BadCursor;

    fn from_str(s: &str) -> Result<Self, BadCursor> {
        let id = |s: &str| s.parse::<ClaimId>().map_err(|_| BadCursor);
        if let Some(rest) = s.strip_prefix("c:") {
            let (t, i) = rest.split_once(':').ok_or(BadCursor)?;
            let us: i64 = t.parse().map_err(|_| BadCursor)?;
            let t = Timestamp::from_microsecond(us).map_err(|_| BadCursor)?;
            Ok(ClaimCursor::LastChange(t, id(i)?))
        } else if let Some(rest) = s.strip_prefix("n:") {
            let (i, key) = rest.split_once(':').ok_or(BadCursor)?;
            Ok(ClaimCursor::Name(key.to_string(), id(i)?))
        } else {
            Ok(ClaimCursor::Newest(id(s)?))
        }
    }
}

/// What a claim's name sorts by: the name in lower case (Unicode), compared byte by byte.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// A page of a list and where the next one starts.
#[derive(Debug, Clone)]
pub struct Page<T, C = String> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

/// An event of the log as reports read it: the claim's organisation beside the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportEvent {
    pub claim_id: ClaimId,
    pub org_id: OrgId,
    pub seq: u64,
    pub at: Timestamp,
    /// The domain event, as recorded (operator-only details included: the caller decides
    /// what a reader may see, see [`Event::view_for`]).
    pub event: Event,
}

impl ReportEvent {
    /// Where the next page starts when this event is the last of one.
    pub fn position(&self) -> (Timestamp, ClaimId, u64) {
        (self.at, self.claim_id, self.seq)
    }
}

/// A comment of a claim's or its dispute's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: CommentId,
    pub claim_id: ClaimId,
    pub thread: Thread,
    pub seq: u64,
    pub at: Timestamp,
    pub author: Actor,
    pub body: CommentBody,
}

/// A user of a partner organisation or of the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub org_id: Option<OrgId>,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub created_at: Timestamp,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor::User {
            id: self.id,
            org: self.org_id,
            role: self.role,
            name: self.name.clone(),
        }
    }
}

/// A signed-in browser session, stored under the SHA-256 hash of its secret id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub user_id: UserId,
    /// The session's anti-forgery token, which its forms carry.
    pub csrf: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
}

/// A user with what web sign-in needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user: User,
    /// The password's hash (never the password); none until the user sets one.
    pub password_hash: Option<String>,
    /// The language the user chose for the web portal.
    pub language: Option<String>,
    /// A disabled user cannot sign in, and its API tokens authenticate nobody.
    pub disabled: bool,
    /// The user's organisation is suspended: like disabled, until the suspension is lifted.
    pub suspended: bool,
}

impl Account {
    /// Whether the user may not sign in or use the service: disabled, or of a suspended
    /// organisation.
    pub fn blocked(&self) -> bool {
        self.disabled || self.suspended
    }
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Invitation,
    PasswordReset,
}

impl LinkPurpose {
    /// How it is stored: `invitation`, `password_reset`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::PasswordReset => "password_reset",
        }
    }
}

/// An API token as its owner and admins see it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The public id: the first 16 hex characters of the token's hash.
    pub id: String,
    pub user_id: UserId,
    pub name: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    /// None: everything the user's role allows.
    pub scope: Option<TokenScope>,
}

cpor_domain::string_enum!(
    /// A narrower grant than the user's role, for a token given to another system.
    TokenScope, "scope", "token scope" {
        /// The eligibility feed, the export and the lookup; nothing else.
        EligibilityRead = "eligibility:read",
    }
);

/// The public id of a token with this hash: its first 16 characters.
pub(crate) fn token_public_id(token_hash: &str) -> String {
    token_hash.chars().take(16).collect()
}

/// What a due job asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobKind {
    Timer {
        claim_id: ClaimId,
        timer: TimerKind,
    },
    Email(Notification),
    /// A PoE record was dropped (removed from a draft, or its draft deleted): its file
    /// goes from the blob store. Queued in the same transaction as the drop, so a crash
    /// between the two cannot leave the file behind.
    RemovePoeFile {
        claim_id: ClaimId,
        poe_id: PoeId,
    },
    /// A PoE record was added: its file is read for pre-flight findings.
    ReadPoe {
        claim_id: ClaimId,
        poe_id: PoeId,
    },
}

impl JobKind {
    /// The `kind` column: what the job does, for queries and operators.
    pub fn name(&self) -> &'static str {
        match self {
            JobKind::Timer { .. } => "timer",
            JobKind::Email(_) => "email",
            JobKind::RemovePoeFile { .. } => "remove_poe_file",
            JobKind::ReadPoe { .. } => "read_poe",
        }
    }

    /// The claim the job is about.
    pub fn claim_id(&self) -> ClaimId {
        match self {
            JobKind::Timer { claim_id, .. }
            | JobKind::RemovePoeFile { claim_id, .. }
            | JobKind::ReadPoe { claim_id, .. } => *claim_id,
            JobKind::Email(n) => n.claim_id,
        }
    }
}

/// A job taken by a worker: it holds a lease on it until `lease_until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    pub due_at: Timestamp,
    /// Attempts before this one.
    pub attempts: u32,
}

/// Failed attempts after which a job is parked instead of retried: it stays in the
/// table, visible to operators ([`crate::Store::failing_jobs`]), and runs again only
/// when requeued ([`crate::Store::requeue_job`]).
pub const MAX_JOB_ATTEMPTS: u32 = 10;

/// What [`crate::Store::retry_job`] did with a failed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Due again at the given time.
    Scheduled,
    /// Out of attempts: parked until an operator requeues it.
    Parked,
}

/// A job that failed, as operators see it. Its kind is the stored text, so that a row
/// whose payload no longer decodes is listed too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailingJob {
    pub id: i64,
    /// `timer`, `email`, `remove_poe_file`.
    pub kind: String,
    pub claim_id: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// When it is due again; for a parked job, when it was last due.
    pub due_at: Timestamp,
    pub parked: bool,
}

/// Counts for the metrics endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobStats {
    /// Due, not done and not parked.
    pub due: u64,
    /// Not done, not parked, and failed at least once (being retried).
    pub failing: u64,
    /// Out of attempts or undecodable: waiting for an operator.
    pub parked: u64,
}

/// The outcome of a directory import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub tenants: usize,
    pub domains: usize,
    pub subscriptions: usize,
}

/// One key's period of eligibility: from the association's activation until the key
/// stopped counting (none while it counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityPeriod {
    pub claim_id: ClaimId,
    pub key: cpor_domain::keys::AssociationKey,
    pub org_id: OrgId,
    pub mpn_id: cpor_domain::values::MpnId,
    pub effective_from: Timestamp,
    pub effective_to: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
}

/// Where an export of periods resumes: after this claim's key.
pub type PeriodCursor = (ClaimId, String);

/// A webhook endpoint: a partner's global admin's (its organisation's claims) or a program
/// admin's (every claim, `org_id` none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub id: cpor_domain::values::WebhookId,
    pub org_id: Option<OrgId>,
    /// Who registered it: e-mailed when it is disabled.
    pub owner_id: UserId,
    pub url: String,
    /// The event types it receives (see [`cpor_domain::webhook::event_types`]).
    pub events: Vec<String>,
    /// `whsec_` and the base64 of the signing key.
    pub secret: String,
    pub created_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
    pub disabled_reason: Option<String>,
    /// The first failure since the last delivery that succeeded.
    pub failing_since: Option<Timestamp>,
}

impl WebhookEndpoint {
    /// Whether it receives `event_type` of a claim of `org`.
    pub fn wants(&self, event_type: &str, org: OrgId) -> bool {
        self.org_id.is_none_or(|o| o == org) && self.events.iter().any(|e| e == event_type)
    }

    /// The side its bodies are written for.
    pub fn side(&self) -> cpor_domain::Side {
        match self.org_id {
            None => cpor_domain::Side::Operator,
            Some(_) => cpor_domain::Side::Partner,
        }
    }
}

cpor_domain::string_enum!(
    /// Where a delivery stands.
    DeliveryStatus, "status", "delivery status" {
        Pending = "pending",
        Delivered = "delivered",
        /// Still failing 24 hours after it was queued: given up (redeliverable by hand).
        Failed = "failed",
    }
);

/// One message to one endpoint, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    pub id: i64,
    pub endpoint_id: cpor_domain::values::WebhookId,
    /// `webhook-id`: the same on every attempt, so a receiver can drop repeats.
    pub message_id: String,
    pub claim_id: ClaimId,
    pub event_type: String,
    pub payload: String,
    pub created_at: Timestamp,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
}

/// One attempt of a delivery, as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    pub attempt: u32,
    pub at: Timestamp,
    /// The receiver's HTTP status; none when it did not answer.
    pub status_code: Option<u16>,
    pub duration_ms: u64,
    pub error: Option<String>,
}

/// What follows an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    Delivered,
    RetryAt(Timestamp),
    GiveUp,
}
