//! Webhook endpoints over the API (see [`crate::webhooks`]): register (the secret is shown
//! once), list, enable or disable, remove, read the delivery log and redeliver by hand.

use super::dto::ListView;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::request::{JsonBody, StrictQuery, page};
use crate::state::App;
use crate::webhooks::manage;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cpor_store::{DeliveryAttempt, WebhookDelivery, WebhookEndpoint};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An endpoint, without its secret.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    /// The event types it receives (`claim.approved`, `association.activated`, …).
    pub events: Vec<String>,
    /// The organisation whose claims it hears of; null for every organisation's.
    pub organisation_id: Option<String>,
    pub enabled: bool,
    /// Why it was disabled: by hand, or failing for 24 hours.
    pub disabled_reason: Option<String>,
    /// Failing since then (the first failure since the last success).
    pub failing_since: Option<String>,
    pub created_at: String,
}

impl WebhookView {
    fn of(e: &WebhookEndpoint) -> WebhookView {
        WebhookView {
            id: e.id.to_string(),
            url: e.url.clone(),
            events: e.events.clone(),
            organisation_id: e.org_id.map(|o| o.to_string()),
            enabled: e.disabled_at.is_none(),
            disabled_reason: e.disabled_reason.clone(),
            failing_since: e.failing_since.map(|t| t.to_string()),
            created_at: e.created_at.to_string(),
        }
    }
}

/// A new endpoint, with the secret it signs with: shown this once.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct WebhookCreatedView {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// `whsec_…`: verify each message's `webhook-signature` with it.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    /// Where messages are POSTed: http(s), a public address.
    pub url: String,
    /// The event types to receive.
    pub events: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    /// false disables the endpoint; true enables it again and its waiting messages go out.
    pub enabled: bool,
}

/// One attempt of a delivery.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct AttemptView {
    pub attempt: u32,
    pub at: String,
    /// The receiver's HTTP status; null when it did not answer.
    pub status_code: Option<u16>,
    /// How long the receiver took to answer.
    pub duration_ms: u64,
    pub error: Option<String>,
}

impl AttemptView {
    fn of(a: &DeliveryAttempt) -> AttemptView {
        AttemptView {
            attempt: a.attempt,
            at: a.at.to_string(),
            status_code: a.status_code,
            duration_ms: a.duration_ms,
            error: a.error.clone(),
        }
    }
}

/// One message to the endpoint and its attempts.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct DeliveryView {
    pub id: i64,
    /// The `webhook-id` header: the same on every attempt.
    pub message_id: String,
    pub event_type: String,
    pub claim_id: String,
    /// pending, delivered or failed (given up after 24 hours).
    pub status: String,
    pub queued_at: String,
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    pub attempts: Vec<AttemptView>,
}

impl DeliveryView {
    async fn of(app: &App, d: &WebhookDelivery) -> ApiResult<DeliveryView> {
        let attempts = app.store.delivery_attempts(d.id).await?;
        Ok(DeliveryView {
            id: d.id,
            message_id: d.message_id.clone(),
            event_type: d.event_type.clone(),
            claim_id: d.claim_id.to_string(),
            status: d.status.to_string(),
            queued_at: d.created_at.to_string(),
            next_attempt_at: d.next_at.map(|t| t.to_string()),
            delivered_at: d.delivered_at.map(|t| t.to_string()),
            attempts: attempts.iter().map(AttemptView::of).collect(),
        })
    }
}

/// The endpoints you manage: your organisation's, or (program admin) every one.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = ListView<WebhookView>), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    who: Principal,
) -> ApiResult<Json<ListView<WebhookView>>> {
    let found = manage::visible(&app, &who).await?;
    Ok(Json(ListView {
        items: found.iter().map(WebhookView::of).collect(),
        next_cursor: None,
    }))
}

