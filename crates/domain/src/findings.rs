//! Pre-flight findings on a proof-of-execution document (docs/product.md, proof of
//! execution): what its text shows of what a reviewer checks. Findings never decide; they
//! inform the partner before submitting and the reviewer beside the document, each gap
//! with the reason it suggests.

use crate::claim::{Claim, Reason};
use crate::reference::Reference;
use crate::string_enum;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

string_enum!(
    /// Whether the document could be read.
    Readability, "readability", "readability" {
        Read = "read",
        /// Images and mail files kept as they are: only their type is known.
        NotText = "not_text",
        Encrypted = "encrypted",
        Empty = "empty",
        /// Damaged, too large once unpacked, or too slow to read.
        Unreadable = "unreadable",
    }
);

/// What one document shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    pub readability: Readability,
    /// Dates found in the text (at most [`MAX_DATES`], the latest first).
    pub dates: Vec<Date>,
    /// Whether one of them is within the 12 months before the upload.
    pub recent_date: bool,
    /// The claimed products and subscriptions the text names (catalog names or ids).
    pub names: Vec<String>,
    pub names_customer: bool,
    pub names_partner: bool,
    /// A signature field, a signed PDF, or signature wording.
    pub signature: bool,
}

/// The most dates kept per document.
pub const MAX_DATES: usize = 10;

impl Findings {
    /// Findings of a document whose text could not be had.
    pub fn unread(readability: Readability) -> Findings {
        Findings {
            readability,
            dates: Vec::new(),
            recent_date: false,
            names: Vec::new(),
            names_customer: false,
            names_partner: false,
            signature: false,
        }
    }

    /// The reasons a reviewer might send the claim back for, as this document shows.
    pub fn suggests(&self) -> Vec<Reason> {
        if self.readability != Readability::Read {
            return Vec::new();
        }
        let mut out = Vec::new();
        if !self.recent_date {
            out.push(Reason::MissingOrOldDates);
        }
        if self.names.is_empty() {
            out.push(Reason::MissingProducts);
        }
        if !self.signature {
            out.push(Reason::MissingCustomerSignature);
        }
        if !self.names_partner {
            out.push(Reason::MissingPartnerSolution);
        }
        out
    }
}

/// The findings of a document of `claim` (of the organisation named `partner`) whose
/// text is `text`, uploaded at `uploaded`; `signed` when the file itself carries a
/// signature (a signed PDF, a signature field).
pub fn analyse(
    text: &str,
    signed: bool,
    claim: &Claim,
    partner: &str,
    reference: &Reference,
    uploaded: Timestamp,
) -> Findings {
    if text.trim().is_empty() {
        return Findings {
            signature: signed,
            ..Findings::unread(Readability::Empty)
        };
    }
    let lower = text.to_lowercase();
    let has = |needle: &str| {
        let n = needle.trim().to_lowercase();
        n.chars().count() >= 3 && lower.contains(&n)
    };
    let mut dates = dates_in(text);
    dates.sort_by(|a, b| b.cmp(a));
    dates.dedup();
    dates.truncate(MAX_DATES);
    let today = uploaded
        .to_zoned(reference.calendar.time_zone().clone())
        .date();
    let year_ago = today
        .checked_sub(jiff::Span::new().years(1))
        .unwrap_or(today);
    let recent_date = dates.iter().any(|d| *d >= year_ago && *d <= today);
    let f = &claim.fields;
    let mut names = Vec::new();
    for line in &f.products {
        let product = reference.catalog.name_of(&line.product).to_string();
        if has(&product)
            || has(line.product.as_str())
            || has(&line.product.as_str().replace('_', " "))
        {
            names.push(product);
        }
        if let Some(s) = line.subscription_id
            && has(&s.to_string())
        {
            names.push(s.to_string());
        }
    }
    let customer = f
        .customer_contact
        .as_ref()
        .is_some_and(|c| has(&c.name.to_string()))
        || has(&f.domain.to_unicode())
        || has(&f.tenant_id.to_string());
    let names_partner = has(partner) || has(f.mpn_id.as_str());
    let signature = signed || SIGNATURE_WORDS.iter().any(|w| lower.contains(w));
    Findings {
        readability: Readability::Read,
        dates,
        recent_date,
        names,
        names_customer: customer,
        names_partner,
        signature,
    }
}

