//! Who is e-mailed about what (docs/product.md, e-mails): the customer on approval, with
//! the opt-out link; partners when a claim needs their action, a business day before the
//! response window ends, on approval and rejection, and when their association is
//! superseded or ended by the customer, or their dispute is resolved.

use super::{Claim, ConsentSecret, Event, EventKind, Status, apply};
use crate::string_enum;
use crate::values::{ClaimId, Email, Parse};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

string_enum!(
    /// The e-mails cpor sends.
    Template, "template", "e-mail template" {
        /// To the customer: which partner claims what, what data they will see, the link.
        ConsentRequest = "consent_request",
        InformationRequested = "information_requested",
        ResponseReminder = "response_reminder",
        Approved = "approved",
        Rejected = "rejected",
        Superseded = "superseded",
        /// To the partner: arbitration moved some of its keys to another claim; it keeps
        /// the rest.
        PartlySuperseded = "partly_superseded",
        AssociationEnded = "association_ended",
        DisputeResolved = "dispute_resolved",
        /// To the partner holding an association: a reviewer arbitrating over its keys asks
        /// for more (without telling who competes).
        ArbitrationQuestion = "arbitration_question",
        /// To support's mailbox: a partner disputes a rejection.
        DisputeOpened = "dispute_opened",
        /// A comment from the other side: an operator's to the partner, a partner's on
        /// its dispute to support's mailbox.
        CommentAdded = "comment_added",
        /// To the reviewer who had the claim: another reviewer took it over.
        TakenOver = "taken_over",
        /// A submitted claim names keys another partner's association holds: to its
        /// partner (a reviewer will arbitrate) and to the holder's (its association stays
        /// as it is meanwhile), neither told who the other is.
        ArbitrationOpened = "arbitration_opened",
    }
);

string_enum!(
    /// Which contact of the claim an e-mail goes to.
    Recipient, "recipient", "recipient" {
        Partner = "partner",
        Customer = "customer",
        Support = "support",
        /// An operator's user (the reviewer who had a claim taken over).
        Reviewer = "reviewer",
    }
);

/// An e-mail to send, written to the outbox in the same transaction as its event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub claim_id: ClaimId,
    pub template: Template,
    pub recipient: Recipient,
    pub to: Email,
    /// The consent link's secret, for the consent request only; the outbox drops it once
    /// the e-mail is sent.
    pub consent_secret: Option<String>,
    /// The claim's version (the seq of the event that called for the e-mail): the e-mail
    /// says what was true then, whenever it is delivered. 0 for e-mails queued before
    /// this was kept: those are rendered from the claim as it is at delivery.
    #[serde(default)]
    pub as_of: u64,
}

string_enum!(
    /// Why a queued e-mail was dropped at its turn instead of sent.
    DropReason, "why", "reason for dropping an e-mail" {
        /// The claim left the state the e-mail asks the recipient to act in.
        MovedOn = "moved_on",
        /// The deadline the e-mail reminds of has passed.
        DeadlinePassed = "deadline_passed",
        /// The deadline the e-mail reminds of is no longer the claim's (a new round, or
        /// it was recounted): its date would be wrong.
        DeadlineMoved = "deadline_moved",
    }
);

/// Whether a queued e-mail still applies when its turn comes, given the claim as it was
/// when the e-mail was queued (`then`), the events recorded since (`since`, in order) and
/// the time of delivery. `None`: send it. `Some(why)`: drop it and record why.
///
/// E-mails that ask the recipient to act (the partner's request for information and its
/// reminder, an arbitration question, the customer's consent request) no longer apply once
/// the claim has left the status they asked for action in, even if it came back since.
/// The request for information and its reminder no longer apply once the answer's
/// deadline passed; the reminder neither once that deadline moved (a recount: its date
/// would be wrong, and the request already said when). A request for information
/// whose deadline was recounted is still sent, with the date it was asked with. E-mails that
/// report a decision (approval, rejection, supersession, an ended association, a dispute
/// opened or resolved) are always sent: rendered as of their event, they stay true.
pub fn stale(
    n: &Notification,
    then: &Claim,
    since: &[Event],
    now: Timestamp,
) -> Option<DropReason> {
    // The state the e-mail asks the recipient to act in, if it asks for action at all.
    let holds = |c: &Claim| c.status == Status::Approved && c.phase.is_some_and(|p| p.holds_keys());
    let applies = |c: &Claim| match n.template {
        Template::InformationRequested | Template::ResponseReminder => {
            c.status == Status::PartnerActionRequired
        }
        Template::ArbitrationQuestion => holds(c) && c.arbitration_question.is_some(),
        Template::ConsentRequest => holds(c),
        Template::Approved
        | Template::Rejected
        | Template::Superseded
        | Template::PartlySuperseded
        | Template::AssociationEnded
        | Template::DisputeResolved
        | Template::DisputeOpened
        | Template::CommentAdded
        | Template::TakenOver
        | Template::ArbitrationOpened => true,
    };
    let mut state = Some(then.clone());
    let mut still = applies(then);
    for e in since {
        state = apply(state, e);
        still &= state.as_ref().is_some_and(applies);
    }
    let current = match state {
        Some(c) if still => c,
        _ => return Some(DropReason::MovedOn),
    };
    // Asking for an answer by a time already past says nothing the partner can act on:
    // the window's own timer is about to reject the claim.
    if !matches!(
        n.template,
        Template::InformationRequested | Template::ResponseReminder
    ) {
        return None;
    }
    match current.deadlines.partner_response_due {
        None => Some(DropReason::MovedOn),
        Some(due) if due <= now => Some(DropReason::DeadlinePassed),
        Some(due)
            if n.template == Template::ResponseReminder
                && Some(due) != then.deadlines.partner_response_due =>
        {
            Some(DropReason::DeadlineMoved)
        }
        Some(_) => None,
    }
}

