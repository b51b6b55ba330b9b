//! Every lifecycle path of docs/product.md driven over HTTP against the real server.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::jiff::civil::date;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::*;

const ADMIN: &str = "adatum:incentives_admin";
const REVIEWER: &str = "operator:reviewer";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_goes_from_draft_to_an_active_association() {
    let t = TestApp::start().await;
    // Create: 201 with Location and ETag.
    let r = t
        .post(
            "/api/v1/claims",
            ADMIN,
            m365("Contoso Teams", "1234567", &["teams"]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.headers["location"],
        format!("/api/v1/claims/{id}").as_str()
    );
    assert_eq!(r.headers["etag"], "\"1\"");
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["programs"], json!(["osu_m365"]));

    // PATCH needs If-Match, refuses a stale one, and applies a current one.
    let path = format!("/api/v1/claims/{id}");
    let patch = json!({"name": "Contoso Teams rollout"});
    let r = t
        .send(Method::PATCH, &path, Some(ADMIN), Some(patch.clone()), &[])
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    let r = t
        .send(
            Method::PATCH,
            &path,
            Some(ADMIN),
            Some(patch.clone()),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["etag"], "\"2\"");
    let r = t
        .send(
            Method::PATCH,
            &path,
            Some(ADMIN),
            Some(json!({"name": "Other"})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        t.claim(&id).await["name"],
        "Contoso Teams rollout",
        "nothing overwritten"
    );

    // PoE, submit, review.
    let r = t
        .upload(&id, "adatum:incentives_user", "signed sow.pdf", pdf())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let poe_id = r.body["poe"][0]["id"].as_str().unwrap().to_string();
    let dl = t
        .client
        .get(format!("{}/api/v1/claims/{id}/poe/{poe_id}", t.base))
        .bearer_auth(t.token(REVIEWER))
        .send()
        .await
        .unwrap();
    assert_eq!(dl.headers()["content-type"], "application/pdf");
    assert_eq!(dl.bytes().await.unwrap().to_vec(), pdf());
    let c = t.ok(&format!("{path}/submit"), ADMIN, json!({})).await;
    assert_eq!(c["status"], "submitted");
    assert_eq!(c["deadlines"]["review_pickup_due"], "2026-11-27T16:00:00Z");
    let queue = t.get("/api/v1/review/queue", REVIEWER).await;
    assert_eq!(queue.body["items"][0]["id"], id.as_str());
    t.ok(&format!("{path}/review/start"), REVIEWER, json!({}))
        .await;
    t.ok(
        &format!("{path}/review/request-info"),
        REVIEWER,
        json!({"reasons": ["missing_customer_signature"], "comment": "Please get it signed."}),
    )
    .await;
    let c = t.claim(&id).await;
    assert_eq!(c["status"], "partner_action_required");
    assert_eq!(c["reasons"], json!(["missing_customer_signature"]));
    t.ok(
        &format!("{path}/resubmit"),
        ADMIN,
        json!({"comment": "Signed now."}),
    )
    .await;
    let c = t
        .ok(&format!("{path}/review/approve"), REVIEWER, json!({}))
        .await;
    assert_eq!(
        (c["status"].as_str(), c["phase"].as_str()),
        (Some("approved"), Some("consent_pending"))
    );

    // The e-mails go out: the partner's and the customer's with the consent link.
    t.run_jobs().await;
    let mails = t.outbox();
    let consent = mails
        .iter()
        .find(|m| m.contains("To: ana.silva@contoso.com"))
        .expect("the customer's e-mail");
    assert!(consent.contains("Adatum Consulting"));
    let link = consent
        .split("http://cpor.test/consent/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let view = t
        .send(
            Method::GET,
            &format!("/api/v1/consent/{link}"),
            None,
            None,
            &[],
        )
        .await;
    assert_eq!(view.status, StatusCode::OK);
    assert_eq!(view.body["partner"], "Adatum Consulting");
    assert_eq!(view.body["products"][0]["name"], "Microsoft Teams");
    let page = t
        .client
        .get(format!("{}/consent/{link}", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert!(page.text().await.unwrap().contains("Opt out"));
    // A form posted from another site is refused and changes nothing.
    let forged = t
        .client
        .post(format!("{}/consent/{link}/decline", t.base))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.claim(&id).await["phase"], "consent_pending");

    // The consent window passes: active. The history has every step, e-mails included.
    t.advance(days(7));
    t.run_jobs().await;
    let c = t.claim(&id).await;
    assert_eq!(c["phase"], "active");
    let h = t.get(&format!("{path}/history?limit=200"), ADMIN).await;
    let types: Vec<&str> = h.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for wanted in [
        "created",
        "edited",
        "poe_added",
        "submitted",
        "review_started",
        "information_requested",
        "resubmitted",
        "approved",
        "email_sent",
        "consent_window_passed",
    ] {
        assert!(types.contains(&wanted), "{wanted} missing from {types:?}");
    }
    let edit = &h.body["items"][1];
    assert_eq!(edit["details"]["changes"][0]["before"], "Contoso Teams");
    assert_eq!(edit["side"], "partner");
    assert!(
        h.body.to_string().find("consent_token_hash").is_none(),
        "the link's hash is never shown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_action_request_is_rejected_after_five_business_days_across_a_weekend_and_a_holiday()
 {
    let t = TestApp::start().await;
    t.store
        .add_holiday(date(2026, 11, 26), Some("Holiday"))
        .await
        .unwrap();
    let id = t
        .under_review(ADMIN, m365("Late", "1234567", &["intune"]))
        .await;
    let c = t
        .ok(
            &format!("/api/v1/claims/{id}/review/request-info"),
            REVIEWER,
            json!({"reasons": ["missing_poe"], "comment": "Upload the SOW."}),
        )
        .await;
    // Friday 20 Nov 16:00 + 5 business days, skipping the weekend and Thursday 26.
    assert_eq!(
        c["deadlines"]["partner_response_due"],
        "2026-11-30T16:00:00Z"
    );
    t.clock.set("2026-11-30T15:59:00Z".parse().unwrap());
    t.run_jobs().await;
    assert_eq!(t.claim(&id).await["status"], "partner_action_required");
    assert!(
        t.outbox().iter().any(|m| m.contains("Reminder:")),
        "reminded a business day before"
    );
    t.clock.set("2026-11-30T16:00:00Z".parse().unwrap());
    t.run_jobs().await;
    let c = t.claim(&id).await;
    assert_eq!(
        (c["status"].as_str(), c["reasons"][0].as_str()),
        (Some("rejected"), Some("no_partner_response"))
    );
    let h = t.get(&format!("/api/v1/claims/{id}/history"), ADMIN).await;
    let auto: Vec<_> = h.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "response_window_passed")
        .collect();
    assert_eq!(auto.len(), 1);
    assert_eq!(auto[0]["side"], "system");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_declines_through_the_link_and_it_then_stops_working() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Declined", "1234567", &["onedrive"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/approve"),
        REVIEWER,
        json!({}),
    )
    .await;
    t.run_jobs().await;
    let mail = t
        .outbox()
        .into_iter()
        .find(|m| m.contains("To: ana.silva@contoso.com"))
        .unwrap();
    let link = mail
        .split("http://cpor.test/consent/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let wrong = t
        .send(
            Method::POST,
            "/api/v1/consent/consent_guessed/decline",
            None,
            Some(json!({})),
            &[],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let r = t
        .send(
            Method::POST,
            &format!("/api/v1/consent/{link}/decline"),
            None,
            Some(json!({})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let c = t.claim(&id).await;
    assert_eq!(
        (c["status"].as_str(), c["reasons"][0].as_str()),
        (Some("rejected"), Some("customer_declined"))
    );
    let again = t
        .send(
            Method::GET,
            &format!("/api/v1/consent/{link}"),
            None,
            None,
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let page = t
        .client
        .get(format!("{}/consent/{link}", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND, "the page is gone too");
    assert!(
        !r.body.to_string().contains(&id),
        "the customer does not see the claim"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arbitration_between_two_organisations_supersedes_the_previous_holder() {
    let t = TestApp::start().await;
    let first = t
        .under_review(ADMIN, m365("Adatum Teams", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{first}/review/approve"),
        REVIEWER,
        json!({}),
    )
    .await;
    let check = format!(
        "/api/v1/association-keys/check?tenant_id={}&product=teams&program=osu_m365",
        cpor_domain::sample::CONTOSO
    );
    let held = t.get(&check, "litware:incentives_admin").await;
    assert_eq!(held.body, json!({"held": true}), "held, and never by whom");
    t.advance(days(8));
    t.run_jobs().await;
    let second = t
        .under_review(
            "litware:incentives_admin",
            m365("Litware Teams", "2345678", &["teams"]),
        )
        .await;
    // Approving over a holder needs the reviewer's confirmation, naming what moves.
    let unconfirmed = t
        .post(
            &format!("/api/v1/claims/{second}/review/approve"),
            REVIEWER,
            json!({"comment": "Litware's PoE is more recent."}),
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed.has_error("confirm", "required"),
        "{}",
        unconfirmed.body
    );
    t.ok(
        &format!("/api/v1/claims/{second}/review/approve"),
        REVIEWER,
        json!({"comment": "Litware's PoE is more recent.", "confirm": true}),
    )
    .await;
    let loser = t.claim(&first).await;
    assert_eq!(
        (loser["phase"].as_str(), loser["reasons"][0].as_str()),
        (Some("ended"), Some("superseded"))
    );
    // The operator sees which claim won; neither partner sees the other's claim id, in
    // the claim or in its history (docs/product.md, association keys).
    assert_eq!(loser["superseded_by"], second.as_str());
    let partner = t.get(&format!("/api/v1/claims/{first}"), ADMIN).await;
    assert_eq!(partner.status, StatusCode::OK);
    assert!(partner.body["superseded_by"].is_null());
    let history = t
        .get(&format!("/api/v1/claims/{first}/history"), ADMIN)
        .await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        history.body.to_string().contains("\"superseded\""),
        "the partner sees that it was superseded"
    );
    for seen in [&partner.body, &history.body] {
        assert!(!seen.to_string().contains(&second), "{seen}");
    }
    let winner = t
        .get(
            &format!("/api/v1/claims/{second}/history"),
            "litware:incentives_admin",
        )
        .await;
    assert!(!winner.body.to_string().contains(&first), "{}", winner.body);
    assert_eq!(t.claim(&second).await["phase"], "consent_pending");
    t.run_jobs().await;
    assert!(
        t.outbox()
            .iter()
            .any(|m| m.contains("Subject: Your association \"Adatum Teams\" has ended")),
        "the previous holder is told"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_upheld_reopens_the_claim_for_review() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Disputed", "1234567", &["intune"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/reject"),
        REVIEWER,
        json!({"reasons": ["insufficient_poe"], "comment": "Unsigned."}),
    )
    .await;
    let c = t
        .ok(
            &format!("/api/v1/claims/{id}/dispute"),
            ADMIN,
            json!({"details": "It is signed on page 4."}),
        )
        .await;
    assert_eq!(c["dispute"]["status"], "open");
    assert_eq!(c["dispute"]["program"], "osu_m365");
    let r = t
        .post(
            &format!("/api/v1/claims/{id}/comments"),
            "operator:support_agent",
            json!({"body": "Looking into it.", "thread": "dispute"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    t.ok(
        &format!("/api/v1/claims/{id}/dispute/start"),
        "operator:support_agent",
        json!({}),
    )
    .await;
    let c = t
        .ok(
            &format!("/api/v1/claims/{id}/dispute/resolve"),
            "operator:support_agent",
            json!({"outcome": "upheld", "comment": "Signature found."}),
        )
        .await;
    assert_eq!(c["status"], "under_review");
    assert_eq!(c["dispute"]["status"], "upheld");
    let comments = t
        .get(
            &format!("/api/v1/claims/{id}/comments?thread=dispute"),
            ADMIN,
        )
        .await;
    assert_eq!(comments.body["items"][0]["body"], "Looking into it.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdraw_and_disassociate_end_claims_on_the_partners_request() {
    let t = TestApp::start().await;
    let a = t
        .under_review(ADMIN, m365("Withdrawn", "1234567", &["intune"]))
        .await;
    let c = t
        .ok(&format!("/api/v1/claims/{a}/withdraw"), ADMIN, json!({}))
        .await;
    assert_eq!(c["reasons"], json!(["partner_request"]));
    let b = t
        .under_review(ADMIN, m365("Ended", "1234567", &["onedrive"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{b}/review/approve"),
        REVIEWER,
        json!({}),
    )
    .await;
    let r = t
        .post(
            &format!("/api/v1/claims/{b}/disassociate"),
            ADMIN,
            json!({}),
        )
        .await;
    assert!(r.has_error("reason", "required"));
    let c = t
        .ok(
            &format!("/api/v1/claims/{b}/disassociate"),
            ADMIN,
            json!({"reason": "Contract ended."}),
        )
        .await;
    assert_eq!(
        (c["phase"].as_str(), c["reasons"][0].as_str()),
        (Some("ended"), Some("disassociated"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_can_be_deleted() {
    let t = TestApp::start().await;
    let id = t.create(ADMIN, m365("Gone", "1234567", &["intune"])).await;
    let r = t
        .send(
            Method::DELETE,
            &format!("/api/v1/claims/{id}"),
            Some(ADMIN),
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        t.get(&format!("/api/v1/claims/{id}"), ADMIN).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewers_comment_is_emailed_to_the_partner_with_its_words_and_link() {
    let t = TestApp::start().await;
    let id = t
        .under_review(ADMIN, m365("Contoso Teams", "1234567", &["teams"]))
        .await;
    let r = t
        .post(
            &format!("/api/v1/claims/{id}/comments"),
            REVIEWER,
            json!({"body": "Which workloads did the customer deploy?"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    t.run_jobs().await;
    let mail = t
        .outbox()
        .into_iter()
        .find(|m| m.contains("A new comment on"))
        .expect("the partner is told");
    assert!(
        mail.contains("Which workloads did the customer deploy?"),
        "{mail}"
    );
    assert!(mail.contains(&format!("http://cpor.test/claims/{id}")));
    assert!(mail.contains("multipart/alternative") && mail.contains("text/html"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reviewer_a_claim_is_taken_over_from_is_told_and_the_history_keeps_no_address() {
    use cpor_domain::claim::hash_secret;
    let t = TestApp::start().await;
    // A second reviewer, who prefers French.
    let other = cpor_store::User {
        id: cpor_domain::values::UserId::from_uuid(uuid::Uuid::now_v7()),
        org_id: None,
        email: cpor_domain::values::Parse::parse("lea@operator.example").unwrap(),
        name: "Léa".into(),
        role: cpor_domain::Role::Reviewer,
        created_at: start_time(),
    };
    t.store
        .create_user(&other, Some(&hash_secret("tok-lea")))
        .await
        .unwrap();
    t.store.set_language(other.id, Some("fr")).await.unwrap();
    let id = t
        .create(ADMIN, m365("Contoso Teams", "1234567", &["teams"]))
        .await;
    t.upload(&id, ADMIN, "sow.pdf", pdf()).await;
    t.ok(&format!("/api/v1/claims/{id}/submit"), ADMIN, json!({}))
        .await;
    let lea = [("authorization", "Bearer tok-lea")];
    let path = format!("/api/v1/claims/{id}/review/take");
    let took = t
        .send(Method::POST, &path, None, Some(json!({})), &lea)
        .await;
    assert_eq!(took.status, StatusCode::OK, "{}", took.body);
    t.ok(
        &format!("/api/v1/claims/{id}/review/take"),
        REVIEWER,
        json!({"over": true}),
    )
    .await;
    t.run_jobs().await;
    let told: Vec<String> = t
        .outbox()
        .into_iter()
        .filter(|m| m.contains("lea@operator.example"))
        .collect();
    assert_eq!(told.len(), 1, "Léa is told once");
    assert!(
        told[0].contains("a repris la demande"),
        "in her language: {}",
        told[0]
    );
    assert!(told[0].contains(&format!("http://cpor.test/claims/{id}")));
    let history = t
        .get(&format!("/api/v1/claims/{id}/history"), ADMIN)
        .await
        .body
        .to_string();
    assert!(!history.contains("lea@operator.example"), "{history}");
    // The partner's comment on the claim reaches the reviewer who has it now.
    t.ok(
        &format!("/api/v1/claims/{id}/comments"),
        ADMIN,
        json!({"body": "The SOW is attached."}),
    )
    .await;
    t.run_jobs().await;
    let reviewer = t
        .outbox()
        .into_iter()
        .find(|m| m.contains("To: reviewer@operator.example"))
        .expect("the reviewer who has the claim is told");
    assert!(reviewer.contains("The SOW is attached."), "{reviewer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_partners_hear_when_an_arbitration_opens_without_learning_who_the_other_is() {
    let t = TestApp::start().await;
    let held = t
        .under_review(ADMIN, m365("Adatum Teams", "1234567", &["teams"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{held}/review/approve"),
        REVIEWER,
        json!({}),
    )
    .await;
    t.advance(days(8));
    t.run_jobs().await;
    let litware = "litware:incentives_admin";
    let mut body = m365("Litware Teams", "2345678", &["teams"]);
    body["partner_contact"] = json!({"name": "Lars", "email": "lars@litware.example"});
    let rival = t.create(litware, body).await;
    t.upload(&rival, litware, "sow.pdf", pdf()).await;
    t.ok(
        &format!("/api/v1/claims/{rival}/submit"),
        litware,
        json!({}),
    )
    .await;
    t.run_jobs().await;
    let new = t.outbox();
    let arbitration: Vec<&String> = new
        .iter()
        .filter(|m| m.contains("an arbitration has opened"))
        .collect();
    assert_eq!(arbitration.len(), 2, "{new:#?}");
    let to_litware = arbitration
        .iter()
        .find(|m| m.contains("lars@litware.example"))
        .unwrap();
    assert!(to_litware.contains("another partner's association holds"));
    assert!(!to_litware.contains("Adatum"), "the holder is not named");
    let to_adatum = arbitration
        .iter()
        .find(|m| m.contains("bo.berg@partner.example"))
        .unwrap();
    assert!(to_adatum.contains("Another partner has claimed"));
    assert!(to_adatum.contains(&format!("http://cpor.test/claims/{held}")));
    assert!(!to_adatum.contains("Litware") && !to_adatum.contains(&rival));
}
