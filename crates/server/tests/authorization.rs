//! Every route with every role, with another organisation's token and with none: who may
//! (never 401/403/404), who may not (403 for a role, 404 for another organisation's claim,
//! 401 without a valid token).
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::*;

const PARTNER_ROLES: [&str; 4] = [
    "global_admin",
    "incentives_admin",
    "incentives_user",
    "billing_admin",
];
const OPERATOR_ROLES: [&str; 3] = ["reviewer", "support_agent", "program_admin"];

struct Route {
    method: Method,
    path: String,
    body: Option<serde_json::Value>,
    /// Roles allowed (partner roles of the claim's organisation, operator roles).
    allowed: &'static [&'static str],
    claim_scoped: bool,
}

fn route(
    method: Method,
    path: String,
    body: Option<serde_json::Value>,
    allowed: &'static [&'static str],
    claim_scoped: bool,
) -> Route {
    Route {
        method,
        path,
        body,
        allowed,
        claim_scoped,
    }
}

const EVERYONE: &[&str] = &[
    "global_admin",
    "incentives_admin",
    "incentives_user",
    "billing_admin",
    "reviewer",
    "support_agent",
    "program_admin",
];
const MANAGERS: &[&str] = &["global_admin", "incentives_admin"];
const ADMINS: &[&str] = &["program_admin"];
const POE: &[&str] = &["global_admin", "incentives_admin", "incentives_user"];
const COMMENTERS: &[&str] = &[
    "global_admin",
    "incentives_admin",
    "incentives_user",
    "reviewer",
    "support_agent",
];
const REVIEWERS: &[&str] = &["reviewer"];
const SUPPORT: &[&str] = &["support_agent"];
const OPERATORS: &[&str] = &["reviewer", "support_agent", "program_admin"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_role_as_spec_section_1_says() {
    let t = TestApp::start().await;
    let id = t
        .create(
            "adatum:incentives_admin",
            m365("Auth", "1234567", &["teams"]),
        )
        .await;
    let up = t
        .upload(&id, "adatum:incentives_admin", "sow.pdf", pdf())
        .await;
    let poe = up.body["poe"][0]["id"].as_str().unwrap().to_string();
    let adatum = cpor_domain::sample::adatum().id;
    let admin_org = format!("/api/v1/admin/organisations/{adatum}");
    let some_user = t.store.users(Some(adatum)).await.unwrap()[0].id;
    let admin_user = format!("/api/v1/admin/users/{some_user}");
    let c = format!("/api/v1/claims/{id}");
    let tenant = cpor_domain::sample::CONTOSO;
    let routes = vec![
        route(Method::GET, "/api/v1/claims".into(), None, EVERYONE, false),
        route(
            Method::POST,
            "/api/v1/claims".into(),
            Some(m365("New", "1234567", &["intune"])),
            MANAGERS,
            false,
        ),
        route(Method::GET, c.clone(), None, EVERYONE, true),
        route(
            Method::PATCH,
            c.clone(),
            Some(json!({"name": "Renamed"})),
            MANAGERS,
            true,
        ),
        route(Method::GET, format!("{c}/history"), None, EVERYONE, true),
        route(Method::GET, format!("{c}/comments"), None, EVERYONE, true),
        route(
            Method::POST,
            format!("{c}/comments"),
            Some(json!({"body": "hi"})),
            COMMENTERS,
            true,
        ),
        route(Method::GET, format!("{c}/poe/{poe}"), None, EVERYONE, true),
        route(
            Method::POST,
            format!("{c}/submit"),
            Some(json!({})),
            MANAGERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/resubmit"),
            Some(json!({})),
            MANAGERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/withdraw"),
            Some(json!({})),
            MANAGERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/disassociate"),
            Some(json!({"reason": "x"})),
            MANAGERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/dispute"),
            Some(json!({"details": "x"})),
            MANAGERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/dispute/start"),
            Some(json!({})),
            SUPPORT,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/dispute/resolve"),
            Some(json!({"outcome": "denied", "comment": "x"})),
            SUPPORT,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/review/start"),
            Some(json!({})),
            REVIEWERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/review/take"),
            Some(json!({})),
            REVIEWERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/review/request-info"),
            Some(json!({"reasons": ["missing_poe"], "comment": "x"})),
            REVIEWERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/review/approve"),
            Some(json!({})),
            REVIEWERS,
            true,
        ),
        route(
            Method::POST,
            format!("{c}/review/reject"),
            Some(json!({"reasons": ["insufficient_poe"], "comment": "x"})),
            REVIEWERS,
            true,
        ),
        route(
            Method::DELETE,
            format!("{c}/poe/{poe}"),
            None,
            MANAGERS,
            true,
        ),
        route(Method::DELETE, c.clone(), None, MANAGERS, true),
        route(
            Method::GET,
            "/api/v1/review/queue".into(),
            None,
            OPERATORS,
            false,
        ),
        route(Method::GET, "/api/v1/jobs".into(), None, OPERATORS, false),
        route(
            Method::GET,
            format!(
                "/api/v1/associations/lookup?tenant_id={}",
                cpor_domain::sample::CONTOSO
            ),
            None,
            &[
                "global_admin",
                "incentives_admin",
                "billing_admin",
                "program_admin",
            ],
            false,
        ),
        route(
            Method::GET,
            "/api/v1/associations/changes".into(),
            None,
            &["program_admin"],
            false,
        ),
        route(
            Method::GET,
            "/api/v1/associations/export.csv".into(),
            None,
            &["program_admin"],
            false,
        ),
        route(Method::GET, "/api/v1/catalog".into(), None, EVERYONE, false),
        // Program administration: program admins only. Bodies are refused (422) for the
        // admin, so the matrix changes nothing; DELETEs name nothing that exists.
        route(
            Method::GET,
            "/api/v1/admin/holidays".into(),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::POST,
            "/api/v1/admin/holidays".into(),
            Some(json!({"date": "not a date"})),
            ADMINS,
            false,
        ),
        route(
            Method::DELETE,
            "/api/v1/admin/holidays/2031-01-01".into(),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::GET,
            "/api/v1/admin/policy".into(),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::PATCH,
            "/api/v1/admin/policy".into(),
            Some(json!({"review_pickup_days": 0})),
            ADMINS,
            false,
        ),
        route(
            Method::GET,
            "/api/v1/admin/products".into(),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::PUT,
            "/api/v1/admin/products/copilot".into(),
            Some(json!({"name": ""})),
            ADMINS,
            false,
        ),
        route(
            Method::GET,
            "/api/v1/admin/organisations".into(),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::POST,
            "/api/v1/admin/organisations".into(),
            Some(json!({"name": "", "mpn_id": "x"})),
            ADMINS,
            false,
        ),
        route(Method::GET, admin_org.clone(), None, ADMINS, false),
        route(
            Method::PATCH,
            admin_org.clone(),
            Some(json!({"name": ""})),
            ADMINS,
            false,
        ),
        route(
            Method::POST,
            format!("{admin_org}/locations"),
            Some(json!({"mpn_id": "12"})),
            ADMINS,
            false,
        ),
        route(
            Method::DELETE,
            format!("{admin_org}/locations/99999999"),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::GET,
            format!("{admin_org}/users"),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::POST,
            format!("{admin_org}/users"),
            Some(json!({"name": "X", "email": "not an e-mail", "role": "reviewer"})),
            ADMINS,
            false,
        ),
        route(
            Method::GET,
            "/api/v1/admin/organisations/operator/users".into(),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::PATCH,
            admin_user.clone(),
            Some(json!({"role": "no_such_role"})),
            ADMINS,
            false,
        ),
        route(
            Method::GET,
            format!("{admin_user}/tokens"),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::DELETE,
            format!("{admin_user}/tokens/0000000000000000"),
            None,
            ADMINS,
            false,
        ),
        route(
            Method::POST,
            "/api/v1/admin/directory/import?dry_run=true".into(),
            Some(json!({})),
            ADMINS,
            false,
        ),
        route(
            Method::GET,
            "/api/v1/directory/lookup?domain=contoso.com".into(),
            None,
            EVERYONE,
            false,
        ),
        route(
            Method::GET,
            format!(
                "/api/v1/association-keys/check?tenant_id={tenant}&product=teams&program=osu_m365"
            ),
            None,
            EVERYONE,
            false,
        ),
    ];
    // Mutating routes run last, on copies of the world where they could change it: the
    // checks below only look at the class of the answer, and a refused request changes
    // nothing, so one claim serves all of them except the final DELETEs.
    for r in &routes {
        let mut who: Vec<String> = PARTNER_ROLES
            .iter()
            .map(|p| format!("adatum:{p}"))
            .collect();
        who.extend(OPERATOR_ROLES.iter().map(|o| format!("operator:{o}")));
        for w in &who {
            let role = w.split(':').nth(1).unwrap();
            let allowed = r.allowed.contains(&role);
            if allowed && matches!(r.method, Method::DELETE) {
                continue; // checked below, once
            }
            if allowed && r.method == Method::POST && r.claim_scoped {
                // Transitions by an allowed role may change the claim: run them on a copy.
                continue;
            }
            let reply = t
                .send(
                    r.method.clone(),
                    &r.path,
                    Some(w),
                    r.body.clone(),
                    &[("If-Match", "\"999\"")],
                )
                .await;
            let s = reply.status;
            if allowed {
                assert!(
                    ![
                        StatusCode::UNAUTHORIZED,
                        StatusCode::FORBIDDEN,
                        StatusCode::NOT_FOUND
                    ]
                    .contains(&s),
                    "{} {} as {w}: {s} {}",
                    r.method,
                    r.path,
                    reply.body
                );
            } else {
                assert_eq!(
                    s,
                    StatusCode::FORBIDDEN,
                    "{} {} as {w}: {}",
                    r.method,
                    r.path,
                    reply.body
                );
                assert!(reply.has_error("role", "not_permitted"), "{}", reply.body);
            }
        }
        if r.claim_scoped {
            for role in PARTNER_ROLES {
                let w = format!("litware:{role}");
                let reply = t
                    .send(
                        r.method.clone(),
                        &r.path,
                        Some(&w),
                        r.body.clone(),
                        &[("If-Match", "\"1\"")],
                    )
                    .await;
                let expected = if r.allowed.contains(&role) || r.method == Method::GET {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::FORBIDDEN
                };
                assert!(
                    reply.status == StatusCode::NOT_FOUND || reply.status == expected,
                    "{} {} as {w}: {}",
                    r.method,
                    r.path,
                    reply.status
                );
                assert_ne!(reply.status, StatusCode::OK);
            }
        }
        let anon = t
            .send(r.method.clone(), &r.path, None, r.body.clone(), &[])
            .await;
        assert_eq!(
            anon.status,
            StatusCode::UNAUTHORIZED,
            "{} {} without a token",
            r.method,
            r.path
        );
        let bad = t
            .client
            .request(r.method.clone(), format!("{}{}", t.base, r.path))
            .bearer_auth("cpor_forged")
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    }
    // Allowed transitions on fresh claims: never 401/403/404.
    for r in routes
        .iter()
        .filter(|r| r.method == Method::POST && r.claim_scoped)
    {
        for role in r.allowed {
            let fresh = t
                .create(
                    "adatum:incentives_admin",
                    m365("Fresh", "1234567", &["teams"]),
                )
                .await;
            let path = r.path.replace(&id, &fresh);
            let who = if PARTNER_ROLES.contains(role) {
                format!("adatum:{role}")
            } else {
                format!("operator:{role}")
            };
            let reply = t
                .send(Method::POST, &path, Some(&who), r.body.clone(), &[])
                .await;
            assert!(
                ![
                    StatusCode::UNAUTHORIZED,
                    StatusCode::FORBIDDEN,
                    StatusCode::NOT_FOUND
                ]
                .contains(&reply.status),
                "POST {path} as {who}: {} {}",
                reply.status,
                reply.body
            );
        }
    }
    // Uploads (multipart): managers and incentives users of the organisation.
    for role in EVERYONE {
        let who = if PARTNER_ROLES.contains(role) {
            format!("adatum:{role}")
        } else {
            format!("operator:{role}")
        };
        let r = t.upload(&id, &who, "sow.pdf", pdf()).await;
        let expected = if POE.contains(role) {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(r.status, expected, "upload as {who}");
    }
    for role in PARTNER_ROLES {
        let r = t
            .upload(&id, &format!("litware:{role}"), "sow.pdf", pdf())
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "upload as litware {role}");
    }
    // The claim is still there, untouched by everything refused.
    let claim = t.claim(&id).await;
    assert_eq!(claim["name"], "Auth");
    assert_eq!(claim["status"], "draft");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_list_only_their_organisations_claims() {
    let t = TestApp::start().await;
    t.create(
        "adatum:incentives_admin",
        m365("Mine", "1234567", &["teams"]),
    )
    .await;
    t.create(
        "litware:incentives_admin",
        m365("Theirs", "2345678", &["teams"]),
    )
    .await;
    let mine = t.get("/api/v1/claims", "adatum:billing_admin").await;
    let names: Vec<&str> = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Mine"]);
    let all = t.get("/api/v1/claims", "operator:program_admin").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    // A filter cannot widen the scope.
    let other = t
        .get("/api/v1/claims?mpn_id=2345678", "adatum:global_admin")
        .await;
    assert_eq!(other.body["items"].as_array().unwrap().len(), 0);
}
