//! The "Download template" document (docs/product.md, proof of execution): DOCX and PDF
//! parsed back by readers carry the claim's fields, in the reader's language.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::claim::hash_secret;
use reqwest::StatusCode;
use support::*;

const ADMIN: &str = "adatum:incentives_admin";

/// The text of a PDF, every page.
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF a reader opens");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

/// The text of a DOCX, paragraph by paragraph.
fn docx_text(bytes: &[u8]) -> String {
    let doc = docx_rs::read_docx(bytes).expect("a DOCX a reader opens");
    let mut out = String::new();
    for child in &doc.document.children {
        if let docx_rs::DocumentChild::Paragraph(p) = child {
            for c in &p.children {
                if let docx_rs::ParagraphChild::Run(r) = c {
                    for rc in &r.children {
                        if let docx_rs::RunChild::Text(t) = rc {
                            out.push_str(&t.text);
                        }
                    }
                }
            }
            out.push('\n');
        }
    }
    out
}

async fn get(t: &TestApp, path: &str) -> (StatusCode, String, Vec<u8>) {
    let r = t
        .client
        .get(format!("{}{path}", t.base))
        .bearer_auth(t.token(ADMIN))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_template_carries_the_claim_in_each_language_and_format() {
    let t = TestApp::start().await;
    let id = t
        .create(
            ADMIN,
            m365("Contoso Intune", "1234567", &["intune", "teams"]),
        )
        .await;
    let me = t
        .store
        .user_by_token(&hash_secret(t.token(ADMIN)), start_time())
        .await
        .unwrap()
        .unwrap();
    for (lang, words) in [
        ("en", "Statement of work acknowledgement"),
        ("fr", "Attestation de réalisation des travaux"),
        ("pt-BR", "Declaração de execução dos serviços"),
        ("sv", "Bekräftelse av utfört arbete"),
    ] {
        t.store.set_language(me.id, Some(lang)).await.unwrap();
        let (status, kind, pdf) =
            get(&t, &format!("/api/v1/claims/{id}/poe-template?format=pdf")).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert_eq!(kind, "application/pdf");
        let (_, kind, docx) = get(&t, &format!("/api/v1/claims/{id}/poe-template")).await;
        assert!(kind.contains("wordprocessingml"), "DOCX by default: {kind}");
        for text in [pdf_text(&pdf), docx_text(&docx)] {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for field in [
                words,
                "Adatum",
                "1234567",
                "Ana Silva",
                "contoso.com",
                cpor_domain::sample::CONTOSO,
                "Microsoft Intune",
                "Microsoft Teams",
                "Contoso Intune",
            ] {
                assert!(flat.contains(field), "{lang}: {field:?} in {flat}");
            }
        }
    }
    // A format it does not make is named; another organisation's claim does not exist.
    let (status, _, _) = get(&t, &format!("/api/v1/claims/{id}/poe-template?format=odt")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .get(
            &format!("/api/v1/claims/{id}/poe-template"),
            "litware:incentives_admin",
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_claims_page_and_the_wizard_offer_the_template() {
    use support::web::Visitor;
    let t = TestApp::start().await;
    let id = t
        .create(ADMIN, m365("Contoso Intune", "1234567", &["intune"]))
        .await;
    let mut v = Visitor::new(&t);
    v.sign_in(ADMIN).await;
    let link = format!("/claims/{id}/poe-template?format=pdf");
    assert!(v.get(&format!("/claims/{id}")).await.has(&link));
    assert!(
        v.get(&format!("/claims/{id}/edit/documents"))
            .await
            .has(&link)
    );
    let r = t
        .client
        .get(format!("{}{link}", t.base))
        .send()
        .await
        .unwrap();
    assert!(
        r.url().path().starts_with("/login"),
        "not without signing in: {}",
        r.url()
    );
}
