//! `/reports` and `/reports/{section}.csv`: for the program admin over every
//! organisation (or one), and for a partner's global, incentives and billing admins over
//! their own. Each section is a table (the CSV is exactly that table) with a chart.

use super::chart::bars;
use super::compute::{Outcome, Report, fold};
use crate::web::error::{PageError, PageResult};
use crate::web::render;
use crate::web::ui::{SignedIn, Ui, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::IntoResponse;
use cpor_domain::claim::Event;
use cpor_domain::jiff::civil::Date;
use cpor_domain::jiff::{Span, Timestamp};
use cpor_domain::reference::SolutionArea;
use cpor_domain::values::{ClaimId, OrgId, Parse};
use cpor_domain::{Role, Side};
use serde::Deserialize;
use std::collections::HashMap;

/// The longest period one report covers.
pub const MAX_DAYS: i64 = 731;
/// The most events one report reads; a longer period is refused with a message.
pub const MAX_EVENTS: usize = 500_000;
const PAGE: u32 = 2_000;

#[derive(Deserialize, Default, Clone)]
pub struct ReportFilters {
    /// First day, `YYYY-MM-DD` (30 days before `to` by default).
    #[serde(default)]
    from: Option<String>,
    /// Last day, included (today by default).
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    solution_area: Option<String>,
    /// An organisation's id (program admins only).
    #[serde(default)]
    partner: Option<String>,
}

/// A section of the report: the same table on the page and in its CSV.
pub struct Table {
    pub id: &'static str,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// A link for each row (breaches link their claim).
    pub links: Vec<Option<String>>,
    pub chart: Option<String>,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "web/reports/page.html")]
struct ReportPage<'a> {
    ui: &'a Ui,
    from: String,
    to: String,
    areas: Vec<Opt>,
    partners: Vec<Opt>,
    query: String,
    tables: Vec<Table>,
    error: Option<String>,
}

/// Whose claims the viewer may report on: `Ok(None)` for every organisation.
fn scope(ui: &Ui, viewer: &Viewer, f: &ReportFilters) -> Result<Option<OrgId>, PageError> {
    match viewer.user.role {
        Role::ProgramAdmin => Ok(f
            .partner
            .as_deref()
            .filter(|p| !p.is_empty())
            .and_then(|p| p.parse().ok())),
        Role::GlobalAdmin | Role::IncentivesAdmin | Role::BillingAdmin => viewer
            .user
            .org_id
            .map(Some)
            .ok_or_else(|| PageError::forbidden(ui)),
        _ => Err(PageError::forbidden(ui)),
    }
}

/// The period: `[from, to]` in days of the operator's calendar, as timestamps.
fn period(ui: &Ui, f: &ReportFilters) -> Result<(Date, Date, Timestamp, Timestamp), String> {
    let zone = ui.i.zone.clone();
    let today = ui.app.clock.now().to_zoned(zone.clone()).date();
    let parse = |raw: &Option<String>, default: Date| match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => s.parse::<Date>().map_err(|_| ui.t("report-bad-date")),
    };
    let to = parse(&f.to, today)?;
    let from = parse(&f.from, to.checked_sub(Span::new().days(29)).unwrap_or(to))?;
    if from > to {
        return Err(ui.t("report-bad-range"));
    }
    if (to - from).get_days() as i64 > MAX_DAYS {
        return Err(ui.t1("report-too-long", "days", MAX_DAYS));
    }
    let start = from
        .to_zoned(zone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| e.to_string())?;
    let end = to
        .tomorrow()
        .and_then(|d| d.to_zoned(zone))
        .map(|z| z.timestamp())
        .map_err(|e| e.to_string())?;
    Ok((from, to, start, end))
}

/// The period's events the viewer may see, in time order, filtered by solution area.
async fn events(
    ui: &Ui,
    org: Option<OrgId>,
    area: Option<SolutionArea>,
    start: Timestamp,
    end: Timestamp,
) -> Result<Result<Vec<Event>, String>, PageError> {
    let store = &ui.app.store;
    let fail = |e: cpor_store::StoreError| PageError::from_api(ui, e.into());
    let mut out = Vec::new();
    let mut after = None;
    let mut areas: HashMap<ClaimId, Option<SolutionArea>> = HashMap::new();
    loop {
        let batch = store
            .report_events(start, end, org, after, PAGE)
            .await
            .map_err(fail)?;
        let Some(last) = batch.last() else { break };
        after = Some((last.at, last.claim_id, last.seq));
        let full = batch.len() == PAGE as usize;
        for e in batch {
            if let Some(wanted) = area {
                let known = match areas.get(&e.claim_id) {
                    Some(a) => *a,
                    None => {
                        let a = store
                            .claim(e.claim_id)
                            .await
                            .map_err(fail)?
                            .map(|c| c.fields.solution_area);
                        areas.insert(e.claim_id, a);
                        a
                    }
                };
                if known != Some(wanted) {
                    continue;
                }
            }
            out.push(e.event);
        }
        if out.len() > MAX_EVENTS {
            return Ok(Err(ui.t1("report-too-many", "count", MAX_EVENTS)));
        }
        if !full {
            break;
        }
    }
    Ok(Ok(out))
}

