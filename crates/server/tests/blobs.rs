//! Proof-of-execution files on each object store cpor ships with: local disk, S3 (moto,
//! started by scripts/test) and Azure Blob Storage (Azurite). The same cases on each:
//! upload, download, removal, collection of files no claim records, and a store that
//! cannot be reached.
#![allow(clippy::unwrap_used)]

mod support;

use object_store::ObjectStoreExt;
use reqwest::StatusCode;
use serde_json::json;
use support::*;

const ADMIN: &str = "adatum:incentives_admin";

/// The stores to run on: local disk always; S3 and Azure when scripts/test started their
/// emulators (required when `CPOR_REQUIRE_BLOBS` is set).
/// A store to run on: its name, `--blob-url` and `--blob-option`s.
type Target = (&'static str, Option<String>, Vec<(String, String)>);

fn stores() -> Vec<Target> {
    let mut out = vec![("local", None, Vec::new())];
    for (name, url, options) in [
        ("s3", "CPOR_TEST_S3_URL", "CPOR_TEST_S3_OPTIONS"),
        ("azure", "CPOR_TEST_AZ_URL", "CPOR_TEST_AZ_OPTIONS"),
    ] {
        match std::env::var(url) {
            Ok(u) => {
                let opts = std::env::var(options)
                    .unwrap_or_default()
                    .split(',')
                    .filter(|o| !o.is_empty())
                    .map(|o| cpor_server::blobs::parse_option(o).unwrap())
                    .collect();
                out.push((name, Some(u), opts));
            }
            Err(_) if std::env::var_os("CPOR_REQUIRE_BLOBS").is_some() => {
                panic!(
                    "CPOR_REQUIRE_BLOBS is set but {url} is not: scripts/test starts the emulators"
                )
            }
            Err(_) => eprintln!("skipped {name}: no emulator ({url} is not set)"),
        }
    }
    out
}

async fn on(url: Option<String>, options: Vec<(String, String)>) -> TestApp {
    // A prefix of its own in the shared bucket: another run's files are not this one's
    // to collect.
    let url = url.map(|u| format!("{u}/{}", uuid::Uuid::now_v7().simple()));
    TestApp::start_with(move |c| {
        c.store.blob_url = url;
        c.store.blob_options = options;
    })
    .await
}

fn document(n: usize) -> Vec<u8> {
    let mut d = pdf();
    d.extend(format!("% {n} {}\n", "x".repeat(n % 97)).into_bytes());
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_stored_read_removed_and_collected_on_every_store() {
    for (name, url, options) in stores() {
        let t = on(url, options).await;
        let id = t.create(ADMIN, m365("Stored", "1234567", &["teams"])).await;
        let bytes = document(1);
        let r = t.upload(&id, ADMIN, "sow.pdf", bytes.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
        let poe = r.body["poe"][0].clone();
        let poe_id = poe["id"].as_str().unwrap().to_string();
        let expected: String = <sha2::Sha256 as sha2::Digest>::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(poe["sha256"], expected, "{name}");
        // Read back byte for byte, through the API.
        let back = t
            .client
            .get(format!("{}/api/v1/claims/{id}/poe/{poe_id}", t.base))
            .bearer_auth(t.token(ADMIN))
            .send()
            .await
            .unwrap();
        assert_eq!(back.status(), StatusCode::OK, "{name}");
        assert_eq!(back.bytes().await.unwrap().to_vec(), bytes, "{name}");
        // Removed from the draft: the file goes by the job queued with the removal.
        let path = cpor_server::blobs::poe_path(id.parse().unwrap(), poe_id.parse().unwrap());
        assert!(t.app.blobs.head(&path).await.is_ok(), "{name}: stored");
        let r = t
            .send(
                reqwest::Method::DELETE,
                &format!("/api/v1/claims/{id}/poe/{poe_id}"),
                Some(ADMIN),
                None,
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
        t.run_jobs().await;
        assert!(
            matches!(
                t.app.blobs.head(&path).await,
                Err(object_store::Error::NotFound { .. })
            ),
            "{name}: removed"
        );
        // What a crash between writing a file and recording it leaves: a file no claim
        // records. Collection removes it, and only it.
        let kept = t.upload(&id, ADMIN, "kept.pdf", document(2)).await;
        let kept_id = kept.body["poe"][0]["id"].as_str().unwrap().to_string();
        let orphan = cpor_server::blobs::poe_path(
            id.parse().unwrap(),
            cpor_domain::values::PoeId::from_uuid(uuid::Uuid::now_v7()),
        );
        t.app.blobs.put(&orphan, document(3).into()).await.unwrap();
        let young = cpor_server::blobs::collect_orphans(
            t.app.blobs.as_ref(),
            t.store.as_ref(),
            cpor_server::blobs::ORPHAN_GRACE,
        )
        .await
        .unwrap();
        assert_eq!(
            young, 0,
            "{name}: a new file is left alone (its command may be running)"
        );
        let removed = cpor_server::blobs::collect_orphans(
            t.app.blobs.as_ref(),
            t.store.as_ref(),
            std::time::Duration::ZERO,
        )
        .await
        .unwrap();
        assert_eq!(removed, 1, "{name}");
        assert!(
            t.app.blobs.head(&orphan).await.is_err(),
            "{name}: orphan collected"
        );
        let kept_path = cpor_server::blobs::poe_path(id.parse().unwrap(), kept_id.parse().unwrap());
        assert!(
            t.app.blobs.head(&kept_path).await.is_ok(),
            "{name}: recorded file kept"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_store_answers_503_and_changes_nothing() {
    let options = vec![
        ("endpoint".to_string(), "http://127.0.0.1:9".to_string()),
        ("allow_http".into(), "true".into()),
        ("region".into(), "us-east-1".into()),
        ("access_key_id".into(), "k".into()),
        ("secret_access_key".into(), "s".into()),
    ];
    let t = on(Some("s3://nowhere/cpor".into()), options).await;
    let id = t
        .create(ADMIN, m365("Unstored", "1234567", &["teams"]))
        .await;
    let r = t.upload(&id, ADMIN, "sow.pdf", document(4)).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(
        r.headers["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    assert!(r.has_error("file", "conflict"), "{}", r.body);
    assert_eq!(t.claim(&id).await["poe"], json!([]), "nothing recorded");
}
