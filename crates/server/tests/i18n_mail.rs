//! E-mails and the consent page in the recipient's language: the customer contact's
//! language, else the language of the user who created the claim, else English.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::*;

const ADMIN: &str = "adatum:incentives_admin";
const REVIEWER: &str = "operator:reviewer";
const CUSTOMER: &str = "To: ana.silva@contoso.com";
const PARTNER: &str = "To: bo.berg@partner.example";

/// The e-mail to `to` that contains `word`.
fn mail_to(t: &TestApp, to: &str, word: &str) -> String {
    let mails = t.outbox();
    mails
        .iter()
        .find(|m| m.contains(to) && m.contains(word))
        .cloned()
        .unwrap_or_else(|| panic!("no e-mail {to} with {word:?} in {mails:#?}"))
}

/// The consent link's path in a consent e-mail.
fn consent_path(mail: &str) -> String {
    let token = mail
        .split("http://cpor.test/consent/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    format!("/consent/{token}")
}

/// A page for anyone (no token), as text.
async fn page(t: &TestApp, path: &str, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let r = t.send(Method::GET, path, None, None, headers).await;
    let ct = r.headers["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/html"), "{path}: {ct}");
    match r.body {
        Value::String(s) => (r.status, s),
        other => panic!("{path}: not HTML: {other}"),
    }
}

