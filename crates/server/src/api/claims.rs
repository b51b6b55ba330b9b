//! Claims: create, read, list, update, delete, and every transition of the lifecycle
//! (docs/product.md).

use super::dto::{
    ApproveBody, ClaimBody, ClaimView, CommentBody, DisassociateBody, DisputeBody, ListView,
    ReasonsBody, ResolveBody,
};
use super::support::{optional_comment, required};
use crate::auth::{Principal, new_secret};
use crate::error::{ApiError, ApiResult};
use crate::request::version::{etag, idempotency, if_match, required_if_match};
use crate::request::{ClaimPath, JsonBody, StrictQuery, page, run};
use crate::state::App;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpor_domain::FieldError;
use cpor_domain::claim::{
    ClaimInput, Command, ConsentSecret, DisputeInput, DisputeOutcome, Phase, Status,
};
use cpor_domain::reference::{ProductId, Program, SolutionArea};
use cpor_domain::values::{
    ClaimId, CommentBody as Comment, DisputeDetails, MpnId, Parse, Reason, TenantId,
};
use cpor_store::{ClaimCursor, ClaimQuery, CommandOutcome};
use serde::Deserialize;

/// The claim as a response, with its `ETag`.
pub async fn claim_response(
    app: &App,
    who: &Principal,
    status: StatusCode,
    out: CommandOutcome,
) -> ApiResult<Response> {
    let Some(claim) = out.claim else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let reference = app.store.reference().await?;
    let mut resp = (status, Json(ClaimView::of(&claim, &reference, who.side()))).into_response();
    resp.headers_mut().insert(header::ETAG, etag(claim.etag));
    if status == StatusCode::CREATED
        && let Ok(loc) = format!("/api/v1/claims/{}", claim.id).parse()
    {
        resp.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(resp)
}

/// Create a draft claim for the caller's organisation.
#[utoipa::path(post, path = "/api/v1/claims", tag = "claims", request_body = super::dto::NewClaimBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response")),
    responses((status = 201, body = ClaimView, description = "The draft"), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(app): State<App>,
    who: Principal,
    headers: HeaderMap,
    body: JsonBody<ClaimInput>,
) -> ApiResult<Response> {
    let org_id = who.0.org_id.ok_or_else(|| {
        ApiError::forbidden("Claims are created by partner organisations' users.")
    })?;
    let fields = body.value.parse().map_err(ApiError::invalid)?;
    let id = ClaimId::from_uuid(uuid::Uuid::now_v7());
    let idem = idempotency(
        &headers,
        &who.0.id.to_string(),
        &Method::POST,
        "/api/v1/claims",
        &body.raw,
    )?;
    let out = run(
        &app,
        who.0.actor(),
        id,
        Command::Create { id, org_id, fields },
        None,
        idem,
    )
    .await?;
    claim_response(&app, &who, StatusCode::CREATED, out).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[param(schema_with = super::dto::status_schema)]
    status: Option<String>,
    #[param(schema_with = super::dto::phase_schema)]
    phase: Option<String>,
    #[param(schema_with = super::dto::solution_area_schema)]
    solution_area: Option<String>,
    mpn_id: Option<String>,
    tenant_id: Option<String>,
    /// Words of the claim's name or the customer's domain (at most 200 characters).
    q: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1 to 200; 50 by default.
    limit: Option<String>,
}

fn opt<T: Parse>(field: &str, raw: &Option<String>, errors: &mut Vec<FieldError>) -> Option<T> {
    raw.as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| T::parse_field(field, s).map_err(|e| errors.push(e)).ok())
}

/// List claims, newest first. Partners see their organisation's claims only.
#[utoipa::path(get, path = "/api/v1/claims", tag = "claims", params(ListParams),
    responses((status = 200, body = ListView<ClaimView>), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    who: Principal,
    StrictQuery(p): StrictQuery<ListParams>,
) -> ApiResult<Json<ListView<ClaimView>>> {
    let mut errors = Vec::new();
    let query = ClaimQuery {
        org_id: who.claim_scope(),
        status: opt::<Status>("status", &p.status, &mut errors),
        phase: opt::<Phase>("phase", &p.phase, &mut errors),
        solution_area: opt::<SolutionArea>("solution_area", &p.solution_area, &mut errors),
        mpn_id: opt::<MpnId>("mpn_id", &p.mpn_id, &mut errors),
        tenant_id: opt::<TenantId>("tenant_id", &p.tenant_id, &mut errors),
        q: p.q.clone(),
        after: page::decode::<ClaimCursor>(p.cursor.as_deref(), &mut errors),
        limit: page::limit(p.limit.as_deref(), &mut errors),
        ..Default::default()
    };
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let found = app.store.claims(&query).await?;
    let reference = app.store.reference().await?;
    Ok(Json(ListView {
        items: found
            .items
            .iter()
            .map(|c| ClaimView::of(c, &reference, who.side()))
            .collect(),
        next_cursor: found.next.map(|n| page::encode(&n)),
    }))
}

