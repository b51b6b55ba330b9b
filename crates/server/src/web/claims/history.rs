//! A claim's history in words: who (and on which side), when, what, with before → after
//! for edits. Built from the events as the viewer's side may see them.

use crate::web::i18n::I18n;
use cpor_domain::Actor;
use cpor_domain::claim::{Event, EventKind};
use cpor_domain::reference::Reference;
use cpor_domain::values::Parse;

/// A message of the claim's thread: a comment, or the comment of a decision (which is in
/// the history too), with what the decision was.
pub struct ThreadLine {
    pub who: String,
    pub when: String,
    pub thread: String,
    /// The decision the comment came with (e.g. "Information requested: Missing proof of
    /// execution"), if it came with one.
    pub context: Option<String>,
    pub body: String,
}

/// The claim's and its dispute's threads, from the events as the viewer may see them.
pub fn thread(events: &[Event], i: &I18n) -> Vec<ThreadLine> {
    use cpor_domain::claim::Thread;
    events
        .iter()
        .filter_map(|e| {
            let decision = |r: Option<&Vec<cpor_domain::claim::Reason>>| {
                let what = i.code("event", e.kind.type_name());
                Some(match r {
                    Some(r) if !r.is_empty() => format!("{what}: {}", reasons(r, i)),
                    _ => what,
                })
            };
            let (thread, context, body) = match &e.kind {
                EventKind::CommentAdded { thread, body, .. } => (*thread, None, body.to_string()),
                EventKind::Submitted {
                    comment: Some(c), ..
                }
                | EventKind::ReviewStarted {
                    comment: Some(c), ..
                }
                | EventKind::Resubmitted {
                    comment: Some(c), ..
                }
                | EventKind::Approved {
                    comment: Some(c), ..
                }
                | EventKind::Withdrawn { comment: Some(c) }
                | EventKind::ArbitrationAnswered { comment: Some(c) } => {
                    (Thread::Claim, decision(None), c.to_string())
                }
                EventKind::InformationRequested {
                    reasons, comment, ..
                }
                | EventKind::ArbitrationInformationRequested { reasons, comment }
                | EventKind::Rejected { reasons, comment } => {
                    (Thread::Claim, decision(Some(reasons)), comment.to_string())
                }
                EventKind::DisputeOpened { dispute } => {
                    (Thread::Dispute, decision(None), dispute.details.to_string())
                }
                EventKind::DisputeStarted { comment: Some(c) } => {
                    (Thread::Dispute, decision(None), c.to_string())
                }
                EventKind::DisputeResolved {
                    outcome, comment, ..
                } => (
                    Thread::Dispute,
                    Some(format!(
                        "{}: {}",
                        i.code("event", e.kind.type_name()),
                        i.code("outcome", outcome.as_str())
                    )),
                    comment.to_string(),
                ),
                _ => return None,
            };
            Some(ThreadLine {
                who: who(&e.actor, i),
                when: i.datetime(e.at),
                thread: i.code("thread", thread.as_str()),
                context,
                body,
            })
        })
        .collect()
}

pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub side: String,
    pub what: String,
    pub details: Vec<String>,
}

fn who(actor: &Actor, i: &I18n) -> String {
    match actor {
        Actor::User { name, role, .. } => format!("{name} ({})", i.code("role", role.as_str())),
        Actor::Customer => i.t("actor-customer"),
        Actor::System => i.t("actor-system"),
    }
}

