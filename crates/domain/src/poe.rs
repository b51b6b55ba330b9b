//! Proof-of-execution files (docs/product.md, the claim): which types are allowed, and that
//! the content is of the type its name says (magic bytes, never the name alone).

use crate::error::{ErrorCode, FieldError};
use crate::string_enum;
use crate::values::{PoeId, UserId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

string_enum!(
    /// The allowed document types.
    PoeKind, "file", "document type" {
        Pdf = "pdf",
        Docx = "docx",
        Xlsx = "xlsx",
        Pptx = "pptx",
        Png = "png",
        Jpeg = "jpeg",
        Eml = "eml",
        Msg = "msg",
    }
);

impl PoeKind {
    pub fn media_type(self) -> &'static str {
        match self {
            PoeKind::Pdf => "application/pdf",
            PoeKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            PoeKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            PoeKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            PoeKind::Png => "image/png",
            PoeKind::Jpeg => "image/jpeg",
            PoeKind::Eml => "message/rfc822",
            PoeKind::Msg => "application/vnd.ms-outlook",
        }
    }

    /// The type a file name's extension claims.
    pub fn from_file_name(name: &str) -> Option<PoeKind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => PoeKind::Pdf,
            "docx" => PoeKind::Docx,
            "xlsx" => PoeKind::Xlsx,
            "pptx" => PoeKind::Pptx,
            "png" => PoeKind::Png,
            "jpg" | "jpeg" => PoeKind::Jpeg,
            "eml" => PoeKind::Eml,
            "msg" => PoeKind::Msg,
            _ => return None,
        })
    }

    /// The type the content is, by its magic bytes and structure.
    pub fn detect(bytes: &[u8]) -> Option<PoeKind> {
        use infer::{doc, image};
        if bytes.starts_with(b"%PDF-") {
            Some(PoeKind::Pdf)
        } else if image::is_png(bytes) {
            Some(PoeKind::Png)
        } else if image::is_jpeg(bytes) {
            Some(PoeKind::Jpeg)
        } else if doc::is_docx(bytes) {
            Some(PoeKind::Docx)
        } else if doc::is_xlsx(bytes) {
            Some(PoeKind::Xlsx)
        } else if doc::is_pptx(bytes) {
            Some(PoeKind::Pptx)
        } else if is_outlook_msg(bytes) {
            Some(PoeKind::Msg)
        } else if is_rfc822(bytes) {
            Some(PoeKind::Eml)
        } else {
            None
        }
    }

    /// Checks an uploaded file: a name with an allowed extension, content of that type,
    /// not empty and within the policy's size. All problems are reported at `file`.
    pub fn check(file_name: &str, bytes: &[u8], max_bytes: u64) -> Result<PoeKind, FieldError> {
        let allowed = "PDF, DOCX, XLSX, PPTX, PNG, JPEG, EML or MSG";
        let Some(claimed) = PoeKind::from_file_name(file_name) else {
            return Err(FieldError::new(
                "file",
                ErrorCode::InvalidEnumValue,
                format!("\"{file_name}\" is not an allowed document: upload a {allowed} file."),
            ));
        };
        if bytes.is_empty() {
            return Err(FieldError::new(
                "file",
                ErrorCode::Required,
                format!("\"{file_name}\" is empty."),
            ));
        }
        if bytes.len() as u64 > max_bytes {
            return Err(FieldError::new(
                "file",
                ErrorCode::ValueOutOfRange,
                format!(
                    "A document is at most {} MiB; \"{file_name}\" is larger.",
                    max_bytes / (1024 * 1024)
                ),
            ));
        }
        match PoeKind::detect(bytes) {
            Some(found) if found == claimed => Ok(found),
            found => Err(FieldError::new(
                "file",
                ErrorCode::InvalidFormat,
                match found {
                    Some(f) => format!(
                        "\"{file_name}\" is named as a {} file but its content is a {} file.",
                        claimed.as_str().to_uppercase(),
                        f.as_str().to_uppercase()
                    ),
                    None => format!(
                        "The content of \"{file_name}\" is not a {} file.",
                        claimed.as_str().to_uppercase()
                    ),
                },
            )),
        }
    }
}

const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An Outlook message is an OLE2 compound file whose streams are named `__substg1.0_…`
/// (in UTF-16 in the directory sectors).
fn is_outlook_msg(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&OLE2_MAGIC) {
        return false;
    }
    let needle: Vec<u8> = "__substg1.0_"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// A saved e-mail: text starting with RFC 5322 header fields, among them at least `From:`
/// and one of `Date:`, `Subject:`, `To:` or `Message-ID:`, before the first empty line.
fn is_rfc822(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let Ok(text) =
        std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return false;
    };
    let mut names = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue; // folded header continuation
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            return false;
        }
        names.push(name.to_ascii_lowercase());
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    has("from") && (has("date") || has("subject") || has("to") || has("message-id"))
}

/// A stored proof-of-execution document of a claim (the bytes live in the object store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoeFile {
    pub id: PoeId,
    pub file_name: String,
    pub kind: PoeKind,
    pub size: u64,
    /// Hex SHA-256 of the content, so a reviewer can tell identical uploads apart.
    pub sha256: String,
    pub uploaded_at: Timestamp,
    pub uploaded_by: Option<UserId>,
}

