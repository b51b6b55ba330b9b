//! Conversions between stored columns and domain values.

use crate::{Result, StoreError};
use std::str::FromStr;

/// Parses a stored id or value; a bad one means the database was changed by hand.
pub fn parse<T: FromStr>(what: &str, s: &str) -> Result<T> {
    T::from_str(s)
        .map_err(|_| StoreError::internal_msg(format!("stored {what} {s:?} is not valid")))
}

/// Parses a stored value with the domain's parser.
pub fn parse_value<T: cpor_domain::values::Parse>(s: &str) -> Result<T> {
    T::parse(s).map_err(|e| StoreError::internal_msg(format!("stored value {s:?}: {e}")))
}
