//! The words of each e-mail (docs/product.md, e-mails): Fluent messages in
//! `locales/*/mail.ftl`, in the recipient's language, filled from the claim, its
//! organisation and its latest decision. Times are in the operator's time zone.

use super::Mail;
use crate::web::i18n::{I18n, Lang};
use cpor_domain::claim::{Claim, DisputeStatus, Event, EventKind, Notification, Template as Kind};
use cpor_domain::reference::Reference;

/// The latest decision's comment of the kind this e-mail is about.
fn latest_comment(kind: Kind, history: &[Event]) -> Option<String> {
    history
        .iter()
        .rev()
        .find_map(|e| match (&e.kind, kind) {
            (EventKind::InformationRequested { comment, .. }, Kind::InformationRequested) => {
                Some(comment.to_string())
            }
            (EventKind::Rejected { comment, .. }, Kind::Rejected) => Some(comment.to_string()),
            (
                EventKind::ArbitrationInformationRequested { comment, .. },
                Kind::ArbitrationQuestion,
            ) => Some(comment.to_string()),
            (EventKind::DisputeResolved { comment, .. }, Kind::DisputeResolved) => {
                Some(comment.to_string())
            }
            (EventKind::CommentAdded { body, .. }, Kind::CommentAdded) => Some(body.to_string()),
            _ => None,
        })
        .filter(|c| !c.trim().is_empty())
}

/// What every e-mail of a claim can say, in words of one language.
struct Words<'a> {
    i: I18n,
    claim: &'a Claim,
    partner: &'a str,
    reference: &'a Reference,
    claim_link: String,
}

