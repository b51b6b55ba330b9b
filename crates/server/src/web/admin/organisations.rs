//! `/admin/organisations`: every partner organisation (suspended or not) and a new one
//! with its first location; `/admin/organisations/{id}`: rename, suspend or lift, add and
//! remove locations (a removal refused while claims name the MPN ID, or for the last
//! location, is said beside it), its users (invite, role, disable, enable) and their API
//! tokens (revoke). `/admin/organisations/operator` is the operator's own users, with
//! operator roles.

use super::{Feedback, answer, is_form_refusal, require};
use crate::administration::{self as admin};
use crate::error::ApiError;
use crate::web::error::{PageError, PageResult};
use crate::web::form::{NoFields, Posted};
use crate::web::organisation::{RoleOpt, UserLine, role_opts, user_lines};
use crate::web::render;
use crate::web::ui::{SignedIn, Ui, see_other};
use askama::Template;
use axum::extract::{Path, Query};
use cpor_domain::{ErrorCode, Side};
use serde::Deserialize;

use super::home::NoticeQuery;

pub struct OrgLine {
    pub id: String,
    pub name: String,
    pub mpn_ids: String,
    pub suspended: bool,
}

#[derive(Template)]
#[template(path = "web/admin/organisations.html")]
struct ListPage<'a> {
    ui: &'a Ui,
    fb: Feedback,
    orgs: Vec<OrgLine>,
}

impl ListPage<'_> {
    fn error(&self, at: &str) -> Option<&str> {
        self.fb.error(at)
    }

    fn sent(&self, at: &str) -> &str {
        self.fb.sent(at).unwrap_or("")
    }
}

pub struct LocationLine {
    pub mpn_id: String,
    pub name: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "web/admin/organisation.html")]
struct OrgPage<'a> {
    ui: &'a Ui,
    fb: Feedback,
    /// `operator` or the organisation's id.
    id: String,
    name: String,
    operator: bool,
    suspended: bool,
    locations: Vec<LocationLine>,
    users: Vec<UserLine>,
    roles: Vec<RoleOpt>,
}

impl OrgPage<'_> {
    fn error(&self, at: &str) -> Option<&str> {
        self.fb.error(at)
    }

    fn sent(&self, at: &str) -> &str {
        self.fb.sent(at).unwrap_or("")
    }

    /// The refusal of a change on a user's row.
    fn user_error(&self, user: &str) -> Option<&str> {
        let prefix = format!("user:{user}.");
        self.fb
            .errors
            .iter()
            .find(|(k, _)| k.starts_with(&prefix))
            .map(|(_, m)| m.as_str())
    }
}

/// `GET /admin/organisations`.
pub async fn list(SignedIn(ui, viewer): SignedIn, Query(q): Query<NoticeQuery>) -> PageResult {
    require(&ui, Some(&viewer))?;
    let fb = Feedback::notice(&ui.i, q.notice.as_deref());
    show_list(&ui, fb).await
}

async fn show_list(ui: &Ui, fb: Feedback) -> PageResult {
    let orgs = admin::organisations(&ui.app)
        .await
        .map_err(|e| PageError::from_api(ui, e))?
        .into_iter()
        .map(|o| OrgLine {
            id: o.org.id.to_string(),
            name: o.org.name.to_string(),
            mpn_ids: o
                .org
                .locations
                .iter()
                .map(|l| l.mpn_id.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            suspended: o.suspended,
        })
        .collect();
    let failed = fb.failed();
    answer(render(&ListPage { ui, fb, orgs })?, failed)
}

#[derive(Deserialize)]
pub struct NewOrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mpn_id: String,
    #[serde(default)]
    location_name: String,
}

