//! `decide`: from a claim's state, a command and its context to the events it causes, or
//! a refusal. Pure: the store loads the context, and persists what comes out.
//!
//! Order of checks, so that refusals are predictable: who may run the command
//! (`not_permitted`), whether the claim is theirs to see (`not_found`), whether the
//! claim's status allows it (`invalid_state`), then the input (all errors at once).

mod association;
mod dispute;
mod draft;
mod review;

pub use review::contested_keys;

use super::{Claim, Command, EventKind, Status, Thread};
use crate::actor::{Actor, Role};
use crate::error::DomainError;
use crate::keys::KeyHolder;
use crate::reference::{Organisation, Reference, TenantRecord};
use crate::values::ClaimId;
use jiff::Timestamp;

/// What `decide` needs besides the claim: the moment, the actor, the reference data, and
/// the directory and key holders of the claim's tenant.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub now: Timestamp,
    pub actor: &'a Actor,
    pub reference: &'a Reference,
    /// The claim's organisation (needed to create and edit: its MPN IDs).
    pub organisation: Option<&'a Organisation>,
    /// The directory record of the tenant the claim names after the command, if known.
    pub tenant: Option<&'a TenantRecord>,
    /// The current holders of keys in that tenant.
    pub holders: &'a [KeyHolder],
}

/// A command that must run on another claim in the same transaction, by the same actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub claim_id: ClaimId,
    pub command: Command,
}

/// The outcome of an accepted command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    pub events: Vec<EventKind>,
    pub follow_ups: Vec<FollowUp>,
}

impl Decision {
    fn events(events: Vec<EventKind>) -> Self {
        Decision {
            events,
            follow_ups: Vec::new(),
        }
    }
    fn one(event: EventKind) -> Self {
        Decision::events(vec![event])
    }
}

const MANAGERS: &[Role] = &[Role::GlobalAdmin, Role::IncentivesAdmin];
const POE_ADDERS: &[Role] = &[
    Role::GlobalAdmin,
    Role::IncentivesAdmin,
    Role::IncentivesUser,
];
const CLAIM_COMMENTERS: &[Role] = &[
    Role::GlobalAdmin,
    Role::IncentivesAdmin,
    Role::IncentivesUser,
    Role::Reviewer,
    Role::SupportAgent,
];
const DISPUTE_COMMENTERS: &[Role] = &[
    Role::GlobalAdmin,
    Role::IncentivesAdmin,
    Role::IncentivesUser,
    Role::SupportAgent,
];
const REVIEWERS: &[Role] = &[Role::Reviewer];
const SUPPORT: &[Role] = &[Role::SupportAgent];

/// Who may run a command (docs/product.md: actors, and the "by" column of the lifecycle
/// table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    Roles(&'static [Role]),
    Customer,
    System,
    /// Arbitration: the approving reviewer ends the previous holder's association.
    ReviewerOrSystem,
}

impl Command {
    /// Who may run this command.
    pub fn allowed(&self) -> Allowed {
        match self {
            Command::Create { .. }
            | Command::Edit(_)
            | Command::RemovePoe(_)
            | Command::Delete
            | Command::Submit { .. }
            | Command::Resubmit { .. }
            | Command::Withdraw { .. }
            | Command::Disassociate { .. }
            | Command::OpenDispute(_) => Allowed::Roles(MANAGERS),
            Command::AddPoe(_) => Allowed::Roles(POE_ADDERS),
            Command::Comment {
                thread: Thread::Claim,
                ..
            } => Allowed::Roles(CLAIM_COMMENTERS),
            Command::Comment {
                thread: Thread::Dispute,
                ..
            } => Allowed::Roles(DISPUTE_COMMENTERS),
            Command::StartReview { .. }
            | Command::Take { .. }
            | Command::RequestInformation { .. }
            | Command::Approve { .. }
            | Command::Reject { .. } => Allowed::Roles(REVIEWERS),
            Command::StartDispute { .. } | Command::ResolveDispute { .. } => {
                Allowed::Roles(SUPPORT)
            }
            Command::CustomerDecline { .. } => Allowed::Customer,
            Command::Supersede { .. } => Allowed::ReviewerOrSystem,
            Command::Fire(_)
            | Command::RecordEmail { .. }
            | Command::DropEmail { .. }
            | Command::Recount => Allowed::System,
        }
    }
}

fn check_actor(cmd: &Command, actor: &Actor) -> Result<(), DomainError> {
    let ok = match (cmd.allowed(), actor) {
        (Allowed::Roles(roles), Actor::User { role, .. }) => roles.contains(role),
        (Allowed::Customer, Actor::Customer) => true,
        (Allowed::System, Actor::System) => true,
        (Allowed::ReviewerOrSystem, Actor::System) => true,
        (Allowed::ReviewerOrSystem, Actor::User { role, .. }) => *role == Role::Reviewer,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let who = match actor {
            Actor::User { role, .. } => format!("a user with the {role} role"),
            Actor::Customer => "the customer".to_string(),
            Actor::System => "the system".to_string(),
        };
        Err(DomainError::not_permitted(format!(
            "The {} command cannot be run by {who}.",
            cmd.name()
        )))
    }
}

/// A partner user sees only their own organisation's claims: for anyone else's claim
/// the answer is "not found", never "forbidden".
fn check_scope(claim: &Claim, actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::User { role, org, .. }
            if role.side() == crate::actor::Side::Partner && *org != Some(claim.org_id) =>
        {
            Err(DomainError::not_found("claim", "No such claim."))
        }
        _ => Ok(()),
    }
}

