//! The "Download template" document (docs/product.md, proof of execution): a statement
//! of work acknowledgement prefilled from the claim (the partner and its MPN ID, the
//! customer, the products or subscriptions, the activity), with what a reviewer needs to
//! see as a checklist and a dated signature block for the customer, in the reader's
//! language. The same blocks are written as DOCX (docx-rs) and as PDF (lopdf).

use crate::web::i18n::I18n;
use cpor_domain::claim::{Claim, Reason};
use cpor_domain::jiff::Timestamp;
use cpor_domain::reference::Reference;
use cpor_domain::string_enum;

string_enum!(
    /// The template's file format.
    Format, "format", "template format" {
        Docx = "docx",
        Pdf = "pdf",
    }
);

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Pdf => "application/pdf",
        }
    }
}

/// One block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Title(String),
    Heading(String),
    Text(String),
    Item(String),
    /// A label and a line to write on.
    Blank(String),
}

/// What the reviewer checks, as the reasons a claim is sent back for, with what the
/// document must show to avoid each.
const CHECKLIST: [(Reason, &str); 4] = [
    (Reason::MissingOrOldDates, "template-check-dates"),
    (Reason::MissingProducts, "template-check-products"),
    (Reason::MissingCustomerSignature, "template-check-signature"),
    (Reason::MissingPartnerSolution, "template-check-solution"),
];

/// The document's blocks for `claim` of the organisation `partner`, on `today`.
pub fn blocks(
    claim: &Claim,
    partner: &str,
    reference: &Reference,
    i: &I18n,
    today: Timestamp,
) -> Vec<Block> {
    let f = &claim.fields;
    let customer = f
        .customer_contact
        .as_ref()
        .map(|c| c.name.to_string())
        .unwrap_or_default();
    let args = vec![
        ("partner", partner.to_string()),
        ("mpn", f.mpn_id.to_string()),
        ("customer", customer),
        ("domain", f.domain.to_unicode()),
        ("tenant", f.tenant_id.to_string()),
        ("claim", f.name.to_string()),
        ("activity", i.code("activity", f.activity.as_str())),
    ];
    let t = |id: &str| i.ta(id, &args);
    let mut out = vec![
        Block::Title(t("template-title")),
        Block::Text(t("template-intro")),
        Block::Heading(t("template-parties")),
        Block::Item(t("template-partner")),
        Block::Item(t("template-customer")),
        Block::Heading(t("template-work")),
        Block::Text(t("template-activity")),
    ];
    for line in &f.products {
        let name = reference.catalog.name_of(&line.product).to_string();
        out.push(Block::Item(match line.subscription_id {
            Some(s) => i.ta(
                "mail-product-subscription",
                &[("product", name), ("subscription", s.to_string())],
            ),
            None => name,
        }));
    }
    out.push(Block::Blank(t("template-description")));
    out.push(Block::Blank(t("template-period")));
    out.push(Block::Heading(t("template-checklist")));
    out.push(Block::Text(t("template-checklist-intro")));
    for (reason, what) in CHECKLIST {
        out.push(Block::Item(format!(
            "{}: {}",
            i.code("reason", reason.as_str()),
            t(what)
        )));
    }
    out.push(Block::Heading(t("template-signature")));
    out.push(Block::Text(t("template-signature-intro")));
    for label in [
        "template-sign-name",
        "template-sign-title",
        "template-sign-date",
        "template-sign-here",
    ] {
        out.push(Block::Blank(t(label)));
    }
    out.push(Block::Text(i.t1(
        "template-prepared",
        "date",
        i.date(today),
    )));
    out
}

/// The blocks as a Word document.
pub fn docx(blocks: &[Block]) -> Result<Vec<u8>, String> {
    use docx_rs::{Docx, Paragraph, Run};
    let mut doc = Docx::new();
    for b in blocks {
        let p = match b {
            Block::Title(s) => Paragraph::new().add_run(Run::new().add_text(s).bold().size(36)),
            Block::Heading(s) => Paragraph::new().add_run(Run::new().add_text(s).bold().size(28)),
            Block::Text(s) => Paragraph::new().add_run(Run::new().add_text(s)),
            Block::Item(s) => Paragraph::new().add_run(Run::new().add_text(format!("• {s}"))),
            Block::Blank(s) => Paragraph::new().add_run(Run::new().add_text(format!(
                "{s}: ______________________________________________"
            ))),
        };
        doc = doc.add_paragraph(p);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// Text in the PDF's standard font: Windows-1252 (every letter of the four languages);
/// anything else becomes `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u8,
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            'œ' => 0x9c,
            'Œ' => 0x8c,
            _ => b'?',
        })
        .collect()
}