/// A claim.
#[utoipa::path(get, path = "/api/v1/claims/{id}", tag = "claims",
    responses((status = 200, body = ClaimView), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
) -> ApiResult<Response> {
    let claim = who.visible_claim(&app, id).await?;
    claim_response(
        &app,
        &who,
        StatusCode::OK,
        CommandOutcome {
            claim: Some(claim),
            events: Vec::new(),
            replayed: false,
            created: false,
        },
    )
    .await
}

/// Change a claim's fields. Needs `If-Match` with the claim's `ETag`.
#[utoipa::path(patch, path = "/api/v1/claims/{id}", tag = "claims", request_body = ClaimBody,
    params(("If-Match" = String, Header, description = "The ETag the change is based on")),
    responses((status = 200, body = ClaimView), (status = 412, body = crate::error::Problem),
        (status = 428, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn patch(
    State(app): State<App>,
    who: Principal,
    ClaimPath(claim_id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<ClaimInput>,
) -> ApiResult<Response> {
    let version = required_if_match(&headers)?;
    let patch = body.value.parse().map_err(ApiError::invalid)?;
    let out = run(
        &app,
        who.0.actor(),
        claim_id,
        Command::Edit(patch),
        Some(version),
        None,
    )
    .await?;
    claim_response(&app, &who, StatusCode::OK, out).await
}

/// Delete a draft.
#[utoipa::path(delete, path = "/api/v1/claims/{id}", tag = "claims",
    responses((status = 204, description = "Deleted"), (status = 409, body = crate::error::Problem)))]
pub async fn delete(
    State(app): State<App>,
    who: Principal,
    ClaimPath(claim_id): ClaimPath,
    headers: HeaderMap,
) -> ApiResult<Response> {
    run(
        &app,
        who.0.actor(),
        claim_id,
        Command::Delete,
        if_match(&headers)?,
        None,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Runs a transition of `id` with the command `make` builds from the body.
async fn transition<B, F>(
    app: App,
    who: Principal,
    claim_id: ClaimId,
    headers: HeaderMap,
    body: JsonBody<B>,
    path: &str,
    make: F,
) -> ApiResult<Response>
where
    F: FnOnce(B) -> ApiResult<Command>,
{
    let command = make(body.value)?;
    let full = format!("/api/v1/claims/{claim_id}/{path}");
    let idem = idempotency(
        &headers,
        &who.0.id.to_string(),
        &Method::POST,
        &full,
        &body.raw,
    )?;
    let out = run(
        &app,
        who.0.actor(),
        claim_id,
        command,
        if_match(&headers)?,
        idem,
    )
    .await?;
    claim_response(&app, &who, StatusCode::OK, out).await
}

fn comment_only(b: CommentBody) -> ApiResult<Option<Comment>> {
    let mut errors = Vec::new();
    let c = optional_comment(b.comment, &mut errors);
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(ApiError::invalid(errors))
    }
}

macro_rules! comment_transition {
    ($(#[$doc:meta])* $name:ident, $route:literal, $sub:literal, $cmd:ident) => {
        $(#[$doc])*
        #[utoipa::path(post, path = $route, tag = "lifecycle", request_body = CommentBody,
            params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response")),
            responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem),
                (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
        pub async fn $name(State(app): State<App>, who: Principal, ClaimPath(id): ClaimPath, headers: HeaderMap, body: JsonBody<CommentBody>) -> ApiResult<Response> {
            transition(app, who, id, headers, body, $sub, |b: CommentBody| Ok(Command::$cmd { comment: comment_only(b)? })).await
        }
    };
}

comment_transition!(
    /// Submit a draft for review (every field valid, at least one product and one PoE).
    submit, "/api/v1/claims/{id}/submit", "submit", Submit
);
comment_transition!(
    /// Answer a request for information: back under review.
    resubmit, "/api/v1/claims/{id}/resubmit", "resubmit", Resubmit
);
comment_transition!(
    /// Withdraw the claim (rejected, partner request).
    withdraw, "/api/v1/claims/{id}/withdraw", "withdraw", Withdraw
);
comment_transition!(
    /// Reviewer: start the review of a submitted claim.
    start_review, "/api/v1/claims/{id}/review/start", "review/start", StartReview
);

/// Reviewer: take the claim (it becomes theirs to work on). Taking a claim another
/// reviewer has needs `over: true`.
#[utoipa::path(post, path = "/api/v1/claims/{id}/review/take", tag = "lifecycle", request_body = super::dto::TakeBody,
    responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem)))]
pub async fn take(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<super::dto::TakeBody>,
) -> ApiResult<Response> {
    transition(
        app,
        who,
        id,
        headers,
        body,
        "review/take",
        |b: super::dto::TakeBody| Ok(Command::Take { over: b.over }),
    )
    .await
}

