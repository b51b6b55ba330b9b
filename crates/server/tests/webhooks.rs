//! Webhooks end to end (docs/product.md, webhooks): a receiver started by the test
//! verifies every signature; one that fails then recovers gets every message once and a
//! claim's messages in order; an endpoint failing for a day is disabled, its owner
//! e-mailed, and its messages redeliverable.
#![allow(clippy::unwrap_used)]

mod support;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cpor_server::webhooks::deliver::deliver_due;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use support::*;

const OWNER: &str = "adatum:global_admin";
const ADMIN: &str = "adatum:incentives_admin";

/// What the receiver saw: accepted messages (id, body) and how many it refused.
#[derive(Default)]
struct Seen {
    secret: String,
    fail_next: usize,
    accepted: Vec<(String, Value)>,
    refused: usize,
    bad_signatures: usize,
}

type Receiver = Arc<Mutex<Seen>>;

async fn receive(State(seen): State<Receiver>, headers: HeaderMap, body: String) -> AxumStatus {
    let mut s = seen.lock().unwrap();
    let h = |k: &str| headers[k].to_str().unwrap().to_string();
    let (id, ts) = (h("webhook-id"), h("webhook-timestamp"));
    let key = STANDARD
        .decode(s.secret.trim_start_matches("whsec_"))
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{ts}.{body}").as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    if h("webhook-signature") != expected {
        s.bad_signatures += 1;
        return AxumStatus::UNAUTHORIZED;
    }
    if s.fail_next > 0 {
        s.fail_next -= 1;
        s.refused += 1;
        return AxumStatus::SERVICE_UNAVAILABLE;
    }
    s.accepted.push((id, serde_json::from_str(&body).unwrap()));
    AxumStatus::NO_CONTENT
}

/// A receiver on loopback; its URL.
async fn receiver(seen: Receiver) -> String {
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(seen);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/hook")
}

async fn start() -> TestApp {
    TestApp::start_with(|c| c.webhook_allow_private = true).await
}

