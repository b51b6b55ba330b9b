//! Pagination: one opaque cursor format and one set of limits for every list. A cursor
//! is the position the next page starts after, base64url-encoded so that clients treat
//! it as a token rather than build one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cpor_domain::{ErrorCode, FieldError};
use std::str::FromStr;

/// Items per page when the caller names no limit.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most items one page holds.
pub const MAX_LIMIT: u32 = 200;

/// `limit`: 1 to [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent.
pub fn limit(raw: Option<&str>, errors: &mut Vec<FieldError>) -> u32 {
    match raw.map(str::trim) {
        None | Some("") => DEFAULT_LIMIT,
        Some(s) => match s.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                errors.push(FieldError::new(
                    "limit",
                    ErrorCode::ValueOutOfRange,
                    format!("The limit is a number from 1 to {MAX_LIMIT}."),
                ));
                DEFAULT_LIMIT
            }
        },
    }
}

/// The cursor that resumes after `position`.
pub fn encode<P: ToString>(position: &P) -> String {
    URL_SAFE_NO_PAD.encode(position.to_string())
}

/// The position a `cursor` parameter resumes after; `None` for the first page.
pub fn decode<P: FromStr>(raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<P> {
    let raw = raw.filter(|c| !c.is_empty())?;
    let position = URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse().ok());
    if position.is_none() {
        errors.push(FieldError::new(
            "cursor",
            ErrorCode::InvalidFormat,
            "Pass the next_cursor of the previous page.",
        ));
    }
    position
}

/// `(timestamp, id)` positions, for lists ordered by a time and then an id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeAndId<I>(pub cpor_domain::jiff::Timestamp, pub I);

impl<I: std::fmt::Display> std::fmt::Display for TimeAndId<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}~{}", self.0, self.1)
    }
}

impl<I: FromStr> FromStr for TimeAndId<I> {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let (t, id) = s.split_once('~').ok_or(())?;
        Ok(TimeAndId(
            t.parse().map_err(|_| ())?,
            id.parse().map_err(|_| ())?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_resumes_where_it_was_made() {
        let mut errors = Vec::new();
        let c = encode(&42u64);
        assert_eq!(decode::<u64>(Some(&c), &mut errors), Some(42));
        assert_eq!(decode::<u64>(Some("42"), &mut errors), None);
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn limits_are_bounded() {
        let mut errors = Vec::new();
        assert_eq!(limit(None, &mut errors), DEFAULT_LIMIT);
        assert_eq!(limit(Some("200"), &mut errors), 200);
        assert!(errors.is_empty());
        limit(Some("201"), &mut errors);
        limit(Some("0"), &mut errors);
        assert_eq!(errors.len(), 2);
    }
}