/// The report's sections, for `viewer`.
fn tables(ui: &Ui, r: &Report, operator: bool) -> Vec<Table> {
    let i = &ui.i;
    let n = |v: u64| i.number(v);
    let mut out = Vec::new();
    // Outcomes over time.
    let headers: Vec<String> = std::iter::once(i.t("report-period"))
        .chain(
            Outcome::ALL
                .iter()
                .map(|o| i.code("report-outcome", o.code())),
        )
        .collect();
    let rows: Vec<Vec<String>> = r
        .timeline
        .iter()
        .map(|(p, counts)| {
            std::iter::once(p.clone())
                .chain(
                    Outcome::ALL
                        .iter()
                        .map(|o| n(counts.get(o).copied().unwrap_or(0))),
                )
                .collect()
        })
        .collect();
    let totals: Vec<(String, f64)> = Outcome::ALL
        .iter()
        .map(|o| {
            (
                i.code("report-outcome", o.code()),
                r.timeline.values().filter_map(|c| c.get(o)).sum::<u64>() as f64,
            )
        })
        .collect();
    out.push(Table {
        id: "claims",
        title: i.t("report-claims"),
        links: vec![None; rows.len()],
        headers,
        rows,
        chart: Some(bars(&i.t("report-claims"), &totals, "")),
    });
    // Service levels.
    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |p| format!("{p:.0} %"));
    let pickup = Report::on_time(r.reviews_started, r.pickup_breaches);
    let decision = Report::on_time(r.decisions, r.decision_breaches);
    let median = r.median_response_hours();
    out.push(Table {
        id: "service-levels",
        title: i.t("report-sla"),
        headers: vec![i.t("report-measure"), i.t("report-value")],
        rows: vec![
            vec![i.t("report-pickup-on-time"), pct(pickup)],
            vec![i.t("report-decision-on-time"), pct(decision)],
            vec![
                i.t("report-response-median"),
                median.map_or_else(
                    || "—".into(),
                    |h| i.t1("report-hours", "hours", i.decimal(h)),
                ),
            ],
        ],
        links: vec![None; 3],
        chart: Some(bars(
            &i.t("report-sla"),
            &[
                (i.t("report-pickup-on-time"), pickup.unwrap_or(0.0)),
                (i.t("report-decision-on-time"), decision.unwrap_or(0.0)),
            ],
            " %",
        )),
    });
    // Breaches, each linking its claim.
    out.push(Table {
        id: "breaches",
        title: i.t("report-breaches"),
        headers: vec![
            i.t("report-claim"),
            i.t("report-sla-name"),
            i.t("report-due"),
        ],
        rows: r
            .breaches
            .iter()
            .map(|b| {
                vec![
                    b.claim_id.to_string(),
                    i.code("sla", b.sla.as_str()),
                    i.datetime(b.due),
                ]
            })
            .collect(),
        links: r
            .breaches
            .iter()
            .map(|b| Some(format!("/claims/{}", b.claim_id)))
            .collect(),
        chart: None,
    });
    // Reviewers' throughput: the operator's own business.
    if operator {
        let rows: Vec<Vec<String>> = r
            .throughput
            .iter()
            .map(|(name, k)| vec![name.clone(), n(*k)])
            .collect();
        out.push(Table {
            id: "throughput",
            title: i.t("report-throughput"),
            headers: vec![i.t("report-reviewer"), i.t("report-decisions")],
            links: vec![None; rows.len()],
            chart: Some(bars(
                &i.t("report-throughput"),
                &r.throughput
                    .iter()
                    .map(|(k, v)| (k.clone(), *v as f64))
                    .collect::<Vec<_>>(),
                "",
            )),
            rows,
        });
    }
    // Reasons.
    let rows: Vec<Vec<String>> = r
        .reasons
        .iter()
        .map(|(reason, (asked, rejected))| {
            vec![i.code("reason", reason.as_str()), n(*asked), n(*rejected)]
        })
        .collect();
    out.push(Table {
        id: "reasons",
        title: i.t("report-reasons"),
        headers: vec![
            i.t("field-reasons"),
            i.t("report-in-requests"),
            i.t("report-in-rejections"),
        ],
        links: vec![None; rows.len()],
        chart: Some(bars(
            &i.t("report-reasons"),
            &r.reasons
                .iter()
                .map(|(reason, (a, b))| (i.code("reason", reason.as_str()), (a + b) as f64))
                .collect::<Vec<_>>(),
            "",
        )),
        rows,
    });
    // Disputes.
    let disputes = [
        (i.t("report-disputes-opened"), r.disputes_opened),
        (i.code("outcome", "upheld"), r.disputes_upheld),
        (i.code("outcome", "denied"), r.disputes_denied),
    ];
    out.push(Table {
        id: "disputes",
        title: i.t("report-disputes"),
        headers: vec![i.t("report-measure"), i.t("report-value")],
        rows: disputes
            .iter()
            .map(|(k, v)| vec![k.clone(), n(*v)])
            .collect(),
        links: vec![None; 3],
        chart: Some(bars(
            &i.t("report-disputes"),
            &disputes
                .iter()
                .map(|(k, v)| (k.clone(), *v as f64))
                .collect::<Vec<_>>(),
            "",
        )),
    });
    out
}

