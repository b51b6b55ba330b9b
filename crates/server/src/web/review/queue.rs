//! `/review`: submitted and under-review claims, the oldest due first. Filters narrow the
//! page the store returned (at most [`crate::request::page::MAX_LIMIT`] claims a page),
//! so a filtered page may show fewer rows; "Next page" goes on.

use crate::request::page::{self, TimeAndId};
use crate::web::claims::view::products;
use crate::web::error::{PageError, PageResult};
use crate::web::i18n::I18n;
use crate::web::render;
use crate::web::ui::{SignedIn, Ui};
use askama::Template;
use axum::extract::Query;
use cpor_domain::calendar::BusinessCalendar;
use cpor_domain::claim::Claim;
use cpor_domain::jiff::Timestamp;
use cpor_domain::reference::{ProductId, Reference, SolutionArea};
use cpor_domain::values::{OrgId, Parse};
use cpor_domain::{Role, Side};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct QueueFilters {
    #[serde(default)]
    solution_area: Option<String>,
    #[serde(default)]
    product: Option<String>,
    #[serde(default)]
    partner: Option<String>,
    /// `breached`, `conflict`, `mine` or `unassigned`.
    #[serde(default)]
    only: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

/// A service level in words, with how it looks.
pub struct Sla {
    pub words: String,
    pub class: &'static str,
}

/// Where a deadline stands: breached, due today (in the operator's zone) or on time.
pub fn sla(due: Timestamp, now: Timestamp, cal: &BusinessCalendar, i: &I18n) -> Sla {
    if due <= now {
        Sla {
            words: i.t("sla-breached"),
            class: "bad",
        }
    } else if cal.date_of(due) == cal.date_of(now) {
        Sla {
            words: i.t("sla-due-today"),
            class: "warn",
        }
    } else {
        Sla {
            words: i.t("sla-on-time"),
            class: "good",
        }
    }
}

pub struct QueueRow {
    pub id: String,
    pub name: String,
    pub partner: String,
    pub mpn_id: String,
    pub solution_area: String,
    pub products: String,
    pub status: String,
    pub age: String,
    pub due: String,
    pub sla: Sla,
    pub conflict: bool,
    /// Who took the claim, if anyone.
    pub reviewer: Option<String>,
    /// Whether the viewer may take it (nobody has it, and the viewer is a reviewer).
    pub can_take: bool,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "web/review/queue.html")]
struct QueuePage<'a> {
    ui: &'a Ui,
    rows: Vec<QueueRow>,
    areas: Vec<Opt>,
    products: Vec<Opt>,
    partners: Vec<Opt>,
    only: String,
    next: Option<String>,
    /// For a reviewer: whether their daily digest e-mail is on.
    digest: Option<bool>,
}

/// Whether another organisation holds one of the claim's keys.
async fn contested(app: &crate::state::App, c: &Claim, reference: &Reference) -> bool {
    for key in c.keys(&reference.programs) {
        if let Ok(Some(h)) = app.store.key_holder(&key).await
            && h.org_id != c.org_id
        {
            return true;
        }
    }
    false
}

#[derive(Deserialize)]
pub struct DigestForm {
    #[serde(default)]
    on: String,
}

/// `POST /review/digest`: a reviewer turns their daily digest on or off.
pub async fn set_digest(posted: crate::web::form::Posted<DigestForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = ui.viewer.as_ref().ok_or_else(|| PageError::forbidden(ui))?;
    if viewer.user.role != Role::Reviewer {
        return Err(PageError::forbidden(ui));
    }
    ui.app
        .store
        .set_digest_opt_out(viewer.user.id, posted.form.on != "true")
        .await
        .map_err(|e| PageError::from_api(ui, e.into()))?;
    Ok(crate::web::ui::see_other("/review"))
}

