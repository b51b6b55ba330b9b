//! What the program admin owns (docs/product.md, program administration): organisations
//! and their locations, users of every organisation and of the operator, API tokens, the
//! catalog, holidays, the policy and the tenant directory. The JSON API
//! (`api/admin.rs`), the portal (`web/admin/`) and, where it fits, `cpor admin` run
//! these same functions, so each rule is written once. Each refusal names its field.
//!
//! Reference data changes (catalog, holidays, policy) bump the store's reference version,
//! so every process on the database uses them from its next request, without a restart.

use crate::directory::{self, Report};
use crate::error::{ApiError, ApiResult};
use crate::state::App;
use crate::web::i18n::{I18n, Lang};
use cpor_domain::jiff::civil::Date;
use cpor_domain::reference::{Location, Organisation, Policy, Product, ProductId, SolutionArea};
use cpor_domain::values::{Email, MpnId, OrgId, OrganisationName, Parse, UserId};
use cpor_domain::{ErrorCode, FieldError, Role, Side};
use cpor_store::{Account, ImportSummary, LinkPurpose, TokenInfo, User};

/// A parse failure as a 422 naming its field.
fn invalid(e: FieldError) -> ApiError {
    ApiError::invalid(vec![e])
}

/// A date such as 2026-12-25, named `field`.
pub fn parse_date(field: &str, raw: &str) -> Result<Date, FieldError> {
    raw.trim().parse::<Date>().map_err(|_| {
        FieldError::new(
            field,
            ErrorCode::InvalidFormat,
            format!("\"{}\" is not a date such as 2026-12-25.", raw.trim()),
        )
    })
}

// ----- holidays -----------------------------------------------------------------------

pub async fn holidays(app: &App) -> ApiResult<Vec<(Date, Option<String>)>> {
    Ok(app.store.holidays().await?)
}

/// Adds a holiday; `false` when the date already was one.
pub async fn add_holiday(app: &App, date: &str, name: Option<&str>) -> ApiResult<bool> {
    let date = parse_date("date", date).map_err(invalid)?;
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    if name.is_some_and(|n| n.chars().count() > 100) {
        return Err(invalid(FieldError::new(
            "name",
            ErrorCode::ValueOutOfRange,
            "A holiday's name is at most 100 characters.",
        )));
    }
    let added = app.store.add_holiday(date, name).await?;
    // Also when it already was one: a retry after a failed recount finishes the recount.
    recount(app).await?;
    Ok(added)
}

/// Removes a holiday; not found when the date is not one.
pub async fn remove_holiday(app: &App, date: &str) -> ApiResult<()> {
    let date = parse_date("date", date).map_err(|_| ApiError::not_found("holiday"))?;
    let removed = app.store.remove_holiday(date).await?;
    // Also when it was none: a retry after a failed recount finishes the recount.
    recount(app).await?;
    if removed {
        Ok(())
    } else {
        Err(ApiError::not_found("holiday"))
    }
}

/// Deadlines follow the calendar and the policy: after a change of either, the running
/// business-day deadlines of every claim are counted again from when they started.
async fn recount(app: &App) -> ApiResult<()> {
    let moved = cpor_store::recount_deadlines(app.store.as_ref(), app.clock.now()).await?;
    if moved > 0 {
        tracing::info!(claims = moved, "deadlines recounted");
    }
    Ok(())
}

// ----- policy -------------------------------------------------------------------------

pub async fn policy(app: &App) -> ApiResult<Policy> {
    Ok(app.store.reference().await?.policy.clone())
}

/// A change of the policy: each setting given replaces the current one.
#[derive(Debug, Default, Clone)]
pub struct PolicyChange {
    pub review_pickup_days: Option<String>,
    pub review_decision_days: Option<String>,
    pub partner_response_days: Option<String>,
    pub consent_window_days: Option<String>,
    pub dispute_window_days: Option<String>,
    pub dispute_resolution_days: Option<String>,
    pub poe_max_bytes: Option<String>,
    pub poe_max_count: Option<String>,
    pub time_zone: Option<String>,
    /// Support's mailbox; blank removes it.
    pub support_email: Option<String>,
}

/// The largest PoE file a policy may allow (the upload route's body limit is set from the
/// policy at start-up, plus room; see `api::routes`).
pub const MAX_POE_BYTES: u64 = 100 * 1024 * 1024;

fn number(
    field: &str,
    raw: &Option<String>,
    range: std::ops::RangeInclusive<u64>,
    errors: &mut Vec<FieldError>,
) -> Option<u64> {
    let raw = raw.as_deref()?.trim();
    match raw.parse::<u64>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                ErrorCode::ValueOutOfRange,
                format!(
                    "\"{raw}\" is not a whole number from {} to {}.",
                    range.start(),
                    range.end()
                ),
            ));
            None
        }
    }
}