/// `POST /admin/organisations`: a new organisation with its first location.
pub async fn create(posted: Posted<NewOrgForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let f = &posted.form;
    match admin::create_organisation(&ui.app, &f.name, &f.mpn_id, Some(&f.location_name)).await {
        Ok(org) => Ok(see_other(&format!(
            "/admin/organisations/{}?notice=organisation_created",
            org.id
        ))),
        Err(e) if is_form_refusal(&e) => {
            let fb = Feedback::refused(&ui.i, "org", &e.errors).with_sent(
                "org",
                &[
                    ("name", f.name.as_str()),
                    ("mpn_id", f.mpn_id.as_str()),
                    ("location_name", f.location_name.as_str()),
                ],
            );
            show_list(ui, fb).await
        }
        Err(e) => Err(PageError::from_api(ui, e)),
    }
}

/// `GET /admin/organisations/{id}` (`operator` for the operator's users).
pub async fn page(
    SignedIn(ui, viewer): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    require(&ui, Some(&viewer))?;
    let fb = Feedback::notice(&ui.i, q.notice.as_deref());
    show(&ui, &id, fb).await
}

async fn show(ui: &Ui, id: &str, fb: Feedback) -> PageResult {
    let app = &ui.app;
    let i = &ui.i;
    let found = |e: ApiError| PageError::from_api(ui, e);
    let owner = admin::owner(app, id).await.map_err(found)?;
    let (name, suspended, locations) = match owner {
        None => (i.t("admin-operator-users-heading"), false, Vec::new()),
        Some(_) => {
            let o = admin::organisation(app, id).await.map_err(found)?;
            let locations = o
                .org
                .locations
                .iter()
                .map(|l| {
                    let m = l.mpn_id.to_string();
                    LocationLine {
                        error: fb
                            .error(&format!("location:{m}.mpn_id"))
                            .map(str::to_string),
                        name: l.name.clone().unwrap_or_default(),
                        mpn_id: m,
                    }
                })
                .collect();
            (o.org.name.to_string(), o.suspended, locations)
        }
    };
    let users = user_lines(ui, owner).await?;
    let side = if owner.is_some() {
        Side::Partner
    } else {
        Side::Operator
    };
    let failed = fb.failed();
    let page = OrgPage {
        ui,
        fb,
        id: id.to_string(),
        name,
        operator: owner.is_none(),
        suspended,
        locations,
        users,
        roles: role_opts(i, side),
    };
    answer(render(&page)?, failed)
}

/// After a change on an organisation's page: on to `notice`, or the page again with the
/// refusal at `scope`.
async fn after<T>(
    ui: &Ui,
    org: &str,
    result: Result<T, ApiError>,
    scope: &str,
    sent: &[(&str, &str)],
    notice: &str,
) -> PageResult {
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/admin/organisations/{org}?notice={notice}"
        ))),
        Err(e) if is_form_refusal(&e) => {
            let mut fb = Feedback::refused(&ui.i, scope, &e.errors).with_sent(scope, sent);
            // Say which rule refused: a location in use or the last one; oneself.
            for ((at, words), err) in fb.errors.iter_mut().zip(&e.errors) {
                if scope.starts_with("location:") {
                    *at = format!("{scope}.mpn_id");
                    match err.code {
                        ErrorCode::Conflict => *words = ui.t("admin-location-in-use"),
                        ErrorCode::InvalidState => *words = ui.t("admin-location-last"),
                        _ => {}
                    }
                } else if scope.starts_with("user:") && err.code == ErrorCode::InvalidState {
                    *words = ui.t("admin-user-not-yourself");
                }
            }
            show(ui, org, fb).await
        }
        Err(e) => Err(PageError::from_api(ui, e)),
    }
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

/// `POST /admin/organisations/{id}/name`.
pub async fn rename(Path(id): Path<String>, posted: Posted<NameForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let name = posted.form.name.as_str();
    let result = admin::rename_organisation(&ui.app, &id, name).await;
    after(
        ui,
        &id,
        result,
        "rename",
        &[("name", name)],
        "organisation_renamed",
    )
    .await
}

#[derive(Deserialize)]
pub struct SuspendForm {
    #[serde(default)]
    suspended: String,
}

