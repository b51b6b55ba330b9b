//! The store's errors. Rule: a refusal by the rules is `Domain` (the caller shows its
//! field errors); a lost race is `VersionMismatch` or `Conflict`; a database that cannot
//! be reached is `Unavailable` (the API answers 503); anything else is `Internal`, logged
//! with its chain and answered as a plain 500.

use cpor_domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The caller's `If-Match` is not the claim's current `etag`.
    #[error("the claim is at version {current}, not the expected one")]
    VersionMismatch { current: u64 },
    /// The idempotency key was used before with another request.
    #[error("the idempotency key was used with another request")]
    IdempotencyMismatch,
    /// A uniqueness rule of reference data (an e-mail, an MPN ID) is already taken.
    #[error("{field} {value} is already taken")]
    Duplicate { field: &'static str, value: String },
    /// A referenced thing (organisation, user) does not exist.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("store failure: {0}")]
    Internal(String),
}

impl StoreError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        StoreError::Internal(e.to_string())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::DiskFull
                ) =>
            {
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Internal(e.to_string()),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Internal(format!("stored JSON: {e}"))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
