//! Registering and managing endpoints, for the API and the pages alike: a partner's global
//! admin manages their organisation's endpoints, a program admin every endpoint (theirs
//! receive every organisation's events).

use super::{sign, target};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::App;
use cpor_domain::values::WebhookId;
use cpor_domain::webhook::event_types;
use cpor_domain::{ErrorCode, FieldError, Role};
use cpor_store::WebhookEndpoint;

/// The most endpoints an organisation (or the operator) registers.
const MAX_ENDPOINTS: usize = 20;
const MAX_URL_CHARS: usize = 2_000;

/// Refuses everyone but a partner's global admin and the program admin.
pub fn may_manage(who: &Principal) -> ApiResult<()> {
    who.require(&[Role::GlobalAdmin, Role::ProgramAdmin], "manage webhooks")
}

/// The endpoints `who` manages, oldest first.
pub async fn visible(app: &App, who: &Principal) -> ApiResult<Vec<WebhookEndpoint>> {
    may_manage(who)?;
    Ok(app.store.webhooks(who.claim_scope()).await?)
}

/// The endpoint `raw_id`, if `who` manages it; otherwise not found.
pub async fn endpoint(app: &App, who: &Principal, raw_id: &str) -> ApiResult<WebhookEndpoint> {
    may_manage(who)?;
    let id: WebhookId = raw_id.parse().map_err(|_| ApiError::not_found("webhook"))?;
    match app.store.webhook(id).await? {
        Some(e) if who.claim_scope().is_none_or(|org| e.org_id == Some(org)) => Ok(e),
        _ => Err(ApiError::not_found("webhook")),
    }
}

/// Registers an endpoint; its secret is on the answer and shown nowhere else.
pub async fn register(
    app: &App,
    who: &Principal,
    url: &str,
    events: &[String],
) -> ApiResult<WebhookEndpoint> {
    may_manage(who)?;
    let mut errors = Vec::new();
    let url = url.trim();
    if url.chars().count() > MAX_URL_CHARS {
        errors.push(FieldError::new(
            "url",
            ErrorCode::ValueOutOfRange,
            format!("A URL is at most {MAX_URL_CHARS} characters."),
        ));
    } else if let Err(why) = target::check(url, app.webhook_allow_private).await {
        errors.push(FieldError::new("url", ErrorCode::InvalidFormat, why));
    }
    let known = event_types();
    let mut chosen: Vec<String> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let e = e.trim();
        if !known.iter().any(|k| k == e) {
            errors.push(FieldError::new(
                format!("events[{i}]"),
                ErrorCode::InvalidEnumValue,
                format!("Unknown event type {e:?}; one of: {}.", known.join(", ")),
            ));
        } else if !chosen.iter().any(|c| c == e) {
            chosen.push(e.to_string());
        }
    }
    if events.is_empty() {
        errors.push(FieldError::new(
            "events",
            ErrorCode::Required,
            "Choose at least one event type.",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let org_id = match who.0.role {
        Role::ProgramAdmin => None,
        _ => Some(who.0.org_id.ok_or_else(|| {
            ApiError::forbidden("A partner's webhooks belong to its organisation.")
        })?),
    };
    if app.store.webhooks(org_id).await?.len() >= MAX_ENDPOINTS && org_id.is_some() {
        return Err(ApiError::invalid(vec![FieldError::new(
            "url",
            ErrorCode::TooManyValues,
            format!("An organisation registers at most {MAX_ENDPOINTS} endpoints."),
        )]));
    }
    let endpoint = WebhookEndpoint {
        id: WebhookId::from_uuid(uuid::Uuid::now_v7()),
        org_id,
        owner_id: who.0.id,
        url: url.to_string(),
        events: chosen,
        secret: sign::new_secret(),
        created_at: app.clock.now(),
        disabled_at: None,
        disabled_reason: None,
        failing_since: None,
    };
    app.store.create_webhook(&endpoint).await?;
    Ok(endpoint)
}

/// Enables an endpoint again (its waiting messages go out) or disables it by hand.
pub async fn set_enabled(app: &App, e: &WebhookEndpoint, enabled: bool) -> ApiResult<()> {
    let disabled = (!enabled).then(|| (app.clock.now(), "disabled by hand"));
    app.store.set_webhook_disabled(e.id, disabled).await?;
    Ok(())
}
