//! Texts people type: trimmed, within a length in characters (not bytes), and free of
//! control characters (line breaks are allowed only in multi-line texts).

use super::Parse;
use crate::error::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};

fn parse_text(
    field: &str,
    what: &str,
    raw: &str,
    max: usize,
    multiline: bool,
) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(
            field,
            ErrorCode::Required,
            format!("The {what} is required."),
        ));
    }
    let len = s.chars().count();
    if len > max {
        return Err(FieldError::new(
            field,
            ErrorCode::ValueOutOfRange,
            format!("The {what} has at most {max} characters; this one has {len}."),
        ));
    }
    let bad = s
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')));
    if bad {
        let allowed = if multiline {
            "other than line breaks and tabs"
        } else {
            "or line breaks"
        };
        return Err(FieldError::new(
            field,
            ErrorCode::InvalidFormat,
            format!("The {what} cannot have control characters {allowed}."),
        ));
    }
    Ok(s.to_string())
}

macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident, $field:literal, $what:literal, $max:literal, $multi:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;
        }

        impl Parse for $name {
            const FIELD: &'static str = $field;
            fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
                parse_text(field, $what, raw, $max, $multi).map($name)
            }
        }

        $crate::text_backed!($name);
    };
}

text_value!(
    /// The name the partner gives the claim (docs/product.md, the claim: 1 to 100
    /// characters).
    ClaimName, "name", "claim name", 100, false
);
text_value!(
    /// A contact's name.
    PersonName, "name", "name", 100, false
);
text_value!(
    /// A contact's job title.
    Title, "title", "title", 100, false
);
text_value!(
    /// A partner organisation's name.
    OrganisationName, "name", "organisation name", 200, false
);
text_value!(
    /// A short free text: the revenue-association fields (solution seller, customer name,
    /// ISV product).
    FreeText, "text", "text", 200, false
);
text_value!(
    /// A comment in a claim's or a dispute's thread.
    CommentBody, "body", "comment", 4000, true
);
text_value!(
    /// The details of a dispute.
    DisputeDetails, "details", "description of the problem", 4000, true
);
text_value!(
    /// A reason given in words (for a disassociation).
    Reason, "reason", "reason", 500, true
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn claim_name_has_one_to_a_hundred_characters() {
        assert_eq!(
            ClaimName::parse("  Contoso rollout ").unwrap().as_str(),
            "Contoso rollout"
        );
        assert_eq!(
            ClaimName::parse(&"é".repeat(100))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            100
        );
        let e = ClaimName::parse(&"é".repeat(101)).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("name", ErrorCode::ValueOutOfRange)
        );
        assert_eq!(
            ClaimName::parse("   ").unwrap_err().code,
            ErrorCode::Required
        );
        assert_eq!(
            ClaimName::parse("a\nb").unwrap_err().code,
            ErrorCode::InvalidFormat
        );
    }

    #[test]
    fn comments_may_span_lines_but_not_hold_other_control_characters() {
        assert!(CommentBody::parse("line 1\nline 2").is_ok());
        assert_eq!(
            CommentBody::parse("bell\u{7}").unwrap_err().code,
            ErrorCode::InvalidFormat
        );
        assert_eq!(
            CommentBody::parse(&"x".repeat(4001)).unwrap_err().code,
            ErrorCode::ValueOutOfRange
        );
    }

    proptest! {
        #[test]
        fn printable_names_within_bounds_parse_to_their_trimmed_selves(s in "[\\p{L}\\p{N} .,'-]{1,100}") {
            match ClaimName::parse(&s) {
                Ok(n) => prop_assert_eq!(n.as_str(), s.trim()),
                Err(e) => prop_assert_eq!(e.code, ErrorCode::Required),
            }
        }
    }
}
