//! The portal over HTTP, as a person without JavaScript uses it: sign-in and its
//! protections, sessions, the claim form, the list, a claim's page and its actions, the
//! organisation page, and languages.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::StatusCode;
use support::web::Visitor;
use support::*;

const ADMIN: &str = "adatum:incentives_admin";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_page_has_its_contract_labels() {
    let t = TestApp::start().await;
    let mut v = Visitor::new(&t);
    let page = v.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has(">E-mail</label>") && page.has(">Password</label>"));
    assert!(page.has(">Sign in</button>"));
    assert!(page.has("<html lang=\"en\">"));
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_out_person_is_sent_to_sign_in_and_back() {
    let t = TestApp::start().await;
    let mut v = Visitor::new(&t);
    let page = v.get("/claims").await;
    assert!(
        page.url.starts_with("/login?next=%2Fclaims"),
        "{}",
        page.url
    );
    let csrf = page.csrf();
    let back = v
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", &email_of(ADMIN)),
                ("password", PASSWORD),
                ("next", "/claims"),
            ],
        )
        .await;
    assert_eq!(back.url, "/claims");
    assert!(back.has("Customer associations"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer_and_are_throttled() {
    let t = TestApp::start().await;
    let mut v = Visitor::new(&t);
    let login = v.get("/login").await;
    let csrf = login.csrf();
    let wrong = v
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", &email_of(ADMIN)),
                ("password", "nope nope nope"),
            ],
        )
        .await;
    let unknown = v
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", "nobody@adatum.example"),
                ("password", "nope nope nope"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    let error = |p: &support::web::Page| {
        let at = p.html.find("id=\"login-error\">").unwrap();
        p.html[at..at + 80].to_string()
    };
    assert_eq!(error(&wrong), error(&unknown));
    for _ in 0..4 {
        v.post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", &email_of(ADMIN)),
                ("password", "nope nope nope"),
            ],
        )
        .await;
    }
    // Five failures: now even the right password is refused for a while.
    let right = v
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", &email_of(ADMIN)),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(right.has("Too many attempts"), "{}", right.html);
    t.advance(cpor_domain::jiff::SignedDuration::from_mins(16));
    let later = v
        .post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", &email_of(ADMIN)),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(later.url, "/claims");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_without_their_token_or_from_another_site_are_refused() {
    let t = TestApp::start().await;
    let mut v = Visitor::new(&t);
    v.sign_in(ADMIN).await;
    let id = t.create(ADMIN, m365("CSRF", "1234567", &["teams"])).await;
    let page = v.get(&format!("/claims/{id}")).await;
    let csrf = page.csrf();
    let no_token = v.post(&format!("/claims/{id}/delete"), &[]).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let wrong_token = v
        .post(&format!("/claims/{id}/delete"), &[("_csrf", "csrf_forged")])
        .await;
    assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
    let other_site = v
        .post_from(
            "https://evil.example",
            &format!("/claims/{id}/delete"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(other_site.status, StatusCode::FORBIDDEN);
    assert_eq!(t.claim(&id).await["status"], "draft", "nothing changed");
    let ok = v
        .post(&format!("/claims/{id}/delete"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(
        t.get(&format!("/api/v1/claims/{id}"), ADMIN).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_organisations_claim_is_a_not_found_page() {
    let t = TestApp::start().await;
    let theirs = t
        .create(
            "litware:incentives_admin",
            m365("Theirs", sample_litware_mpn(), &["teams"]),
        )
        .await;
    let mut v = Visitor::new(&t);
    v.sign_in(ADMIN).await;
    let page = v.get(&format!("/claims/{theirs}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.has("Page not found"));
    assert!(!page.has("Theirs"));
    let list = v.get("/claims").await;
    assert!(!list.has("Theirs"));
    let file = v
        .get(&format!("/claims/{theirs}/files/{}", uuid::Uuid::nil()))
        .await;
    assert_eq!(file.status, StatusCode::NOT_FOUND);
}

fn sample_litware_mpn() -> &'static str {
    cpor_domain::sample::LITWARE_MPN
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_is_made_through_every_step_and_submitted() {
    let t = TestApp::start().await;
    let mut v = Visitor::new(&t);
    v.sign_in(ADMIN).await;
    let new = v.get("/claims/new").await;
    for label in [
        "MPN ID",
        "Customer domain",
        "Tenant ID",
        "Solution area",
        "Activity",
        "Save draft",
    ] {
        assert!(new.has(&format!(">{label}")), "label {label}");
    }
    let csrf = new.csrf();
    // The tenant is looked up from the domain.
    let looked = v
        .post(
            "/claims/new",
            &[
                ("_csrf", &csrf),
                ("name", "Web claim"),
                ("mpn_id", "1234567"),
                ("domain", "contoso.com"),
                ("go", "lookup"),
            ],
        )
        .await;
    assert!(looked.has(cpor_domain::sample::CONTOSO), "tenant filled in");
    // A domain of another tenant is refused beside its field.
    let wrong = v
        .post(
            "/claims/new",
            &[
                ("_csrf", &csrf),
                ("name", "Web claim"),
                ("mpn_id", "1234567"),
                ("domain", "fabrikam.com"),
                ("tenant_id", cpor_domain::sample::CONTOSO),
                ("solution_area", "microsoft_365"),
                ("activity", "usage"),
                ("go", "next"),
            ],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    assert!(wrong.has("id=\"domain-error\""), "{}", wrong.html);
    let step2 = v
        .post(
            "/claims/new",
            &[
                ("_csrf", &csrf),
                ("name", "Web claim"),
                ("mpn_id", "1234567"),
                ("domain", "contoso.com"),
                ("tenant_id", cpor_domain::sample::CONTOSO),
                ("solution_area", "microsoft_365"),
                ("activity", "usage"),
                ("go", "next"),
            ],
        )
        .await;
    assert!(step2.url.ends_with("/edit/products"), "{}", step2.url);
    let id = step2.url.split('/').nth(2).unwrap().to_string();
    let step3 = v
        .post(
            &step2.url,
            &[
                ("_csrf", &csrf),
                ("product", "teams"),
                ("product", "intune"),
                ("go", "next"),
            ],
        )
        .await;
    assert!(step3.url.ends_with("/edit/contacts"), "{}", step3.html);
    assert!(step3.has(">Customer contact name") && step3.has(">Partner contact e-mail"));
    let step4 = v
        .post(
            &step3.url,
            &[
                ("_csrf", &csrf),
                ("customer_name", "Ana Silva"),
                ("customer_title", "CIO"),
                ("customer_email", "ana@contoso.com"),
                ("partner_name", "Bo Berg"),
                ("partner_email", "bo@adatum.example"),
                ("go", "next"),
            ],
        )
        .await;
    assert!(step4.url.ends_with("/edit/documents"), "{}", step4.html);
    assert!(step4.has(">Proof of execution"));
    let back = format!("/claims/{id}/edit/documents");
    let uploaded = v
        .upload(
            &format!("/claims/{id}/files"),
            &csrf,
            &back,
            "sow.pdf",
            pdf(),
        )
        .await;
    assert!(uploaded.has("sow.pdf"), "{}", uploaded.html);
    // A file that is not what its name says is refused.
    let fake = v
        .upload(
            &format!("/claims/{id}/files"),
            &csrf,
            &back,
            "fake.pdf",
            b"MZ not a pdf".to_vec(),
        )
        .await;
    assert_eq!(fake.status, StatusCode::UNPROCESSABLE_ENTITY);
    let review = v.get(&format!("/claims/{id}/edit/review")).await;
    assert!(review.has(">Submit</button>"));
    let submitted = v
        .post(&format!("/claims/{id}/submit"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(submitted.url, format!("/claims/{id}?notice=submit"));
    let claim = t.claim(&id).await;
    assert_eq!(claim["status"], "submitted");
    assert_eq!(claim["products"].as_array().unwrap().len(), 2);
    assert_eq!(claim["poe"].as_array().unwrap().len(), 1);
    // On the list, found with the filter.
    let list = v.get("/claims?status=submitted&q=Web").await;
    assert!(list.has("Web claim"));
    let none = v.get("/claims?status=draft&q=Web").await;
    assert!(!none.has("Web claim"));
    // Its page shows its history.
    let page = v.get(&format!("/claims/{id}")).await;
    assert!(page.has("id=\"history\"") && page.has("Submitted") && page.has("Document added"));
    let csv = v.get("/claims.csv?status=submitted").await;
    assert!(csv.html.starts_with("id,name,domain"), "{}", csv.html);
    assert!(csv.html.contains("Web claim"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_is_withdrawn_and_a_rejected_one_disputed_from_its_page() {
    let t = TestApp::start().await;
    let mut v = Visitor::new(&t);
    v.sign_in(ADMIN).await;
    let a = t
        .under_review(ADMIN, m365("To withdraw", "1234567", &["teams"]))
        .await;
    let page = v.get(&format!("/claims/{a}")).await;
    assert!(page.has(">Withdraw<"));
    let csrf = page.csrf();
    v.post(
        &format!("/claims/{a}/withdraw"),
        &[("_csrf", &csrf), ("comment", "Wrong customer")],
    )
    .await;
    assert_eq!(t.claim(&a).await["status"], "rejected");
    let b = t
        .under_review(ADMIN, m365("To dispute", "1234567", &["intune"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{b}/review/reject"),
        "operator:reviewer",
        serde_json::json!({"reasons": ["insufficient_poe"], "comment": "Not signed"}),
    )
    .await;
    let page = v.get(&format!("/claims/{b}")).await;
    assert!(page.has("Insufficient proof of execution"));
    assert!(page.has(">Dispute the rejection<"));
    let disputed = v
        .post(
            &format!("/claims/{b}/dispute"),
            &[
                ("_csrf", &csrf),
                ("products", "intune"),
                ("details", "The SOW is signed on page 2."),
            ],
        )
        .await;
    assert_eq!(disputed.url, format!("/claims/{b}?notice=dispute"));
    assert_eq!(t.claim(&b).await["dispute"]["status"], "open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_every_session_and_an_idle_session_expires() {
    let t = TestApp::start().await;
    let mut laptop = Visitor::new(&t);
    let mut phone = Visitor::new(&t);
    laptop.sign_in(ADMIN).await;
    phone.sign_in(ADMIN).await;
    assert_eq!(phone.get("/claims").await.url, "/claims");
    let csrf = laptop.get("/claims").await.csrf();
    laptop.post("/logout", &[("_csrf", &csrf)]).await;
    assert!(
        phone.get("/claims").await.url.starts_with("/login"),
        "ended everywhere"
    );
    laptop.sign_in(ADMIN).await;
    t.advance(cpor_domain::jiff::SignedDuration::from_hours(3));
    assert!(
        laptop.get("/claims").await.url.starts_with("/login"),
        "idle for 3 hours"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_works_once_and_not_after_an_hour() {
    let t = TestApp::start().await;
    let mut v = Visitor::new(&t);
    let page = v.get("/forgot-password").await;
    let csrf = page.csrf();
    let sent = v
        .post(
            "/forgot-password",
            &[("_csrf", &csrf), ("email", &email_of(ADMIN))],
        )
        .await;
    let unknown = v
        .post(
            "/forgot-password",
            &[("_csrf", &csrf), ("email", "nobody@adatum.example")],
        )
        .await;
    assert_eq!(
        sent.html.len(),
        unknown.html.len(),
        "the same answer either way"
    );
    let link = wait_for_link(&t, "/reset/").await;
    let form = v.get(&link).await;
    let set = v
        .post(
            &link,
            &[
                ("_csrf", &form.csrf()),
                ("password", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
    assert!(
        set.url.starts_with("/login?notice=password-set"),
        "{}",
        set.url
    );
    let again = v.get(&link).await;
    assert!(again.has("no longer works"));
    // Signs in with the new password.
    let login = v.get("/login").await;
    let ok = v
        .post(
            "/login",
            &[
                ("_csrf", &login.csrf()),
                ("email", &email_of(ADMIN)),
                ("password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(ok.url, "/claims");
    // A second link expires after an hour.
    let csrf = v.get("/forgot-password").await.csrf();
    let before: std::collections::BTreeSet<String> = t.outbox().into_iter().collect();
    v.post(
        "/forgot-password",
        &[("_csrf", &csrf), ("email", &email_of(ADMIN))],
    )
    .await;
    let link2 = wait_for_new_link(&t, "/reset/", &before).await;
    t.advance(cpor_domain::jiff::SignedDuration::from_mins(61));
    assert!(v.get(&link2).await.has("no longer works"));
}

/// The path of the newest link to `prefix` in the outbox (account e-mails are sent in
/// the background, so they may arrive a moment after the answer).
async fn wait_for_link(t: &TestApp, prefix: &str) -> String {
    wait_for_new_link(t, prefix, &Default::default()).await
}

async fn wait_for_new_link(
    t: &TestApp,
    prefix: &str,
    seen: &std::collections::BTreeSet<String>,
) -> String {
    for _ in 0..100 {
        if let Some(link) = t
            .outbox()
            .into_iter()
            .filter(|m| !seen.contains(m))
            .find_map(|m| {
                let at = m.find(&format!("http://cpor.test{prefix}"))?;
                let rest = &m[at + "http://cpor.test".len()..];
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                Some(rest[..end].to_string())
            })
        {
            return link;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no e-mail with a {prefix} link");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_follows_the_choice_the_browser_and_the_saved_preference() {
    let t = TestApp::start().await;
    let mut v = Visitor::new(&t);
    assert!(v.get("/login?lang=fr").await.has("<html lang=\"fr\">"));
    assert!(
        v.get("/login").await.has("<html lang=\"fr\">"),
        "kept by a cookie"
    );
    let mut w = Visitor::new(&t);
    let req = reqwest::Client::new()
        .get(format!("{}/login", t.base))
        .header("Accept-Language", "sv-SE, en;q=0.5")
        .send()
        .await
        .unwrap();
    assert!(req.text().await.unwrap().contains("<html lang=\"sv\">"));
    w.sign_in(ADMIN).await;
    w.get("/claims?lang=pt-BR").await;
    w.forget_cookies();
    w.sign_in(ADMIN).await;
    assert!(
        w.get("/claims").await.has("<html lang=\"pt-BR\">"),
        "saved for the person"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_global_admin_invites_a_user_who_sets_a_password_once() {
    let t = TestApp::start().await;
    let mut admin = Visitor::new(&t);
    admin.sign_in("adatum:global_admin").await;
    let org = admin.get("/organisation").await;
    assert_eq!(org.status, StatusCode::OK);
    let csrf = org.csrf();
    admin
        .post(
            "/organisation/users",
            &[
                ("_csrf", &csrf),
                ("name", "Nina New"),
                ("email", "nina@adatum.example"),
                ("role", "incentives_user"),
            ],
        )
        .await;
    let link = wait_for_link(&t, "/invitation/").await;
    let mut nina = Visitor::new(&t);
    let form = nina.get(&link).await;
    let set = nina
        .post(
            &link,
            &[
                ("_csrf", &form.csrf()),
                ("password", "ninas password 123"),
                ("confirm", "ninas password 123"),
            ],
        )
        .await;
    assert!(set.url.starts_with("/login"));
    assert!(nina.get(&link).await.has("no longer works"));
    let login = nina.get("/login").await;
    let signed = nina
        .post(
            "/login",
            &[
                ("_csrf", &login.csrf()),
                ("email", "nina@adatum.example"),
                ("password", "ninas password 123"),
            ],
        )
        .await;
    assert_eq!(signed.url, "/claims");
    // Someone else's role may not see the organisation page.
    let mut user = Visitor::new(&t);
    user.sign_in(ADMIN).await;
    assert_eq!(
        user.get("/organisation").await.status,
        StatusCode::FORBIDDEN
    );
    // A token made on the page works once shown, and stops when revoked.
    let made = admin
        .post(
            "/organisation/tokens",
            &[
                ("_csrf", &csrf),
                ("user", &org_user_id(&org.html, "Nina New", &admin).await),
                ("name", "CI"),
                ("days", "30"),
            ],
        )
        .await;
    let at = made.html.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let token = made.html[at..at + made.html[at..].find('<').unwrap()].to_string();
    let r = reqwest::Client::new()
        .get(format!("{}/api/v1/claims", t.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn org_user_id(_html: &str, name: &str, admin: &Visitor<'_>) -> String {
    let users = admin
        .app
        .store
        .users(Some(cpor_domain::sample::adatum().id))
        .await
        .unwrap();
    users
        .iter()
        .find(|u| u.name == name)
        .unwrap()
        .id
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_takes_a_claim_from_the_queue_asks_for_information_and_approves() {
    let t = TestApp::start().await;
    let id = t
        .create(ADMIN, m365("For review", "1234567", &["teams"]))
        .await;
    t.upload(&id, ADMIN, "sow.pdf", pdf()).await;
    t.ok(
        &format!("/api/v1/claims/{id}/submit"),
        ADMIN,
        serde_json::json!({}),
    )
    .await;
    let mut rui = Visitor::new(&t);
    rui.sign_in("operator:reviewer").await;
    let queue = rui.get("/review").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.has("For review") && queue.has("Adatum"),
        "{}",
        queue.html
    );
    assert!(queue.has(">On time<"), "SLA in words");
    let csrf = queue.csrf();
    let taken = rui
        .post(&format!("/claims/{id}/review/take"), &[("_csrf", &csrf)])
        .await;
    assert!(taken.has("is working on this claim"), "{}", taken.html);
    // Another reviewer sees who has it and must take it over explicitly.
    let mine = rui.get("/review?only=mine").await;
    assert!(mine.has("For review"));
    let page = rui.get(&format!("/claims/{id}")).await;
    assert!(
        page.has("Partner and tenant") && page.has("contoso.com"),
        "directory facts"
    );
    assert!(
        page.has("<iframe class=\"preview\" sandbox"),
        "PDF preview in a sandboxed frame"
    );
    rui.post(&format!("/claims/{id}/review/start"), &[("_csrf", &csrf)])
        .await;
    // A request without a comment is refused beside the field, and nothing changes.
    let refused = rui
        .post(
            &format!("/claims/{id}/review/request-info"),
            &[("_csrf", &csrf), ("reasons", "missing_poe")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.claim(&id).await["status"], "under_review");
    rui.post(
        &format!("/claims/{id}/review/request-info"),
        &[
            ("_csrf", &csrf),
            ("reasons", "missing_poe"),
            ("reasons", "missing_customer_signature"),
            ("comment", "Please add the signed SOW."),
        ],
    )
    .await;
    assert_eq!(t.claim(&id).await["status"], "partner_action_required");
    // The partner sees the reasons in words and answers.
    let mut ines = Visitor::new(&t);
    ines.sign_in(ADMIN).await;
    let par = ines.get(&format!("/claims/{id}")).await;
    assert!(par.has("Missing customer signature") && par.has("Please add the signed SOW."));
    // The reviewer's comment is in the claim's thread, with the decision it came with.
    let thread = &par.html
        [par.html.find("id=\"comments-h\"").unwrap()..par.html.find("id=\"history\"").unwrap()];
    assert!(
        thread.contains("Please add the signed SOW.") && thread.contains("Information requested"),
        "{thread}"
    );
    assert!(
        !par.has("is working on this claim"),
        "partners do not see the reviewer"
    );
    ines.post(
        &format!("/claims/{id}/resubmit"),
        &[("_csrf", &par.csrf()), ("comment", "Added.")],
    )
    .await;
    assert_eq!(t.claim(&id).await["status"], "under_review");
    let approved = rui
        .post(&format!("/claims/{id}/review/approve"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(approved.url, format!("/claims/{id}?notice=approve"));
    assert_eq!(t.claim(&id).await["phase"], "consent_pending");
    // Partners have no queue.
    assert_eq!(ines.get("/review").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_counts_claims_per_status_and_filters_by_product_change_and_order() {
    let t = TestApp::start().await;
    t.create(ADMIN, m365("Alpha teams", "1234567", &["teams"]))
        .await;
    t.advance(cpor_domain::jiff::SignedDuration::from_hours(48));
    let b = t
        .create(ADMIN, m365("Beta intune", "1234567", &["intune"]))
        .await;
    t.under_review(ADMIN, m365("Gamma both", "1234567", &["teams", "intune"]))
        .await;
    let mut v = Visitor::new(&t);
    v.sign_in(ADMIN).await;
    let all = v.get("/claims").await;
    assert!(
        all.has("All (3)") && all.has("Editing (2)") && all.has("Under review (1)"),
        "{}",
        all.html
    );
    let intune = v.get("/claims?product=intune").await;
    assert!(intune.has("Beta intune") && intune.has("Gamma both") && !intune.has("Alpha teams"));
    let by_name = v.get("/claims?sort=name").await;
    let (a, g) = (
        by_name.html.find("Alpha teams").unwrap(),
        by_name.html.find("Gamma both").unwrap(),
    );
    assert!(a < g, "by name");
    // Changed since the day Beta was made: Alpha (made two days earlier) is left out.
    let day = t.claim(&b).await["updated_at"].as_str().unwrap()[..10].to_string();
    let recent = v.get(&format!("/claims?updated_from={day}")).await;
    assert!(
        recent.has("Beta intune") && !recent.has("Alpha teams"),
        "{}",
        recent.html
    );
    let bad = v.get("/claims?updated_from=yesterday").await;
    assert!(
        bad.has("changed from"),
        "a filter that is not a date is named"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arbitration_is_shown_confirmed_and_moves_only_the_contested_key() {
    let t = TestApp::start().await;
    let held = t
        .under_review(ADMIN, m365("Adatum holds", "1234567", &["teams", "intune"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{held}/review/approve"),
        "operator:reviewer",
        serde_json::json!({}),
    )
    .await;
    let litware = "litware:incentives_admin";
    let rival = t
        .under_review(
            litware,
            m365(
                "Litware wants Teams",
                cpor_domain::sample::LITWARE_MPN,
                &["teams"],
            ),
        )
        .await;
    let mut rui = Visitor::new(&t);
    rui.sign_in("operator:reviewer").await;
    let page = rui.get(&format!("/claims/{rival}")).await;
    assert!(
        page.has("Competing claims") && page.has("Adatum holds") && page.has("holds it now"),
        "{}",
        page.html
    );
    assert!(page.has("id=\"ap-confirm\""));
    let csrf = page.csrf();
    let unconfirmed = rui
        .post(
            &format!("/claims/{rival}/review/approve"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.claim(&rival).await["status"],
        "under_review",
        "nothing moved"
    );
    let confirmed = rui
        .post(
            &format!("/claims/{rival}/review/approve"),
            &[("_csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(confirmed.url, format!("/claims/{rival}?notice=approve"));
    // Adatum keeps intune and stays approved; teams moved to Litware.
    let adatum = t.claim(&held).await;
    assert_eq!(
        (adatum["status"].as_str(), adatum["phase"].as_str()),
        (Some("approved"), Some("consent_pending"))
    );
    assert_eq!(t.claim(&rival).await["phase"], "consent_pending");
    t.run_jobs().await;
    assert!(
        t.outbox()
            .iter()
            .any(|m| m.contains("moved to another partner") && m.contains("Teams")),
        "the previous holder is told which key moved"
    );
    // Adatum's people never see the rival's name.
    let mut ines = Visitor::new(&t);
    ines.sign_in(ADMIN).await;
    let theirs = ines.get(&format!("/claims/{held}")).await;
    assert!(!theirs.has("Litware") && !theirs.has(&rival));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_is_told_when_a_dispute_opens_once_its_mailbox_is_set() {
    let t = TestApp::start().await;
    let r = t
        .send(
            reqwest::Method::PATCH,
            "/api/v1/admin/policy",
            Some("operator:program_admin"),
            Some(serde_json::json!({"support_email": "support@operator.example"})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = t
        .under_review(ADMIN, m365("Disputed", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/reject"),
        "operator:reviewer",
        serde_json::json!({"reasons": ["insufficient_poe"], "comment": "Unsigned."}),
    )
    .await;
    t.ok(
        &format!("/api/v1/claims/{id}/dispute"),
        ADMIN,
        serde_json::json!({"details": "It is signed on page 3."}),
    )
    .await;
    t.run_jobs().await;
    let mail = t
        .outbox()
        .into_iter()
        .find(|m| m.contains("To: support@operator.example"))
        .expect("an e-mail to support");
    assert!(
        mail.contains("Dispute opened") && mail.contains("It is signed on page 3."),
        "{mail}"
    );
    assert!(mail.contains(&format!("http://cpor.test/claims/{id}")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_count_the_periods_events_and_their_csv_is_the_table() {
    let t = TestApp::start().await;
    let a = t
        .under_review(ADMIN, m365("Reported A", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{a}/review/request-info"),
        "operator:reviewer",
        serde_json::json!({"reasons": ["missing_poe"], "comment": "More."}),
    )
    .await;
    t.ok(
        &format!("/api/v1/claims/{a}/resubmit"),
        ADMIN,
        serde_json::json!({}),
    )
    .await;
    t.ok(
        &format!("/api/v1/claims/{a}/review/reject"),
        "operator:reviewer",
        serde_json::json!({"reasons": ["insufficient_poe"], "comment": "No."}),
    )
    .await;
    let b = t
        .under_review(
            "litware:incentives_admin",
            m365("Reported B", cpor_domain::sample::LITWARE_MPN, &["intune"]),
        )
        .await;
    t.ok(
        &format!("/api/v1/claims/{b}/review/approve"),
        "operator:reviewer",
        serde_json::json!({}),
    )
    .await;
    let mut pia = Visitor::new(&t);
    pia.sign_in("operator:program_admin").await;
    let page = pia.get("/reports").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    for section in [
        "Claims over time",
        "Service levels",
        "Decisions per reviewer",
        "Missing proof of execution",
        "Disputes",
    ] {
        assert!(page.has(section), "{section}");
    }
    assert!(page.has("<svg class=\"chart\""));
    let csv = pia.get("/reports/claims.csv").await;
    let lines: Vec<&str> = csv.html.lines().collect();
    assert_eq!(
        lines[0],
        "Period,Submitted,Approved,Rejected,Activated,Ended"
    );
    // Both claims were submitted today, one approved, one rejected.
    assert!(lines[1].ends_with(",2,1,1,0,0"), "{}", csv.html);
    let reasons = pia.get("/reports/reasons.csv").await;
    assert!(
        reasons.html.contains("Missing proof of execution,1,0"),
        "{}",
        reasons.html
    );
    assert!(
        reasons.html.contains("Insufficient proof of execution,0,1"),
        "{}",
        reasons.html
    );
    // A partner's admin sees their own organisation only, and no reviewer's throughput.
    let mut ines = Visitor::new(&t);
    ines.sign_in(ADMIN).await;
    let theirs = ines.get("/reports/claims.csv").await;
    assert!(
        theirs
            .html
            .lines()
            .nth(1)
            .is_some_and(|l| l.ends_with(",1,0,1,0,0")),
        "{}",
        theirs.html
    );
    assert!(!ines.get("/reports").await.has("Decisions per reviewer"));
    assert_eq!(
        ines.get("/reports/throughput.csv").await.status,
        StatusCode::NOT_FOUND
    );
    // Reviewers have no reports.
    let mut rui = Visitor::new(&t);
    rui.sign_in("operator:reviewer").await;
    assert_eq!(rui.get("/reports").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_works_a_dispute_from_its_queue_and_upholding_reopens_the_review() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Contested rejection", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/reject"),
        "operator:reviewer",
        serde_json::json!({"reasons": ["insufficient_poe"], "comment": "Unsigned."}),
    )
    .await;
    t.ok(
        &format!("/api/v1/claims/{id}/dispute"),
        ADMIN,
        serde_json::json!({"details": "Signed on page 3."}),
    )
    .await;
    let mut sara = Visitor::new(&t);
    sara.sign_in("operator:support_agent").await;
    let queue = sara.get("/disputes").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.has("Contested rejection") && queue.has(">Open<") && queue.has(">On time<"),
        "{}",
        queue.html
    );
    let page = sara.get(&format!("/claims/{id}")).await;
    let csrf = page.csrf();
    sara.post(
        &format!("/claims/{id}/dispute/start"),
        &[("_csrf", &csrf), ("comment", "Looking at it.")],
    )
    .await;
    assert!(sara.get("/disputes").await.has(">In progress<"));
    // Resolving needs a comment; with one, upheld sends the claim back to review.
    let refused = sara
        .post(
            &format!("/claims/{id}/dispute/resolve"),
            &[("_csrf", &csrf), ("outcome", "upheld")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    sara.post(
        &format!("/claims/{id}/dispute/resolve"),
        &[
            ("_csrf", &csrf),
            ("outcome", "upheld"),
            ("comment", "The signature is there."),
        ],
    )
    .await;
    assert_eq!(t.claim(&id).await["status"], "under_review");
    assert!(
        !sara.get("/disputes").await.has("Contested rejection"),
        "resolved disputes leave the queue"
    );
    let mut rui = Visitor::new(&t);
    rui.sign_in("operator:reviewer").await;
    assert_eq!(rui.get("/disputes").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_holder_can_be_asked_during_an_arbitration_without_losing_its_association() {
    let t = TestApp::start().await;
    let held = t
        .under_review(ADMIN, m365("Holder asked", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{held}/review/approve"),
        "operator:reviewer",
        serde_json::json!({}),
    )
    .await;
    let mut rui = Visitor::new(&t);
    rui.sign_in("operator:reviewer").await;
    let page = rui.get(&format!("/claims/{held}")).await;
    assert!(
        page.has("/review/request-info"),
        "the reviewer may ask the holder"
    );
    rui.post(
        &format!("/claims/{held}/review/request-info"),
        &[
            ("_csrf", &page.csrf()),
            ("reasons", "missing_or_old_dates"),
            ("comment", "Send your latest dated SOW."),
        ],
    )
    .await;
    let claim = t.claim(&held).await;
    assert_eq!(
        (claim["status"].as_str(), claim["phase"].as_str()),
        (Some("approved"), Some("consent_pending"))
    );
    t.run_jobs().await;
    assert!(
        t.outbox()
            .iter()
            .any(|m| m.contains("asks about your association")
                && m.contains("Send your latest dated SOW."))
    );
    // The partner adds a document and answers from the claim's page.
    let mut ines = Visitor::new(&t);
    ines.sign_in(ADMIN).await;
    let theirs = ines.get(&format!("/claims/{held}")).await;
    assert!(
        theirs.has("/claims/") && theirs.has("id=\"poe-file\"") && theirs.has("/resubmit"),
        "{}",
        theirs.html
    );
    ines.post(
        &format!("/claims/{held}/resubmit"),
        &[("_csrf", &theirs.csrf()), ("comment", "Attached.")],
    )
    .await;
    let history = t
        .get(&format!("/api/v1/claims/{held}/history"), ADMIN)
        .await
        .body
        .to_string();
    assert!(history.contains("arbitration_answered"));
    assert_eq!(t.claim(&held).await["status"], "approved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organisations_language_is_what_customers_hear_when_their_contact_has_none() {
    let t = TestApp::start().await;
    let mut alex = Visitor::new(&t);
    alex.sign_in("adatum:global_admin").await;
    let page = alex.get("/organisation").await;
    let refused = alex
        .post(
            "/organisation/language",
            &[("_csrf", &page.csrf()), ("language", "de")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let saved = alex
        .post(
            "/organisation/language",
            &[("_csrf", &page.csrf()), ("language", "sv")],
        )
        .await;
    assert!(saved.url.contains("notice=language_set"), "{}", saved.url);
    let id = t
        .under_review(ADMIN, m365("Swedish by default", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/approve"),
        "operator:reviewer",
        serde_json::json!({}),
    )
    .await;
    t.run_jobs().await;
    let consent = t
        .outbox()
        .into_iter()
        .find(|m| m.contains("/consent/"))
        .expect("the consent e-mail");
    assert!(
        consent.contains("har bett att bli erkänd"),
        "in Swedish: {consent}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partners_admins_look_their_associations_up_by_subscription_or_tenant() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Looked up", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/approve"),
        "operator:reviewer",
        serde_json::json!({}),
    )
    .await;
    t.advance(days(8));
    t.run_jobs().await;
    let tenant = cpor_domain::sample::CONTOSO;
    let r = t
        .get(
            &format!("/api/v1/associations/lookup?tenant_id={tenant}"),
            "adatum:billing_admin",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", r.body);
    assert_eq!(items[0]["product"], "teams");
    assert_eq!(items[0]["program"], "osu_m365");
    assert_eq!(items[0]["phase"], "active");
    assert!(items[0]["effective_from"].is_string() && items[0]["effective_to"].is_null());
    // Another partner sees nothing of it; roles without the report are refused; bad input named.
    let theirs = t
        .get(
            &format!("/api/v1/associations/lookup?tenant_id={tenant}"),
            "litware:incentives_admin",
        )
        .await;
    assert_eq!(theirs.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        t.get(
            &format!("/api/v1/associations/lookup?tenant_id={tenant}"),
            "operator:reviewer"
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let bad = t
        .get("/api/v1/associations/lookup?tenant_id=nope", ADMIN)
        .await;
    assert!(
        bad.has_error("tenant_id", "invalid_format"),
        "{:?}",
        bad.errors()
    );
    // The page finds it too.
    let mut bea = Visitor::new(&t);
    bea.sign_in("adatum:billing_admin").await;
    let page = bea.get(&format!("/eligibility?id={tenant}")).await;
    assert!(
        page.has("Looked up") && page.has(">Active<"),
        "{}",
        page.html
    );
}
