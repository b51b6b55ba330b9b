//! Where proof-of-execution files live: an object store chosen by URL (`--blob-url`),
//! through `object_store`'s own backends. Every path is derived here from parsed ids,
//! never from request text, so an id typed in another spelling (upper case, braces, no
//! hyphens) still names the same file.
//!
//! - `file:///path` (the default: `DATA_DIR/blobs`): local disk;
//! - `s3://bucket/prefix`: S3 or an S3-compatible store; endpoint, region and credentials
//!   from the usual `AWS_*` variables and `--blob-option key=value`;
//! - `az://container/prefix`: Azure Blob Storage; account and key from the usual
//!   `AZURE_STORAGE_*` variables and `--blob-option`.
//!
//! The processes of one deployment share the store, so scaling out needs no shared volume.

use crate::error::ApiError;
use cpor_domain::values::{ClaimId, PoeId};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt};
use std::sync::Arc;

/// `poe/<claim>/<poe>`, both ids in their canonical form.
pub fn poe_path(claim: ClaimId, poe: PoeId) -> Path {
    Path::from(format!("poe/{claim}/{poe}"))
}

/// The store of `url` (`None`: `DATA_DIR/blobs` on local disk) with `options`.
pub fn open(
    url: Option<&str>,
    options: &[(String, String)],
    data_dir: &std::path::Path,
) -> Result<Arc<dyn ObjectStore>, String> {
    let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
        return local(&data_dir.join("blobs"));
    };
    let parsed = url::Url::parse(url).map_err(|e| format!("--blob-url {url}: {e}"))?;
    let prefix = parsed.path().trim_matches('/').to_string();
    let with_prefix = |store: Arc<dyn ObjectStore>| -> Arc<dyn ObjectStore> {
        if prefix.is_empty() {
            store
        } else {
            Arc::new(PrefixStore::new(store, prefix.as_str()))
        }
    };
    match parsed.scheme() {
        "file" => {
            let path = parsed
                .to_file_path()
                .map_err(|_| format!("--blob-url {url}: not a local path"))?;
            local(&path)
        }
        "s3" => {
            let mut b = AmazonS3Builder::from_env().with_url(url);
            for (k, v) in options {
                let key: AmazonS3ConfigKey =
                    k.parse().map_err(|e| format!("--blob-option {k}: {e}"))?;
                b = b.with_config(key, v);
            }
            let store = b.build().map_err(|e| format!("--blob-url {url}: {e}"))?;
            Ok(with_prefix(Arc::new(store)))
        }
        "az" | "azure" => {
            let mut b = MicrosoftAzureBuilder::from_env().with_url(url);
            for (k, v) in options {
                let key: AzureConfigKey =
                    k.parse().map_err(|e| format!("--blob-option {k}: {e}"))?;
                b = b.with_config(key, v);
            }
            let store = b.build().map_err(|e| format!("--blob-url {url}: {e}"))?;
            Ok(with_prefix(Arc::new(store)))
        }
        other => Err(format!(
            "--blob-url {url}: the scheme {other}:// is not one of file://, s3://, az://"
        )),
    }
}

fn local(dir: &std::path::Path) -> Result<Arc<dyn ObjectStore>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let store = LocalFileSystem::new_with_prefix(dir).map_err(|e| e.to_string())?;
    Ok(Arc::new(store))
}

/// An object store's failure as an answer: a missing file is a 404; anything else means
/// the store cannot be reached or refused, a 503 to try again (nothing was changed).
pub fn error(e: object_store::Error) -> ApiError {
    match e {
        object_store::Error::NotFound { .. } => ApiError::not_found("poe"),
        other => {
            tracing::warn!(error = %other, "the file store failed");
            ApiError::store_unavailable()
        }
    }
}

/// A stored file as a body that streams from the store (a download never holds the
/// whole file).
pub async fn stream(store: &dyn ObjectStore, path: &Path) -> Result<axum::body::Body, ApiError> {
    use futures::TryStreamExt;
    let found = store.get(path).await.map_err(error)?;
    Ok(axum::body::Body::from_stream(
        found.into_stream().map_err(std::io::Error::other),
    ))
}

/// How long an unrecorded file is left alone: an upload writes its file before the
/// command that records it commits.
pub const ORPHAN_GRACE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the files under `poe/` that no claim records and that are older than `grace`
/// (a crash between writing a file and committing its command leaves one); returns how
/// many went.
pub async fn collect_orphans(
    store: &dyn ObjectStore,
    records: &dyn cpor_store::Store,
    grace: std::time::Duration,
) -> Result<usize, String> {
    use futures::TryStreamExt;
    let cutoff = cpor_domain::jiff::Timestamp::now().as_microsecond() - grace.as_micros() as i64;
    let files: Vec<object_store::ObjectMeta> = store
        .list(Some(&Path::from("poe")))
        .try_collect()
        .await
        .map_err(|e| e.to_string())?;
    let mut removed = 0;
    for f in files {
        if f.last_modified.timestamp_micros() > cutoff {
            continue;
        }
        // poe/<claim>/<poe>: anything else under poe/ is not ours to judge.
        let Some(poe) = f.location.filename().and_then(|n| n.parse::<PoeId>().ok()) else {
            continue;
        };
        if records.poe_recorded(poe).await.map_err(|e| e.to_string())? {
            continue;
        }
        match store.delete(&f.location).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => removed += 1,
            Err(e) => return Err(e.to_string()),
        }
    }
    if removed > 0 {
        tracing::info!(removed, "collected files no claim records");
    }
    Ok(removed)
}

/// `key=value` for `--blob-option`.
pub fn parse_option(raw: &str) -> Result<(String, String), String> {
    raw.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("--blob-option {raw}: write it as key=value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_and_bad_ones_say_why() {
        let dir = tempfile::tempdir().unwrap();
        assert!(open(None, &[], dir.path()).is_ok());
        let url = format!("file://{}", dir.path().join("elsewhere").display());
        assert!(open(Some(&url), &[], dir.path()).is_ok());
        assert!(dir.path().join("elsewhere").is_dir());
        let s3 = open(
            Some("s3://bucket/cpor"),
            &[
                ("region".into(), "eu-west-1".into()),
                ("access_key_id".into(), "k".into()),
                ("secret_access_key".into(), "s".into()),
            ],
            dir.path(),
        );
        assert!(s3.is_ok(), "{:?}", s3.err());
        let refused = open(Some("ftp://x/y"), &[], dir.path()).err().unwrap();
        assert!(refused.contains("ftp://"), "{refused}");
        let refused = open(
            Some("s3://b"),
            &[("no_such".into(), "1".into())],
            dir.path(),
        )
        .err()
        .unwrap();
        assert!(refused.contains("no_such"), "{refused}");
        assert_eq!(parse_option("endpoint=http://x").unwrap().1, "http://x");
        assert!(parse_option("novalue").is_err());
    }
}
