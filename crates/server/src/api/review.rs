//! The reviewers' queue: submitted and under-review claims, the oldest due first.

use super::claims::limit;
use super::dto::{ClaimView, ListView};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::App;
use axum::Json;
use axum::extract::{Query, State};
use cpor_domain::jiff::Timestamp;
use cpor_domain::{ErrorCode, FieldError, Role};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QueueParams {
    cursor: Option<String>,
    limit: Option<String>,
}

/// The review queue.
#[utoipa::path(get, path = "/api/v1/review/queue", tag = "review", params(QueueParams),
    responses((status = 200, body = ListView<ClaimView>), (status = 403, body = crate::error::Problem)))]
pub async fn queue(
    State(app): State<App>,
    who: Principal,
    Query(p): Query<QueueParams>,
) -> ApiResult<Json<ListView<ClaimView>>> {
    who.require(
        &[Role::Reviewer, Role::SupportAgent, Role::ProgramAdmin],
        "see the review queue",
    )?;
    let mut errors = Vec::new();
    let limit = limit(&p.limit, &mut errors);
    let after = match p.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => {
            let parsed = c
                .split_once('~')
                .and_then(|(t, id)| Some((t.parse::<Timestamp>().ok()?, id.parse().ok()?)));
            if parsed.is_none() {
                errors.push(FieldError::new(
                    "cursor",
                    ErrorCode::InvalidFormat,
                    "Pass the next_cursor of the previous page.",
                ));
            }
            parsed
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let page = app.store.review_queue(after, limit).await?;
    let reference = app.store.reference().await?;
    Ok(Json(ListView {
        items: page
            .items
            .iter()
            .map(|c| ClaimView::of(c, &reference))
            .collect(),
        next_cursor: page.next.map(|(t, id)| format!("{t}~{id}")),
    }))
}
