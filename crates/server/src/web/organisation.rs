//! The global admin's organisation: its partner locations (MPN IDs), its users (invite,
//! role, disable, invite again) and their API tokens (create with a name and an expiry,
//! the secret shown once; revoke). Every change names a user of the admin's own
//! organisation, or is refused as not found.

use super::account::send_link;
use super::error::{PageError, PageResult};
use super::form::{NoFields, Posted};
use super::render;
use super::ui::{SignedIn, Ui, Viewer, see_other};
use crate::auth::new_secret;
use askama::Template;
use axum::extract::{Path, Query};
use cpor_domain::claim::hash_secret;
use cpor_domain::jiff::SignedDuration;
use cpor_domain::reference::Location;
use cpor_domain::values::{Email, MpnId, OrgId, Parse, UserId};
use cpor_domain::{ErrorCode, FieldError, Role, Side};
use cpor_store::{LinkPurpose, TokenScope, User};
use serde::Deserialize;

/// The longest an API token may live, in days.
pub const MAX_TOKEN_DAYS: i64 = 730;

pub struct UserLine {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub role_code: &'static str,
    pub state: String,
    pub disabled: bool,
    pub invited: bool,
    pub tokens: Vec<TokenLine>,
}

pub struct TokenLine {
    pub id: String,
    pub name: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub scope: String,
}

pub struct RoleOpt {
    pub value: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "web/organisation.html")]
struct OrganisationPage<'a> {
    ui: &'a Ui,
    name: String,
    locations: Vec<(String, String)>,
    users: Vec<UserLine>,
    roles: Vec<RoleOpt>,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    /// A token just made: shown this once.
    new_token: Option<String>,
    /// The organisation's language, for the choice (`""` for none).
    language: String,
}

/// The admin's organisation, or a refusal for anyone else.
fn admin_of(ui: &Ui, viewer: &Viewer) -> Result<OrgId, PageError> {
    match viewer.user.org_id {
        Some(org) if viewer.user.role == Role::GlobalAdmin => Ok(org),
        _ => Err(PageError::forbidden(ui)),
    }
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    notice: Option<String>,
}

/// `GET /organisation`.
pub async fn page(SignedIn(ui, viewer): SignedIn, Query(q): Query<Notice>) -> PageResult {
    let notice = q
        .notice
        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|n| ui.i.code("notice", &n));
    show(&ui, &viewer, notice, Vec::new(), None).await
}

