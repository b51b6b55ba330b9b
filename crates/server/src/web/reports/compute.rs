//! The numbers of the reports, folded from a period's events. Pure: the pages read the
//! events and words; this only counts.

use cpor_domain::claim::{Event, EventKind, Reason, Sla};
use cpor_domain::jiff::{Timestamp, tz::TimeZone};
use cpor_domain::values::ClaimId;
use cpor_domain::{Actor, Role};
use std::collections::{BTreeMap, HashMap};

/// What a period counts, by kind of outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Submitted,
    Approved,
    Rejected,
    Activated,
    Ended,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Submitted,
        Outcome::Approved,
        Outcome::Rejected,
        Outcome::Activated,
        Outcome::Ended,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Submitted => "submitted",
            Outcome::Approved => "approved",
            Outcome::Rejected => "rejected",
            Outcome::Activated => "activated",
            Outcome::Ended => "ended",
        }
    }

    fn of(kind: &EventKind) -> Option<Outcome> {
        Some(match kind {
            EventKind::Submitted { .. } => Outcome::Submitted,
            EventKind::Approved { .. } => Outcome::Approved,
            EventKind::Rejected { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::ResponseWindowPassed
            | EventKind::CustomerDeclined {
                during_window: true,
            } => Outcome::Rejected,
            EventKind::ConsentWindowPassed { .. } => Outcome::Activated,
            EventKind::Disassociated { .. }
            | EventKind::AssociationExpired
            | EventKind::Superseded { last: true, .. }
            | EventKind::CustomerDeclined {
                during_window: false,
            } => Outcome::Ended,
            _ => return None,
        })
    }
}

/// A breached service level, with its claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub claim_id: ClaimId,
    pub sla: Sla,
    pub due: Timestamp,
}

/// Everything the report pages show.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// Outcomes per period (a day, or a week from Monday), oldest first.
    pub timeline: BTreeMap<String, BTreeMap<Outcome, u64>>,
    pub reviews_started: u64,
    pub pickup_breaches: u64,
    pub decisions: u64,
    pub decision_breaches: u64,
    /// Hours from a request for information to the partner's answer.
    pub response_hours: Vec<f64>,
    pub breaches: Vec<Breach>,
    /// Decisions (information requested, approved, rejected) per reviewer name.
    pub throughput: BTreeMap<String, u64>,
    /// Per reason: in requests for information, in rejections.
    pub reasons: BTreeMap<Reason, (u64, u64)>,
    pub disputes_opened: u64,
    pub disputes_upheld: u64,
    pub disputes_denied: u64,
}

impl Report {
    /// Percentage of `total - late` over `total`; `None` with nothing to count.
    pub fn on_time(total: u64, late: u64) -> Option<f64> {
        (total > 0).then(|| 100.0 * total.saturating_sub(late) as f64 / total as f64)
    }

    pub fn median_response_hours(&self) -> Option<f64> {
        let mut v = self.response_hours.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let m = v.len() / 2;
        Some(if v.len().is_multiple_of(2) {
            (v[m - 1] + v[m]) / 2.0
        } else {
            v[m]
        })
    }
}

/// The period an event counts in: its day, or the Monday of its week, in `zone`.
pub fn period(at: Timestamp, zone: &TimeZone, weekly: bool) -> String {
    let day = at.to_zoned(zone.clone()).date();
    if weekly {
        let back = i64::from(day.weekday().to_monday_zero_offset());
        day.checked_sub(cpor_domain::jiff::Span::new().days(back))
            .unwrap_or(day)
            .to_string()
    } else {
        day.to_string()
    }
}