/// The SHA-256 of a document, in hex: what a PoE record keeps of its content.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A file name as we keep it: the last path segment, without control characters, at
/// most 200 characters.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let trimmed = cleaned.trim();
    let name = if trimmed.is_empty() {
        "document"
    } else {
        trimmed
    };
    if name.chars().count() > 200 {
        // Keep the extension, which decides the type.
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let keep: String = name.chars().take(190).collect();
        format!("{keep}.{ext}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
pub(crate) mod samples {
    //! Smallest files of each type, made by hand for tests.

    /// A ZIP local file header naming `first`: enough for the OOXML check.
    fn zip_with_first_entry(first: &str) -> Vec<u8> {
        let mut v = vec![b'P', b'K', 3, 4];
        v.extend_from_slice(&[0u8; 22]);
        v.extend_from_slice(&(first.len() as u16).to_le_bytes());
        v.extend_from_slice(&0u16.to_le_bytes());
        v.extend_from_slice(first.as_bytes());
        v.extend_from_slice(&[0u8; 64]);
        v
    }

    pub fn pdf() -> Vec<u8> {
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .to_vec()
    }
    pub fn png() -> Vec<u8> {
        let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        v.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R']);
        v
    }
    pub fn jpeg() -> Vec<u8> {
        vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0]
    }
    pub fn docx() -> Vec<u8> {
        zip_with_first_entry("word/document.xml")
    }
    pub fn xlsx() -> Vec<u8> {
        zip_with_first_entry("xl/workbook.xml")
    }
    pub fn pptx() -> Vec<u8> {
        zip_with_first_entry("ppt/presentation.xml")
    }
    pub fn eml() -> Vec<u8> {
        b"From: Ana <ana@contoso.com>\r\nTo: bo@fabrikam.com\r\nSubject: Signed SOW\r\n\tcontinued\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\n\r\nSigned.\r\n".to_vec()
    }
    pub fn msg() -> Vec<u8> {
        let mut v = super::OLE2_MAGIC.to_vec();
        v.extend_from_slice(&[0u8; 504]);
        v.extend(
            "__substg1.0_0037001F"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u64 = 10 * 1024 * 1024;

    #[test]
    fn each_allowed_type_is_recognised_by_its_content() {
        let cases: [(&str, Vec<u8>, PoeKind); 9] = [
            ("sow.pdf", samples::pdf(), PoeKind::Pdf),
            ("sow.docx", samples::docx(), PoeKind::Docx),
            ("plan.xlsx", samples::xlsx(), PoeKind::Xlsx),
            ("deck.pptx", samples::pptx(), PoeKind::Pptx),
            ("shot.png", samples::png(), PoeKind::Png),
            ("scan.jpg", samples::jpeg(), PoeKind::Jpeg),
            ("scan.JPEG", samples::jpeg(), PoeKind::Jpeg),
            ("mail.eml", samples::eml(), PoeKind::Eml),
            ("mail.msg", samples::msg(), PoeKind::Msg),
        ];
        for (name, bytes, kind) in cases {
            assert_eq!(PoeKind::check(name, &bytes, MAX), Ok(kind), "{name}");
        }
    }

    #[test]
    fn a_file_whose_content_is_not_its_named_type_is_refused() {
        let e = PoeKind::check("sow.pdf", &samples::png(), MAX).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("file", ErrorCode::InvalidFormat)
        );
        assert!(e.message.contains("PNG"), "{}", e.message);
        let e = PoeKind::check("sow.docx", b"MZ\x90\x00 an executable", MAX).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidFormat);
        let e = PoeKind::check("notes.eml", b"just some text\nwithout headers", MAX).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidFormat);
        // An OLE2 file that is not an Outlook message (a legacy .doc) is no MSG.
        let mut doc = OLE2_MAGIC.to_vec();
        doc.extend_from_slice(&[0u8; 600]);
        assert_eq!(
            PoeKind::check("mail.msg", &doc, MAX).unwrap_err().code,
            ErrorCode::InvalidFormat
        );
    }

    #[test]
    fn types_outside_the_list_are_refused_by_name() {
        for name in ["run.exe", "page.html", "noextension", "archive.zip"] {
            let e = PoeKind::check(name, &samples::pdf(), MAX).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidEnumValue, "{name}");
        }
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        assert_eq!(
            PoeKind::check("a.pdf", b"", MAX).unwrap_err().code,
            ErrorCode::Required
        );
        let mut big = samples::pdf();
        big.resize(1025, b' ');
        assert_eq!(
            PoeKind::check("a.pdf", &big, 1024).unwrap_err().code,
            ErrorCode::ValueOutOfRange
        );
    }

    #[test]
    fn file_names_are_cleaned_of_paths_and_control_characters() {
        assert_eq!(
            clean_file_name("C:\\Users\\ana\\SOW signed.pdf"),
            "SOW signed.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd\u{0}.pdf"), "passwd.pdf");
        assert_eq!(clean_file_name(""), "document");
        let long = format!("{}.pdf", "x".repeat(300));
        assert!(clean_file_name(&long).ends_with(".pdf"));
        assert!(clean_file_name(&long).chars().count() <= 200);
    }
}
