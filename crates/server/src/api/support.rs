//! Fields of request bodies that several operations share.

use cpor_domain::FieldError;
use cpor_domain::values::{CommentBody, Parse};

/// A required field of a body: left out is the same as empty, which the value's own
/// parser refuses with `required`.
pub fn required<T: Parse>(
    field: &str,
    raw: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    T::parse_field(field, raw.as_deref().unwrap_or(""))
        .map_err(|e| errors.push(e))
        .ok()
}

/// An optional `comment`: blank is the same as none.
pub fn optional_comment(raw: Option<String>, errors: &mut Vec<FieldError>) -> Option<CommentBody> {
    raw.filter(|s| !s.trim().is_empty()).and_then(|s| {
        CommentBody::parse_field("comment", &s)
            .map_err(|e| errors.push(e))
            .ok()
    })
}