/// The e-mails an event of a claim calls for, given the claim after the event and the
/// policy (which names support's mailbox). Their `as_of` is the claim's version (the
/// event's seq) when the claim is given after its event.
pub fn notifications(
    claim: &Claim,
    event: &Event,
    consent: Option<&ConsentSecret>,
    policy: &crate::reference::Policy,
) -> Vec<Notification> {
    let as_of = claim.version;
    let partner = |template| to_partner(claim, template, as_of);
    let support = |template| {
        policy
            .support_email
            .as_deref()
            .and_then(|e| Email::parse(e).ok())
            .map(|to| Notification {
                claim_id: claim.id,
                template,
                recipient: Recipient::Support,
                to,
                consent_secret: None,
                as_of,
            })
    };
    let mut out: Vec<Option<Notification>> = Vec::new();
    match &event.kind {
        EventKind::InformationRequested { .. } => out.push(partner(Template::InformationRequested)),
        EventKind::ArbitrationInformationRequested { .. } => {
            out.push(partner(Template::ArbitrationQuestion))
        }
        EventKind::ResponseReminderDue { .. } => out.push(partner(Template::ResponseReminder)),
        EventKind::Approved { .. } => {
            out.push(partner(Template::Approved));
            out.push(
                claim
                    .fields
                    .customer_contact
                    .as_ref()
                    .map(|c| Notification {
                        claim_id: claim.id,
                        template: Template::ConsentRequest,
                        recipient: Recipient::Customer,
                        to: c.email.clone(),
                        consent_secret: consent.map(|s| s.0.clone()),
                        as_of,
                    }),
            );
        }
        EventKind::Rejected { .. }
        | EventKind::ResponseWindowPassed
        | EventKind::CustomerDeclined {
            during_window: true,
        } => out.push(partner(Template::Rejected)),
        EventKind::CustomerDeclined {
            during_window: false,
        } => out.push(partner(Template::AssociationEnded)),
        EventKind::Superseded { last: true, .. } => out.push(partner(Template::Superseded)),
        EventKind::Superseded { last: false, .. } => out.push(partner(Template::PartlySuperseded)),
        EventKind::DisputeResolved { .. } => out.push(partner(Template::DisputeResolved)),
        EventKind::DisputeOpened { .. } => out.push(support(Template::DisputeOpened)),
        // The other side hears of a comment: the partner of an operator's, support of a
        // partner's on its dispute (the reviewer who has the claim hears of a partner's
        // on the claim's thread: see [`to_reviewer`]).
        EventKind::CommentAdded { thread, .. } => match (event.side(), thread) {
            (crate::actor::Side::Operator, _) => out.push(partner(Template::CommentAdded)),
            (crate::actor::Side::Partner, super::Thread::Dispute) => {
                out.push(support(Template::CommentAdded))
            }
            _ => {}
        },
        _ => {}
    }
    out.into_iter().flatten().collect()
}

/// An e-mail of `template` to the claim's partner contact, if it has one.
pub fn to_partner(claim: &Claim, template: Template, as_of: u64) -> Option<Notification> {
    claim.fields.partner_contact.as_ref().map(|c| Notification {
        claim_id: claim.id,
        template,
        recipient: Recipient::Partner,
        to: c.email.clone(),
        consent_secret: None,
        as_of,
    })
}

/// The operator's user an event of `claim` (as it is after the event) is to be told to,
/// with the e-mail: the reviewer a claim was taken over from, and the reviewer who has
/// a claim its partner commented on (the claim's thread; a dispute's goes to support).
pub fn to_reviewer(claim: &Claim, event: &Event) -> Option<(crate::values::UserId, Template)> {
    match &event.kind {
        EventKind::Taken {
            reviewer,
            previous: Some(previous),
        } if *previous != reviewer.id => Some((*previous, Template::TakenOver)),
        EventKind::CommentAdded {
            thread: super::Thread::Claim,
            ..
        } if event.side() == crate::actor::Side::Partner => claim
            .reviewer
            .as_ref()
            .map(|r| (r.id, Template::CommentAdded)),
        _ => None,
    }
}

/// The claims of other organisations whose associations hold keys that `claim` names,
/// when `event` (a submission) puts it up for review against them: an arbitration opens.
pub fn arbitration_opened(
    claim: &Claim,
    event: &Event,
    holders: &[crate::keys::KeyHolder],
    programs: &crate::reference::ProgramMap,
) -> Vec<ClaimId> {
    if !matches!(event.kind, EventKind::Submitted { .. }) {
        return Vec::new();
    }
    let keys = claim.keys(programs);
    let mut out: Vec<ClaimId> = holders
        .iter()
        .filter(|h| h.org_id != claim.org_id && keys.contains(&h.key))
        .map(|h| h.claim_id)
        .collect();
    out.sort();
    out.dedup();
    out
}
