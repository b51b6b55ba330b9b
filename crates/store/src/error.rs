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
    /// The database cannot be reached (or answer in time). `context` is the whole
    /// message; `source`, when there is one, is the error it came from.
    #[error("the database is unavailable: {context}")]
    Unavailable {
        context: String,
        #[source]
        source: Option<BoxError>,
    },
    /// Anything else that went wrong. `context` is the whole message; `source`, when
    /// there is one, is the error it came from.
    #[error("store failure: {context}")]
    Internal {
        context: String,
        #[source]
        source: Option<BoxError>,
    },
}

/// The error a store error keeps as its source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

impl StoreError {
    /// An internal failure caused by `e`, which stays reachable through `source()`.
    pub fn internal<E>(e: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        StoreError::internal_with(e.to_string(), e)
    }

    /// An internal failure described by `context`, caused by `e`.
    pub fn internal_with<E>(context: impl Into<String>, e: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        StoreError::Internal {
            context: context.into(),
            source: Some(Box::new(e)),
        }
    }

    /// An internal failure with no underlying error.
    pub fn internal_msg(context: impl Into<String>) -> Self {
        StoreError::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// The database is unavailable because of `e`, which stays reachable through `source()`.
    pub fn unavailable<E>(e: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        StoreError::unavailable_with(e.to_string(), e)
    }

    /// The database is unavailable, described by `context`, because of `e`.
    pub fn unavailable_with<E>(context: impl Into<String>, e: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        StoreError::Unavailable {
            context: context.into(),
            source: Some(Box::new(e)),
        }
    }

    /// The database is unavailable, with no underlying error.
    pub fn unavailable_msg(context: impl Into<String>) -> Self {
        StoreError::Unavailable {
            context: context.into(),
            source: None,
        }
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
                StoreError::unavailable(e)
            }
            _ => StoreError::internal(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::internal_with(format!("stored JSON: {e}"), e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_rusqlite_error_stays_reachable_through_source() {
        let conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        let e: StoreError = conn
            .execute("SELECT * FROM no_such_table", [])
            .map(|_| ())
            .map_err(StoreError::from)
            .expect_err("the table does not exist");
        assert!(matches!(e, StoreError::Internal { .. }), "{e:?}");
        let source = e.source().expect("the rusqlite error is kept");
        let inner = source
            .downcast_ref::<rusqlite::Error>()
            .expect("the source is the rusqlite error");
        assert!(inner.to_string().contains("no_such_table"), "{inner}");
        // The message is unchanged: the context is the whole message.
        assert_eq!(e.to_string(), format!("store failure: {inner}"));
    }

    #[test]
    fn a_serde_json_error_stays_reachable_through_source() {
        let e: StoreError = serde_json::from_str::<u32>("nope")
            .map_err(StoreError::from)
            .expect_err("not a number");
        assert!(
            e.to_string().starts_with("store failure: stored JSON: "),
            "{e}"
        );
        assert!(
            e.source()
                .and_then(|s| s.downcast_ref::<serde_json::Error>())
                .is_some()
        );
    }

    #[test]
    fn a_message_has_no_source() {
        let e = StoreError::internal_msg("operation ran twice");
        assert_eq!(e.to_string(), "store failure: operation ran twice");
        assert!(e.source().is_none());
    }
}
