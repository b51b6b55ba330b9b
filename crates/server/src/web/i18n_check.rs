//! The translations are complete: every language has the same messages, every message a
//! page asks for exists, every code of the domain has its words, and no message is left
//! unused.

use super::i18n::{I18n, Lang};
use cpor_domain::jiff::tz::TimeZone;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Message ids per file name, for one language.
fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    files_under(&root().join("locales").join(lang), "ftl", &mut files);
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let ids = text
                .lines()
                .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
                .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
                .collect();
            (
                f.file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
                ids,
            )
        })
        .collect()
}

/// Every quoted word of the portal's templates and of the server's code that could be a
/// message id.
fn literals() -> BTreeSet<String> {
    let mut files = Vec::new();
    files_under(&root().join("templates").join("web"), "html", &mut files);
    files_under(&root().join("src"), "rs", &mut files);
    let mut out = BTreeSet::new();
    for f in files.iter().filter(|f| !f.ends_with("i18n_check.rs")) {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        // Between any two quotes; in templates, quotes nest (`"{{ t("id") }}"`), so
        // every piece is tried whatever its parity.
        for piece in text.split('"') {
            let is_id = !piece.is_empty()
                && piece
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if is_id {
                out.insert(piece.to_string());
            }
        }
    }
    out
}

/// Prefixes of messages chosen at run time from a code (`i.code("status", …)`).
fn dynamic_prefixes() -> BTreeSet<String> {
    let mut files = Vec::new();
    files_under(&root().join("templates").join("web"), "html", &mut files);
    files_under(&root().join("src").join("web"), "rs", &mut files);
    let mut out = BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for piece in text.split("code(\"").skip(1) {
            if let Some((prefix, _)) = piece.split_once('"') {
                out.insert(prefix.to_string());
            }
        }
        for piece in text.split("format!(\"").skip(1) {
            if let Some((prefix, _)) = piece.split_once("-{") {
                out.insert(prefix.to_string());
            }
        }
    }
    out
}

#[test]
fn every_language_has_the_same_messages_in_the_same_files() {
    let en = messages("en");
    assert!(!en.is_empty(), "no English messages found");
    for lang in Lang::ALL.iter().map(|l| l.code()).filter(|l| *l != "en") {
        let other = messages(lang);
        for (file, ids) in &en {
            let theirs = other.get(file).cloned().unwrap_or_default();
            let missing: Vec<_> = ids.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(ids).collect();
            assert!(missing.is_empty(), "{lang}/{file} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang}/{file} has unknown {extra:?}");
        }
        assert_eq!(other.len(), en.len(), "{lang} has other files than en");
    }
}

#[test]
fn every_message_is_used_and_every_literal_id_exists() {
    let all: BTreeSet<String> = messages("en").into_values().flatten().collect();
    let used = literals();
    let prefixes = dynamic_prefixes();
    let unused: Vec<&String> = all
        .iter()
        .filter(|id| !used.contains(*id))
        .filter(|id| !prefixes.iter().any(|p| id.starts_with(&format!("{p}-"))))
        .collect();
    assert!(unused.is_empty(), "messages nobody uses: {unused:?}");
}

#[test]
fn every_code_of_the_domain_has_its_words_in_every_language() {
    use cpor_domain::claim::{DisputeOutcome, Phase, Reason, Sla, Status, Template, Thread};
    use cpor_domain::reference::{Activity, Channel, Program, SolutionArea, SubscriptionState};
    use cpor_domain::{Role, Side};
    let mut ids: Vec<String> = Vec::new();
    let mut add = |prefix: &str, codes: Vec<&'static str>| {
        ids.extend(codes.into_iter().map(|c| format!("{prefix}-{c}")));
    };
    add("status", Status::ALL.iter().map(|s| s.as_str()).collect());
    add(
        "status-help",
        Status::ALL.iter().map(|s| s.as_str()).collect(),
    );
    add("phase", Phase::ALL.iter().map(|s| s.as_str()).collect());
    add(
        "phase-help",
        Phase::ALL.iter().map(|s| s.as_str()).collect(),
    );
    add("reason", Reason::ALL.iter().map(|s| s.as_str()).collect());
    add("role", Role::ALL.iter().map(|s| s.as_str()).collect());
    add("side", Side::ALL.iter().map(|s| s.as_str()).collect());
    add(
        "solution-area",
        SolutionArea::ALL.iter().map(|s| s.as_str()).collect(),
    );
    add(
        "activity",
        Activity::ALL.iter().map(|s| s.as_str()).collect(),
    );
    add("program", Program::ALL.iter().map(|s| s.as_str()).collect());
    add("thread", Thread::ALL.iter().map(|s| s.as_str()).collect());
    add(
        "outcome",
        DisputeOutcome::ALL.iter().map(|s| s.as_str()).collect(),
    );
    add("sla", Sla::ALL.iter().map(|s| s.as_str()).collect());
    add("email", Template::ALL.iter().map(|s| s.as_str()).collect());
    add(
        "email-dropped",
        cpor_domain::claim::DropReason::ALL
            .iter()
            .map(|s| s.as_str())
            .collect(),
    );
    add("channel", Channel::ALL.iter().map(|s| s.as_str()).collect());
    add(
        "subscription-state",
        SubscriptionState::ALL.iter().map(|s| s.as_str()).collect(),
    );
    add(
        "error",
        cpor_domain::ErrorCode::ALL
            .iter()
            .map(|s| s.as_str())
            .collect(),
    );
    add("step", super::claims::wizard::STEPS.to_vec());
    add("event", cpor_domain::claim::EventKind::TYPE_NAMES.to_vec());
    for lang in Lang::ALL {
        let i = I18n::new(lang, TimeZone::UTC);
        for id in &ids {
            assert_ne!(&i.t(id), id, "{} has no words for {id}", lang.code());
        }
    }
}
