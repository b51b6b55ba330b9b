//! The seams an attacker or a careless client reaches first: ids in other spellings,
//! bodies and query strings of the wrong kind or size, foreign origins, unknown routes,
//! the metrics endpoint, and what a failure's answer may say.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::*;

const ADMIN: &str = "adatum:incentives_admin";

/// The claim id written in upper case, in braces, and without hyphens.
fn spellings(id: &str) -> [String; 3] {
    [id.to_uppercase(), format!("{{{id}}}"), id.replace('-', "")]
}

fn blob_files(t: &TestApp) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| {
                        if e.path().is_dir() {
                            walk(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(&t.dir.path().join("blobs"))
}

fn is_problem(r: &Reply) -> bool {
    r.headers
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
        && r.body["errors"].is_array()
        && r.body["status"].as_u64() == Some(r.status.as_u16() as u64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poe_sent_through_any_spelling_of_the_claim_id_can_be_downloaded_and_removed() {
    let t = TestApp::start().await;
    let id = t
        .create(ADMIN, m365("Spellings", "1234567", &["teams"]))
        .await;
    for spelling in spellings(&id) {
        let r = t.upload(&spelling, ADMIN, "sow.pdf", pdf()).await;
        assert_eq!(r.status, StatusCode::OK, "{spelling}: {}", r.body);
    }
    let claim = t.claim(&id).await;
    let poe: Vec<String> = claim["poe"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(poe.len(), 3);
    for p in &poe {
        let r = t
            .client
            .get(format!("{}/api/v1/claims/{id}/poe/{p}", t.base))
            .bearer_auth(t.token(ADMIN))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "download of {p}");
        assert_eq!(r.bytes().await.unwrap().as_ref(), pdf().as_slice());
    }
    assert_eq!(blob_files(&t), 3);
    // Removal through another spelling takes the file too.
    let r = t
        .send(
            Method::DELETE,
            &format!("/api/v1/claims/{}/poe/{}", id.to_uppercase(), poe[0]),
            Some(ADMIN),
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    t.run_jobs().await;
    assert_eq!(blob_files(&t), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_draft_removes_its_files() {
    let t = TestApp::start().await;
    let id = t
        .create(ADMIN, m365("Deleted", "1234567", &["teams"]))
        .await;
    t.upload(&id, ADMIN, "a.pdf", pdf()).await;
    t.upload(&id, ADMIN, "b.pdf", pdf()).await;
    assert_eq!(blob_files(&t), 2);
    let r = t
        .send(
            Method::DELETE,
            &format!("/api/v1/claims/{id}"),
            Some(ADMIN),
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    t.run_jobs().await;
    assert_eq!(blob_files(&t), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_strings_are_strict_and_bounded() {
    let t = TestApp::start().await;
    let long = "x".repeat(50_000);
    for (query, field, code) in [
        (format!("q={long}"), "q", "value_out_of_range"),
        ("dispute=open".to_string(), "dispute", "not_applicable"),
        (
            "status=draft&status=submitted".to_string(),
            "status",
            "too_many_values",
        ),
        ("limit=201".to_string(), "limit", "value_out_of_range"),
        ("cursor=garbage".to_string(), "cursor", "invalid_format"),
    ] {
        let r = t.get(&format!("/api/v1/claims?{query}"), ADMIN).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(is_problem(&r), "{field}: {:?}", r.headers);
        assert!(r.has_error(field, code), "{field}: {:?}", r.errors());
    }
    let r = t
        .get("/api/v1/review/queue?page=2", "operator:reviewer")
        .await;
    assert!(r.has_error("page", "not_applicable"), "{:?}", r.errors());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_body_must_say_it_is_json() {
    let t = TestApp::start().await;
    let body = serde_json::to_string(&m365("Typed", "1234567", &["teams"])).unwrap();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut req = t
            .client
            .post(format!("{}/api/v1/claims", t.base))
            .bearer_auth(t.token(ADMIN))
            .body(body.clone());
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        let r = reply(req).await;
        assert_eq!(
            r.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert!(is_problem(&r));
        assert!(r.has_error("Content-Type", "invalid_format"));
    }
    let list = t.get("/api/v1/claims", ADMIN).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
    // With its type it is accepted.
    let r = reply(
        t.client
            .post(format!("{}/api/v1/claims", t.base))
            .bearer_auth(t.token(ADMIN))
            .header("Content-Type", "application/json; charset=utf-8")
            .body(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn reply(req: reqwest::RequestBuilder) -> Reply {
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        headers,
        body,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_is_problem_json() {
    let t = TestApp::start().await;
    let id = t
        .create(ADMIN, m365("Refusals", "1234567", &["teams"]))
        .await;
    let base = &t.base;
    let auth = t.token(ADMIN).to_string();
    // The server answers a refused body without reading it all and closes that
    // connection: each case gets a connection of its own.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let cases: Vec<(&str, reqwest::RequestBuilder, StatusCode)> = vec![
        (
            "oversized JSON body",
            client
                .post(format!("{base}/api/v1/claims"))
                .bearer_auth(&auth)
                .header("Content-Type", "application/json")
                .body(format!("{{\"name\": \"{}\"}}", "x".repeat(300 * 1024))),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "non-multipart upload",
            client
                .post(format!("{base}/api/v1/claims/{id}/poe"))
                .bearer_auth(&auth)
                .header("Content-Type", "application/pdf")
                .body(pdf()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "unknown route",
            client.get(format!("{base}/no/such/thing")),
            StatusCode::NOT_FOUND,
        ),
        (
            "wrong method",
            client
                .put(format!("{base}/api/v1/claims"))
                .bearer_auth(&auth),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "invalid UTF-8 in the path",
            client
                .get(format!("{base}/api/v1/claims/%FF%FE"))
                .bearer_auth(&auth),
            StatusCode::NOT_FOUND,
        ),
        (
            "malformed claim id",
            client
                .get(format!("{base}/api/v1/claims/not-an-id/history"))
                .bearer_auth(&auth),
            StatusCode::NOT_FOUND,
        ),
        (
            "no token",
            client.get(format!("{base}/api/v1/claims")),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "a JSON array as a body",
            client
                .post(format!("{base}/api/v1/claims"))
                .bearer_auth(&auth)
                .header("Content-Type", "application/json")
                .body("[1, 2]"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (what, req, status) in cases {
        let r = reply(req).await;
        assert_eq!(r.status, status, "{what}: {}", r.body);
        assert!(is_problem(&r), "{what}: {:?} {}", r.headers, r.body);
        assert!(
            !r.body["errors"].as_array().unwrap().is_empty(),
            "{what} names what is wrong"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_file_store_answers_503_without_internals() {
    let t = TestApp::start().await;
    let id = t.create(ADMIN, m365("Broken", "1234567", &["teams"])).await;
    let r = t.upload(&id, ADMIN, "sow.pdf", pdf()).await;
    let poe = r.body["poe"][0]["id"].as_str().unwrap().to_string();
    // The stored file turns into a symbolic link to itself: the store fails to read it.
    let file = t.dir.path().join("blobs/poe").join(&id).join(&poe);
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&file, &file).unwrap();
    let r = t
        .get(&format!("/api/v1/claims/{id}/poe/{poe}"), ADMIN)
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "try again later");
    assert!(is_problem(&r), "{:?}", r.headers);
    let text = r.body.to_string();
    assert!(!text.contains("blobs"), "no paths in the answer: {text}");
    assert!(!text.contains(&poe), "no internals in the answer: {text}");
    assert!(r.headers.get("x-request-id").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_answers_500_without_internals() {
    let t = TestApp::start().await;
    if t.store.backend() != "sqlite" {
        return; // the claim's row is damaged through SQLite below
    }
    let id = t.create(ADMIN, m365("Broken", "1234567", &["teams"])).await;
    // A stored claim the code cannot read: a failure below the handler.
    let db = rusqlite::Connection::open(t.dir.path().join(cpor_store::sqlite::DB_FILE)).unwrap();
    db.execute(
        "UPDATE claims SET state = '{\"not\": \"a claim\"}' WHERE id = ?1",
        [&id],
    )
    .unwrap();
    let r = t.get(&format!("/api/v1/claims/{id}"), ADMIN).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    assert!(is_problem(&r), "{:?}", r.headers);
    let text = r.body.to_string();
    assert!(
        !text.contains("state") && !text.contains("missing field"),
        "no internals: {text}"
    );
    assert!(r.headers.get("x-request-id").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invented_methods_add_no_metric_series() {
    let t = TestApp::start().await;
    for i in 0..5 {
        let m = Method::from_bytes(format!("BREW{i}").as_bytes()).unwrap();
        t.client
            .request(m, format!("{}/api/v1/claims", t.base))
            .send()
            .await
            .unwrap();
    }
    let m = t
        .client
        .get(format!("{}/metrics", t.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!m.contains("BREW"), "{m}");
    assert!(m.contains("method=\"other\""), "{m}");
    // Latencies are histograms (buckets add up across processes), not summaries.
    assert!(
        m.contains("# TYPE cpor_http_request_duration_seconds histogram"),
        "{m}"
    );
    assert!(
        m.contains("cpor_http_request_duration_seconds_bucket{"),
        "{m}"
    );
    assert!(!m.contains("quantile=\""), "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_answers_carry_security_headers_and_consent_is_never_cached() {
    let t = TestApp::start().await;
    let docs = reply(t.client.get(format!("{}/api/docs/", t.base))).await;
    assert_eq!(docs.status, StatusCode::OK);
    let csp = docs.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(docs.headers["x-content-type-options"], "nosniff");
    assert!(docs.headers.get("referrer-policy").is_some());

    let (id, link) = approved_with_link(&t).await;
    let page = reply(t.client.get(format!("{}{link}", t.base))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers["cache-control"], "no-store");
    assert_eq!(page.headers["referrer-policy"], "no-referrer");
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(t.claim(&id).await["phase"], "consent_pending");
}

/// An approved claim and the path of its consent link, read from the e-mail.
async fn approved_with_link(t: &TestApp) -> (String, String) {
    let id = t
        .under_review(ADMIN, m365("Consent", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/approve"),
        "operator:reviewer",
        json!({}),
    )
    .await;
    t.run_jobs().await;
    let link = t
        .outbox()
        .iter()
        .find_map(|m| {
            let at = m.find("/consent/")?;
            let rest = &m[at..];
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
                .unwrap_or(rest.len());
            Some(rest[..end].to_string())
        })
        .expect("a consent e-mail with its link");
    (id, link)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decline_from_another_site_is_refused_on_the_page_and_the_api() {
    let t = TestApp::start().await;
    let (id, link) = approved_with_link(&t).await;
    let token = link.trim_start_matches("/consent/");
    for path in [
        format!("/consent/{token}/decline"),
        format!("/api/v1/consent/{token}/decline"),
    ] {
        let r = reply(
            t.client
                .post(format!("{}{path}", t.base))
                .header("Origin", "https://evil.example"),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(is_problem(&r));
    }
    assert_eq!(t.claim(&id).await["phase"], "consent_pending");
    // From the service's own origin the API's decline goes through.
    let r = reply(
        t.client
            .post(format!("{}/api/v1/consent/{token}/decline", t.base))
            .header("Origin", "http://cpor.test"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(t.claim(&id).await["status"], "rejected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_answer() {
    let t = TestApp::start().await;
    let doc = t
        .send(Method::GET, "/api/openapi.json", None, None, &[])
        .await
        .body;
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            let public = path.contains("consent");
            let mut expected = vec!["422", "500", "503"];
            if !public {
                expected.extend(["401", "403"]);
            }
            if path.contains('{') {
                expected.push("404");
            }
            if op.get("requestBody").is_some() {
                expected.extend(["413", "415"]);
            }
            for status in expected {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} does not list {status}"
                );
            }
            for (status, answer) in responses {
                if status.as_str() >= "400" {
                    let types: Vec<&String> =
                        answer["content"].as_object().unwrap().keys().collect();
                    assert_eq!(
                        types,
                        ["application/problem+json"],
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
    assert!(operations >= 28, "{operations}");
    let schemas = &doc["components"]["schemas"];
    let new_claim = &schemas["NewClaimBody"];
    let required: Vec<&str> = new_claim["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for f in [
        "name",
        "mpn_id",
        "tenant_id",
        "domain",
        "solution_area",
        "activity",
    ] {
        assert!(required.contains(&f), "{f} is required");
    }
    assert!(
        new_claim["properties"]["name"]["example"].is_string()
            || new_claim["properties"]["name"]["examples"].is_array()
    );
    let reasons = schemas["ReasonsBody"]["properties"]["reasons"]["items"]["enum"]
        .as_array()
        .unwrap();
    assert!(reasons.iter().any(|r| r == "missing_poe"));
    let upload = &doc["paths"]["/api/v1/claims/{id}/poe"]["post"]["requestBody"]["content"]["multipart/form-data"]
        ["schema"];
    let upload = match upload.get("$ref").and_then(Value::as_str) {
        Some(r) => &schemas[r.rsplit('/').next().unwrap()],
        None => upload,
    };
    assert_eq!(upload["properties"]["file"]["format"], "binary", "{upload}");
}
