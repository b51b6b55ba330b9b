//! The portal: server-rendered pages for people, in four languages, built on the same
//! commands, store and rules as the JSON API (a page is another rendering of the same
//! result, never a second path to the data). Every page works without JavaScript.

pub mod account;
pub mod admin;
pub mod assets;
pub mod claims;
pub mod consent;
pub mod cookies;
pub mod eligibility;
pub mod error;
pub mod form;
pub mod i18n;
pub mod keys;
pub mod organisation;
pub mod reports;
pub mod review;
pub mod ui;
pub mod webhooks;

#[cfg(test)]
mod i18n_check;

use crate::auth::new_secret;
use crate::state::App;
use askama::Template;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use error::{PageError, PageResult};
use ui::{AnonCsrf, Ui};

/// The portal's routes. `upload_limit` bounds document uploads, as for the API.
pub fn routes(app: App, upload_limit: usize) -> Router<App> {
    use claims::{actions, files, list, page, wizard};
    Router::new()
        .route("/", get(account::home))
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route(
            "/forgot-password",
            get(account::forgot_form).post(account::forgot),
        )
        .route(
            "/reset/{token}",
            get(account::reset_form).post(account::reset),
        )
        .route(
            "/invitation/{token}",
            get(account::invitation_form).post(account::accept_invitation),
        )
        .route("/claims", get(list::list))
        .route("/claims.csv", get(list::csv))
        .route("/claims/new", get(wizard::new).post(wizard::create))
        .route("/claims/{id}", get(page::claim))
        .route("/claims/{id}/edit", get(wizard::edit))
        .route(
            "/claims/{id}/edit/{step}",
            get(wizard::edit).post(wizard::save),
        )
        .route(
            "/claims/{id}/files",
            post(files::upload).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/claims/{id}/files/{poe}", get(page::file))
        .route("/claims/{id}/poe-template", get(files::template))
        .route("/claims/{id}/files/{poe}/remove", post(files::remove))
        .route("/claims/{id}/disassociate", post(actions::disassociate))
        .route("/claims/{id}/dispute", post(actions::dispute))
        .route("/claims/{id}/review/{decision}", post(actions::review))
        .route("/claims/{id}/dispute/{step}", post(actions::dispute_step))
        .route("/claims/{id}/{action}", post(actions::post))
        .route("/keys", get(keys::check))
        .route("/eligibility", get(eligibility::page))
        .route("/review", get(review::queue::queue))
        .route("/review/digest", post(review::queue::set_digest))
        .route("/disputes", get(review::disputes::queue))
        .route("/reports", get(reports::pages::page))
        .route("/reports/{file}", get(reports::pages::csv))
        .route("/organisation", get(organisation::page))
        .route("/organisation/locations", post(organisation::add_location))
        .route("/organisation/language", post(organisation::set_language))
        .route("/organisation/users", post(organisation::invite))
        .route(
            "/organisation/users/{id}/role",
            post(organisation::set_role),
        )
        .route(
            "/organisation/users/{id}/disabled",
            post(organisation::set_disabled),
        )
        .route(
            "/organisation/users/{id}/invitation",
            post(organisation::reinvite),
        )
        .route("/organisation/tokens", post(organisation::create_token))
        .route(
            "/organisation/tokens/{token}/revoke",
            post(organisation::revoke_token),
        )
        .route("/webhooks", get(webhooks::page).post(webhooks::create))
        .route("/webhooks/{id}", get(webhooks::endpoint))
        .route("/webhooks/{id}/enabled", post(webhooks::set_enabled))
        .route("/webhooks/{id}/remove", post(webhooks::remove))
        .route(
            "/webhooks/{id}/deliveries/{delivery}/redeliver",
            post(webhooks::redeliver),
        )
        .route("/assets/{file}", get(assets::asset))
        .merge(admin::routes())
        .layer(axum::middleware::from_fn_with_state(app, visitor_cookies))
}

/// Renders a page template.
pub fn render(page: &impl Template) -> PageResult {
    match page.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => {
            let mut resp = crate::error::ApiError::internal(e).into_response();
            *resp.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
            Ok(resp)
        }
    }
}

/// Gives a visitor without one a CSRF token for the forms they see before signing in
/// (a cookie only this site's pages can read back into a form), and keeps the language
/// a visitor picks with `?lang=`.
pub async fn visitor_cookies(State(app): State<App>, mut req: Request, next: Next) -> Response {
    let existing = cookies::get(req.headers(), cookies::ANON_CSRF)
        .filter(|t| t.len() >= 32 && t.len() <= 128)
        .map(str::to_string);
    let fresh = existing.is_none();
    let token = existing.unwrap_or_else(|| new_secret("csrf"));
    let lang = form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| i18n::Lang::parse(&v));
    let public_url = app.public_url.clone();
    req.extensions_mut().insert(AnonCsrf(token.clone()));
    let mut resp = next.run(req).await;
    if fresh {
        resp.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(&public_url, cookies::ANON_CSRF, &token, 86_400, "Strict"),
        );
    }
    if let Some(l) = lang {
        resp.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(&public_url, cookies::LANG, l.code(), 31_536_000, "Lax"),
        );
    }
    resp
}

/// An address nothing answers: a page for browsers, a problem for programs.
pub async fn not_found(
    ui: Ui,
    req_headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let wants_html = req_headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html && !uri.path().starts_with("/api/") {
        PageError::not_found(&ui).into_response()
    } else {
        crate::error::ApiError::one(
            axum::http::StatusCode::NOT_FOUND,
            "path",
            cpor_domain::ErrorCode::NotFound,
            "There is nothing at this address.",
        )
        .into_response()
    }
}