/// Registers an endpoint as `who`; its id and secret.
async fn register(t: &TestApp, who: &str, url: &str, events: &[&str]) -> (String, String) {
    let r = t
        .post(
            "/api/v1/webhooks",
            who,
            json!({"url": url, "events": events}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (
        r.body["id"].as_str().unwrap().to_string(),
        r.body["secret"].as_str().unwrap().to_string(),
    )
}

/// Delivers what is due, moving the clock by `step` between rounds.
async fn deliver_for(t: &TestApp, rounds: usize, step: cpor_domain::jiff::SignedDuration) {
    for _ in 0..rounds {
        deliver_due(&t.app).await;
        t.advance(step);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_recovers_gets_every_message_once_and_in_order_per_claim() {
    let t = start().await;
    let seen: Receiver = Arc::default();
    let url = receiver(seen.clone()).await;
    let events = [
        "claim.created",
        "claim.submitted",
        "claim.review_started",
        "claim.approved",
        "association.activated",
    ];
    let (id, secret) = register(&t, OWNER, &url, &events).await;
    {
        let mut s = seen.lock().unwrap();
        s.secret = secret;
        s.fail_next = 4;
    }
    let first = t
        .under_review(ADMIN, m365("Contoso Teams", "1234567", &["teams"]))
        .await;
    let second = t
        .under_review(
            ADMIN,
            m365("Contoso Exchange", "1234567", &["exchange_online"]),
        )
        .await;
    // Another organisation's claim is none of Adatum's business.
    t.create(
        "litware:incentives_admin",
        m365("Litware's", "2345678", &["sharepoint_online"]),
    )
    .await;
    deliver_for(&t, 10, cpor_domain::jiff::SignedDuration::from_mins(10)).await;
    t.ok(
        &format!("/api/v1/claims/{first}/review/approve"),
        "operator:reviewer",
        json!({}),
    )
    .await;
    t.advance(days(8));
    t.run_jobs().await;
    deliver_for(&t, 40, cpor_domain::jiff::SignedDuration::from_mins(10)).await;
    {
        let s = seen.lock().unwrap();
        assert_eq!(s.bad_signatures, 0, "every signature verifies");
        assert!(s.refused >= 4, "the receiver failed first");
        let ids: Vec<&String> = s.accepted.iter().map(|(id, _)| id).collect();
        let unique: std::collections::BTreeSet<&String> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "each message once");
        let of = |claim: &str| -> Vec<String> {
            s.accepted
                .iter()
                .filter(|(_, b)| b["data"]["claim_id"] == claim)
                .map(|(_, b)| b["type"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            of(&first),
            [
                "claim.created",
                "claim.submitted",
                "claim.review_started",
                "claim.approved",
                "association.activated"
            ]
        );
        assert_eq!(
            of(&second),
            ["claim.created", "claim.submitted", "claim.review_started"]
        );
        assert_eq!(
            s.accepted.len(),
            8,
            "nothing of Litware's, nothing unsubscribed"
        );
    }
    // The log shows the failed attempts and their answers.
    let log = t
        .get(
            &format!("/api/v1/webhooks/{id}/deliveries?limit=200"),
            OWNER,
        )
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let items = log.body["items"].as_array().unwrap();
    assert!(items.iter().all(|d| d["status"] == "delivered"));
    let retried = items
        .iter()
        .find(|d| d["attempts"].as_array().unwrap().len() > 1)
        .expect("a retried delivery");
    assert_eq!(retried["attempts"][0]["status_code"], 503);
    assert!(retried["attempts"][0]["duration_ms"].is_u64());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_failing_for_a_day_is_disabled_its_owner_told_and_messages_kept() {
    let t = start().await;
    let seen: Receiver = Arc::default();
    let url = receiver(seen.clone()).await;
    let (id, secret) = register(&t, OWNER, &url, &["claim.created"]).await;
    {
        let mut s = seen.lock().unwrap();
        s.secret = secret;
        s.fail_next = usize::MAX;
    }
    t.create(ADMIN, m365("Contoso Teams", "1234567", &["teams"]))
        .await;
    deliver_for(&t, 30, cpor_domain::jiff::SignedDuration::from_hours(1)).await;
    let endpoint = t.get(&format!("/api/v1/webhooks/{id}"), OWNER).await.body;
    assert_eq!(endpoint["enabled"], false, "{endpoint}");
    assert_eq!(endpoint["disabled_reason"], "failing for 24 hours");
    let mail = t
        .outbox()
        .into_iter()
        .find(|m| m.contains("webhook endpoint"))
        .expect("the owner is e-mailed");
    assert!(mail.contains("global_admin@adatum.example") && mail.contains(&url));
    assert!(mail.contains("/webhooks"));
    // Given up after 24 hours; enabled again and redelivered by hand, it arrives.
    let log = t
        .get(&format!("/api/v1/webhooks/{id}/deliveries"), OWNER)
        .await;
    let delivery = &log.body["items"][0];
    assert_eq!(delivery["status"], "failed");
    seen.lock().unwrap().fail_next = 0;
    let r = t
        .send(
            Method::PATCH,
            &format!("/api/v1/webhooks/{id}"),
            Some(OWNER),
            Some(json!({"enabled": true})),
            &[],
        )
        .await;
    assert_eq!(r.body["enabled"], true, "{}", r.body);
    let again = t
        .post(
            &format!(
                "/api/v1/webhooks/{id}/deliveries/{}/redeliver",
                delivery["id"]
            ),
            OWNER,
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.body);
    deliver_due(&t.app).await;
    let s = seen.lock().unwrap();
    assert_eq!(s.accepted.len(), 1);
    assert_eq!(
        s.accepted[0].0,
        delivery["message_id"].as_str().unwrap(),
        "same webhook-id"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_registers_what_and_where() {
    // Without --webhook-allow-private, loopback is refused.
    let t = TestApp::start().await;
    let r = t
        .post(
            "/api/v1/webhooks",
            OWNER,
            json!({"url": "http://127.0.0.1:9/hook", "events": ["claim.created"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has_error("url", "invalid_format"), "{}", r.body);
    let r = t
        .post(
            "/api/v1/webhooks",
            OWNER,
            json!({"url": "https://hooks.example/x", "events": ["claim.nope"]}),
        )
        .await;
    assert!(r.has_error("events[0]", "invalid_enum_value"), "{}", r.body);
    for who in [ADMIN, "adatum:billing_admin", "operator:reviewer"] {
        let r = t
            .post(
                "/api/v1/webhooks",
                who,
                json!({"url": "https://hooks.example/x", "events": ["claim.created"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    // Another organisation's endpoint does not exist for you; the program admin sees all.
    let t = start().await;
    let (id, _) = register(&t, OWNER, "http://127.0.0.1:9/hook", &["claim.created"]).await;
    let r = t
        .get(&format!("/api/v1/webhooks/{id}"), "litware:global_admin")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let all = t.get("/api/v1/webhooks", "operator:program_admin").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 1);
    assert!(
        all.body["items"][0].get("secret").is_none(),
        "the secret is shown once"
    );
    let theirs = t.get("/api/v1/webhooks", "litware:global_admin").await;
    assert!(theirs.body["items"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhooks_page_registers_disables_and_shows_deliveries() {
    use support::web::Visitor;
    let t = start().await;
    let seen: Receiver = Arc::default();
    let url = receiver(seen.clone()).await;
    let mut v = Visitor::new(&t);
    v.sign_in(OWNER).await;
    let page = v.get("/webhooks").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("claim.approved") && page.has("association.activated"));
    let csrf = page.csrf();
    // A bad URL is named; nothing is registered.
    let bad = v
        .post(
            "/webhooks",
            &[
                ("_csrf", &csrf),
                ("url", "ftp://x"),
                ("events", "claim.created"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("URL") && bad.has("http"));
    let made = v
        .post(
            "/webhooks",
            &[
                ("_csrf", &csrf),
                ("url", &url),
                ("events", "claim.created"),
                ("events", "claim.submitted"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK);
    assert!(made.has("id=\"new-secret\">whsec_"), "the secret, once");
    assert!(made.has("claim.created, claim.submitted"));
    let secret = made.html.split("id=\"new-secret\">").nth(1).unwrap();
    seen.lock().unwrap().secret = secret[..secret.find('<').unwrap()].to_string();
    let id = t.get("/api/v1/webhooks", OWNER).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    t.create(ADMIN, m365("Contoso Teams", "1234567", &["teams"]))
        .await;
    deliver_due(&t.app).await;
    let detail = v.get(&format!("/webhooks/{id}")).await;
    assert!(
        detail.has("claim.created") && detail.has("Delivered"),
        "{}",
        detail.html
    );
    assert!(detail.has("204 in"), "the answer and its time");
    // Disabled from the page; another organisation's admin cannot see it.
    v.post(
        &format!("/webhooks/{id}/enabled"),
        &[("_csrf", &csrf), ("enabled", "false")],
    )
    .await;
    assert_eq!(
        t.get(&format!("/api/v1/webhooks/{id}"), OWNER).await.body["enabled"],
        false
    );
    let mut other = Visitor::new(&t);
    other.sign_in("litware:global_admin").await;
    assert_eq!(
        other.get(&format!("/webhooks/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut reviewer = Visitor::new(&t);
    reviewer.sign_in("operator:reviewer").await;
    assert_eq!(
        reviewer.get("/webhooks").await.status,
        StatusCode::FORBIDDEN
    );
}
