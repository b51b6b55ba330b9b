//! Delivering due webhook messages: each is POSTed with the Standard Webhooks headers,
//! and its attempt logged (status, answer time). A failure is retried after 5 s, 5 min,
//! 30 min, 2 h, 5 h, then every 10 h, until 24 h after it was queued; a message's
//! successors for the same claim wait for it, so a receiver gets a claim's messages in
//! order. An endpoint failing for 24 h is disabled and its owner e-mailed; its pending
//! messages wait for it to be enabled again.

use super::sign::signature;
use super::target;
use crate::mail::Mail;
use crate::state::App;
use crate::web::i18n::{I18n, Lang};
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::values::WebhookId;
use cpor_store::{AttemptOutcome, DeliveryAttempt, WebhookDelivery, WebhookEndpoint};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a taken delivery is reserved for its worker.
const LEASE: SignedDuration = SignedDuration::from_secs(60);
const BATCH: u32 = 20;
/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a message is retried, and how long an endpoint may fail before it is
/// disabled.
pub const WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// The wait after a message's `failures`-th failed attempt.
pub fn retry_after(failures: u32) -> SignedDuration {
    const STEPS: [i64; 6] = [5, 300, 1_800, 7_200, 18_000, 36_000];
    SignedDuration::from_secs(STEPS[(failures.max(1) as usize - 1).min(STEPS.len() - 1)])
}

/// What follows a failed attempt at `now` of a message queued at `queued`.
pub fn after_failure(queued: Timestamp, failures: u32, now: Timestamp) -> AttemptOutcome {
    let end = queued.checked_add(WINDOW).unwrap_or(queued);
    if now >= end {
        return AttemptOutcome::GiveUp;
    }
    let next = now.checked_add(retry_after(failures)).unwrap_or(end);
    AttemptOutcome::RetryAt(next.min(end))
}

/// Delivers what is due at the clock's time; returns how many attempts were made.
pub async fn deliver_due(app: &App) -> usize {
    let mut made = 0;
    let mut endpoints: HashMap<WebhookId, Option<WebhookEndpoint>> = HashMap::new();
    loop {
        let now = app.clock.now();
        let due = match app.store.take_due_deliveries(now, BATCH, LEASE).await {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "cannot take due webhook deliveries");
                return made;
            }
        };
        if due.is_empty() {
            return made;
        }
        for d in &due {
            if let std::collections::hash_map::Entry::Vacant(slot) = endpoints.entry(d.endpoint_id)
            {
                slot.insert(app.store.webhook(d.endpoint_id).await.ok().flatten());
            }
        }
        let attempts = due.iter().filter_map(|d| {
            let e = endpoints.get(&d.endpoint_id)?.as_ref()?;
            Some(attempt(app, e, d, now))
        });
        let failed: Vec<Option<WebhookId>> = futures::future::join_all(attempts).await;
        made += due.len();
        // An endpoint's failing streak is read afresh after a failure.
        for id in failed.into_iter().flatten() {
            endpoints.remove(&id);
            if let Ok(Some(e)) = app.store.webhook(id).await {
                disable_if_failing_too_long(app, &e, now).await;
            }
        }
    }
}

/// One attempt of `d` to `e`; the endpoint's id when it failed.
async fn attempt(
    app: &App,
    e: &WebhookEndpoint,
    d: &WebhookDelivery,
    now: Timestamp,
) -> Option<WebhookId> {
    let started = Instant::now();
    let answer = post(app, e, d, now).await;
    let duration_ms = started.elapsed().as_millis() as u64;
    let number = d.attempts + 1;
    let (status_code, error) = match answer {
        Ok(s) if (200..300).contains(&s) => (Some(s), None),
        Ok(s) => (Some(s), Some(format!("the receiver answered {s}"))),
        Err(why) => (None, Some(why)),
    };
    let outcome = match error {
        None => AttemptOutcome::Delivered,
        Some(_) => after_failure(d.created_at, number, now),
    };
    if let Some(why) = &error {
        tracing::info!(endpoint = %e.id, message = %d.message_id, attempt = number, error = %why, "webhook delivery failed");
    }
    let logged = DeliveryAttempt {
        attempt: number,
        at: now,
        status_code,
        duration_ms,
        error,
    };
    if let Err(err) = app.store.record_delivery_attempt(d, &logged, outcome).await {
        tracing::warn!(error = %err, message = %d.message_id, "cannot record a webhook attempt");
    }
    (outcome != AttemptOutcome::Delivered).then_some(e.id)
}

/// POSTs the message; the receiver's status, or why there was none.
async fn post(
    app: &App,
    e: &WebhookEndpoint,
    d: &WebhookDelivery,
    now: Timestamp,
) -> Result<u16, String> {
    let url = target::check(&e.url, app.webhook_allow_private).await?;
    let timestamp = now.as_second();
    let signed = signature(&e.secret, &d.message_id, timestamp, &d.payload)?;
    let answer = app
        .webhook_client
        .post(url)
        .timeout(TIMEOUT)
        .header("content-type", "application/json")
        .header("webhook-id", &d.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signed)
        .body(d.payload.clone())
        .send()
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    Ok(answer.status().as_u16())
}

/// Disables an endpoint that has failed for [`WINDOW`] and tells its owner.
async fn disable_if_failing_too_long(app: &App, e: &WebhookEndpoint, now: Timestamp) {
    let Some(since) = e.failing_since else { return };
    if e.disabled_at.is_some() || now.duration_since(since) < WINDOW {
        return;
    }
    let why = "failing for 24 hours";
    match app.store.set_webhook_disabled(e.id, Some((now, why))).await {
        Ok(_) => tracing::warn!(endpoint = %e.id, url = %e.url, "webhook endpoint disabled: {why}"),
        Err(err) => {
            tracing::warn!(error = %err, "cannot disable a failing webhook endpoint");
            return;
        }
    }
    let owner = match app.store.account(e.owner_id).await {
        Ok(Some(a)) => a,
        _ => return,
    };
    let zone = match app.store.reference().await {
        Ok(r) => r.calendar.time_zone().clone(),
        Err(_) => return,
    };
    let lang = owner
        .language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default();
    let words = I18n::new(lang, zone);
    let mail = Mail {
        lang,
        from: app.mail_from.clone(),
        to: owner.user.email.to_string(),
        subject: words.t("mail-webhook-disabled-subject"),
        body: words.ta(
            "mail-webhook-disabled-body",
            &[
                ("url", e.url.clone()),
                ("since", words.datetime(since)),
                ("link", format!("{}/webhooks", app.public_url)),
            ],
        ),
    };
    if let Err(err) = app.mailer.send(&mail).await {
        tracing::warn!(error = %err, "cannot e-mail a disabled webhook endpoint's owner");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop_a_day_after_queueing() {
        let queued: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let at = |h: i64| queued.checked_add(SignedDuration::from_hours(h)).unwrap();
        assert_eq!(retry_after(1), SignedDuration::from_secs(5));
        assert_eq!(retry_after(2), SignedDuration::from_mins(5));
        assert_eq!(retry_after(9), SignedDuration::from_hours(10));
        assert_eq!(
            after_failure(queued, 1, queued),
            AttemptOutcome::RetryAt(queued.checked_add(SignedDuration::from_secs(5)).unwrap())
        );
        // The last retry is at the end of the window, not past it.
        assert_eq!(
            after_failure(queued, 7, at(20)),
            AttemptOutcome::RetryAt(at(24))
        );
        assert_eq!(after_failure(queued, 8, at(24)), AttemptOutcome::GiveUp);
    }
}
