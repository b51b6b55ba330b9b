//! The reviewers' daily digest (docs/product.md, e-mails): on each business day from
//! 07:00 in the operator's time zone, every reviewer who has not turned it off gets one
//! e-mail listing the claims of the review queue that are past due or due by the end of
//! the next business day (theirs and nobody's; not those another reviewer took). No
//! e-mail when nothing is due. One process records the day before sending, so a day's
//! digest goes out once however many processes run.

use crate::mail::Mail;
use crate::state::App;
use crate::web::i18n::{I18n, Lang};
use cpor_domain::Role;
use cpor_domain::claim::Claim;
use cpor_domain::jiff::Timestamp;
use cpor_domain::jiff::civil::Date;
use cpor_domain::reference::Reference;

/// The hour (operator's time) from which the day's digest goes out.
pub const HOUR: i8 = 7;

/// The claim's running review deadline, as the queue orders by.
fn due(c: &Claim) -> Option<Timestamp> {
    c.deadlines
        .review_decision_due
        .or(c.deadlines.review_pickup_due)
}

/// Sends today's digest if it is time and no process has.
pub async fn send_if_due(app: &App) {
    let now = app.clock.now();
    let Ok(reference) = app.store.reference().await else {
        return;
    };
    let cal = &reference.calendar;
    let local = now.to_zoned(cal.time_zone().clone());
    let day = local.date();
    if local.hour() < HOUR || !cal.is_business_day(day) {
        return;
    }
    if !matches!(app.store.digest_sent(day).await, Ok(false)) {
        return;
    }
    if !matches!(app.store.claim_digest_day(day, now).await, Ok(true)) {
        return;
    }
    if let Err(e) = send(app, &reference, day, now).await {
        tracing::warn!(error = %e, %day, "the reviewers' digest could not be sent");
    }
}

/// The queue's claims past due or due by the end of the business day after `day`.
async fn due_soon(app: &App, reference: &Reference, day: Date) -> Result<Vec<Claim>, String> {
    let cal = &reference.calendar;
    let mut next = day;
    loop {
        next = next.tomorrow().map_err(|e| e.to_string())?;
        if cal.is_business_day(next) {
            break;
        }
    }
    let horizon = cal.end_of_day(next);
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = app
            .store
            .review_queue(after, crate::request::page::MAX_LIMIT)
            .await
            .map_err(|e| e.to_string())?;
        for c in page.items {
            match due(&c) {
                Some(d) if d <= horizon => out.push(c),
                // Oldest due first: the rest are due later.
                Some(_) => return Ok(out),
                None => {}
            }
        }
        match page.next {
            Some(n) => after = Some(n),
            None => return Ok(out),
        }
    }
}

async fn send(app: &App, reference: &Reference, day: Date, now: Timestamp) -> Result<(), String> {
    let claims = due_soon(app, reference, day).await?;
    if claims.is_empty() {
        return Ok(());
    }
    let fail = |e: cpor_store::StoreError| e.to_string();
    let opted_out = app.store.digest_opt_outs().await.map_err(fail)?;
    for user in app.store.users(None).await.map_err(fail)? {
        if user.role != Role::Reviewer || opted_out.contains(&user.id) {
            continue;
        }
        let Some(account) = app.store.account(user.id).await.map_err(fail)? else {
            continue;
        };
        if account.disabled {
            continue;
        }
        let mine: Vec<&Claim> = claims
            .iter()
            .filter(|c| c.reviewer.as_ref().is_none_or(|r| r.id == user.id))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let lang = account
            .language
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default();
        let i = I18n::new(lang, reference.calendar.time_zone().clone());
        let lines = mine
            .iter()
            .map(|c| {
                let when = due(c).map(|d| i.datetime(d)).unwrap_or_default();
                let key = if due(c).is_some_and(|d| d <= now) {
                    "mail-digest-breached"
                } else {
                    "mail-digest-due"
                };
                format!(
                    "  - {}\n    {}/claims/{}",
                    i.ta(
                        key,
                        &[
                            ("claim", c.fields.name.to_string()),
                            ("domain", c.fields.domain.to_unicode()),
                            ("due", when),
                        ],
                    ),
                    app.public_url,
                    c.id
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let breached = mine
            .iter()
            .filter(|c| due(c).is_some_and(|d| d <= now))
            .count();
        let mail = Mail {
            lang,
            from: app.mail_from.clone(),
            to: user.email.to_string(),
            subject: i.tn("mail-digest-subject", "count", mine.len() as u64),
            body: format!(
                "{}\n\n{lines}\n\n{}\n",
                i.ta(
                    "mail-digest-intro",
                    &[
                        ("count", mine.len().to_string()),
                        ("breached", breached.to_string()),
                    ],
                ),
                i.t1(
                    "mail-digest-opt-out",
                    "link",
                    format!("{}/review", app.public_url)
                ),
            ),
        };
        if let Err(e) = app.mailer.send(&mail).await {
            tracing::warn!(error = %e, "a reviewer's digest could not be sent");
        }
    }
    Ok(())
}