/// `GET /review`.
pub async fn queue(SignedIn(ui, viewer): SignedIn, Query(f): Query<QueueFilters>) -> PageResult {
    if viewer.user.role.side() != Side::Operator
        || !matches!(
            viewer.user.role,
            Role::Reviewer | Role::SupportAgent | Role::ProgramAdmin
        )
    {
        return Err(PageError::forbidden(&ui));
    }
    let app = ui.app.clone();
    let fail = |e: cpor_store::StoreError| PageError::from_api(&ui, e.into());
    let reference = app.store.reference().await.map_err(fail)?;
    let after = super::queue_cursor(f.cursor.as_deref());
    let found = app
        .store
        .review_queue(after, page::MAX_LIMIT)
        .await
        .map_err(fail)?;
    let orgs = super::organisation_names(&app).await.map_err(fail)?;
    let now = app.clock.now();
    let i = &ui.i;
    let area = f
        .solution_area
        .as_deref()
        .and_then(|a| SolutionArea::parse(a).ok());
    let product = f.product.as_deref().and_then(|p| ProductId::parse(p).ok());
    let partner = f.partner.as_deref().and_then(|p| p.parse::<OrgId>().ok());
    let only = f.only.clone().unwrap_or_default();
    let mut rows = Vec::new();
    for c in &found.items {
        if area.is_some_and(|a| a != c.fields.solution_area)
            || product
                .as_ref()
                .is_some_and(|p| !c.fields.products.iter().any(|l| &l.product == p))
            || partner.is_some_and(|p| p != c.org_id)
        {
            continue;
        }
        let due = c
            .deadlines
            .review_decision_due
            .or(c.deadlines.review_pickup_due);
        let sla_now = due.map(|d| sla(d, now, &reference.calendar, i));
        let conflict = contested(&app, c, &reference).await;
        let mine = c.reviewer.as_ref().map(|r| r.id) == Some(viewer.user.id);
        if (only == "breached" && sla_now.as_ref().is_none_or(|s| s.class != "bad"))
            || (only == "conflict" && !conflict)
            || (only == "mine" && !mine)
            || (only == "unassigned" && c.reviewer.is_some())
        {
            continue;
        }
        rows.push(QueueRow {
            id: c.id.to_string(),
            name: c.fields.name.to_string(),
            partner: orgs.get(&c.org_id).cloned().unwrap_or_default(),
            mpn_id: c.fields.mpn_id.to_string(),
            solution_area: i.code("solution-area", c.fields.solution_area.as_str()),
            products: products(c, &reference),
            status: i.code("status", c.status.as_str()),
            age: c
                .submitted_at
                .map(|s| {
                    i.tn(
                        "age-days",
                        "count",
                        (now.duration_since(s).as_hours().max(0) / 24) as u64,
                    )
                })
                .unwrap_or_default(),
            due: due.map(|d| i.datetime(d)).unwrap_or_default(),
            sla: sla_now.unwrap_or(Sla {
                words: String::new(),
                class: "",
            }),
            conflict,
            reviewer: c.reviewer.as_ref().map(|r| r.name.clone()),
            can_take: c.reviewer.is_none() && viewer.user.role == Role::Reviewer,
        });
    }
    let opt = |value: String, label: String, current: &Option<String>| Opt {
        selected: current.as_deref() == Some(value.as_str()),
        value,
        label,
    };
    let mut partners: Vec<Opt> = orgs
        .iter()
        .map(|(id, name)| opt(id.to_string(), name.clone(), &f.partner))
        .collect();
    partners.sort_by(|a, b| a.label.cmp(&b.label));
    let next = found.next.map(|(t, id)| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("solution_area", &f.solution_area),
            ("product", &f.product),
            ("partner", &f.partner),
            ("only", &f.only),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                q.append_pair(k, v);
            }
        }
        q.append_pair("cursor", &page::encode(&TimeAndId(t, id)));
        format!("/review?{}", q.finish())
    });
    let digest = match viewer.user.role {
        Role::Reviewer => Some(
            !app.store
                .digest_opt_outs()
                .await
                .map_err(fail)?
                .contains(&viewer.user.id),
        ),
        _ => None,
    };
    render(&QueuePage {
        digest,
        ui: &ui,
        areas: SolutionArea::ALL
            .iter()
            .map(|a| {
                opt(
                    a.as_str().into(),
                    i.code("solution-area", a.as_str()),
                    &f.solution_area,
                )
            })
            .collect(),
        products: reference
            .catalog
            .products()
            .iter()
            .map(|p| opt(p.id.to_string(), p.name.clone(), &f.product))
            .collect(),
        partners,
        only,
        rows,
        next,
    })
}
