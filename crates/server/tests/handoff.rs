//! The eligibility hand-off over HTTP (docs/product.md, eligibility hand-off): the feed by
//! cursor, the export of a date, and who may read them.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::claim::hash_secret;
use cpor_server::clock::Clock;
use cpor_store::TokenScope;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::*;

const ADMIN: &str = "adatum:incentives_admin";
const PROGRAM: &str = "operator:program_admin";

/// An active association of Adatum's on Contoso's Teams; its id.
async fn active(t: &TestApp, name: &str, workload: &str) -> String {
    let id = t
        .under_review(ADMIN, m365(name, "1234567", &[workload]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/approve"),
        "operator:reviewer",
        json!({}),
    )
    .await;
    t.advance(days(8));
    t.run_jobs().await;
    assert_eq!(t.claim(&id).await["phase"], "active");
    id
}

/// A token with the `eligibility:read` scope for the user behind `who`'s token.
async fn scoped_token(t: &TestApp, who: &str) -> String {
    let now = start_time();
    let user = t
        .store
        .user_by_token(&hash_secret(t.token(who)), now)
        .await
        .unwrap()
        .unwrap();
    let secret = format!("feed-{who}");
    t.store
        .create_token(
            user.id,
            &hash_secret(&secret),
            Some("incentives"),
            now,
            None,
            Some(TokenScope::EligibilityRead),
        )
        .await
        .unwrap();
    secret
}

async fn get_with(t: &TestApp, path: &str, token: &str) -> Reply {
    let auth = format!("Bearer {token}");
    t.send(Method::GET, path, None, None, &[("authorization", &auth)])
        .await
}

fn kinds(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_carries_each_change_once_through_its_cursor() {
    let t = TestApp::start().await;
    let id = active(&t, "Contoso Teams", "teams").await;
    let first = t.get("/api/v1/associations/changes", PROGRAM).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(kinds(&first.body), ["activated"]);
    let change = &first.body["items"][0];
    assert_eq!(change["claim_id"], id.as_str());
    assert_eq!(change["mpn_id"], "1234567");
    assert_eq!(change["programs"], json!(["osu_m365"]));
    assert_eq!(change["keys"][0]["product"], "teams");
    assert!(change["effective_from"].is_string());
    assert!(change["effective_to"].is_null());
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    // Nothing new: an empty page hands the same cursor back.
    let again = t
        .get(
            &format!("/api/v1/associations/changes?after={cursor}"),
            PROGRAM,
        )
        .await;
    assert_eq!(kinds(&again.body), Vec::<&str>::new());
    assert_eq!(again.body["next_cursor"], cursor.as_str());
    t.ok(
        &format!("/api/v1/claims/{id}/disassociate"),
        ADMIN,
        json!({"reason": "Project over"}),
    )
    .await;
    let next = t
        .get(
            &format!("/api/v1/associations/changes?after={cursor}"),
            PROGRAM,
        )
        .await;
    assert_eq!(kinds(&next.body), ["ended"]);
    let ended = &next.body["items"][0];
    assert_eq!(ended["reason"], "Project over");
    assert_eq!(ended["effective_from"], change["effective_from"]);
    assert!(ended["effective_to"].is_string());
    assert_ne!(ended["id"], change["id"], "ids are unique");
    // Paging by one gives the same changes.
    let one = t.get("/api/v1/associations/changes?limit=1", PROGRAM).await;
    assert_eq!(kinds(&one.body), ["activated"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_lists_the_keys_eligible_on_a_date() {
    let t = TestApp::start().await;
    let id = active(&t, "Contoso Teams", "teams").await;
    let today = t
        .clock
        .now()
        .to_zoned(cpor_domain::jiff::tz::TimeZone::UTC)
        .date();
    let csv = t
        .get(
            &format!("/api/v1/associations/export.csv?as_of={today}"),
            PROGRAM,
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "a CSV"
    );
    let text = csv.body.as_str().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "the header and one key: {text}");
    assert!(lines[0].starts_with("claim_id,organisation_id,mpn_id,tenant_id,program,product"));
    assert!(lines[1].starts_with(&id) && lines[1].contains(",osu_m365,teams,"));
    // Before the consent window passed, nothing counted.
    let before = t
        .get("/api/v1/associations/export.csv?as_of=2026-11-01", PROGRAM)
        .await;
    assert_eq!(before.body.as_str().unwrap().lines().count(), 1);
    let bad = t
        .get("/api/v1/associations/export.csv?as_of=2026-13-01", PROGRAM)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has_error("as_of", "invalid_format"), "{}", bad.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_program_admin_and_scoped_tokens_read_the_hand_off() {
    let t = TestApp::start().await;
    active(&t, "Contoso Teams", "teams").await;
    for who in [
        "adatum:global_admin",
        ADMIN,
        "operator:reviewer",
        "operator:support_agent",
    ] {
        for path in [
            "/api/v1/associations/changes",
            "/api/v1/associations/export.csv",
        ] {
            assert_eq!(
                t.get(path, who).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
    }
    // A partner's scoped token reads its own organisation's changes only.
    let adatum = scoped_token(&t, "adatum:global_admin").await;
    let litware = scoped_token(&t, "litware:global_admin").await;
    let own = get_with(&t, "/api/v1/associations/changes", &adatum).await;
    assert_eq!(kinds(&own.body), ["activated"]);
    let other = get_with(&t, "/api/v1/associations/changes", &litware).await;
    assert_eq!(kinds(&other.body), Vec::<&str>::new());
    let export = get_with(&t, "/api/v1/associations/export.csv", &litware).await;
    assert_eq!(
        export.body.as_str().unwrap().lines().count(),
        1,
        "header only"
    );
    // ... and nothing else.
    let claims = get_with(&t, "/api/v1/claims", &adatum).await;
    assert_eq!(claims.status, StatusCode::FORBIDDEN);
    assert!(
        claims.body["detail"]
            .as_str()
            .unwrap()
            .contains("eligibility:read")
    );
    let lookup = get_with(
        &t,
        &format!(
            "/api/v1/associations/lookup?tenant_id={}",
            cpor_domain::sample::CONTOSO
        ),
        &adatum,
    )
    .await;
    assert_eq!(lookup.status, StatusCode::OK, "{}", lookup.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_cursor_or_limit_names_its_parameter() {
    let t = TestApp::start().await;
    let r = t
        .get("/api/v1/associations/changes?after=%%%", PROGRAM)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has_error("after", "invalid_format"), "{}", r.body);
    let r = t.get("/api/v1/associations/changes?limit=0", PROGRAM).await;
    assert!(r.has_error("limit", "value_out_of_range"), "{}", r.body);
    let r = t
        .get("/api/v1/associations/changes?cursor=x", PROGRAM)
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the feed's cursor is `after`"
    );
    assert!(
        r.errors().iter().any(|(field, _)| field == "cursor"),
        "{}",
        r.body
    );
}
