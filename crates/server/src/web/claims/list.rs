//! "Customer associations": the claims a person may see, newest first, with filters,
//! search, pages and a CSV download of the filtered list.

use super::view::{ClaimRow, next_deadline, products};
use crate::request::page;
use crate::web::error::{PageError, PageResult};
use crate::web::render;
use crate::web::ui::{SignedIn, Ui, Viewer};
use askama::Template;
use axum::body::Body;
use axum::extract::Query;
use axum::http::header;
use axum::response::IntoResponse;
use cpor_domain::calendar::BusinessCalendar;
use cpor_domain::claim::{Claim, Phase, Status};
use cpor_domain::jiff::Timestamp;
use cpor_domain::jiff::civil::Date;
use cpor_domain::reference::{ProductId, SolutionArea};
use cpor_domain::values::{MpnId, Parse, TenantId};
use cpor_store::{ClaimCursor, ClaimQuery, ClaimSort};
use serde::Deserialize;

/// The list's filters, as the filter form sends them.
#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub solution_area: Option<String>,
    #[serde(default)]
    pub mpn_id: Option<String>,
    #[serde(default)]
    pub product: Option<String>,
    /// Last change on or after this date (`YYYY-MM-DD`, the operator's calendar).
    #[serde(default)]
    pub updated_from: Option<String>,
    /// Last change on or before this date.
    #[serde(default)]
    pub updated_to: Option<String>,
    /// `newest` (default), `last_change` or `name`.
    #[serde(default)]
    pub sort: Option<String>,
    /// Name, customer domain, a tenant ID or a subscription ID.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// A choice of a filter's drop-down.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices(codes: &[&'static str], prefix: &str, current: &Option<String>, ui: &Ui) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            value: c.to_string(),
            label: ui.i.code(prefix, c),
            selected: current.as_deref() == Some(*c),
        })
        .collect()
}

impl Filters {
    /// The store query for `viewer`, and the filters that were not understood.
    fn query(
        &self,
        viewer: &Viewer,
        cal: &BusinessCalendar,
        limit: u32,
    ) -> (ClaimQuery, Vec<String>) {
        let mut bad = Vec::new();
        fn opt<T: Parse>(raw: &Option<String>, bad: &mut Vec<String>, name: &str) -> Option<T> {
            let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            T::parse(raw).map_err(|_| bad.push(name.to_string())).ok()
        }
        let q = self
            .q
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(200).collect::<String>());
        // A tenant ID typed in the search box filters by tenant.
        let tenant_id = q.as_deref().and_then(|s| TenantId::parse(s).ok());
        let mut errors = Vec::new();
        let day = |raw: &Option<String>, name: &str, bad: &mut Vec<String>| {
            let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            match raw.parse::<Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    bad.push(name.to_string());
                    None
                }
            }
        };
        let from = day(&self.updated_from, "updated_from", &mut bad).map(|d| {
            d.to_zoned(cal.time_zone().clone())
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::MIN)
        });
        let to = day(&self.updated_to, "updated_to", &mut bad).map(|d| cal.end_of_day(d));
        let sort = match self.sort.as_deref().unwrap_or("") {
            "" | "newest" => ClaimSort::Newest,
            "last_change" => ClaimSort::LastChange,
            "name" => ClaimSort::Name,
            _ => {
                bad.push("sort".into());
                ClaimSort::Newest
            }
        };
        let mut query = ClaimQuery {
            org_id: viewer.principal().claim_scope(),
            status: opt::<Status>(&self.status, &mut bad, "status"),
            phase: opt::<Phase>(&self.phase, &mut bad, "phase"),
            solution_area: opt::<SolutionArea>(&self.solution_area, &mut bad, "solution_area"),
            mpn_id: opt::<MpnId>(&self.mpn_id, &mut bad, "mpn_id"),
            product: opt::<ProductId>(&self.product, &mut bad, "product"),
            updated_from: from,
            updated_to: to,
            sort,
            q: if tenant_id.is_some() { None } else { q },
            tenant_id,
            after: page::decode::<ClaimCursor>(self.cursor.as_deref(), &mut errors),
            limit,
        };
        // A cursor of a list in another order is no position in this one: the first page.
        let foreign = query.after.as_ref().is_some_and(|c| c.sort() != query.sort);
        if foreign {
            query.after = None;
        }
        if !errors.is_empty() || foreign {
            bad.push("cursor".into());
        }
        (query, bad)
    }

    /// These filters as a query string, with `cursor` replaced.
    fn with_cursor(&self, cursor: Option<&str>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("status", &self.status),
            ("phase", &self.phase),
            ("solution_area", &self.solution_area),
            ("mpn_id", &self.mpn_id),
            ("product", &self.product),
            ("updated_from", &self.updated_from),
            ("updated_to", &self.updated_to),
            ("sort", &self.sort),
            ("q", &self.q),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.append_pair(k, v);
            }
        }
        if let Some(c) = cursor {
            s.append_pair("cursor", c);
        }
        s.finish()
    }
}

pub struct Tab {
    pub href: String,
    pub label: String,
    pub count: u64,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "web/claims/list.html")]
struct ListPage<'a> {
    ui: &'a Ui,
    rows: Vec<ClaimRow>,
    tabs: Vec<Tab>,
    f: Filters,
    statuses: Vec<Choice>,
    phases: Vec<Choice>,
    areas: Vec<Choice>,
    products: Vec<Choice>,
    sorts: Vec<Choice>,
    bad_filters: Vec<String>,
    next: Option<String>,
    csv: String,
    can_create: bool,
}

