//! The customer's side (no account): the link of the consent e-mail shows what is
//! claimed and lets them opt out. The link's secret is the key; only its hash is stored,
//! it works for its own claim only, and stops working once the association has ended.

use crate::error::{ApiError, ApiResult};
use crate::request::origin::SameOrigin;
use crate::request::version::idempotency;
use crate::request::{JsonBody, run};
use crate::state::App;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use cpor_domain::Actor;
use cpor_domain::claim::{Claim, Command, Phase, hash_secret};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the customer sees.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ConsentView {
    /// The partner organisation asking to be associated.
    pub partner: String,
    pub domain: String,
    pub products: Vec<ConsentProduct>,
    /// consent_pending (the opt-out window is open) or active.
    pub phase: String,
    pub consent_window_end: Option<String>,
    /// What the partner will see once the association is official.
    pub data_shared: String,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ConsentProduct {
    pub product: String,
    pub name: String,
    pub subscription_id: Option<String>,
}

/// The claim a live link belongs to.
pub async fn claim_of_link(app: &App, token: &str) -> ApiResult<(Claim, String)> {
    let hash = hash_secret(token);
    match app.store.claim_by_consent(&hash).await? {
        Some(c) if c.holds_keys() => Ok((c, hash)),
        _ => Err(ApiError::not_found("consent")),
    }
}

pub async fn view_of(app: &App, claim: &Claim) -> ApiResult<ConsentView> {
    let reference = app.store.reference().await?;
    let org = app.store.organisation(claim.org_id).await?;
    Ok(ConsentView {
        partner: org.map(|o| o.name.to_string()).unwrap_or_default(),
        domain: claim.fields.domain.to_unicode(),
        products: claim
            .fields
            .products
            .iter()
            .map(|l| ConsentProduct {
                product: l.product.to_string(),
                name: reference.catalog.name_of(&l.product).to_string(),
                subscription_id: l.subscription_id.map(|s| s.to_string()),
            })
            .collect(),
        phase: claim.phase.unwrap_or(Phase::Ended).to_string(),
        consent_window_end: claim.deadlines.consent_window_end.map(|t| t.to_string()),
        data_shared: "Usage and seat data for these workloads and subscriptions only; no e-mail, documents or other content.".into(),
    })
}

/// What a consent link is about.
#[utoipa::path(get, path = "/api/v1/consent/{token}", tag = "consent", security(()),
    responses((status = 200, body = ConsentView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    Path(token): Path<String>,
) -> ApiResult<Json<ConsentView>> {
    let (claim, _) = claim_of_link(&app, &token).await?;
    Ok(Json(view_of(&app, &claim).await?))
}

/// A request that takes no fields: an empty body or `{}`.
#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

/// The customer opts out: rejected during the window, association ended after it.
/// Refused when sent from another site (an `Origin` other than this service's).
#[utoipa::path(post, path = "/api/v1/consent/{token}/decline", tag = "consent", request_body(content = NoFields, description = "Empty"), security(()),
    responses((status = 200, body = ConsentView), (status = 404, body = crate::error::Problem)))]
pub async fn decline(
    State(app): State<App>,
    Path(token): Path<String>,
    _same_origin: SameOrigin,
    headers: HeaderMap,
    body: JsonBody<NoFields>,
) -> ApiResult<Response> {
    let (claim, hash) = claim_of_link(&app, &token).await?;
    let idem = idempotency(
        &headers,
        &format!("consent:{hash}"),
        &Method::POST,
        "/api/v1/consent/decline",
        &body.raw,
    )?;
    let view = view_of(&app, &claim).await?;
    let out = run(
        &app,
        Actor::Customer,
        claim.id,
        Command::CustomerDecline { token_hash: hash },
        None,
        idem,
    )
    .await?;
    let phase = out
        .claim
        .as_ref()
        .and_then(|c| c.phase)
        .map(|p| p.to_string())
        .unwrap_or_else(|| "declined".into());
    Ok((StatusCode::OK, Json(ConsentView { phase, ..view })).into_response())
}