/// Applies the change to the current policy and stores it; the new policy.
pub async fn set_policy(app: &App, change: &PolicyChange) -> ApiResult<Policy> {
    let mut p = policy(app).await?;
    let mut errors = Vec::new();
    let days = |f: &str, v: &Option<String>, e: &mut Vec<FieldError>| {
        number(f, v, 1..=365, e).map(|n| n as u32)
    };
    if let Some(n) = days(
        "review_pickup_days",
        &change.review_pickup_days,
        &mut errors,
    ) {
        p.review_pickup_days = n;
    }
    if let Some(n) = days(
        "review_decision_days",
        &change.review_decision_days,
        &mut errors,
    ) {
        p.review_decision_days = n;
    }
    if let Some(n) = days(
        "partner_response_days",
        &change.partner_response_days,
        &mut errors,
    ) {
        p.partner_response_days = n;
    }
    if let Some(n) = days(
        "consent_window_days",
        &change.consent_window_days,
        &mut errors,
    ) {
        p.consent_window_days = n;
    }
    if let Some(n) = days(
        "dispute_window_days",
        &change.dispute_window_days,
        &mut errors,
    ) {
        p.dispute_window_days = n;
    }
    if let Some(n) = days(
        "dispute_resolution_days",
        &change.dispute_resolution_days,
        &mut errors,
    ) {
        p.dispute_resolution_days = n;
    }
    if let Some(n) = number(
        "poe_max_bytes",
        &change.poe_max_bytes,
        1024..=MAX_POE_BYTES,
        &mut errors,
    ) {
        p.poe_max_bytes = n;
    }
    if let Some(n) = number("poe_max_count", &change.poe_max_count, 1..=200, &mut errors) {
        p.poe_max_count = n as u32;
    }
    if let Some(tz) = change.time_zone.as_deref() {
        let tz = tz.trim();
        if cpor_domain::jiff::tz::TimeZone::get(tz).is_ok() {
            p.time_zone = tz.to_string();
        } else {
            errors.push(FieldError::new(
                "time_zone",
                ErrorCode::InvalidEnumValue,
                format!("\"{tz}\" is not an IANA time zone such as Europe/Paris."),
            ));
        }
    }
    if let Some(raw) = change.support_email.as_deref() {
        let raw = raw.trim();
        if raw.is_empty() {
            p.support_email = None;
        } else {
            match cpor_domain::values::Email::parse_field("support_email", raw) {
                Ok(e) => p.support_email = Some(e.to_string()),
                Err(e) => errors.push(e),
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    app.store.set_policy(&p).await?;
    recount(app).await?;
    Ok(p)
}

// ----- catalog ------------------------------------------------------------------------

pub async fn products(app: &App) -> ApiResult<Vec<Product>> {
    Ok(app.store.reference().await?.catalog.products().to_vec())
}

/// A new product, or a change of one (each field given replaces the current one).
#[derive(Debug, Default, Clone)]
pub struct ProductChange {
    pub name: Option<String>,
    pub solution_area: Option<String>,
    pub dynamics_365: Option<bool>,
    pub retired: Option<bool>,
}

/// Adds a product (name and solution area required) or changes one; the product.
pub async fn put_product(app: &App, id: &str, change: &ProductChange) -> ApiResult<Product> {
    let id = ProductId::parse_field("id", id).map_err(invalid)?;
    let current = app.store.reference().await?.catalog.get(&id).cloned();
    let mut errors = Vec::new();
    let name = match change.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() && n.chars().count() <= 100 => Some(n.to_string()),
        Some(_) => {
            errors.push(FieldError::new(
                "name",
                ErrorCode::ValueOutOfRange,
                "A product's name is 1 to 100 characters.",
            ));
            None
        }
        None => current.as_ref().map(|p| p.name.clone()),
    };
    let area = match change.solution_area.as_deref() {
        Some(a) => SolutionArea::parse_field("solution_area", a)
            .map_err(|e| errors.push(e))
            .ok(),
        None => current.as_ref().map(|p| p.solution_area),
    };
    if current.is_none() {
        if change.name.is_none() {
            errors.push(FieldError::new(
                "name",
                ErrorCode::Required,
                "A new product needs a name.",
            ));
        }
        if change.solution_area.is_none() {
            errors.push(FieldError::new(
                "solution_area",
                ErrorCode::Required,
                "A new product needs a solution area.",
            ));
        }
    }
    let (Some(name), Some(solution_area), true) = (name, area, errors.is_empty()) else {
        return Err(ApiError::invalid(errors));
    };
    let product = Product {
        id,
        name,
        solution_area,
        dynamics_365: change
            .dynamics_365
            .or(current.as_ref().map(|p| p.dynamics_365))
            .unwrap_or(false),
        retired: change
            .retired
            .or(current.as_ref().map(|p| p.retired))
            .unwrap_or(false),
    };
    app.store.upsert_product(&product).await?;
    Ok(product)
}

/// Retires a product (kept for the claims that name it, refused for new ones) or brings
/// it back; not found when the catalog has no such product.
pub async fn set_retired(app: &App, id: &str, retired: bool) -> ApiResult<Product> {
    let id = ProductId::parse(id).map_err(|_| ApiError::not_found("product"))?;
    let mut product = app
        .store
        .reference()
        .await?
        .catalog
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("product"))?;
    product.retired = retired;
    app.store.upsert_product(&product).await?;
    Ok(product)
}

// ----- organisations ------------------------------------------------------------------

/// An organisation and whether it is suspended.
pub struct OrgInfo {
    pub org: Organisation,
    pub suspended: bool,
}

pub async fn organisations(app: &App) -> ApiResult<Vec<OrgInfo>> {
    let suspended = app.store.suspended_organisations().await?;
    Ok(app
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|org| OrgInfo {
            suspended: suspended.contains(&org.id),
            org,
        })
        .collect())
}

