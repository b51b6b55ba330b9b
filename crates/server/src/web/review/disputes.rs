//! `/disputes`: support's queue of open and in-progress disputes, the oldest due first,
//! each with its service level in words. A dispute is worked on its claim's page.

use super::queue::{Sla, sla};
use crate::request::page::{self, TimeAndId};
use crate::web::claims::view::products;
use crate::web::error::{PageError, PageResult};
use crate::web::render;
use crate::web::ui::{SignedIn, Ui};
use askama::Template;
use axum::extract::Query;
use cpor_domain::Role;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct DisputeFilters {
    #[serde(default)]
    cursor: Option<String>,
}

pub struct DisputeRow {
    pub id: String,
    pub name: String,
    pub partner: String,
    pub mpn_id: String,
    pub program: String,
    pub products: String,
    pub status: String,
    pub opened: String,
    pub due: String,
    pub sla: Sla,
}

#[derive(Template)]
#[template(path = "web/review/disputes.html")]
struct DisputesPage<'a> {
    ui: &'a Ui,
    rows: Vec<DisputeRow>,
    next: Option<String>,
}

/// `GET /disputes`.
pub async fn queue(SignedIn(ui, viewer): SignedIn, Query(f): Query<DisputeFilters>) -> PageResult {
    if !matches!(viewer.user.role, Role::SupportAgent | Role::ProgramAdmin) {
        return Err(PageError::forbidden(&ui));
    }
    let app = ui.app.clone();
    let fail = |e: cpor_store::StoreError| PageError::from_api(&ui, e.into());
    let reference = app.store.reference().await.map_err(fail)?;
    let after = super::queue_cursor(f.cursor.as_deref());
    let found = app
        .store
        .dispute_queue(after, page::DEFAULT_LIMIT)
        .await
        .map_err(fail)?;
    let orgs = super::organisation_names(&app).await.map_err(fail)?;
    let now = app.clock.now();
    let i = &ui.i;
    let rows = found
        .items
        .iter()
        .filter_map(|c| {
            let d = c.disputes.last()?;
            Some(DisputeRow {
                id: c.id.to_string(),
                name: c.fields.name.to_string(),
                partner: orgs.get(&c.org_id).cloned().unwrap_or_default(),
                mpn_id: d.mpn_id.to_string(),
                program: i.code("program", d.program.as_str()),
                products: products(c, &reference),
                status: i.code("dispute-status", d.status.as_str()),
                opened: i.datetime(d.opened_at),
                due: i.datetime(d.due),
                sla: sla(d.due, now, &reference.calendar, i),
            })
        })
        .collect();
    render(&DisputesPage {
        ui: &ui,
        rows,
        next: found
            .next
            .map(|(t, id)| format!("/disputes?cursor={}", page::encode(&TimeAndId(t, id)))),
    })
}