/// Register an endpoint. Its targets must be public addresses.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = WebhookInput,
    responses((status = 201, body = WebhookCreatedView), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(app): State<App>,
    who: Principal,
    body: JsonBody<WebhookInput>,
) -> ApiResult<Response> {
    let e = manage::register(&app, &who, &body.value.url, &body.value.events).await?;
    let view = WebhookCreatedView {
        webhook: WebhookView::of(&e),
        secret: e.secret.clone(),
    };
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// One endpoint.
#[utoipa::path(get, path = "/api/v1/webhooks/{webhook_id}", tag = "webhooks",
    params(("webhook_id" = String, Path, description = "The endpoint's id")),
    responses((status = 200, body = WebhookView), (status = 403, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookView>> {
    let e = manage::endpoint(&app, &who, &id).await?;
    Ok(Json(WebhookView::of(&e)))
}

/// Enable or disable an endpoint.
#[utoipa::path(patch, path = "/api/v1/webhooks/{webhook_id}", tag = "webhooks",
    params(("webhook_id" = String, Path, description = "The endpoint's id")),
    request_body = WebhookPatch,
    responses((status = 200, body = WebhookView), (status = 403, body = crate::error::Problem)))]
pub async fn patch(
    State(app): State<App>,
    who: Principal,
    Path(id): Path<String>,
    body: JsonBody<WebhookPatch>,
) -> ApiResult<Json<WebhookView>> {
    let e = manage::endpoint(&app, &who, &id).await?;
    manage::set_enabled(&app, &e, body.value.enabled).await?;
    let e = manage::endpoint(&app, &who, &id).await?;
    Ok(Json(WebhookView::of(&e)))
}

/// Remove an endpoint and its delivery log.
#[utoipa::path(delete, path = "/api/v1/webhooks/{webhook_id}", tag = "webhooks",
    params(("webhook_id" = String, Path, description = "The endpoint's id")),
    responses((status = 204, description = "Removed"), (status = 403, body = crate::error::Problem)))]
pub async fn remove(
    State(app): State<App>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let e = manage::endpoint(&app, &who, &id).await?;
    app.store.delete_webhook(e.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryParams {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1 to 200; 50 by default.
    limit: Option<String>,
}

/// The endpoint's deliveries, newest first, each with its attempts.
#[utoipa::path(get, path = "/api/v1/webhooks/{webhook_id}/deliveries", tag = "webhooks",
    params(("webhook_id" = String, Path, description = "The endpoint's id"), DeliveryParams),
    responses((status = 200, body = ListView<DeliveryView>), (status = 403, body = crate::error::Problem)))]
pub async fn deliveries(
    State(app): State<App>,
    who: Principal,
    Path(id): Path<String>,
    StrictQuery(p): StrictQuery<DeliveryParams>,
) -> ApiResult<Json<ListView<DeliveryView>>> {
    let e = manage::endpoint(&app, &who, &id).await?;
    let mut errors = Vec::new();
    let before = page::decode::<i64>(p.cursor.as_deref(), &mut errors);
    let limit = page::limit(p.limit.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let found = app.store.deliveries(e.id, before, limit + 1).await?;
    let more = found.len() > limit as usize;
    let mut items = Vec::new();
    for d in found.iter().take(limit as usize) {
        items.push(DeliveryView::of(&app, d).await?);
    }
    let next_cursor = if more {
        items.last().map(|d| page::encode(&d.id))
    } else {
        None
    };
    Ok(Json(ListView { items, next_cursor }))
}

/// Send a delivery again (with the same `webhook-id`), now.
#[utoipa::path(post, path = "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", tag = "webhooks",
    params(("webhook_id" = String, Path, description = "The endpoint's id"),
        ("delivery_id" = i64, Path, description = "The delivery's id")),
    responses((status = 202, body = DeliveryView), (status = 403, body = crate::error::Problem)))]
pub async fn redeliver(
    State(app): State<App>,
    who: Principal,
    Path((id, delivery)): Path<(String, String)>,
) -> ApiResult<Response> {
    let e = manage::endpoint(&app, &who, &id).await?;
    let delivery: i64 = delivery
        .parse()
        .map_err(|_| ApiError::not_found("delivery"))?;
    if !app.store.redeliver(e.id, delivery, app.clock.now()).await? {
        return Err(ApiError::not_found("delivery"));
    }
    let d = app
        .store
        .deliveries(e.id, delivery.checked_add(1), 1)
        .await?
        .into_iter()
        .find(|d| d.id == delivery)
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(DeliveryView::of(&app, &d).await?),
    )
        .into_response())
}
