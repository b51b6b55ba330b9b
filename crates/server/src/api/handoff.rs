//! The eligibility hand-off to incentive evaluation (docs/product.md, eligibility
//! hand-off): the feed of every change of an association's eligibility, read by cursor in
//! commit order, and the export of the keys eligible on a date. Readable by the program
//! admin and by tokens with the `eligibility:read` scope (a partner's such token reads its
//! own organisation's).

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::request::{StrictQuery, page};
use crate::state::App;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cpor_domain::eligibility::EligibilityChange;
use cpor_domain::jiff::civil::Date;
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::keys::{AssociationKey, KeySubject};
use cpor_domain::{ErrorCode, FieldError, Role};
use cpor_store::{EligibilityPeriod, TokenScope};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Refuses everyone but the program admin and `eligibility:read` tokens.
fn may_read(who: &Principal) -> ApiResult<()> {
    if who.0.role == Role::ProgramAdmin || who.1 == Some(TokenScope::EligibilityRead) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "Only the program admin, or a token with the eligibility:read scope, reads the eligibility hand-off.",
        ))
    }
}

/// One key of an association.
#[derive(Serialize, Deserialize, ToSchema, Debug, PartialEq)]
pub struct KeyView {
    pub tenant_id: String,
    pub program: String,
    /// The workload (`osu_m365`) or null.
    pub product: Option<String>,
    /// The subscription (the other programs) or null.
    pub subscription_id: Option<String>,
}

impl KeyView {
    pub fn of(k: &AssociationKey) -> KeyView {
        let (product, subscription_id) = match &k.subject {
            KeySubject::Workload(p) => (Some(p.to_string()), None),
            KeySubject::Subscription(s) => (None, Some(s.to_string())),
        };
        KeyView {
            tenant_id: k.tenant_id.to_string(),
            program: k.program.to_string(),
            product,
            subscription_id,
        }
    }
}

/// One change of an association's eligibility.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ChangeView {
    /// Stable and unique: the change's position in the feed.
    pub id: String,
    /// activated, ended, expired, superseded, expiry_postponed or keys_changed.
    #[serde(rename = "type")]
    #[schema(example = "activated")]
    pub kind: String,
    pub claim_id: String,
    pub organisation_id: String,
    pub mpn_id: String,
    pub tenant_id: String,
    pub programs: Vec<String>,
    /// The keys held after the change; for an end, those that stop counting.
    pub keys: Vec<KeyView>,
    /// For keys_changed: the keys another partner's claim won.
    pub removed_keys: Vec<KeyView>,
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
    /// The planned end of a Business Applications association.
    pub expires_at: Option<String>,
    /// Why it ended: a reason code, or the operator's words for a disassociation.
    pub reason: Option<String>,
    /// When the change happened.
    pub at: String,
}

impl ChangeView {
    pub fn of(seq: u64, c: &EligibilityChange) -> ChangeView {
        let keys = |ks: &[AssociationKey]| ks.iter().map(KeyView::of).collect();
        ChangeView {
            id: seq.to_string(),
            kind: c.kind.to_string(),
            claim_id: c.claim_id.to_string(),
            organisation_id: c.org_id.to_string(),
            mpn_id: c.mpn_id.to_string(),
            tenant_id: c.tenant_id.to_string(),
            programs: c.programs.iter().map(ToString::to_string).collect(),
            keys: keys(&c.keys),
            removed_keys: keys(&c.removed_keys),
            effective_from: c.effective_from.map(|t| t.to_string()),
            effective_to: c.effective_to.map(|t| t.to_string()),
            expires_at: c.expires_at.map(|t| t.to_string()),
            reason: c.reason.clone(),
            at: c.at.to_string(),
        }
    }
}

/// A page of the feed.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ChangesView {
    pub items: Vec<ChangeView>,
    /// Pass as `after` for what follows; on an empty page the cursor you passed, so a
    /// consumer stores it and polls again.
    pub next_cursor: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ChangesParams {
    /// The `next_cursor` of the previous page; none for the beginning.
    after: Option<String>,
    /// 1 to 200; 50 by default.
    limit: Option<String>,
}

/// Every change of an association's eligibility in commit order: a consumer that keeps
/// `next_cursor` never misses a change nor sees one out of order.
#[utoipa::path(get, path = "/api/v1/associations/changes", tag = "associations", params(ChangesParams),
    responses((status = 200, body = ChangesView), (status = 403, body = crate::error::Problem)))]
