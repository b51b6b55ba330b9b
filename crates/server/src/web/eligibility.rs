//! `/eligibility`: the earnings/eligibility lookup for a partner's admins and the program
//! admin — a subscription ID or a tenant ID, and the associations it has.

use super::error::{PageError, PageResult};
use super::render;
use super::ui::{SignedIn, Ui};
use crate::eligibility::{Lookup, look_up, may_look_up};
use askama::Template;
use axum::extract::Query;
use cpor_domain::keys::KeySubject;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct LookupForm {
    #[serde(default)]
    id: Option<String>,
}

pub struct Row {
    pub claim_id: String,
    pub claim_name: String,
    pub mpn_id: String,
    pub program: String,
    pub what: String,
    pub phase: String,
    pub from: String,
    pub to: String,
}

#[derive(Template)]
#[template(path = "web/eligibility.html")]
struct EligibilityPage<'a> {
    ui: &'a Ui,
    id: String,
    rows: Option<Vec<Row>>,
    error: Option<String>,
}

/// `GET /eligibility?id=`: the ID is a subscription's, else a tenant's.
pub async fn page(SignedIn(ui, viewer): SignedIn, Query(f): Query<LookupForm>) -> PageResult {
    let who = viewer.principal();
    may_look_up(&who).map_err(|_| PageError::forbidden(&ui))?;
    let id = f.id.unwrap_or_default().trim().to_string();
    let i = &ui.i;
    if id.is_empty() {
        return render(&EligibilityPage {
            ui: &ui,
            id,
            rows: None,
            error: None,
        });
    }
    // A GUID names a subscription or a tenant: the subscription first.
    let reference = ui
        .app
        .store
        .reference()
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    let mut found = None;
    for lookup in [
        Lookup::parse(Some(&id), None),
        Lookup::parse(None, Some(&id)),
    ] {
        let Ok(lookup) = lookup else { continue };
        let rows = look_up(&ui.app, &who, &lookup)
            .await
            .map_err(|e| PageError::from_api(&ui, e))?;
        if !rows.is_empty() || found.is_none() {
            found = Some(rows);
        }
        if found.as_ref().is_some_and(|r| !r.is_empty()) {
            break;
        }
    }
    let Some(rows) = found else {
        return render(&EligibilityPage {
            ui: &ui,
            id,
            rows: None,
            error: Some(i.t("eligibility-bad-id")),
        });
    };
    let day = |t: Option<cpor_domain::jiff::Timestamp>| {
        t.map(|t| i.datetime(t)).unwrap_or_else(|| "—".into())
    };
    let rows = rows
        .iter()
        .map(|r| Row {
            claim_id: r.claim.id.to_string(),
            claim_name: r.claim.fields.name.to_string(),
            mpn_id: r.claim.fields.mpn_id.to_string(),
            program: i.code("program", r.key.program.as_str()),
            what: match &r.key.subject {
                KeySubject::Workload(p) => reference.catalog.name_of(p).to_string(),
                KeySubject::Subscription(s) => i.t1("key-subscription", "id", s),
            },
            phase: i.code("phase", r.phase.as_str()),
            from: day(r.effective_from),
            to: day(r.effective_to),
        })
        .collect();
    render(&EligibilityPage {
        ui: &ui,
        id,
        rows: Some(rows),
        error: None,
    })
}
