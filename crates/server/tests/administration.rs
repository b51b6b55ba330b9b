//! Program administration over the API: each operation, its refusals named by field, and
//! its effect on the rest of the service (a holiday moves a deadline's business days, a
//! retired product is refused, a suspended organisation's tokens stop working). Every
//! route refuses every other role: see `authorization.rs`.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::*;

const ADMIN: &str = "operator:program_admin";

async fn call(t: &TestApp, method: Method, path: &str, body: Option<Value>) -> Reply {
    t.send(method, path, Some(ADMIN), body, &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holidays_are_listed_added_and_removed() {
    let t = TestApp::start().await;
    let path = "/api/v1/admin/holidays";
    let bad = call(&t, Method::POST, path, Some(json!({"date": "25/12/2026"}))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has_error("date", "invalid_format"), "{}", bad.body);
    let added = call(
        &t,
        Method::POST,
        path,
        Some(json!({"date": "2026-12-25", "name": "Christmas"})),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let again = call(&t, Method::POST, path, Some(json!({"date": "2026-12-25"}))).await;
    assert_eq!(again.status, StatusCode::OK);
    let list = call(&t, Method::GET, path, None).await;
    assert_eq!(
        list.body,
        json!([{"date": "2026-12-25", "name": "Christmas"}])
    );
    let r = t.store.reference().await.unwrap();
    assert!(
        !r.calendar
            .is_business_day(cpor_domain::jiff::civil::date(2026, 12, 25))
    );
    let gone = call(&t, Method::DELETE, &format!("{path}/2026-12-25"), None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let missing = call(&t, Method::DELETE, &format!("{path}/2026-12-25"), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// A claim's review pickup due date and ETag, as its partner reads them.
async fn pickup_due(t: &TestApp, id: &str) -> (Value, reqwest::header::HeaderValue) {
    let r = t
        .get(&format!("/api/v1/claims/{id}"), "adatum:incentives_admin")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let due = r.body["deadlines"]["review_pickup_due"].clone();
    (due, r.headers["etag"].clone())
}

/// Deadlines follow the calendar: a holiday added while a submitted claim waits for a
/// reviewer moves its pickup due date by one business day, without a restart, and
/// removing it moves it back; the claim's ETag stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holiday_moves_a_submitted_claims_due_date() {
    let t = TestApp::start().await;
    let partner = "adatum:incentives_admin";
    let id = t
        .create(
            partner,
            m365("Contoso Teams", cpor_domain::sample::ADATUM_MPN, &["teams"]),
        )
        .await;
    let r = t.upload(&id, partner, "sow.pdf", pdf()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    t.ok(&format!("/api/v1/claims/{id}/submit"), partner, json!({}))
        .await;
    // Submitted on Friday 20 November 16:00: five business days end Friday the 27th.
    let (due, etag) = pickup_due(&t, &id).await;
    assert_eq!(due, json!("2026-11-27T16:00:00Z"));
    let path = "/api/v1/admin/holidays";
    let added = call(&t, Method::POST, path, Some(json!({"date": "2026-11-24"}))).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let (due, after) = pickup_due(&t, &id).await;
    assert_eq!(due, json!("2026-11-30T16:00:00Z"), "one business day later");
    assert_eq!(after, etag, "an editor's If-Match stays good");
    let gone = call(&t, Method::DELETE, &format!("{path}/2026-11-24"), None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(pickup_due(&t, &id).await.0, json!("2026-11-27T16:00:00Z"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policy_is_read_and_changed_and_bad_settings_are_named() {
    let t = TestApp::start().await;
    let path = "/api/v1/admin/policy";
    let p = call(&t, Method::GET, path, None).await;
    assert_eq!(p.body["review_pickup_days"], 5);
    let bad = call(
        &t,
        Method::PATCH,
        path,
        Some(json!({"review_pickup_days": 0, "time_zone": "Mars/Olympus", "poe_max_count": 1000})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has_error("review_pickup_days", "value_out_of_range"));
    assert!(bad.has_error("time_zone", "invalid_enum_value"));
    assert!(bad.has_error("poe_max_count", "value_out_of_range"));
    let unknown = call(&t, Method::PATCH, path, Some(json!({"sla": 3}))).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = call(
        &t,
        Method::PATCH,
        path,
        Some(json!({"review_pickup_days": 3, "time_zone": "Europe/Paris"})),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["review_pickup_days"], 3);
    assert_eq!(ok.body["review_decision_days"], 5);
    let r = t.store.reference().await.unwrap();
    assert_eq!(
        (r.policy.review_pickup_days, r.policy.time_zone.as_str()),
        (3, "Europe/Paris")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_are_added_renamed_retired_and_restored() {
    let t = TestApp::start().await;
    let missing = call(
        &t,
        Method::PUT,
        "/api/v1/admin/products/copilot",
        Some(json!({"dynamics_365": false})),
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.has_error("name", "required"));
    assert!(missing.has_error("solution_area", "required"));
    let bad_id = call(
        &t,
        Method::PUT,
        "/api/v1/admin/products/Not-An-Id",
        Some(json!({"name": "X", "solution_area": "microsoft_365"})),
    )
    .await;
    assert!(bad_id.has_error("id", "invalid_format"), "{}", bad_id.body);
    let added = call(
        &t,
        Method::PUT,
        "/api/v1/admin/products/copilot",
        Some(json!({"name": "Copilot", "solution_area": "microsoft_365"})),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let renamed = call(
        &t,
        Method::PUT,
        "/api/v1/admin/products/copilot",
        Some(json!({"name": "Microsoft 365 Copilot"})),
    )
    .await;
    assert_eq!(renamed.body["name"], "Microsoft 365 Copilot");
    assert_eq!(renamed.body["solution_area"], "microsoft_365");
    // Retire teams: a new claim with it is refused, naming the product line.
    let retired = call(
        &t,
        Method::PUT,
        "/api/v1/admin/products/teams",
        Some(json!({"retired": true})),
    )
    .await;
    assert_eq!(retired.body["retired"], true);
    let catalog = t.get("/api/v1/catalog", "adatum:incentives_admin").await;
    let teams = catalog.body["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "teams")
        .cloned()
        .unwrap();
    assert_eq!(teams["retired"], true);
    let refused = t
        .post(
            "/api/v1/claims",
            "adatum:incentives_admin",
            m365("Retired", "1234567", &["teams"]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.has_error("products[0].product", "invalid_state"));
    call(
        &t,
        Method::PUT,
        "/api/v1/admin/products/teams",
        Some(json!({"retired": false})),
    )
    .await;
    t.create(
        "adatum:incentives_admin",
        m365("Back", "1234567", &["teams"]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisations_are_created_renamed_given_locations_and_suspended() {
    let t = TestApp::start().await;
    let base = "/api/v1/admin/organisations";
    let bad = call(
        &t,
        Method::POST,
        base,
        Some(json!({"name": "", "mpn_id": "12"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has_error("name", "required") || bad.errors().iter().any(|(f, _)| f == "name"));
    assert!(
        bad.errors().iter().any(|(f, _)| f == "mpn_id"),
        "{}",
        bad.body
    );
    let taken = call(
        &t,
        Method::POST,
        base,
        Some(json!({"name": "Fabrikam", "mpn_id": "1234567"})),
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.has_error("mpn_id", "duplicate"));
    let made = call(
        &t,
        Method::POST,
        base,
        Some(json!({"name": "Fabrikam", "mpn_id": "5550001"})),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let org = format!("{base}/{}", made.body["id"].as_str().unwrap());
    let renamed = call(
        &t,
        Method::PATCH,
        &org,
        Some(json!({"name": "Fabrikam Group"})),
    )
    .await;
    assert_eq!(renamed.body["name"], "Fabrikam Group");
    let added = call(
        &t,
        Method::POST,
        &format!("{org}/locations"),
        Some(json!({"mpn_id": "5550002", "name": "Porto"})),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED);
    assert_eq!(added.body["locations"].as_array().unwrap().len(), 2);
    let removed = call(
        &t,
        Method::DELETE,
        &format!("{org}/locations/5550002"),
        None,
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let last = call(
        &t,
        Method::DELETE,
        &format!("{org}/locations/5550001"),
        None,
    )
    .await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert!(last.has_error("mpn_id", "invalid_state"));
    // A location a claim names stays.
    t.create(
        "adatum:incentives_admin",
        m365("Uses it", "1234567", &["teams"]),
    )
    .await;
    let adatum = format!("{base}/{}", cpor_domain::sample::adatum().id);
    let used = call(
        &t,
        Method::DELETE,
        &format!("{adatum}/locations/1234567"),
        None,
    )
    .await;
    assert_eq!(used.status, StatusCode::CONFLICT);
    assert!(used.has_error("mpn_id", "conflict"));
    // Suspended: Adatum's tokens stop working; lifted: they work again.
    let s = call(&t, Method::PATCH, &adatum, Some(json!({"suspended": true}))).await;
    assert_eq!(s.body["suspended"], true);
    let refused = t.get("/api/v1/claims", "adatum:incentives_admin").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        t.get("/api/v1/claims", "litware:incentives_admin")
            .await
            .status,
        StatusCode::OK
    );
    call(
        &t,
        Method::PATCH,
        &adatum,
        Some(json!({"suspended": false})),
    )
    .await;
    assert_eq!(
        t.get("/api/v1/claims", "adatum:incentives_admin")
            .await
            .status,
        StatusCode::OK
    );
    let list = call(&t, Method::GET, base, None).await;
    assert_eq!(list.body.as_array().unwrap().len(), 3);
    let unknown = call(&t, Method::GET, &format!("{base}/nope"), None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_invited_given_roles_disabled_and_their_tokens_revoked() {
    let t = TestApp::start().await;
    let adatum = cpor_domain::sample::adatum().id;
    let users = format!("/api/v1/admin/organisations/{adatum}/users");
    let wrong_side = call(
        &t,
        Method::POST,
        &users,
        Some(json!({"name": "Ana", "email": "ana@adatum.example", "role": "reviewer"})),
    )
    .await;
    assert_eq!(wrong_side.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_side.has_error("role", "invalid_enum_value"));
    let bad = call(&t, Method::POST, &users, Some(json!({"email": "x"}))).await;
    assert!(bad.errors().iter().any(|(f, _)| f == "email"));
    assert!(bad.has_error("name", "required"));
    let invited = call(
        &t,
        Method::POST,
        &users,
        Some(json!({"name": "Ana", "email": "ana@adatum.example", "role": "billing_admin"})),
    )
    .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    assert_eq!(invited.body["invited"], true);
    assert!(
        t.outbox().iter().any(|m| m.contains("ana@adatum.example")),
        "an invitation e-mail"
    );
    let op = call(
        &t,
        Method::POST,
        "/api/v1/admin/organisations/operator/users",
        Some(json!({"name": "Rui", "email": "rui@op.example", "role": "reviewer"})),
    )
    .await;
    assert_eq!(op.status, StatusCode::CREATED, "{}", op.body);
    assert_eq!(op.body["org_id"], Value::Null);
    // The incentives admin of the test world: role, disable, tokens.
    let listed = call(&t, Method::GET, &users, None).await;
    let target = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "incentives_admin")
        .cloned()
        .unwrap();
    let user = format!("/api/v1/admin/users/{}", target["id"].as_str().unwrap());
    let role = call(
        &t,
        Method::PATCH,
        &user,
        Some(json!({"role": "program_admin"})),
    )
    .await;
    assert!(role.has_error("role", "invalid_enum_value"));
    let tokens = call(&t, Method::GET, &format!("{user}/tokens"), None).await;
    let token_id = tokens.body[0]["id"].as_str().unwrap().to_string();
    let revoked = call(
        &t,
        Method::DELETE,
        &format!("{user}/tokens/{token_id}"),
        None,
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        t.get("/api/v1/claims", "adatum:incentives_admin")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let disabled = call(&t, Method::PATCH, &user, Some(json!({"disabled": true}))).await;
    assert_eq!(disabled.body["disabled"], true);
    // A program admin cannot disable themself.
    let me = t
        .store
        .users(None)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == cpor_domain::Role::ProgramAdmin)
        .unwrap();
    let myself = call(
        &t,
        Method::PATCH,
        &format!("/api/v1/admin/users/{}", me.id),
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(myself.status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_directory_import_reports_first_and_imports_nothing_while_a_row_is_refused() {
    let t = TestApp::start().await;
    let path = "/api/v1/admin/directory/import";
    let new_tenant = "0f0e0d0c-0b0a-4909-8807-060504030201";
    let tenants =
        format!("tenant_id,domain\n{new_tenant},northwind.example\nnot-a-guid,x.example\n");
    let report = call(
        &t,
        Method::POST,
        &format!("{path}?dry_run=true"),
        Some(json!({"tenants_csv": tenants})),
    )
    .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert_eq!(report.body["imported"], false);
    assert_eq!(report.body["added"], json!([new_tenant]));
    assert_eq!(report.body["refused"][0]["line"], 3);
    // Not a dry run, but a row is refused: nothing imported.
    let refused = call(
        &t,
        Method::POST,
        path,
        Some(json!({"tenants_csv": tenants})),
    )
    .await;
    assert_eq!(refused.body["imported"], false);
    assert!(
        t.store
            .tenant(
                <cpor_domain::values::TenantId as cpor_domain::values::Parse>::parse(new_tenant)
                    .unwrap()
            )
            .await
            .unwrap()
            .is_none()
    );
    let good = format!("tenant_id,domain\n{new_tenant},northwind.example\n");
    let done = call(&t, Method::POST, path, Some(json!({"tenants_csv": good}))).await;
    assert_eq!(done.body["imported"], true, "{}", done.body);
    assert!(
        t.store
            .tenant(
                <cpor_domain::values::TenantId as cpor_domain::values::Parse>::parse(new_tenant)
                    .unwrap()
            )
            .await
            .unwrap()
            .is_some()
    );
    let missing = call(&t, Method::POST, path, Some(json!({}))).await;
    assert!(missing.has_error("tenants_csv", "required"));
    let bad_flag = call(
        &t,
        Method::POST,
        &format!("{path}?dry_run=maybe"),
        Some(json!({"tenants_csv": good})),
    )
    .await;
    assert!(bad_flag.has_error("dry_run", "invalid_enum_value"));
}
