//! Program administration over the API (program admins only): holidays, the policy, the
//! catalog, organisations and their locations, users of every organisation and of the
//! operator, API tokens and the tenant directory. Every operation runs the same code as
//! the portal's administration pages ([`crate::administration`]).

use crate::administration::{self as admin, PolicyChange, ProductChange};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, Problem};
use crate::request::{JsonBody, StrictQuery};
use crate::state::App;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cpor_domain::Role;
use cpor_domain::reference::{Organisation, Policy, Product};
use cpor_store::{Account, TokenInfo};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn require(who: &Principal) -> ApiResult<()> {
    who.require(&[Role::ProgramAdmin], "administer the program")
}

// ----- holidays -----------------------------------------------------------------------

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct HolidayView {
    /// YYYY-MM-DD.
    pub date: String,
    pub name: Option<String>,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct NewHoliday {
    /// YYYY-MM-DD.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// The business calendar's holidays, by date.
#[utoipa::path(get, path = "/api/v1/admin/holidays", tag = "administration",
    responses((status = 200, body = Vec<HolidayView>)))]
pub async fn holidays(State(app): State<App>, who: Principal) -> ApiResult<Json<Vec<HolidayView>>> {
    require(&who)?;
    Ok(Json(
        admin::holidays(&app)
            .await?
            .into_iter()
            .map(|(d, name)| HolidayView {
                date: d.to_string(),
                name,
            })
            .collect(),
    ))
}

/// Add a holiday: deadlines counted in business days skip it from now on.
#[utoipa::path(post, path = "/api/v1/admin/holidays", tag = "administration", request_body = NewHoliday,
    responses((status = 201, body = HolidayView, description = "Added"),
        (status = 200, body = HolidayView, description = "Already a holiday")))]
pub async fn add_holiday(
    State(app): State<App>,
    who: Principal,
    body: JsonBody<NewHoliday>,
) -> ApiResult<(StatusCode, Json<HolidayView>)> {
    require(&who)?;
    let b = body.value;
    let date = b.date.unwrap_or_default();
    let added = admin::add_holiday(&app, &date, b.name.as_deref()).await?;
    let d = admin::parse_date("date", &date).map_err(|e| ApiError::invalid(vec![e]))?;
    let name = admin::holidays(&app)
        .await?
        .into_iter()
        .find(|(h, _)| *h == d)
        .and_then(|(_, n)| n);
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(HolidayView {
            date: d.to_string(),
            name,
        }),
    ))
}

/// Remove a holiday.
#[utoipa::path(delete, path = "/api/v1/admin/holidays/{date}", tag = "administration",
    params(("date" = String, Path, description = "The holiday, YYYY-MM-DD")),
    responses((status = 204, description = "Removed")))]
pub async fn remove_holiday(
    State(app): State<App>,
    who: Principal,
    Path(date): Path<String>,
) -> ApiResult<StatusCode> {
    require(&who)?;
    admin::remove_holiday(&app, &date).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----- policy -------------------------------------------------------------------------

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct PolicyView {
    pub review_pickup_days: u32,
    pub review_decision_days: u32,
    pub partner_response_days: u32,
    pub consent_window_days: u32,
    pub dispute_window_days: u32,
    pub dispute_resolution_days: u32,
    pub poe_max_bytes: u64,
    pub poe_max_count: u32,
    /// IANA time zone in which business days are counted.
    pub time_zone: String,
    /// Support's mailbox, told when a dispute opens.
    pub support_email: Option<String>,
}

impl PolicyView {
    fn of(p: &Policy) -> PolicyView {
        PolicyView {
            review_pickup_days: p.review_pickup_days,
            review_decision_days: p.review_decision_days,
            partner_response_days: p.partner_response_days,
            consent_window_days: p.consent_window_days,
            dispute_window_days: p.dispute_window_days,
            dispute_resolution_days: p.dispute_resolution_days,
            poe_max_bytes: p.poe_max_bytes,
            poe_max_count: p.poe_max_count,
            time_zone: p.time_zone.clone(),
            support_email: p.support_email.clone(),
        }
    }
}

/// A change of the policy: each setting given replaces the current one. Days are 1 to
/// 365; `poe_max_bytes` 1024 to 104857600; `poe_max_count` 1 to 200.
#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct PolicyPatch {
    #[serde(default)]
    pub review_pickup_days: Option<u64>,
    #[serde(default)]
    pub review_decision_days: Option<u64>,
    #[serde(default)]
    pub partner_response_days: Option<u64>,
    #[serde(default)]
    pub consent_window_days: Option<u64>,
    #[serde(default)]
    pub dispute_window_days: Option<u64>,
    #[serde(default)]
    pub dispute_resolution_days: Option<u64>,
    #[serde(default)]
    pub poe_max_bytes: Option<u64>,
    #[serde(default)]
    pub poe_max_count: Option<u64>,
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Support's mailbox; an empty string removes it.
    #[serde(default)]
    pub support_email: Option<String>,
}