fn reasons(list: &[cpor_domain::claim::Reason], i: &I18n) -> String {
    list.iter()
        .map(|r| i.code("reason", r.as_str()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A field's value before or after an edit, as a person reads it: products by name
/// (with their subscriptions), contacts as "name, title <e-mail>", nothing as "—".
fn json_value(v: &serde_json::Value, reference: &Reference) -> String {
    use serde_json::Value;
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "—".into(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item.get("product").and_then(Value::as_str) {
                Some(p) => {
                    let name = cpor_domain::reference::ProductId::parse(p)
                        .map(|id| reference.catalog.name_of(&id).to_string())
                        .unwrap_or_else(|_| p.to_string());
                    match item.get("subscription_id").and_then(Value::as_str) {
                        Some(s) => format!("{name} ({s})"),
                        None => name,
                    }
                }
                None => json_value(item, reference),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(o) if o.contains_key("email") => {
            let mut who = text(v, "name");
            if o.contains_key("title") {
                who = format!("{who}, {}", text(v, "title"));
            }
            format!("{who} <{}>", text(v, "email"))
        }
        Value::Object(o) => o
            .values()
            .map(|x| json_value(x, reference))
            .collect::<Vec<_>>()
            .join(" / "),
        other => other.to_string(),
    }
}

impl HistoryRow {
    pub fn of(e: &Event, reference: &Reference, i: &I18n) -> HistoryRow {
        let due = |key: &str, t: &cpor_domain::jiff::Timestamp| i.t1(key, "when", i.datetime(*t));
        let comment = |c: &Option<cpor_domain::values::CommentBody>| {
            c.iter()
                .map(|c| i.t1("history-comment", "text", c))
                .collect::<Vec<_>>()
        };
        let details = match &e.kind {
            EventKind::Created { fields, .. } => vec![fields.name.to_string()],
            EventKind::Edited { changes, .. } => changes
                .iter()
                .map(|c| {
                    format!(
                        "{}: {} → {}",
                        super::page::field_label(&c.field, i),
                        json_value(&c.before, reference),
                        json_value(&c.after, reference)
                    )
                })
                .collect(),
            EventKind::PoeAdded { poe } => vec![poe.file_name.clone()],
            EventKind::PoeRemoved { file_name, .. } => vec![file_name.clone()],
            EventKind::CommentAdded { body, thread, .. } => {
                vec![format!("{}: {body}", i.code("thread", thread.as_str()))]
            }
            EventKind::Submitted {
                review_pickup_due,
                comment: c,
            } => {
                let mut d = vec![due("deadline-review-pickup", review_pickup_due)];
                d.extend(comment(c));
                d
            }
            EventKind::ReviewStarted {
                review_decision_due,
                comment: c,
            }
            | EventKind::Resubmitted {
                review_decision_due,
                comment: c,
            } => {
                let mut d = vec![due("deadline-review-decision", review_decision_due)];
                d.extend(comment(c));
                d
            }
            EventKind::InformationRequested {
                reasons: r,
                comment: c,
                partner_response_due,
                ..
            } => vec![
                reasons(r, i),
                i.t1("history-comment", "text", c),
                due("deadline-partner-response", partner_response_due),
            ],
            EventKind::Approved {
                comment: c,
                consent_window_end,
                ..
            } => {
                let mut d = vec![due("deadline-consent-window", consent_window_end)];
                d.extend(comment(c));
                d
            }
            EventKind::ArbitrationInformationRequested {
                reasons: r,
                comment: c,
            } => vec![reasons(r, i), i.t1("history-comment", "text", c)],
            EventKind::ArbitrationAnswered { comment: c } => comment(c),
            EventKind::Rejected {
                reasons: r,
                comment: c,
            } => {
                vec![reasons(r, i), i.t1("history-comment", "text", c)]
            }
            EventKind::Withdrawn { comment: c } | EventKind::DisputeStarted { comment: c } => {
                comment(c)
            }
            EventKind::ResponseReminderDue {
                partner_response_due,
            } => vec![due("deadline-partner-response", partner_response_due)],
            EventKind::CustomerDeclined { during_window } => vec![i.t(if *during_window {
                "history-declined-in-window"
            } else {
                "history-declined-after-window"
            })],
            EventKind::ConsentWindowPassed { expires_at }
            | EventKind::ExpiryPostponed { expires_at } => expires_at
                .iter()
                .map(|t| i.t1("history-expires", "when", i.datetime(*t)))
                .collect(),
            EventKind::Disassociated { reason } => vec![reason.to_string()],
            EventKind::SlaBreached { sla, due: d } => {
                vec![format!(
                    "{} ({})",
                    i.code("sla", sla.as_str()),
                    i.datetime(*d)
                )]
            }
            EventKind::DisputeOpened { dispute } => vec![
                dispute.details.to_string(),
                dispute
                    .products
                    .iter()
                    .map(|p| reference.catalog.name_of(p).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
            EventKind::DisputeResolved {
                outcome,
                comment: c,
                ..
            } => vec![
                i.code("outcome", outcome.as_str()),
                i.t1("history-comment", "text", c),
            ],
            EventKind::DeadlinesRecounted {
                review_pickup_due,
                review_decision_due,
                partner_response_due,
                ..
            } => [
                ("deadline-review-pickup", review_pickup_due),
                ("deadline-review-decision", review_decision_due),
                ("deadline-partner-response", partner_response_due),
            ]
            .into_iter()
            .filter_map(|(key, t)| t.as_ref().map(|t| due(key, t)))
            .collect(),
            EventKind::EmailSent { template, to } => {
                vec![format!("{} → {to}", i.code("email", template.as_str()))]
            }
            EventKind::EmailDropped { template, to, why } => vec![format!(
                "{} → {to}: {}",
                i.code("email", template.as_str()),
                i.code("email-dropped", why.as_str())
            )],
            EventKind::Superseded { keys, .. } if !keys.is_empty() => keys
                .iter()
                .map(|k| crate::web::keys::describe(k, reference, i))
                .collect(),
            EventKind::Taken { reviewer, .. } if !reviewer.name.is_empty() => {
                vec![reviewer.name.clone()]
            }
            EventKind::Taken { .. }
            | EventKind::Deleted
            | EventKind::ResponseWindowPassed
            | EventKind::AssociationExpired
            | EventKind::Superseded { .. } => Vec::new(),
        };
        HistoryRow {
            when: i.datetime(e.at),
            who: who(&e.actor, i),
            side: i.code("side", e.side().as_str()),
            what: i.code("event", e.kind.type_name()),
            details,
        }
    }
}
