//! Reference data partners need while claiming: the catalog, the tenant ID of a domain,
//! and whether an association key is held (never by whom).

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::request::StrictQuery;
use crate::state::App;
use axum::Json;
use axum::extract::State;
use cpor_domain::keys::{AssociationKey, KeySubject};
use cpor_domain::reference::{ProductId, Program, SolutionArea};
use cpor_domain::values::{DomainName, Parse, SubscriptionId, TenantId};
use cpor_domain::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct CatalogView {
    pub solution_areas: Vec<SolutionAreaView>,
    pub products: Vec<ProductView>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct SolutionAreaView {
    pub id: String,
    pub name: String,
    pub activities: Vec<ActivityView>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ActivityView {
    pub id: String,
    pub programs: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ProductView {
    pub id: String,
    pub name: String,
    pub solution_area: String,
    /// Dynamics 365 products need a technical contact.
    pub dynamics_365: bool,
    /// A retired product is kept for the claims that name it; new claims cannot have it.
    pub retired: bool,
}

/// The catalog: solution areas, their activities and programs, and the products.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "reference", responses((status = 200, body = CatalogView)))]
pub async fn catalog(State(app): State<App>, _who: Principal) -> ApiResult<Json<CatalogView>> {
    let r = app.store.reference().await?;
    Ok(Json(CatalogView {
        solution_areas: SolutionArea::ALL
            .iter()
            .map(|a| SolutionAreaView {
                id: a.to_string(),
                name: a.display_name().to_string(),
                activities: r
                    .programs
                    .activities(*a)
                    .into_iter()
                    .map(|act| ActivityView {
                        id: act.to_string(),
                        programs: r
                            .programs
                            .programs(*a, act)
                            .unwrap_or_default()
                            .iter()
                            .map(|p| p.to_string())
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        products: r
            .catalog
            .products()
            .iter()
            .map(|p| ProductView {
                id: p.id.to_string(),
                name: p.name.clone(),
                solution_area: p.solution_area.to_string(),
                dynamics_365: p.dynamics_365,
                retired: p.retired,
            })
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LookupParams {
    domain: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct LookupView {
    pub domain: String,
    pub tenant_id: String,
}

/// The tenant (directory) ID of a customer's domain.
#[utoipa::path(get, path = "/api/v1/directory/lookup", tag = "reference", params(LookupParams),
    responses((status = 200, body = LookupView), (status = 404, body = crate::error::Problem)))]
pub async fn lookup(
    State(app): State<App>,
    _who: Principal,
    StrictQuery(p): StrictQuery<LookupParams>,
) -> ApiResult<Json<LookupView>> {
    let domain = DomainName::parse(p.domain.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::invalid(vec![e]))?;
    let tenant = app.store.tenant_of_domain(&domain).await?.ok_or_else(|| {
        ApiError::one(
            axum::http::StatusCode::NOT_FOUND,
            "domain",
            ErrorCode::NotFound,
            format!(
                "{} is not a verified domain of any tenant in the directory.",
                domain.to_unicode()
            ),
        )
    })?;
    Ok(Json(LookupView {
        domain: domain.to_string(),
        tenant_id: tenant.to_string(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct KeyParams {
    tenant_id: Option<String>,
    /// The workload, for osu_m365.
    product: Option<String>,
    /// The subscription, for the other programs.
    subscription_id: Option<String>,
    program: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct HeldView {
    pub held: bool,
}

/// Whether an association key is held (active or consent pending), never by whom.
#[utoipa::path(get, path = "/api/v1/association-keys/check", tag = "reference", params(KeyParams),
    responses((status = 200, body = HeldView), (status = 422, body = crate::error::Problem)))]
pub async fn check_key(
    State(app): State<App>,
    _who: Principal,
    StrictQuery(p): StrictQuery<KeyParams>,
) -> ApiResult<Json<HeldView>> {
    let mut errors = Vec::new();
    let req = |f: &str, v: &Option<String>| {
        v.clone()
            .unwrap_or_default()
            .trim()
            .to_string()
            .is_empty()
            .then(|| f.to_string())
    };
    let tenant = TenantId::parse(p.tenant_id.as_deref().unwrap_or(""))
        .map_err(|e| errors.push(e))
        .ok();
    let program = Program::parse(p.program.as_deref().unwrap_or(""))
        .map_err(|e| errors.push(e))
        .ok();
    let subject = match program {
        Some(pr) if pr.keyed_by_workload() => match req("product", &p.product) {
            Some(f) => {
                errors.push(FieldError::new(
                    f,
                    ErrorCode::Required,
                    "osu_m365 keys name a workload: give product.",
                ));
                None
            }
            None => ProductId::parse(p.product.as_deref().unwrap_or(""))
                .map_err(|e| errors.push(e))
                .ok()
                .map(KeySubject::Workload),
        },
        Some(_) => match req("subscription_id", &p.subscription_id) {
            Some(f) => {
                errors.push(FieldError::new(
                    f,
                    ErrorCode::Required,
                    "This program's keys name a subscription: give subscription_id.",
                ));
                None
            }
            None => SubscriptionId::parse(p.subscription_id.as_deref().unwrap_or(""))
                .map_err(|e| errors.push(e))
                .ok()
                .map(KeySubject::Subscription),
        },
        None => None,
    };
    match (tenant, program, subject) {
        (Some(tenant_id), Some(program), Some(subject)) if errors.is_empty() => {
            let key = AssociationKey {
                tenant_id,
                subject,
                program,
            };
            Ok(Json(HeldView {
                held: app.store.key_holder(&key).await?.is_some(),
            }))
        }
        _ => Err(ApiError::invalid(errors)),
    }
}