/// The policy: SLA days, windows, PoE limits and the operator's time zone.
#[utoipa::path(get, path = "/api/v1/admin/policy", tag = "administration",
    responses((status = 200, body = PolicyView)))]
pub async fn policy(State(app): State<App>, who: Principal) -> ApiResult<Json<PolicyView>> {
    require(&who)?;
    Ok(Json(PolicyView::of(&admin::policy(&app).await?)))
}

/// Change the policy; it applies to every process from its next request, and running
/// business-day deadlines are counted again on it.
#[utoipa::path(patch, path = "/api/v1/admin/policy", tag = "administration", request_body = PolicyPatch,
    responses((status = 200, body = PolicyView)))]
pub async fn set_policy(
    State(app): State<App>,
    who: Principal,
    body: JsonBody<PolicyPatch>,
) -> ApiResult<Json<PolicyView>> {
    require(&who)?;
    let b = body.value;
    let s = |n: Option<u64>| n.map(|n| n.to_string());
    let change = PolicyChange {
        review_pickup_days: s(b.review_pickup_days),
        review_decision_days: s(b.review_decision_days),
        partner_response_days: s(b.partner_response_days),
        consent_window_days: s(b.consent_window_days),
        dispute_window_days: s(b.dispute_window_days),
        dispute_resolution_days: s(b.dispute_resolution_days),
        poe_max_bytes: s(b.poe_max_bytes),
        poe_max_count: s(b.poe_max_count),
        time_zone: b.time_zone,
        support_email: b.support_email,
    };
    Ok(Json(PolicyView::of(
        &admin::set_policy(&app, &change).await?,
    )))
}

// ----- catalog ------------------------------------------------------------------------

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct AdminProductView {
    pub id: String,
    pub name: String,
    pub solution_area: String,
    pub dynamics_365: bool,
    /// Kept for the claims that name it; refused for new claims.
    pub retired: bool,
}

impl AdminProductView {
    fn of(p: &Product) -> AdminProductView {
        AdminProductView {
            id: p.id.to_string(),
            name: p.name.clone(),
            solution_area: p.solution_area.to_string(),
            dynamics_365: p.dynamics_365,
            retired: p.retired,
        }
    }
}

/// A new product, or a change of one: each field given replaces the current one (a new
/// product needs `name` and `solution_area`).
#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct ProductPut {
    #[serde(default)]
    pub name: Option<String>,
    /// microsoft_365 or business_applications.
    #[serde(default)]
    pub solution_area: Option<String>,
    #[serde(default)]
    pub dynamics_365: Option<bool>,
    #[serde(default)]
    pub retired: Option<bool>,
}

/// Every product of the catalog, retired ones included.
#[utoipa::path(get, path = "/api/v1/admin/products", tag = "administration",
    responses((status = 200, body = Vec<AdminProductView>)))]
pub async fn products(
    State(app): State<App>,
    who: Principal,
) -> ApiResult<Json<Vec<AdminProductView>>> {
    require(&who)?;
    Ok(Json(
        admin::products(&app)
            .await?
            .iter()
            .map(AdminProductView::of)
            .collect(),
    ))
}

/// Add a product, or rename, retire or bring back one (`retired`), or set its Dynamics
/// 365 flag.
#[utoipa::path(put, path = "/api/v1/admin/products/{product_id}", tag = "administration",
    params(("product_id" = String, Path, description = "The product's id, such as teams")),
    request_body = ProductPut, responses((status = 200, body = AdminProductView)))]
pub async fn put_product(
    State(app): State<App>,
    who: Principal,
    Path(product_id): Path<String>,
    body: JsonBody<ProductPut>,
) -> ApiResult<Json<AdminProductView>> {
    require(&who)?;
    let b = body.value;
    let change = ProductChange {
        name: b.name,
        solution_area: b.solution_area,
        dynamics_365: b.dynamics_365,
        retired: b.retired,
    };
    let p = admin::put_product(&app, &product_id, &change).await?;
    Ok(Json(AdminProductView::of(&p)))
}

