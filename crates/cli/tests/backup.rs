//! The demo's PoE files are real documents in the file store, and a backup restored into
//! an empty data directory gives the same claims and byte-identical files.
#![allow(clippy::unwrap_used)]

use cpor_store::sqlite::SqliteStore;
use cpor_store::{ClaimQuery, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cpor");

fn cpor(args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Every file under `root`, by its path below it, with its bytes.
fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

async fn claims(dir: &Path) -> Vec<cpor_domain::claim::Claim> {
    let store = SqliteStore::open(dir).unwrap();
    let query = ClaimQuery {
        limit: 200,
        ..Default::default()
    };
    store.claims(&query).await.unwrap().items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demos_files_are_real_and_a_backup_restores_them_byte_for_byte() {
    let root = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        root.path().join("a"),
        root.path().join("backup"),
        root.path().join("c"),
    );
    let arg = |p: &Path| p.to_str().unwrap().to_string();
    let (ok, out) = cpor(&["demo", "--data-dir", &arg(&a)]);
    assert!(ok, "{out}");
    // Every PoE record of the demo has its file, with the recorded size and digest.
    let before = claims(&a).await;
    let records: Vec<_> = before
        .iter()
        .flat_map(|c| c.poe.iter().map(move |p| (c.id, p)))
        .collect();
    assert!(records.len() >= 5, "the demo's claims carry documents");
    for (claim, p) in &records {
        let path = a
            .join("blobs")
            .join("poe")
            .join(claim.to_string())
            .join(p.id.to_string());
        let bytes =
            std::fs::read(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()));
        assert!(bytes.starts_with(b"%PDF-"), "a PDF");
        assert_eq!(bytes.len() as u64, p.size);
        assert_eq!(cpor_domain::poe::sha256_hex(&bytes), p.sha256);
    }
    let (ok, out) = cpor(&["admin", "backup", &arg(&b), "--data-dir", &arg(&a)]);
    assert!(ok, "{out}");
    assert!(out.contains("the database and"), "{out}");
    let (ok, out) = cpor(&["admin", "restore", &arg(&b), "--data-dir", &arg(&c)]);
    assert!(ok, "{out}");
    let after = claims(&c).await;
    assert_eq!(
        serde_json::to_value(&after).unwrap(),
        serde_json::to_value(&before).unwrap(),
        "the same claims"
    );
    assert_eq!(
        files(&c.join("blobs")),
        files(&a.join("blobs")),
        "byte-identical files"
    );
    // Restoring over data refuses and changes nothing.
    let (ok, out) = cpor(&["admin", "restore", &arg(&b), "--data-dir", &arg(&c)]);
    assert!(!ok && out.contains("empty"), "{out}");
    let (ok, out) = cpor(&["admin", "backup", &arg(&b), "--data-dir", &arg(&a)]);
    assert!(!ok && out.contains("not empty"), "{out}");
}
