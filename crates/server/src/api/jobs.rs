//! Background jobs that failed, for operators: a job that keeps failing is parked after
//! its last attempt rather than dropped, and stays here until it is requeued.

use super::dto::ListView;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::request::{StrictQuery, page};
use crate::state::App;
use axum::Json;
use axum::extract::{Path, State};
use cpor_domain::Role;
use cpor_store::FailingJob;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A failing or parked job.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct JobView {
    pub id: i64,
    /// timer, email or remove_poe_file (as stored, also when it no longer decodes).
    pub kind: String,
    pub claim_id: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// When it runs again; for a parked job, when it last was due.
    pub due_at: String,
    /// Out of attempts (or unreadable): runs again only when requeued.
    pub parked: bool,
}

impl JobView {
    fn of(j: &FailingJob) -> JobView {
        JobView {
            id: j.id,
            kind: j.kind.clone(),
            claim_id: j.claim_id.clone(),
            attempts: j.attempts,
            last_error: j.last_error.clone(),
            due_at: j.due_at.to_string(),
            parked: j.parked,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct JobParams {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1 to 200; 50 by default.
    limit: Option<String>,
}

/// Jobs that failed at least once and are not done, parked ones included (operators).
#[utoipa::path(get, path = "/api/v1/jobs", tag = "operations", params(JobParams),
    responses((status = 200, body = ListView<JobView>)))]
pub async fn list(
    State(app): State<App>,
    who: Principal,
    StrictQuery(p): StrictQuery<JobParams>,
) -> ApiResult<Json<ListView<JobView>>> {
    who.require(
        &[Role::Reviewer, Role::SupportAgent, Role::ProgramAdmin],
        "see background jobs",
    )?;
    let mut errors = Vec::new();
    let after = page::decode::<i64>(p.cursor.as_deref(), &mut errors);
    let limit = page::limit(p.limit.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let jobs = app.store.failing_jobs(after, limit + 1).await?;
    let more = jobs.len() > limit as usize;
    let items: Vec<JobView> = jobs.iter().take(limit as usize).map(JobView::of).collect();
    let next_cursor = if more {
        items.last().map(|j| page::encode(&j.id))
    } else {
        None
    };
    Ok(Json(ListView { items, next_cursor }))
}

/// Requeue a parked job: it runs at once, with its attempts counted afresh (program
/// admins).
#[utoipa::path(post, path = "/api/v1/jobs/{job_id}/requeue", tag = "operations",
    params(("job_id" = i64, Path, description = "The job's id")),
    responses((status = 204, description = "Requeued")))]
pub async fn requeue(
    State(app): State<App>,
    who: Principal,
    Path(job_id): Path<String>,
) -> ApiResult<axum::http::StatusCode> {
    who.require(&[Role::ProgramAdmin], "requeue background jobs")?;
    let id: i64 = job_id.parse().map_err(|_| ApiError::not_found("job"))?;
    if app.store.requeue_job(id, app.clock.now()).await? {
        Ok(axum::http::StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("job"))
    }
}
