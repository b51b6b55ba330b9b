//! Pre-flight findings on documents the test makes (docs/product.md, proof of
//! execution): dated, undated, old-dated, with and without product names, signed and
//! unsigned PDFs, an encrypted PDF, Office files and a zip bomb dressed as a DOCX. The
//! findings are read by the job queued with each upload, shown on the claim's page (with
//! the reasons they suggest, to reviewers) and before submitting.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::findings::{Findings, Readability};
use cpor_server::template::{Block, pdf};
use std::io::Write;
use support::web::Visitor;
use support::*;

const ADMIN: &str = "adatum:incentives_admin";

fn text_pdf(lines: &[&str]) -> Vec<u8> {
    pdf(&lines
        .iter()
        .map(|l| Block::Text(l.to_string()))
        .collect::<Vec<_>>())
    .unwrap()
}

/// A PDF with a signature field and no signature wording.
fn signed_pdf() -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(&text_pdf(&["Work accepted 2026-11-02."])).unwrap();
    doc.add_object(
        lopdf::dictionary! { "FT" => "Sig", "T" => lopdf::Object::string_literal("Customer") },
    );
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF whose trailer says it is encrypted.
fn encrypted_pdf() -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(&text_pdf(&["Secret 2026-11-02"])).unwrap();
    let encrypt = doc.add_object(lopdf::dictionary! { "Filter" => "Standard", "V" => 2, "R" => 3 });
    doc.trailer.set("Encrypt", encrypt);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A zip of `parts`, deflated, the first part first.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn docx_of(text: &str) -> Vec<u8> {
    let xml = format!(
        "<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    );
    zip_of(&[
        ("word/document.xml", xml.as_bytes()),
        ("[Content_Types].xml", b"<Types/>"),
    ])
}

/// Word's document part of 100 MiB of spaces: a few hundred KiB packed.
fn zip_bomb() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", options).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..100 {
        w.write_all(&chunk).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn png() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    v.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R']);
    v
}

