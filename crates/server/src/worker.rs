//! The background worker: takes due jobs and runs each through the same command path as
//! users. A timer is a command by the system actor; an e-mail is rendered, delivered,
//! and recorded on the claim in the same transaction that ends its job. A failure is
//! retried with exponential backoff; a job is never dropped before it succeeded (the
//! store parks it after its last attempt, for an operator to requeue).
//!
//! Nothing one job does can stop the others: each runs in its own span with its panics
//! caught (a panic is a failure like any other), and the polling loop itself is
//! supervised and restarted.

use crate::mail::render::render;
use crate::mail::{customer_language, partner_language};
use crate::metrics;
use crate::state::App;
use cpor_domain::Actor;
use cpor_domain::claim::{Command, Event, EventKind, Notification, Recipient, replay, stale};
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_store::{CommandRequest, Job, JobKind, Retry, StoreError};
use futures::FutureExt;
use object_store::ObjectStoreExt;
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tracing::Instrument;

/// How long a taken job is reserved for its worker; another takes it after that.
const LEASE: SignedDuration = SignedDuration::from_secs(120);
const BATCH: u32 = 50;

/// Runs due jobs until none is due at the clock's time; returns how many ran.
pub async fn run_due(app: &App) -> usize {
    let mut ran = 0;
    loop {
        let now = app.clock.now();
        let jobs = match app.store.take_due_jobs(now, BATCH, LEASE).await {
            Ok(j) => j,
            Err(e) => {
                tracing::warn!(error = %e, "cannot take due jobs");
                return ran;
            }
        };
        if jobs.is_empty() {
            return ran;
        }
        for job in jobs {
            run_job(app, job, now).await;
            ran += 1;
        }
    }
}

/// Polls for due jobs, and apart for due webhook deliveries (a slow receiver must not
/// hold timers up), every `every` until the process ends. Each polling loop runs as a
/// task of its own: should it ever end (a panic outside any job), it is started again.
pub async fn run_forever(app: App, every: Duration) {
    tokio::spawn(supervise(app.clone(), every, "webhook", |app| {
        async move {
            crate::webhooks::deliver::deliver_due(&app).await;
        }
        .boxed()
    }));
    tokio::spawn(supervise(
        app.clone(),
        crate::blobs::ORPHAN_GRACE,
        "file collection",
        |app| {
            async move {
                let swept = crate::blobs::collect_orphans(
                    app.blobs.as_ref(),
                    app.store.as_ref(),
                    crate::blobs::ORPHAN_GRACE,
                )
                .await;
                if let Err(e) = swept {
                    tracing::warn!(error = %e, "cannot collect unrecorded files");
                }
            }
            .boxed()
        },
    ));
    supervise(app, every, "job", |app| {
        async move {
            run_due(&app).await;
            crate::digest::send_if_due(&app).await;
        }
        .boxed()
    })
    .await
}

async fn supervise(
    app: App,
    every: Duration,
    what: &'static str,
    pass: fn(App) -> futures::future::BoxFuture<'static, ()>,
) {
    loop {
        let poller = tokio::spawn({
            let app = app.clone();
            async move {
                loop {
                    pass(app.clone()).await;
                    tokio::time::sleep(every).await;
                }
            }
        });
        match poller.await {
            Ok(()) => tracing::error!("the {what} poller stopped; starting it again"),
            Err(e) => tracing::error!(error = %e, "the {what} poller failed; starting it again"),
        }
        tokio::time::sleep(every).await;
    }
}

/// Backoff after `attempts` failures: 10 s, 20 s, 40 s … up to an hour.
pub fn backoff(attempts: u32) -> SignedDuration {
    let secs = 10u64.saturating_mul(1u64 << attempts.min(9)).min(3600);
    SignedDuration::from_secs(secs as i64)
}

/// Runs one job in its own span; a panic counts as a failure of that job only.
async fn run_job(app: &App, job: Job, now: Timestamp) {
    let span = tracing::info_span!(
        "job",
        id = job.id,
        kind = job.kind.name(),
        attempt = job.attempts + 1
    );
    let result = AssertUnwindSafe(execute(app, &job, now).instrument(span.clone()))
        .catch_unwind()
        .await
        .unwrap_or_else(|panic| Err(format!("the job panicked: {}", panic_message(&*panic))));
    if let Err(error) = result {
        record_failure(app, &job, now, error).instrument(span).await;
    }
}

