//! The customer's consent page: the link of the consent e-mail opens it
//! (`GET /consent/{token}`), and its button opts out (`POST /consent/{token}/decline`).
//! The link's secret is the only key, so the page sends no referrer, and a post from
//! another site is refused ([`SameOrigin`]).
//!
//! The page speaks the customer's language: `?lang=` when given, else the customer
//! contact's language, else the partner's (see [`crate::mail::customer_language`]).
//! A link that has finished (declined, ended, expired) or never existed answers an HTML
//! page that says the link no longer works, with status 404 as the JSON consent API
//! answers: in the customer's language when the claim is known, else in the browser's
//! (`Accept-Language`).

use super::i18n::{I18n, Lang};
use crate::api::consent::{ConsentView, view_of};
use crate::error::ApiResult;
use crate::mail::customer_language;
use crate::request::origin::SameOrigin;
use crate::request::run;
use crate::state::App;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use cpor_domain::Actor;
use cpor_domain::claim::{Claim, Command, Phase, hash_secret};

/// What the page shows.
enum Shown {
    /// The claim and the opt-out button.
    Request {
        view: ConsentView,
        /// The end of the opt-out window, while it is open.
        window_end: Option<String>,
    },
    /// The customer has just opted out.
    Declined { view: ConsentView },
    /// The link no longer works, or never did.
    Dead,
}

#[derive(Template)]
#[template(path = "web/consent.html")]
struct ConsentPage<'a> {
    i: &'a I18n,
    /// This page's path, for the language links.
    here: String,
    /// The opt-out form's address (keeps the language).
    action: String,
    langs: &'static [Lang],
    title: String,
    heading: String,
    /// The paragraphs before the product list, after it, and the note on data.
    intro: Option<String>,
    products: Vec<String>,
    note: Option<String>,
    text: Vec<String>,
    can_decline: bool,
}

fn render(page: ConsentPage, status: StatusCode) -> Response {
    match page.render() {
        Ok(html) => (
            status,
            [(header::REFERRER_POLICY, "no-referrer")],
            Html(html),
        )
            .into_response(),
        Err(e) => crate::error::ApiError::internal(e).into_response(),
    }
}

fn page(i: &I18n, token: &str, shown: Shown) -> Response {
    let here = format!("/consent/{token}");
    let action = format!("{here}/decline?lang={}", i.lang.code());
    let products = |v: &ConsentView| {
        v.products
            .iter()
            .map(|p| match &p.subscription_id {
                Some(s) => i.ta(
                    "mail-product-subscription",
                    &[("product", p.name.clone()), ("subscription", s.clone())],
                ),
                None => p.name.clone(),
            })
            .collect::<Vec<_>>()
    };
    let args = |v: &ConsentView| vec![("partner", v.partner.clone()), ("domain", v.domain.clone())];
    let (status, page) = match shown {
        Shown::Request { view, window_end } => {
            let a = args(&view);
            let when = match window_end {
                Some(end) => {
                    let mut a = a.clone();
                    a.push(("window_end", end));
                    i.ta("consent-pending", &a)
                }
                None => i.t("consent-active"),
            };
            (
                StatusCode::OK,
                ConsentPage {
                    i,
                    here,
                    action,
                    langs: &Lang::ALL,
                    title: i.ta("consent-title", &a),
                    heading: i.ta("consent-heading", &a),
                    intro: Some(i.ta("consent-intro", &a)),
                    products: products(&view),
                    note: Some(i.ta("consent-data", &a)),
                    text: vec![when],
                    can_decline: true,
                },
            )
        }
        Shown::Declined { view } => {
            let a = args(&view);
            (
                StatusCode::OK,
                ConsentPage {
                    i,
                    here,
                    action,
                    langs: &Lang::ALL,
                    title: i.t("consent-declined-heading"),
                    heading: i.t("consent-declined-heading"),
                    intro: None,
                    products: Vec::new(),
                    note: None,
                    text: vec![i.ta("consent-declined-text", &a)],
                    can_decline: false,
                },
            )
        }
        Shown::Dead => (
            StatusCode::NOT_FOUND,
            ConsentPage {
                i,
                here,
                action,
                langs: &Lang::ALL,
                title: i.t("consent-dead-heading"),
                heading: i.t("consent-dead-heading"),
                intro: None,
                products: Vec::new(),
                note: None,
                text: vec![i.t("consent-dead-text")],
                can_decline: false,
            },
        ),
    };
    render(page, status)
}

/// The language asked for with `?lang=`.
fn asked(uri: &Uri) -> Option<Lang> {
    form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(&v))
}

/// The words of the page: `?lang=`, else the customer's language when the claim is
/// known, else the browser's, else English.
async fn words(
    app: &App,
    uri: &Uri,
    headers: &HeaderMap,
    claim: Option<&Claim>,
) -> ApiResult<I18n> {
    let lang = match (asked(uri), claim) {
        (Some(l), _) => l,
        (None, Some(c)) => customer_language(app.store.as_ref(), c).await?,
        (None, None) => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or_default(),
    };
    let reference = app.store.reference().await?;
    Ok(I18n::new(lang, reference.calendar.time_zone().clone()))
}

/// The claim of a consent link, live or not.
async fn claim_of(app: &App, token: &str) -> ApiResult<(Option<Claim>, String)> {
    let hash = hash_secret(token);
    Ok((app.store.claim_by_consent(&hash).await?, hash))
}

/// `GET /consent/{token}`.
pub async fn show(
    State(app): State<App>,
    Path(token): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (claim, _) = claim_of(&app, &token).await?;
    let i = words(&app, &uri, &headers, claim.as_ref()).await?;
    let Some(claim) = claim.filter(Claim::holds_keys) else {
        return Ok(page(&i, &token, Shown::Dead));
    };
    let view = view_of(&app, &claim).await?;
    let window_end = (claim.phase == Some(Phase::ConsentPending))
        .then_some(claim.deadlines.consent_window_end)
        .flatten()
        .map(|t| i.datetime(t));
    Ok(page(&i, &token, Shown::Request { view, window_end }))
}

/// `POST /consent/{token}/decline`.
pub async fn decline(
    State(app): State<App>,
    Path(token): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    // The same rule as the API's decline: a post from another site is refused.
    _same_origin: SameOrigin,
) -> ApiResult<Response> {
    let (claim, hash) = claim_of(&app, &token).await?;
    let i = words(&app, &uri, &headers, claim.as_ref()).await?;
    let Some(claim) = claim.filter(Claim::holds_keys) else {
        return Ok(page(&i, &token, Shown::Dead));
    };
    let view = view_of(&app, &claim).await?;
    run(
        &app,
        Actor::Customer,
        claim.id,
        Command::CustomerDecline { token_hash: hash },
        None,
        None,
    )
    .await?;
    Ok(page(&i, &token, Shown::Declined { view }))
}