async fn findings_of(t: &TestApp, claim: &str, file: &str, bytes: Vec<u8>) -> Findings {
    let r = t.upload(claim, ADMIN, file, bytes).await;
    assert_eq!(r.status, reqwest::StatusCode::OK, "{file}: {}", r.body);
    let poe = r.body["poe"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|p| p["file_name"] == file)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    t.run_jobs().await;
    t.store
        .findings(claim.parse().unwrap())
        .await
        .unwrap()
        .into_iter()
        .find(|(id, _)| *id == poe)
        .map(|(_, f)| f)
        .unwrap_or_else(|| panic!("{file} was read"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_are_read_for_what_a_reviewer_checks() {
    let t = TestApp::start().await;
    // Uploaded on 20 November 2026.
    let id = t
        .create(ADMIN, m365("Contoso Teams", "1234567", &["teams"]))
        .await;
    let good = findings_of(
        &t,
        &id,
        "good.pdf",
        text_pdf(&[
            "Adatum Consulting deployed Microsoft Teams for Ana Silva at contoso.com.",
            "Work from 15 September 2026 to 2026-11-02.",
            "Signature: Ana Silva",
        ]),
    )
    .await;
    assert_eq!(good.readability, Readability::Read);
    assert!(good.recent_date, "{good:?}");
    assert!(
        good.dates
            .contains(&cpor_domain::jiff::civil::date(2026, 11, 2))
    );
    assert_eq!(good.names, ["Microsoft Teams"]);
    assert!(good.names_customer && good.names_partner && good.signature);
    assert!(good.suggests().is_empty());

    let bare = findings_of(&t, &id, "bare.pdf", text_pdf(&["Some work was done."])).await;
    assert!(bare.dates.is_empty() && !bare.recent_date);
    assert!(bare.names.is_empty() && !bare.signature && !bare.names_customer);
    assert_eq!(
        bare.suggests()
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
        [
            "missing_or_old_dates",
            "missing_products",
            "missing_customer_signature",
            "missing_partner_solution"
        ]
    );

    let old = findings_of(
        &t,
        &id,
        "old.pdf",
        text_pdf(&["Delivered 5 January 2023 at contoso.com."]),
    )
    .await;
    assert_eq!(old.dates, [cpor_domain::jiff::civil::date(2023, 1, 5)]);
    assert!(!old.recent_date, "more than 12 months before the upload");

    let signed = findings_of(&t, &id, "signed.pdf", signed_pdf()).await;
    assert!(signed.signature, "a signature field counts");

    let secret = findings_of(&t, &id, "secret.pdf", encrypted_pdf()).await;
    assert_eq!(secret.readability, Readability::Encrypted);

    let docx = findings_of(
        &t,
        &id,
        "sow.docx",
        docx_of("Signé le 3 octobre 2026 par Ana Silva — Microsoft Teams &amp; formation"),
    )
    .await;
    assert_eq!(docx.readability, Readability::Read);
    assert!(docx.recent_date && docx.signature && docx.names_customer);
    assert_eq!(docx.names, ["Microsoft Teams"]);

    let xlsx = findings_of(
        &t,
        &id,
        "hours.xlsx",
        zip_of(&[
            (
                "xl/sharedStrings.xml",
                b"<sst><si><t>Teams rollout</t></si><si><t>2026-10-01</t></si></sst>" as &[u8],
            ),
            ("[Content_Types].xml", b"<Types/>"),
        ]),
    )
    .await;
    assert!(xlsx.recent_date, "{xlsx:?}");

    let bomb = findings_of(&t, &id, "bomb.docx", zip_bomb()).await;
    assert_eq!(
        bomb.readability,
        Readability::Unreadable,
        "stopped at the unpacked budget"
    );

    let image = findings_of(&t, &id, "photo.png", png()).await;
    assert_eq!(image.readability, Readability::NotText);

    // The partner sees the findings and, before submitting, what no document shows.
    let mut v = Visitor::new(&t);
    v.sign_in(ADMIN).await;
    let page = v.get(&format!("/claims/{id}")).await;
    assert!(
        page.has("No date found") && page.has("Names Microsoft Teams"),
        "{}",
        page.html
    );
    assert!(page.has("Encrypted: it could not be read"));
    assert!(!page.has("May suggest"), "suggestions are the reviewer's");
    // The reviewer sees the reasons each gap suggests.
    let id2 = t
        .create(ADMIN, m365("Contoso Intune", "1234567", &["intune"]))
        .await;
    findings_of(&t, &id2, "bare.pdf", text_pdf(&["Some work was done."])).await;
    let wizard = v.get(&format!("/claims/{id2}/edit/documents")).await;
    assert!(
        wizard.has("no date within the last 12 months is found in any document"),
        "{}",
        wizard.html
    );
    t.ok(
        &format!("/api/v1/claims/{id2}/submit"),
        ADMIN,
        serde_json::json!({}),
    )
    .await;
    let mut r = Visitor::new(&t);
    r.sign_in("operator:reviewer").await;
    let seen = r.get(&format!("/claims/{id2}")).await;
    assert!(
        seen.has("May suggest: Missing or old dates"),
        "{}",
        seen.html
    );
    // The same over the API: suggestions for operators only.
    let api = t
        .get(
            &format!("/api/v1/claims/{id2}/findings"),
            "operator:reviewer",
        )
        .await;
    assert_eq!(api.body["items"][0]["readability"], "read", "{}", api.body);
    assert_eq!(api.body["items"][0]["suggests"][0], "missing_or_old_dates");
    let partner = t
        .get(&format!("/api/v1/claims/{id2}/findings"), ADMIN)
        .await;
    assert_eq!(partner.body["items"][0]["recent_date"], false);
    assert_eq!(partner.body["items"][0]["suggests"], serde_json::json!([]));
}

/// A PDF of 10,000 pages: read within the time bound, only its first pages looked at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_thousand_page_pdf_is_read_within_bounds() {
    use lopdf::dictionary;
    let mut doc = lopdf::Document::load_mem(&text_pdf(&["Work accepted 2026-11-02."])).unwrap();
    let pages_id = doc
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    let first = doc.get_pages()[&1];
    let mut kids = vec![lopdf::Object::Reference(first)];
    for n in 1..10_000 {
        let content = lopdf::Stream::new(
            dictionary! {},
            format!("BT /F1 10 Tf 60 700 Td (Page {n} from 2019-01-01) Tj ET").into_bytes(),
        );
        let content_id = doc.add_object(content);
        let resources = doc
            .get_object(first)
            .unwrap()
            .as_dict()
            .unwrap()
            .get(b"Resources")
            .unwrap()
            .clone();
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    let pages = doc.get_object_mut(pages_id).unwrap().as_dict_mut().unwrap();
    pages.set("Kids", kids);
    pages.set("Count", 10_000);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let started = std::time::Instant::now();
    let reading = cpor_server::findings::read_bounded(cpor_domain::poe::PoeKind::Pdf, bytes).await;
    assert!(
        started.elapsed()
            <= cpor_server::findings::READ_TIMEOUT + std::time::Duration::from_secs(1)
    );
    assert_eq!(reading.readability, Readability::Read);
    assert!(
        reading.text.contains("2026-11-02"),
        "the first page is read"
    );
    assert!(
        !reading.text.contains("Page 9999"),
        "the last pages are not"
    );
}