/// The organisation with this id (as text); not found otherwise.
pub async fn organisation(app: &App, id: &str) -> ApiResult<OrgInfo> {
    let id: OrgId = id
        .parse()
        .map_err(|_| ApiError::not_found("organisation"))?;
    let org = app
        .store
        .organisation(id)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let suspended = app.store.suspended_organisations().await?.contains(&id);
    Ok(OrgInfo { org, suspended })
}

fn location(mpn_id: &str, name: Option<&str>) -> Result<Location, FieldError> {
    Ok(Location {
        mpn_id: MpnId::parse_field("mpn_id", mpn_id)?,
        name: name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
    })
}

/// Creates an organisation with its first location.
pub async fn create_organisation(
    app: &App,
    name: &str,
    mpn_id: &str,
    location_name: Option<&str>,
) -> ApiResult<Organisation> {
    let mut errors = Vec::new();
    let name = OrganisationName::parse_field("name", name)
        .map_err(|e| errors.push(e))
        .ok();
    let first = location(mpn_id, location_name)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(name), Some(first)) = (name, first) else {
        return Err(ApiError::invalid(errors));
    };
    let org = Organisation {
        id: OrgId::from_uuid(uuid::Uuid::now_v7()),
        name,
        locations: vec![first],
    };
    app.store.create_organisation(&org, app.clock.now()).await?;
    Ok(org)
}

pub async fn rename_organisation(app: &App, id: &str, name: &str) -> ApiResult<()> {
    let org = organisation(app, id).await?;
    let name = OrganisationName::parse_field("name", name).map_err(invalid)?;
    Ok(app.store.rename_organisation(org.org.id, &name).await?)
}

pub async fn add_location(app: &App, id: &str, mpn_id: &str, name: Option<&str>) -> ApiResult<()> {
    let org = organisation(app, id).await?;
    let l = location(mpn_id, name).map_err(invalid)?;
    Ok(app.store.add_location(org.org.id, &l).await?)
}

/// Removes a location no claim names (a 409 otherwise) that is not the last one.
pub async fn remove_location(app: &App, id: &str, mpn_id: &str) -> ApiResult<()> {
    let org = organisation(app, id).await?;
    let mpn = MpnId::parse(mpn_id).map_err(|_| ApiError::not_found("location"))?;
    Ok(app.store.remove_location(org.org.id, &mpn).await?)
}

/// Suspends an organisation (its users cannot sign in or call the API; their sessions
/// end) or lifts the suspension.
pub async fn set_suspended(app: &App, id: &str, suspended: bool) -> ApiResult<()> {
    let org = organisation(app, id).await?;
    Ok(app
        .store
        .set_suspended(org.org.id, suspended, app.clock.now())
        .await?)
}

// ----- users and tokens ---------------------------------------------------------------

/// Whose users: an organisation's (its id) or the operator's (`operator`).
pub async fn owner(app: &App, raw: &str) -> ApiResult<Option<OrgId>> {
    if raw == "operator" {
        return Ok(None);
    }
    Ok(Some(organisation(app, raw).await?.org.id))
}

