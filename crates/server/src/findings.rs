//! Reading a proof-of-execution document for its pre-flight findings (see
//! [`cpor_domain::findings`]): the text of a PDF (its first pages), of a DOCX, of an
//! XLSX's cells, of a PPTX's slides, of an e-mail; images and Outlook files are kept as
//! they are. Reading runs as a job off the request path, on a blocking thread, bounded in
//! pages, in unpacked bytes and in time, and never runs anything a document contains.

use cpor_domain::findings::Readability;
use cpor_domain::poe::PoeKind;
use std::io::Read as _;

/// The pages of a PDF read: a reviewer's dates and signatures are on the first ones.
pub const MAX_PAGES: usize = 40;
/// The most a document's parts may unpack to, all together (a zip bomb stops here).
pub const MAX_UNPACKED: u64 = 32 * 1024 * 1024;
/// The longest a document may take to read.
pub const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// A document's text, whether the file itself is signed, or why there is no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub readability: Readability,
    pub text: String,
    pub signed: bool,
}

impl Reading {
    fn none(readability: Readability) -> Reading {
        Reading {
            readability,
            text: String::new(),
            signed: false,
        }
    }
}

/// Reads `bytes` of a document of `kind` (blocking: run it on a blocking thread).
pub fn read(kind: PoeKind, bytes: &[u8]) -> Reading {
    match kind {
        PoeKind::Pdf => pdf(bytes),
        PoeKind::Docx => office(bytes, |n| n == "word/document.xml"),
        PoeKind::Xlsx => office(bytes, |n| {
            n == "xl/sharedStrings.xml" || (n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        }),
        PoeKind::Pptx => office(bytes, |n| {
            n.starts_with("ppt/slides/slide") && n.ends_with(".xml")
        }),
        PoeKind::Eml => Reading {
            readability: Readability::Read,
            text: String::from_utf8_lossy(bytes)
                .replace("=\r\n", "")
                .replace("=\n", ""),
            signed: false,
        },
        _ => Reading::none(Readability::NotText),
    }
}

/// Reads on a blocking thread, within [`READ_TIMEOUT`].
pub async fn read_bounded(kind: PoeKind, bytes: Vec<u8>) -> Reading {
    let task = tokio::task::spawn_blocking(move || read(kind, &bytes));
    match tokio::time::timeout(READ_TIMEOUT, task).await {
        Ok(Ok(r)) => r,
        // Too slow, or the reader panicked on a damaged file.
        _ => Reading::none(Readability::Unreadable),
    }
}

fn pdf(bytes: &[u8]) -> Reading {
    let doc = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(e) if e.to_string().to_lowercase().contains("encrypt") => {
            return Reading::none(Readability::Encrypted);
        }
        Err(_) => return Reading::none(Readability::Unreadable),
    };
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Reading::none(Readability::Encrypted);
    }
    let pages: Vec<u32> = doc.get_pages().keys().take(MAX_PAGES).copied().collect();
    let text = doc.extract_text(&pages).unwrap_or_default();
    // A signature field or a signature dictionary: the file is signed.
    let signed = doc.objects.values().any(|o| {
        o.as_dict().is_ok_and(|d| {
            d.get(b"Type")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n == b"Sig")
                || d.get(b"FT")
                    .and_then(|t| t.as_name())
                    .is_ok_and(|n| n == b"Sig")
        })
    });
    Reading {
        readability: Readability::Read,
        text,
        signed,
    }
}

/// The text of the parts of an Office file `wanted` names, within [`MAX_UNPACKED`].
fn office(bytes: &[u8], wanted: impl Fn(&str) -> bool) -> Reading {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Reading::none(Readability::Unreadable);
    };
    let mut budget = MAX_UNPACKED;
    let mut text = String::new();
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            return Reading::none(Readability::Unreadable);
        };
        if entry.encrypted() {
            return Reading::none(Readability::Encrypted);
        }
        if !wanted(entry.name()) {
            continue;
        }
        let mut xml = Vec::new();
        // Read one byte past the budget: a part that gets there is too large.
        if entry.take(budget + 1).read_to_end(&mut xml).is_err() {
            return Reading::none(Readability::Unreadable);
        }
        if xml.len() as u64 > budget {
            return Reading::none(Readability::Unreadable);
        }
        budget -= xml.len() as u64;
        text.push_str(&xml_text(&String::from_utf8_lossy(&xml)));
        text.push('\n');
    }
    Reading {
        readability: Readability::Read,
        text,
        signed: false,
    }
}

/// The text of an XML part: what lies between tags, entities decoded, a space where a
/// tag was (so words of two cells or runs do not run together).
pub fn xml_text(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 4);
    let mut in_tag = false;
    let mut rest = xml;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                in_tag = true;
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            '>' => in_tag = false,
            '&' if !in_tag => {
                let end = rest.find(';').filter(|e| *e <= 10);
                let (decoded, len) = match end.map(|e| &rest[1..e]) {
                    Some("amp") => ('&', 5),
                    Some("lt") => ('<', 4),
                    Some("gt") => ('>', 4),
                    Some("quot") => ('"', 6),
                    Some("apos") => ('\'', 6),
                    Some(num) if num.starts_with('#') => {
                        let n = num
                            .strip_prefix("#x")
                            .map(|h| u32::from_str_radix(h, 16))
                            .unwrap_or_else(|| num[1..].parse());
                        (
                            n.ok().and_then(char::from_u32).unwrap_or(' '),
                            num.len() + 2,
                        )
                    }
                    _ => ('&', 1),
                };
                out.push(decoded);
                rest = &rest[len..];
                continue;
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_keeps_words_apart_and_decodes_entities() {
        let xml = r#"<w:p><w:r><w:t>Contoso&amp;Co</w:t></w:r><w:r><w:t>15&#47;10&#x2F;2026</w:t></w:r></w:p>"#;
        assert_eq!(
            xml_text(xml).split_whitespace().collect::<Vec<_>>(),
            ["Contoso&Co", "15/10/2026"]
        );
    }
}
