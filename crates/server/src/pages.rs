//! The customer's consent page: the link of the consent e-mail opens it. Server-rendered
//! and escaped by the template engine; the link's secret is the only key, so the page
//! sends no referrer.

use crate::api::consent::{ConsentView, claim_of_link, view_of};
use crate::error::ApiResult;
use crate::request::origin::SameOrigin;
use crate::request::run;
use crate::state::App;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use cpor_domain::Actor;
use cpor_domain::claim::Command;

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage<'a> {
    v: &'a ConsentView,
    token: &'a str,
    window_end: String,
    declined: bool,
}

fn page(p: ConsentPage) -> Response {
    match p.render() {
        Ok(html) => ([(header::REFERRER_POLICY, "no-referrer")], Html(html)).into_response(),
        Err(e) => crate::error::ApiError::internal(e).into_response(),
    }
}

pub async fn consent(State(app): State<App>, Path(token): Path<String>) -> ApiResult<Response> {
    let (claim, _) = claim_of_link(&app, &token).await?;
    let v = view_of(&app, &claim).await?;
    let reference = app.store.reference().await?;
    let window_end = claim
        .deadlines
        .consent_window_end
        .map(|t| {
            t.to_zoned(reference.calendar.time_zone().clone())
                .strftime("%-d %B %Y, %H:%M %Z")
                .to_string()
        })
        .unwrap_or_default();
    Ok(page(ConsentPage {
        v: &v,
        token: &token,
        window_end,
        declined: false,
    }))
}

pub async fn decline(
    State(app): State<App>,
    Path(token): Path<String>,
    // The same rule as the API's decline: a post from another site is refused.
    _same_origin: SameOrigin,
) -> ApiResult<Response> {
    let (claim, hash) = claim_of_link(&app, &token).await?;
    let v = view_of(&app, &claim).await?;
    run(
        &app,
        Actor::Customer,
        claim.id,
        Command::CustomerDecline { token_hash: hash },
        None,
        None,
    )
    .await?;
    Ok(page(ConsentPage {
        v: &v,
        token: "",
        window_end: String::new(),
        declined: true,
    }))
}
