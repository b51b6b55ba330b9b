//! Bad input (docs/product.md, bad input and failure): every rule answers a 4xx naming the
//! field and the rule, and the database is unchanged afterwards.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::sample;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::*;

const ADMIN: &str = "adatum:incentives_admin";
const REVIEWER: &str = "operator:reviewer";

/// Everything a request could have changed: the claims and their histories.
async fn snapshot(t: &TestApp) -> Value {
    let list = t
        .get("/api/v1/claims?limit=200", "operator:program_admin")
        .await
        .body;
    let mut out = Vec::new();
    for c in list["items"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let h = t
            .get(
                &format!("/api/v1/claims/{id}/history?limit=200"),
                "operator:program_admin",
            )
            .await
            .body;
        out.push(json!({"claim": c, "history": h}));
    }
    Value::Array(out)
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn ba(lines: Value) -> Value {
    let mut v = serde_json::to_value(sample::bizapps_claim(
        "BA",
        sample::ADATUM_MPN,
        sample::CONTOSO,
        "contoso.com",
        "usage",
        "dynamics_365_sales",
        sample::CONTOSO_SALES,
    ))
    .unwrap();
    v["products"] = lines;
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_claim_body_names_the_field_and_changes_nothing() {
    let t = TestApp::start().await;
    let existing = t
        .under_review(ADMIN, m365("Existing", "1234567", &["teams"]))
        .await;
    let base = m365("Claim", "1234567", &["intune"]);
    let cases: Vec<(Value, &str, &str)> = vec![
        (with(base.clone(), json!({"name": ""})), "name", "required"),
        (
            with(base.clone(), json!({"name": "x".repeat(101)})),
            "name",
            "value_out_of_range",
        ),
        (
            with(base.clone(), json!({"mpn_id": "12ab"})),
            "mpn_id",
            "invalid_format",
        ),
        (
            with(base.clone(), json!({"mpn_id": "2345678"})),
            "mpn_id",
            "mpn_id_not_in_organisation",
        ),
        (
            with(base.clone(), json!({"tenant_id": "not-a-guid"})),
            "tenant_id",
            "invalid_format",
        ),
        (
            with(
                base.clone(),
                json!({"tenant_id": "11111111-2222-4333-8444-555555555555"}),
            ),
            "tenant_id",
            "not_found",
        ),
        (
            with(base.clone(), json!({"domain": "fabrikam.com"})),
            "domain",
            "domain_not_in_tenant",
        ),
        (
            with(base.clone(), json!({"domain": "not a domain"})),
            "domain",
            "invalid_format",
        ),
        (
            with(base.clone(), json!({"solution_area": "azure"})),
            "solution_area",
            "invalid_enum_value",
        ),
        (
            with(base.clone(), json!({"activity": "pre_sales"})),
            "activity",
            "activity_not_in_solution_area",
        ),
        (
            with(
                base.clone(),
                json!({"products": [{"product": "teams"}, {"product": "teams"}]}),
            ),
            "products[1].product",
            "duplicate",
        ),
        (
            with(
                base.clone(),
                json!({"products": [{"product": "power_apps"}]}),
            ),
            "products[0].product",
            "product_not_in_solution_area",
        ),
        (
            with(
                base.clone(),
                json!({"products": [{"product": "solitaire"}]}),
            ),
            "products[0].product",
            "invalid_enum_value",
        ),
        (
            with(base.clone(), json!({"products": [{"product": 5}]})),
            "products[0].product",
            "invalid_format",
        ),
        (
            with(
                base.clone(),
                json!({"customer_contact": {"name": "A", "title": "B", "email": "nope"}}),
            ),
            "customer_contact.email",
            "invalid_format",
        ),
        (
            with(
                base.clone(),
                json!({"customer_contact": {"name": "A", "email": "a@contoso.com"}}),
            ),
            "customer_contact.title",
            "required",
        ),
        (
            with(base.clone(), json!({"status": "approved"})),
            "status",
            "not_applicable",
        ),
        (
            with(
                base.clone(),
                json!({"revenue": {"solution_seller_name": "a", "customer_name": "b", "isv_product_name": "c"}}),
            ),
            "revenue",
            "not_applicable",
        ),
        (
            ba(json!([{"product": "dynamics_365_sales"}])),
            "products[0].subscription_id",
            "subscription_required",
        ),
        (
            ba(
                json!([{"product": "dynamics_365_sales", "subscription_id": sample::FABRIKAM_SERVICE}]),
            ),
            "products[0].subscription_id",
            "subscription_not_in_tenant",
        ),
        (
            ba(
                json!([{"product": "dynamics_365_sales", "subscription_id": sample::CONTOSO_FINANCE}]),
            ),
            "products[0].subscription_id",
            "subscription_product_mismatch",
        ),
        (
            ba(json!([{"product": "power_apps"}])),
            "products[0].subscription_id",
            "subscription_not_active",
        ),
        (
            ba(json!([{"product": "power_bi_pro"}])),
            "products[0].subscription_id",
            "subscription_is_csp",
        ),
        (
            ba(json!([{"product": "dynamics_365_field_service"}])),
            "products[0].subscription_id",
            "no_subscription",
        ),
    ];
    let before = snapshot(&t).await;
    for (body, field, code) in cases {
        let r = t.post("/api/v1/claims", ADMIN, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}/{code}: {}",
            r.body
        );
        assert!(
            r.has_error(field, code),
            "expected {field}/{code}, got {:?}",
            r.errors()
        );
        assert_eq!(r.headers["content-type"], "application/problem+json");
        assert!(!r.body["errors"][0]["message"].as_str().unwrap().is_empty());
    }
    // Bad bodies of every other request.
    let c = format!("/api/v1/claims/{existing}");
    let transitions: Vec<(&str, &str, Value, &str, &str)> = vec![
        (
            "request-info",
            REVIEWER,
            json!({"reasons": [], "comment": "x"}),
            "reasons",
            "not_enough_values",
        ),
        (
            "request-info",
            REVIEWER,
            json!({"reasons": ["bogus"], "comment": "x"}),
            "reasons[0]",
            "invalid_enum_value",
        ),
        (
            "request-info",
            REVIEWER,
            json!({"reasons": ["missing_poe"]}),
            "comment",
            "required",
        ),
        (
            "reject",
            REVIEWER,
            json!({"reasons": ["partner_request"], "comment": "x"}),
            "reasons[0]",
            "invalid_enum_value",
        ),
        (
            "reject",
            REVIEWER,
            json!({"reasons": "insufficient_poe", "comment": "x"}),
            "reasons",
            "invalid_format",
        ),
        (
            "reject",
            REVIEWER,
            json!({"reasons": ["insufficient_poe"], "comment": "x".repeat(4001)}),
            "comment",
            "value_out_of_range",
        ),
    ];
    for (path, who, body, field, code) in transitions {
        let r = t.post(&format!("{c}/review/{path}"), who, body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            r.body
        );
        assert!(
            r.has_error(field, code),
            "{path}: expected {field}/{code}, got {:?}",
            r.errors()
        );
    }
    let r = t
        .post(&format!("{c}/comments"), ADMIN, json!({"body": ""}))
        .await;
    assert!(r.has_error("body", "required"));
    let r = t
        .post(
            &format!("{c}/comments"),
            ADMIN,
            json!({"body": "x", "thread": "dispute"}),
        )
        .await;
    assert!(
        r.has_error("thread", "invalid_state"),
        "no dispute yet: {:?}",
        r.errors()
    );
    let r = t
        .send(
            Method::POST,
            &format!("{c}/comments"),
            Some(ADMIN),
            None,
            &[],
        )
        .await;
    assert!(r.has_error("body", "required"));
    let r = t
        .client
        .post(format!("{}{c}/comments", t.base))
        .bearer_auth(t.token(ADMIN))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .send(
            Method::PATCH,
            &c,
            Some(ADMIN),
            Some(json!({"mpn_id": "7654321"})),
            &[("If-Match", "soon")],
        )
        .await;
    assert!(r.has_error("If-Match", "invalid_format"));
    for q in [
        "status=bogus",
        "phase=over",
        "limit=0",
        "limit=500",
        "cursor=xyz",
        "tenant_id=nope",
        "mpn_id=1",
    ] {
        let r = t.get(&format!("/api/v1/claims?{q}"), ADMIN).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(r.errors().len(), 1, "{q}");
    }
    let r = t.get("/api/v1/directory/lookup?domain=nope", ADMIN).await;
    assert!(r.has_error("domain", "invalid_format"));
    let r = t
        .get(
            "/api/v1/association-keys/check?tenant_id=x&program=osu_m365",
            ADMIN,
        )
        .await;
    assert!(r.has_error("tenant_id", "invalid_format") && r.has_error("product", "required"));
    assert_eq!(snapshot(&t).await, before, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transition_from_the_wrong_status_is_a_409_and_changes_nothing() {
    let t = TestApp::start().await;
    let id = t.create(ADMIN, m365("Draft", "1234567", &["teams"])).await;
    let before = snapshot(&t).await;
    let r = t
        .post(
            &format!("/api/v1/claims/{id}/review/approve"),
            REVIEWER,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.has_error("status", "invalid_state"));
    let r = t
        .post(&format!("/api/v1/claims/{id}/submit"), ADMIN, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has_error("poe", "not_enough_values"));
    assert_eq!(snapshot(&t).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_checked_by_content_and_size() {
    let t = TestApp::start().await;
    let id = t.create(ADMIN, m365("Files", "1234567", &["teams"])).await;
    let before = snapshot(&t).await;
    let png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    let r = t.upload(&id, ADMIN, "sow.pdf", png).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has_error("file", "invalid_format"));
    let r = t.upload(&id, ADMIN, "run.exe", pdf()).await;
    assert!(r.has_error("file", "invalid_enum_value"));
    let mut big = pdf();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let r = t.upload(&id, ADMIN, "big.pdf", big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(snapshot(&t).await, before);
    let blobs = walk(&t.dir.path().join("blobs"));
    assert_eq!(blobs, 0, "no file is kept for a refused upload");
    // Twenty documents at most.
    for i in 0..20 {
        let r = t.upload(&id, ADMIN, &format!("sow{i}.pdf"), pdf()).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = t.upload(&id, ADMIN, "one-too-many.pdf", pdf()).await;
    assert!(r.has_error("file", "too_many_values"), "{:?}", r.errors());
    assert_eq!(walk(&t.dir.path().join("blobs")), 20);
}

fn walk(dir: &std::path::Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.filter_map(Result::ok)
        .map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_answers_the_first_response_again() {
    let t = TestApp::start().await;
    let body = m365("Once", "1234567", &["teams"]);
    let key = [("Idempotency-Key", "create-once-1")];
    let first = t
        .send(
            Method::POST,
            "/api/v1/claims",
            Some(ADMIN),
            Some(body.clone()),
            &key,
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = t
        .send(
            Method::POST,
            "/api/v1/claims",
            Some(ADMIN),
            Some(body.clone()),
            &key,
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body, "the same response");
    let list = t.get("/api/v1/claims", ADMIN).await;
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        1,
        "created once"
    );
    let other = t
        .send(
            Method::POST,
            "/api/v1/claims",
            Some(ADMIN),
            Some(m365("Twice", "1234567", &["teams"])),
            &key,
        )
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(other.has_error("Idempotency-Key", "conflict"));
    // Transitions too.
    let id = first.body["id"].as_str().unwrap();
    t.upload(id, ADMIN, "sow.pdf", pdf()).await;
    let k = [("Idempotency-Key", "submit-1")];
    let a = t
        .send(
            Method::POST,
            &format!("/api/v1/claims/{id}/submit"),
            Some(ADMIN),
            Some(json!({})),
            &k,
        )
        .await;
    let b = t
        .send(
            Method::POST,
            &format!("/api/v1/claims/{id}/submit"),
            Some(ADMIN),
            Some(json!({})),
            &k,
        )
        .await;
    assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(a.body, b.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_describes_and_reports_itself() {
    let t = TestApp::start().await;
    let doc = t
        .send(Method::GET, "/api/openapi.json", None, None, &[])
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    for p in [
        "/api/v1/claims",
        "/api/v1/claims/{id}/review/approve",
        "/api/v1/consent/{token}/decline",
        "/api/v1/claims/{id}/poe",
    ] {
        assert!(
            doc.body["paths"].get(p).is_some(),
            "{p} missing from the OpenAPI document"
        );
    }
    let ui = t
        .client
        .get(format!("{}/api/docs/", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ui.status(), StatusCode::OK);
    assert!(
        ui.text().await.unwrap().contains("swagger"),
        "docs served from the binary"
    );
    assert_eq!(
        t.send(Method::GET, "/healthz", None, None, &[])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        t.send(Method::GET, "/readyz", None, None, &[]).await.status,
        StatusCode::OK
    );
    t.get("/api/v1/claims", ADMIN).await;
    let m = t
        .client
        .get(format!("{}/metrics", t.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("cpor_http_requests_total"), "{m}");
    assert!(m.contains("cpor_jobs_due"));
}
