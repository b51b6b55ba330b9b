//! The worker outlives its jobs: a job that panics is a failed attempt, retried later,
//! and the timers and e-mails behind it still run.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_server::clock::Clock;
use cpor_server::mail::{Mail, Mailer};
use cpor_server::state::AppState;
use serde_json::json;
use std::sync::Arc;
use support::*;

const ADMIN: &str = "adatum:incentives_admin";

/// A relay whose client code panics: the worst a delivery can do.
struct PanickingMailer;

#[async_trait::async_trait]
impl Mailer for PanickingMailer {
    async fn send(&self, _mail: &Mail) -> Result<(), String> {
        panic!("the relay client panicked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_job_fails_alone_and_a_later_timer_still_fires() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Panics", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/approve"),
        "operator:reviewer",
        json!({}),
    )
    .await;
    let app = with_mailer(&t, Arc::new(PanickingMailer));
    let ran = cpor_server::worker::run_due(&app).await;
    assert!(ran >= 1, "the approval's e-mails were tried");
    let stats = t.store.job_stats(t.clock.now()).await.unwrap();
    assert!(stats.failing >= 1, "the panic was recorded as a failure");

    // The consent window passes: its timer fires although every e-mail still panics.
    t.advance(days(8));
    cpor_server::worker::run_due(&app).await;
    assert_eq!(t.claim(&id).await["phase"], "active");

    // With a working relay the e-mails go out after all.
    t.advance(days(1));
    t.run_jobs().await;
    assert!(
        t.outbox().iter().any(|m| m.contains("/consent/")),
        "the consent e-mail was delivered on a later attempt"
    );
}

fn with_mailer(t: &TestApp, mailer: Arc<dyn Mailer>) -> cpor_server::state::App {
    Arc::new(AppState {
        mailer,
        store: t.app.store.clone(),
        clock: t.app.clock.clone(),
        blobs: t.app.blobs.clone(),
        metrics: t.app.metrics.clone(),
        public_url: t.app.public_url.clone(),
        mail_from: t.app.mail_from.clone(),
        webhook_client: t.app.webhook_client.clone(),
        webhook_allow_private: t.app.webhook_allow_private,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_out_of_attempts_is_parked_listed_to_operators_and_requeued() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Parked", "1234567", &["teams"]))
        .await;
    // A row that no longer decodes cannot stop the worker: it is parked at once.
    t.store
        .insert_raw_job("email", &id, "{not a notification", t.clock.now())
        .await
        .unwrap();
    t.ok(
        &format!("/api/v1/claims/{id}/review/approve"),
        "operator:reviewer",
        json!({}),
    )
    .await;
    let panicking = with_mailer(&t, Arc::new(PanickingMailer));
    for _ in 0..cpor_store::MAX_JOB_ATTEMPTS {
        cpor_server::worker::run_due(&panicking).await;
        t.advance(cpor_domain::jiff::SignedDuration::from_hours(2));
    }
    let jobs = t.get("/api/v1/jobs", "operator:support_agent").await;
    assert_eq!(jobs.status, reqwest::StatusCode::OK, "{}", jobs.body);
    let items = jobs.body["items"].as_array().unwrap().clone();
    let parked: Vec<&serde_json::Value> = items.iter().filter(|j| j["parked"] == true).collect();
    assert!(
        parked
            .iter()
            .any(|j| j["kind"] == "email" && j["attempts"] == cpor_store::MAX_JOB_ATTEMPTS),
        "{items:?}"
    );
    assert!(
        parked
            .iter()
            .any(|j| j["last_error"].as_str().unwrap_or("").contains("panicked")),
        "{items:?}"
    );
    assert_eq!(
        t.get("/api/v1/jobs", ADMIN).await.status,
        reqwest::StatusCode::FORBIDDEN
    );

    // Parked jobs wait: a working relay alone does not send them.
    t.run_jobs().await;
    assert!(!t.outbox().iter().any(|m| m.contains("/consent/")));
    let job = parked
        .iter()
        .find(|j| j["kind"] == "email" && j["attempts"] == cpor_store::MAX_JOB_ATTEMPTS)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let requeue = format!("/api/v1/jobs/{job}/requeue");
    assert_eq!(
        t.post(&requeue, "operator:reviewer", json!({}))
            .await
            .status,
        reqwest::StatusCode::FORBIDDEN
    );
    for other in items.iter().filter(|j| j["parked"] == true) {
        let r = t
            .post(
                &format!("/api/v1/jobs/{}/requeue", other["id"]),
                "operator:program_admin",
                json!({}),
            )
            .await;
        assert_eq!(r.status, reqwest::StatusCode::NO_CONTENT, "{}", r.body);
    }
    t.run_jobs().await;
    assert!(
        t.outbox().iter().any(|m| m.contains("/consent/")),
        "the requeued consent e-mail went out"
    );
    assert_eq!(
        t.post(&requeue, "operator:program_admin", json!({}))
            .await
            .status,
        reqwest::StatusCode::NOT_FOUND,
        "no longer parked"
    );
}