// ----- organisations ------------------------------------------------------------------

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct LocationView {
    pub mpn_id: String,
    pub name: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct OrganisationView {
    pub id: String,
    pub name: String,
    pub locations: Vec<LocationView>,
    /// Its users cannot sign in or call the API.
    pub suspended: bool,
}

impl OrganisationView {
    fn of(org: &Organisation, suspended: bool) -> OrganisationView {
        OrganisationView {
            id: org.id.to_string(),
            name: org.name.to_string(),
            locations: org
                .locations
                .iter()
                .map(|l| LocationView {
                    mpn_id: l.mpn_id.to_string(),
                    name: l.name.clone(),
                })
                .collect(),
            suspended,
        }
    }
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    #[serde(default)]
    pub name: Option<String>,
    /// The first partner location's MPN ID (6 to 10 digits).
    #[serde(default)]
    pub mpn_id: Option<String>,
    #[serde(default)]
    pub location_name: Option<String>,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    #[serde(default)]
    pub name: Option<String>,
    /// true suspends (its users cannot sign in or call the API), false lifts.
    #[serde(default)]
    pub suspended: Option<bool>,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct NewLocation {
    #[serde(default)]
    pub mpn_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// Every partner organisation.
#[utoipa::path(get, path = "/api/v1/admin/organisations", tag = "administration",
    responses((status = 200, body = Vec<OrganisationView>)))]
pub async fn organisations(
    State(app): State<App>,
    who: Principal,
) -> ApiResult<Json<Vec<OrganisationView>>> {
    require(&who)?;
    Ok(Json(
        admin::organisations(&app)
            .await?
            .iter()
            .map(|o| OrganisationView::of(&o.org, o.suspended))
            .collect(),
    ))
}

/// Create an organisation with its first partner location.
#[utoipa::path(post, path = "/api/v1/admin/organisations", tag = "administration",
    request_body = NewOrganisation,
    responses((status = 201, body = OrganisationView), (status = 409, body = Problem)))]
pub async fn create_organisation(
    State(app): State<App>,
    who: Principal,
    body: JsonBody<NewOrganisation>,
) -> ApiResult<(StatusCode, Json<OrganisationView>)> {
    require(&who)?;
    let b = body.value;
    let org = admin::create_organisation(
        &app,
        b.name.as_deref().unwrap_or(""),
        b.mpn_id.as_deref().unwrap_or(""),
        b.location_name.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(OrganisationView::of(&org, false))))
}

/// An organisation.
#[utoipa::path(get, path = "/api/v1/admin/organisations/{org_id}", tag = "administration",
    params(("org_id" = String, Path, description = "The organisation's id")),
    responses((status = 200, body = OrganisationView)))]
pub async fn organisation(
    State(app): State<App>,
    who: Principal,
    Path(org_id): Path<String>,
) -> ApiResult<Json<OrganisationView>> {
    require(&who)?;
    let o = admin::organisation(&app, &org_id).await?;
    Ok(Json(OrganisationView::of(&o.org, o.suspended)))
}

/// Rename an organisation, suspend it or lift its suspension.
#[utoipa::path(patch, path = "/api/v1/admin/organisations/{org_id}", tag = "administration",
    params(("org_id" = String, Path, description = "The organisation's id")),
    request_body = OrganisationPatch, responses((status = 200, body = OrganisationView)))]
pub async fn patch_organisation(
    State(app): State<App>,
    who: Principal,
    Path(org_id): Path<String>,
    body: JsonBody<OrganisationPatch>,
) -> ApiResult<Json<OrganisationView>> {
    require(&who)?;
    let b = body.value;
    admin::organisation(&app, &org_id).await?;
    if let Some(name) = b.name.as_deref() {
        admin::rename_organisation(&app, &org_id, name).await?;
    }
    if let Some(s) = b.suspended {
        admin::set_suspended(&app, &org_id, s).await?;
    }
    let o = admin::organisation(&app, &org_id).await?;
    Ok(Json(OrganisationView::of(&o.org, o.suspended)))
}

/// Add a partner location.
#[utoipa::path(post, path = "/api/v1/admin/organisations/{org_id}/locations", tag = "administration",
    params(("org_id" = String, Path, description = "The organisation's id")),
    request_body = NewLocation,
    responses((status = 201, body = OrganisationView), (status = 409, body = Problem)))]
pub async fn add_location(
    State(app): State<App>,
    who: Principal,
    Path(org_id): Path<String>,
    body: JsonBody<NewLocation>,
) -> ApiResult<(StatusCode, Json<OrganisationView>)> {
    require(&who)?;
    let b = body.value;
    admin::add_location(
        &app,
        &org_id,
        b.mpn_id.as_deref().unwrap_or(""),
        b.name.as_deref(),
    )
    .await?;
    let o = admin::organisation(&app, &org_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(OrganisationView::of(&o.org, o.suspended)),
    ))
}