pub async fn changes(
    State(app): State<App>,
    who: Principal,
    StrictQuery(p): StrictQuery<ChangesParams>,
) -> ApiResult<Json<ChangesView>> {
    may_read(&who)?;
    let mut errors = Vec::new();
    let after = page::decode::<u64>(p.after.as_deref(), &mut errors).unwrap_or(0);
    let limit = page::limit(p.limit.as_deref(), &mut errors);
    if let Some(e) = errors.iter_mut().find(|e| e.field == "cursor") {
        e.field = "after".into();
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let found = app
        .store
        .eligibility_changes(after, limit, who.claim_scope())
        .await?;
    let last = found.last().map_or(after, |(seq, _)| *seq);
    Ok(Json(ChangesView {
        items: found.iter().map(|(s, c)| ChangeView::of(*s, c)).collect(),
        next_cursor: page::encode(&last),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// A date (YYYY-MM-DD) in the operator's time zone: the keys eligible at its end.
    /// Today when absent.
    as_of: Option<String>,
}

/// Rows per read of the export: memory stays flat whatever the number of rows.
const EXPORT_CHUNK: u32 = 2_000;

const EXPORT_HEADER: [&str; 11] = [
    "claim_id",
    "organisation_id",
    "mpn_id",
    "tenant_id",
    "program",
    "product",
    "subscription_id",
    "effective_from",
    "effective_to",
    "expires_at",
    "as_of",
];

/// The keys eligible on a date, one row per key, as CSV, streamed.
#[utoipa::path(get, path = "/api/v1/associations/export.csv", tag = "associations", params(ExportParams),
    responses((status = 200, description = "One row per eligible key", content_type = "text/csv", body = String),
        (status = 403, body = crate::error::Problem)))]
pub async fn export(
    State(app): State<App>,
    who: Principal,
    StrictQuery(p): StrictQuery<ExportParams>,
) -> ApiResult<Response> {
    may_read(&who)?;
    let zone = app.store.reference().await?.calendar.time_zone().clone();
    let day = match p.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => app.clock.now().to_zoned(zone.clone()).date(),
        Some(s) => s.parse::<Date>().map_err(|_| {
            ApiError::invalid(vec![FieldError::new(
                "as_of",
                ErrorCode::InvalidFormat,
                "A date as YYYY-MM-DD.",
            )])
        })?,
    };
    // The end of the day: the last microsecond before the next one starts.
    let at = day
        .tomorrow()
        .and_then(|d| d.to_zoned(zone))
        .map(|z| z.timestamp() - SignedDuration::from_micros(1))
        .map_err(|_| {
            ApiError::invalid(vec![FieldError::new(
                "as_of",
                ErrorCode::ValueOutOfRange,
                "A date this calendar can count.",
            )])
        })?;
    let org = who.claim_scope();
    let as_of = day.to_string();
    let stream = futures::stream::unfold(Some((None, true)), move |state| {
        let (app, as_of) = (app.clone(), as_of.clone());
        async move {
            let (after, first) = state?;
            let mut out = csv::Writer::from_writer(Vec::new());
            if first {
                let _ = out.write_record(EXPORT_HEADER);
            }
            let rows = match app.store.eligible_at(at, org, after, EXPORT_CHUNK).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::error!(error = %e, "the eligibility export stopped");
                    return Some((Err(std::io::Error::other("the export stopped")), None));
                }
            };
            for r in &rows {
                let _ = out.write_record(export_row(r, &as_of));
            }
            let next = (rows.len() == EXPORT_CHUNK as usize)
                .then(|| {
                    rows.last()
                        .map(|r| (Some((r.claim_id, r.key.to_string())), false))
                })
                .flatten();
            let bytes = out.into_inner().unwrap_or_default();
            Some((Ok::<_, std::io::Error>(bytes), next))
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"eligibility-{day}.csv\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

fn export_row(r: &EligibilityPeriod, as_of: &str) -> [String; 11] {
    let key = KeyView::of(&r.key);
    let time = |t: Option<Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();
    [
        r.claim_id.to_string(),
        r.org_id.to_string(),
        r.mpn_id.to_string(),
        key.tenant_id,
        key.program,
        key.product.unwrap_or_default(),
        key.subscription_id.unwrap_or_default(),
        r.effective_from.to_string(),
        time(r.effective_to),
        time(r.expires_at),
        as_of.to_string(),
    ]
}
