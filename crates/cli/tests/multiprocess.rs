//! Several `cpor serve` processes on one PostgreSQL database: timers fire exactly once,
//! and competing approvals through both processes leave one holder.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::sample;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::*;

async fn post(c: &reqwest::Client, url: String, token: &str, body: Value) -> (u16, Value) {
    let r = c
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn get(c: &reqwest::Client, url: String, token: &str) -> Value {
    c.get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_fire_each_timer_once_and_keep_one_holder_per_key() {
    let Some(url) = postgres_url() else { return };
    let database = TempDatabase::create(&url).await;
    let db = database.url.clone();
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let tokens = demo(&db, dirs[0].path());
    let clock = dirs[0].path().join("clock");
    let now = cpor_domain::jiff::Timestamp::now();
    std::fs::write(&clock, now.to_string()).unwrap();
    let a = serve(&db, dirs[0].path(), &clock).await;
    let b = serve(&db, dirs[1].path(), &clock).await;
    let servers = [&a.base, &b.base];
    let admin = &tokens["incentives_admin:Ines"];
    let litware = &tokens["incentives_admin:Lia"];
    let reviewer = &tokens["reviewer:Rui"];
    let c = reqwest::Client::new();

    // Claims in Partner action required, made through both processes.
    let mut par = Vec::new();
    for i in 0..6 {
        let s = servers[i % 2];
        let body = serde_json::to_value(sample::m365_claim(
            &format!("MP {i}"),
            sample::ADATUM_MPN_2,
            &["microsoft_365_apps"],
        ))
        .unwrap();
        let (st, claim) = post(&c, format!("{s}/api/v1/claims"), admin, body).await;
        assert_eq!(st, 201, "{claim}");
        let id = claim["id"].as_str().unwrap().to_string();
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.7\n%%EOF\n".to_vec()).file_name("sow.pdf"),
        );
        let r = c
            .post(format!("{s}/api/v1/claims/{id}/poe"))
            .bearer_auth(admin)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        for (who, path, body) in [
            (admin, "submit", json!({})),
            (reviewer, "review/start", json!({})),
            (
                reviewer,
                "review/request-info",
                json!({"reasons": ["missing_poe"], "comment": "More"}),
            ),
        ] {
            let (st, v) = post(
                &c,
                format!("{}/api/v1/claims/{id}/{path}", servers[(i + 1) % 2]),
                who,
                body,
            )
            .await;
            assert_eq!(st, 200, "{path}: {v}");
        }
        par.push(id);
    }
    // Ten days later (past any five business days), both workers race for the timers.
    let later = now
        .checked_add(cpor_domain::jiff::SignedDuration::from_hours(24 * 10))
        .unwrap();
    std::fs::write(&clock, later.to_string()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut done = 0;
        for id in &par {
            let claim = get(&c, format!("{}/api/v1/claims/{id}", a.base), reviewer).await;
            let h = get(
                &c,
                format!("{}/api/v1/claims/{id}/history?limit=200", b.base),
                reviewer,
            )
            .await;
            let mails = h["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["type"] == "email_sent" && e["details"]["template"] == "rejected")
                .count();
            if claim["status"] == "rejected" && mails >= 1 {
                done += 1;
            }
        }
        if done == par.len() {
            break;
        }
        assert!(Instant::now() < deadline, "the timers did not all fire");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Let any duplicate show up, then count.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for id in &par {
        let h = get(
            &c,
            format!("{}/api/v1/claims/{id}/history?limit=200", a.base),
            reviewer,
        )
        .await;
        let items = h["items"].as_array().unwrap();
        let windows = items
            .iter()
            .filter(|e| e["type"] == "response_window_passed")
            .count();
        let mails = items
            .iter()
            .filter(|e| e["type"] == "email_sent" && e["details"]["template"] == "rejected")
            .count();
        assert_eq!(
            (windows, mails),
            (1, 1),
            "claim {id}: one rejection, one e-mail"
        );
    }
    let outbox = |d: &std::path::Path| {
        std::fs::read_dir(d.join("outbox"))
            .map(|r| r.count())
            .unwrap_or(0)
    };
    assert!(outbox(dirs[0].path()) + outbox(dirs[1].path()) > 0);

    // Competing approvals of claims on one key, through both processes at once.
    let mut competing = Vec::new();
    for (i, token) in [admin, litware, admin, litware].into_iter().enumerate() {
        let mpn = if token == admin {
            sample::ADATUM_MPN
        } else {
            sample::LITWARE_MPN
        };
        let body = serde_json::to_value(sample::bizapps_claim(
            &format!("Race {i}"),
            mpn,
            sample::FABRIKAM,
            "fabrikam.com",
            "pre_sales",
            "dynamics_365_customer_service",
            sample::FABRIKAM_SERVICE,
        ))
        .unwrap();
        let s = servers[i % 2];
        let (st, claim) = post(&c, format!("{s}/api/v1/claims"), token, body).await;
        assert_eq!(st, 201, "{claim}");
        let id = claim["id"].as_str().unwrap().to_string();
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.7\n%%EOF\n".to_vec()).file_name("sow.pdf"),
        );
        c.post(format!("{s}/api/v1/claims/{id}/poe"))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            post(
                &c,
                format!("{s}/api/v1/claims/{id}/submit"),
                token,
                json!({})
            )
            .await
            .0,
            200
        );
        assert_eq!(
            post(
                &c,
                format!("{s}/api/v1/claims/{id}/review/start"),
                reviewer,
                json!({})
            )
            .await
            .0,
            200
        );
        competing.push(id);
    }
    let mut tasks = Vec::new();
    for (i, id) in competing.iter().enumerate() {
        let (c, s, id, t) = (
            c.clone(),
            servers[i % 2].clone(),
            id.clone(),
            reviewer.clone(),
        );
        tasks.push(tokio::spawn(async move {
            post(
                &c,
                format!("{s}/api/v1/claims/{id}/review/approve"),
                &t,
                // Each reviewer confirms the arbitration, should another win first.
                json!({"confirm": true}),
            )
            .await
            .0
        }));
    }
    for t in tasks {
        let st = t.await.unwrap();
        assert!(st == 200 || st == 409, "approval answered {st}");
    }
    let mut holders = 0;
    for id in &competing {
        let claim = get(&c, format!("{}/api/v1/claims/{id}", a.base), reviewer).await;
        if claim["status"] == "approved"
            && (claim["phase"] == "consent_pending" || claim["phase"] == "active")
        {
            holders += 1;
        }
    }
    assert_eq!(holders, 1, "one holder of the key");
}