/// The report's tables and the period, or a message saying why there is none.
async fn build(
    ui: &Ui,
    viewer: &Viewer,
    f: &ReportFilters,
) -> Result<(String, String, Result<Vec<Table>, String>), PageError> {
    let org = scope(ui, viewer, f)?;
    let area = f
        .solution_area
        .as_deref()
        .filter(|a| !a.is_empty())
        .and_then(|a| SolutionArea::parse(a).ok());
    let (from, to, start, end) = match period(ui, f) {
        Ok(p) => p,
        Err(message) => {
            let raw = |r: &Option<String>| r.clone().unwrap_or_default();
            return Ok((raw(&f.from), raw(&f.to), Err(message)));
        }
    };
    let weekly = (to - from).get_days() > 45;
    let tables = events(ui, org, area, start, end).await?.map(|events| {
        let report = fold(&events, &ui.i.zone, weekly);
        tables(ui, &report, viewer.user.role.side() == Side::Operator)
    });
    Ok((from.to_string(), to.to_string(), tables))
}

/// `GET /reports`.
pub async fn page(SignedIn(ui, viewer): SignedIn, Query(f): Query<ReportFilters>) -> PageResult {
    let (from, to, tables) = build(&ui, &viewer, &f).await?;
    let i = &ui.i;
    let partners = if viewer.user.role == Role::ProgramAdmin {
        let mut orgs: Vec<Opt> = ui
            .app
            .store
            .organisations()
            .await
            .map_err(|e| PageError::from_api(&ui, e.into()))?
            .into_iter()
            .map(|o| Opt {
                selected: f.partner.as_deref() == Some(o.id.to_string().as_str()),
                value: o.id.to_string(),
                label: o.name.to_string(),
            })
            .collect();
        orgs.sort_by(|a, b| a.label.cmp(&b.label));
        orgs
    } else {
        Vec::new()
    };
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("from", &from).append_pair("to", &to);
    for (k, v) in [("solution_area", &f.solution_area), ("partner", &f.partner)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            q.append_pair(k, v);
        }
    }
    let (tables, error) = match tables {
        Ok(t) => (t, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    render(&ReportPage {
        ui: &ui,
        areas: SolutionArea::ALL
            .iter()
            .map(|a| Opt {
                value: a.as_str().into(),
                label: i.code("solution-area", a.as_str()),
                selected: f.solution_area.as_deref() == Some(a.as_str()),
            })
            .collect(),
        partners,
        query: q.finish(),
        from,
        to,
        tables,
        error,
    })
}

/// `GET /reports/{section}.csv`: one section's table.
pub async fn csv(
    SignedIn(ui, viewer): SignedIn,
    Path(file): Path<String>,
    Query(f): Query<ReportFilters>,
) -> PageResult {
    let Some(section) = file.strip_suffix(".csv") else {
        return Err(PageError::not_found(&ui));
    };
    let (_, _, tables) = build(&ui, &viewer, &f).await?;
    let Ok(tables) = tables else {
        return Err(PageError::not_found(&ui));
    };
    let Some(table) = tables.into_iter().find(|t| t.id == section) else {
        return Err(PageError::not_found(&ui));
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(&table.headers);
    for row in &table.rows {
        let _ = out.write_record(row);
    }
    let bytes = out.into_inner().unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{section}.csv\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
