//! The earnings/eligibility lookup over the API: the associations of a subscription or a
//! tenant, one row per key (see [`crate::eligibility`]).

use super::dto::ListView;
use super::handoff::KeyView;
use crate::auth::Principal;
use crate::eligibility::{EligibilityRow, Lookup, look_up};
use crate::error::{ApiError, ApiResult};
use crate::request::StrictQuery;
use crate::state::App;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LookupParams {
    /// A subscription ID (give this or `tenant_id`).
    subscription_id: Option<String>,
    /// A tenant ID (give this or `subscription_id`).
    tenant_id: Option<String>,
}

/// One key of an association.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct EligibilityView {
    pub claim_id: String,
    pub claim_name: String,
    pub mpn_id: String,
    pub tenant_id: String,
    pub program: String,
    /// The workload (`osu_m365`) or null.
    pub product: Option<String>,
    /// The subscription (the other programs) or null.
    pub subscription_id: Option<String>,
    /// consent_pending, active, expired or ended (also when another claim won the key).
    pub phase: String,
    /// When the association became official.
    pub effective_from: Option<String>,
    /// When it stopped counting for this key.
    pub effective_to: Option<String>,
}

impl EligibilityView {
    fn of(r: &EligibilityRow) -> EligibilityView {
        let key = KeyView::of(&r.key);
        EligibilityView {
            claim_id: r.claim.id.to_string(),
            claim_name: r.claim.fields.name.to_string(),
            mpn_id: r.claim.fields.mpn_id.to_string(),
            tenant_id: key.tenant_id,
            program: key.program,
            product: key.product,
            subscription_id: key.subscription_id,
            phase: r.phase.to_string(),
            effective_from: r.effective_from.map(|t| t.to_string()),
            effective_to: r.effective_to.map(|t| t.to_string()),
        }
    }
}

/// The associations of a subscription or a tenant: a partner's global, incentives and
/// billing admins see their organisation's, the program admin everyone's.
#[utoipa::path(get, path = "/api/v1/associations/lookup", tag = "associations", params(LookupParams),
    responses((status = 200, body = ListView<EligibilityView>)))]
pub async fn lookup(
    State(app): State<App>,
    who: Principal,
    StrictQuery(p): StrictQuery<LookupParams>,
) -> ApiResult<Json<ListView<EligibilityView>>> {
    crate::eligibility::may_look_up(&who)?;
    let lookup = Lookup::parse(p.subscription_id.as_deref(), p.tenant_id.as_deref())
        .map_err(ApiError::invalid)?;
    let rows = look_up(&app, &who, &lookup).await?;
    Ok(Json(ListView {
        items: rows.iter().map(EligibilityView::of).collect(),
        next_cursor: None,
    }))
}
