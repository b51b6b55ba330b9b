//! Who is e-mailed about what (docs/product.md, e-mails): the customer on approval, with
//! the opt-out link; partners when a claim needs their action, a business day before the
//! response window ends, on approval and rejection, and when their association is
//! superseded or ended by the customer, or their dispute is resolved.

use super::{Claim, ConsentSecret, EventKind};
use crate::string_enum;
use crate::values::{ClaimId, Email, Parse};
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
    }
);

string_enum!(
    /// Which contact of the claim an e-mail goes to.
    Recipient, "recipient", "recipient" {
        Partner = "partner",
        Customer = "customer",
        Support = "support",
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
}

/// The e-mails an event of a claim calls for, given the claim after the event and the
/// policy (which names support's mailbox).
pub fn notifications(
    claim: &Claim,
    event: &EventKind,
    consent: Option<&ConsentSecret>,
    policy: &crate::reference::Policy,
) -> Vec<Notification> {
    let partner = |template| {
        claim.fields.partner_contact.as_ref().map(|c| Notification {
            claim_id: claim.id,
            template,
            recipient: Recipient::Partner,
            to: c.email.clone(),
            consent_secret: None,
        })
    };
    let mut out: Vec<Option<Notification>> = Vec::new();
    match event {
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
        EventKind::DisputeOpened { .. } => out.push(
            policy
                .support_email
                .as_deref()
                .and_then(|e| Email::parse(e).ok())
                .map(|to| Notification {
                    claim_id: claim.id,
                    template: Template::DisputeOpened,
                    recipient: Recipient::Support,
                    to,
                    consent_secret: None,
                }),
        ),
        _ => {}
    }
    out.into_iter().flatten().collect()
}