fn reasons_command(b: ReasonsBody, request: bool) -> ApiResult<Command> {
    let mut errors = Vec::new();
    let comment = optional_comment(b.comment, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    Ok(if request {
        Command::RequestInformation {
            reasons: b.reasons,
            comment,
        }
    } else {
        Command::Reject {
            reasons: b.reasons,
            comment,
        }
    })
}

/// Reviewer: ask the partner for information (reasons and a comment).
#[utoipa::path(post, path = "/api/v1/claims/{id}/review/request-info", tag = "lifecycle", request_body = ReasonsBody,
    responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn request_info(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<ReasonsBody>,
) -> ApiResult<Response> {
    transition(
        app,
        who,
        id,
        headers,
        body,
        "review/request-info",
        |b: ReasonsBody| reasons_command(b, true),
    )
    .await
}

/// Reviewer: reject (reasons and a comment).
#[utoipa::path(post, path = "/api/v1/claims/{id}/review/reject", tag = "lifecycle", request_body = ReasonsBody,
    responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn reject(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<ReasonsBody>,
) -> ApiResult<Response> {
    transition(
        app,
        who,
        id,
        headers,
        body,
        "review/reject",
        |b: ReasonsBody| reasons_command(b, false),
    )
    .await
}

/// Reviewer: approve. When another claim holds one of the claim's keys this is the
/// arbitration decision: the previous holder's association ends (superseded).
#[utoipa::path(post, path = "/api/v1/claims/{id}/review/approve", tag = "lifecycle", request_body = super::dto::ApproveBody,
    responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem)))]
pub async fn approve(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<ApproveBody>,
) -> ApiResult<Response> {
    transition(
        app,
        who,
        id,
        headers,
        body,
        "review/approve",
        |b: ApproveBody| {
            let mut errors = Vec::new();
            let comment = optional_comment(b.comment, &mut errors);
            if !errors.is_empty() {
                return Err(ApiError::invalid(errors));
            }
            Ok(Command::Approve {
                comment,
                consent: ConsentSecret(new_secret("consent")),
                confirm: b.confirm,
            })
        },
    )
    .await
}

/// End an approved association (a reason is required).
#[utoipa::path(post, path = "/api/v1/claims/{id}/disassociate", tag = "lifecycle", request_body = DisassociateBody,
    responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn disassociate(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<DisassociateBody>,
) -> ApiResult<Response> {
    transition(
        app,
        who,
        id,
        headers,
        body,
        "disassociate",
        |b: DisassociateBody| {
            let reason = match b.reason.filter(|r| !r.trim().is_empty()) {
                None => None,
                Some(r) => Some(Reason::parse(&r).map_err(|e| ApiError::invalid(vec![e]))?),
            };
            Ok(Command::Disassociate { reason })
        },
    )
    .await
}

/// Dispute a rejection (within 30 days).
#[utoipa::path(post, path = "/api/v1/claims/{id}/dispute", tag = "disputes", request_body = DisputeBody,
    responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn dispute(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<DisputeBody>,
) -> ApiResult<Response> {
    transition(app, who, id, headers, body, "dispute", |b: DisputeBody| {
        let mut errors = Vec::new();
        let program = opt::<Program>("program", &b.program, &mut errors);
        let products = b.products.map(|list| {
            list.iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    ProductId::parse_field(&format!("products[{i}]"), p)
                        .map_err(|e| errors.push(e))
                        .ok()
                })
                .collect::<Vec<_>>()
        });
        let details = required::<DisputeDetails>("details", &b.details, &mut errors);
        match details {
            Some(details) if errors.is_empty() => Ok(Command::OpenDispute(DisputeInput {
                program,
                products,
                details,
            })),
            _ => Err(ApiError::invalid(errors)),
        }
    })
    .await
}

/// Support: take a dispute (in progress).
#[utoipa::path(post, path = "/api/v1/claims/{id}/dispute/start", tag = "disputes", request_body = CommentBody,
    responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem)))]
pub async fn dispute_start(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<CommentBody>,
) -> ApiResult<Response> {
    transition(
        app,
        who,
        id,
        headers,
        body,
        "dispute/start",
        |b: CommentBody| {
            Ok(Command::StartDispute {
                comment: comment_only(b)?,
            })
        },
    )
    .await
}

/// Support: resolve a dispute, upheld (back under review) or denied.
#[utoipa::path(post, path = "/api/v1/claims/{id}/dispute/resolve", tag = "disputes", request_body = ResolveBody,
    responses((status = 200, body = ClaimView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn dispute_resolve(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    body: JsonBody<ResolveBody>,
) -> ApiResult<Response> {
    transition(
        app,
        who,
        id,
        headers,
        body,
        "dispute/resolve",
        |b: ResolveBody| {
            let mut errors = Vec::new();
            let outcome = required::<DisputeOutcome>("outcome", &b.outcome, &mut errors);
            let comment = optional_comment(b.comment, &mut errors);
            match outcome {
                Some(outcome) if errors.is_empty() => {
                    Ok(Command::ResolveDispute { outcome, comment })
                }
                _ => Err(ApiError::invalid(errors)),
            }
        },
    )
    .await
}
