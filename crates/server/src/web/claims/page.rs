//! A claim's page: every field, what its status means and what comes next, its deadlines
//! with the business days left, its documents, comments and history, and the forms of the
//! actions the person may take now.

use super::actions::{Action, available};
use super::history::HistoryRow;
use super::view::{products, status_words};
use crate::blobs::poe_path;
use crate::web::error::{PageError, PageResult};
use crate::web::i18n::I18n;
use crate::web::render;
use crate::web::ui::{SignedIn, Ui, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::IntoResponse;
use cpor_domain::FieldError;
use cpor_domain::calendar::BusinessCalendar;
use cpor_domain::claim::{Claim, Status};
use cpor_domain::jiff::Timestamp;
use cpor_domain::values::{ClaimId, PoeId};
use serde::Deserialize;

/// What the page says about the last thing the person did.
#[derive(Default)]
pub struct Feedback {
    pub notice: Option<String>,
    pub errors: Vec<FieldError>,
}

impl Feedback {
    pub fn errors(errors: Vec<FieldError>) -> Feedback {
        Feedback {
            notice: None,
            errors,
        }
    }
}

pub struct Line {
    pub label: String,
    pub value: String,
}

pub struct DeadlineLine {
    pub label: String,
    pub when: String,
    pub left: String,
}

pub struct PoeLine {
    pub href: String,
    /// For documents a browser can show safely (PDF and images): an inline address.
    pub preview: Option<String>,
    pub name: String,
    pub kind: String,
    pub size: String,
    pub uploaded: String,
    pub remove: Option<String>,
    /// The pre-flight findings, in words.
    pub findings: Vec<String>,
    /// For operators: the reasons the findings suggest.
    pub suggests: Option<String>,
}

pub struct ProductChoice {
    pub id: String,
    pub name: String,
}

/// Another partner's claim that wants or holds some of this claim's keys (operators only).
pub struct Competitor {
    pub id: String,
    pub name: String,
    pub partner: String,
    pub mpn_id: String,
    pub status: String,
    /// Holds the keys now (an approval would move them).
    pub holds: bool,
    /// Its products, each marked when contested.
    pub products: Vec<(String, bool)>,
    /// Its documents with their upload dates, newest first.
    pub poe: Vec<(String, String)>,
    /// What it would lose, in words.
    pub loses: String,
}

/// A refusal in words, with the field it concerns.
pub struct ErrorLine {
    pub field: String,
    pub message: String,
}

pub fn error_lines(errors: &[FieldError], i: &I18n) -> Vec<ErrorLine> {
    errors
        .iter()
        .map(|e| ErrorLine {
            field: field_label(&e.field, i),
            message: i.code("error", e.code.as_str()),
        })
        .collect()
}

/// A field's label; `products[1].subscription_id` is labelled by its last part.
pub fn field_label(path: &str, i: &I18n) -> String {
    let last = path
        .rsplit('.')
        .next()
        .unwrap_or(path)
        .split('[')
        .next()
        .unwrap_or(path);
    let whole = path.split('[').next().unwrap_or(path).replace('.', "-");
    let key = format!("field-{}", whole.replace('_', "-"));
    let words = i.t(&key);
    if words != key {
        words
    } else {
        i.t(&format!("field-{}", last.replace('_', "-")))
    }
}

#[derive(Template)]
#[template(path = "web/claims/page.html")]
struct ClaimPage<'a> {
    ui: &'a Ui,
    id: String,
    name: String,
    status: String,
    status_code: &'static str,
    status_help: String,
    phase: Option<String>,
    phase_help: Option<String>,
    reasons: Vec<String>,
    fields: Vec<Line>,
    deadlines: Vec<DeadlineLine>,
    poe: Vec<PoeLine>,
    comments: Vec<super::history::ThreadLine>,
    history: Vec<HistoryRow>,
    actions: Vec<Action>,
    notice: Option<String>,
    errors: Vec<ErrorLine>,
    has_dispute: bool,
    dispute_products: Vec<ProductChoice>,
    poe_rule: String,
    /// What the operator sees besides: the partner, its location, the tenant's directory facts.
    facts: Vec<Line>,
    action_reasons: Vec<(&'static str, String)>,
    rejection_reasons: Vec<(&'static str, String)>,
    /// Who works on the claim (operators only).
    reviewer: Option<String>,
    competitors: Vec<Competitor>,
}

impl ClaimPage<'_> {
    /// Whether approving moves keys from another partner (the approval must confirm it).
    fn arbitration(&self) -> bool {
        self.competitors.iter().any(|c| c.holds)
    }
}

impl ClaimPage<'_> {
    fn can(&self, a: Action) -> bool {
        self.actions.contains(&a)
    }

    /// Whether any of the partner's actions (the "What you can do" section) is open.
    fn any_partner_action(&self) -> bool {
        [
            Action::Edit,
            Action::Submit,
            Action::Delete,
            Action::Resubmit,
            Action::Withdraw,
            Action::Disassociate,
            Action::Dispute,
        ]
        .into_iter()
        .any(|a| self.can(a))
    }
}

