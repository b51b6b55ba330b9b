//! Running a command end to end, without I/O: decide, stamp the events, fold them, run
//! the follow-ups on the other claims concerned, and say what the store must write for
//! each claim (events, new state, keys to release and take, timers, e-mails).

use crate::claim::{
    Claim, Command, Context, Event, Notification, Timer, apply, decide, notifications,
};
use crate::error::DomainError;
use crate::keys::AssociationKey;
use crate::values::ClaimId;
use std::collections::BTreeMap;

/// What one claim's part of a command changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub claim_id: ClaimId,
    pub before: Option<Claim>,
    /// `None` when the claim was deleted.
    pub after: Option<Claim>,
    pub events: Vec<Event>,
    pub notifications: Vec<Notification>,
    pub keys_released: Vec<AssociationKey>,
    pub keys_taken: Vec<AssociationKey>,
    /// The claim's timers after the change, when they differ from before: the store
    /// replaces the claim's pending timers with these.
    pub timers: Option<Vec<Timer>>,
}

impl Change {
    pub fn is_noop(&self) -> bool {
        self.events.is_empty()
    }
}

/// Runs `cmd` on `claim` (`None` to create). `others` holds the claims that follow-ups
/// may touch: for an approval, the holders of the claim's keys (see
/// [`Command::needs_holder_claims`]). The first change is the target claim's. The store
/// must write every change in one transaction, releasing keys of all changes before
/// taking any.
pub fn execute(
    claim: Option<&Claim>,
    cmd: &Command,
    ctx: &Context,
    others: &BTreeMap<ClaimId, Claim>,
) -> Result<Vec<Change>, DomainError> {
    let decision = decide(claim, cmd, ctx)?;
    let claim_id = match (claim, cmd) {
        (Some(c), _) => c.id,
        (None, Command::Create { id, .. }) => *id,
        (None, _) => return Err(DomainError::not_found("claim", "No such claim.")),
    };
    let consent = match cmd {
        Command::Approve { consent, .. } => Some(consent),
        _ => None,
    };
    let mut changes = vec![change_of(claim_id, claim, decision.events, ctx, consent)];
    for follow in decision.follow_ups {
        let other = others.get(&follow.claim_id).ok_or_else(|| {
            DomainError::conflict(
                "claim",
                format!(
                    "Claim {} changed while this command ran; try again.",
                    follow.claim_id
                ),
            )
        })?;
        // A follow-up refused means the other claim moved on since the holders were read
        // (a concurrent decision on the same keys): the whole command is a conflict.
        let d = decide(Some(other), &follow.command, ctx).map_err(|_| {
            DomainError::conflict(
                "claim",
                "Another decision on the same association was made at the same moment; reload and try again.",
            )
        })?;
        debug_assert!(d.follow_ups.is_empty(), "follow-ups do not chain");
        changes.push(change_of(other.id, Some(other), d.events, ctx, None));
    }
    Ok(changes)
}

fn change_of(
    claim_id: ClaimId,
    before: Option<&Claim>,
    kinds: Vec<crate::claim::EventKind>,
    ctx: &Context,
    consent: Option<&crate::claim::ConsentSecret>,
) -> Change {
    let programs = &ctx.reference.programs;
    let mut state = before.cloned();
    let mut events = Vec::with_capacity(kinds.len());
    let mut mails = Vec::new();
    let first = before.map_or(0, |c| c.version) + 1;
    for (seq, kind) in (first..).zip(kinds) {
        let event = Event {
            claim_id,
            seq,
            at: ctx.now,
            actor: ctx.actor.clone(),
            kind,
        };
        state = apply(state, &event);
        if let Some(s) = &state {
            mails.extend(notifications(s, &event, consent, &ctx.reference.policy));
        }
        events.push(event);
    }
    let held_before = before.map(|c| c.held_keys(programs)).unwrap_or_default();
    let held_after = state
        .as_ref()
        .map(|c| c.held_keys(programs))
        .unwrap_or_default();
    let timers_before = before.map(Claim::timers).unwrap_or_default();
    let timers_after = state.as_ref().map(Claim::timers).unwrap_or_default();
    Change {
        claim_id,
        keys_released: held_before
            .iter()
            .filter(|k| !held_after.contains(k))
            .cloned()
            .collect(),
        keys_taken: held_after
            .iter()
            .filter(|k| !held_before.contains(k))
            .cloned()
            .collect(),
        timers: (timers_before != timers_after).then_some(timers_after),
        before: before.cloned(),
        after: state,
        events,
        notifications: mails,
    }
}
