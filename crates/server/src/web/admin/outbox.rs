//! `/admin/outbox`: background jobs (deadlines, e-mails, file removals) that failed at
//! least once or are parked, with their claim, attempts, last error and when they are
//! due; "Retry" puts a parked job back (as `POST /api/v1/jobs/{id}/requeue`).

use super::home::NoticeQuery;
use super::{Feedback, require};
use crate::web::error::{PageError, PageResult};
use crate::web::form::{NoFields, Posted};
use crate::web::render;
use crate::web::ui::{SignedIn, Ui, see_other};
use askama::Template;
use axum::extract::{Path, Query};
use cpor_domain::values::ClaimId;
use serde::Deserialize;

/// Jobs per page.
const PAGE: u32 = 50;

pub struct JobLine {
    pub id: i64,
    pub kind: String,
    pub claim_id: String,
    /// The claim's page, when the job names a claim.
    pub claim_link: Option<String>,
    pub attempts: u32,
    pub last_error: String,
    pub due: String,
    pub state: String,
    pub parked: bool,
}

#[derive(Template)]
#[template(path = "web/admin/outbox.html")]
struct OutboxPage<'a> {
    ui: &'a Ui,
    fb: Feedback,
    jobs: Vec<JobLine>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OutboxQuery {
    #[serde(default)]
    after: Option<String>,
    #[serde(flatten)]
    notice: NoticeQuery,
}

/// `GET /admin/outbox` (`?after=` the last job id of the previous page).
pub async fn page(SignedIn(ui, viewer): SignedIn, Query(q): Query<OutboxQuery>) -> PageResult {
    require(&ui, Some(&viewer))?;
    let i = &ui.i;
    let after = q.after.as_deref().and_then(|a| a.parse::<i64>().ok());
    let mut found = ui
        .app
        .store
        .failing_jobs(after, PAGE + 1)
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    let more = found.len() > PAGE as usize;
    found.truncate(PAGE as usize);
    let next = if more {
        found
            .last()
            .map(|j| format!("/admin/outbox?after={}", j.id))
    } else {
        None
    };
    let jobs = found
        .iter()
        .map(|j| {
            let kind = match j.kind.as_str() {
                k @ ("timer" | "email" | "remove_poe_file") => i.code("admin-job-kind", k),
                other => other.to_string(),
            };
            JobLine {
                id: j.id,
                kind,
                claim_link: j
                    .claim_id
                    .parse::<ClaimId>()
                    .ok()
                    .map(|c| format!("/claims/{c}")),
                claim_id: j.claim_id.clone(),
                attempts: j.attempts,
                last_error: j.last_error.clone().unwrap_or_default(),
                due: i.datetime(j.due_at),
                state: i.t(if j.parked {
                    "admin-job-parked"
                } else {
                    "admin-job-retrying"
                }),
                parked: j.parked,
            }
        })
        .collect();
    let fb = Feedback::notice(i, q.notice.notice.as_deref());
    render(&OutboxPage {
        ui: &ui,
        fb,
        jobs,
        next,
    })
}

/// `POST /admin/outbox/{job}/retry`: a parked job runs again at once, its attempts
/// counted afresh.
pub async fn retry(Path(job): Path<String>, posted: Posted<NoFields>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let Ok(id) = job.parse::<i64>() else {
        return Err(PageError::not_found(ui));
    };
    let requeued = ui
        .app
        .store
        .requeue_job(id, ui.app.clock.now())
        .await
        .map_err(|e| PageError::from_api(ui, e.into()))?;
    Ok(see_other(if requeued {
        "/admin/outbox?notice=job_requeued"
    } else {
        "/admin/outbox?notice=job_not_parked"
    }))
}
