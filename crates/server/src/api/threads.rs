//! A claim's comment threads and its history.

use super::claims::limit;
use super::dto::{CommentView, EventView, ListView, NewComment};
use super::support::{idempotency, parse_json, required, run, visible_claim};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::App;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use cpor_domain::claim::{Command, EventKind, Thread};
use cpor_domain::values::{CommentBody, CommentId, Parse};
use cpor_domain::{ErrorCode, FieldError};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PageParams {
    cursor: Option<String>,
    limit: Option<String>,
    /// Comments only: claim or dispute.
    thread: Option<String>,
}

fn cursor(raw: &Option<String>, errors: &mut Vec<FieldError>) -> u64 {
    match raw.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => c.parse().unwrap_or_else(|_| {
            errors.push(FieldError::new(
                "cursor",
                ErrorCode::InvalidFormat,
                "Pass the next_cursor of the previous page.",
            ));
            0
        }),
    }
}

/// A claim's history: every change, comment, file, decision, automatic transition and
/// e-mail, oldest first.
#[utoipa::path(get, path = "/api/v1/claims/{id}/history", tag = "claims", params(PageParams),
    responses((status = 200, body = ListView<EventView>), (status = 404, body = crate::error::Problem)))]
pub async fn history(
    State(app): State<App>,
    who: Principal,
    Path(id): Path<String>,
    Query(p): Query<PageParams>,
) -> ApiResult<Json<ListView<EventView>>> {
    let claim = visible_claim(&app, &who, &id).await?;
    let mut errors = Vec::new();
    let (after, limit) = (cursor(&p.cursor, &mut errors), limit(&p.limit, &mut errors));
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let events = app.store.history(claim.id, after, limit + 1).await?;
    let more = events.len() > limit as usize;
    let items: Vec<EventView> = events
        .iter()
        .take(limit as usize)
        .map(EventView::of)
        .collect();
    let next_cursor = if more {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(Json(ListView { items, next_cursor }))
}

/// A claim's comments (both threads unless `thread` is given), oldest first.
#[utoipa::path(get, path = "/api/v1/claims/{id}/comments", tag = "claims", params(PageParams),
    responses((status = 200, body = ListView<CommentView>)))]
pub async fn list(
    State(app): State<App>,
    who: Principal,
    Path(id): Path<String>,
    Query(p): Query<PageParams>,
) -> ApiResult<Json<ListView<CommentView>>> {
    let claim = visible_claim(&app, &who, &id).await?;
    let mut errors = Vec::new();
    let (after, limit) = (cursor(&p.cursor, &mut errors), limit(&p.limit, &mut errors));
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
        comments.get(limit as usize - 1).map(|c| c.seq.to_string())
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
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let claim = visible_claim(&app, &who, &id).await?;
    let b: NewComment = parse_json(&body)?;
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
        &body,
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
