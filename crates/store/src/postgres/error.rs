//! sqlx errors as store errors: a database that cannot be reached (or answer in time)
//! is `Unavailable`, so the API answers 503 and does not hang.

use crate::StoreError;

pub fn map(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => StoreError::unavailable(e),
        sqlx::Error::Database(d)
            if d.code()
                .is_some_and(|c| c.starts_with("08") || c == "57P01" || c == "57P03") =>
        {
            // Connection exceptions and an administrator's shutdown.
            StoreError::unavailable(e)
        }
        _ => StoreError::internal(e),
    }
}

/// A column of a row by name, typed; a missing column or another type is an error,
/// not a panic (sqlx's `Row::get` panics).
pub fn col<'r, T>(row: &'r sqlx::postgres::PgRow, name: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    use sqlx::Row;
    row.try_get(name)
        .map_err(|e| StoreError::internal_with(format!("column {name}: {e}"), e))
}

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("23505"))
}

/// The constraint a unique violation broke (`users_pkey`, `users_email`).
pub fn violated_constraint(e: &sqlx::Error) -> Option<&str> {
    match e {
        sqlx::Error::Database(d) if d.code().as_deref() == Some("23505") => d.constraint(),
        _ => None,
    }
}

/// A serialisation failure or deadlock: the transaction lost a race and may be retried.
pub fn is_retryable(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if matches!(d.code().as_deref(), Some("40001") | Some("40P01")))
}

/// A foreign key refused the row (it names something that does not exist).
pub fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("23503"))
}