impl Words<'_> {
    /// The arguments most messages take.
    fn args(&self) -> Vec<(&'static str, String)> {
        vec![
            ("claim", self.claim.fields.name.to_string()),
            ("domain", self.claim.fields.domain.to_unicode()),
            ("partner", self.partner.to_string()),
        ]
    }

    fn t(&self, id: &str) -> String {
        self.i.ta(id, &self.args())
    }

    fn with(&self, id: &str, more: &[(&'static str, String)]) -> String {
        let mut args = self.args();
        args.extend(more.iter().cloned());
        self.i.ta(id, &args)
    }

    /// A deadline in the operator's zone, or "(not set)" for a claim that moved on.
    fn when(&self, t: Option<cpor_domain::jiff::Timestamp>) -> String {
        t.map(|t| self.i.datetime(t))
            .unwrap_or_else(|| self.i.t("mail-no-date"))
    }

    /// The claim's products, one per line, with the subscription where there is one.
    fn products(&self) -> String {
        self.claim
            .fields
            .products
            .iter()
            .map(|l| {
                let name = self.reference.catalog.name_of(&l.product).to_string();
                let line = match l.subscription_id {
                    Some(s) => self.i.ta(
                        "mail-product-subscription",
                        &[("product", name), ("subscription", s.to_string())],
                    ),
                    None => name,
                };
                format!("  - {line}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The claim's current reasons in words.
    fn reasons(&self) -> String {
        self.claim
            .reasons
            .iter()
            .map(|r| self.i.code("reason", r.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn link(&self) -> String {
        self.i.t1("mail-claim-link", "link", &self.claim_link)
    }
}

/// `heading` and `text` as one paragraph, or nothing without a text.
fn quoted(heading: String, text: Option<String>) -> Option<String> {
    text.map(|t| format!("{heading}\n{t}"))
}

/// The paragraphs of an e-mail, blank-line separated, the empty ones left out.
fn paragraphs(parts: Vec<Option<String>>) -> String {
    let mut body = parts
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    body.push('\n');
    body
}

/// Renders a notification of `claim` as it was when the e-mail was queued (at the
/// notification's `as_of` version) for `partner` (the organisation's name) in `lang`,
/// with the claim's recent history up to then for the decision's comment.
#[allow(clippy::too_many_arguments)]
pub fn render(
    n: &Notification,
    claim: &Claim,
    partner: &str,
    history: &[Event],
    reference: &Reference,
    public_url: &str,
    from: &str,
    lang: Lang,
) -> Result<Mail, String> {
    let w = Words {
        i: I18n::new(lang, reference.calendar.time_zone().clone()),
        claim,
        partner,
        reference,
        claim_link: format!("{public_url}/claims/{}", claim.id),
    };
    let comment = latest_comment(n.template, history);
    let reviewer_comment = || quoted(w.t("mail-reviewer-comment"), comment.clone());
    let due = w.when(claim.deadlines.partner_response_due);
    let window_end = w.when(claim.deadlines.consent_window_end);
    let (subject, body) = match n.template {
        Kind::ConsentRequest => {
            let customer = claim
                .fields
                .customer_contact
                .as_ref()
                .map(|c| c.name.to_string())
                .unwrap_or_default();
            let link = match &n.consent_secret {
                Some(s) => format!("  {public_url}/consent/{s}"),
                None => format!("  {}", w.t("mail-consent-request-no-link")),
            };
            let end = [("window_end", window_end.clone())];
            (
                w.t("mail-consent-request-subject"),
                paragraphs(vec![
                    Some(w.with("mail-consent-request-greeting", &[("customer", customer)])),
                    Some(format!(
                        "{}\n{}",
                        w.t("mail-consent-request-intro"),
                        w.products()
                    )),
                    Some(w.with("mail-consent-request-data", &end)),
                    Some(format!(
                        "{}\n{link}",
                        w.with("mail-consent-request-opt-out", &end)
                    )),
                    Some(w.t("mail-consent-request-later")),
                    Some(w.t("mail-footer")),
                ]),
            )
        }
        Kind::InformationRequested => (
            w.t("mail-information-requested-subject"),
            paragraphs(vec![
                Some(w.t("mail-information-requested-body")),
                Some(w.with(
                    "mail-information-requested-reasons",
                    &[("reasons", w.reasons())],
                )),
                reviewer_comment(),
                Some(w.with("mail-information-requested-deadline", &[("due", due)])),
                Some(w.link()),
            ]),
        ),
        Kind::ArbitrationQuestion => {
            let asked = history
                .iter()
                .rev()
                .find_map(|e| match &e.kind {
                    EventKind::ArbitrationInformationRequested { reasons, .. } => Some(
                        reasons
                            .iter()
                            .map(|r| w.i.code("reason", r.as_str()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    _ => None,
                })
                .unwrap_or_default();
            (
                w.t("mail-arbitration-question-subject"),
                paragraphs(vec![
                    Some(w.t("mail-arbitration-question-body")),
                    Some(w.with("mail-information-requested-reasons", &[("reasons", asked)])),
                    reviewer_comment(),
                    Some(w.t("mail-arbitration-question-how")),
                    Some(w.link()),
                ]),
            )
        }
        Kind::ResponseReminder => (
            w.with("mail-response-reminder-subject", &[("due", due.clone())]),
            paragraphs(vec![
                Some(w.t("mail-response-reminder-body")),
                Some(w.with(
                    "mail-response-reminder-reasons",
                    &[("reasons", w.reasons())],
                )),
                Some(w.with("mail-response-reminder-deadline", &[("due", due)])),
                Some(w.link()),
            ]),
        ),
        Kind::Approved => (
            w.t("mail-approved-subject"),
            paragraphs(vec![
                Some(w.t("mail-approved-body")),
                Some(w.with("mail-approved-window", &[("window_end", window_end)])),
                Some(w.link()),
            ]),
        ),
        Kind::Rejected => (
            w.t("mail-rejected-subject"),
            paragraphs(vec![
                Some(w.t("mail-rejected-body")),
                Some(w.with("mail-rejected-reasons", &[("reasons", w.reasons())])),
                reviewer_comment(),
                Some(w.with(
                    "mail-rejected-dispute",
                    &[("days", reference.policy.dispute_window_days.to_string())],
                )),
                Some(w.link()),
            ]),
        ),
        Kind::Superseded => (
            w.t("mail-superseded-subject"),
            paragraphs(vec![
                Some(w.t("mail-superseded-body")),
                Some(w.t("mail-superseded-why")),
                Some(w.link()),
            ]),
        ),
        Kind::PartlySuperseded => {
            let moved = history
                .iter()
                .rev()
                .find_map(|e| match &e.kind {
                    EventKind::Superseded { keys, .. } => Some(keys.clone()),
                    _ => None,
                })
                .unwrap_or_default()
                .iter()
                .map(|k| format!("  - {}", crate::web::keys::describe(k, reference, &w.i)))
                .collect::<Vec<_>>()
                .join("\n");
            (
                w.t("mail-partly-superseded-subject"),
                paragraphs(vec![
                    Some(format!("{}\n{moved}", w.t("mail-partly-superseded-body"))),
                    Some(w.t("mail-partly-superseded-keep")),
                    Some(w.link()),
                ]),
            )
        }
        Kind::AssociationEnded => (
            w.t("mail-association-ended-subject"),
            paragraphs(vec![
                Some(w.t("mail-association-ended-body")),
                Some(w.t("mail-association-ended-done")),
                Some(w.link()),
            ]),
        ),
        Kind::DisputeOpened => {
            let details = claim
                .disputes
                .last()
                .map(|d| d.details.to_string())
                .unwrap_or_default();
            (
                w.t("mail-dispute-opened-subject"),
                paragraphs(vec![
                    Some(w.t("mail-dispute-opened-body")),
                    quoted(w.t("mail-dispute-opened-details"), Some(details)),
                    Some(w.with(
                        "mail-dispute-opened-due",
                        &[("due", w.when(claim.disputes.last().map(|d| d.due)))],
                    )),
                    Some(w.link()),
                ]),
            )
        }
        Kind::TakenOver => (
            w.t("mail-taken-over-subject"),
            paragraphs(vec![Some(w.t("mail-taken-over-body")), Some(w.link())]),
        ),
        Kind::ArbitrationOpened => {
            // The holder's association stays; the claimant's claim waits for a decision.
            let (body, then) = if claim.holds_keys() {
                (
                    "mail-arbitration-opened-holder",
                    "mail-arbitration-opened-holder-then",
                )
            } else {
                (
                    "mail-arbitration-opened-claimant",
                    "mail-arbitration-opened-claimant-then",
                )
            };
            (
                w.t("mail-arbitration-opened-subject"),
                paragraphs(vec![Some(w.t(body)), Some(w.t(then)), Some(w.link())]),
            )
        }
        Kind::CommentAdded => (
            w.t("mail-comment-added-subject"),
            paragraphs(vec![
                Some(w.t("mail-comment-added-body")),
                quoted(w.t("mail-comment-heading"), comment.clone()),
                Some(w.link()),
            ]),
        ),
        Kind::DisputeResolved => {
            let outcome = claim
                .disputes
                .last()
                .map(|d| match d.status {
                    DisputeStatus::Upheld => w.i.t("outcome-upheld"),
                    DisputeStatus::Denied => w.i.t("outcome-denied"),
                    // Not resolved: the e-mail is stale (docs/product.md, not built yet).
                    other => other.as_str().replace('_', " "),
                })
                .unwrap_or_default();
            (
                w.t("mail-dispute-resolved-subject"),
                paragraphs(vec![
                    Some(w.with("mail-dispute-resolved-body", &[("outcome", outcome)])),
                    quoted(w.t("mail-support-comment"), comment.clone()),
                    Some(w.link()),
                ]),
            )
        }
    };
    Ok(Mail {
        lang,
        from: from.to_string(),
        to: n.to.to_string(),
        subject,
        body,
    })
}
