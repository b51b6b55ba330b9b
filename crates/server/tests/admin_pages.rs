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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisations_locations_users_and_tokens_are_managed_from_their_pages() {
    let t = TestApp::start().await;
    let (mut v, page) = admin(&t).await;
    let csrf = page.csrf();

    // A new organisation with its first location; a taken MPN ID is refused beside it.
    let taken = v
        .post(
            "/admin/organisations",
            &[
                ("_csrf", &csrf),
                ("name", "Fabrikam"),
                ("mpn_id", sample::ADATUM_MPN),
            ],
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        taken.html
    );
    assert!(taken.has("id=\"org-mpn_id-error\""), "{}", taken.html);
    let created = v
        .post(
            "/admin/organisations",
            &[
                ("_csrf", &csrf),
                ("name", "Fabrikam"),
                ("mpn_id", "9876543"),
                ("location_name", "Oslo"),
            ],
        )
        .await;
    assert!(
        created.url.contains("notice=organisation_created"),
        "{}",
        created.url
    );
    assert!(
        created.has("<h1>Fabrikam</h1>") && created.has("9876543"),
        "{}",
        created.html
    );

    // A location that claims name cannot be removed; an unused one can.
    let adatum = sample::adatum().id.to_string();
    t.create(
        "adatum:incentives_admin",
        m365("Uses the first", sample::ADATUM_MPN, &["teams"]),
    )
    .await;
    let in_use = v
        .post(
            &format!(
                "/admin/organisations/{adatum}/locations/{}/remove",
                sample::ADATUM_MPN
            ),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(in_use.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        in_use.has(&format!(
            "id=\"location-{}-error\">Claims name this MPN ID",
            sample::ADATUM_MPN
        )),
        "{}",
        in_use.html
    );
    let removed = v
        .post(
            &format!(
                "/admin/organisations/{adatum}/locations/{}/remove",
                sample::ADATUM_MPN_2
            ),
            &[("_csrf", &csrf)],
        )
        .await;
    assert!(
        removed.url.contains("notice=location_removed"),
        "{}",
        removed.url
    );
    let org = t
        .get(
            &format!("/api/v1/admin/organisations/{adatum}"),
            PROGRAM_ADMIN,
        )
        .await;
    assert_eq!(
        org.body["locations"].as_array().unwrap().len(),
        1,
        "{}",
        org.body
    );

    // The operator's users: invite with an operator role only, change the role, disable.
    let partner_role = v
        .post(
            "/admin/organisations/operator/users",
            &[
                ("_csrf", &csrf),
                ("name", "Rui"),
                ("email", "rui@operator.example"),
                ("role", "global_admin"),
            ],
        )
        .await;
    assert_eq!(partner_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        partner_role.has("id=\"invite-role-error\""),
        "{}",
        partner_role.html
    );
    let invited = v
        .post(
            "/admin/organisations/operator/users",
            &[
                ("_csrf", &csrf),
                ("name", "Rui"),
                ("email", "rui@operator.example"),
                ("role", "reviewer"),
            ],
        )
        .await;
    assert!(
        invited.url.contains("notice=user_invited"),
        "{}",
        invited.url
    );
    assert!(invited.has("rui@operator.example"));
    let users = t
        .get("/api/v1/admin/organisations/operator/users", PROGRAM_ADMIN)
        .await;
    let rui = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "rui@operator.example")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    v.post(
        &format!("/admin/users/{rui}/role"),
        &[("_csrf", &csrf), ("role", "support_agent")],
    )
    .await;
    let disabled = v
        .post(
            &format!("/admin/users/{rui}/disabled"),
            &[("_csrf", &csrf), ("disabled", "true")],
        )
        .await;
    assert!(
        disabled.url.starts_with("/admin/organisations/operator"),
        "{}",
        disabled.url
    );
    let rui_now = t
        .get("/api/v1/admin/organisations/operator/users", PROGRAM_ADMIN)
        .await;
    let rui_now = rui_now
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == rui.as_str())
        .unwrap()
        .clone();
    assert_eq!(rui_now["role"], "support_agent");
    assert_eq!(rui_now["disabled"], true);

    // A program admin cannot disable themself: said beside their row.
    let me = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "program_admin")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let myself = v
        .post(
            &format!("/admin/users/{me}/disabled"),
            &[("_csrf", &csrf), ("disabled", "true")],
        )
        .await;
    assert_eq!(myself.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        myself.has(&format!(
            "id=\"user-{me}-error\">You cannot disable yourself."
        )),
        "{}",
        myself.html
    );

    // A partner user's token, revoked from the organisation's page, stops working.
    let litware = sample::litware().id.to_string();
    let partners = t
        .get(
            &format!("/api/v1/admin/organisations/{litware}/users"),
            PROGRAM_ADMIN,
        )
        .await;
    let user = partners
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "incentives_admin")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tokens = t
        .get(&format!("/api/v1/admin/users/{user}/tokens"), PROGRAM_ADMIN)
        .await;
    let token = tokens.body[0]["id"].as_str().unwrap().to_string();
    let page = v.get(&format!("/admin/organisations/{litware}")).await;
    assert!(
        page.has(&format!(
            "action=\"/admin/users/{user}/tokens/{token}/revoke\""
        )),
        "{}",
        page.html
    );
    let revoked = v
        .post(
            &format!("/admin/users/{user}/tokens/{token}/revoke"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert!(
        revoked.url.contains("notice=token_revoked"),
        "{}",
        revoked.url
    );
    let api = t.get("/api/v1/claims", "litware:incentives_admin").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
}