/// Remove a partner location: refused (409) while any claim names its MPN ID, or when it
/// is the organisation's last location.
#[utoipa::path(delete, path = "/api/v1/admin/organisations/{org_id}/locations/{mpn_id}", tag = "administration",
    params(("org_id" = String, Path, description = "The organisation's id"),
        ("mpn_id" = String, Path, description = "The location's MPN ID")),
    responses((status = 204, description = "Removed"), (status = 409, body = Problem)))]
pub async fn remove_location(
    State(app): State<App>,
    who: Principal,
    Path((org_id, mpn_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    require(&who)?;
    admin::remove_location(&app, &org_id, &mpn_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----- users and tokens ---------------------------------------------------------------

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct AdminUserView {
    pub id: String,
    /// Null for the operator's users.
    pub org_id: Option<String>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub disabled: bool,
    /// Invited, no password chosen yet.
    pub invited: bool,
    /// The user's organisation is suspended.
    pub suspended: bool,
}

impl AdminUserView {
    fn of(a: &Account) -> AdminUserView {
        AdminUserView {
            id: a.user.id.to_string(),
            org_id: a.user.org_id.map(|o| o.to_string()),
            email: a.user.email.to_string(),
            name: a.user.name.clone(),
            role: a.user.role.to_string(),
            disabled: a.disabled,
            invited: a.password_hash.is_none(),
            suspended: a.suspended,
        }
    }
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// A partner role for an organisation's user, an operator role for the operator's.
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[serde(default)]
    pub role: Option<String>,
    /// true disables (sessions end, tokens stop working), false enables.
    #[serde(default)]
    pub disabled: Option<bool>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct TokenView {
    /// The public id (never the secret).
    pub id: String,
    pub name: Option<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
}

impl TokenView {
    fn of(t: &TokenInfo) -> TokenView {
        TokenView {
            id: t.id.clone(),
            name: t.name.clone(),
            created_at: t.created_at.to_string(),
            expires_at: t.expires_at.map(|e| e.to_string()),
            last_used_at: t.last_used_at.map(|e| e.to_string()),
        }
    }
}

/// The users of an organisation, or of the operator (`operator`).
#[utoipa::path(get, path = "/api/v1/admin/organisations/{org_id}/users", tag = "administration",
    params(("org_id" = String, Path, description = "The organisation's id, or operator")),
    responses((status = 200, body = Vec<AdminUserView>)))]
pub async fn users(
    State(app): State<App>,
    who: Principal,
    Path(org_id): Path<String>,
) -> ApiResult<Json<Vec<AdminUserView>>> {
    require(&who)?;
    let org = admin::owner(&app, &org_id).await?;
    Ok(Json(
        admin::users(&app, org)
            .await?
            .iter()
            .map(AdminUserView::of)
            .collect(),
    ))
}

/// Invite a user to an organisation, or to the operator (`operator`): an e-mail brings
/// a one-time link to choose a password.
#[utoipa::path(post, path = "/api/v1/admin/organisations/{org_id}/users", tag = "administration",
    params(("org_id" = String, Path, description = "The organisation's id, or operator")),
    request_body = NewUser,
    responses((status = 201, body = AdminUserView), (status = 409, body = Problem)))]
pub async fn invite(
    State(app): State<App>,
    who: Principal,
    Path(org_id): Path<String>,
    body: JsonBody<NewUser>,
) -> ApiResult<(StatusCode, Json<AdminUserView>)> {
    require(&who)?;
    let org = admin::owner(&app, &org_id).await?;
    let b = body.value;
    let words = admin::api_words(&app).await?;
    let user = admin::invite(
        &app,
        org,
        b.name.as_deref().unwrap_or(""),
        b.email.as_deref().unwrap_or(""),
        b.role.as_deref().unwrap_or(""),
        words,
    )
    .await?;
    let a = admin::account(&app, &user.id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(AdminUserView::of(&a))))
}

/// Change a user's role (of their side), or disable or enable them.
#[utoipa::path(patch, path = "/api/v1/admin/users/{user_id}", tag = "administration",
    params(("user_id" = String, Path, description = "The user's id")),
    request_body = UserPatch,
    responses((status = 200, body = AdminUserView), (status = 409, body = Problem)))]