async fn show(
    ui: &Ui,
    viewer: &Viewer,
    notice: Option<String>,
    errors: Vec<FieldError>,
    new_token: Option<String>,
) -> PageResult {
    let org_id = admin_of(ui, viewer)?;
    let app = &ui.app;
    let fail = |e: cpor_store::StoreError| PageError::from_api(ui, e.into());
    let org = app
        .store
        .organisation(org_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| PageError::not_found(ui))?;
    let i = &ui.i;
    let users = user_lines(ui, Some(org_id)).await?;
    let language = app
        .store
        .organisation_language(org_id)
        .await
        .map_err(fail)?
        .unwrap_or_default();
    let page = OrganisationPage {
        ui,
        name: org.name.to_string(),
        locations: org
            .locations
            .iter()
            .map(|l| (l.mpn_id.to_string(), l.name.clone().unwrap_or_default()))
            .collect(),
        users,
        roles: role_opts(i, Side::Partner),
        notice,
        errors: errors
            .iter()
            .map(|e| {
                (
                    super::claims::page::field_label(&e.field, i),
                    i.code("error", e.code.as_str()),
                )
            })
            .collect(),
        new_token,
        language,
    };
    let failed = !page.errors.is_empty();
    let mut resp = render(&page)?;
    if failed {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// The users of an organisation (or of the operator, `None`) with their state and live
/// tokens, as the organisation page and the program admin's pages show them.
pub async fn user_lines(ui: &Ui, org: Option<OrgId>) -> Result<Vec<UserLine>, PageError> {
    let app = &ui.app;
    let i = &ui.i;
    let fail = |e: cpor_store::StoreError| PageError::from_api(ui, e.into());
    let mut users = Vec::new();
    for u in app.store.users(org).await.map_err(fail)? {
        let account = app.store.account(u.id).await.map_err(fail)?;
        let disabled = account.as_ref().is_some_and(|a| a.disabled);
        let invited = account.as_ref().is_some_and(|a| a.password_hash.is_none());
        let tokens = app
            .store
            .tokens(u.id)
            .await
            .map_err(fail)?
            .iter()
            .map(|t| TokenLine {
                id: t.id.clone(),
                name: t.name.clone().unwrap_or_else(|| i.t("token-unnamed")),
                created: i.date(t.created_at),
                expires: t
                    .expires_at
                    .map_or_else(|| i.t("token-no-expiry"), |e| i.date(e)),
                last_used: t
                    .last_used_at
                    .map_or_else(|| i.t("token-never-used"), |e| i.datetime(e)),
                scope: match t.scope {
                    None => i.t("token-scope-full"),
                    Some(TokenScope::EligibilityRead) => i.t("token-scope-eligibility"),
                },
            })
            .collect();
        users.push(UserLine {
            id: u.id.to_string(),
            name: u.name.clone(),
            email: u.email.to_string(),
            role: i.code("role", u.role.as_str()),
            role_code: u.role.as_str(),
            state: i.t(if disabled {
                "user-disabled"
            } else if invited {
                "user-invited"
            } else {
                "user-active"
            }),
            disabled,
            invited,
            tokens,
        });
    }
    Ok(users)
}

/// The roles of one side, for a role menu.
pub fn role_opts(i: &super::i18n::I18n, side: Side) -> Vec<RoleOpt> {
    Role::ALL
        .iter()
        .filter(|r| r.side() == side)
        .map(|r| RoleOpt {
            value: r.as_str(),
            label: i.code("role", r.as_str()),
        })
        .collect()
}

/// E-mails `user` a new invitation link and goes back to the organisation page.
async fn send_invitation(ui: &Ui, user: &User) -> PageResult {
    send_link(
        ui.app.clone(),
        user.id,
        user.email.to_string(),
        LinkPurpose::Invitation,
        ui.i.clone(),
    )
    .await;
    Ok(see_other("/organisation?notice=user_invited"))
}

/// A user of the admin's organisation, by the id in the path.
async fn member(ui: &Ui, org: OrgId, id: &str) -> Result<User, PageError> {
    let id: UserId = id.parse().map_err(|_| PageError::not_found(ui))?;
    ui.app
        .store
        .users(Some(org))
        .await
        .map_err(|e| PageError::from_api(ui, e.into()))?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| PageError::not_found(ui))
}

fn viewer_of(ui: &Ui) -> Result<Viewer, PageError> {
    ui.viewer.clone().ok_or_else(|| PageError::forbidden(ui))
}

fn partner_role(raw: &str) -> Result<Role, FieldError> {
    let role = Role::parse_field("role", raw)?;
    if role.side() == Side::Partner {
        Ok(role)
    } else {
        Err(FieldError::new(
            "role",
            ErrorCode::InvalidEnumValue,
            "a partner role",
        ))
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// `POST /organisation/language`: the language of the organisation's e-mails when
/// nobody chose one (its customers' when their contact has none).
pub async fn set_language(posted: Posted<LanguageForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = viewer_of(ui)?;
    let org = admin_of(ui, &viewer)?;
    let language = match posted.form.language.trim() {
        "" => None,
        l => match super::i18n::Lang::parse(l) {
            Some(lang) => Some(lang.code()),
            None => {
                let e =
                    FieldError::new("language", ErrorCode::InvalidEnumValue, "en, fr, pt-BR, sv");
                return show(ui, &viewer, None, vec![e], None).await;
            }
        },
    };
    ui.app
        .store
        .set_organisation_language(org, language)
        .await
        .map_err(|e| PageError::from_api(ui, e.into()))?;
    Ok(see_other("/organisation?notice=language_set"))
}

#[derive(Deserialize)]
pub struct LocationForm {
    #[serde(default)]
    mpn_id: String,
    #[serde(default)]
    name: String,
}

/// `POST /organisation/locations`: adds a partner location.
pub async fn add_location(posted: Posted<LocationForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = viewer_of(ui)?;
    let org = admin_of(ui, &viewer)?;
    let mpn_id = match MpnId::parse_field("mpn_id", &posted.form.mpn_id) {
        Ok(m) => m,
        Err(e) => return show(ui, &viewer, None, vec![e], None).await,
    };
    let name = Some(posted.form.name.trim().to_string()).filter(|n| !n.is_empty());
    match ui
        .app
        .store
        .add_location(org, &Location { mpn_id, name })
        .await
    {
        Ok(()) => Ok(see_other("/organisation?notice=location_added")),
        Err(cpor_store::StoreError::Duplicate { field, .. }) => {
            let e = FieldError::new(field, ErrorCode::Duplicate, "taken");
            show(ui, &viewer, None, vec![e], None).await
        }
        Err(e) => Err(PageError::from_api(ui, e.into())),
    }
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

/// `POST /organisation/users`: invites a user (an e-mail with a one-time link to choose
/// a password).
pub async fn invite(posted: Posted<InviteForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = viewer_of(ui)?;
    let org = admin_of(ui, &viewer)?;
    let mut errors = Vec::new();
    let email = Email::parse_field("email", posted.form.email.trim())
        .map_err(|e| errors.push(e))
        .ok();
    let role = partner_role(&posted.form.role)
        .map_err(|e| errors.push(e))
        .ok();
    let name = posted.form.name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", ErrorCode::Required, "required"));
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return show(ui, &viewer, None, errors, None).await;
    };
    let app = &ui.app;
    let user = User {
        id: UserId::from_uuid(uuid::Uuid::now_v7()),
        org_id: Some(org),
        email,
        name,
        role,
        created_at: app.clock.now(),
    };
    match app.store.create_user(&user, None).await {
        Ok(()) => {}
        Err(cpor_store::StoreError::Duplicate { field, .. }) => {
            let e = FieldError::new(field, ErrorCode::Duplicate, "taken");
            return show(ui, &viewer, None, vec![e], None).await;
        }
        Err(e) => return Err(PageError::from_api(ui, e.into())),
    }
    send_invitation(ui, &user).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /organisation/users/{id}/role`.
pub async fn set_role(Path(id): Path<String>, posted: Posted<RoleForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = viewer_of(ui)?;
    let org = admin_of(ui, &viewer)?;
    let user = member(ui, org, &id).await?;
    let role = match partner_role(&posted.form.role) {
        Ok(r) => r,
        Err(e) => return show(ui, &viewer, None, vec![e], None).await,
    };
    ui.app
        .store
        .set_role(user.id, role)
        .await
        .map_err(|e| PageError::from_api(ui, e.into()))?;
    Ok(see_other("/organisation?notice=role_changed"))
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    disabled: String,
}

/// `POST /organisation/users/{id}/disabled`: disables (ending every session and token)
/// or enables a user. An admin cannot disable themself.
pub async fn set_disabled(Path(id): Path<String>, posted: Posted<DisableForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = viewer_of(ui)?;
    let org = admin_of(ui, &viewer)?;
    let user = member(ui, org, &id).await?;
    let disabled = posted.form.disabled == "true";
    if disabled && user.id == viewer.user.id {
        let e = FieldError::new("user", ErrorCode::NotPermitted, "self");
        return show(ui, &viewer, None, vec![e], None).await;
    }
    ui.app
        .store
        .set_disabled(user.id, disabled)
        .await
        .map_err(|e| PageError::from_api(ui, e.into()))?;
    Ok(see_other(if disabled {
        "/organisation?notice=user_disabled"
    } else {
        "/organisation?notice=user_enabled"
    }))
}

/// `POST /organisation/users/{id}/invitation`: a new invitation link, by e-mail.
pub async fn reinvite(Path(id): Path<String>, posted: Posted<NoFields>) -> PageResult {
    let ui = &posted.ui;
    let viewer = viewer_of(ui)?;
    let org = admin_of(ui, &viewer)?;
    let user = member(ui, org, &id).await?;
    send_invitation(ui, &user).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    scope: String,
}

/// `POST /organisation/tokens`: a new API token for a user of the organisation; its
/// secret is on the answer, and nowhere else ever.
pub async fn create_token(posted: Posted<TokenForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = viewer_of(ui)?;
    let org = admin_of(ui, &viewer)?;
    let user = member(ui, org, &posted.form.user).await?;
    let name = posted.form.name.trim();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            ErrorCode::Required,
            "1 to 100 characters",
        ));
    }
    let days = match posted.form.days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(n) if (1..=MAX_TOKEN_DAYS).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new(
                    "days",
                    ErrorCode::ValueOutOfRange,
                    "1 to 730",
                ));
                None
            }
        },
    };
    let scope = match posted.form.scope.trim() {
        "" => None,
        s => match TokenScope::parse_field("scope", s) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    if !errors.is_empty() {
        return show(ui, &viewer, None, errors, None).await;
    }
    let now = ui.app.clock.now();
    let secret = new_secret("cpor");
    let expires = days.map(|d| super::ui::later(now, SignedDuration::from_hours(24 * d)));
    ui.app
        .store
        .create_token(
            user.id,
            &hash_secret(&secret),
            Some(name),
            now,
            expires,
            scope,
        )
        .await
        .map_err(|e| PageError::from_api(ui, e.into()))?;
    let notice = ui.i.t1("notice-token-created", "user", &user.name);
    show(ui, &viewer, Some(notice), Vec::new(), Some(secret)).await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    user: String,
}

/// `POST /organisation/tokens/{token}/revoke`.
pub async fn revoke_token(Path(token): Path<String>, posted: Posted<RevokeForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = viewer_of(ui)?;
    let org = admin_of(ui, &viewer)?;
    let user = member(ui, org, &posted.form.user).await?;
    let revoked = ui
        .app
        .store
        .revoke_token(user.id, &token)
        .await
        .map_err(|e| PageError::from_api(ui, e.into()))?;
    if revoked {
        Ok(see_other("/organisation?notice=token_revoked"))
    } else {
        Err(PageError::not_found(ui))
    }
}