/// The users of an organisation (or of the operator, `None`) with their accounts.
pub async fn users(app: &App, org: Option<OrgId>) -> ApiResult<Vec<Account>> {
    let mut out = Vec::new();
    for u in app.store.users(org).await? {
        if let Some(a) = app.store.account(u.id).await? {
            out.push(a);
        }
    }
    Ok(out)
}

/// Any user, by id (as text); not found otherwise.
pub async fn account(app: &App, id: &str) -> ApiResult<Account> {
    let id: UserId = id.parse().map_err(|_| ApiError::not_found("user"))?;
    app.store
        .account(id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))
}

/// A role of the side the user belongs to (partner roles for an organisation's users,
/// operator roles for the operator's).
fn role_for(org: Option<OrgId>, raw: &str) -> Result<Role, FieldError> {
    let role = Role::parse_field("role", raw)?;
    let side = if org.is_some() {
        Side::Partner
    } else {
        Side::Operator
    };
    if role.side() == side {
        Ok(role)
    } else {
        Err(FieldError::new(
            "role",
            ErrorCode::InvalidEnumValue,
            if side == Side::Partner {
                "A partner organisation's user has a partner role: global_admin, incentives_admin, incentives_user or billing_admin."
            } else {
                "The operator's user has an operator role: reviewer, support_agent or program_admin."
            },
        ))
    }
}

/// Invites a user: created without a password, and e-mailed a one-time link (in
/// `words`' language) to choose one.
pub async fn invite(
    app: &App,
    org: Option<OrgId>,
    name: &str,
    email: &str,
    role: &str,
    words: I18n,
) -> ApiResult<User> {
    let mut errors = Vec::new();
    let email = Email::parse_field("email", email.trim())
        .map_err(|e| errors.push(e))
        .ok();
    let role = role_for(org, role).map_err(|e| errors.push(e)).ok();
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            ErrorCode::Required,
            "A name of 1 to 100 characters is required.",
        ));
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Err(ApiError::invalid(errors));
    };
    let user = User {
        id: UserId::from_uuid(uuid::Uuid::now_v7()),
        org_id: org,
        email,
        name,
        role,
        created_at: app.clock.now(),
    };
    app.store.create_user(&user, None).await?;
    crate::web::account::send_link(
        app.clone(),
        user.id,
        user.email.to_string(),
        LinkPurpose::Invitation,
        words,
    )
    .await;
    Ok(user)
}

/// The words of an e-mail to a user the API invites: English, in the operator's zone.
pub async fn api_words(app: &App) -> ApiResult<I18n> {
    let zone = app.store.reference().await?.calendar.time_zone().clone();
    Ok(I18n::new(Lang::En, zone))
}

pub async fn set_role(app: &App, user: &str, role: &str) -> ApiResult<Account> {
    let a = account(app, user).await?;
    let role = role_for(a.user.org_id, role).map_err(invalid)?;
    app.store.set_role(a.user.id, role).await?;
    account(app, user).await
}

/// Disables a user (ending their sessions; their tokens stop working) or enables them.
/// A program admin cannot disable themself.
pub async fn set_disabled(app: &App, by: UserId, user: &str, disabled: bool) -> ApiResult<Account> {
    let a = account(app, user).await?;
    if disabled && a.user.id == by {
        return Err(ApiError::one(
            axum::http::StatusCode::CONFLICT,
            "user",
            ErrorCode::InvalidState,
            "You cannot disable yourself.",
        ));
    }
    app.store.set_disabled(a.user.id, disabled).await?;
    account(app, user).await
}

pub async fn tokens(app: &App, user: &str) -> ApiResult<Vec<TokenInfo>> {
    let a = account(app, user).await?;
    Ok(app.store.tokens(a.user.id).await?)
}

pub async fn revoke_token(app: &App, user: &str, token: &str) -> ApiResult<()> {
    let a = account(app, user).await?;
    if app.store.revoke_token(a.user.id, token).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("token"))
    }
}

// ----- tenant directory ---------------------------------------------------------------

/// Checks the directory files and, unless `dry_run` or a row is refused, imports them:
/// the report, and what was imported.
pub async fn import_directory(
    app: &App,
    tenants: &[u8],
    subscriptions: Option<&[u8]>,
    dry_run: bool,
) -> ApiResult<(Report, Option<ImportSummary>)> {
    let report = directory::read(
        app.store.as_ref(),
        ("tenants", tenants),
        subscriptions.map(|s| ("subscriptions", s)),
    )
    .await?;
    if dry_run || !report.ok() {
        return Ok((report, None));
    }
    let summary = app.store.import_directory(&report.records).await?;
    Ok((report, Some(summary)))
}
