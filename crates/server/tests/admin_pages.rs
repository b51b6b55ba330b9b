//! The program admin's pages over HTTP, as a person without JavaScript uses them:
//! holidays, the policy, the catalog, the tenant directory, organisations and the outbox,
//! each running the same administration code as the API; and only program admins see them.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::sample;
use cpor_server::clock::Clock;
use reqwest::StatusCode;
use serde_json::json;
use support::web::{Page, Visitor};
use support::*;

const PROGRAM_ADMIN: &str = "operator:program_admin";

async fn admin(t: &TestApp) -> (Visitor<'_>, Page) {
    let mut v = Visitor::new(t);
    v.sign_in(PROGRAM_ADMIN).await;
    let page = v.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    (v, page)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holiday_added_on_the_admin_page_is_listed() {
    let t = TestApp::start().await;
    let (mut v, page) = admin(&t).await;
    assert!(page.has("href=\"/admin\""), "the operator menu links here");
    let csrf = page.csrf();
    let after = v
        .post(
            "/admin/holidays",
            &[
                ("_csrf", &csrf),
                ("date", "2026-12-25"),
                ("name", "Christmas"),
            ],
        )
        .await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.html);
    assert!(
        after.url.starts_with("/admin?notice=holiday_added"),
        "{}",
        after.url
    );
    assert!(after.has("datetime=\"2026-12-25\""), "{}", after.html);
    assert!(after.has("25 December 2026") && after.has("Christmas"));
    let api = t.get("/api/v1/admin/holidays", PROGRAM_ADMIN).await;
    assert_eq!(api.body[0]["date"], "2026-12-25", "{}", api.body);

    // A date that is not one is refused beside its field.
    let bad = v
        .post(
            "/admin/holidays",
            &[("_csrf", &csrf), ("date", "25/12/2026")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("id=\"holiday-date-error\""), "{}", bad.html);

    // And removed again.
    let removed = v
        .post("/admin/holidays/2026-12-25/remove", &[("_csrf", &csrf)])
        .await;
    assert!(!removed.has("datetime=\"2026-12-25\""), "{}", removed.html);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_field_out_of_range_is_refused_beside_it_and_nothing_changes() {
    let t = TestApp::start().await;
    let (mut v, page) = admin(&t).await;
    let csrf = page.csrf();
    let before = t.get("/api/v1/admin/policy", PROGRAM_ADMIN).await.body;
    let mut form = vec![
        ("_csrf", csrf.as_str()),
        ("review_pickup_days", "0"),
        ("review_decision_days", "6"),
        ("partner_response_days", "5"),
        ("consent_window_days", "7"),
        ("dispute_window_days", "30"),
        ("dispute_resolution_days", "5"),
        ("poe_max_bytes", "10485760"),
        ("poe_max_count", "20"),
        ("time_zone", "Europe/Stockholm"),
        ("support_email", ""),
    ];
    let refused = v.post("/admin/policy", &form).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(
        refused.has("aria-describedby=\"policy-review_pickup_days-error\""),
        "{}",
        refused.html
    );
    assert!(refused.has("id=\"policy-review_pickup_days-error\">This value is out of range."));
    assert!(
        refused.has("name=\"review_pickup_days\" value=\"0\""),
        "the value sent is shown"
    );
    assert!(!refused.has("id=\"policy-review_decision_days-error\""));
    let after = t.get("/api/v1/admin/policy", PROGRAM_ADMIN).await.body;
    assert_eq!(before, after, "nothing changed");
    assert_eq!(after["review_decision_days"], 5);

    form[1] = ("review_pickup_days", "4");
    let saved = v.post("/admin/policy", &form).await;
    assert!(
        saved.url.starts_with("/admin?notice=policy_saved"),
        "{}",
        saved.url
    );
    let after = t.get("/api/v1/admin/policy", PROGRAM_ADMIN).await.body;
    assert_eq!(after["review_pickup_days"], 4);
    assert_eq!(after["time_zone"], "Europe/Stockholm");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retired_product_is_gone_from_the_claim_forms_products_step() {
    let t = TestApp::start().await;
    let id = t
        .create(
            "adatum:incentives_admin",
            m365("Retire", sample::ADATUM_MPN, &["teams"]),
        )
        .await;
    let mut partner = Visitor::new(&t);
    partner.sign_in("adatum:incentives_admin").await;
    let step = format!("/claims/{id}/edit/products");
    assert!(partner.get(&step).await.has("value=\"intune\""));

    let (mut v, page) = admin(&t).await;
    let csrf = page.csrf();
    let retired = v
        .post(
            "/admin/products/intune",
            &[("_csrf", &csrf), ("retired", "true")],
        )
        .await;
    assert!(
        retired.url.starts_with("/admin?notice=product_retired"),
        "{}",
        retired.url
    );
    assert!(retired.has("Retired"), "{}", retired.html);

    let products = partner.get(&step).await;
    assert!(!products.has("value=\"intune\""), "{}", products.html);
    assert!(products.has("value=\"teams\""));

    // Offered again, it comes back.
    v.post(
        "/admin/products/intune",
        &[("_csrf", &csrf), ("retired", "false")],
    )
    .await;
    assert!(partner.get(&step).await.has("value=\"intune\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_directory_file_with_a_bad_row_shows_the_report_and_imports_nothing() {
    let t = TestApp::start().await;
    let (mut v, page) = admin(&t).await;
    let csrf = page.csrf();
    let new_tenant = "0b3c5a1e-1111-4000-8000-00000000abcd";
    let tenants =
        format!("tenant_id,domain\n{new_tenant},fabrikam-new.example\nnot-a-guid,broken.example\n");
    for action in ["check", "import"] {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", csrf.clone())
            .text("action", action)
            .part(
                "tenants",
                reqwest::multipart::Part::bytes(tenants.clone().into_bytes())
                    .file_name("tenants.csv"),
            );
        let report = v.post_multipart("/admin/directory", form).await;
        assert_eq!(
            report.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            report.html
        );
        assert!(report.has("id=\"report-added\">1<"), "{}", report.html);
        assert!(report.has("id=\"report-refused\">1<"), "{}", report.html);
        assert!(
            report.has("<td>Tenants file</td><td>3</td>"),
            "{}",
            report.html
        );
        assert!(report.has("nothing has been imported"), "{}", report.html);
    }
    let lookup = t
        .get(
            "/api/v1/directory/lookup?domain=fabrikam-new.example",
            "adatum:incentives_admin",
        )
        .await;
    assert_eq!(lookup.status, StatusCode::NOT_FOUND, "nothing was imported");

    // The good row alone is imported, and the lookup shows the tenant.
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .text("action", "import")
        .part(
            "tenants",
            reqwest::multipart::Part::bytes(
                format!("tenant_id,domain\n{new_tenant},fabrikam-new.example\n").into_bytes(),
            )
            .file_name("tenants.csv"),
        );
    let imported = v.post_multipart("/admin/directory", form).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.html);
    assert!(imported.has("Imported: 1 tenants"), "{}", imported.html);
    let found = v.get("/admin/directory?tenant=fabrikam-new.example").await;
    assert!(found.has(new_tenant), "{}", found.html);
    let contoso = v
        .get(&format!("/admin/directory?tenant={}", sample::CONTOSO))
        .await;
    assert!(contoso.has("contoso.com"), "{}", contoso.html);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_organisations_user_cannot_sign_in() {
    let t = TestApp::start().await;
    let (mut v, page) = admin(&t).await;
    let csrf = page.csrf();
    let org = sample::litware().id.to_string();
    let list = v.get("/admin/organisations").await;
    assert!(
        list.has(&format!("href=\"/admin/organisations/{org}\"")),
        "{}",
        list.html
    );
    let suspended = v
        .post(
            &format!("/admin/organisations/{org}/suspended"),
            &[("_csrf", &csrf), ("suspended", "true")],
        )
        .await;
    assert!(
        suspended.url.contains("notice=organisation_suspended"),
        "{}",
        suspended.url
    );
    assert!(suspended.has("Suspended"), "{}", suspended.html);

    let mut partner = Visitor::new(&t);
    let tried = partner.sign_in("litware:global_admin").await;
    assert!(tried.has("id=\"login-error\""), "{}", tried.html);
    assert!(!tried.url.starts_with("/claims"), "{}", tried.url);
    let api = t.get("/api/v1/claims", "litware:global_admin").await;
    assert_eq!(
        api.status,
        StatusCode::UNAUTHORIZED,
        "its tokens stop working too"
    );

    // The last location cannot be removed; the refusal is said beside it.
    let last = v
        .post(
            &format!(
                "/admin/organisations/{org}/locations/{}/remove",
                sample::LITWARE_MPN
            ),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last.has("last location"), "{}", last.html);

    // Lifted, the user signs in again.
    v.post(
        &format!("/admin/organisations/{org}/suspended"),
        &[("_csrf", &csrf), ("suspended", "false")],
    )
    .await;
    let back = partner.sign_in("litware:global_admin").await;
    assert!(back.url.starts_with("/claims"), "{}", back.url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parked_job_is_on_the_outbox_page_and_retry_requeues_it() {
    let t = TestApp::start().await;
    let claim = t
        .create(
            "adatum:incentives_admin",
            m365("Outbox", sample::ADATUM_MPN, &["teams"]),
        )
        .await;
    let job = t
        .store
        .insert_raw_job("email", &claim, "{not a notification", t.clock.now())
        .await
        .unwrap();
    t.run_jobs().await;
    let parked = t.store.failing_jobs(None, 50).await.unwrap();
    assert!(parked.iter().any(|j| j.id == job && j.parked), "{parked:?}");

    let (mut v, _) = admin(&t).await;
    let outbox = v.get("/admin/outbox").await;
    assert_eq!(outbox.status, StatusCode::OK);
    assert!(outbox.has(&format!("id=\"job-{job}\"")), "{}", outbox.html);
    assert!(
        outbox.has(&format!("href=\"/claims/{claim}\"")),
        "{}",
        outbox.html
    );
    assert!(
        outbox.has("Parked") && outbox.has("E-mail"),
        "{}",
        outbox.html
    );
    let csrf = outbox.csrf();
    let retried = v
        .post(&format!("/admin/outbox/{job}/retry"), &[("_csrf", &csrf)])
        .await;
    assert!(
        retried.url.contains("notice=job_requeued"),
        "{}",
        retried.url
    );
    let still = t.store.failing_jobs(None, 50).await.unwrap();
    assert!(
        !still.iter().any(|j| j.id == job && j.parked),
        "no longer parked: {still:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_program_admins_see_the_admin_pages() {
    let t = TestApp::start().await;
    for who in ["operator:reviewer", "adatum:global_admin"] {
        let mut v = Visitor::new(&t);
        v.sign_in(who).await;
        for path in [
            "/admin",
            "/admin/organisations",
            "/admin/directory",
            "/admin/outbox",
        ] {
            let page = v.get(path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{who} {path}");
        }
        let home = v.get("/review").await;
        assert!(!home.has("href=\"/admin\""), "{who} has no admin link");
        let csrf = v.get("/admin").await.csrf();
        let post = v
            .post(
                "/admin/holidays",
                &[("_csrf", &csrf), ("date", "2026-12-24")],
            )
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN, "{who}");
    }
    let holidays = t.get("/api/v1/admin/holidays", PROGRAM_ADMIN).await;
    assert_eq!(holidays.body, json!([]));
}
