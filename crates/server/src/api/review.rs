//! The reviewers' queue: submitted and under-review claims, the oldest due first.

use super::dto::{ClaimView, ListView};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::request::StrictQuery;
use crate::request::page::{self, TimeAndId};
use crate::state::App;
use axum::Json;
use axum::extract::State;
use cpor_domain::Role;
use cpor_domain::values::ClaimId;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QueueParams {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1 to 200; 50 by default.
    limit: Option<String>,
}

/// The review queue.
#[utoipa::path(get, path = "/api/v1/review/queue", tag = "review", params(QueueParams),
    responses((status = 200, body = ListView<ClaimView>), (status = 403, body = crate::error::Problem)))]
pub async fn queue(
    State(app): State<App>,
    who: Principal,
    StrictQuery(p): StrictQuery<QueueParams>,
) -> ApiResult<Json<ListView<ClaimView>>> {
    who.require(
        &[Role::Reviewer, Role::SupportAgent, Role::ProgramAdmin],
        "see the review queue",
    )?;
    let mut errors = Vec::new();
    let limit = page::limit(p.limit.as_deref(), &mut errors);
    let after = page::decode::<TimeAndId<ClaimId>>(p.cursor.as_deref(), &mut errors)
        .map(|TimeAndId(t, id)| (t, id));
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let found = app.store.review_queue(after, limit).await?;
    let reference = app.store.reference().await?;
    Ok(Json(ListView {
        items: found
            .items
            .iter()
            .map(|c| ClaimView::of(c, &reference, who.side()))
            .collect(),
        next_cursor: found.next.map(|(t, id)| page::encode(&TimeAndId(t, id))),
    }))
}
