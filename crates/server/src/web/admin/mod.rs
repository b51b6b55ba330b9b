//! The program admin's pages: holidays, the policy and the catalog (`/admin`),
//! organisations with their locations, users and tokens, and the operator's own users
//! (`/admin/organisations`), the tenant directory (`/admin/directory`) and the outbox of
//! failing and parked jobs (`/admin/outbox`). Every change runs the same function of
//! [`crate::administration`] as the JSON API, so each rule is written once; a refusal is
//! shown beside the field or row it concerns. Program admins only: anyone else gets the
//! forbidden page.

pub mod directory;
pub mod home;
pub mod organisations;
pub mod outbox;

use super::error::PageError;
use super::i18n::I18n;
use super::ui::{Ui, Viewer};
use crate::error::ApiError;
use crate::state::App;
use axum::Router;
use axum::routing::{get, post};
use cpor_domain::jiff::civil::Date;
use cpor_domain::{FieldError, Role};

/// The largest directory file the page takes, each (the API takes JSON up to 256 KiB;
/// `cpor admin directory import` any size).
pub const MAX_DIRECTORY_FILE: usize = 5 * 1024 * 1024;

/// The administration pages' routes.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/admin", get(home::page))
        .route("/admin/holidays", post(home::add_holiday))
        .route("/admin/holidays/{date}/remove", post(home::remove_holiday))
        .route("/admin/policy", post(home::set_policy))
        .route("/admin/products", post(home::add_product))
        .route("/admin/products/{id}", post(home::change_product))
        .route(
            "/admin/organisations",
            get(organisations::list).post(organisations::create),
        )
        .route("/admin/organisations/{id}", get(organisations::page))
        .route(
            "/admin/organisations/{id}/name",
            post(organisations::rename),
        )
        .route(
            "/admin/organisations/{id}/suspended",
            post(organisations::suspend),
        )
        .route(
            "/admin/organisations/{id}/locations",
            post(organisations::add_location),
        )
        .route(
            "/admin/organisations/{id}/locations/{mpn}/remove",
            post(organisations::remove_location),
        )
        .route(
            "/admin/organisations/{id}/users",
            post(organisations::invite),
        )
        .route("/admin/users/{id}/role", post(organisations::set_role))
        .route(
            "/admin/users/{id}/disabled",
            post(organisations::set_disabled),
        )
        .route(
            "/admin/users/{id}/tokens/{token}/revoke",
            post(organisations::revoke_token),
        )
        .route(
            "/admin/directory",
            get(directory::page).post(directory::upload).layer(
                axum::extract::DefaultBodyLimit::max(2 * MAX_DIRECTORY_FILE + 64 * 1024),
            ),
        )
        .route("/admin/outbox", get(outbox::page))
        .route("/admin/outbox/{job}/retry", post(outbox::retry))
}

/// The program admin signed in, or the forbidden page for anyone else.
pub fn require(ui: &Ui, viewer: Option<&Viewer>) -> Result<Viewer, PageError> {
    match viewer {
        Some(v) if v.user.role == Role::ProgramAdmin => Ok(v.clone()),
        _ => Err(PageError::forbidden(ui)),
    }
}

/// What a page says after a change: a notice, or the refusals, each at the place it is
/// shown (`policy.review_pickup_days`, `location.1234567`, `user.<id>`), with what was
/// sent so a refused form shows it again.
#[derive(Default)]
pub struct Feedback {
    pub notice: Option<String>,
    pub errors: Vec<(String, String)>,
    pub sent: Vec<(String, String)>,
}

impl Feedback {
    /// The notice named by `?notice=` (a code of lower-case letters and `_`).
    pub fn notice(i: &I18n, code: Option<&str>) -> Feedback {
        Feedback {
            notice: code
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .map(|n| i.code("admin-notice", n)),
            ..Feedback::default()
        }
    }

    /// The field errors of a refusal, each shown at `scope.field` in words.
    pub fn refused(i: &I18n, scope: &str, errors: &[FieldError]) -> Feedback {
        let mut fb = Feedback::default();
        fb.add(i, scope, errors);
        fb
    }

    pub fn add(&mut self, i: &I18n, scope: &str, errors: &[FieldError]) {
        for e in errors {
            let field = e.field.split(['.', '[']).next().unwrap_or("");
            self.errors
                .push((format!("{scope}.{field}"), i.code("error", e.code.as_str())));
        }
    }

    /// Keeps what was sent in the form `scope`.
    pub fn with_sent(mut self, scope: &str, fields: &[(&str, &str)]) -> Feedback {
        self.sent.extend(
            fields
                .iter()
                .map(|(k, v)| (format!("{scope}.{k}"), v.to_string())),
        );
        self
    }

    /// The error shown at `at`, if any.
    pub fn error(&self, at: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(k, _)| k == at)
            .map(|(_, m)| m.as_str())
    }

    /// What was sent in the field at `at`, if the form was refused.
    pub fn sent(&self, at: &str) -> Option<&str> {
        self.sent
            .iter()
            .find(|(k, _)| k == at)
            .map(|(_, v)| v.as_str())
    }

    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Whether a refusal is for the form (shown on the page) rather than for the page.
pub fn is_form_refusal(e: &ApiError) -> bool {
    matches!(e.status.as_u16(), 409 | 422) && !e.errors.is_empty()
}

/// The id of the element shown at `at` (`policy.review_pickup_days` →
/// `policy-review_pickup_days`).
pub fn dom_id(at: &str) -> String {
    at.replace(['.', ':'], "-")
}

/// A calendar date in words (25 December 2026).
pub fn civil_date(i: &I18n, d: Date) -> String {
    i.ta(
        "date",
        &[
            ("day", d.day().to_string()),
            ("month", i.t(&format!("month-{}", d.month()))),
            ("year", d.year().to_string()),
        ],
    )
}

/// A rendered page, with 422 when it shows refusals.
pub fn answer(resp: axum::response::Response, failed: bool) -> super::error::PageResult {
    let mut resp = resp;
    if failed {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}
