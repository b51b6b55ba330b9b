//! `/webhooks`: a partner's global admin (their organisation's claims) and the program
//! admin (every claim) register endpoints, see whether they fail, enable or disable them,
//! read each one's delivery log and redeliver by hand. The rules are
//! [`crate::webhooks::manage`]'s, the API's.

use super::error::{PageError, PageResult};
use super::form::{NoFields, Posted};
use super::render;
use super::ui::{SignedIn, Ui, Viewer, see_other};
use crate::webhooks::manage;
use askama::Template;
use axum::extract::Path;
use cpor_domain::FieldError;
use cpor_domain::webhook::event_types;
use cpor_store::{DeliveryStatus, WebhookEndpoint};
use serde::Deserialize;

pub struct EndpointLine {
    pub id: String,
    pub url: String,
    pub events: String,
    pub state: String,
    pub enabled: bool,
}

pub struct DeliveryLine {
    pub id: i64,
    pub queued: String,
    pub event_type: String,
    pub claim_id: String,
    pub status: String,
    pub attempts: u32,
    pub last_answer: String,
    pub redeliverable: bool,
}

#[derive(Template)]
#[template(path = "web/webhooks.html")]
struct WebhooksPage<'a> {
    ui: &'a Ui,
    endpoints: Vec<EndpointLine>,
    events: Vec<String>,
    errors: Vec<(String, String)>,
    /// An endpoint just registered: its secret, shown this once.
    new_secret: Option<String>,
    url: String,
}

#[derive(Template)]
#[template(path = "web/webhook.html")]
struct WebhookPage<'a> {
    ui: &'a Ui,
    endpoint: EndpointLine,
    deliveries: Vec<DeliveryLine>,
}

fn viewer_of(ui: &Ui) -> Result<&Viewer, PageError> {
    ui.viewer.as_ref().ok_or_else(|| PageError::forbidden(ui))
}

fn line(ui: &Ui, e: &WebhookEndpoint) -> EndpointLine {
    let i = &ui.i;
    let state = match (&e.disabled_at, &e.failing_since) {
        (Some(_), _) => i.t1(
            "webhook-disabled",
            "why",
            e.disabled_reason.clone().unwrap_or_default(),
        ),
        (None, Some(since)) => i.t1("webhook-failing-since", "since", i.datetime(*since)),
        (None, None) => i.t("webhook-enabled"),
    };
    EndpointLine {
        id: e.id.to_string(),
        url: e.url.clone(),
        events: e.events.join(", "),
        state,
        enabled: e.disabled_at.is_none(),
    }
}

/// `GET /webhooks`.
pub async fn page(SignedIn(ui, _): SignedIn) -> PageResult {
    show(&ui, Vec::new(), None, String::new()).await
}