async fn approved(t: &TestApp, body: Value) -> String {
    let id = t.under_review(ADMIN, body).await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/approve"),
        REVIEWER,
        json!({}),
    )
    .await;
    t.run_jobs().await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_french_customer_contact_gets_a_french_consent_email_and_page() {
    let t = TestApp::start().await;
    let mut body = m365("Contoso Teams", "1234567", &["teams"]);
    body["customer_contact"]["language"] = json!("fr");
    let id = approved(&t, body).await;
    assert_eq!(t.claim(&id).await["customer_contact"]["language"], "fr");

    // The customer's e-mail is French and says who, what, which data, and until when.
    let mail = mail_to(&t, CUSTOMER, "Bonjour Ana Silva,");
    for words in [
        "Adatum Consulting demande à être reconnu comme le partenaire qui a accompagné contoso.com",
        "  - ",
        "données d’utilisation et de licences de ces charges de travail et abonnements uniquement",
        "ou pour refuser l’association avant le ",
    ] {
        assert!(mail.contains(words), "{words:?} in {mail}");
    }
    // The partner's creator chose no language: the partner's e-mail is in English.
    let partner = mail_to(&t, PARTNER, "is approved");
    assert!(partner.contains(&format!("Claim: http://cpor.test/claims/{id}")));

    // The page is French too, styled by the portal's stylesheet, never inline.
    let link = consent_path(&mail);
    let (status, html) = page(&t, &link, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(html.contains("Adatum Consulting demande à être reconnu comme votre partenaire"));
    assert!(html.contains("<li>"));
    assert!(html.contains("Refuser cette association"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/assets/cpor-"));
    assert!(
        !html.contains("<style"),
        "no inline style (the CSP forbids it)"
    );
    // ?lang= overrides the customer's language.
    let (_, sv) = page(&t, &format!("{link}?lang=sv"), &[]).await;
    assert!(sv.contains("<html lang=\"sv\">"));
    assert!(sv.contains("vill bli erkänd som er partner"), "{sv}");
    // Accept-Language does not: the customer chose French.
    let (_, fr) = page(&t, &link, &[("accept-language", "en")]).await;
    assert!(fr.contains("<html lang=\"fr\">"));

    // Opting out answers in French; the form keeps the language.
    assert!(html.contains(&format!("action=\"{link}/decline?lang=fr\"")));
    let r = t
        .send(
            Method::POST,
            &format!("{link}/decline?lang=fr"),
            None,
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .as_str()
            .unwrap()
            .contains("Vous avez refusé l’association"),
        "{}",
        r.body
    );
    assert_eq!(t.claim(&id).await["status"], "rejected");

    // The finished link now opens a page that says so, in French, not a JSON 404.
    let (status, html) = page(&t, &link, &[("accept", "application/json")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Ce lien ne fonctionne plus"), "{html}");
    assert!(!html.contains("Refuser cette association"));
    // Posting to it again changes nothing and says the same.
    let r = t
        .send(Method::POST, &format!("{link}/decline"), None, None, &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.body
            .as_str()
            .unwrap()
            .contains("Ce lien ne fonctionne plus")
    );
    // The JSON consent API is unchanged: a problem.
    let api = t
        .send(Method::GET, &format!("/api/v1{link}"), None, None, &[])
        .await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.headers["content-type"], "application/problem+json");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_consent_link_speaks_the_browsers_language() {
    let t = TestApp::start().await;
    let (status, html) = page(&t, "/consent/consent_nothing", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("This link no longer works"), "{html}");
    let (status, html) = page(
        &t,
        "/consent/consent_nothing",
        &[("accept-language", "de, pt-BR;q=0.8")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Este link não funciona mais"), "{html}");
    let (_, html) = page(&t, "/consent/consent_nothing?lang=sv", &[]).await;
    assert!(
        html.contains("Den här länken fungerar inte längre"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_whose_creator_chose_swedish_gets_swedish_emails() {
    let t = TestApp::start().await;
    let creator = t
        .store
        .users(Some(cpor_domain::sample::adatum().id))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email.to_string() == email_of(ADMIN))
        .unwrap();
    t.store.set_language(creator.id, Some("sv")).await.unwrap();

    // Information requested: to the partner, in Swedish.
    let asked = t
        .under_review(ADMIN, m365("Contoso Intune", "1234567", &["intune"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{asked}/review/request-info"),
        REVIEWER,
        json!({"reasons": ["missing_poe"], "comment": "Bifoga arbetsbeskrivningen."}),
    )
    .await;
    t.run_jobs().await;
    let mail = mail_to(&t, PARTNER, "kräver en åtgärd från er");
    assert!(
        mail.contains("Ert ärende ”Contoso Intune” för contoso.com"),
        "{mail}"
    );
    assert!(mail.contains("Granskarens kommentar:"));
    assert!(mail.contains("Bifoga arbetsbeskrivningen."));
    assert!(mail.contains(&format!("Ärende: http://cpor.test/claims/{asked}")));

    // Approval: the partner's e-mail is Swedish, and so is the customer's, whose contact
    // has no language of its own (the partner's is the default).
    approved(&t, m365("Contoso Teams", "1234567", &["teams"])).await;
    let partner = mail_to(&t, PARTNER, "Contoso Teams");
    assert!(partner.contains("är godkänt"), "{partner}");
    let customer = mail_to(&t, CUSTOMER, "Hej Ana Silva,");
    assert!(customer.contains("Adatum Consulting har bett att bli erkänd"));
    let (_, html) = page(&t, &consent_path(&customer), &[]).await;
    assert!(html.contains("<html lang=\"sv\">"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_claim_form_sets_the_customer_contacts_language() {
    let t = TestApp::start().await;
    let id = t
        .create(ADMIN, m365("Contoso Teams", "1234567", &["teams"]))
        .await;
    let mut v = support::web::Visitor::new(&t);
    v.sign_in(ADMIN).await;
    let path = format!("/claims/{id}/edit/contacts");
    let form = v.get(&path).await;
    assert!(
        form.has("<select id=\"customer_language\""),
        "{}",
        form.html
    );
    assert!(form.has(">Customer contact language</label>"));
    assert!(form.has(">Français</option>") && form.has(">Svenska</option>"));
    let csrf = form.csrf();
    let fields = |lang: &'static str| {
        vec![
            ("customer_name", "Ana Silva"),
            ("customer_title", "CIO"),
            ("customer_email", "ana.silva@contoso.com"),
            ("customer_language", lang),
            ("partner_name", "Bo Berg"),
            ("partner_email", "bo.berg@partner.example"),
            ("go", "save"),
        ]
    };
    let mut sent = fields("fr");
    sent.push(("_csrf", &csrf));
    v.post(&path, &sent).await;
    assert_eq!(t.claim(&id).await["customer_contact"]["language"], "fr");
    let again = v.get(&path).await;
    assert!(
        again.has("value=\"fr\" lang=\"fr\" selected"),
        "{}",
        again.html
    );
    // A language the product does not speak is refused, named by its field.
    let mut sent = fields("de");
    sent.push(("_csrf", &csrf));
    let refused = v.post(&path, &sent).await;
    assert!(refused.has("Customer contact language"), "{}", refused.html);
    assert_eq!(t.claim(&id).await["customer_contact"]["language"], "fr");
    // Empty is the default: the language is cleared.
    let mut sent = fields("");
    sent.push(("_csrf", &csrf));
    v.post(&path, &sent).await;
    assert!(
        t.claim(&id).await["customer_contact"]
            .get("language")
            .is_none()
    );
}