/// Lines of at most `width` characters, broken between words.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The blocks as a PDF: A4 pages in Helvetica, wrapped, as many pages as it takes.
pub fn pdf(blocks: &[Block]) -> Result<Vec<u8>, String> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, StringFormat, dictionary};
    let mut lines: Vec<(f32, bool, String)> = Vec::new();
    for b in blocks {
        let (size, bold, text, width) = match b {
            Block::Title(s) => (18.0, true, s.clone(), 50),
            Block::Heading(s) => (13.0, true, s.clone(), 70),
            Block::Text(s) => (10.5, false, s.clone(), 95),
            Block::Item(s) => (10.5, false, format!("• {s}"), 92),
            Block::Blank(s) => (
                10.5,
                false,
                format!("{s}: ________________________________"),
                95,
            ),
        };
        if matches!(b, Block::Heading(_)) {
            lines.push((6.0, false, String::new()));
        }
        for l in wrap(&text, width) {
            lines.push((size, bold, l));
        }
    }
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = |name: &str| {
        dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => name.to_string(),
            "Encoding" => "WinAnsiEncoding",
        }
    };
    let regular = doc.add_object(font("Helvetica"));
    let bold = doc.add_object(font("Helvetica-Bold"));
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => regular, "F2" => bold },
    });
    let (top, bottom, left) = (800.0_f32, 60.0_f32, 60.0_f32);
    let mut kids: Vec<Object> = Vec::new();
    let mut rest = lines.as_slice();
    while !rest.is_empty() {
        let mut ops = vec![Operation::new("BT", vec![])];
        let mut y = top;
        let mut used = 0;
        for (size, is_bold, text) in rest {
            let step = size * 1.45;
            if y - step < bottom && used > 0 {
                break;
            }
            y -= step;
            used += 1;
            if text.is_empty() {
                continue;
            }
            let f = if *is_bold { "F2" } else { "F1" };
            ops.push(Operation::new("Tf", vec![f.into(), (*size).into()]));
            ops.push(Operation::new(
                "Tm",
                vec![
                    1.into(),
                    0.into(),
                    0.into(),
                    1.into(),
                    left.into(),
                    y.into(),
                ],
            ));
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(win_ansi(text), StringFormat::Literal)],
            ));
        }
        ops.push(Operation::new("ET", vec![]));
        rest = &rest[used..];
        let content = Content { operations: ops }
            .encode()
            .map_err(|e| e.to_string())?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The document of `claim` in `format`, in the words of `i`, and its file name.
pub async fn render(
    app: &crate::state::App,
    claim: &Claim,
    i: &I18n,
    format: Format,
) -> crate::error::ApiResult<(Vec<u8>, String)> {
    use crate::error::ApiError;
    let reference = app.store.reference().await?;
    let partner = app
        .store
        .organisation(claim.org_id)
        .await?
        .map(|o| o.name.to_string())
        .unwrap_or_default();
    let blocks = blocks(claim, &partner, &reference, i, app.clock.now());
    let bytes = match format {
        Format::Docx => docx(&blocks),
        Format::Pdf => pdf(&blocks),
    }
    .map_err(ApiError::internal)?;
    let name: String = claim
        .fields
        .name
        .to_string()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    Ok((bytes, format!("poe-template-{name}.{format}")))
}

/// The answer carrying a rendered document.
pub fn download(bytes: Vec<u8>, file_name: &str, format: Format) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, format.media_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_between_words_and_speaks_windows_1252() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(win_ansi("Ärende “é” ã"), b"\xc4rende \x93\xe9\x94 \xe3");
        assert_eq!(win_ansi("漢"), b"?");
    }
}