/// Folds the period's events (in time order) into a report.
pub fn fold<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    zone: &TimeZone,
    weekly: bool,
) -> Report {
    let mut r = Report::default();
    let mut asked: HashMap<ClaimId, Timestamp> = HashMap::new();
    for e in events {
        if let Some(o) = Outcome::of(&e.kind) {
            *r.timeline
                .entry(period(e.at, zone, weekly))
                .or_default()
                .entry(o)
                .or_default() += 1;
        }
        let reviewer = match &e.actor {
            Actor::User {
                name,
                role: Role::Reviewer,
                ..
            } => Some(name.clone()),
            _ => None,
        };
        match &e.kind {
            EventKind::ReviewStarted { .. } => r.reviews_started += 1,
            EventKind::InformationRequested { reasons, .. } => {
                asked.insert(e.claim_id, e.at);
                for reason in reasons {
                    r.reasons.entry(*reason).or_default().0 += 1;
                }
            }
            EventKind::Rejected { reasons, .. } => {
                for reason in reasons {
                    r.reasons.entry(*reason).or_default().1 += 1;
                }
            }
            EventKind::Resubmitted { .. } => {
                if let Some(since) = asked.remove(&e.claim_id) {
                    r.response_hours
                        .push(e.at.duration_since(since).as_secs_f64() / 3600.0);
                }
            }
            EventKind::SlaBreached { sla, due } => {
                match sla {
                    Sla::ReviewPickup => r.pickup_breaches += 1,
                    Sla::ReviewDecision => r.decision_breaches += 1,
                    Sla::DisputeResolution => {}
                }
                r.breaches.push(Breach {
                    claim_id: e.claim_id,
                    sla: *sla,
                    due: *due,
                });
            }
            EventKind::DisputeOpened { .. } => r.disputes_opened += 1,
            EventKind::DisputeResolved { outcome, .. } => match outcome.as_str() {
                "upheld" => r.disputes_upheld += 1,
                _ => r.disputes_denied += 1,
            },
            _ => {}
        }
        let decided = matches!(
            e.kind,
            EventKind::InformationRequested { .. }
                | EventKind::Approved { .. }
                | EventKind::Rejected { .. }
        );
        if decided && let Some(name) = reviewer {
            r.decisions += 1;
            *r.throughput.entry(name).or_default() += 1;
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpor_domain::values::CommentBody;
    use cpor_domain::values::Parse;

    fn ev(n: u128, at: &str, actor: Actor, kind: EventKind) -> Event {
        Event {
            claim_id: ClaimId::from_uuid(uuid::Uuid::from_u128(n)),
            seq: 1,
            at: at.parse().unwrap_or(Timestamp::UNIX_EPOCH),
            actor,
            kind,
        }
    }

    fn reviewer(name: &str) -> Actor {
        Actor::User {
            id: cpor_domain::values::UserId::from_uuid(uuid::Uuid::from_u128(7)),
            org: None,
            role: Role::Reviewer,
            name: name.into(),
        }
    }

    #[test]
    fn events_are_counted_by_period_reviewer_reason_and_service_level() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap_or(Timestamp::UNIX_EPOCH);
        let comment = CommentBody::parse("c").ok();
        let events = vec![
            ev(
                1,
                "2026-11-02T10:00:00Z",
                Actor::System,
                EventKind::Submitted {
                    review_pickup_due: t("2026-11-09T10:00:00Z"),
                    comment: None,
                },
            ),
            ev(
                1,
                "2026-11-03T10:00:00Z",
                reviewer("Rui"),
                EventKind::ReviewStarted {
                    review_decision_due: t("2026-11-10T10:00:00Z"),
                    comment: None,
                },
            ),
            ev(
                1,
                "2026-11-03T11:00:00Z",
                reviewer("Rui"),
                EventKind::InformationRequested {
                    reasons: vec![Reason::MissingPoe],
                    comment: comment.clone().unwrap_or_else(|| unreachable!()),
                    partner_response_due: t("2026-11-10T11:00:00Z"),
                    reminder_due: None,
                },
            ),
            ev(
                1,
                "2026-11-04T11:00:00Z",
                Actor::System,
                EventKind::Resubmitted {
                    review_decision_due: t("2026-11-11T11:00:00Z"),
                    comment: None,
                },
            ),
            ev(
                2,
                "2026-11-10T10:00:00Z",
                Actor::System,
                EventKind::SlaBreached {
                    sla: Sla::ReviewPickup,
                    due: t("2026-11-10T10:00:00Z"),
                },
            ),
            ev(
                1,
                "2026-11-12T09:00:00Z",
                reviewer("Rui"),
                EventKind::Rejected {
                    reasons: vec![Reason::MissingPoe, Reason::InsufficientPoe],
                    comment: comment.unwrap_or_else(|| unreachable!()),
                },
            ),
        ];
        let r = fold(&events, &TimeZone::UTC, true);
        assert_eq!(r.timeline["2026-11-02"][&Outcome::Submitted], 1);
        assert_eq!(
            r.timeline["2026-11-09"][&Outcome::Rejected],
            1,
            "weeks start on Monday"
        );
        assert_eq!(r.throughput["Rui"], 2);
        assert_eq!(r.reasons[&Reason::MissingPoe], (1, 1));
        assert_eq!(r.median_response_hours(), Some(24.0));
        assert_eq!((r.reviews_started, r.pickup_breaches), (1, 1));
        assert_eq!(r.breaches.len(), 1);
        assert_eq!(Report::on_time(4, 1), Some(75.0));
        assert_eq!(Report::on_time(0, 0), None);
    }
}