fn require_status(claim: &Claim, allowed: &[Status], cmd: &Command) -> Result<(), DomainError> {
    if allowed.contains(&claim.status) {
        Ok(())
    } else {
        Err(DomainError::invalid_state(format!(
            "A claim that is {} cannot be {}; it must be {}.",
            claim.status,
            refused(cmd),
            allowed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        )))
    }
}

/// What a refused command would have done to the claim, written out for each command
/// ("A claim that is draft cannot be withdrawn"), never derived from its name.
fn refused(cmd: &Command) -> &'static str {
    match cmd {
        Command::Create { .. } => "created again",
        Command::Edit(_) => "edited",
        Command::AddPoe(_) => "given more proof of execution",
        Command::RemovePoe(_) => "stripped of proof of execution",
        Command::Comment { .. } => "commented on",
        Command::Delete => "deleted",
        Command::Submit { .. } => "submitted",
        Command::StartReview { .. } => "taken for review",
        Command::Take { .. } => "taken by a reviewer",
        Command::RequestInformation { .. } => "sent back for information",
        Command::Resubmit { .. } => "resubmitted",
        Command::Approve { .. } => "approved",
        Command::Reject { .. } => "rejected",
        Command::Withdraw { .. } => "withdrawn",
        Command::Disassociate { .. } => "disassociated",
        Command::CustomerDecline { .. } => "declined by the customer",
        Command::OpenDispute(_) => "disputed",
        Command::StartDispute { .. } => "taken up as a dispute",
        Command::ResolveDispute { .. } => "settled as a dispute",
        Command::Supersede { .. } => "superseded",
        Command::Fire(_) => "moved on by a deadline",
        Command::RecordEmail { .. } => "e-mailed about",
        Command::DropEmail { .. } => "spared a stale e-mail",
        Command::Recount => "given recounted deadlines",
    }
}

/// Whether the actor may run the command on this claim at all: the first checks of
/// [`decide`], which the store also runs before it compares versions, so that a user who
/// may not act learns that (403/404) rather than that the claim changed (412).
pub fn authorize(claim: Option<&Claim>, cmd: &Command, actor: &Actor) -> Result<(), DomainError> {
    check_actor(cmd, actor)?;
    match claim {
        Some(c) => check_scope(c, actor),
        None => Ok(()),
    }
}

/// Decides a command on a claim (`None` only for `Create`).
pub fn decide(
    claim: Option<&Claim>,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    check_actor(cmd, ctx.actor)?;
    let claim = match (claim, cmd) {
        (None, Command::Create { org_id, fields, .. }) => {
            return draft::create(*org_id, fields, ctx);
        }
        (Some(c), Command::Create { .. }) => {
            return Err(DomainError::conflict(
                "claim",
                format!("Claim {} already exists.", c.id),
            ));
        }
        (None, _) => return Err(DomainError::not_found("claim", "No such claim.")),
        (Some(c), _) => c,
    };
    check_scope(claim, ctx.actor)?;
    match cmd {
        Command::Create { .. } => unreachable!("handled above"),
        Command::Edit(patch) => draft::edit(claim, patch, cmd, ctx),
        Command::AddPoe(file) => draft::add_poe(claim, file, ctx),
        Command::RemovePoe(id) => draft::remove_poe(claim, *id, cmd),
        Command::Comment { id, thread, body } => draft::comment(claim, *id, *thread, body),
        Command::Delete => draft::delete(claim, cmd),
        Command::Submit { comment } => draft::submit(claim, comment, cmd, ctx),
        Command::StartReview { comment } => review::start(claim, comment, cmd, ctx),
        Command::Take { over } => review::take(claim, *over, cmd, ctx),
        Command::RequestInformation { reasons, comment } => {
            review::request_information(claim, reasons, comment, cmd, ctx)
        }
        Command::Resubmit { comment } => review::resubmit(claim, comment, cmd, ctx),
        Command::Approve {
            comment,
            consent,
            confirm,
        } => review::approve(claim, comment, consent, *confirm, cmd, ctx),
        Command::Reject { reasons, comment } => review::reject(claim, reasons, comment, cmd),
        Command::Withdraw { comment } => review::withdraw(claim, comment, cmd),
        Command::Disassociate { reason } => association::disassociate(claim, reason, cmd),
        Command::CustomerDecline { token_hash } => {
            association::customer_decline(claim, token_hash, ctx)
        }
        Command::Supersede { by, keys } => association::supersede(claim, *by, keys, cmd, ctx),
        Command::Fire(kind) => association::fire(claim, *kind, ctx),
        Command::RecordEmail { template, to } => Ok(Decision::one(EventKind::EmailSent {
            template: *template,
            to: to.clone(),
        })),
        Command::DropEmail { template, to, why } => Ok(Decision::one(EventKind::EmailDropped {
            template: *template,
            to: to.clone(),
            why: *why,
        })),
        Command::Recount => review::recount(claim, ctx),
        Command::OpenDispute(input) => dispute::open(claim, input, cmd, ctx),
        Command::StartDispute { comment } => dispute::start(claim, comment),
        Command::ResolveDispute { outcome, comment } => {
            dispute::resolve(claim, *outcome, comment, ctx)
        }
    }
}
