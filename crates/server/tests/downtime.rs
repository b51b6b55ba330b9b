//! After downtime, no stale mail: an e-mail says what was true when it was queued, one
//! that no longer applies at its turn is dropped (and the drop is on the claim's
//! history), and the partner's reminder fires only while its deadline is ahead.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::jiff::civil::date;
use cpor_server::clock::Clock;
use serde_json::{Value, json};
use support::*;

const ADMIN: &str = "adatum:incentives_admin";
const REVIEWER: &str = "operator:reviewer";

async fn history(t: &TestApp, id: &str) -> Vec<Value> {
    let h = t
        .get(&format!("/api/v1/claims/{id}/history?limit=200"), ADMIN)
        .await;
    h.body["items"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_down_past_the_response_window_sends_the_rejection_and_no_reminder() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Late", "1234567", &["intune"]))
        .await;
    // Friday 20 November 16:00: due Friday 27th, reminded Thursday 26th.
    let c = t
        .ok(
            &format!("/api/v1/claims/{id}/review/request-info"),
            REVIEWER,
            json!({"reasons": ["missing_poe"], "comment": "Upload the SOW."}),
        )
        .await;
    assert_eq!(
        c["deadlines"]["partner_response_due"],
        "2026-11-27T16:00:00Z"
    );
    let mails_before = t.outbox().len();
    // The service is down from here until Saturday 28th: no job runs.
    t.advance(days(8));
    t.run_jobs().await;
    let c = t.claim(&id).await;
    assert_eq!(
        (c["status"].as_str(), c["reasons"][0].as_str()),
        (Some("rejected"), Some("no_partner_response"))
    );
    let new = t.outbox().split_off(mails_before);
    assert!(
        new.iter().all(|m| !m.contains("Reminder:")),
        "no reminder after its deadline: {new:?}"
    );
    assert!(
        new.iter().all(|m| !m.contains("Answer by")),
        "no request for an answer already too late: {new:?}"
    );
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].contains("no partner response") || new[0].contains("rejected"));
    assert!(!new[0].contains("needs an answer by"));

    let items = history(&t, &id).await;
    let dropped: Vec<(&str, &str)> = items
        .iter()
        .filter(|e| e["type"] == "email_dropped")
        .map(|e| {
            (
                e["details"]["template"].as_str().unwrap(),
                e["details"]["why"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        dropped.contains(&("response_reminder", "deadline_passed")),
        "{dropped:?}"
    );
    assert!(
        dropped.contains(&("information_requested", "deadline_passed")),
        "{dropped:?}"
    );
    let sent: Vec<&str> = items
        .iter()
        .filter(|e| e["type"] == "email_sent")
        .map(|e| e["details"]["template"].as_str().unwrap())
        .collect();
    assert_eq!(sent, vec!["rejected"]);
    assert!(
        !items.iter().any(|e| e["type"] == "response_reminder_due"),
        "the reminder never fired"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_for_information_delivered_late_says_what_was_asked_then() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Recounted", "1234567", &["intune"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/request-info"),
        REVIEWER,
        json!({"reasons": ["missing_poe"], "comment": "Upload the SOW."}),
    )
    .await;
    // Before the e-mail goes out, a holiday moves the answer's deadline.
    t.store
        .add_holiday(date(2026, 11, 26), Some("Holiday"))
        .await
        .unwrap();
    cpor_store::recount_deadlines(t.store.as_ref(), t.clock.now())
        .await
        .unwrap();
    assert_eq!(
        t.claim(&id).await["deadlines"]["partner_response_due"],
        "2026-11-30T16:00:00Z"
    );
    t.advance(days(1));
    t.run_jobs().await;
    let mail = t
        .outbox()
        .into_iter()
        .find(|m| m.contains("Answer by"))
        .unwrap();
    assert!(mail.contains("Missing proof of execution"), "{mail}");
    assert!(mail.contains("Upload the SOW."), "{mail}");
    assert!(mail.contains("27 November 2026"), "{mail}");
    assert!(!mail.contains("30 November 2026"), "{mail}");
}
