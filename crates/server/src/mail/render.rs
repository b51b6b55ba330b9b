//! The words of each e-mail (docs/product.md, e-mails): templates in `templates/email`,
//! filled from the claim, its organisation and its latest decision.

use super::Mail;
use askama::Template;
use cpor_domain::claim::{Claim, EventKind, Notification, Template as Kind};
use cpor_domain::reference::Reference;

/// What the templates can say.
pub struct MailView {
    pub claim_name: String,
    pub claim_id: String,
    pub partner: String,
    pub domain: String,
    pub products: Vec<String>,
    pub reasons: Vec<String>,
    pub comment: Option<String>,
    pub claim_link: String,
    pub consent_link: Option<String>,
    pub window_end: String,
    pub response_due: String,
    pub customer_name: String,
    pub dispute_outcome: String,
    pub dispute_window_days: u32,
}

macro_rules! mail_template {
    ($name:ident, $path:literal) => {
        #[derive(Template)]
        #[template(path = $path)]
        struct $name<'a> {
            v: &'a MailView,
        }
    };
}

mail_template!(ConsentRequest, "email/consent_request.txt");
mail_template!(InformationRequested, "email/information_requested.txt");
mail_template!(ResponseReminder, "email/response_reminder.txt");
mail_template!(Approved, "email/approved.txt");
mail_template!(Rejected, "email/rejected.txt");
mail_template!(Superseded, "email/superseded.txt");
mail_template!(AssociationEnded, "email/association_ended.txt");
mail_template!(DisputeResolved, "email/dispute_resolved.txt");

/// The latest decision's comment of the kind this e-mail is about.
fn latest_comment(kind: Kind, history: &[cpor_domain::claim::Event]) -> Option<String> {
    history.iter().rev().find_map(|e| match (&e.kind, kind) {
        (EventKind::InformationRequested { comment, .. }, Kind::InformationRequested) => {
            Some(comment.to_string())
        }
        (EventKind::Rejected { comment, .. }, Kind::Rejected) => Some(comment.to_string()),
        (EventKind::DisputeResolved { comment, .. }, Kind::DisputeResolved) => {
            Some(comment.to_string())
        }
        _ => None,
    })
}

fn when(t: Option<cpor_domain::jiff::Timestamp>, reference: &Reference) -> String {
    t.map(|t| {
        t.to_zoned(reference.calendar.time_zone().clone())
            .strftime("%A %-d %B %Y, %H:%M %Z")
            .to_string()
    })
    .unwrap_or_default()
}

/// Renders a notification of `claim` (as it is now) for `partner` (the organisation's
/// name), with the claim's recent history for the decision's comment.
pub fn render(
    n: &Notification,
    claim: &Claim,
    partner: &str,
    history: &[cpor_domain::claim::Event],
    reference: &Reference,
    public_url: &str,
    from: &str,
) -> Result<Mail, String> {
    let v = MailView {
        claim_name: claim.fields.name.to_string(),
        claim_id: claim.id.to_string(),
        partner: partner.to_string(),
        domain: claim.fields.domain.to_unicode(),
        products: claim
            .fields
            .products
            .iter()
            .map(|l| match l.subscription_id {
                Some(s) => format!(
                    "{} (subscription {s})",
                    reference.catalog.name_of(&l.product)
                ),
                None => reference.catalog.name_of(&l.product).to_string(),
            })
            .collect(),
        reasons: claim
            .reasons
            .iter()
            .map(|r| r.as_str().replace('_', " "))
            .collect(),
        comment: latest_comment(n.template, history),
        claim_link: format!("{public_url}/claims/{}", claim.id),
        consent_link: n
            .consent_secret
            .as_ref()
            .map(|s| format!("{public_url}/consent/{s}")),
        window_end: when(claim.deadlines.consent_window_end, reference),
        response_due: when(claim.deadlines.partner_response_due, reference),
        customer_name: claim
            .fields
            .customer_contact
            .as_ref()
            .map(|c| c.name.to_string())
            .unwrap_or_default(),
        dispute_outcome: claim
            .disputes
            .last()
            .map(|d| d.status.as_str().to_string())
            .unwrap_or_default(),
        dispute_window_days: reference.policy.dispute_window_days,
    };
    let (subject, body) = match n.template {
        Kind::ConsentRequest => (
            format!(
                "{partner} asks to be recognised as your partner for {}",
                v.domain
            ),
            ConsentRequest { v: &v }.render(),
        ),
        Kind::InformationRequested => (
            format!("Action needed on your claim \"{}\"", v.claim_name),
            InformationRequested { v: &v }.render(),
        ),
        Kind::ResponseReminder => (
            format!(
                "Reminder: your claim \"{}\" needs an answer by {}",
                v.claim_name, v.response_due
            ),
            ResponseReminder { v: &v }.render(),
        ),
        Kind::Approved => (
            format!("Your claim \"{}\" is approved", v.claim_name),
            Approved { v: &v }.render(),
        ),
        Kind::Rejected => (
            format!("Your claim \"{}\" is rejected", v.claim_name),
            Rejected { v: &v }.render(),
        ),
        Kind::Superseded => (
            format!("Your association \"{}\" has ended", v.claim_name),
            Superseded { v: &v }.render(),
        ),
        Kind::AssociationEnded => (
            format!("The customer ended your association \"{}\"", v.claim_name),
            AssociationEnded { v: &v }.render(),
        ),
        Kind::DisputeResolved => (
            format!("Your dispute of \"{}\" is resolved", v.claim_name),
            DisputeResolved { v: &v }.render(),
        ),
    };
    Ok(Mail {
        from: from.to_string(),
        to: n.to.to_string(),
        subject,
        body: body.map_err(|e| e.to_string())?,
    })
}
