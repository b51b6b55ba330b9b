//! A claim's comment threads and its history.

use super::dto::{CommentView, EventView, ListView, NewComment};
use super::support::required;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::request::version::idempotency;
use crate::request::{ClaimPath, JsonBody, StrictQuery, page, run};
use crate::state::App;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use cpor_domain::claim::{Command, EventKind, Thread};
use cpor_domain::values::{CommentBody, CommentId, Parse};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HistoryParams {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1 to 200; 50 by default.
    limit: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CommentParams {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1 to 200; 50 by default.
    limit: Option<String>,
    /// claim or dispute; both when absent.
    thread: Option<String>,
}

/// A claim's history: every change, comment, file, decision, automatic transition and
/// e-mail, oldest first.
#[utoipa::path(get, path = "/api/v1/claims/{id}/history", tag = "claims", params(HistoryParams),
    responses((status = 200, body = ListView<EventView>), (status = 404, body = crate::error::Problem)))]
pub async fn history(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    StrictQuery(p): StrictQuery<HistoryParams>,
) -> ApiResult<Json<ListView<EventView>>> {
    let claim = who.visible_claim(&app, id).await?;
    let mut errors = Vec::new();
    let after = page::decode::<u64>(p.cursor.as_deref(), &mut errors).unwrap_or(0);
    let limit = page::limit(p.limit.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let events = app.store.history(claim.id, after, limit + 1).await?;
    let more = events.len() > limit as usize;
    let items: Vec<EventView> = events
        .iter()
        .take(limit as usize)
        .map(|e| EventView::of(e, who.side()))
        .collect();
    let next_cursor = if more {
        items.last().map(|e| page::encode(&e.seq))
    } else {
        None
    };
    Ok(Json(ListView { items, next_cursor }))
}

/// A claim's comments (both threads unless `thread` is given), oldest first.
#[utoipa::path(get, path = "/api/v1/claims/{id}/comments", tag = "claims", params(CommentParams),
    responses((status = 200, body = ListView<CommentView>)))]
pub async fn list(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    StrictQuery(p): StrictQuery<CommentParams>,
) -> ApiResult<Json<ListView<CommentView>>> {
    let claim = who.visible_claim(&app, id).await?;
    let mut errors = Vec::new();
    let after = page::decode::<u64>(p.cursor.as_deref(), &mut errors).unwrap_or(0);
    let limit = page::limit(p.limit.as_deref(), &mut errors);
    let thread = p
        .thread
        .as_deref()
        .filter(|t| !t.is_empty())
        .and_then(|t| Thread::parse(t).map_err(|e| errors.push(e)).ok());
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let comments = app
        .store
        .comments(claim.id, thread, after, limit + 1)
        .await?;
    let more = comments.len() > limit as usize;
    let items: Vec<CommentView> = comments
        .iter()
        .take(limit as usize)
        .map(CommentView::of)
        .collect();
    let next_cursor = if more {
        comments
            .get(limit as usize - 1)
            .map(|c| page::encode(&c.seq))
    } else {
        None
    };
    Ok(Json(ListView { items, next_cursor }))
}

/// Add a comment to the claim's thread, or to its dispute's.
#[utoipa::path(post, path = "/api/v1/claims/{id}/comments", tag = "claims", request_body = NewComment,
    responses((status = 201, body = CommentView), (status = 422, body = crate::error::Problem)))]
pub async fn add(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<NewComment>,
) -> ApiResult<Response> {
    let claim = who.visible_claim(&app, id).await?;
    let b = body.value;
    let mut errors = Vec::new();
    let text = required::<CommentBody>("body", &b.body, &mut errors);
    let thread = match b.thread.as_deref() {
        None | Some("") => Some(Thread::Claim),
        Some(t) => Thread::parse(t).map_err(|e| errors.push(e)).ok(),
    };
    let (Some(text), Some(thread)) = (text, thread) else {
        return Err(ApiError::invalid(errors));
    };
    let comment_id = CommentId::from_uuid(uuid::Uuid::now_v7());
    let idem = idempotency(
        &headers,
        &who.0.id.to_string(),
        &Method::POST,
        &format!("/api/v1/claims/{id}/comments"),
        &body.raw,
    )?;
    let out = run(
        &app,
        who.0.actor(),
        claim.id,
        Command::Comment {
            id: comment_id,
            thread,
            body: text,
        },
        None,
        idem,
    )
    .await?;
    // The comment as recorded (also when an idempotent retry answers the first one).
    let after = out.claim.as_ref().map_or(0, |c| c.version);
    let events = app
        .store
        .history(claim.id, after.saturating_sub(1), 1)
        .await?;
    let view = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::CommentAdded {
                comment_id,
                thread,
                body,
            } => Some(CommentView {
                id: comment_id.to_string(),
                thread: thread.to_string(),
                at: e.at.to_string(),
                author: super::dto::ActorView::of(&e.actor),
                side: e.side().to_string(),
                body: body.to_string(),
            }),
            _ => None,
        })
        .ok_or_else(|| ApiError::internal("the comment was not recorded"))?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}