/// Schedules the next attempt, or parks the job after its last.
async fn record_failure(app: &App, job: &Job, now: Timestamp, error: String) {
    let retry_at = now
        .checked_add(backoff(job.attempts))
        .unwrap_or(Timestamp::MAX);
    match app.store.retry_job(job.id, &error, retry_at).await {
        Ok(Retry::Scheduled) => tracing::warn!(%error, %retry_at, "job failed; will retry"),
        Ok(Retry::Parked) => tracing::error!(
            %error,
            "job out of attempts: parked until an operator requeues it (GET /api/v1/jobs)"
        ),
        Err(e) => tracing::error!(
            error = %e,
            "cannot record a job failure; the lease will expire and it runs again"
        ),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

async fn execute(app: &App, job: &Job, now: Timestamp) -> Result<(), String> {
    match &job.kind {
        JobKind::Timer { claim_id, timer } => {
            let mut req = CommandRequest::new(*claim_id, Command::Fire(*timer), Actor::System, now);
            req.job_id = Some(job.id);
            match app.store.execute(req).await {
                Ok(out) => {
                    for e in &out.events {
                        if let EventKind::SlaBreached { sla, .. } = &e.kind {
                            metrics::sla_breach(sla.as_str());
                        }
                    }
                    metrics::command("fire_timer", "ok");
                    Ok(())
                }
                // The claim moved on (or is gone): the timer has nothing left to do.
                Err(StoreError::Domain(e)) => {
                    metrics::command("fire_timer", "skipped");
                    app.store
                        .finish_job(job.id, now, &format!("skipped: {e}"))
                        .await
                        .map_err(|e| e.to_string())
                }
                Err(e) => Err(e.to_string()),
            }
        }
        JobKind::Email(n) => deliver(app, job, n, now).await,
        JobKind::RemovePoeFile { claim_id, poe_id } => {
            match app
                .blobs
                .delete(&crate::blobs::poe_path(*claim_id, *poe_id))
                .await
            {
                // Already gone (a retry after the delete, or never stored): done too.
                Ok(()) | Err(object_store::Error::NotFound { .. }) => app
                    .store
                    .finish_job(job.id, now, "removed")
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(format!("removing the file: {e}")),
            }
        }
        JobKind::ReadPoe { claim_id, poe_id } => {
            let outcome = read_poe(app, *claim_id, *poe_id, now).await?;
            app.store
                .finish_job(job.id, now, outcome)
                .await
                .map_err(|e| e.to_string())
        }
    }
}

/// Reads a document for its pre-flight findings and records them; a document no longer
/// on its claim (removed, or the draft deleted) is left alone.
async fn read_poe(
    app: &App,
    claim_id: cpor_domain::values::ClaimId,
    poe_id: cpor_domain::values::PoeId,
    now: Timestamp,
) -> Result<&'static str, String> {
    use object_store::ObjectStoreExt;
    let fail = |e: StoreError| e.to_string();
    let Some(claim) = app.store.claim(claim_id).await.map_err(fail)? else {
        return Ok("gone");
    };
    let Some(poe) = claim.poe.iter().find(|p| p.id == poe_id).cloned() else {
        return Ok("gone");
    };
    let bytes = match app
        .blobs
        .get(&crate::blobs::poe_path(claim_id, poe_id))
        .await
    {
        Ok(found) => found.bytes().await.map_err(|e| e.to_string())?.to_vec(),
        Err(object_store::Error::NotFound { .. }) => return Ok("gone"),
        Err(e) => return Err(format!("reading the file: {e}")),
    };
    let reading = crate::findings::read_bounded(poe.kind, bytes).await;
    let reference = app.store.reference().await.map_err(fail)?;
    let partner = app
        .store
        .organisation(claim.org_id)
        .await
        .map_err(fail)?
        .map(|o| o.name.to_string())
        .unwrap_or_default();
    let findings = match reading.readability {
        cpor_domain::findings::Readability::Read => cpor_domain::findings::analyse(
            &reading.text,
            reading.signed,
            &claim,
            &partner,
            &reference,
            poe.uploaded_at,
        ),
        other => cpor_domain::findings::Findings::unread(other),
    };
    app.store
        .save_findings(claim_id, poe_id, &findings, now)
        .await
        .map_err(fail)?;
    Ok("read")
}

/// The whole history of a claim, read page by page.
async fn full_history(app: &App, id: cpor_domain::values::ClaimId) -> Result<Vec<Event>, String> {
    const PAGE: u32 = 1000;
    let mut out: Vec<Event> = Vec::new();
    loop {
        let after = out.last().map_or(0, |e| e.seq);
        let page = app
            .store
            .history(id, after, PAGE)
            .await
            .map_err(|e| e.to_string())?;
        let done = page.len() < PAGE as usize;
        out.extend(page);
        if done {
            return Ok(out);
        }
    }
}

/// Delivers an e-mail as of the event that queued it: rendered from the claim as it was
/// at `n.as_of` (and its history up to then), or dropped, and the drop recorded on the
/// claim, when it no longer applies (`cpor_domain::claim::stale`).
async fn deliver(app: &App, job: &Job, n: &Notification, now: Timestamp) -> Result<(), String> {
    let events = full_history(app, n.claim_id).await?;
    // E-mails queued before their version was kept: as of the claim as it is now.
    let upto = match usize::try_from(n.as_of) {
        Ok(0) | Err(_) => events.len(),
        Ok(v) => v.min(events.len()),
    };
    let (before, since) = events.split_at(upto);
    let (Some(claim), true) = (replay(before), replay(&events).is_some()) else {
        return app
            .store
            .finish_job(job.id, now, "skipped: the claim is gone")
            .await
            .map_err(|e| e.to_string());
    };
    if let Some(why) = stale(n, &claim, since, now) {
        metrics::email("dropped");
        tracing::info!(
            template = n.template.as_str(),
            why = why.as_str(),
            "e-mail dropped"
        );
        let mut req = CommandRequest::new(
            claim.id,
            Command::DropEmail {
                template: n.template,
                to: n.to.clone(),
                why,
            },
            Actor::System,
            now,
        );
        req.job_id = Some(job.id);
        return app
            .store
            .execute(req)
            .await
            .map(|_| ())
            .map_err(|e| format!("recording the drop: {e}"));
    }
    let org = app
        .store
        .organisation(claim.org_id)
        .await
        .map_err(|e| e.to_string())?;
    let partner = org.map(|o| o.name.to_string()).unwrap_or_default();
    let history = &before[before.len().saturating_sub(20)..];
    let reference = app.store.reference().await.map_err(|e| e.to_string())?;
    let lang = match n.recipient {
        Recipient::Customer => customer_language(app.store.as_ref(), &claim).await,
        Recipient::Partner => partner_language(app.store.as_ref(), &claim).await,
        // Support's mailbox is the operator's: the operator's staff read English.
        Recipient::Support => Ok(crate::web::i18n::Lang::En),
        Recipient::Reviewer => app.store.account_by_email(&n.to).await.map(|a| {
            a.and_then(|a| a.language)
                .as_deref()
                .and_then(crate::web::i18n::Lang::parse)
                .unwrap_or_default()
        }),
    }
    .map_err(|e| e.to_string())?;
    let mail = render(
        n,
        &claim,
        &partner,
        history,
        &reference,
        &app.public_url,
        &app.mail_from,
        lang,
    )?;
    if let Err(e) = app.mailer.send(&mail).await {
        metrics::email("failed");
        return Err(format!("delivery: {e}"));
    }
    metrics::email("sent");
    if n.recipient == Recipient::Reviewer {
        // An operator's own e-mail is not part of the claim's history (which partners
        // read): the job is done, nothing recorded on the claim.
        return app
            .store
            .finish_job(job.id, now, "sent")
            .await
            .map_err(|e| format!("recording the delivery: {e}"));
    }
    let mut req = CommandRequest::new(
        claim.id,
        Command::RecordEmail {
            template: n.template,
            to: n.to.clone(),
        },
        Actor::System,
        now,
    );
    req.job_id = Some(job.id);
    app.store
        .execute(req)
        .await
        .map(|_| ())
        .map_err(|e| format!("recording the delivery: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(0), SignedDuration::from_secs(10));
        assert_eq!(backoff(1), SignedDuration::from_secs(20));
        assert_eq!(backoff(5), SignedDuration::from_secs(320));
        assert_eq!(backoff(30), SignedDuration::from_secs(3600));
    }
}