pub async fn patch_user(
    State(app): State<App>,
    who: Principal,
    Path(user_id): Path<String>,
    body: JsonBody<UserPatch>,
) -> ApiResult<Json<AdminUserView>> {
    require(&who)?;
    let b = body.value;
    let mut a = admin::account(&app, &user_id).await?;
    if let Some(role) = b.role.as_deref() {
        a = admin::set_role(&app, &user_id, role).await?;
    }
    if let Some(d) = b.disabled {
        a = admin::set_disabled(&app, who.0.id, &user_id, d).await?;
    }
    Ok(Json(AdminUserView::of(&a)))
}

/// A user's live API tokens, newest first.
#[utoipa::path(get, path = "/api/v1/admin/users/{user_id}/tokens", tag = "administration",
    params(("user_id" = String, Path, description = "The user's id")),
    responses((status = 200, body = Vec<TokenView>)))]
pub async fn tokens(
    State(app): State<App>,
    who: Principal,
    Path(user_id): Path<String>,
) -> ApiResult<Json<Vec<TokenView>>> {
    require(&who)?;
    Ok(Json(
        admin::tokens(&app, &user_id)
            .await?
            .iter()
            .map(TokenView::of)
            .collect(),
    ))
}

/// Revoke a user's API token.
#[utoipa::path(delete, path = "/api/v1/admin/users/{user_id}/tokens/{token_id}", tag = "administration",
    params(("user_id" = String, Path, description = "The user's id"),
        ("token_id" = String, Path, description = "The token's public id")),
    responses((status = 204, description = "Revoked")))]
pub async fn revoke_token(
    State(app): State<App>,
    who: Principal,
    Path((user_id, token_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    require(&who)?;
    admin::revoke_token(&app, &user_id, &token_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----- tenant directory ---------------------------------------------------------------

/// The directory files as CSV text: `tenants_csv` with the header `tenant_id,domain`
/// (one row per verified domain), `subscriptions_csv` (optional) with the header
/// `tenant_id,subscription_id,product,state,channel,starts_on,ends_on`. The whole body is
/// at most 256 KiB; import larger directories in parts, or with `cpor admin directory
/// import`.
#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct DirectoryImport {
    #[serde(default)]
    pub tenants_csv: Option<String>,
    #[serde(default)]
    pub subscriptions_csv: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// true: report what would change, import nothing.
    dry_run: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct RefusedRow {
    /// tenants or subscriptions.
    pub file: String,
    pub line: u64,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ImportReport {
    /// Whether the files were imported (not a dry run, and no row refused).
    pub imported: bool,
    /// Tenants the directory did not know.
    pub added: Vec<String>,
    /// Tenants whose domains or subscriptions change.
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    /// Rows that cannot be imported; while there is any, nothing is.
    pub refused: Vec<RefusedRow>,
}

/// Import the tenant directory from CSV, all or nothing; with `dry_run=true`, only
/// report what would change. A refused row is reported with its line and reason, and
/// then nothing is imported (the answer is still 200, with `imported` false).
#[utoipa::path(post, path = "/api/v1/admin/directory/import", tag = "administration",
    params(ImportParams), request_body = DirectoryImport,
    responses((status = 200, body = ImportReport)))]
pub async fn import_directory(
    State(app): State<App>,
    who: Principal,
    StrictQuery(q): StrictQuery<ImportParams>,
    body: JsonBody<DirectoryImport>,
) -> ApiResult<Json<ImportReport>> {
    require(&who)?;
    let dry_run = match q.dry_run.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::one(
                StatusCode::UNPROCESSABLE_ENTITY,
                "dry_run",
                cpor_domain::ErrorCode::InvalidEnumValue,
                "dry_run is true or false.",
            ));
        }
    };
    let b = body.value;
    let Some(tenants) = b.tenants_csv.filter(|t| !t.trim().is_empty()) else {
        return Err(ApiError::one(
            StatusCode::UNPROCESSABLE_ENTITY,
            "tenants_csv",
            cpor_domain::ErrorCode::Required,
            "The tenants file (tenant_id,domain) is required.",
        ));
    };
    let (report, summary) = admin::import_directory(
        &app,
        tenants.as_bytes(),
        b.subscriptions_csv.as_deref().map(str::as_bytes),
        dry_run,
    )
    .await?;
    let ids = |v: &[cpor_domain::values::TenantId]| v.iter().map(|t| t.to_string()).collect();
    Ok(Json(ImportReport {
        imported: summary.is_some(),
        added: ids(&report.added),
        changed: ids(&report.changed),
        unchanged: ids(&report.unchanged),
        refused: report
            .refused
            .iter()
            .map(|r| RefusedRow {
                file: r.file.clone(),
                line: r.line,
                reason: r.reason.clone(),
            })
            .collect(),
    }))
}
