//! A document's pre-flight findings in words, as the claim's page and the claim form's
//! documents step show them (see [`cpor_domain::findings`]).

use crate::web::i18n::I18n;
use cpor_domain::findings::{Findings, Readability};

/// What a document shows, one phrase per check; "being read" until its job ran.
pub fn words(f: Option<&Findings>, i: &I18n) -> Vec<String> {
    let Some(f) = f else {
        return vec![i.t("finding-pending")];
    };
    match f.readability {
        Readability::Read => {}
        Readability::NotText => return vec![i.t("finding-not-text")],
        Readability::Encrypted => return vec![i.t("finding-encrypted")],
        Readability::Empty => return vec![i.t("finding-empty")],
        Readability::Unreadable => return vec![i.t("finding-unreadable")],
    }
    let dates = f
        .dates
        .iter()
        .take(3)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let yes_no = |yes: bool, y: &str, n: &str| i.t(if yes { y } else { n });
    vec![
        match (f.dates.is_empty(), f.recent_date) {
            (true, _) => i.t("finding-no-date"),
            (false, true) => i.t1("finding-dates-recent", "dates", dates),
            (false, false) => i.t1("finding-dates-old", "dates", dates),
        },
        if f.names.is_empty() {
            i.t("finding-no-names")
        } else {
            i.t1("finding-names", "names", f.names.join(", "))
        },
        yes_no(f.names_customer, "finding-customer", "finding-no-customer"),
        yes_no(f.names_partner, "finding-partner", "finding-no-partner"),
        yes_no(f.signature, "finding-signature", "finding-no-signature"),
    ]
}

/// The reasons a reviewer might send the claim back for, as the document shows, in words.
pub fn suggests(f: Option<&Findings>, i: &I18n) -> Option<String> {
    let reasons = f?.suggests();
    (!reasons.is_empty()).then(|| {
        i.t1(
            "finding-suggests",
            "reasons",
            reasons
                .iter()
                .map(|r| i.code("reason", r.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        )
    })
}

/// What no document of the claim shows yet, for the partner before submitting ("no date
/// found in any document").
pub fn gaps(all: &[Findings], i: &I18n) -> Vec<String> {
    let read: Vec<&Findings> = all
        .iter()
        .filter(|f| f.readability == Readability::Read)
        .collect();
    if read.is_empty() {
        return Vec::new();
    }
    let none = |check: fn(&Findings) -> bool| !read.iter().any(|f| check(f));
    let mut out = Vec::new();
    if none(|f| f.recent_date) {
        out.push(i.t("gap-no-recent-date"));
    }
    if none(|f| !f.names.is_empty()) {
        out.push(i.t("gap-no-products"));
    }
    if none(|f| f.signature) {
        out.push(i.t("gap-no-signature"));
    }
    if none(|f| f.names_partner) {
        out.push(i.t("gap-no-partner"));
    }
    out
}