/// Business days from `now` to `due`, counting the due date and not today.
fn business_days_left(cal: &BusinessCalendar, now: Timestamp, due: Timestamp) -> u32 {
    let (mut day, end) = (cal.date_of(now), cal.date_of(due));
    let mut n = 0;
    while day < end {
        day = match day.tomorrow() {
            Ok(d) => d,
            Err(_) => break,
        };
        if cal.is_business_day(day) {
            n += 1;
        }
    }
    n
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    notice: Option<String>,
}

/// `GET /claims/{id}`.
pub async fn claim(
    SignedIn(ui, viewer): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let id: ClaimId = id.parse().map_err(|_| PageError::not_found(&ui))?;
    let notice = q
        .notice
        .filter(|n| {
            n.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
        })
        .map(|n| ui.i.code("notice", &n));
    show(
        &ui,
        &viewer,
        id,
        Feedback {
            notice,
            errors: Vec::new(),
        },
    )
    .await
}

/// The claim's page for `viewer`, with `feedback` (a 404 page when they may not see it).
pub async fn show(ui: &Ui, viewer: &Viewer, id: ClaimId, feedback: Feedback) -> PageResult {
    let app = ui.app.clone();
    let fail = |e: cpor_store::StoreError| PageError::from_api(ui, e.into());
    let who = viewer.principal();
    let claim = who
        .visible_claim(&app, id)
        .await
        .map_err(|e| PageError::from_api(ui, e))?;
    let side = who.side();
    let claim = claim.view_for(side);
    let reference = app.store.reference().await.map_err(fail)?;
    let now = app.clock.now();
    let i = &ui.i;
    let actions = available(&claim, &viewer.user.actor(), &reference, now);
    let history = app.store.history(id, 0, 1000).await.map_err(fail)?;
    let found: std::collections::HashMap<_, _> = app
        .store
        .findings(id)
        .await
        .map_err(fail)?
        .into_iter()
        .collect();
    let (facts, competitors) = if side == cpor_domain::Side::Operator {
        (
            operator_facts(&app, &claim, &reference, i)
                .await
                .map_err(fail)?,
            competitors(&app, &claim, &reference, i)
                .await
                .map_err(fail)?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let words = |list: &[cpor_domain::claim::Reason]| {
        list.iter()
            .map(|r| (r.as_str(), i.code("reason", r.as_str())))
            .collect::<Vec<_>>()
    };
    let status = if feedback.errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ClaimPage {
        ui,
        id: id.to_string(),
        name: claim.fields.name.to_string(),
        status: status_words(claim.status, i),
        status_code: claim.status.as_str(),
        status_help: i.code("status-help", claim.status.as_str()),
        phase: claim.phase.map(|p| i.code("phase", p.as_str())),
        phase_help: claim.phase.map(|p| i.code("phase-help", p.as_str())),
        reasons: claim
            .reasons
            .iter()
            .map(|r| i.code("reason", r.as_str()))
            .collect(),
        fields: fields(&claim, &reference, i),
        deadlines: deadlines(&claim, &reference.calendar, now, i),
        poe: claim
            .poe
            .iter()
            .map(|p| PoeLine {
                href: format!("/claims/{id}/files/{}", p.id),
                // Reviewers and support look at the documents in the page.
                preview: (side == cpor_domain::Side::Operator
                    && matches!(p.kind.as_str(), "pdf" | "png" | "jpeg"))
                .then(|| format!("/claims/{id}/files/{}?inline=1", p.id)),
                name: p.file_name.clone(),
                kind: p.kind.as_str().to_uppercase(),
                size: i.t1("size-kib", "kib", i.number(p.size.div_ceil(1024))),
                uploaded: i.datetime(p.uploaded_at),
                remove: (claim.status == Status::Draft && actions.contains(&Action::Edit))
                    .then(|| format!("/claims/{id}/files/{}/remove", p.id)),
                findings: super::findings::words(found.get(&p.id), i),
                suggests: (side == cpor_domain::Side::Operator)
                    .then(|| super::findings::suggests(found.get(&p.id), i))
                    .flatten(),
            })
            .collect(),
        comments: super::history::thread(
            &history.iter().map(|e| e.view_for(side)).collect::<Vec<_>>(),
            i,
        ),
        history: history
            .iter()
            .map(|e| HistoryRow::of(&e.view_for(side), &reference, i))
            .collect(),
        notice: feedback.notice,
        errors: error_lines(&feedback.errors, i),
        has_dispute: claim
            .disputes
            .last()
            .is_some_and(|d| d.resolved_at.is_none()),
        dispute_products: claim
            .fields
            .products
            .iter()
            .map(|l| ProductChoice {
                id: l.product.to_string(),
                name: reference.catalog.name_of(&l.product).to_string(),
            })
            .collect(),
        poe_rule: i.ta(
            "poe-rule",
            &[
                (
                    "mib",
                    (reference.policy.poe_max_bytes / (1024 * 1024)).to_string(),
                ),
                ("count", reference.policy.poe_max_count.to_string()),
            ],
        ),
        actions,
        facts,
        action_reasons: words(cpor_domain::claim::ACTION_REASONS),
        rejection_reasons: words(cpor_domain::claim::REVIEW_REJECTION_REASONS),
        reviewer: claim.reviewer.as_ref().map(|r| r.name.clone()),
        competitors,
    };
    let mut resp = render(&page)?;
    *resp.status_mut() = status;
    Ok(resp)
}

fn fields(c: &Claim, reference: &cpor_domain::reference::Reference, i: &I18n) -> Vec<Line> {
    let f = &c.fields;
    let mut lines = vec![
        Line {
            label: i.t("field-mpn-id"),
            value: f.mpn_id.to_string(),
        },
        Line {
            label: i.t("field-domain"),
            value: f.domain.to_unicode(),
        },
        Line {
            label: i.t("field-tenant-id"),
            value: f.tenant_id.to_string(),
        },
        Line {
            label: i.t("field-solution-area"),
            value: i.code("solution-area", f.solution_area.as_str()),
        },
        Line {
            label: i.t("field-activity"),
            value: i.code("activity", f.activity.as_str()),
        },
        Line {
            label: i.t("field-programs"),
            value: c
                .programs(&reference.programs)
                .iter()
                .map(|p| i.code("program", p.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        },
        Line {
            label: i.t("field-products"),
            value: products(c, reference),
        },
    ];
    if let Some(ct) = &f.customer_contact {
        lines.push(Line {
            label: i.t("field-customer-contact"),
            value: format!("{}, {} <{}>", ct.name, ct.title, ct.email),
        });
    }
    if let Some(ct) = &f.technical_contact {
        lines.push(Line {
            label: i.t("field-technical-contact"),
            value: format!("{}, {} <{}>", ct.name, ct.title, ct.email),
        });
    }
    if let Some(ct) = &f.partner_contact {
        lines.push(Line {
            label: i.t("field-partner-contact"),
            value: format!("{} <{}>", ct.name, ct.email),
        });
    }
    if let Some(r) = &f.revenue {
        lines.push(Line {
            label: i.t("field-solution-seller-name"),
            value: r.solution_seller_name.to_string(),
        });
        lines.push(Line {
            label: i.t("field-customer-name"),
            value: r.customer_name.to_string(),
        });
        lines.push(Line {
            label: i.t("field-isv-product-name"),
            value: r.isv_product_name.to_string(),
        });
    }
    lines.push(Line {
        label: i.t("field-created"),
        value: i.datetime(c.created_at),
    });
    lines
}

/// The other partners' claims on the same tenant that hold or want one of this claim's
/// keys: open claims (submitted to partner action required) and holding associations.
async fn competitors(
    app: &crate::state::App,
    c: &Claim,
    reference: &cpor_domain::reference::Reference,
    i: &I18n,
) -> Result<Vec<Competitor>, cpor_store::StoreError> {
    let keys = c.keys(&reference.programs);
    let same_tenant = app
        .store
        .claims(&cpor_store::ClaimQuery {
            tenant_id: Some(c.fields.tenant_id),
            limit: crate::request::page::MAX_LIMIT,
            ..Default::default()
        })
        .await?;
    let mut out = Vec::new();
    for other in same_tenant.items.iter().filter(|o| o.org_id != c.org_id) {
        let holds = other.held_keys(&reference.programs);
        let open = matches!(
            other.status,
            Status::Submitted | Status::UnderReview | Status::PartnerActionRequired
        );
        let wanted: Vec<_> = if open {
            other.keys(&reference.programs)
        } else {
            holds.clone()
        };
        let contested: Vec<_> = wanted
            .iter()
            .filter(|k| keys.contains(k))
            .cloned()
            .collect();
        if contested.is_empty() {
            continue;
        }
        let partner = app
            .store
            .organisation(other.org_id)
            .await?
            .map(|o| o.name.to_string())
            .unwrap_or_default();
        let contested_words: Vec<String> = contested
            .iter()
            .map(|k| crate::web::keys::describe(k, reference, i))
            .collect();
        let other_keys = other.keys(&reference.programs);
        let mut poe: Vec<_> = other.poe.iter().collect();
        poe.sort_by_key(|p| std::cmp::Reverse(p.uploaded_at));
        out.push(Competitor {
            id: other.id.to_string(),
            name: other.fields.name.to_string(),
            partner: partner.clone(),
            mpn_id: other.fields.mpn_id.to_string(),
            status: match other.phase {
                Some(p) => format!(
                    "{} · {}",
                    status_words(other.status, i),
                    i.code("phase", p.as_str())
                ),
                None => status_words(other.status, i),
            },
            holds: !holds.is_empty() && contested.iter().any(|k| holds.contains(k)),
            products: other
                .fields
                .products
                .iter()
                .map(|l| {
                    let name = reference.catalog.name_of(&l.product).to_string();
                    let marked = other_keys.iter().any(|k| {
                        contested.contains(k)
                            && match &k.subject {
                                cpor_domain::keys::KeySubject::Workload(p) => *p == l.product,
                                cpor_domain::keys::KeySubject::Subscription(s) => {
                                    Some(*s) == l.subscription_id
                                }
                            }
                    });
                    (name, marked)
                })
                .collect(),
            poe: poe
                .iter()
                .map(|p| (p.file_name.clone(), i.datetime(p.uploaded_at)))
                .collect(),
            loses: i.ta(
                "arbitration-loses",
                &[
                    ("partner", partner),
                    ("keys", contested_words.join(", ")),
                    ("claim", other.fields.name.to_string()),
                ],
            ),
        });
    }
    Ok(out)
}

/// The partner and the tenant as the directory knows them, for reviewers and support.
async fn operator_facts(
    app: &crate::state::App,
    c: &Claim,
    reference: &cpor_domain::reference::Reference,
    i: &I18n,
) -> Result<Vec<Line>, cpor_store::StoreError> {
    let mut lines = Vec::new();
    if let Some(org) = app.store.organisation(c.org_id).await? {
        let location = org
            .locations
            .iter()
            .find(|l| l.mpn_id == c.fields.mpn_id)
            .and_then(|l| l.name.clone());
        lines.push(Line {
            label: i.t("fact-partner"),
            value: match location {
                Some(l) => format!("{} ({} – {l})", org.name, c.fields.mpn_id),
                None => format!("{} ({})", org.name, c.fields.mpn_id),
            },
        });
    }
    match app.store.tenant(c.fields.tenant_id).await? {
        Some(t) => {
            lines.push(Line {
                label: i.t("fact-domains"),
                value: t
                    .domains
                    .iter()
                    .map(|d| d.to_unicode())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
            for s in &t.subscriptions {
                lines.push(Line {
                    label: i.t1(
                        "fact-subscription",
                        "product",
                        reference.catalog.name_of(&s.product),
                    ),
                    value: i.ta(
                        "subscription-line",
                        &[
                            ("id", s.id.to_string()),
                            ("state", i.code("subscription-state", s.state.as_str())),
                            ("channel", i.code("channel", s.channel.as_str())),
                            (
                                "ends",
                                s.ends_on
                                    .map(|d| d.to_string())
                                    .unwrap_or_else(|| i.t("no-end-date")),
                            ),
                        ],
                    ),
                });
            }
        }
        None => lines.push(Line {
            label: i.t("fact-domains"),
            value: i.t("fact-tenant-unknown"),
        }),
    }
    Ok(lines)
}

fn deadlines(c: &Claim, cal: &BusinessCalendar, now: Timestamp, i: &I18n) -> Vec<DeadlineLine> {
    let d = &c.deadlines;
    [
        ("deadline-review-pickup-label", d.review_pickup_due),
        ("deadline-review-decision-label", d.review_decision_due),
        ("deadline-partner-response-label", d.partner_response_due),
        ("deadline-consent-window-label", d.consent_window_end),
    ]
    .into_iter()
    .filter_map(|(key, t)| {
        let t = t?;
        Some(DeadlineLine {
            label: i.t(key),
            when: i.datetime(t),
            left: if t <= now {
                i.t("deadline-passed")
            } else {
                i.tn(
                    "business-days-left",
                    "count",
                    u64::from(business_days_left(cal, now, t)),
                )
            },
        })
    })
    .collect()
}

#[derive(Deserialize, Default)]
pub struct FileQuery {
    #[serde(default)]
    inline: Option<String>,
}

/// `GET /claims/{id}/files/{poe}`: a document, for those who may see the claim; with
/// `?inline=1` a PDF or image to show in the page's sandboxed frame (served with a
/// sandboxing policy of its own, so it can run nothing even when opened directly).
pub async fn file(
    SignedIn(ui, viewer): SignedIn,
    Path((id, poe)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
) -> PageResult {
    let (Ok(id), Ok(poe)) = (id.parse::<ClaimId>(), poe.parse::<PoeId>()) else {
        return Err(PageError::not_found(&ui));
    };
    let app = ui.app.clone();
    let claim = viewer
        .principal()
        .visible_claim(&app, id)
        .await
        .map_err(|e| PageError::from_api(&ui, e))?;
    let Some(p) = claim.poe.iter().find(|p| p.id == poe) else {
        return Err(PageError::not_found(&ui));
    };
    let data = crate::blobs::stream(app.blobs.as_ref(), &poe_path(claim.id, p.id))
        .await
        .map_err(|e| PageError::from_api(&ui, e))?;
    let inline = q.inline.is_some() && matches!(p.kind.as_str(), "pdf" | "png" | "jpeg");
    let disposition = format!(
        "{}; filename=\"{}\"",
        if inline { "inline" } else { "attachment" },
        p.file_name.replace(['"', '\\', '\r', '\n'], "_")
    );
    Ok((
        [
            (header::CONTENT_TYPE, p.kind.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_SECURITY_POLICY, SANDBOXED.to_string()),
        ],
        data,
    )
        .into_response())
}

/// A document may show itself and nothing else: no scripts, no forms, no requests, and
/// only inside this service's own pages.
const SANDBOXED: &str = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