async fn show(
    ui: &Ui,
    errors: Vec<FieldError>,
    new_secret: Option<String>,
    url: String,
) -> PageResult {
    let who = viewer_of(ui)?.principal();
    let found = manage::visible(&ui.app, &who)
        .await
        .map_err(|e| PageError::from_api(ui, e))?;
    let i = &ui.i;
    let page = WebhooksPage {
        ui,
        endpoints: found.iter().map(|e| line(ui, e)).collect(),
        events: event_types(),
        errors: errors
            .iter()
            .map(|e| {
                (
                    super::claims::page::field_label(&e.field, i),
                    format!("{} ({})", i.code("error", e.code.as_str()), e.message),
                )
            })
            .collect(),
        new_secret,
        url,
    };
    let failed = !page.errors.is_empty();
    let mut resp = render(&page)?;
    if failed {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

#[derive(Deserialize)]
pub struct EndpointForm {
    #[serde(default)]
    url: String,
}

/// `POST /webhooks`: registers an endpoint and shows its secret once.
pub async fn create(posted: Posted<EndpointForm>) -> PageResult {
    let ui = &posted.ui;
    let who = viewer_of(ui)?.principal();
    let events = posted.all("events");
    match manage::register(&ui.app, &who, &posted.form.url, &events).await {
        Ok(e) => show(ui, Vec::new(), Some(e.secret), String::new()).await,
        Err(e) if !e.errors.is_empty() => {
            show(ui, e.errors.clone(), None, posted.form.url.clone()).await
        }
        Err(e) => Err(PageError::from_api(ui, e)),
    }
}

/// `GET /webhooks/{id}`: the endpoint and its latest deliveries.
pub async fn endpoint(SignedIn(ui, _): SignedIn, Path(id): Path<String>) -> PageResult {
    let who = viewer_of(&ui)?.principal();
    let fail = |e| PageError::from_api(&ui, e);
    let e = manage::endpoint(&ui.app, &who, &id).await.map_err(fail)?;
    let found = ui
        .app
        .store
        .deliveries(e.id, None, 50)
        .await
        .map_err(|e| fail(e.into()))?;
    let i = &ui.i;
    let mut deliveries = Vec::new();
    for d in &found {
        let attempts = ui
            .app
            .store
            .delivery_attempts(d.id)
            .await
            .map_err(|e| fail(e.into()))?;
        let last_answer = attempts.last().map_or_else(String::new, |a| {
            let answer = match a.status_code {
                Some(s) => s.to_string(),
                None => a.error.clone().unwrap_or_default(),
            };
            i.ta(
                "webhook-answer",
                &[("answer", answer), ("ms", a.duration_ms.to_string())],
            )
        });
        deliveries.push(DeliveryLine {
            id: d.id,
            queued: i.datetime(d.created_at),
            event_type: d.event_type.clone(),
            claim_id: d.claim_id.to_string(),
            status: i.code("delivery", d.status.as_str()),
            attempts: d.attempts,
            last_answer,
            redeliverable: d.status != DeliveryStatus::Pending,
        });
    }
    render(&WebhookPage {
        ui: &ui,
        endpoint: line(&ui, &e),
        deliveries,
    })
}

#[derive(Deserialize)]
pub struct EnabledForm {
    #[serde(default)]
    enabled: String,
}

/// `POST /webhooks/{id}/enabled`.
pub async fn set_enabled(Path(id): Path<String>, posted: Posted<EnabledForm>) -> PageResult {
    let ui = &posted.ui;
    let who = viewer_of(ui)?.principal();
    let fail = |e| PageError::from_api(ui, e);
    let e = manage::endpoint(&ui.app, &who, &id).await.map_err(fail)?;
    manage::set_enabled(&ui.app, &e, posted.form.enabled == "true")
        .await
        .map_err(fail)?;
    Ok(see_other("/webhooks"))
}

/// `POST /webhooks/{id}/remove`.
pub async fn remove(Path(id): Path<String>, posted: Posted<NoFields>) -> PageResult {
    let ui = &posted.ui;
    let who = viewer_of(ui)?.principal();
    let fail = |e| PageError::from_api(ui, e);
    let e = manage::endpoint(&ui.app, &who, &id).await.map_err(fail)?;
    ui.app
        .store
        .delete_webhook(e.id)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(see_other("/webhooks"))
}

/// `POST /webhooks/{id}/deliveries/{delivery}/redeliver`.
pub async fn redeliver(
    Path((id, delivery)): Path<(String, i64)>,
    posted: Posted<NoFields>,
) -> PageResult {
    let ui = &posted.ui;
    let who = viewer_of(ui)?.principal();
    let fail = |e| PageError::from_api(ui, e);
    let e = manage::endpoint(&ui.app, &who, &id).await.map_err(fail)?;
    let now = ui.app.clock.now();
    if !ui
        .app
        .store
        .redeliver(e.id, delivery, now)
        .await
        .map_err(|e| fail(e.into()))?
    {
        return Err(PageError::not_found(ui));
    }
    Ok(see_other(&format!("/webhooks/{id}")))
}