/// `GET /claims`.
pub async fn list(SignedIn(ui, viewer): SignedIn, Query(f): Query<Filters>) -> PageResult {
    let app = ui.app.clone();
    let fail = |e: cpor_store::StoreError| PageError::from_api(&ui, e.into());
    let reference = app.store.reference().await.map_err(fail)?;
    let (query, bad) = f.query(&viewer, &reference.calendar, page::DEFAULT_LIMIT);
    let mut found = app.store.claims(&query).await.map_err(fail)?;
    // A GUID in the search box is a tenant ID or a subscription ID: the tenant first.
    if found.items.is_empty() && query.tenant_id.is_some() && query.after.is_none() {
        let by_subscription = ClaimQuery {
            tenant_id: None,
            q: f.q.clone(),
            ..query.clone()
        };
        found = app.store.claims(&by_subscription).await.map_err(fail)?;
    }
    let counts = app
        .store
        .claim_counts(viewer.principal().claim_scope())
        .await
        .map_err(fail)?;
    let rows = found
        .items
        .iter()
        .map(|c| ClaimRow::of(c, &reference, &ui.i))
        .collect();
    let statuses: Vec<&'static str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let mut tabs = vec![Tab {
        href: "/claims".into(),
        label: ui.t("tab-all"),
        count: counts.iter().map(|(_, n)| n).sum(),
        current: f.status.as_deref().is_none_or(str::is_empty),
    }];
    tabs.extend(counts.iter().map(|(status, n)| Tab {
        href: format!("/claims?status={status}"),
        label: ui.i.code("status", status.as_str()),
        count: *n,
        current: f.status.as_deref() == Some(status.as_str()),
    }));
    let products = reference
        .catalog
        .products()
        .iter()
        .map(|p| Choice {
            value: p.id.as_str().to_string(),
            label: p.name.clone(),
            selected: f.product.as_deref() == Some(p.id.as_str()),
        })
        .collect();
    let page = ListPage {
        ui: &ui,
        rows,
        tabs,
        statuses: choices(&statuses, "status", &f.status, &ui),
        phases: choices(
            &Phase::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            "phase",
            &f.phase,
            &ui,
        ),
        areas: choices(
            &SolutionArea::ALL
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>(),
            "solution-area",
            &f.solution_area,
            &ui,
        ),
        products,
        sorts: [
            ("newest", "sort-newest"),
            ("last_change", "sort-last_change"),
            ("name", "sort-name"),
        ]
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.to_string(),
            label: ui.t(label),
            selected: f.sort.as_deref().unwrap_or("newest") == value,
        })
        .collect(),
        bad_filters: bad.iter().map(|b| ui.i.code("filter", b)).collect(),
        next: found
            .next
            .map(|n| format!("/claims?{}", f.with_cursor(Some(&page::encode(&n))))),
        csv: format!("/claims.csv?{}", f.with_cursor(None)),
        can_create: viewer.user.org_id.is_some()
            && matches!(
                viewer.user.role,
                cpor_domain::Role::GlobalAdmin | cpor_domain::Role::IncentivesAdmin
            ),
        f,
    };
    render(&page)
}

/// `GET /claims.csv`: the filtered list, every page of it, streamed.
pub async fn csv(SignedIn(ui, viewer): SignedIn, Query(f): Query<Filters>) -> PageResult {
    let app = ui.app.clone();
    let reference = app
        .store
        .reference()
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    let (mut query, _) = f.query(&viewer, &reference.calendar, page::MAX_LIMIT);
    query.after = None;
    let stream = futures::stream::unfold(Some((query, true)), move |state| {
        let (app, reference) = (app.clone(), reference.clone());
        async move {
            let (mut query, first) = state?;
            let mut out = csv::Writer::from_writer(Vec::new());
            if first {
                let _ = out.write_record(HEADER);
            }
            let found = match app.store.claims(&query).await {
                Ok(p) => p,
                Err(e) => return Some((Err(std::io::Error::other(e.to_string())), None)),
            };
            for c in &found.items {
                let _ = out.write_record(record(c, &reference));
            }
            let bytes = out.into_inner().unwrap_or_default();
            let next = found.next.map(|n| {
                query.after = Some(n);
                (query, false)
            });
            Some((Ok::<_, std::io::Error>(bytes), next))
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"customer-associations.csv\"",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

const HEADER: [&str; 11] = [
    "id",
    "name",
    "domain",
    "tenant_id",
    "solution_area",
    "activity",
    "products",
    "status",
    "phase",
    "next_deadline",
    "updated_at",
];

fn record(c: &Claim, reference: &cpor_domain::reference::Reference) -> [String; 11] {
    [
        c.id.to_string(),
        c.fields.name.to_string(),
        c.fields.domain.to_unicode(),
        c.fields.tenant_id.to_string(),
        c.fields.solution_area.to_string(),
        c.fields.activity.to_string(),
        products(c, reference),
        c.status.to_string(),
        c.phase.map(|p| p.to_string()).unwrap_or_default(),
        next_deadline(c)
            .map(|(_, t)| t.to_string())
            .unwrap_or_default(),
        c.updated_at.to_string(),
    ]
}