/// `POST /admin/organisations/{id}/suspended`: suspends (its users' sessions end, they
/// cannot sign in, their tokens stop working) or lifts the suspension.
pub async fn suspend(Path(id): Path<String>, posted: Posted<SuspendForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let suspended = posted.form.suspended == "true";
    let result = admin::set_suspended(&ui.app, &id, suspended).await;
    let notice = if suspended {
        "organisation_suspended"
    } else {
        "organisation_lifted"
    };
    after(ui, &id, result, "suspend", &[], notice).await
}

#[derive(Deserialize)]
pub struct LocationForm {
    #[serde(default)]
    mpn_id: String,
    #[serde(default)]
    name: String,
}

/// `POST /admin/organisations/{id}/locations`.
pub async fn add_location(Path(id): Path<String>, posted: Posted<LocationForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let f = &posted.form;
    let result = admin::add_location(&ui.app, &id, &f.mpn_id, Some(&f.name)).await;
    after(
        ui,
        &id,
        result,
        "location",
        &[("mpn_id", f.mpn_id.as_str()), ("name", f.name.as_str())],
        "location_added",
    )
    .await
}

/// `POST /admin/organisations/{id}/locations/{mpn}/remove`: refused while a claim names
/// the MPN ID, and for the organisation's last location.
pub async fn remove_location(
    Path((id, mpn)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let result = admin::remove_location(&ui.app, &id, &mpn).await;
    after(
        ui,
        &id,
        result,
        &format!("location:{mpn}"),
        &[],
        "location_removed",
    )
    .await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/organisations/{id}/users`: invites a user (of the operator for
/// `operator`), who is e-mailed a one-time link to choose a password.
pub async fn invite(Path(id): Path<String>, posted: Posted<InviteForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let f = &posted.form;
    let owner = admin::owner(&ui.app, &id)
        .await
        .map_err(|e| PageError::from_api(ui, e))?;
    let result = admin::invite(&ui.app, owner, &f.name, &f.email, &f.role, ui.i.clone()).await;
    after(
        ui,
        &id,
        result,
        "invite",
        &[
            ("name", f.name.as_str()),
            ("email", f.email.as_str()),
            ("role", f.role.as_str()),
        ],
        "user_invited",
    )
    .await
}

/// The page a user's row is on: their organisation's, or the operator's.
async fn owner_page(ui: &Ui, user: &str) -> Result<String, PageError> {
    let a = admin::account(&ui.app, user)
        .await
        .map_err(|e| PageError::from_api(ui, e))?;
    Ok(a.user
        .org_id
        .map_or_else(|| "operator".to_string(), |o| o.to_string()))
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /admin/users/{id}/role`: a role of the user's side.
pub async fn set_role(Path(id): Path<String>, posted: Posted<RoleForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let org = owner_page(ui, &id).await?;
    let result = admin::set_role(&ui.app, &id, &posted.form.role).await;
    after(ui, &org, result, &format!("user:{id}"), &[], "role_changed").await
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    disabled: String,
}

/// `POST /admin/users/{id}/disabled`: disables (sessions end, tokens stop working) or
/// enables a user; a program admin cannot disable themself.
pub async fn set_disabled(Path(id): Path<String>, posted: Posted<DisableForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = require(ui, ui.viewer.as_ref())?;
    let org = owner_page(ui, &id).await?;
    let disabled = posted.form.disabled == "true";
    let result = admin::set_disabled(&ui.app, viewer.user.id, &id, disabled).await;
    let notice = if disabled {
        "user_disabled"
    } else {
        "user_enabled"
    };
    after(ui, &org, result, &format!("user:{id}"), &[], notice).await
}

/// `POST /admin/users/{id}/tokens/{token}/revoke`.
pub async fn revoke_token(
    Path((id, token)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let org = owner_page(ui, &id).await?;
    let result = admin::revoke_token(&ui.app, &id, &token).await;
    after(
        ui,
        &org,
        result,
        &format!("user:{id}"),
        &[],
        "token_revoked",
    )
    .await
}
