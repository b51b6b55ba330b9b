//! Backups that include the files (`cpor admin backup DIR`, `cpor admin restore DIR`).
//!
//! A backup directory holds `manifest.json`, on SQLite a consistent copy of the database
//! (`cpor.db`, taken while the service runs), and `files/`: every object of the file store
//! under its own path. The database is copied first and the files after it, so every file
//! the copy records is there (files are written before the command that records them
//! commits, and removed only after). On PostgreSQL the database is backed up with the
//! server's own tools (`pg_dump`); the backup then holds the files only.

use cpor_store::Store;
use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "cpor.db";
const FILES: &str = "files";

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `sqlite` (the database is in the backup) or `postgres` (files only).
    pub backend: String,
    pub created_at: String,
    pub files: u64,
    pub bytes: u64,
}

fn io(what: &str, p: &Path, e: std::io::Error) -> String {
    format!("{what} {}: {e}", p.display())
}

/// Backs the database (on SQLite) and every file up into `dir`, which must be empty or
/// not exist yet.
pub async fn backup(
    store: &dyn Store,
    blobs: &dyn ObjectStore,
    dir: &Path,
) -> Result<Manifest, String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| io("cannot read", dir, e))?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty: back up into a new directory",
            dir.display()
        ));
    }
    std::fs::create_dir_all(dir.join(FILES)).map_err(|e| io("cannot create", dir, e))?;
    let backend = store.backend().to_string();
    if backend == "sqlite" {
        store
            .backup(&dir.join(DATABASE))
            .await
            .map_err(|e| format!("copying the database: {e}"))?;
    }
    let (mut files, mut bytes) = (0, 0);
    let objects: Vec<object_store::ObjectMeta> = blobs
        .list(None)
        .try_collect()
        .await
        .map_err(|e| format!("listing the files: {e}"))?;
    for meta in objects {
        let target = local_path(&dir.join(FILES), &meta.location)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("cannot create", parent, e))?;
        }
        let mut out = tokio::fs::File::create(&target)
            .await
            .map_err(|e| io("cannot write", &target, e))?;
        let mut chunks = blobs
            .get(&meta.location)
            .await
            .map_err(|e| format!("reading {}: {e}", meta.location))?
            .into_stream();
        while let Some(chunk) = chunks
            .try_next()
            .await
            .map_err(|e| format!("reading {}: {e}", meta.location))?
        {
            bytes += chunk.len() as u64;
            out.write_all(&chunk)
                .await
                .map_err(|e| io("cannot write", &target, e))?;
        }
        out.sync_all()
            .await
            .map_err(|e| io("cannot write", &target, e))?;
        files += 1;
    }
    let manifest = Manifest {
        backend,
        created_at: cpor_domain::jiff::Timestamp::now().to_string(),
        files,
        bytes,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(MANIFEST), text).map_err(|e| io("cannot write", dir, e))?;
    Ok(manifest)
}

/// The backup's database file, to copy into an empty data directory before the store is
/// opened; none for a backup of a PostgreSQL deployment.
pub fn database_of(dir: &Path) -> Result<(Manifest, Option<PathBuf>), String> {
    let text = std::fs::read_to_string(dir.join(MANIFEST))
        .map_err(|e| io("not a cpor backup: cannot read the manifest of", dir, e))?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("the backup's manifest: {e}"))?;
    let db = (manifest.backend == "sqlite").then(|| dir.join(DATABASE));
    Ok((manifest, db))
}

/// Puts the backup's files into `blobs`, which must hold none yet.
pub async fn restore_files(dir: &Path, blobs: &dyn ObjectStore) -> Result<u64, String> {
    let existing: Vec<object_store::ObjectMeta> = blobs
        .list(None)
        .try_collect()
        .await
        .map_err(|e| format!("listing the file store: {e}"))?;
    if !existing.is_empty() {
        return Err("the file store already holds files: restore into an empty one".into());
    }
    let root = dir.join(FILES);
    let mut stack = vec![root.clone()];
    let mut restored = 0;
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| io("cannot read", &d, e))? {
            let path = entry.map_err(|e| io("cannot read", &d, e))?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(&root)
                .map_err(|e| e.to_string())?
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|e| io("cannot read", &path, e))?;
            blobs
                .put(
                    &ObjectPath::from(relative.as_str()),
                    PutPayload::from(bytes),
                )
                .await
                .map_err(|e| format!("writing {relative}: {e}"))?;
            restored += 1;
        }
    }
    Ok(restored)
}

/// Where an object goes under `root`: its path's parts, none of them able to climb out.
fn local_path(root: &Path, location: &ObjectPath) -> Result<PathBuf, String> {
    let mut p = root.to_path_buf();
    for part in location.parts() {
        let part = part.as_ref();
        if part.is_empty() || part == "." || part == ".." || part.contains(['/', '\\']) {
            return Err(format!("an object path cpor does not write: {location}"));
        }
        p.push(part);
    }
    Ok(p)
}