/// Words that say a document is signed, in the four languages.
const SIGNATURE_WORDS: [&str; 10] = [
    "signed",
    "signature:",
    "/s/",
    "signé",
    "signature du client",
    "assinado",
    "assinatura:",
    "underskrift:",
    "undertecknad",
    "signerad",
];

/// Month names of the four languages (and their common abbreviations), by number.
const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("abril", 4),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("agosto", 8),
    ("setembro", 9),
    ("outubro", 10),
    ("dezembro", 12),
    ("januari", 1),
    ("februari", 2),
    ("mars", 3),
    ("maj", 5),
    ("juni", 6),
    ("juli", 7),
    ("augusti", 8),
    ("oktober", 10),
    ("sept", 9),
    ("oct", 10),
    ("dec", 12),
    ("jan", 1),
    ("feb", 2),
    ("aug", 8),
    ("nov", 11),
];

fn month(word: &str) -> Option<u8> {
    let w = word.to_lowercase();
    MONTHS.iter().find(|(name, _)| *name == w).map(|(_, n)| *n)
}

fn number(word: &str) -> Option<i32> {
    (!word.is_empty() && word.len() <= 4 && word.chars().all(|c| c.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

fn date(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1990..=2100).contains(&y) {
        return None;
    }
    Date::new(y as i16, m as i8, d as i8).ok()
}

/// The dates a text writes: `2026-10-15`, `15/10/2026`, `15.10.2026`, `10/15/2026` (when
/// it cannot be a day first), `15 October 2026`, `October 15, 2026`, `15 de outubro de
/// 2026`, in any of the four languages.
pub fn dates_in(text: &str) -> Vec<Date> {
    let mut out = Vec::new();
    // Numeric forms, on the text split at anything but digits and separators.
    for token in text.split(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.'))) {
        let parts: Vec<&str> = token
            .split(['-', '/', '.'])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() != 3 {
            continue;
        }
        let n: Vec<Option<i32>> = parts.iter().map(|p| number(p)).collect();
        let (Some(a), Some(b), Some(c)) = (n[0], n[1], n[2]) else {
            continue;
        };
        let found = if parts[0].len() == 4 {
            date(a, b, c)
        } else if parts[2].len() == 4 {
            date(c, b, a).or_else(|| date(c, a, b))
        } else {
            None
        };
        out.extend(found);
    }
    // Written forms, on the words.
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Some(m) = month(w) else { continue };
        let before = i
            .checked_sub(1)
            .and_then(|j| words.get(j))
            .and_then(|w| number(w));
        let before2 = i
            .checked_sub(2)
            .and_then(|j| words.get(j))
            .and_then(|w| number(w));
        let after: Vec<Option<i32>> = (1..=3)
            .map(|k| words.get(i + k).and_then(|w| number(w)))
            .collect();
        let year_after = after.iter().flatten().find(|y| **y >= 1990).copied();
        // "15 October 2026", "15 de outubro de 2026"
        let day_before = before.or(before2).filter(|d| *d <= 31);
        let found = match (day_before, year_after, after[0]) {
            (Some(d), Some(y), _) => date(y, m as i32, d),
            // "October 15, 2026"
            (None, Some(y), Some(d)) if d <= 31 => date(y, m as i32, d),
            _ => None,
        };
        out.extend(found);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn dates_are_found_in_every_language_and_form() {
        let text = "Signed 2026-10-15; started 01/09/2026 and 09.08.2026, invoiced 12/31/2025. \
            Le 3 octobre 2026, em 15 de outubro de 2026, den 2 oktober 2026, on March 4, 2026. \
            Order 2026 items, room 12/45/2026, phone 555-1234.";
        let found = dates_in(text);
        for want in [
            d(2026, 10, 15),
            d(2026, 9, 1),
            d(2026, 8, 9),
            d(2025, 12, 31),
            d(2026, 10, 3),
            d(2026, 10, 2),
            d(2026, 3, 4),
        ] {
            assert!(found.contains(&want), "{want} in {found:?}");
        }
        assert!(
            !found
                .iter()
                .any(|x| x.year() == 2026 && x.month() == 12 && x.day() == 45)
        );
    }
}
